package sandbox

import (
	"net/http"
	"regexp"
	"slices"
)

// Linked objects (issue 10 point 8): relationship definitions on the user
// schema and the links between users.
//
//	GET    /api/v1/meta/schemas/user/linkedObjects            listLinkedObjectDefinitions
//	POST   /api/v1/meta/schemas/user/linkedObjects            createLinkedObjectDefinition (201; names unique, type USER)
//	GET    /api/v1/meta/schemas/user/linkedObjects/{name}     getLinkedObjectDefinition (by its primary or associated name)
//	DELETE /api/v1/meta/schemas/user/linkedObjects/{name}     deleteLinkedObjectDefinition (204; its links go too)
//	PUT    /api/v1/users/{associated}/linkedObjects/{primaryName}/{primaryUser}   replaceLinkedObjectForUser (204)
//	GET    /api/v1/users/{id}/linkedObjects/{name}            listLinkedObjectsForUser (the primary, or the associated users)
//	DELETE /api/v1/users/{associated}/linkedObjects/{primaryName}               deleteLinkedObjectForUser (204)

type linkedDef struct {
	primary, associated map[string]any
	links               map[string]string // associated user id -> primary user id
}

var linkName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)

// matchLinkedObjects routes the definitions (segs "meta", …) and the user
// links (segs "users", …); ok is false for other paths.
func matchLinkedObjects(method string, segs []string) (route, bool) {
	nm := route{bucket: BucketOther, methodNotAllowed: true}
	switch {
	case segs[0] == "meta" && len(segs) >= 4 && segs[1] == "schemas" && segs[2] == "user" && segs[3] == "linkedObjects":
		switch {
		case len(segs) == 4 && method == http.MethodGet:
			return read(BucketOther, "okta.linkedObjects.read", (*Server).listLinkDefs), true
		case len(segs) == 4 && method == http.MethodPost:
			return read(BucketOther, "okta.linkedObjects.manage", (*Server).createLinkDef), true
		case len(segs) == 5 && method == http.MethodGet:
			return read(BucketOther, "okta.linkedObjects.read", (*Server).getLinkDef), true
		case len(segs) == 5 && method == http.MethodDelete:
			return read(BucketOther, "okta.linkedObjects.manage", (*Server).deleteLinkDef), true
		}
		return nm, true
	case segs[0] == "users" && len(segs) >= 4 && segs[2] == "linkedObjects":
		switch {
		case len(segs) == 5 && method == http.MethodPut:
			return read(BucketUserWrite, "okta.users.manage", (*Server).putUserLink), true
		case len(segs) == 4 && method == http.MethodGet:
			return read(BucketUser, "okta.users.read", (*Server).listUserLinks), true
		case len(segs) == 4 && method == http.MethodDelete:
			return read(BucketUserWrite, "okta.users.manage", (*Server).deleteUserLink), true
		}
		return route{bucket: BucketUserWrite, methodNotAllowed: true}, true
	}
	return route{}, false
}

func (d *linkedDef) render(base string) map[string]any {
	return map[string]any{"primary": cloneJSON(d.primary), "associated": cloneJSON(d.associated),
		"_links": map[string]any{"self": map[string]any{"href": base + "/api/v1/meta/schemas/user/linkedObjects/" + d.primary["name"].(string)}}}
}

// linkDefLocked finds a definition by its primary or associated name; primary says which.
func (s *Server) linkDefLocked(name string) (d *linkedDef, primary bool) {
	for _, d := range s.linkDefs {
		if d.primary["name"] == name {
			return d, true
		}
		if d.associated["name"] == name {
			return d, false
		}
	}
	return nil, false
}

