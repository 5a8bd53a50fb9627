package sandbox

import (
	"strings"
	"testing"
)

// TestLinkedObjectsOpenAPI: a manager/subordinate definition, links set,
// listed from both sides, replaced and removed, against Okta's OpenAPI
// spec; duplicate names and unknown relationships are refused.
func TestLinkedObjectsOpenAPI(t *testing.T) {
	s, api, chk := specServer(t)
	tok := DefaultAPIToken
	alice := userID(t, s, "alice.nguyen@example.com")
	bob := userID(t, s, "bob.martinez@example.com")
	def := map[string]any{"primary": map[string]any{"name": "manager", "title": "Manager", "type": "USER"},
		"associated": map[string]any{"name": "subordinate", "title": "Subordinate", "type": "USER"}}
	chk(call(t, "POST", api+"/meta/schemas/user/linkedObjects", tok, def), 201)
	chk(call(t, "POST", api+"/meta/schemas/user/linkedObjects", tok, def), 400)
	var defs []map[string]any
	chk(call(t, "GET", api+"/meta/schemas/user/linkedObjects", tok, nil), 200).json(t, &defs)
	if len(defs) != 1 {
		t.Fatalf("definitions: %v", defs)
	}
	chk(call(t, "GET", api+"/meta/schemas/user/linkedObjects/subordinate", tok, nil), 200)
	chk(call(t, "GET", api+"/meta/schemas/user/default", tok, nil), 200) // the user schema is still served

	chk(call(t, "PUT", api+"/users/"+bob+"/linkedObjects/manager/"+alice, tok, nil), 204)
	var links []map[string]any
	chk(call(t, "GET", api+"/users/"+bob+"/linkedObjects/manager", tok, nil), 200).json(t, &links)
	if len(links) != 1 || !strings.HasSuffix(links[0]["_links"].(map[string]any)["self"].(map[string]any)["href"].(string), "/users/"+alice) {
		t.Fatalf("bob's manager: %v", links)
	}
	chk(call(t, "GET", api+"/users/"+alice+"/linkedObjects/subordinate", tok, nil), 200).json(t, &links)
	if len(links) != 1 || !strings.HasSuffix(links[0]["_links"].(map[string]any)["self"].(map[string]any)["href"].(string), "/users/"+bob) {
		t.Fatalf("alice's subordinates: %v", links)
	}
	call(t, "PUT", api+"/users/"+bob+"/linkedObjects/subordinate/"+alice, tok, nil).want(t, 404) // only the primary name links
	call(t, "GET", api+"/users/"+bob+"/linkedObjects/mentor", tok, nil).want(t, 404)
	chk(call(t, "DELETE", api+"/users/"+bob+"/linkedObjects/manager", tok, nil), 204)
	chk(call(t, "GET", api+"/users/"+alice+"/linkedObjects/subordinate", tok, nil), 200).json(t, &links)
	if len(links) != 0 {
		t.Fatalf("after delete: %v", links)
	}
	chk(call(t, "DELETE", api+"/meta/schemas/user/linkedObjects/manager", tok, nil), 204)
	chk(call(t, "GET", api+"/meta/schemas/user/linkedObjects/manager", tok, nil), 404)
}
