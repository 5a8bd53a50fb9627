package sandbox

import (
	"net/http"
	"strings"
	"time"
)

// POST /api/v1/apps/{id}/users/{uid}: Okta's "Update an application user"
// (credentials, profile, and the assignment's scope: USER, or GROUP when the
// assignment is to come from a group). The user must be assigned to the app,
// directly or through a group; a group-only assignment becomes direct.
func (s *Server) updateAppUser(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	var in appUserIn
	if !readJSON(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, u, eff := s.appUserOr404(w, segs)
	if eff == nil {
		return
	}
	scope := strings.ToUpper(strings.TrimSpace(in.Scope))
	if scope != "" && scope != "USER" && scope != "GROUP" {
		validationErr(w, "scope: must be USER or GROUP")
		return
	}
	now := time.Now().UTC()
	au := a.Users[u.ID]
	if au == nil {
		cp := *eff
		au = &cp
		a.Users[u.ID] = au
	}
	if scope != "" {
		au.Scope = scope
	}
	if in.Credentials != nil && in.Credentials.UserName != "" {
		au.UserName = in.Credentials.UserName
	}
	if in.Profile != nil {
		if au.Profile == nil {
			au.Profile = map[string]any{}
		}
		for k, v := range in.Profile {
			au.Profile[k] = v
		}
	}
	au.LastUpdated = now
	writeJSON(w, http.StatusOK, au.render(rc.base, a.ID, u))
}
