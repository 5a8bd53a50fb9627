package microsoft365

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/connectors/microsoft365/fake"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
	"github.com/flowbench/flowbench/engine/trigger"
)

// waitRuns waits until flow has n finished executions.
func waitRuns(t *testing.T, st *store.Store, flow string, n int) []*engine.Execution {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		st.Flush()
		list, _ := st.Executions(store.Query{Flow: flow})
		done := 0
		for _, e := range list {
			if e.Status != "running" {
				done++
			}
		}
		if done >= n {
			var out []*engine.Execution
			for _, e := range list {
				x, _ := st.Execution(e.ID)
				out = append(out, x)
			}
			return out
		}
	}
	t.Fatalf("flow %s: fewer than %d runs", flow, n)
	return nil
}

// TestChangeNotificationTriggers: a subscription to the flow's webhook URL
// passes Graph's validation only once a flow listens; then a user created
// in the tenant starts the "User Created" flow (which reads the user) and a
// membership change starts "Group Changed"; a notification with another
// clientState is refused and a redelivery is ignored.
func TestChangeNotificationTriggers(t *testing.T) {
	tn := newTenant(t, fake.Config{})
	st, err := store.Open(t.TempDir(), store.Options{Key: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range tn.conns {
		if err := st.PutConnection(c); err != nil {
			t.Fatal(err)
		}
	}
	ex := engine.NewExecutor(st, st, st)
	ex.Services["governor"] = httpx.NewGovernor()
	rt := trigger.New(ex, st, trigger.Options{ResyncEvery: -1})
	if err := rt.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Stop(); ex.Wait(); _ = st.Close() })
	hs := httptest.NewServer(rt.SignedHookHandler())
	t.Cleanup(hs.Close)
	admin := connFor(KindAdmin)
	hook := hs.URL + "/webhooks/" + KindAdmin + "/connection/" + admin
	exp := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	subscribe := func(res, ct string) (int, map[string]any) {
		return graphCall(t, tn, "POST", "/subscriptions", map[string]any{"changeType": ct, "notificationUrl": hook, "resource": res,
			"expirationDateTime": exp, "clientState": fake.ClientState})
	}
	// no flow listens yet: the validation request gets no echo
	if code, out := subscribe("users", "created"); code != 400 {
		t.Fatalf("subscribed with no listening flow: %d %s", code, asJSON(out))
	}
	users := &engine.Flow{Format: engine.FlowFormat, ID: "new-m365-user", Name: "New Microsoft 365 user", Enabled: true,
		Settings: engine.Settings{History: true},
		Trigger:  engine.Card{ID: "trigger", Type: "office365admin.event.userCreated", Connection: admin},
		Cards: []engine.Card{{ID: "read", Type: "office365admin.readUser", Connection: admin, Inputs: []engine.Field{
			{Key: "ID or Email", From: &engine.Binding{Card: "trigger", Path: []string{"User ID"}}}}}}}
	groups := &engine.Flow{Format: engine.FlowFormat, ID: "m365-group-changed", Name: "Group changed", Enabled: true,
		Settings: engine.Settings{History: true},
		Trigger:  engine.Card{ID: "trigger", Type: "office365admin.event.groupChanged", Connection: admin}}
	for _, f := range []*engine.Flow{users, groups} {
		if err := st.PutFlow(f); err != nil {
			t.Fatal(err)
		}
		stored, _ := st.Flow(context.Background(), f.ID)
		if err := rt.Sync(stored); err != nil {
			t.Fatal(err)
		}
	}
	if code, out := subscribe("users", "created"); code != 201 {
		t.Fatalf("subscribe users: %d %s", code, asJSON(out))
	}
	if code, out := subscribe("groups", "updated"); code != 201 {
		t.Fatalf("subscribe groups: %d %s", code, asJSON(out))
	}

	// a user created through Graph (the Create User card) starts the flow
	created := tn.must(t, "office365admin:createUser", map[string]any{"displayName": "Omar Ortiz", "userPrincipalName": "omar.ortiz@example.com",
		"password": "Temp#12345"})
	runs := waitRuns(t, st, users.ID, 1)
	if runs[0].Status != "success" || runs[0].Cards[0].Outputs["User ID"] != created["id"] {
		t.Fatalf("user run: %s", asJSON(runs[0]))
	}
	read := runs[len(runs)-1].Cards[len(runs[0].Cards)-1].Outputs
	if read["displayName"] != "Omar Ortiz" {
		t.Errorf("Read User in the run gave %s", asJSON(read))
	}
	// a membership change starts Group Changed
	tn.must(t, "office365admin:addUserToGroup", map[string]any{"User/id": created["id"], "Group/id": fake.GroupSales})
	gr := waitRuns(t, st, groups.ID, 1)
	if out := gr[0].Cards[0].Outputs; out["Group ID"] != fake.GroupSales || out["Change Type"] != "updated" {
		t.Errorf("group run: %s", asJSON(out))
	}

	// forged and repeated deliveries (within the same minute: a fixed clock)
	at := time.Date(2026, 12, 1, 16, 45, 10, 0, time.UTC)
	fixedNow.Store(at.UnixNano())
	t.Cleanup(func() { fixedNow.Store(0) })
	body := []byte(fmt.Sprintf(`{"value":[{"subscriptionId":"s-1","clientState":%q,"changeType":"created","resource":"Users/u-replay",`+
		`"tenantId":%q,"resourceData":{"@odata.type":"#Microsoft.Graph.User","@odata.id":"Users/u-replay","id":"u-replay"}}]}`, "forged", fake.TenantID))
	post := func(b []byte) (int, string) {
		resp, err := http.Post(hook, "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, fmt.Sprint(m)
	}
	if code, msg := post(body); code != 401 || !strings.Contains(msg, "clientState") {
		t.Errorf("forged client state: %d %s", code, msg)
	}
	good := bytes.Replace(body, []byte(`"forged"`), []byte(fmt.Sprintf("%q", fake.ClientState)), 1)
	if code, msg := post(good); code != 200 || !strings.Contains(msg, "accepted:1") {
		t.Errorf("signed: %d %s", code, msg)
	}
	fixedNow.Store(at.Add(40 * time.Second).UnixNano())
	if code, msg := post(good); code != 200 || !strings.Contains(msg, "duplicates:1") {
		t.Errorf("redelivered: %d %s", code, msg)
	}
	// the same change a minute later is a new change (a second update)
	fixedNow.Store(at.Add(100 * time.Second).UnixNano())
	if code, msg := post(good); code != 200 || !strings.Contains(msg, "accepted:1") {
		t.Errorf("a later identical change: %d %s", code, msg)
	}
}
