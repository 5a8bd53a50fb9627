package sandbox

import "testing"

// TestUserTypesOpenAPI: a custom user type created, listed beside the
// default, updated, replaced and deleted, against Okta's OpenAPI spec; the
// name is unique and immutable, the default type stays.
func TestUserTypesOpenAPI(t *testing.T) {
	_, api, chk := specServer(t)
	tok := DefaultAPIToken
	var ut map[string]any
	chk(call(t, "POST", api+"/meta/types/user", tok, map[string]any{"name": "contractor", "displayName": "Contractor", "description": "External staff"}), 200).json(t, &ut)
	id := ut["id"].(string)
	if ut["default"] != false || ut["name"] != "contractor" {
		t.Fatalf("created: %v", ut)
	}
	chk(call(t, "POST", api+"/meta/types/user", tok, map[string]any{"name": "contractor", "displayName": "Again"}), 400)
	var list []map[string]any
	chk(call(t, "GET", api+"/meta/types/user", tok, nil), 200).json(t, &list)
	if len(list) != 2 || list[0]["default"] != true {
		t.Fatalf("types: %v", list)
	}
	chk(call(t, "POST", api+"/meta/types/user/"+id, tok, map[string]any{"displayName": "Contractor (EU)"}), 200).json(t, &ut)
	if ut["displayName"] != "Contractor (EU)" || ut["description"] != "External staff" {
		t.Fatalf("partial update: %v", ut)
	}
	chk(call(t, "PUT", api+"/meta/types/user/"+id, tok, map[string]any{"name": "contractor", "displayName": "Contractor", "description": "Staff of suppliers"}), 200).json(t, &ut)
	if ut["description"] != "Staff of suppliers" || ut["displayName"] != "Contractor" {
		t.Fatalf("replace: %v", ut)
	}
	call(t, "PUT", api+"/meta/types/user/"+id, tok, map[string]any{"name": "contractor", "displayName": "Contractor"}).want(t, 400) // no description
	chk(call(t, "PUT", api+"/meta/types/user/"+id, tok, map[string]any{"name": "vendor", "displayName": "Vendor", "description": ""}), 400)
	chk(call(t, "GET", api+"/meta/types/user/"+id, tok, nil), 200)
	chk(call(t, "DELETE", api+"/meta/types/user/"+id, tok, nil), 204)
	chk(call(t, "GET", api+"/meta/types/user/"+id, tok, nil), 404)
	call(t, "DELETE", api+"/meta/types/user/default", tok, nil).want(t, 400)
	chk(call(t, "GET", api+"/meta/types/user/default", tok, nil), 200)
}
