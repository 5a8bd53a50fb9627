package trigger_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// vendor is a fake vendor's subscription API, recorded by the "subtest"
// provider's Subscriber.
type vendor struct {
	mu               sync.Mutex
	subs             map[string]*trigger.Subscription // id → subscription
	creates, deletes int
	renews, checks   int
	fail             error
	seq              int
}

var subVendor = &vendor{subs: map[string]*trigger.Subscription{}}

func (v *vendor) list() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	var out []string
	for id, s := range v.subs {
		out = append(out, id+" "+s.URL)
	}
	slices.Sort(out)
	return out
}

func init() {
	engine.Register(&engine.Spec{ID: "test.subevent", Title: "Subscribed Event", Kind: engine.KindTrigger, ExtensibleOutputs: true,
		Inputs: []engine.FieldSpec{{Key: "scope", Type: engine.T("string")}, {Key: "delivery", Type: engine.T("string")}}})
	v := subVendor
	trigger.RegisterEvents(&trigger.EventProvider{
		Name:            "subtest",
		Handles:         func(t string) bool { return t == "test.subevent" },
		DefaultDelivery: trigger.DeliveryHook,
		Parse: func(f *engine.Flow, h http.Header, body []byte) ([]trigger.Event, error) {
			return []trigger.Event{{ID: h.Get("X-Id"), Input: map[string]any{"body": string(body)}}}, nil
		},
		Poll: func(context.Context, trigger.PollEnv, *engine.Flow, string) (trigger.PollResult, error) {
			return trigger.PollResult{}, nil
		},
		Subscriber: &trigger.Subscriber{
			Vendor: "Test Vendor",
			Subscribe: func(_ context.Context, env trigger.SubscribeEnv, f *engine.Flow) (*trigger.Subscription, error) {
				v.mu.Lock()
				defer v.mu.Unlock()
				if v.fail != nil {
					return nil, v.fail
				}
				v.creates++
				v.seq++
				s := &trigger.Subscription{ID: fmt.Sprintf("sub-%d", v.seq), URL: env.URL, Secret: fmt.Sprintf("secret-%d", v.seq),
					Resource: "scope " + engine.ToText(trigger.InputValue(f, "scope")), Expires: env.Now.Add(4 * time.Hour), RenewAt: env.Now.Add(3 * time.Hour)}
				v.subs[s.ID] = s
				return s, nil
			},
			Unsubscribe: func(_ context.Context, _ trigger.SubscribeEnv, s *trigger.Subscription) error {
				v.mu.Lock()
				defer v.mu.Unlock()
				v.deletes++
				delete(v.subs, s.ID)
				return nil
			},
			Exists: func(_ context.Context, _ trigger.SubscribeEnv, s *trigger.Subscription) (bool, error) {
				v.mu.Lock()
				defer v.mu.Unlock()
				v.checks++
				_, ok := v.subs[s.ID]
				return ok, nil
			},
			Renew: func(_ context.Context, env trigger.SubscribeEnv, _ *engine.Flow, s *trigger.Subscription) (*trigger.Subscription, error) {
				v.mu.Lock()
				defer v.mu.Unlock()
				v.renews++
				ns := *s
				ns.Expires, ns.RenewAt = env.Now.Add(4*time.Hour), env.Now.Add(3*time.Hour)
				return &ns, nil
			},
		},
	})
	// deliveries carry the subscription's secret: the runtime hands the
	// listening flows' secrets to Authenticate
	trigger.RegisterSignedHook("subtest", trigger.SignedHook{Authenticate: func(ctx context.Context, _ *engine.Connection, r *http.Request, _ []byte) error {
		if slices.Contains(trigger.SubscriptionSecrets(ctx), r.Header.Get("X-Secret")) {
			return nil
		}
		return errors.New("not from our subscription")
	}})
}

