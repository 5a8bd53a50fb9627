package okta

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// Issue 15 point 6: 500 Update User cards against a tenant that answers about
// 7 % of those POSTs with 503, or resets the connection, all succeed: Okta's
// partial profile update is idempotent and is retried.
func TestIdempotentWritesSurvive5xxAndResets(t *testing.T) {
	for _, f := range []sandbox.Fault{{Status: 503}, {Reset: true}} {
		name := "503"
		if f.Reset {
			name = "reset"
		}
		t.Run(name, func(t *testing.T) {
			tn := startTenant(t, sandbox.Config{DisableRateLimit: true}, false)
			alice, _ := tn.srv.User("alice.nguyen@example.com")
			id := alice["id"].(string)
			f.PathPrefix, f.Method, f.Every = "/api/v1/users/"+id, "POST", 14
			tn.srv.SetFaults([]sandbox.Fault{f})
			failed := 0
			const n = 500
			for i := range n {
				if _, _, err := tn.card(t, "okta.updateUser", map[string]any{"ID": id, "title": "t" + strconv.Itoa(i)}, quickRetry); err != nil {
					failed++
				}
			}
			t.Logf("%s: %d of %d Update User POSTs failed", name, failed, n)
			if failed != 0 {
				t.Fatalf("%d of %d idempotent POSTs failed", failed, n)
			}
			got, _ := tn.srv.User(id)
			if at(got, "profile", "title") != "t"+strconv.Itoa(n-1) {
				t.Fatalf("last update not applied: %v", asJSON(got))
			}
		})
	}
}

// quickRetry keeps the backoff short so the test takes seconds.
func quickRetry(c *engine.Card) {
	c.Retry = &engine.RetryPolicy{MinWait: engine.Duration(time.Millisecond), MaxWait: engine.Duration(5 * time.Millisecond)}
}

// Issue 15 point 7: an endpoint that echoes the request headers (reached
// with Custom API Action) puts no SSWS token into history.
func TestEchoedOktaTokenRedacted(t *testing.T) {
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range r.Header {
			w.Header()["Echo-"+k] = v
		}
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/v1/fail" {
			w.WriteHeader(400)
			json.NewEncoder(w).Encode(map[string]any{"errorCode": "E0000001", "errorSummary": "bad " + r.Header.Get("Authorization"), "seen": r.Header})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"seen": r.Header})
	}))
	defer echo.Close()
	tn := startTenant(t, sandbox.Config{}, false)
	tn.conn.Config[CfgDomain] = echo.URL
	tn.conn.Secrets[SecAPIToken] = "00SSWS-secret-token-value"
	for _, path := range []string{"/api/v1/echo", "/api/v1/fail"} {
		_, ex, err := tn.card(t, "okta.customApiAction", map[string]any{"requestType": "GET", "Relative URL": path})
		b, _ := json.Marshal(ex)
		h := string(b)
		if err != nil {
			h += err.Error()
		}
		if strings.Contains(h, "00SSWS-secret-token-value") {
			t.Fatalf("%s: token in history: %s", path, h)
		}
		if !strings.Contains(h, "SSWS REDACTED") {
			t.Fatalf("%s: echo missing from history: %s", path, h)
		}
	}
}

// A create is not idempotent: a 503 is reported after one attempt, never
// repeated (it could create the user twice).
func TestCreateNotRetriedOn5xx(t *testing.T) {
	tn := startTenant(t, sandbox.Config{}, false)
	tn.srv.SetFaults([]sandbox.Fault{{PathPrefix: "/api/v1/users", Method: "POST", Status: 503}})
	_, ex, err := tn.card(t, "okta.createUser", map[string]any{"login": "dup.check@example.com", "firstName": "Dup",
		"lastName": "Check", "email": "dup.check@example.com"})
	if err == nil {
		t.Fatal("create succeeded through a 503")
	}
	for _, r := range ex.Cards {
		if r.ID == "card" && len(r.Attempts) != 1 {
			t.Fatalf("create attempted %d times: %+v", len(r.Attempts), r.Attempts)
		}
	}
}

func TestIdempotentWriteClassification(t *testing.T) {
	for _, tc := range []struct {
		m, p string
		want bool
	}{
		{"POST", "/api/v1/users/00u1", true}, {"POST", "/api/v1/users/00u1?strict=true", true},
		{"POST", "/api/v1/apps/0oa1/users/00u1", true},
		{"POST", "/api/v1/users", false}, {"POST", "/api/v1/users/00u1/lifecycle/activate", false},
		{"POST", "/api/v1/groups", false}, {"GET", "/api/v1/users/00u1", false},
	} {
		if got := IdempotentWrite(tc.m, tc.p); got != tc.want {
			t.Errorf("%s %s: %v", tc.m, tc.p, got)
		}
	}
}
