package http

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// POST and PATCH carry the card's idempotency key (execution and card, the
// same when a resumed run repeats the card); GET does not; a key the user
// set wins.
func TestIdempotencyKeyHeader(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Method+" "+r.Header.Get("Idempotency-Key"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	cs := conns{"none": {ID: "none", Kind: "http", Config: map[string]any{CfgAuthType: AuthNone}}}
	for _, c := range []struct {
		typ  string
		in   map[string]any
		want func(execID string) string
	}{
		{"http.post", map[string]any{"URL": srv.URL, "Body": `{"a":1}`}, func(id string) string { return "POST " + id + "/card" }},
		{"http.patch", map[string]any{"URL": srv.URL, "Body": `{"a":1}`}, func(id string) string { return "PATCH " + id + "/card" }},
		{"http.get", map[string]any{"URL": srv.URL}, func(string) string { return "GET " }},
		{"http.post", map[string]any{"URL": srv.URL, "Body": "x", "Headers": map[string]any{"Idempotency-Key": "mine"}}, func(string) string { return "POST mine" }},
	} {
		got = nil
		_, ex, err := runCard(t, cs, c.typ, "none", c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.typ, err)
		}
		if len(got) != 1 || got[0] != c.want(ex.ID) {
			t.Fatalf("%s: server saw %q, want %q", c.typ, got, c.want(ex.ID))
		}
	}
}