// TestSubscriptionRuntime: the runtime subscribes a hook flow when it is
// switched on, keeps the subscription across edits that do not change the
// trigger and across a restart, replaces it when a trigger option changes,
// renews it at its time, shows errors on the card, removes it for polling,
// switching off and deletion; deliveries authenticate with its secret.
func TestSubscriptionRuntime(t *testing.T) {
	v := subVendor
	v.mu.Lock()
	v.subs, v.creates, v.deletes, v.renews, v.seq, v.fail = map[string]*trigger.Subscription{}, 0, 0, 0, 0, nil // -count=N
	v.mu.Unlock()
	clk := trigger.NewFakeClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	dir := t.TempDir()
	base := "https://flows.example.com"
	opt := trigger.Options{Clock: clk, WebhookBase: func(string, string) string { return base }}
	e := newEnv(t, dir, opt)
	for _, id := range []string{"c1", "c2"} {
		if err := e.st.PutConnection(&engine.Connection{ID: id, Kind: "subtest", Name: id}); err != nil {
			t.Fatal(err)
		}
	}
	e.start()
	defer func() { e.close() }()
	url := base + "/webhooks/subtest/subbed"
	f := &engine.Flow{ID: "subbed", Name: "Subscribed", Enabled: true,
		Trigger: engine.Card{ID: "trigger", Type: "test.subevent", Connection: "c1", Inputs: []engine.Field{fld("scope", "a")}}}

	check := func(step string, want []string, creates, deletes int) {
		t.Helper()
		v.mu.Lock()
		c, d := v.creates, v.deletes
		v.mu.Unlock()
		if got := v.list(); !slices.Equal(got, want) || c != creates || d != deletes {
			t.Fatalf("%s: vendor has %v (creates %d, deletes %d), want %v (%d, %d)", step, got, c, d, want, creates, deletes)
		}
	}
	stored := e.put(f)
	check("on", []string{"sub-1 " + url}, 1, 0)
	st := e.rt.State(stored)
	if st.Subscription == nil || st.Subscription.ID != "sub-1" || st.Subscription.Vendor != "Test Vendor" || st.Subscription.Resource != "scope a" ||
		st.Subscription.Expires == nil || st.Subscription.Error != "" {
		t.Fatalf("state: %+v", st.Subscription)
	}
	if b, _ := json.Marshal(st); strings.Contains(string(b), "secret-1") {
		t.Fatalf("the state shows the secret: %s", b)
	}

	// a delivery with the subscription's secret is accepted, another refused
	hs := httptest.NewServer(e.rt.SignedHookHandler())
	defer hs.Close()
	post := func(secret, id string) int {
		req, _ := http.NewRequest("POST", hs.URL+"/webhooks/subtest/subbed", strings.NewReader(`{"n":1}`))
		req.Header.Set("X-Secret", secret)
		req.Header.Set("X-Id", id)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("secret-1", "e1"); code != 200 {
		t.Fatalf("delivery with the subscription's secret: %d", code)
	}
	if code := post("guess", "e2"); code != 401 {
		t.Fatalf("delivery with another secret: %d", code)
	}
	e.waitExecutions(f.ID, 1)

	// an edit elsewhere in the flow keeps it
	f2 := *f
	f2.Description = "edited"
	e.put(&f2)
	check("edit", []string{"sub-1 " + url}, 1, 0)

	// restart: the stored subscription is this flow's; nothing new
	e.close()
	e = newEnv(t, dir, opt).start()
	check("restart", []string{"sub-1 " + url}, 1, 0)

	// renewal at its time only
	e.rt.RenewSubscriptions()
	if v.renews != 0 {
		t.Fatal("renewed before RenewAt")
	}
	clk.Advance(3*time.Hour + time.Minute)
	e.rt.RenewSubscriptions()
	if s := e.rt.Subscription(f.ID); v.renews != 1 || s == nil || !s.Expires.Equal(clk.Now().Add(4*time.Hour)) || s.ID != "sub-1" || s.Secret != "secret-1" {
		t.Fatalf("renewal: %d renews, stored %+v", v.renews, s)
	}

	// another option: the old one goes, a new one comes
	f3 := *f
	f3.Trigger.Inputs = []engine.Field{fld("scope", "b")}
	stored = e.put(&f3)
	check("option changed", []string{"sub-2 " + url}, 2, 1)

	// the vendor refuses: the card says so, the flow still listens
	v.mu.Lock()
	v.fail = errors.New("403 the token lacks admin:org_hook")
	v.mu.Unlock()
	f4 := f3
	f4.Trigger.Connection = "c2"
	stored = e.put(&f4)
	st = e.rt.State(stored)
	if !st.Listening || st.Subscription == nil || st.Subscription.Error != "not subscribed at Test Vendor: 403 the token lacks admin:org_hook" {
		t.Fatalf("refused: %+v", st.Subscription)
	}
	check("refused", nil, 2, 2)
	v.mu.Lock()
	v.fail = nil
	v.mu.Unlock()
	stored = e.put(&f3)
	check("fixed", []string{"sub-3 " + url}, 3, 2)

	// delivery by polling needs no subscription
	f5 := f3
	f5.Trigger.Inputs = append(slices.Clone(f3.Trigger.Inputs), fld("delivery", "poll"))
	e.put(&f5)
	check("poll", nil, 3, 3)
	stored = e.put(&f3)
	check("hook again", []string{"sub-4 " + url}, 4, 3)

	// no address the vendor can reach: said on the card, nothing made
	base = ""
	f6 := f3
	f6.Trigger.Inputs = []engine.Field{fld("scope", "c")}
	stored = e.put(&f6)
	if s := e.rt.State(stored).Subscription; s == nil || !strings.Contains(s.Error, "FLOWBENCH_PUBLIC_URL") {
		t.Fatalf("no address: %+v", s)
	}
	check("no address", nil, 4, 4)
	base = "https://flows.example.com"
	stored = e.put(&f3)
	check("address back", []string{"sub-5 " + url}, 5, 4)

	// off, then on and deleted
	off := f3
	off.Enabled = false
	stored = e.put(&off)
	check("off", nil, 5, 5)
	if e.rt.Subscription(f.ID) != nil || e.rt.State(stored).Subscription != nil {
		t.Fatalf("off: still stored %+v", e.rt.State(stored).Subscription)
	}
	e.put(&f3)
	check("on again", []string{"sub-6 " + url}, 6, 5)
	e.rt.Off(f.ID)
	check("deleted", nil, 6, 6)
}

// TestSubscriptionExpiredWhileClosed: a subscription that expired while the
// app was closed is made anew at the restart (the vendor dropped it).
func TestSubscriptionExpiredWhileClosed(t *testing.T) {
	v := subVendor
	clk := trigger.NewFakeClock(time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC))
	dir := t.TempDir()
	opt := trigger.Options{Clock: clk, WebhookBase: func(string, string) string { return "https://flows.example.com" }}
	e := newEnv(t, dir, opt).start()
	f := &engine.Flow{ID: "expiring", Name: "Expiring", Enabled: true,
		Trigger: engine.Card{ID: "trigger", Type: "test.subevent", Connection: "c1", Inputs: []engine.Field{fld("scope", "x")}}}
	e.put(f)
	first := e.rt.Subscription(f.ID)
	e.close()
	clk.Advance(5 * time.Hour) // past Expires (4 h)
	e = newEnv(t, dir, opt).start()
	defer e.close()
	again := e.rt.Subscription(f.ID)
	if first == nil || again == nil || again.ID == first.ID || !again.Expires.After(clk.Now()) {
		t.Fatalf("after expiry: %+v → %+v", first, again)
	}
	v.mu.Lock()
	_, old := v.subs[first.ID]
	_, cur := v.subs[again.ID]
	v.mu.Unlock()
	if old || !cur {
		t.Fatalf("vendor: old kept %v, new present %v", old, cur)
	}
	e.rt.Off(f.ID)
}

