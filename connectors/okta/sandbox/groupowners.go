package sandbox

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Group owners (issue 10 point 8; templates assign them through Custom API
// Action):
//
//	GET    /api/v1/groups/{id}/owners[?search=&after=&limit=]   listGroupOwners
//	POST   /api/v1/groups/{id}/owners                           assignGroupOwner (201; the user or group must exist)
//	DELETE /api/v1/groups/{id}/owners/{ownerId}                 deleteGroupOwner (204)

type groupOwner struct {
	ID, Type, DisplayName string
	LastUpdated           time.Time
}

// ownerTime is the owners API's lastUpdated form ("Wed Jan 03 12:00:00 UTC 2024").
const ownerTime = "Mon Jan 02 15:04:05 MST 2006"

func (o *groupOwner) render() map[string]any {
	return map[string]any{"id": o.ID, "type": o.Type, "displayName": o.DisplayName, "originType": "OKTA_DIRECTORY",
		"resolved": true, "lastUpdated": o.LastUpdated.UTC().Format(ownerTime)}
}

// matchGroupOwners routes /groups/{id}/owners…; ok is false for other paths.
func matchGroupOwners(method string, segs []string) (route, bool) {
	if len(segs) < 3 || segs[2] != "owners" || len(segs) > 4 {
		return route{}, false
	}
	switch {
	case len(segs) == 3 && method == http.MethodGet:
		return read(BucketGroup, "okta.groups.read", (*Server).listGroupOwners), true
	case len(segs) == 3 && method == http.MethodPost:
		return read(BucketGroup, "okta.groups.manage", (*Server).assignGroupOwner), true
	case len(segs) == 4 && method == http.MethodDelete:
		return read(BucketGroup, "okta.groups.manage", (*Server).deleteGroupOwner), true
	}
	return route{bucket: BucketGroup, methodNotAllowed: true}, true
}

func (s *Server) withGroupOwners(w http.ResponseWriter, segs []string, fn func(g *group, owners *[]*groupOwner)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groupOr404(w, segs[1])
	if g == nil {
		return
	}
	if s.groupOwners == nil {
		s.groupOwners = map[string][]*groupOwner{}
	}
	owners := s.groupOwners[g.ID]
	fn(g, &owners)
	s.groupOwners[g.ID] = owners
}

func (s *Server) listGroupOwners(w http.ResponseWriter, r *http.Request, _ *reqCtx, segs []string) {
	q := r.URL.Query()
	limit, ok := parseLimit(w, q, 1000, 1000)
	if !ok {
		return
	}
	search := strings.ToLower(strings.TrimSpace(q.Get("search")))
	s.withGroupOwners(w, segs, func(_ *group, owners *[]*groupOwner) {
		out := []any{}
		for _, o := range *owners {
			if len(out) < limit && (search == "" || strings.Contains(strings.ToLower(o.DisplayName), search)) {
				out = append(out, o.render())
			}
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func (s *Server) assignGroupOwner(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	var in struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if in.ID == "" {
		validationErr(w, "id: The field cannot be left blank")
		return
	}
	if in.Type != "USER" && in.Type != "GROUP" {
		validationErr(w, "type: must be USER or GROUP")
		return
	}
	s.withGroupOwners(w, segs, func(g *group, owners *[]*groupOwner) {
		name := ""
		if in.Type == "USER" {
			u := s.findUserLocked(rc, in.ID)
			if u == nil {
				notFound(w, in.ID, "User")
				return
			}
			in.ID, name = u.ID, u.login()
		} else {
			og := s.groups[in.ID]
			if og == nil {
				notFound(w, in.ID, "UserGroup")
				return
			}
			name = og.Name
		}
		if slices.ContainsFunc(*owners, func(o *groupOwner) bool { return o.ID == in.ID }) {
			validationErr(w, "id: "+in.ID+" already owns the group")
			return
		}
		o := &groupOwner{ID: in.ID, Type: in.Type, DisplayName: name, LastUpdated: time.Now()}
		*owners = append(*owners, o)
		writeJSON(w, http.StatusCreated, o.render())
	})
}

func (s *Server) deleteGroupOwner(w http.ResponseWriter, _ *http.Request, _ *reqCtx, segs []string) {
	s.withGroupOwners(w, segs, func(_ *group, owners *[]*groupOwner) {
		if i := indexOr404(w, *owners, segs[3], "GroupOwner", func(o *groupOwner) string { return o.ID }); i >= 0 {
			*owners = slices.Delete(*owners, i, i+1)
			w.WriteHeader(http.StatusNoContent)
		}
	})
}
