package sandbox

import (
	"net/http"
	"strings"
	"time"
)

func (s *Server) insertGroupLocked(g *group) {
	s.groups[g.ID] = g
	s.groupIDs = sortedInsert(s.groupIDs, g.ID)
}

func (s *Server) groupByNameLocked(name string) *group {
	for _, g := range s.groups {
		if strings.EqualFold(g.Name, name) {
			return g
		}
	}
	return nil
}

func (s *Server) addMemberLocked(rc *reqCtx, g *group, u *user, now time.Time) bool {
	if g.Members[u.ID] {
		return false
	}
	g.Members[u.ID] = true
	u.Groups[g.ID] = true
	g.LastMembershipUpdated = now
	if rc != nil {
		s.emitLocked(rc, "group.user_membership.add", "Add user to group membership", "INFO", []LogTarget{userTarget(u), groupTarget(g)})
	}
	return true
}

// GET /api/v1/groups
func (s *Server) listGroups(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	q := r.URL.Query()
	kw := strings.ToLower(strings.TrimSpace(q.Get("q")))
	def := 10000
	if kw != "" {
		def = 10
	}
	limit, ok := parseLimit(w, q, def, 10000)
	if !ok {
		return
	}
	lq, ok := parseListQuery(w, q)
	if !ok {
		return
	}
	s.mu.RLock()
	ids, next := paginate(s.groupIDs, q.Get("after"), limit, func(id string) bool {
		g := s.groups[id]
		if kw != "" && !strings.HasPrefix(strings.ToLower(g.Name), kw) {
			return false
		}
		return lq.matches(g.field)
	})
	out := make([]*groupJSON, len(ids))
	for i, id := range ids {
		out[i] = s.groups[id].render(rc.base)
	}
	b := marshal(out)
	s.mu.RUnlock()
	setPageLinks(w, r, rc, next, limit)
	writeRaw(w, http.StatusOK, b)
}

type groupIn struct {
	Profile *groupProfileIn `json:"profile"`
}

// groupProfileIn is a group profile: name, description and any custom
// attributes (Okta's GroupProfile is extensible).
type groupProfileIn struct {
	Name        string
	Description string
	Extra       map[string]any
}

func (p *groupProfileIn) UnmarshalJSON(b []byte) error {
	var m map[string]any
	if err := jsonUnmarshal(b, &m); err != nil {
		return err
	}
	p.Name, _ = m["name"].(string)
	p.Description, _ = m["description"].(string)
	delete(m, "name")
	delete(m, "description")
	for k, v := range m {
		if v == nil {
			delete(m, k)
		}
	}
	if len(m) > 0 {
		p.Extra = m
	}
	return nil
}

// POST /api/v1/groups
func (s *Server) createGroup(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	var in groupIn
	if !readJSON(w, r, &in) {
		return
	}
	if in.Profile == nil || strings.TrimSpace(in.Profile.Name) == "" {
		validationErr(w, "name: The field cannot be left blank")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.groupByNameLocked(in.Profile.Name) != nil {
		validationErr(w, "name: An object with this field already exists in the current organization")
		return
	}
	now := time.Now().UTC()
	g := &group{ID: s.ids.next("00g"), Created: now, LastUpdated: now, LastMembershipUpdated: now,
		Type: "OKTA_GROUP", Name: in.Profile.Name, Description: in.Profile.Description, Extra: in.Profile.Extra, Members: map[string]bool{}}
	s.insertGroupLocked(g)
	s.emitLocked(rc, "group.lifecycle.create", "Create okta group", "INFO", []LogTarget{groupTarget(g)})
	writeJSON(w, http.StatusOK, g.render(rc.base))
}

// GET /api/v1/groups/{id}
func (s *Server) getGroup(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.RLock()
	g := s.groupOr404(w, segs[1])
	if g == nil {
		s.mu.RUnlock()
		return
	}
	b := marshal(g.render(rc.base))
	s.mu.RUnlock()
	writeRaw(w, http.StatusOK, b)
}

// PUT /api/v1/groups/{id}
func (s *Server) replaceGroup(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	var in groupIn
	if !readJSON(w, r, &in) {
		return
	}
	if in.Profile == nil || strings.TrimSpace(in.Profile.Name) == "" {
		validationErr(w, "name: The field cannot be left blank")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groupOr404(w, segs[1])
	if g == nil {
		return
	}
	if o := s.groupByNameLocked(in.Profile.Name); o != nil && o != g {
		validationErr(w, "name: An object with this field already exists in the current organization")
		return
	}
	if g.Type != "OKTA_GROUP" {
		writeErr(w, http.StatusBadRequest, "E0000060", "Unsupported operation.", "Cannot modify the profile of a group of type "+g.Type)
		return
	}
	// PUT replaces the whole profile, custom attributes included
	g.Name, g.Description, g.Extra, g.LastUpdated = in.Profile.Name, in.Profile.Description, in.Profile.Extra, time.Now().UTC()
	s.emitLocked(rc, "group.profile.update", "Update group profile", "INFO", []LogTarget{groupTarget(g)})
	writeJSON(w, http.StatusOK, g.render(rc.base))
}

// DELETE /api/v1/groups/{id}
func (s *Server) deleteGroup(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groupOr404(w, segs[1])
	if g == nil {
		return
	}
	for uid := range g.Members {
		if u := s.users[uid]; u != nil {
			delete(u.Groups, g.ID)
		}
	}
	for _, a := range s.apps {
		delete(a.Groups, g.ID)
	}
	delete(s.groups, g.ID)
	s.groupIDs = sortedRemove(s.groupIDs, g.ID)
	s.emitLocked(rc, "group.lifecycle.delete", "Delete okta group", "INFO", []LogTarget{groupTarget(g)})
	w.WriteHeader(http.StatusNoContent)
}

// GET /api/v1/groups/{id}/users
func (s *Server) listGroupUsers(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	q := r.URL.Query()
	limit, ok := parseLimit(w, q, 1000, 1000)
	if !ok {
		return
	}
	s.mu.RLock()
	g := s.groupOr404(w, segs[1])
	if g == nil {
		s.mu.RUnlock()
		return
	}
	ids, next := paginate(s.userIDs, q.Get("after"), limit, func(id string) bool { return g.Members[id] })
	out := make([]*userJSON, len(ids))
	for i, id := range ids {
		out[i] = s.users[id].render(rc.base, false)
	}
	b := marshal(out)
	s.mu.RUnlock()
	setPageLinks(w, r, rc, next, limit)
	writeRaw(w, http.StatusOK, b)
}

// PUT /api/v1/groups/{gid}/users/{uid}
func (s *Server) addGroupUser(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groupOr404(w, segs[1])
	if g == nil {
		return
	}
	u := s.users[segs[3]]
	if u == nil {
		notFound(w, segs[3], "User")
		return
	}
	s.addMemberLocked(rc, g, u, time.Now().UTC())
	w.WriteHeader(http.StatusNoContent)
}

// DELETE /api/v1/groups/{gid}/users/{uid}
func (s *Server) removeGroupUser(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groupOr404(w, segs[1])
	if g == nil {
		return
	}
	u := s.users[segs[3]]
	if u == nil {
		notFound(w, segs[3], "User")
		return
	}
	if g.Members[u.ID] {
		delete(g.Members, u.ID)
		delete(u.Groups, g.ID)
		g.LastMembershipUpdated = time.Now().UTC()
		s.emitLocked(rc, "group.user_membership.remove", "Remove user from group membership", "INFO", []LogTarget{userTarget(u), groupTarget(g)})
	}
	w.WriteHeader(http.StatusNoContent)
}