// TestSubscriptionOfFlowDeletedWhileClosed: a flow deleted while the
// runtime was not running loses its subscription at the next start.
func TestSubscriptionOfFlowDeletedWhileClosed(t *testing.T) {
	v := subVendor
	dir := t.TempDir()
	opt := trigger.Options{WebhookBase: func(string, string) string { return "https://flows.example.com" }}
	e := newEnv(t, dir, opt).start()
	f := &engine.Flow{ID: "doomed", Name: "Doomed", Enabled: true,
		Trigger: engine.Card{ID: "trigger", Type: "test.subevent", Connection: "c1", Inputs: []engine.Field{fld("scope", "z")}}}
	e.put(f)
	s := e.rt.Subscription(f.ID)
	e.close()
	e = newEnv(t, dir, opt)
	if err := e.st.DeleteFlow(f.ID); err != nil {
		t.Fatal(err)
	}
	e.start()
	defer e.close()
	v.mu.Lock()
	_, left := v.subs[s.ID]
	v.mu.Unlock()
	if left || e.rt.Subscription(f.ID) != nil {
		t.Fatalf("deleted flow's subscription %s still there (vendor %v)", s.ID, left)
	}
}

// TestSubscriptionGoneAtVendor: after a start the stored subscription is
// read back once; one the vendor no longer has (an admin removed it) is
// made again; edits after that do not ask again.
func TestSubscriptionGoneAtVendor(t *testing.T) {
	v := subVendor
	dir := t.TempDir()
	opt := trigger.Options{WebhookBase: func(string, string) string { return "https://flows.example.com" }}
	e := newEnv(t, dir, opt).start()
	f := &engine.Flow{ID: "removed-by-admin", Name: "Removed", Enabled: true,
		Trigger: engine.Card{ID: "trigger", Type: "test.subevent", Connection: "c1", Inputs: []engine.Field{fld("scope", "q")}}}
	e.put(f)
	first := e.rt.Subscription(f.ID)
	e.close()
	v.mu.Lock()
	delete(v.subs, first.ID) // removed at the vendor while the app was closed
	checks := v.checks
	v.mu.Unlock()
	e = newEnv(t, dir, opt).start()
	defer e.close()
	again := e.rt.Subscription(f.ID)
	v.mu.Lock()
	_, there := v.subs[again.ID]
	asked := v.checks - checks
	v.mu.Unlock()
	if again.ID == first.ID || !there || asked != 1 {
		t.Fatalf("after removal at the vendor: %s → %s (at the vendor %v, asked %d times)", first.ID, again.ID, there, asked)
	}
	f2 := *f
	f2.Description = "edited"
	e.put(&f2)
	v.mu.Lock()
	asked = v.checks - checks
	v.mu.Unlock()
	if asked != 1 || e.rt.Subscription(f.ID).ID != again.ID {
		t.Fatalf("an edit asked the vendor again (%d) or replaced the subscription", asked)
	}
	e.rt.Off(f.ID)
}
