package sandbox

import (
	"testing"
)

// TestFactorsAndRolesOpenAPI drives the factor and role endpoints and checks
// every exchange against Okta's OpenAPI spec, then the behaviour: seeded
// email factor, enrol/activate/unenrol, reset all, role assign/duplicate/
// unassign, and the System Log events they write.
func TestFactorsAndRolesOpenAPI(t *testing.T) {
	s, api, chk := specServer(t)
	tok := DefaultAPIToken
	alice := userID(t, s, "alice.nguyen@example.com")
	ua := api + "/users/" + alice

	var factors []map[string]any
	chk(call(t, "GET", ua+"/factors", tok, nil), 200).json(t, &factors)
	if len(factors) != 1 || factors[0]["factorType"] != "email" || factors[0]["status"] != "ACTIVE" {
		t.Fatalf("seeded factors = %v, want one active email factor", factors)
	}
	chk(call(t, "GET", ua+"/factors/catalog", tok, nil), 200)
	chk(call(t, "GET", ua+"/factors/"+factors[0]["id"].(string), tok, nil), 200)
	chk(call(t, "GET", ua+"/factors/emfnotthere", tok, nil), 404)
	chk(call(t, "GET", api+"/users/00unotthere000000000/factors", tok, nil), 404)

	var sms map[string]any
	chk(call(t, "POST", ua+"/factors", tok, map[string]any{"factorType": "sms", "provider": "OKTA",
		"profile": map[string]any{"phoneNumber": "+14155550100"}}), 200).json(t, &sms)
	if sms["status"] != "PENDING_ACTIVATION" {
		t.Fatalf("enrolled sms = %v, want PENDING_ACTIVATION", sms)
	}
	smsID := sms["id"].(string)
	call(t, "POST", ua+"/factors", tok, map[string]any{"factorType": "sms", "profile": map[string]any{"phoneNumber": "x"}}).want(t, 400)
	call(t, "POST", ua+"/factors", tok, map[string]any{"factorType": "carrier-pigeon"}).want(t, 400) // not a spec request
	chk(call(t, "POST", ua+"/factors?activate=true", tok, map[string]any{"factorType": "question",
		"profile": map[string]any{"question": "disliked_food", "answer": "mayonnaise"}}), 200)
	if e := call(t, "POST", ua+"/factors/"+smsID+"/lifecycle/activate", tok, map[string]any{"passCode": "nope"}); e.resp.StatusCode != 403 {
		t.Errorf("activate with a bad passcode: %d, want 403", e.resp.StatusCode)
	}
	var act map[string]any
	call(t, "POST", ua+"/factors/"+smsID+"/lifecycle/activate", tok, map[string]any{"passCode": "123456"}).want(t, 200).json(t, &act)
	if act["status"] != "ACTIVE" || !hasEvent(s, "user.mfa.factor.activate", alice) {
		t.Fatalf("activated sms = %v (activate event: %v)", act, hasEvent(s, "user.mfa.factor.activate", alice))
	}
	chk(call(t, "DELETE", ua+"/factors/"+smsID, tok, nil), 204)
	if !hasEvent(s, "user.mfa.factor.deactivate", alice) {
		t.Error("no user.mfa.factor.deactivate event after unenrolling")
	}
	chk(call(t, "GET", ua+"/factors", tok, nil), 200).json(t, &factors)
	if len(factors) != 2 {
		t.Fatalf("after unenrolling sms: %d factors, want 2 (email, question)", len(factors))
	}
	chk(call(t, "POST", ua+"/lifecycle/reset_factors", tok, nil), 200)
	chk(call(t, "GET", ua+"/factors", tok, nil), 200).json(t, &factors)
	if len(factors) != 0 || !hasEvent(s, "user.mfa.factor.reset_all", alice) {
		t.Fatalf("after reset_factors: %v (reset_all event: %v)", factors, hasEvent(s, "user.mfa.factor.reset_all", alice))
	}

	var roles []map[string]any
	chk(call(t, "GET", api+"/users/"+s.AdminUserID()+"/roles", tok, nil), 200).json(t, &roles)
	if len(roles) != 1 || roles[0]["type"] != "SUPER_ADMIN" {
		t.Fatalf("admin roles = %v, want SUPER_ADMIN", roles)
	}
	chk(call(t, "GET", ua+"/roles", tok, nil), 200).json(t, &roles)
	if len(roles) != 0 {
		t.Fatalf("alice roles = %v, want none", roles)
	}
	var ra map[string]any
	chk(call(t, "POST", ua+"/roles", tok, map[string]any{"type": "HELP_DESK_ADMIN"}), 201).json(t, &ra)
	if ra["label"] != "Help Desk Administrator" || ra["assignmentType"] != "USER" {
		t.Fatalf("assigned role = %v", ra)
	}
	if e := call(t, "POST", ua+"/roles", tok, map[string]any{"type": "HELP_DESK_ADMIN"}); e.resp.StatusCode != 409 {
		t.Errorf("duplicate role: %d, want 409", e.resp.StatusCode)
	}
	call(t, "POST", ua+"/roles", tok, map[string]any{"type": "KING"}).want(t, 400) // not a spec request
	rid := ra["id"].(string)
	chk(call(t, "GET", ua+"/roles/"+rid, tok, nil), 200)
	chk(call(t, "DELETE", ua+"/roles/"+rid, tok, nil), 204)
	chk(call(t, "GET", ua+"/roles/"+rid, tok, nil), 404)
	if !hasEvent(s, "user.account.privilege.grant", alice) || !hasEvent(s, "user.account.privilege.revoke", alice) {
		t.Error("role changes wrote no privilege grant/revoke events")
	}
	if e := call(t, "PATCH", ua+"/roles", tok, nil); e.resp.StatusCode != 405 {
		t.Errorf("PATCH roles: %d, want 405", e.resp.StatusCode)
	}
}

// specServer starts a sandbox and returns it, its /api/v1 address and chk, which
// fails the test unless an exchange has the status and matches Okta's OpenAPI spec.
func specServer(t *testing.T) (*Server, string, func(e *exchange, status int) *exchange) {
	v := OpenAPIValidator(t)
	s, base := startServer(t, Config{})
	chk := func(e *exchange, status int) *exchange {
		t.Helper()
		if e.resp.StatusCode != status {
			t.Fatalf("%s %s: status %d, want %d: %s", e.req.Method, e.req.URL, e.resp.StatusCode, status, e.respBody)
		}
		if err := v.Check(e.req, e.reqBody, e.resp, e.respBody); err != nil {
			t.Errorf("spec: %v", err)
		}
		return e
	}
	return s, base + "/api/v1", chk
}
