package okta

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

func examplePath(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "examples", "okta-is-member-of-group.flow.json")
}

// TestSeedFlowEndToEnd runs examples/okta-is-member-of-group.flow.json
// against the sandbox through engine.Executor.
func TestSeedFlowEndToEnd(t *testing.T) {
	tn := startTenant(t, sandbox.Config{}, true)
	data, err := os.ReadFile(examplePath(t))
	if err != nil {
		t.Fatal(err)
	}
	f, err := engine.ParseFlow("okta-is-member-of-group.flow.json", data)
	if err != nil {
		t.Fatal(err)
	}
	alice, ok := tn.srv.User("alice.nguyen@example.com")
	if !ok {
		t.Fatal("seed user missing")
	}
	aliceID := alice["id"].(string)
	if v := at(alice, "profile", "isMemberOfGroup"); v != nil {
		t.Fatalf("seed: isMemberOfGroup = %v, want null", v)
	}
	input := map[string]any{
		"Okta User": map[string]any{"ID": aliceID, "Login": "alice.nguyen@example.com", "Alternate ID": "alice.nguyen@example.com",
			"Display Name": "Alice Nguyen", "Type": "User"},
		"Group": map[string]any{"ID": "00gexample", "Display Name": "Engineering", "Type": "UserGroup"},
	}
	ex, err := tn.ex.Run(context.Background(), f, input, engine.RunOptions{})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	after, _ := tn.srv.User(aliceID)
	if v := at(after, "profile", "isMemberOfGroup"); v != true {
		t.Fatalf("sandbox user isMemberOfGroup = %v, want true", v)
	}
	recs := map[string]engine.CardRecord{}
	for _, r := range ex.Cards {
		recs[r.ID] = r
	}
	if v, ok := recs["readUser"].Outputs["isMemberOfGroup"]; !ok || v != nil {
		t.Fatalf("Read User output isMemberOfGroup = %v (present %v), want null", v, ok)
	}
	if v := recs["updateUser"].Outputs["isMemberOfGroup"]; v != true {
		t.Fatalf("Update User output isMemberOfGroup = %v, want true", v)
	}
	if len(recs["readUser"].Attempts) != 1 || recs["readUser"].Attempts[0].Status != 200 {
		t.Fatalf("attempts: %+v", recs["readUser"].Attempts)
	}
	// history JSON never carries the token
	b, _ := json.Marshal(tn.hist.ex)
	if bytes.Contains(b, []byte(sandbox.DefaultAPIToken)) {
		t.Fatal("API token in execution history")
	}
	if len(tn.hist.ex) != 1 {
		t.Fatalf("history has %d executions", len(tn.hist.ex))
	}
}

// TestSecretsNeverRecorded fails calls in several ways and scans history,
// attempts and errors for the secret.
func TestSecretsNeverRecorded(t *testing.T) {
	tn := startTenant(t, sandbox.Config{}, false)
	secret := tn.srv.CreateAPIToken("secret-scan")
	tn.conn.Secrets[SecAPIToken] = secret
	tn.srv.SetFaults([]sandbox.Fault{{PathPrefix: "/api/v1/users/00ufault", Status: 503}})
	for _, in := range []map[string]any{
		{"ID or Login": "alice.nguyen@example.com"},
		{"ID or Login": "00ufault"},
		{"ID or Login": "nobody@example.com"},
	} {
		_, ex, err := tn.card(t, "okta.readUser", in)
		b, _ := json.Marshal(ex)
		if bytes.Contains(b, []byte(secret)) {
			t.Fatalf("secret in execution: %s", b)
		}
		if err != nil && strings.Contains(err.Error(), secret) {
			t.Fatalf("secret in error: %v", err)
		}
	}
	// a wrong token: the 401 error and the attempts carry no token either
	tn.conn.Secrets[SecAPIToken] = "00WrongTokenWrongTokenWrongToken"
	_, ex, err := tn.card(t, "okta.readUser", map[string]any{"ID or Login": "alice.nguyen@example.com"})
	var ce *engine.CardError
	if !errors.As(err, &ce) || ce.Status != 401 || ce.Code != "E0000011" {
		t.Fatalf("bad token: %v", err)
	}
	b, _ := json.Marshal(ex)
	if bytes.Contains(b, []byte("00WrongTokenWrongTokenWrongToken")) {
		t.Fatalf("token in execution: %s", b)
	}
	for _, x := range tn.rec.exchanges() {
		if x.ReqHeader.Get("Authorization") == "" {
			t.Fatalf("request without credentials: %s", x.URL)
		}
	}
}

