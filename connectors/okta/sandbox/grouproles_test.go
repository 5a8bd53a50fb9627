package sandbox

import "testing"

// TestGroupRolesOpenAPI: assign, list, read and unassign a group's admin
// role against Okta's OpenAPI spec; a duplicate is 409, an unknown type
// 400; grant and revoke write their System Log events.
func TestGroupRolesOpenAPI(t *testing.T) {
	s, api, chk := specServer(t)
	tok := DefaultAPIToken
	var g map[string]any
	chk(call(t, "POST", api+"/groups", tok, map[string]any{"profile": map[string]any{"name": "Help desk"}}), 200).json(t, &g)
	gid := g["id"].(string)
	var roles []map[string]any
	chk(call(t, "GET", api+"/groups/"+gid+"/roles", tok, nil), 200).json(t, &roles)
	if len(roles) != 0 {
		t.Fatalf("new group roles: %v", roles)
	}
	var ra map[string]any
	chk(call(t, "POST", api+"/groups/"+gid+"/roles", tok, map[string]any{"type": "HELP_DESK_ADMIN"}), 201).json(t, &ra)
	rid, _ := ra["id"].(string)
	if ra["assignmentType"] != "GROUP" || ra["label"] != "Help Desk Administrator" {
		t.Fatalf("assigned role: %v", ra)
	}
	chk(call(t, "POST", api+"/groups/"+gid+"/roles", tok, map[string]any{"type": "HELP_DESK_ADMIN"}), 409)
	call(t, "POST", api+"/groups/"+gid+"/roles", tok, map[string]any{"type": "CHIEF"}).want(t, 400)
	chk(call(t, "GET", api+"/groups/"+gid+"/roles", tok, nil), 200).json(t, &roles)
	if len(roles) != 1 || roles[0]["id"] != rid {
		t.Fatalf("group roles: %v", roles)
	}
	chk(call(t, "GET", api+"/groups/"+gid+"/roles/"+rid, tok, nil), 200)
	chk(call(t, "GET", api+"/groups/00gnotthere000000000/roles", tok, nil), 404)
	chk(call(t, "DELETE", api+"/groups/"+gid+"/roles/"+rid, tok, nil), 204)
	chk(call(t, "GET", api+"/groups/"+gid+"/roles/"+rid, tok, nil), 404)
	for _, ev := range []string{"group.privilege.grant", "group.privilege.revoke"} {
		if !hasEvent(s, ev, gid) {
			t.Errorf("no %s event", ev)
		}
	}
}
