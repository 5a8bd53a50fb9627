package sandbox

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Custom authorization servers (issue 10 point 8). The org has Okta's
// "default" server (its token endpoint is /oauth2/default/v1/token, see
// oauth.go); others can be created, but only "default" issues tokens here.
//
//	GET    /api/v1/authorizationServers[?q=&limit=]               listAuthorizationServers
//	POST   /api/v1/authorizationServers                           createAuthorizationServer (201)
//	GET    /api/v1/authorizationServers/{id}                      getAuthorizationServer
//	PUT    /api/v1/authorizationServers/{id}                      replaceAuthorizationServer
//	DELETE /api/v1/authorizationServers/{id}                      deleteAuthorizationServer (204; not "default")
//	POST   /api/v1/authorizationServers/{id}/lifecycle/activate|deactivate (204)

type authServer struct {
	ID, Name, Description, Status string
	Audiences                     []string
	Created, LastUpdated          time.Time
}

func matchAuthServers(method string, segs []string) (route, bool) {
	if segs[0] != "authorizationServers" {
		return route{}, false
	}
	const rd, mg = "okta.authorizationServers.read", "okta.authorizationServers.manage"
	switch {
	case len(segs) == 1 && method == http.MethodGet:
		return read(BucketOther, rd, (*Server).listAuthServers), true
	case len(segs) == 1 && method == http.MethodPost:
		return read(BucketOther, mg, (*Server).createAuthServer), true
	case len(segs) == 2 && method == http.MethodGet:
		return read(BucketOther, rd, (*Server).getAuthServer), true
	case len(segs) == 2 && method == http.MethodPut:
		return read(BucketOther, mg, (*Server).replaceAuthServer), true
	case len(segs) == 2 && method == http.MethodDelete:
		return read(BucketOther, mg, (*Server).deleteAuthServer), true
	case len(segs) == 4 && segs[2] == "lifecycle" && (segs[3] == "activate" || segs[3] == "deactivate") && method == http.MethodPost:
		return read(BucketOther, mg, (*Server).authServerLifecycle), true
	case len(segs) <= 4:
		return route{bucket: BucketOther, methodNotAllowed: true}, true
	}
	return route{bucket: BucketOther}, true
}

// authServersLocked seeds the default server on first use.
func (s *Server) authServersLocked() []*authServer {
	if s.authServers == nil {
		s.authServers = []*authServer{{ID: "default", Name: "default", Description: "Default Authorization Server",
			Status: StatusActive, Audiences: []string{"api://default"}, Created: s.orgCreated, LastUpdated: s.orgCreated}}
	}
	return s.authServers
}

func (s *Server) renderAuthServer(base string, a *authServer) map[string]any {
	_, kid := s.auth.signingKey()
	self := base + "/api/v1/authorizationServers/" + a.ID
	links := map[string]any{"self": map[string]any{"href": self}, "claims": map[string]any{"href": self + "/claims"},
		"policies": map[string]any{"href": self + "/policies"}, "scopes": map[string]any{"href": self + "/scopes"},
		"metadata": []any{map[string]any{"href": base + "/oauth2/" + a.ID + "/.well-known/oauth-authorization-server"}}}
	if a.Status == StatusActive {
		links["deactivate"] = map[string]any{"href": self + "/lifecycle/deactivate", "hints": map[string]any{"allow": []string{"POST"}}}
	} else {
		links["activate"] = map[string]any{"href": self + "/lifecycle/activate", "hints": map[string]any{"allow": []string{"POST"}}}
	}
	return map[string]any{"id": a.ID, "name": a.Name, "description": a.Description, "audiences": a.Audiences,
		"issuer": base + "/oauth2/" + a.ID, "issuerMode": "ORG_URL", "status": a.Status,
		"created": fmtTime(a.Created), "lastUpdated": fmtTime(a.LastUpdated),
		"credentials": map[string]any{"signing": map[string]any{"kid": kid, "rotationMode": "AUTO", "use": "sig",
			"lastRotated": fmtTime(s.orgCreated), "nextRotation": fmtTime(s.orgCreated.AddDate(0, 3, 0))}},
		"_links": links}
}

func (s *Server) authServerOr404(w http.ResponseWriter, id string) *authServer {
	for _, a := range s.authServersLocked() {
		if a.ID == id {
			return a
		}
	}
	notFound(w, id, "AuthorizationServer")
	return nil
}

func (s *Server) listAuthServers(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	q := r.URL.Query()
	limit, ok := parseLimit(w, q, 200, 200)
	if !ok {
		return
	}
	kw := strings.ToLower(strings.TrimSpace(q.Get("q")))
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, a := range s.authServersLocked() {
		if len(out) < limit && (kw == "" || strings.HasPrefix(strings.ToLower(a.Name), kw)) {
			out = append(out, s.renderAuthServer(rc.base, a))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// authServerIn reads and checks a server body (name and audiences required).
func authServerIn(w http.ResponseWriter, r *http.Request) (name, desc string, aud []string, ok bool) {
	var in struct {
		Name        string   `json:"name"`
		Description string   `json:"description"`
		Audiences   []string `json:"audiences"`
	}
	if !readJSON(w, r, &in) {
		return "", "", nil, false
	}
	var causes []string
	if strings.TrimSpace(in.Name) == "" {
		causes = append(causes, "name: The field cannot be left blank")
	}
	if len(in.Audiences) == 0 || slices.Contains(in.Audiences, "") {
		causes = append(causes, "audiences: An authorization server needs at least one audience")
	}
	if len(causes) > 0 {
		validationErr(w, causes...)
		return "", "", nil, false
	}
	return in.Name, in.Description, in.Audiences, true
}

func (s *Server) createAuthServer(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	name, desc, aud, ok := authServerIn(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.authServersLocked() {
		if strings.EqualFold(a.Name, name) {
			validationErr(w, "name: An authorization server with this name already exists")
			return
		}
	}
	now := time.Now().UTC()
	a := &authServer{ID: s.ids.next("aus"), Name: name, Description: desc, Status: StatusActive, Audiences: aud, Created: now, LastUpdated: now}
	s.authServers = append(s.authServers, a)
	writeJSON(w, http.StatusCreated, s.renderAuthServer(rc.base, a))
}

func (s *Server) getAuthServer(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.authServerOr404(w, segs[1]); a != nil {
		writeJSON(w, http.StatusOK, s.renderAuthServer(rc.base, a))
	}
}

func (s *Server) replaceAuthServer(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	name, desc, aud, ok := authServerIn(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.authServerOr404(w, segs[1]); a != nil {
		a.Name, a.Description, a.Audiences, a.LastUpdated = name, desc, aud, time.Now().UTC()
		writeJSON(w, http.StatusOK, s.renderAuthServer(rc.base, a))
	}
}

func (s *Server) deleteAuthServer(w http.ResponseWriter, _ *http.Request, _ *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.authServerOr404(w, segs[1])
	if a == nil {
		return
	}
	if a.ID == "default" {
		validationErr(w, "id: The default authorization server cannot be deleted")
		return
	}
	s.authServers = slices.DeleteFunc(s.authServers, func(x *authServer) bool { return x == a })
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) authServerLifecycle(w http.ResponseWriter, _ *http.Request, _ *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.authServerOr404(w, segs[1]); a != nil {
		a.Status, a.LastUpdated = map[string]string{"activate": StatusActive, "deactivate": "INACTIVE"}[segs[3]], time.Now().UTC()
		w.WriteHeader(http.StatusNoContent)
	}
}
