package sandbox

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/fakeapi"
)

// TestWebAuthnPreregistrationOpenAPI: the Yubico pre-registration sequence
// (enroll, activate, send the PIN), listing, marking an enrollment errored,
// deleting it, the fulfillment request, and the refusals (unknown user or
// enrollment, a provider other than yubico, a transport key without its
// fields, a credential response that is not a JWE, activating twice) — every
// successful exchange validated against Okta's description of the
// operations, every refusal an Okta error object.
func TestWebAuthnPreregistrationOpenAPI(t *testing.T) {
	v, err := fakeapi.NewValidator("testdata/webauthn-preregistration-openapi.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	s, base := startServer(t, Config{})
	wa := base + "/webauthn-registration/api/v1"
	tok := DefaultAPIToken
	do := func(method, path string, body any, status int) *exchange {
		t.Helper()
		e := call(t, method, wa+path, tok, body)
		if e.resp.StatusCode != status {
			t.Fatalf("%s %s: status %d, want %d: %s", method, path, e.resp.StatusCode, status, e.respBody)
		}
		if status >= 400 { // a refused request (not one the description allows): Okta's error object
			var m map[string]any
			if json.Unmarshal(e.respBody, &m) != nil || m["errorCode"] == nil || m["errorSummary"] == nil || m["errorCauses"] == nil {
				t.Errorf("%s %s: %d body is not Okta's error: %s", method, path, status, e.respBody)
			}
			return e
		}
		if err := v.Check(e.req, e.reqBody, e.resp, e.respBody); err != nil {
			t.Errorf("spec: %v", err)
		}
		return e
	}
	alice := userID(t, s, "alice.nguyen@example.com")
	transport := map[string]any{"crv": "P-384", "kid": "APCS-Ttrans-C19881-I009", "kty": "EC", "use": "enc",
		"x": "r6AzcX3OSiJk1yQaBVYiBOtzFS9gNSpMDPvnVvl0CAX7el1ZyzmPG_BZ7u8sqTmF", "y": "RxPyGH1Xg74E2f5AQGkkddzsvTNY1R3R7mXTEM5wQtr1Y7C4XHlvITNZfU6G"}
	enroll := map[string]any{"enrollmentRpIds": []any{"sandbox.okta.example"}, "fulfillmentProvider": "yubico", "userId": alice,
		"yubicoTransportKeyJWK": transport}

	// the seed: Carol Okafor's security key is on its way
	carol := userID(t, s, "carol.okafor@example.com")
	var seeded []map[string]any
	do("GET", "/users/"+carol+"/enrollments", nil, 200).json(t, &seeded)
	if uid, eid, ok := s.PendingPreregistration(); len(seeded) != 1 || seeded[0]["status"] != "PENDING_ACTIVATION" || !ok || uid != carol || eid != seeded[0]["id"] {
		t.Fatalf("seeded enrollment: %v", seeded)
	}

	var init map[string]any
	do("POST", "/enroll", enroll, 200).json(t, &init)
	reqs, _ := init["credRequests"].([]any)
	if len(reqs) != 1 || init["userId"] != alice || !isCompactJWE(init["pinRequestJwe"].(string)) {
		t.Fatalf("enroll: %v", init)
	}
	cr := reqs[0].(map[string]any)
	eid := cr["authenticatorEnrollmentId"].(string)
	if !isCompactJWE(cr["credRequestJwe"].(string)) || cr["keyId"] == "" {
		t.Fatalf("credential request: %v", cr)
	}
	var list []map[string]any
	do("GET", "/users/"+alice+"/enrollments", nil, 200).json(t, &list)
	if len(list) != 1 || list[0]["id"] != eid || list[0]["status"] != "PENDING_ACTIVATION" || list[0]["factorType"] != "webauthn" {
		t.Fatalf("enrollments: %v", list)
	}
	// the factor is one of the user's factors
	var factors []map[string]any
	call(t, "GET", base+"/api/v1/users/"+alice+"/factors", tok, nil).want(t, 200).json(t, &factors)
	found := false
	for _, f := range factors {
		found = found || f["id"] == eid
	}
	if !found {
		t.Fatalf("factors without the enrollment: %v", factors)
	}

	jwe := "eyJhbGciOiJFQ0RILUVTIn0..aXY.Y2lwaGVy.dGFn"
	signing := map[string]any{"crv": "P-384", "kid": "yubico-sig-1", "kty": "EC", "use": "sig", "x": "x", "y": "y"}
	activate := map[string]any{"credResponses": []any{map[string]any{"authenticatorEnrollmentId": eid, "credResponseJwe": jwe}},
		"fulfillmentProvider": "yubico", "pinResponseJwe": jwe, "serial": "12345678", "userId": alice, "version": "5.7.1",
		"yubicoSigningJwks": []any{signing}}
	var act map[string]any
	do("POST", "/activate", activate, 200).json(t, &act)
	if ids, _ := act["authenticatorEnrollmentIds"].([]any); len(ids) != 1 || ids[0] != eid {
		t.Fatalf("activate: %v", act)
	}
	if !hasEvent(s, "user.mfa.factor.activate", alice) {
		t.Error("no user.mfa.factor.activate event")
	}
	do("POST", "/activate", activate, 400) // no longer pending
	pin := map[string]any{"authenticatorEnrollmentId": eid, "fulfillmentProvider": "yubico", "userId": alice}
	do("POST", "/send-pin", pin, 204)
	do("POST", "/initiate-fulfillment-request", map[string]any{"fulfillmentProvider": "yubico", "userId": alice,
		"fulfillmentData": []any{map[string]any{"productId": "5", "customizationId": "cst-1", "inventoryProductId": "inv-2"}}}, 204)

	// the template's error flow marks a failed shipment's enrollment
	do("POST", "/users/"+alice+"/enrollments/"+eid+"/mark-error", nil, 204)
	do("GET", "/users/"+alice+"/enrollments", nil, 200).json(t, &list)
	if list[0]["status"] != "FULFILLMENT_ERRORED" {
		t.Fatalf("after mark-error: %v", list)
	}
	do("DELETE", "/users/"+alice+"/enrollments/"+eid, nil, 204)
	do("GET", "/users/"+alice+"/enrollments", nil, 200).json(t, &list)
	if len(list) != 0 {
		t.Fatalf("after delete: %v", list)
	}

	// refusals
	do("POST", "/users/"+alice+"/enrollments/fwfnotthere000000000/mark-error", nil, 404)
	do("POST", "/users/00unotthere000000000/enrollments/"+eid+"/mark-error", nil, 404)
	do("DELETE", "/users/"+alice+"/enrollments/"+eid, nil, 404)
	do("POST", "/send-pin", pin, 404)
	bad := func(change func(m map[string]any), want string) {
		t.Helper()
		b := map[string]any{}
		raw, _ := json.Marshal(enroll)
		_ = json.Unmarshal(raw, &b)
		change(b)
		if e := do("POST", "/enroll", b, 400); !strings.Contains(string(e.respBody), want) {
			t.Errorf("want %q in %s", want, e.respBody)
		}
	}
	bad(func(m map[string]any) { m["fulfillmentProvider"] = "acme" }, "fulfillmentProvider")
	bad(func(m map[string]any) { delete(m["yubicoTransportKeyJWK"].(map[string]any), "x") }, "yubicoTransportKeyJWK.x")
	bad(func(m map[string]any) { m["yubicoTransportKeyJWK"].(map[string]any)["use"] = "sig" }, "yubicoTransportKeyJWK.use")
	bad(func(m map[string]any) { delete(m, "userId") }, "userId")
	enroll["userId"] = "00unotthere000000000"
	do("POST", "/enroll", enroll, 404)
	enroll["userId"] = alice
	do("POST", "/enroll", enroll, 200).json(t, &init)
	eid2 := init["credRequests"].([]any)[0].(map[string]any)["authenticatorEnrollmentId"].(string)
	activate["credResponses"] = []any{map[string]any{"authenticatorEnrollmentId": eid2, "credResponseJwe": "not a jwe"}}
	if e := do("POST", "/activate", activate, 400); !strings.Contains(string(e.respBody), "credResponseJwe") {
		t.Errorf("activate with a bad JWE: %s", e.respBody)
	}
	do("GET", "/enroll", nil, 405)
	do("POST", "/unknown", map[string]any{}, 404)
	for _, op := range v.Operations() {
		if v.Seen[op] == 0 {
			t.Errorf("%s not exercised", op)
		}
	}
}
