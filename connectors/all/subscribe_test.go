package all

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
	"github.com/flowbench/flowbench/engine/trigger"
)

// subscribingApps are the connectors whose event flows register their
// webhook at the vendor when switched on (kit.Webhook.Subscribe), with how
// a test sees the fake's subscriptions and makes an event.
var subscribingApps = []struct {
	app, card string
	inputs    []engine.Field
	// subs lists the fake's subscriptions: vendor id → notification URL
	subs  func(f kit.Fake) map[string]string
	cause func(ctx context.Context, cl *kit.Client) error
	out   string // a trigger output the run must carry
	want  any
}{
	{app: "office365admin", card: "office365admin.event.userCreated",
		subs: func(f kit.Fake) map[string]string {
			return f.(interface{ Subscriptions() map[string]string }).Subscriptions()
		},
		cause: func(ctx context.Context, cl *kit.Client) error {
			_, err := cl.Do(ctx, &kit.Call{Method: "POST", Path: "/users", JSON: map[string]any{"accountEnabled": true, "displayName": "Wes Hook",
				"mailNickname": "wes.hook", "userPrincipalName": "wes.hook@example.com", "passwordProfile": map[string]any{"password": "Temp#12345"}}})
			return err
		}, out: "Change Type", want: "created"},
	{app: "github", card: "github.event.memberInvitedToOrganization", inputs: []engine.Field{{Key: "org", Value: "flowbench"}},
		subs: func(f kit.Fake) map[string]string {
			out := map[string]string{}
			for id, u := range f.(interface{ Hooks(string) map[int64]string }).Hooks("flowbench") {
				out[strconv.FormatInt(id, 10)] = u
			}
			return out
		},
		cause: func(ctx context.Context, cl *kit.Client) error {
			_, err := cl.Do(ctx, &kit.Call{Method: "PUT", Path: "/orgs/flowbench/memberships/emma-schmidt", JSON: map[string]any{"role": "member"}})
			return err
		}, out: "Username", want: "emma-schmidt"},
	{app: "jira", card: "jira.event.issueCreated", inputs: []engine.Field{{Key: "project", Group: "parameters", Value: "HEL"}},
		subs: func(f kit.Fake) map[string]string {
			out := map[string]string{}
			for id, u := range f.(interface{ Webhooks() map[int]string }).Webhooks() {
				out[strconv.Itoa(id)] = u
			}
			return out
		},
		cause: func(ctx context.Context, cl *kit.Client) error {
			_, err := cl.Do(ctx, &kit.Call{Method: "POST", Path: "/rest/api/3/issue", JSON: map[string]any{"fields": map[string]any{
				"project": map[string]any{"key": "HEL"}, "issuetype": map[string]any{"id": "10001"}, "summary": "Laptop for Wes"}}})
			return err
		}, out: "Summary", want: "Laptop for Wes"},
}

type subHost struct {
	st *store.Store
	ex *engine.Executor
	rt *trigger.Runtime
}

// TestWebhookSubscriptions: for every subscribing connector, switching an
// event flow on makes the subscription at the app's fake with the flow's
// URL; an event in the fake then starts a run; a restart of the runtime
// keeps the one subscription; switching off removes it at the fake.
func TestWebhookSubscriptions(t *testing.T) {
	for _, tc := range subscribingApps {
		t.Run(tc.app, func(t *testing.T) {
			rf, err := kit.StartFake(tc.app, "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer rf.Close()
			var cur atomic.Pointer[subHost]
			front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if h := cur.Load(); h != nil {
					h.rt.SignedHookHandler().ServeHTTP(w, r)
					return
				}
				http.Error(w, "down", http.StatusServiceUnavailable)
			}))
			defer front.Close()
			dir := t.TempDir()
			start := func() *subHost {
				st, err := store.Open(dir, store.Options{Key: []byte("0123456789abcdef0123456789abcdef")})
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range rf.Connections() {
					if err := st.PutConnection(c); err != nil {
						t.Fatal(err)
					}
				}
				h := &subHost{st: st, ex: engine.NewExecutor(st, st, st)}
				h.ex.Services["governor"] = httpx.NewGovernor()
				h.rt = trigger.New(h.ex, st, trigger.Options{ResyncEvery: -1, WebhookBase: func(string, string) string { return front.URL }})
				cur.Store(h)
				if err := h.rt.Start(context.Background()); err != nil {
					t.Fatal(err)
				}
				return h
			}
			stop := func(h *subHost) { h.rt.Stop(); h.ex.Wait(); _ = h.st.Close() }
			h := start()
			conn := kit.SandboxID(tc.app)
			flowURL := front.URL + "/webhooks/" + tc.app + "/wh-" + tc.app
			f := &engine.Flow{Format: engine.FlowFormat, ID: "wh-" + tc.app, Name: "subscribed " + tc.app, Enabled: true,
				Settings: engine.Settings{History: true}, Trigger: engine.Card{ID: "trigger", Type: tc.card, Connection: conn, Inputs: tc.inputs}}
			put := func(f *engine.Flow) *engine.Flow {
				if err := h.st.PutFlow(f); err != nil {
					t.Fatal(err)
				}
				stored, _ := h.st.Flow(context.Background(), f.ID)
				_ = h.rt.Sync(stored)
				return stored
			}
			stored := put(f)
			mine := func() []string {
				var ids []string
				for id, u := range tc.subs(rf.Fake) {
					if u == flowURL {
						ids = append(ids, id)
					}
				}
				return ids
			}
			ids := mine()
			if len(ids) != 1 {
				t.Fatalf("switched on: %d subscriptions at the fake for %s (state %+v)", len(ids), flowURL, h.rt.State(stored).Subscription)
			}
			if s := h.rt.State(stored).Subscription; s == nil || s.Error != "" || s.URL != flowURL {
				t.Fatalf("card state: %+v", s)
			}

			c, _ := kit.Lookup(tc.app)
			var cc *engine.Connection
			for _, x := range rf.Connections() {
				if x.ID == conn {
					cc = x
				}
			}
			cl, err := c.NewClient(cc, kit.ClientOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.cause(context.Background(), cl); err != nil {
				t.Fatal(err)
			}
			var run *engine.Execution
			for deadline := time.Now().Add(20 * time.Second); run == nil && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				h.st.Flush()
				if list, _ := h.st.Executions(store.Query{Flow: f.ID}); len(list) == 1 && list[0].Status != "running" {
					run, _ = h.st.Execution(list[0].ID)
				}
			}
			if run == nil || run.Status != "success" || run.Cards[0].Outputs[tc.out] != tc.want {
				t.Fatalf("run: %+v", run)
			}

			// restart: the same single subscription
			stop(h)
			h = start()
			if again := mine(); len(again) != 1 || again[0] != ids[0] {
				t.Fatalf("after restart: %v, want %v", again, ids)
			}

			// off: none at the fake
			off := *stored
			off.Enabled = false
			put(&off)
			if left := mine(); len(left) != 0 {
				t.Fatalf("switched off: %v left", left)
			}
			if strings.Contains(h.rt.State(&off).Error, "subscri") || h.rt.Subscription(f.ID) != nil {
				t.Fatalf("switched off: %+v", h.rt.State(&off))
			}
			stop(h)
		})
	}
}
