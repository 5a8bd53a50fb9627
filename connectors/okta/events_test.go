package okta

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
	"github.com/flowbench/flowbench/engine/trigger"
)

var evKey = []byte("0123456789abcdef0123456789abcdef")

// evEnv is a trigger runtime over a store in dir, wired to a sandbox
// tenant; its hook server keeps one address across runtime restarts.
type evEnv struct {
	t    testing.TB
	srv  *sandbox.Server
	url  string
	dir  string
	hs   *httptest.Server
	mu   sync.Mutex
	st   *store.Store
	ex   *engine.Executor
	rt   *trigger.Runtime
	down bool
}

func newEvEnv(t testing.TB) *evEnv {
	srv, err := sandbox.New(sandbox.Config{HookRetryBackoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	u, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	e := &evEnv{t: t, srv: srv, url: u, dir: t.TempDir()}
	e.hs = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		rt, down := e.rt, e.down
		e.mu.Unlock()
		if down || rt == nil {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		rt.HookHandler().ServeHTTP(w, r)
	}))
	t.Cleanup(e.hs.Close)
	e.open()
	return e
}

func (e *evEnv) open() {
	st, err := store.Open(e.dir, store.Options{Key: evKey})
	if err != nil {
		e.t.Fatal(err)
	}
	conn := &engine.Connection{ID: "sandbox", Name: "Sandbox", Kind: "okta",
		Config: map[string]any{CfgDomain: e.url, CfgAuthMethod: AuthToken}, Secrets: map[string]string{SecAPIToken: sandbox.DefaultAPIToken}}
	if err := st.PutConnection(conn); err != nil {
		e.t.Fatal(err)
	}
	ex := engine.NewExecutor(st, st, st)
	ex.Services["governor"] = httpx.NewGovernor()
	rt := trigger.New(ex, st, trigger.Options{ResyncEvery: -1, PollInterval: time.Hour})
	if err := rt.Start(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	e.mu.Lock()
	e.st, e.ex, e.rt, e.down = st, ex, rt, false
	e.mu.Unlock()
}

func (e *evEnv) stop() {
	e.mu.Lock()
	e.down = true
	rt, st, ex := e.rt, e.st, e.ex
	e.mu.Unlock()
	rt.Stop()
	ex.Wait()
	_ = st.Close()
}

// seedVariant is examples/okta-is-member-of-group.flow.json with the real
// User Added to Group event card as its trigger.
func (e *evEnv) seedVariant(id string, inputs ...engine.Field) *engine.Flow {
	data, err := os.ReadFile(examplePath(e.t))
	if err != nil {
		e.t.Fatal(err)
	}
	f, err := engine.ParseFlow("seed", data)
	if err != nil {
		e.t.Fatal(err)
	}
	f.ID, f.Name, f.Enabled = id, "Member of group ("+id+")", true
	f.Trigger.Type = EventCardID("userAddedToGroupMembership")
	f.Trigger.Connection = "sandbox"
	f.Trigger.Outputs = nil
	f.Trigger.Inputs = inputs
	if err := e.st.PutFlow(f); err != nil {
		e.t.Fatal(err)
	}
	got, _ := e.st.Flow(context.Background(), id)
	if err := e.rt.Sync(got); err != nil {
		e.t.Fatal(err)
	}
	return got
}

func (e *evEnv) executions(flow string) []*engine.Execution {
	e.st.Flush()
	list, err := e.st.Executions(store.Query{Flow: flow, Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []*engine.Execution
	for i := len(list) - 1; i >= 0; i-- {
		ex, err := e.st.Execution(list[i].ID)
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, ex)
	}
	return out
}

func (e *evEnv) wait(flow string, n int) []*engine.Execution {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		list := e.executions(flow)
		if len(list) >= n || time.Now().After(deadline) {
			if len(list) != n {
				e.t.Fatalf("flow %s: %d executions, want %d", flow, len(list), n)
			}
			for _, ex := range list {
				if ex.Status != engine.StatusSuccess || ex.Trigger != "event" {
					e.t.Fatalf("execution %s: %s via %s: %v", ex.ID, ex.Status, ex.Trigger, ex.Error)
				}
			}
			return list
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (e *evEnv) api(method, path string) int {
	req, _ := http.NewRequest(method, e.url+path, nil)
	req.Header.Set("Authorization", "SSWS "+sandbox.DefaultAPIToken)
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func (e *evEnv) groupID(name string) string {
	req, _ := http.NewRequest("GET", e.url+"/api/v1/groups?q="+name, nil)
	req.Header.Set("Authorization", "SSWS "+sandbox.DefaultAPIToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var gs []map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&gs)
	if len(gs) == 0 {
		e.t.Fatalf("no group %s", name)
	}
	return gs[0]["id"].(string)
}

func (e *evEnv) addToGroup(login, group string) string {
	u, ok := e.srv.User(login)
	if !ok {
		e.t.Fatalf("no user %s", login)
	}
	id := u["id"].(string)
	if s := e.api("PUT", "/api/v1/groups/"+e.groupID(group)+"/users/"+id); s != 204 {
		e.t.Fatalf("add %s to %s: %d", login, group, s)
	}
	return id
}

func userIDs(list []*engine.Execution) []string {
	var out []string
	for _, ex := range list {
		out = append(out, engine.ToText(at(ex.Input, "Okta User", "ID")))
	}
	return out
}

// Adding a user to a group in the sandbox starts the seed flow through an
// Okta event hook: verification, authorization, one execution per event,
// redeliveries ignored, also after a restart.
func TestEventHookEndToEnd(t *testing.T) {
	e := newEvEnv(t)
	f := e.seedVariant("hooked")
	st := e.rt.State(f)
	if st.EventType != "group.user_membership.add" || st.Delivery != "hook" || st.Secret == "" {
		t.Fatalf("state %+v", st)
	}
	hookURL := e.hs.URL + st.Endpoint // the connection's shared hook (one per Okta org)
	if st.Endpoint != "/hooks/okta/connection/sandbox" || !st.Shared {
		t.Fatalf("hook endpoint %q", st.Endpoint)
	}
	e.srv.AddEventHook(sandbox.EventHook{URL: hookURL, AuthHeader: "Authorization", AuthValue: st.Secret,
		EventTypes: []string{"group.user_membership.add"}})
	if err := e.srv.VerifyEventHook(hookURL); err != nil {
		t.Fatal(err)
	}
	alice := e.addToGroup("alice.nguyen@example.com", "Sales")
	list := e.wait("hooked", 1)
	ex := list[0]
	if at(ex.Input, "Okta User", "ID") != alice || at(ex.Input, "Group", "Display Name") != "Sales" ||
		at(ex.Input, "Event Type") != "group.user_membership.add" || at(ex.Input, "Admin", "Alternate ID") == "" {
		t.Fatalf("input %s", asJSON(ex.Input))
	}
	if u, _ := e.srv.User(alice); at(u, "profile", "isMemberOfGroup") != true {
		t.Fatal("the flow did not update the user")
	}
	if strings.Contains(asJSON(ex), st.Secret) {
		t.Fatal("hook secret recorded in history")
	}
	// the same delivery again (Okta retries): ignored
	var ev sandbox.LogEvent
	for _, x := range e.srv.Events() {
		if x.EventType == "group.user_membership.add" {
			ev = x
		}
	}
	body, _ := json.Marshal(map[string]any{"eventId": "redelivery", "data": map[string]any{"events": []any{ev}}})
	post := func() string {
		req, _ := http.NewRequest("POST", hookURL, strings.NewReader(string(body)))
		req.Header.Set("Authorization", st.Secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if got := post(); !strings.Contains(got, `"accepted":0`) {
		t.Fatalf("redelivery: %s", got)
	}
	// wrong secret: refused, nothing runs
	req, _ := http.NewRequest("POST", hookURL, strings.NewReader(string(body)))
	req.Header.Set("Authorization", "guess")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Fatalf("wrong secret: %v %v", resp, err)
	}
	// restart: the seen event ids survive
	e.stop()
	e.open()
	if got := post(); !strings.Contains(got, `"accepted":0`) {
		t.Fatalf("redelivery after restart: %s", got)
	}
	bob := e.addToGroup("bob.martinez@example.com", "Engineering")
	list = e.wait("hooked", 2)
	if ids := userIDs(list); ids[0] != alice || ids[1] != bob {
		t.Fatalf("ran for %v", ids)
	}
	e.stop()
}

// The same flow through System Log polling: cursor stored, events while
// closed picked up at start, nothing run twice.
func TestEventPollingEndToEnd(t *testing.T) {
	e := newEvEnv(t)
	f := e.seedVariant("polled", engine.Field{Key: "delivery", Value: "poll"}, engine.Field{Key: "pollInterval", Value: "1h"})
	if st := e.rt.State(f); st.Delivery != "poll" || !st.Listening {
		t.Fatalf("state %+v", st)
	}
	ctx := context.Background()
	carol := e.addToGroup("carol.okafor@example.com", "Sales")
	_ = e.addToGroup("carol.okafor@example.com", "Sales") // already a member: no event
	if err := e.rt.PollNow(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	list := e.wait("polled", 1)
	if at(list[0].Input, "Okta User", "ID") != carol || at(list[0].Input, "UUID") == "" {
		t.Fatalf("input %s", asJSON(list[0].Input))
	}
	if err := e.rt.PollNow(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	e.stop()
	david := e.addToGroup("david.kim@example.com", "Sales") // while closed
	e.open()                                                // the start-up poll resumes at the stored cursor
	e.wait("polled", 2)
	emma := e.addToGroup("emma.schmidt@example.com", "Sales")
	if err := e.rt.PollNow(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.rt.PollNow(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	list = e.wait("polled", 3)
	if ids := strings.Join(userIDs(list), ","); ids != carol+","+david+","+emma {
		t.Fatalf("ran for %s", ids)
	}
	// turning off and on starts from then (no replay of the off time)
	off := *f
	off.Enabled = false
	_ = e.st.PutFlow(&off)
	_ = e.rt.Sync(&off)
	_ = e.addToGroup("farah.haddad@example.com", "Sales")
	// System Log's since is inclusive at millisecond precision: an event of
	// the very millisecond the flow is switched on is taken (nothing lost),
	// so the off-time event is made a few milliseconds earlier
	time.Sleep(5 * time.Millisecond)
	on := off
	on.Enabled = true
	_ = e.st.PutFlow(&on)
	_ = e.rt.Sync(&on)
	_ = e.rt.PollNow(ctx, f.ID)
	e.wait("polled", 3)
	e.stop()
}

func TestEventMapping(t *testing.T) {
	for _, ec := range EventCards {
		s := SampleEvent(EventCardID(ec.Method))
		if len(s) != len(ec.Outputs) {
			t.Fatalf("%s: %d outputs, want %d", ec.Method, len(s), len(ec.Outputs))
		}
		spec, ok := engine.Default().ByOkta(eventKinds(&ec)[0])
		if !ok || spec.Kind != engine.KindTrigger {
			t.Fatalf("%s not registered", ec.Method)
		}
	}
	s := SampleEvent(EventCardID("userAddedToApplicationMembership"))
	if at(s, "Application", "Display Name") != "Slack" || at(s, "Application User", "Type") != "AppUser" || at(s, "Okta User", "Alternate ID") != "jane.doe@example.com" {
		t.Fatalf("%s", asJSON(s))
	}
	// a delivery with other event types runs only the matching ones; bad JSON is an error
	f := &engine.Flow{ID: "x", Trigger: engine.Card{Type: EventCardID("userCreated"),
		Outputs: []engine.Field{{Key: "Severity"}}}}
	body := `{"eventId":"e1","eventTime":"2025-01-01T00:00:00.000Z","source":"s","data":{"events":[
	  {"uuid":"a","eventType":"user.lifecycle.create","severity":"INFO","published":"2025-01-01T00:00:00.000Z","actor":{"id":"00u1","alternateId":"admin@x","displayName":"A","type":"User"},
	   "target":[{"id":"00u2","type":"User","alternateId":"new@x","displayName":"New"}],"debugContext":{"debugData":{"requestId":"r"}}},
	  {"uuid":"b","eventType":"user.lifecycle.activate"}]}}`
	evs, err := parseHook(f, http.Header{"Content-Type": {"application/json"}}, []byte(body))
	if err != nil || len(evs) != 1 || evs[0].ID != "a" {
		t.Fatalf("%v %v", evs, err)
	}
	in := evs[0].Input
	if at(in, "Okta User", "ID") != "00u2" || at(in, "Admin", "Display Name") != "A" || at(in, "Event ID") != "e1" ||
		at(in, "Debug Context", "Debug Data", "requestId") != "r" || in["Severity"] != "INFO" || at(in, "Headers", "Content-Type") != "application/json" {
		t.Fatalf("%s", asJSON(in))
	}
	if _, err := parseHook(f, nil, []byte(`{"data":`)); err == nil {
		t.Fatal("bad JSON accepted")
	}
}
