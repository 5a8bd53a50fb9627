package sandbox

import "testing"

// TestAuthenticatorsOpenAPI drives the authenticator endpoints against
// Okta's OpenAPI spec: the seeded list, one read, activate and deactivate
// (each writing its System Log event once), Password never deactivated.
func TestAuthenticatorsOpenAPI(t *testing.T) {
	s, api, chk := specServer(t)
	tok := DefaultAPIToken
	var list []map[string]any
	chk(call(t, "GET", api+"/authenticators", tok, nil), 200).json(t, &list)
	byKey := map[string]string{}
	for _, a := range list {
		byKey[a["key"].(string)] = a["id"].(string)
	}
	if len(list) != 4 || byKey["okta_verify"] == "" || byKey["phone_number"] == "" {
		t.Fatalf("seeded authenticators %v", list)
	}
	phone := byKey["phone_number"]
	var one map[string]any
	chk(call(t, "GET", api+"/authenticators/"+phone, tok, nil), 200).json(t, &one)
	if one["status"] != "INACTIVE" {
		t.Fatalf("phone %v", one)
	}
	chk(call(t, "GET", api+"/authenticators/aut0000notthere00000", tok, nil), 404)
	chk(call(t, "POST", api+"/authenticators/"+phone+"/lifecycle/activate", tok, nil), 200).json(t, &one)
	if one["status"] != "ACTIVE" {
		t.Fatalf("activated %v", one)
	}
	chk(call(t, "POST", api+"/authenticators/"+phone+"/lifecycle/activate", tok, nil), 200) // already active: no event
	chk(call(t, "POST", api+"/authenticators/"+phone+"/lifecycle/deactivate", tok, nil), 200)
	call(t, "POST", api+"/authenticators/"+byKey["okta_password"]+"/lifecycle/deactivate", tok, nil).want(t, 400)
	call(t, "DELETE", api+"/authenticators/"+phone, tok, nil).want(t, 405)
	var got []string
	for _, e := range s.Events() {
		if len(e.Target) == 1 && e.Target[0].Type == "Authenticator" {
			if e.Target[0].ID != phone || e.Target[0].DisplayName != "Phone" {
				t.Errorf("target %+v", e.Target[0])
			}
			got = append(got, e.EventType)
		}
	}
	if len(got) != 2 || got[0] != "security.authenticator.lifecycle.activate" || got[1] != "security.authenticator.lifecycle.deactivate" {
		t.Fatalf("events %v", got)
	}
}
