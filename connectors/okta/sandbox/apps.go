package sandbox

import (
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
)

func (s *Server) insertAppLocked(a *app) {
	s.apps[a.ID] = a
	s.appIDs = sortedInsert(s.appIDs, a.ID)
}

func (s *Server) appHasUserLocked(a *app, u *user) bool {
	if a.Users[u.ID] != nil {
		return true
	}
	for gid := range a.Groups {
		if u.Groups[gid] {
			return true
		}
	}
	return false
}

// effectiveAppUserLocked returns the direct assignment, or a GROUP-scoped
// one derived from an assigned group.
func (s *Server) effectiveAppUserLocked(a *app, u *user) *appUser {
	if au := a.Users[u.ID]; au != nil {
		return au
	}
	var best *appGroup
	for gid, ag := range a.Groups {
		if u.Groups[gid] && (best == nil || ag.Priority < best.Priority) {
			best = ag
		}
	}
	if best == nil {
		return nil
	}
	return &appUser{UserID: u.ID, Scope: "GROUP", Created: best.LastUpdated, LastUpdated: best.LastUpdated,
		StatusChanged: best.LastUpdated, UserName: u.login()}
}

func (s *Server) appField(a *app) resolver {
	return func(path string) (any, bool) {
		switch path {
		case "user.id":
			var ids []any
			for _, uid := range s.userIDs {
				if s.appHasUserLocked(a, s.users[uid]) {
					ids = append(ids, uid)
				}
			}
			return ids, true
		case "group.id":
			ids := make([]any, 0, len(a.Groups))
			for gid := range a.Groups {
				ids = append(ids, gid)
			}
			return ids, true
		}
		return a.field(path)
	}
}

// GET /api/v1/apps
func (s *Server) listApps(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	q := r.URL.Query()
	limit, ok := parseLimit(w, q, 20, 200)
	if !ok {
		return
	}
	filter, ok := parseQueryExpr(w, "filter", q.Get("filter"), false)
	if !ok {
		return
	}
	kw := strings.ToLower(strings.TrimSpace(q.Get("q")))
	s.mu.RLock()
	ids, next := paginate(s.appIDs, q.Get("after"), limit, func(id string) bool {
		a := s.apps[id]
		if kw != "" && !strings.HasPrefix(strings.ToLower(a.Label), kw) && !strings.HasPrefix(strings.ToLower(a.Name), kw) {
			return false
		}
		return filter == nil || filter.eval(s.appField(a))
	})
	out := make([]map[string]any, len(ids))
	for i, id := range ids {
		out[i] = s.apps[id].render(rc.base)
	}
	b := marshal(out)
	s.mu.RUnlock()
	setPageLinks(w, r, rc, next, limit)
	writeRaw(w, http.StatusOK, b)
}

// GET /api/v1/apps/{id}
func (s *Server) getApp(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.RLock()
	a := s.appOr404(w, segs[1])
	if a == nil {
		s.mu.RUnlock()
		return
	}
	b := marshal(a.render(rc.base))
	s.mu.RUnlock()
	writeRaw(w, http.StatusOK, b)
}

// GET /api/v1/apps/{id}/users
func (s *Server) listAppUsers(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	q := r.URL.Query()
	limit, ok := parseLimit(w, q, 50, 500)
	if !ok {
		return
	}
	kw := strings.ToLower(strings.TrimSpace(q.Get("q")))
	s.mu.RLock()
	a := s.appOr404(w, segs[1])
	if a == nil {
		s.mu.RUnlock()
		return
	}
	ids, next := paginate(s.userIDs, q.Get("after"), limit, func(id string) bool {
		u := s.users[id]
		if !s.appHasUserLocked(a, u) {
			return false
		}
		if kw != "" {
			for _, k := range [...]string{"login", "firstName", "lastName", "email"} {
				if v, _ := u.Profile[k].(string); strings.HasPrefix(strings.ToLower(v), kw) {
					return true
				}
			}
			return false
		}
		return true
	})
	out := make([]map[string]any, len(ids))
	for i, id := range ids {
		u := s.users[id]
		out[i] = s.effectiveAppUserLocked(a, u).render(rc.base, a.ID, u)
	}
	b := marshal(out)
	s.mu.RUnlock()
	setPageLinks(w, r, rc, next, limit)
	writeRaw(w, http.StatusOK, b)
}

