package sandbox

import (
	"testing"
)

// TestRealmUsersOpenAPI: a user created in a realm (CreateUserRequest
// realmId), moved with a partial update (UpdateUserRequest realmId), created
// with an authentication provider; a realm the org lacks, a provider type
// Okta does not know and the built-in Everyone group are 400 E0000001. Every
// exchange is checked against Okta's OpenAPI spec.
func TestRealmUsersOpenAPI(t *testing.T) {
	s, api, chk := specServer(t)
	tok := DefaultAPIToken
	prof := func(login string) map[string]any {
		return map[string]any{"login": login, "email": login, "firstName": "Rea", "lastName": "Lm"}
	}
	var u map[string]any
	chk(call(t, "POST", api+"/users?activate=false", tok, map[string]any{"profile": prof("rea@example.com"), "realmId": PartnerRealmID}), 200).json(t, &u)
	if u["realmId"] != PartnerRealmID {
		t.Fatalf("created in realm %v", u["realmId"])
	}
	uid := u["id"].(string)
	chk(call(t, "POST", api+"/users/"+uid, tok, map[string]any{"realmId": DefaultRealmID}), 200).json(t, &u)
	if u["realmId"] != DefaultRealmID {
		t.Fatalf("moved to %v", u["realmId"])
	}
	chk(call(t, "POST", api+"/users/"+uid, tok, map[string]any{"realmId": PartnerRealmID, "profile": map[string]any{"title": "Partner"}}), 200).json(t, &u)
	if u["realmId"] != PartnerRealmID || u["profile"].(map[string]any)["title"] != "Partner" {
		t.Fatalf("moved with a profile change: %v", u)
	}
	chk(call(t, "POST", api+"/users?activate=true&provider=true", tok, map[string]any{"profile": prof("fed@example.com"),
		"credentials": map[string]any{"provider": map[string]any{"type": "FEDERATION", "name": "FEDERATION"}}}), 200).json(t, &u)
	if p := u["credentials"].(map[string]any)["provider"].(map[string]any); p["type"] != "FEDERATION" || u["status"] != "ACTIVE" {
		t.Fatalf("provider user: %v", u)
	}
	for _, c := range []struct {
		method, path string
		body         map[string]any
	}{
		{"POST", "/users", map[string]any{"profile": prof("x1@example.com"), "realmId": "guo0000notthere00000"}},
		{"POST", "/users/" + uid, map[string]any{"realmId": "guo0000notthere00000"}},
		{"POST", "/users?provider=true", map[string]any{"profile": prof("x2@example.com"), "credentials": map[string]any{"provider": map[string]any{"type": "KERBEROS"}}}},
		{"POST", "/users", map[string]any{"profile": prof("x3@example.com"), "credentials": map[string]any{"provider": map[string]any{"type": "LDAP", "name": "ldap"}}}},
		{"POST", "/users", map[string]any{"profile": prof("x4@example.com"), "groupIds": []string{s.GroupIDByName("Everyone")}}},
	} {
		if code := chk(call(t, c.method, api+c.path, tok, c.body), 400).errCode(t); code != "E0000001" {
			t.Errorf("%s %s %v: %s, want E0000001", c.method, c.path, c.body, code)
		}
	}
	// a failed move leaves the user where it was
	if got, _ := s.User(uid); got["realmId"] != PartnerRealmID {
		t.Errorf("after a refused move the user is in %v", got["realmId"])
	}
}