func (s *Server) listLinkDefs(w http.ResponseWriter, _ *http.Request, rc *reqCtx, _ []string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []any{}
	for _, d := range s.linkDefs {
		out = append(out, d.render(rc.base))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) createLinkDef(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	var in struct {
		Primary, Associated map[string]any
	}
	if !readJSON(w, r, &in) {
		return
	}
	var causes []string
	for _, side := range []struct {
		key string
		m   map[string]any
	}{{"primary", in.Primary}, {"associated", in.Associated}} {
		if side.m == nil {
			causes = append(causes, side.key+": The field cannot be left blank")
			continue
		}
		if n, _ := side.m["name"].(string); !linkName.MatchString(n) {
			causes = append(causes, side.key+".name: must start with a letter and hold letters, digits and underscores (64 at most)")
		}
		if t, _ := side.m["title"].(string); t == "" {
			causes = append(causes, side.key+".title: The field cannot be left blank")
		}
		if side.m["type"] != "USER" {
			causes = append(causes, side.key+".type: must be USER")
		}
	}
	if len(causes) == 0 && in.Primary["name"] == in.Associated["name"] {
		causes = append(causes, "associated.name: must differ from primary.name")
	}
	if len(causes) > 0 {
		validationErr(w, causes...)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range []string{in.Primary["name"].(string), in.Associated["name"].(string)} {
		if d, _ := s.linkDefLocked(n); d != nil { // Okta's own example names one "manager", like the base attribute
			validationErr(w, "name: An object with this field already exists in the current organization: "+n)
			return
		}
	}
	d := &linkedDef{primary: in.Primary, associated: in.Associated, links: map[string]string{}}
	s.linkDefs = append(s.linkDefs, d)
	writeJSON(w, http.StatusCreated, d.render(rc.base))
}

func (s *Server) getLinkDef(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	d, _ := s.linkDefLocked(segs[4])
	if d == nil {
		notFound(w, segs[4], "LinkedObject")
		return
	}
	writeJSON(w, http.StatusOK, d.render(rc.base))
}

func (s *Server) deleteLinkDef(w http.ResponseWriter, _ *http.Request, _ *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, _ := s.linkDefLocked(segs[4])
	if d == nil {
		notFound(w, segs[4], "LinkedObject")
		return
	}
	s.linkDefs = slices.DeleteFunc(s.linkDefs, func(x *linkedDef) bool { return x == d })
	w.WriteHeader(http.StatusNoContent)
}

// primaryDefLocked finds the definition whose primary name is name, or
// answers 404.
func (s *Server) primaryDefLocked(w http.ResponseWriter, name string) *linkedDef {
	d, primary := s.linkDefLocked(name)
	if d == nil || !primary {
		notFound(w, name, "LinkedObject")
		return nil
	}
	return d
}

// PUT /users/{associated}/linkedObjects/{primaryName}/{primaryUser}
func (s *Server) putUserLink(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.userOr404(w, rc, segs[1])
	if a == nil {
		return
	}
	d := s.primaryDefLocked(w, segs[3])
	if d == nil {
		return
	}
	p := s.userOr404(w, rc, segs[4])
	if p == nil {
		return
	}
	if p.ID == a.ID {
		validationErr(w, "primaryUserId: a user cannot be linked to itself")
		return
	}
	d.links[a.ID] = p.ID
	w.WriteHeader(http.StatusNoContent)
}

// GET /users/{id}/linkedObjects/{name}: with the primary name, the user's
// primary (0 or 1); with the associated name, the users linked to it.
func (s *Server) listUserLinks(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u := s.userOr404(w, rc, segs[1])
	if u == nil {
		return
	}
	d, primary := s.linkDefLocked(segs[3])
	if d == nil {
		notFound(w, segs[3], "LinkedObject")
		return
	}
	link := func(id string) map[string]any {
		return map[string]any{"_links": map[string]any{"self": map[string]any{"href": rc.base + "/api/v1/users/" + id}}}
	}
	out := []any{}
	if primary {
		if pid, ok := d.links[u.ID]; ok {
			out = append(out, link(pid))
		}
	} else {
		for _, aid := range s.userIDs {
			if d.links[aid] == u.ID {
				out = append(out, link(aid))
			}
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// DELETE /users/{associated}/linkedObjects/{primaryName}
func (s *Server) deleteUserLink(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.userOr404(w, rc, segs[1])
	if a == nil {
		return
	}
	d := s.primaryDefLocked(w, segs[3])
	if d == nil {
		return
	}
	delete(d.links, a.ID)
	w.WriteHeader(http.StatusNoContent)
}
