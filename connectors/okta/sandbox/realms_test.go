package sandbox

import (
	"net/url"
	"testing"
)

// TestRealmsOpenAPI drives the realm endpoints and a realm's user search,
// checking every exchange against Okta's OpenAPI spec.
func TestRealmsOpenAPI(t *testing.T) {
	s, api, chk := specServer(t)
	tok := DefaultAPIToken
	var realms []map[string]any
	chk(call(t, "GET", api+"/realms", tok, nil), 200).json(t, &realms)
	if len(realms) != 2 || realms[0]["id"] != DefaultRealmID || realms[0]["isDefault"] != true {
		t.Fatalf("seeded realms = %v", realms)
	}
	chk(call(t, "GET", api+"/realms?search="+url.QueryEscape(`profile.realmType eq "PARTNER"`), tok, nil), 200).json(t, &realms)
	if len(realms) != 1 || realms[0]["id"] != PartnerRealmID {
		t.Fatalf("partner realms = %v", realms)
	}
	chk(call(t, "GET", api+"/realms/"+PartnerRealmID, tok, nil), 200)
	chk(call(t, "GET", api+"/realms/guo0000notthere00000", tok, nil), 404)
	var created map[string]any
	chk(call(t, "POST", api+"/realms", tok, map[string]any{"profile": map[string]any{"name": "Suppliers", "realmType": "PARTNER"}}), 200).json(t, &created)
	rid := created["id"].(string)
	call(t, "POST", api+"/realms", tok, map[string]any{"profile": map[string]any{"name": ""}}).want(t, 400)
	chk(call(t, "PUT", api+"/realms/"+rid, tok, map[string]any{"profile": map[string]any{"name": "Suppliers EU", "realmType": "PARTNER"}}), 200)

	if !s.SetUserRealm("bob.martinez@example.com", rid) {
		t.Fatal("SetUserRealm failed")
	}
	var users []map[string]any
	chk(call(t, "GET", api+"/users?search="+url.QueryEscape(`realmId eq "`+rid+`"`), tok, nil), 200).json(t, &users)
	if len(users) != 1 || users[0]["realmId"] != rid {
		t.Fatalf("users of the realm = %v", users)
	}
	chk(call(t, "GET", api+"/users?search="+url.QueryEscape(`realmId eq "`+DefaultRealmID+`"`)+"&limit=200", tok, nil), 200).json(t, &users)
	for _, u := range users {
		if u["realmId"] != DefaultRealmID {
			t.Fatalf("default realm search returned %v", u)
		}
	}
	if len(users) < 3 {
		t.Fatalf("default realm has %d users", len(users))
	}
	call(t, "DELETE", api+"/realms/"+rid, tok, nil).want(t, 400) // still has bob
	s.SetUserRealm("bob.martinez@example.com", DefaultRealmID)
	chk(call(t, "DELETE", api+"/realms/"+rid, tok, nil), 204)
	call(t, "DELETE", api+"/realms/"+DefaultRealmID, tok, nil).want(t, 400)
	call(t, "POST", api+"/realms/"+PartnerRealmID, tok, map[string]any{}).want(t, 405)
}
