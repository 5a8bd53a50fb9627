package microsoft365

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/microsoft365/fake"
)

// graphCall sends one Graph request with the fake app's token through the
// validating transport.
func graphCall(t *testing.T, tn *tenant, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, tn.url+"/v1.0"+path, rd)
	req.Header.Set("Authorization", "Bearer "+tn.fake.IssueToken())
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Transport: tn.tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestFakeChangeNotifications: the fake tenant validates a subscription's
// notification URL (validationToken echoed as text/plain), then posts a
// change notification carrying the subscription's clientState when a user
// is created; a URL that does not echo the token gets no subscription.
func TestFakeChangeNotifications(t *testing.T) {
	tn := newTenant(t, fake.Config{})
	var mu sync.Mutex
	var got []map[string]any
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if vt := r.URL.Query().Get("validationToken"); vt != "" {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(w, vt)
			return
		}
		var n map[string]any
		_ = json.NewDecoder(r.Body).Decode(&n)
		mu.Lock()
		got = append(got, n)
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	defer rcv.Close()
	deaf := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
	defer deaf.Close()

	exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	st, out := graphCall(t, tn, "POST", "/subscriptions", map[string]any{"changeType": "created", "notificationUrl": deaf.URL,
		"resource": "users", "expirationDateTime": exp, "clientState": "s3cret"})
	if st != 400 || !strings.Contains(asJSON(out), "validation") {
		t.Fatalf("no echo: %d %s", st, asJSON(out))
	}
	st, out = graphCall(t, tn, "POST", "/subscriptions", map[string]any{"changeType": "created,updated", "notificationUrl": rcv.URL + "/hook",
		"resource": "users", "expirationDateTime": exp, "clientState": "s3cret"})
	if st != 201 || out["id"] == nil {
		t.Fatalf("subscribe: %d %s", st, asJSON(out))
	}
	subID := out["id"].(string)
	st, _ = graphCall(t, tn, "POST", "/users", map[string]any{"accountEnabled": true, "displayName": "Nia New", "mailNickname": "nia",
		"userPrincipalName": "nia.new@example.com", "passwordProfile": map[string]any{"password": "x!Y12345"}})
	if st != 201 {
		t.Fatalf("create user: %d", st)
	}
	deadline := time.Now().Add(5 * time.Second)
	for tn.fake.Notified() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	n := asJSON(got)
	mu.Unlock()
	if !strings.Contains(n, `"clientState":"s3cret"`) || !strings.Contains(n, `"changeType":"created"`) || !strings.Contains(n, subID) {
		t.Fatalf("notification: %s", n)
	}
	st, out = graphCall(t, tn, "GET", "/subscriptions", nil)
	if st != 200 || !strings.Contains(asJSON(out), subID) {
		t.Fatalf("list: %d %s", st, asJSON(out))
	}
	if st, _ = graphCall(t, tn, "DELETE", "/subscriptions/"+subID, nil); st != 204 {
		t.Fatalf("delete: %d", st)
	}
}
