package sandbox

import (
	"testing"
)

// TestAPITokensOpenAPI drives the API token endpoints against Okta's
// OpenAPI spec: the org's tokens listed, one read, an unknown id 404, a
// token issued (system.api_token.create), revoked (system.api_token.revoke,
// it stops authenticating), revoking the current token, and a method Okta
// does not serve.
func TestAPITokensOpenAPI(t *testing.T) {
	s, api, chk := specServer(t)
	tok := DefaultAPIToken
	var list []map[string]any
	chk(call(t, "GET", api+"/api-tokens", tok, nil), 200).json(t, &list)
	names := map[string]string{}
	for _, v := range list {
		names[v["name"].(string)] = v["id"].(string)
	}
	legacy := names[LegacySCIMTokenName]
	if legacy == "" || names["Flowbench sandbox default token"] == "" {
		t.Fatalf("seeded tokens: %v", list)
	}
	var one map[string]any
	chk(call(t, "GET", api+"/api-tokens/"+legacy, tok, nil), 200).json(t, &one)
	if one["name"] != LegacySCIMTokenName || one["userId"] == "" {
		t.Fatalf("token %v", one)
	}
	chk(call(t, "GET", api+"/api-tokens/00T0000notthere00000", tok, nil), 404)

	scim, scimID := s.IssueAPIToken("Provisioning bot")
	chk(call(t, "GET", api+"/api-tokens/"+scimID, tok, nil), 200)
	chk(call(t, "GET", api+"/users/me", scim, nil), 200)
	chk(call(t, "DELETE", api+"/api-tokens/"+scimID, tok, nil), 204)
	call(t, "GET", api+"/users/me", scim, nil).want(t, 401)
	chk(call(t, "GET", api+"/api-tokens/"+scimID, tok, nil), 404)
	chk(call(t, "DELETE", api+"/api-tokens/"+legacy, tok, nil), 204)

	self, selfID := s.IssueAPIToken("Short-lived")
	chk(call(t, "DELETE", api+"/api-tokens/current", self, nil), 204)
	call(t, "GET", api+"/users/me", self, nil).want(t, 401)
	call(t, "PATCH", api+"/api-tokens/"+names["Flowbench sandbox default token"], tok, map[string]any{}).want(t, 405)

	want := []struct{ typ, id, name string }{
		{"system.api_token.create", scimID, "Provisioning bot"},
		{"system.api_token.revoke", scimID, "Provisioning bot"},
		{"system.api_token.revoke", legacy, LegacySCIMTokenName},
		{"system.api_token.create", selfID, "Short-lived"},
		{"system.api_token.revoke", selfID, "Short-lived"},
	}
	var got []LogEvent
	for _, e := range s.Events() {
		if e.EventType == "system.api_token.create" || e.EventType == "system.api_token.revoke" {
			got = append(got, e)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d token events, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		e := got[i]
		if e.EventType != w.typ || len(e.Target) != 1 || e.Target[0].ID != w.id || e.Target[0].Type != "Token" || e.Target[0].DisplayName != w.name {
			t.Errorf("event %d: %+v, want %s of %s", i, e, w.typ, w.id)
		}
		if e.Actor.Type != "User" || e.Actor.ID == "" {
			t.Errorf("event %d actor %+v", i, e.Actor)
		}
	}
}
