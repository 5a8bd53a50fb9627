package sandbox

import (
	"net/http"
	"slices"
	"time"
)

// Admin roles of groups (issue 10 point 8: roles for users and groups):
//
//	GET    /api/v1/groups/{id}/roles            listGroupAssignedRoles
//	POST   /api/v1/groups/{id}/roles            assignRoleToGroup (201; 409 E0000090 when already assigned)
//	GET    /api/v1/groups/{id}/roles/{roleId}   getGroupAssignedRole
//	DELETE /api/v1/groups/{id}/roles/{roleId}   unassignRoleFromGroup (204)
//
// Changes write group.privilege.grant / revoke System Log events (the Group
// Privilege Granted / Revoked event cards).

// matchGroupRoles routes /groups/{id}/roles…; ok is false for other paths.
func matchGroupRoles(method string, segs []string) (route, bool) {
	if len(segs) < 3 || segs[2] != "roles" || len(segs) > 4 {
		return route{}, false
	}
	switch {
	case len(segs) == 3 && method == http.MethodGet:
		return read(BucketGroup, "okta.roles.read", (*Server).listGroupRoles), true
	case len(segs) == 3 && method == http.MethodPost:
		return read(BucketGroup, "okta.roles.manage", (*Server).assignGroupRole), true
	case len(segs) == 4 && method == http.MethodGet:
		return read(BucketGroup, "okta.roles.read", (*Server).getGroupRole), true
	case len(segs) == 4 && method == http.MethodDelete:
		return read(BucketGroup, "okta.roles.manage", (*Server).unassignGroupRole), true
	}
	return route{bucket: BucketGroup, methodNotAllowed: true}, true
}

func renderGroupRole(ra *roleAssignment, base, groupID string) map[string]any {
	return map[string]any{"id": ra.ID, "label": roleLabels[ra.Type], "type": ra.Type, "status": "ACTIVE",
		"created": fmtTime(ra.Created), "lastUpdated": fmtTime(ra.LastUpdated), "assignmentType": "GROUP",
		"_links": map[string]any{"assignee": map[string]any{"href": base + "/api/v1/groups/" + groupID}}}
}

// withGroupRoles runs fn under s.mu with the group named by segs[1]; a
// missing group answers 404 and fn does not run.
func (s *Server) withGroupRoles(w http.ResponseWriter, segs []string, fn func(g *group, roles *[]*roleAssignment)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groupOr404(w, segs[1])
	if g == nil {
		return
	}
	if s.groupRoles == nil {
		s.groupRoles = map[string][]*roleAssignment{}
	}
	roles := s.groupRoles[g.ID]
	fn(g, &roles)
	s.groupRoles[g.ID] = roles
}

func (s *Server) listGroupRoles(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.withGroupRoles(w, segs, func(g *group, roles *[]*roleAssignment) {
		out := []any{}
		for _, ra := range *roles {
			out = append(out, renderGroupRole(ra, rc.base, g.ID))
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func (s *Server) getGroupRole(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.withGroupRoles(w, segs, func(g *group, roles *[]*roleAssignment) {
		if i := indexOr404(w, *roles, segs[3], "Role", func(ra *roleAssignment) string { return ra.ID }); i >= 0 {
			writeJSON(w, http.StatusOK, renderGroupRole((*roles)[i], rc.base, g.ID))
		}
	})
}

func (s *Server) assignGroupRole(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	var in struct {
		Type string `json:"type"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if _, ok := roleLabels[in.Type]; !ok {
		validationErr(w, "type: Invalid role type "+quote(in.Type))
		return
	}
	if _, ok := boolParam(w, r.URL.Query(), "disableNotifications", false); !ok {
		return
	}
	s.withGroupRoles(w, segs, func(g *group, roles *[]*roleAssignment) {
		for _, ra := range *roles {
			if ra.Type == in.Type {
				writeErr(w, http.StatusConflict, "E0000090", "Duplicate role assignment exception.",
					"The role specified is already assigned to the group.")
				return
			}
		}
		now := time.Now().UTC()
		ra := &roleAssignment{ID: s.ids.next("gra"), Type: in.Type, Created: now, LastUpdated: now}
		*roles = append(*roles, ra)
		s.emitLocked(rc, "group.privilege.grant", "Grant group privilege", "INFO", []LogTarget{groupTarget(g)})
		writeJSON(w, http.StatusCreated, renderGroupRole(ra, rc.base, g.ID))
	})
}

func (s *Server) unassignGroupRole(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.withGroupRoles(w, segs, func(g *group, roles *[]*roleAssignment) {
		if i := indexOr404(w, *roles, segs[3], "Role", func(ra *roleAssignment) string { return ra.ID }); i >= 0 {
			*roles = slices.Delete(*roles, i, i+1)
			s.emitLocked(rc, "group.privilege.revoke", "Revoke group privilege", "INFO", []LogTarget{groupTarget(g)})
			w.WriteHeader(http.StatusNoContent)
		}
	})
}
