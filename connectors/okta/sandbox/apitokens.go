package sandbox

import (
	"net/http"
	"slices"
	"time"
)

// API token metadata (okta-sdk-golang's ApiToken operations):
//
//	GET    /api/v1/api-tokens            listApiTokens
//	GET    /api/v1/api-tokens/{id}       getApiToken
//	DELETE /api/v1/api-tokens/{id}       revokeApiToken (204)
//	DELETE /api/v1/api-tokens/current    revokeCurrentApiToken (204)
//
// Every SSWS token of the org is listed (the admin's default token, those
// of CreateAPIToken / IssueAPIToken and the seed), plus "Legacy SCIM
// integration", an unused token to revoke. Okta has no API to create a
// token (admins do it in the Admin Console): IssueAPIToken does that and
// writes system.api_token.create; a revoke writes system.api_token.revoke,
// and the revoked token stops authenticating. tokenWindow is left out: the
// spec's TimeDuration pattern (^P(?:$)…) accepts no real duration.

type apiTokenMeta struct {
	ID      string
	Created time.Time
}

type apiTokenState struct {
	meta map[*principal]*apiTokenMeta
}

// LegacySCIMTokenName is the seeded token that nothing uses.
const LegacySCIMTokenName = "Legacy SCIM integration"

func (s *Server) apiTokensLocked() *apiTokenState {
	if s.apiTokens == nil {
		s.apiTokens = &apiTokenState{meta: map[*principal]*apiTokenMeta{}}
		s.ssws["00"+randID("", 40)] = &principal{kind: "SSWS", userID: s.adminID, all: true, name: LegacySCIMTokenName}
	}
	st := s.apiTokens
	var fresh []*principal
	for _, p := range s.ssws {
		if st.meta[p] == nil {
			fresh = append(fresh, p)
		}
	}
	slices.SortFunc(fresh, func(a, b *principal) int {
		if a.name < b.name {
			return -1
		}
		if a.name > b.name {
			return 1
		}
		return 0
	})
	for _, p := range fresh {
		st.meta[p] = &apiTokenMeta{ID: s.ids.next("00T"), Created: s.orgCreated}
	}
	return st
}

type apiTokenView struct {
	secret string
	p      *principal
	m      *apiTokenMeta
}

// apiTokenListLocked is the org's tokens in id order.
func (s *Server) apiTokenListLocked() []apiTokenView {
	st := s.apiTokensLocked()
	var out []apiTokenView
	for sec, p := range s.ssws {
		out = append(out, apiTokenView{sec, p, st.meta[p]})
	}
	slices.SortFunc(out, func(a, b apiTokenView) int {
		if a.m.ID < b.m.ID {
			return -1
		}
		if a.m.ID > b.m.ID {
			return 1
		}
		return 0
	})
	return out
}

func (v apiTokenView) render(base string) map[string]any {
	return map[string]any{
		"id": v.m.ID, "name": v.p.name, "userId": v.p.userID, "clientName": "Okta API",
		"created": fmtTime(v.m.Created), "lastUpdated": fmtTime(v.m.Created), "expiresAt": fmtTime(v.m.Created.Add(30 * 24 * time.Hour)),
		"network": map[string]any{"connection": "ANYWHERE", "include": []any{}, "exclude": []any{}},
		"_link":   map[string]any{"self": map[string]any{"href": base + "/api/v1/api-tokens/" + v.m.ID, "hints": map[string]any{"allow": []any{"GET", "DELETE"}}}},
	}
}

func apiTokenTarget(v apiTokenView) LogTarget {
	return LogTarget{ID: v.m.ID, Type: "Token", AlternateID: "unknown", DisplayName: v.p.name}
}

func matchAPITokens(method string, segs []string) route {
	nm := route{bucket: BucketOther, methodNotAllowed: true}
	switch {
	case len(segs) == 1 && method == http.MethodGet:
		return read(BucketOther, "okta.apiTokens.read", (*Server).listAPITokens)
	case len(segs) == 2 && segs[1] == "current" && method == http.MethodDelete:
		return read(BucketOther, "", (*Server).revokeCurrentAPIToken)
	case len(segs) == 2 && segs[1] != "current" && method == http.MethodGet:
		return read(BucketOther, "okta.apiTokens.read", (*Server).getAPIToken)
	case len(segs) == 2 && segs[1] != "current" && method == http.MethodDelete:
		return read(BucketOther, "okta.apiTokens.manage", (*Server).revokeAPIToken)
	case len(segs) <= 2:
		return nm
	}
	return route{bucket: BucketOther}
}

func (s *Server) listAPITokens(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, v := range s.apiTokenListLocked() {
		out = append(out, v.render(rc.base))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiTokenOr404Locked(w http.ResponseWriter, id string) (apiTokenView, bool) {
	for _, v := range s.apiTokenListLocked() {
		if v.m.ID == id {
			return v, true
		}
	}
	notFound(w, id, "ApiToken")
	return apiTokenView{}, false
}

func (s *Server) getAPIToken(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.apiTokenOr404Locked(w, segs[1]); ok {
		writeJSON(w, http.StatusOK, v.render(rc.base))
	}
}

func (s *Server) revokeAPIToken(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.apiTokenOr404Locked(w, segs[1]); ok {
		s.revokeAPITokenLocked(rc, v)
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) revokeCurrentAPIToken(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.apiTokenListLocked() {
		if v.p == rc.p {
			s.revokeAPITokenLocked(rc, v)
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	writeErr(w, http.StatusForbidden, "E0000006", "You do not have permission to perform the requested action", "Only an API token can revoke itself.")
}

func (s *Server) revokeAPITokenLocked(rc *reqCtx, v apiTokenView) {
	delete(s.ssws, v.secret)
	delete(s.apiTokens.meta, v.p)
	s.emitLocked(rc, "system.api_token.revoke", "Revoke API token", "INFO", []LogTarget{apiTokenTarget(v)})
}

// IssueAPIToken creates an SSWS token acting as the admin, as an admin does
// in the Admin Console (Security > API > Tokens), and writes
// system.api_token.create. It returns the token and its id.
func (s *Server) IssueAPIToken(name string) (token, id string) {
	token = s.CreateAPIToken(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.ssws[token]
	st := s.apiTokensLocked()
	m := st.meta[p]
	m.Created = time.Now().UTC()
	rc := &reqCtx{p: &principal{kind: "SSWS", userID: s.adminID}, reqID: randID("", 27), ip: "127.0.0.1", uri: "/admin/access/api/tokens"}
	s.emitLocked(rc, "system.api_token.create", "Create API token", "INFO", []LogTarget{apiTokenTarget(apiTokenView{token, p, m})})
	return token, m.ID
}
