package sandbox

import (
	"net/http"
	"slices"
	"time"
)

// The org's authenticators (okta-sdk-golang's Authenticator operations):
//
//	GET  /api/v1/authenticators                                 listAuthenticators
//	GET  /api/v1/authenticators/{id}                            getAuthenticator
//	POST /api/v1/authenticators/{id}/lifecycle/{activate|deactivate}  (200, the authenticator)
//
// Seeded: Password (required, never deactivated), Email, Okta Verify and
// Phone (inactive). Activating or deactivating writes
// security.authenticator.lifecycle.activate / .deactivate with the
// authenticator as target, as Okta does for an admin's change.

type authenticator struct {
	ID, Key, Name, Type, Status string
	Created, LastUpdated        time.Time
}

func (s *Server) authenticatorsLocked() []*authenticator {
	if s.authenticators == nil {
		for _, a := range []struct{ key, name, typ, status string }{
			{"okta_password", "Password", "password", "ACTIVE"},
			{"okta_email", "Email", "email", "ACTIVE"},
			{"okta_verify", "Okta Verify", "app", "ACTIVE"},
			{"phone_number", "Phone", "phone", "INACTIVE"},
		} {
			s.authenticators = append(s.authenticators, &authenticator{ID: s.ids.next("aut"), Key: a.key, Name: a.name, Type: a.typ,
				Status: a.status, Created: s.orgCreated, LastUpdated: s.orgCreated})
		}
	}
	return s.authenticators
}

func (a *authenticator) render(base string) map[string]any {
	self := base + "/api/v1/authenticators/" + a.ID
	op := "deactivate"
	if a.Status != "ACTIVE" {
		op = "activate"
	}
	return map[string]any{
		"id": a.ID, "key": a.Key, "name": a.Name, "type": a.Type, "status": a.Status,
		"created": fmtTime(a.Created), "lastUpdated": fmtTime(a.LastUpdated),
		"_links": map[string]any{
			"self": map[string]any{"href": self, "hints": map[string]any{"allow": []any{"GET", "PUT"}}},
			op:     map[string]any{"href": self + "/lifecycle/" + op, "hints": map[string]any{"allow": []any{"POST"}}},
		},
	}
}

func authenticatorTarget(a *authenticator) LogTarget {
	return LogTarget{ID: a.ID, Type: "Authenticator", AlternateID: a.Key, DisplayName: a.Name}
}

func matchAuthenticators(method string, segs []string) route {
	nm := route{bucket: BucketOther, methodNotAllowed: true}
	switch {
	case len(segs) == 1 && method == http.MethodGet:
		return read(BucketOther, "okta.authenticators.read", (*Server).listAuthenticators)
	case len(segs) == 2 && method == http.MethodGet:
		return read(BucketOther, "okta.authenticators.read", (*Server).getAuthenticator)
	case len(segs) == 4 && segs[2] == "lifecycle" && method == http.MethodPost:
		return read(BucketOther, "okta.authenticators.manage", (*Server).authenticatorLifecycle)
	case len(segs) <= 2, len(segs) == 4 && segs[2] == "lifecycle":
		return nm
	}
	return route{bucket: BucketOther}
}

func (s *Server) listAuthenticators(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, a := range s.authenticatorsLocked() {
		out = append(out, a.render(rc.base))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) authenticatorOr404Locked(w http.ResponseWriter, id string) *authenticator {
	i := slices.IndexFunc(s.authenticatorsLocked(), func(a *authenticator) bool { return a.ID == id })
	if i < 0 {
		notFound(w, id, "Authenticator")
		return nil
	}
	return s.authenticators[i]
}

func (s *Server) getAuthenticator(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.authenticatorOr404Locked(w, segs[1]); a != nil {
		writeJSON(w, http.StatusOK, a.render(rc.base))
	}
}

func (s *Server) authenticatorLifecycle(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.authenticatorOr404Locked(w, segs[1])
	if a == nil {
		return
	}
	to := map[string]string{"activate": "ACTIVE", "deactivate": "INACTIVE"}[segs[3]]
	switch {
	case to == "":
		notFound(w, segs[3], "lifecycle operation")
		return
	case to == "INACTIVE" && a.Key == "okta_password":
		writeErr(w, http.StatusBadRequest, "E0000001", "Api validation failed: authenticator", "The Password authenticator cannot be deactivated.")
		return
	}
	if a.Status != to {
		a.Status, a.LastUpdated = to, time.Now().UTC()
		s.emitLocked(rc, "security.authenticator.lifecycle."+segs[3], map[string]string{"ACTIVE": "Activate", "INACTIVE": "Deactivate"}[to]+" authenticator", "INFO",
			[]LogTarget{authenticatorTarget(a)})
	}
	writeJSON(w, http.StatusOK, a.render(rc.base))
}
