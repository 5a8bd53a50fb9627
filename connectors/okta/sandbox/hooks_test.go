package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

type hookSink struct {
	mu        sync.Mutex
	payloads  []EventHookPayload
	auth      []string
	failFirst int
	calls     int
}

func (h *hookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		if c := r.Header.Get("x-okta-verification-challenge"); c != "" {
			json.NewEncoder(w).Encode(map[string]string{"verification": c})
			return
		}
		w.WriteHeader(400)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls++
	if h.failFirst > 0 {
		h.failFirst--
		w.WriteHeader(500)
		return
	}
	b, _ := io.ReadAll(r.Body)
	var p EventHookPayload
	if err := json.Unmarshal(b, &p); err != nil || r.Header.Get("Content-Type") != "application/json" {
		w.WriteHeader(400)
		return
	}
	h.payloads = append(h.payloads, p)
	h.auth = append(h.auth, r.Header.Get("Authorization"))
	w.WriteHeader(200)
}

func (h *hookSink) wait(t *testing.T, n int) []EventHookPayload {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		h.mu.Lock()
		if len(h.payloads) >= n {
			out := append([]EventHookPayload(nil), h.payloads...)
			h.mu.Unlock()
			return out
		}
		h.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("hook got %d payloads, want %d", len(h.payloads), n)
	return nil
}

func TestEventHooks(t *testing.T) {
	all := &hookSink{}
	membership := &hookSink{failFirst: 1}
	srvAll := httptest.NewServer(all)
	defer srvAll.Close()
	srvMem := httptest.NewServer(membership)
	defer srvMem.Close()
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"verification":"not-the-challenge"}`))
	}))
	defer bad.Close()

	s, base := startServer(t, Config{HookRetryBackoff: 50 * time.Millisecond,
		EventHooks: []EventHook{{URL: srvAll.URL, AuthHeader: "Authorization", AuthValue: "Bearer hook-secret"}}})
	s.AddEventHook(EventHook{URL: srvMem.URL, EventTypes: []string{"group.user_membership.add"}})

	if err := s.VerifyEventHook(srvAll.URL); err != nil {
		t.Fatalf("verify: %v", err)
	}
	if err := s.VerifyEventHook(bad.URL); err == nil {
		t.Error("bad verification reply accepted")
	}

	alice := userID(t, s, "alice.nguyen@example.com")
	var g map[string]any
	call(t, "POST", base+"/api/v1/groups", DefaultAPIToken, map[string]any{"profile": map[string]any{"name": "Hooked"}}).want(t, 200).json(t, &g)
	call(t, "PUT", base+"/api/v1/groups/"+g["id"].(string)+"/users/"+alice, DefaultAPIToken, nil).want(t, 204)

	got := all.wait(t, 2)
	types := map[string]bool{}
	for i, p := range got {
		if p.EventType != "com.okta.event_hook" || p.EventTypeVersion != "1.0" || p.CloudEventsVersion != "0.1" ||
			p.ContentType != "application/json" || p.EventID == "" || p.EventTime == "" || p.Source == "" || len(p.Data.Events) != 1 {
			t.Errorf("payload %+v", p)
		}
		if all.auth[i] != "Bearer hook-secret" {
			t.Errorf("auth header %q", all.auth[i])
		}
		types[p.Data.Events[0].EventType] = true
	}
	if !types["group.lifecycle.create"] || !types["group.user_membership.add"] {
		t.Errorf("delivered types %v", types)
	}
	// filtered hook: only membership events, delivered after one retry
	mem := membership.wait(t, 1)
	if len(mem) != 1 || mem[0].Data.Events[0].EventType != "group.user_membership.add" || mem[0].Data.Events[0].Target[0].ID != alice {
		t.Errorf("filtered hook got %+v", mem)
	}
	membership.mu.Lock()
	calls := membership.calls
	membership.mu.Unlock()
	if calls != 2 {
		t.Errorf("filtered hook calls = %d, want 2 (fail + retry)", calls)
	}
	deadline := time.Now().Add(5 * time.Second)
	for s.Stats().HookDeliveries < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if st := s.Stats(); st.HookDeliveries < 3 || st.HookFailures < 1 {
		t.Errorf("hook stats %+v", st)
	}
}
