package microsoft365

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/microsoft365/fake"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
	"github.com/flowbench/flowbench/engine/trigger"
)

// subRig is a trigger runtime over a store; front serves the current rig's
// webhook route on one loopback address the fake tenant calls (stable
// across restarts, as a public URL is).
type subRig struct {
	st  *store.Store
	rt  *trigger.Runtime
	ex  *engine.Executor
	clk *trigger.FakeClock
}

type front struct {
	*httptest.Server
	cur atomic.Pointer[subRig]
}

func newFront(t *testing.T) *front {
	fr := &front{}
	fr.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g := fr.cur.Load()
		if g == nil {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		g.rt.SignedHookHandler().ServeHTTP(w, r)
	}))
	t.Cleanup(fr.Close)
	return fr
}

func startSubRig(t *testing.T, tn *tenant, dir string, clk *trigger.FakeClock, fr *front, base func() string) *subRig {
	t.Helper()
	st, err := store.Open(dir, store.Options{Key: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range tn.conns {
		if err := st.PutConnection(c); err != nil {
			t.Fatal(err)
		}
	}
	g := &subRig{st: st, clk: clk}
	g.ex = engine.NewExecutor(st, st, st)
	g.ex.Services["governor"] = httpx.NewGovernor()
	g.ex.Services["http"] = tn.tr // every Graph exchange checked against the description
	g.rt = trigger.New(g.ex, st, trigger.Options{ResyncEvery: -1, Clock: clk,
		WebhookBase: func(string, string) string { return base() }})
	fr.cur.Store(g)
	if err := g.rt.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return g
}

func (g *subRig) close() {
	g.rt.Stop()
	g.ex.Wait()
	_ = g.st.Close()
}

func (g *subRig) sync(t *testing.T, f *engine.Flow) *engine.Flow {
	t.Helper()
	if err := g.st.PutFlow(f); err != nil {
		t.Fatal(err)
	}
	stored, err := g.st.Flow(context.Background(), f.ID)
	if err != nil {
		t.Fatal(err)
	}
	_ = g.rt.Sync(stored)
	return stored
}

// graphSubs lists the fake tenant's subscriptions whose notification URL
// is a flow's.
func graphSubs(t *testing.T, tn *tenant, flowID string) []map[string]any {
	t.Helper()
	code, out := graphCall(t, tn, "GET", "/subscriptions", nil)
	if code != 200 {
		t.Fatalf("list subscriptions: %d %s", code, asJSON(out))
	}
	var mine []map[string]any
	for _, v := range out["value"].([]any) {
		s := v.(map[string]any)
		if strings.HasSuffix(s["notificationUrl"].(string), "/webhooks/"+KindAdmin+"/"+flowID) {
			mine = append(mine, s)
		}
	}
	return mine
}

// TestSubscriptionLifecycle: switching an event flow on makes the Graph
// subscription for its card (our URL, resource, change types, a clientState
// that is never shown); a change in the tenant then starts a run; a restart
// keeps the subscription (no second one); it is renewed (PATCH) before it
// expires; switching off deletes it at Graph.
func TestSubscriptionLifecycle(t *testing.T) {
	cases := []struct {
		card, resource, changeType string
		cause                      func(t *testing.T, tn *tenant) string // makes an event, returns the id the run must carry
		out                        string
	}{
		{"office365admin.event.userCreated", "users", "created", func(t *testing.T, tn *tenant) string {
			u := tn.must(t, "office365admin:createUser", map[string]any{"displayName": "Sam Sub", "userPrincipalName": "sam.sub@example.com", "password": "Temp#12345"})
			return u["id"].(string)
		}, "User ID"},
		{"office365admin.event.groupChanged", "groups", "created,updated,deleted", func(t *testing.T, tn *tenant) string {
			u := tn.must(t, "office365admin:createUser", map[string]any{"displayName": "Gia Group", "userPrincipalName": "gia.group@example.com", "password": "Temp#12345"})
			tn.must(t, "office365admin:addUserToGroup", map[string]any{"User/id": u["id"], "Group/id": fake.GroupSales})
			return fake.GroupSales
		}, "Group ID"},
	}
	for _, tc := range cases {
		t.Run(tc.card, func(t *testing.T) {
			tn := newTenant(t, fake.Config{})
			dir := t.TempDir()
			clk := trigger.NewFakeClock(time.Now())
			fr := newFront(t)
			g := startSubRig(t, tn, dir, clk, fr, func() string { return fr.URL })
			admin := connFor(KindAdmin)
			f := &engine.Flow{Format: engine.FlowFormat, ID: "sub-" + strings.ReplaceAll(tc.resource, ",", ""), Name: "subscribed " + tc.card, Enabled: true,
				Settings: engine.Settings{History: true}, Trigger: engine.Card{ID: "trigger", Type: tc.card, Connection: admin}}
			stored := g.sync(t, f)

			subs := graphSubs(t, tn, f.ID)
			if len(subs) != 1 {
				t.Fatalf("switched on: %d Graph subscriptions for the flow, want 1", len(subs))
			}
			s := subs[0]
			if s["resource"] != tc.resource || s["changeType"] != tc.changeType || s["notificationUrl"] != fr.URL+"/webhooks/office365admin/"+f.ID || s["clientState"] == "" {
				t.Fatalf("subscription: %s", asJSON(s))
			}
			state := g.rt.State(stored)
			if state.Subscription == nil || state.Subscription.ID != s["id"] || state.Subscription.Error != "" || state.Subscription.Expires == nil ||
				state.Subscription.Vendor != "Microsoft Graph" {
				t.Fatalf("card state: %s", asJSON(state))
			}
			if strings.Contains(asJSON(state), s["clientState"].(string)) {
				t.Fatalf("the card state shows the clientState: %s", asJSON(state))
			}

			want := tc.cause(t, tn)
			runs := waitRuns(t, g.st, f.ID, 1)
			if runs[0].Status != "success" || runs[0].Cards[0].Outputs[tc.out] != want {
				t.Fatalf("run: %s", asJSON(runs[0]))
			}

			// restart: the stored subscription is the flow's; no second one
			g.close()
			g = startSubRig(t, tn, dir, clk, fr, func() string { return fr.URL })
			defer func() { g.close() }()
			if again := graphSubs(t, tn, f.ID); len(again) != 1 || again[0]["id"] != s["id"] {
				t.Fatalf("after restart: %s, want only %s", asJSON(again), s["id"])
			}
			first := g.rt.Subscription(f.ID)
			if first == nil || first.Secret == "" {
				t.Fatalf("stored subscription after restart: %+v", first)
			}
			g.rt.RenewSubscriptions() // not due: nothing changes
			if again := g.rt.Subscription(f.ID); !again.Expires.Equal(first.Expires) {
				t.Fatalf("renewed before its time: %v → %v", first.Expires, again.Expires)
			}

			// renewal: past RenewAt, PATCH moves the expiry
			clk.Set(first.RenewAt.Add(time.Minute))
			g.rt.RenewSubscriptions()
			renewed := g.rt.Subscription(f.ID)
			if !renewed.Expires.After(first.Expires) || renewed.ID != first.ID {
				t.Fatalf("renewal: %v → %v (%s)", first.Expires, renewed.Expires, asJSON(g.rt.State(stored)))
			}
			subs = graphSubs(t, tn, f.ID)
			if got, _ := time.Parse(time.RFC3339Nano, subs[0]["expirationDateTime"].(string)); !got.Equal(renewed.Expires) {
				t.Fatalf("Graph has expiry %v, stored %v", subs[0]["expirationDateTime"], renewed.Expires)
			}

			// off: Graph has none, nothing is stored, the card shows none
			off := *stored
			off.Enabled = false
			g.sync(t, &off)
			if subs := graphSubs(t, tn, f.ID); len(subs) != 0 {
				t.Fatalf("switched off: %s", asJSON(subs))
			}
			if g.rt.Subscription(f.ID) != nil || g.rt.State(&off).Subscription != nil {
				t.Fatalf("switched off: still stored: %s", asJSON(g.rt.State(&off)))
			}
		})
	}
}

// TestSubscriptionErrors: the card says why there is no subscription — no
// address Graph can reach, a loopback URL for the real Graph, a refusal by
// Graph — and a deleted flow's subscription is removed.
func TestSubscriptionErrors(t *testing.T) {
	tn := newTenant(t, fake.Config{})
	clk := trigger.NewFakeClock(time.Now())
	base := ""
	fr := newFront(t)
	g := startSubRig(t, tn, t.TempDir(), clk, fr, func() string { return base })
	defer g.close()
	admin := connFor(KindAdmin)
	f := &engine.Flow{Format: engine.FlowFormat, ID: "sub-err", Name: "sub err", Enabled: true,
		Trigger: engine.Card{ID: "trigger", Type: "office365admin.event.userCreated", Connection: admin}}
	stored := g.sync(t, f)
	if s := g.rt.State(stored).Subscription; s == nil || !strings.Contains(s.Error, "FLOWBENCH_PUBLIC_URL") {
		t.Fatalf("no base: %s", asJSON(s))
	}

	// a connection to the real Graph cannot call back a loopback URL
	real := *tn.conns[admin]
	real.ID, real.Config = "real-graph", map[string]any{}
	for k, v := range tn.conns[admin].Config {
		real.Config[k] = v
	}
	delete(real.Config, "baseUrl")
	if err := g.st.PutConnection(&real); err != nil {
		t.Fatal(err)
	}
	base = fr.URL
	rf := *f
	rf.ID, rf.Trigger.Connection = "sub-real", real.ID
	rs := g.sync(t, &rf)
	if s := g.rt.State(rs).Subscription; s == nil || !strings.Contains(s.Error, "only reachable from this computer") {
		t.Fatalf("loopback for the real Graph: %s", asJSON(s))
	}

	// Graph refuses (no permission): the card shows Graph's message
	tn.fake.SetFaults([]kit.Fault{{Method: "POST", PathPrefix: "/v1.0/subscriptions", Status: 403}})
	stored = g.sync(t, &engine.Flow{Format: engine.FlowFormat, ID: f.ID, Name: f.Name, Enabled: true, Trigger: f.Trigger, Description: "edited"})
	if s := g.rt.State(stored).Subscription; s == nil || !strings.Contains(s.Error, "Injected fault") {
		t.Fatalf("refused: %s", asJSON(s))
	}
	tn.fake.SetFaults(nil)

	// fixed: the next switch subscribes; deleting the flow removes it
	stored = g.sync(t, &engine.Flow{Format: engine.FlowFormat, ID: f.ID, Name: f.Name, Enabled: true, Trigger: f.Trigger})
	if s := g.rt.State(stored).Subscription; s == nil || s.Error != "" || len(graphSubs(t, tn, f.ID)) != 1 {
		t.Fatalf("after the fix: %s", asJSON(s))
	}
	g.rt.Off(f.ID)
	if n := len(graphSubs(t, tn, f.ID)); n != 0 {
		t.Fatalf("deleted flow: %d subscriptions left", n)
	}
}