// TestRetrySemantics: 5xx retried for GET but not POST; 429 waits for the reset.
func TestRetrySemantics(t *testing.T) {
	tn := startTenant(t, sandbox.Config{}, false)
	alice, _ := tn.srv.User("alice.nguyen@example.com")
	id := alice["id"].(string)
	attempts := func(ex *engine.Execution) []engine.Attempt {
		for _, r := range ex.Cards {
			if r.ID == "card" {
				return r.Attempts
			}
		}
		return nil
	}
	// GET: two 503s then success
	tn.srv.SetFaults([]sandbox.Fault{{PathPrefix: "/api/v1/users/" + id, Method: "GET", Status: 503}})
	_, ex, err := tn.card(t, "okta.readUser", map[string]any{"ID or Login": id})
	if err == nil {
		t.Fatal("GET kept failing with 503 but the card succeeded")
	}
	a := attempts(ex)
	if len(a) != 4 || a[0].Status != 503 || !strings.Contains(a[1].Reason, "HTTP 503") || a[1].Wait <= 0 {
		t.Fatalf("GET attempts: %+v", a)
	}
	var ce *engine.CardError
	if !errors.As(err, &ce) || ce.Status != 503 {
		t.Fatalf("GET error: %v", err)
	}
	// POST (Update User) is an idempotent partial update: retried like GET
	tn.srv.SetFaults([]sandbox.Fault{{PathPrefix: "/api/v1/users/" + id, Method: "POST", Status: 503}})
	_, ex, err = tn.card(t, "okta.updateUser", map[string]any{"ID": id, "title": "x"})
	if a := attempts(ex); err == nil || len(a) != 4 || a[0].Status != 503 {
		t.Fatalf("POST attempts: %+v (err %v)", a, err)
	}
	// GET: a transient 503 (every 2nd request) is absorbed
	tn.srv.SetFaults([]sandbox.Fault{{PathPrefix: "/api/v1/users/" + id, Method: "GET", Status: 503, Every: 2}})
	if _, _, err = tn.card(t, "okta.readUser", map[string]any{"ID or Login": id}); err != nil {
		t.Fatal(err)
	}
	// the card's own retry policy overrides the client's: one try, and 502 only
	tn.srv.SetFaults([]sandbox.Fault{{PathPrefix: "/api/v1/users/" + id, Method: "GET", Status: 503}})
	noRetry := func(c *engine.Card) { c.Retry = &engine.RetryPolicy{Attempts: 1} }
	if _, ex, err = tn.card(t, "okta.readUser", map[string]any{"ID or Login": id}, noRetry); err == nil || len(attempts(ex)) != 1 {
		t.Fatalf("retry attempts 1: %d attempts, err %v", len(attempts(ex)), err)
	}
	only502 := func(c *engine.Card) { c.Retry = &engine.RetryPolicy{Attempts: 3, Statuses: []int{502}} }
	if _, ex, err = tn.card(t, "okta.readUser", map[string]any{"ID or Login": id}, only502); err == nil || len(attempts(ex)) != 1 {
		t.Fatalf("503 not in the card's statuses: %d attempts, err %v", len(attempts(ex)), err)
	}
	tn.srv.SetFaults([]sandbox.Fault{{PathPrefix: "/api/v1/users/" + id, Method: "GET", Status: 502}})
	if _, ex, err = tn.card(t, "okta.readUser", map[string]any{"ID or Login": id}, only502); err == nil || len(attempts(ex)) != 3 {
		t.Fatalf("502 retried by the card's policy: %d attempts, err %v", len(attempts(ex)), err)
	}
	tn.srv.SetFaults(nil)

	// 429: a bucket of 2 per 1 s window; the third call waits for the reset
	tn2 := startTenant(t, sandbox.Config{RateWindow: 1e9, Limits: map[string]int{sandbox.BucketUser: 2}}, false)
	var waited bool
	for i := 0; i < 4; i++ {
		_, ex, err := tn2.card(t, "okta.readUser", map[string]any{"ID or Login": "alice.nguyen@example.com"})
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		for _, a := range attempts(ex) {
			if a.Wait > 0 && (strings.Contains(a.Reason, "rate") || strings.Contains(a.Reason, "429")) {
				waited = true
			}
		}
	}
	if !waited {
		t.Fatal("no call waited for the rate-limit reset")
	}
	// 429 injected on a POST is retried (the request was not processed)
	alice2, _ := tn2.srv.User("alice.nguyen@example.com")
	tn2.srv.SetFaults([]sandbox.Fault{{PathPrefix: "/api/v1/users/" + alice2["id"].(string), Method: "POST", Status: 429, Every: 2}})
	// first POST is the 1st matching request (passes), second gets 429 then passes
	saw429 := false
	for i := 0; i < 2; i++ {
		_, ex, err := tn2.card(t, "okta.updateUser", map[string]any{"ID": alice2["id"], "title": "t" + string(rune('a'+i))})
		if err != nil {
			t.Fatalf("POST after 429: %v (%+v)", err, attempts(ex))
		}
		for _, a := range attempts(ex) {
			saw429 = saw429 || a.Status == 429
		}
	}
	if !saw429 {
		t.Fatal("the injected 429 on POST was not seen and retried")
	}
}
