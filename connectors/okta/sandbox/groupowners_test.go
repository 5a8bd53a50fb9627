package sandbox

import "testing"

// TestGroupOwnersOpenAPI: a user and a group become owners of a group,
// are listed (and searched) and removed, against Okta's OpenAPI spec; an
// unknown user is 404, a second assignment 400.
func TestGroupOwnersOpenAPI(t *testing.T) {
	s, api, chk := specServer(t)
	tok := DefaultAPIToken
	alice := userID(t, s, "alice.nguyen@example.com")
	var g, og map[string]any
	chk(call(t, "POST", api+"/groups", tok, map[string]any{"profile": map[string]any{"name": "Owned"}}), 200).json(t, &g)
	chk(call(t, "POST", api+"/groups", tok, map[string]any{"profile": map[string]any{"name": "Owners"}}), 200).json(t, &og)
	gid := g["id"].(string)
	var o map[string]any
	chk(call(t, "POST", api+"/groups/"+gid+"/owners", tok, map[string]any{"id": alice, "type": "USER"}), 201).json(t, &o)
	if o["id"] != alice || o["displayName"] != "alice.nguyen@example.com" || o["resolved"] != true {
		t.Fatalf("owner: %v", o)
	}
	chk(call(t, "POST", api+"/groups/"+gid+"/owners", tok, map[string]any{"id": og["id"], "type": "GROUP"}), 201)
	chk(call(t, "POST", api+"/groups/"+gid+"/owners", tok, map[string]any{"id": alice, "type": "USER"}), 400)
	chk(call(t, "POST", api+"/groups/"+gid+"/owners", tok, map[string]any{"id": "00unotthere000000000", "type": "USER"}), 404)
	var owners []map[string]any
	chk(call(t, "GET", api+"/groups/"+gid+"/owners", tok, nil), 200).json(t, &owners)
	if len(owners) != 2 {
		t.Fatalf("owners: %v", owners)
	}
	chk(call(t, "GET", api+"/groups/"+gid+"/owners?search=owners", tok, nil), 200).json(t, &owners)
	if len(owners) != 1 || owners[0]["type"] != "GROUP" {
		t.Fatalf("searched owners: %v", owners)
	}
	chk(call(t, "DELETE", api+"/groups/"+gid+"/owners/"+alice, tok, nil), 204)
	chk(call(t, "DELETE", api+"/groups/"+gid+"/owners/"+alice, tok, nil), 404)
}