// GET /api/v1/apps/{id}/users/{uid}
func (s *Server) getAppUser(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if a, u, au := s.appUserOr404(w, segs); au != nil {
		writeJSON(w, http.StatusOK, au.render(rc.base, a.ID, u))
	}
}

// appUserOr404 finds app segs[1] and user segs[3]'s assignment to it, direct or through a
// group, under s.mu; a missing app or assignment answers 404 and returns a nil appUser.
func (s *Server) appUserOr404(w http.ResponseWriter, segs []string) (*app, *user, *appUser) {
	a := s.appOr404(w, segs[1])
	if a == nil {
		return nil, nil, nil
	}
	u := s.users[segs[3]]
	var au *appUser
	if u != nil {
		au = s.effectiveAppUserLocked(a, u)
	}
	if au == nil {
		notFound(w, segs[3], "AppUser")
	}
	return a, u, au
}

type appUserIn struct {
	ID          string `json:"id"`
	Scope       string `json:"scope"`
	Credentials *struct {
		UserName string `json:"userName"`
	} `json:"credentials"`
	Profile map[string]any `json:"profile"`
}

// POST /api/v1/apps/{id}/users
func (s *Server) assignAppUser(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	var in appUserIn
	if !readJSON(w, r, &in) {
		return
	}
	if in.ID == "" {
		validationErr(w, "id: The field cannot be left blank")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.appOr404(w, segs[1])
	if a == nil {
		return
	}
	u := s.users[in.ID]
	if u == nil {
		notFound(w, in.ID, "User")
		return
	}
	now := time.Now().UTC()
	au := a.Users[u.ID]
	isNew := au == nil
	if isNew {
		au = &appUser{UserID: u.ID, Scope: "USER", Created: now, StatusChanged: now, UserName: u.login()}
		a.Users[u.ID] = au
	}
	au.LastUpdated = now
	if in.Credentials != nil && in.Credentials.UserName != "" {
		au.UserName = in.Credentials.UserName
	}
	if in.Profile != nil {
		au.Profile = in.Profile
	}
	if isNew {
		s.emitLocked(rc, "application.user_membership.add", "Add user to application membership", "INFO",
			[]LogTarget{{ID: "0ua" + u.ID[3:], Type: "AppUser", AlternateID: au.UserName, DisplayName: u.displayName()}, userTarget(u), appTarget(a)})
	}
	writeJSON(w, http.StatusOK, au.render(rc.base, a.ID, u))
}

// DELETE /api/v1/apps/{id}/users/{uid}
func (s *Server) unassignAppUser(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.appOr404(w, segs[1])
	if a == nil {
		return
	}
	au := a.Users[segs[3]]
	if au == nil {
		notFound(w, segs[3], "AppUser")
		return
	}
	delete(a.Users, au.UserID)
	tgt := []LogTarget{{ID: "0ua" + au.UserID[3:], Type: "AppUser", AlternateID: au.UserName, DisplayName: au.UserName}}
	if u := s.users[au.UserID]; u != nil {
		tgt = append(tgt, userTarget(u))
	}
	tgt = append(tgt, appTarget(a))
	s.emitLocked(rc, "application.user_membership.remove", "Remove user from application membership", "INFO", tgt)
	w.WriteHeader(http.StatusNoContent)
}

// GET /api/v1/apps/{id}/groups
func (s *Server) listAppGroups(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	q := r.URL.Query()
	limit, ok := parseLimit(w, q, 20, 200)
	if !ok {
		return
	}
	s.mu.RLock()
	a := s.appOr404(w, segs[1])
	if a == nil {
		s.mu.RUnlock()
		return
	}
	gids := make([]string, 0, len(a.Groups))
	for gid := range a.Groups {
		gids = append(gids, gid)
	}
	sort.Strings(gids)
	ids, next := paginate(gids, q.Get("after"), limit, nil)
	out := make([]map[string]any, len(ids))
	for i, id := range ids {
		out[i] = a.Groups[id].render(rc.base, a.ID)
	}
	b := marshal(out)
	s.mu.RUnlock()
	setPageLinks(w, r, rc, next, limit)
	writeRaw(w, http.StatusOK, b)
}

// GET /api/v1/apps/{id}/groups/{gid}
func (s *Server) getAppGroup(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a := s.appOr404(w, segs[1])
	if a == nil {
		return
	}
	ag := a.Groups[segs[3]]
	if ag == nil {
		notFound(w, segs[3], "ApplicationGroupAssignment")
		return
	}
	writeJSON(w, http.StatusOK, ag.render(rc.base, a.ID))
}

// PUT /api/v1/apps/{id}/groups/{gid}
func (s *Server) assignAppGroup(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	var in struct {
		Priority *int           `json:"priority"`
		Profile  map[string]any `json:"profile"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := jsonUnmarshal(body, &in); err != nil {
			writeErr(w, http.StatusBadRequest, "E0000003", "The request body was not well-formed.")
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.appOr404(w, segs[1])
	if a == nil {
		return
	}
	g := s.groups[segs[3]]
	if g == nil {
		notFound(w, segs[3], "UserGroup")
		return
	}
	now := time.Now().UTC()
	ag := a.Groups[g.ID]
	isNew := ag == nil
	if isNew {
		ag = &appGroup{GroupID: g.ID, Priority: len(a.Groups)}
		a.Groups[g.ID] = ag
	}
	ag.LastUpdated = now
	if in.Priority != nil {
		ag.Priority = *in.Priority
	}
	if in.Profile != nil {
		ag.Profile = in.Profile
	}
	if isNew {
		s.emitLocked(rc, "group.application_assignment.add", "Add assigned application to group", "INFO", []LogTarget{groupTarget(g), appTarget(a)})
	}
	writeJSON(w, http.StatusOK, ag.render(rc.base, a.ID))
}

// DELETE /api/v1/apps/{id}/groups/{gid}
func (s *Server) unassignAppGroup(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.appOr404(w, segs[1])
	if a == nil {
		return
	}
	if a.Groups[segs[3]] == nil {
		notFound(w, segs[3], "ApplicationGroupAssignment")
		return
	}
	delete(a.Groups, segs[3])
	tgt := []LogTarget{appTarget(a)}
	if g := s.groups[segs[3]]; g != nil {
		tgt = append([]LogTarget{groupTarget(g)}, tgt...)
	}
	s.emitLocked(rc, "group.application_assignment.remove", "Remove assigned application from group", "INFO", tgt)
	w.WriteHeader(http.StatusNoContent)
}

// GET /api/v1/org
func (s *Server) getOrg(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	self := rc.base + "/api/v1/org"
	s.mu.RLock()
	company, sub := s.cfg.CompanyName, s.cfg.Subdomain
	s.mu.RUnlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"id":                    s.orgID,
		"companyName":           company,
		"subdomain":             sub,
		"status":                "ACTIVE",
		"created":               fmtTime(s.orgCreated),
		"lastUpdated":           fmtTime(s.orgCreated),
		"website":               "https://example.com",
		"phoneNumber":           "+1-555-0100",
		"endUserSupportHelpURL": "https://example.com/help",
		"supportPhoneNumber":    "+1-555-0101",
		"address1":              "100 First St",
		"address2":              "",
		"city":                  "San Francisco",
		"state":                 "CA",
		"country":               "United States",
		"postalCode":            "94105",
		"_links": map[string]any{
			"self":              hrefObj{Href: self},
			"contacts":          hrefObj{Href: self + "/contacts"},
			"logo":              hrefObj{Href: "https://ok12static.oktacdn.com/assets/img/logos/okta-logo.png"},
			"oktaCommunication": hrefObj{Href: self + "/privacy/oktaCommunication"},
			"oktaSupport":       hrefObj{Href: self + "/privacy/oktaSupport"},
			"preferences":       hrefObj{Href: self + "/preferences"},
			"uploadLogo":        hrefObj{Href: self + "/logo", Method: "POST"},
		},
	})
}
