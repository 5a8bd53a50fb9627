package microsoft365

import (
	"context"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/connectors/microsoft365/fake"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// pollAll runs a poll until no page is ready now and returns the events
// and the cursor after them.
func pollAll(t *testing.T, tn *tenant, f *engine.Flow, cursor string, since time.Time) ([]trigger.Event, string) {
	t.Helper()
	p := trigger.ProviderFor(f.Trigger.Type)
	if p == nil || p.Poll == nil {
		t.Fatalf("%s has no poller", f.Trigger.Type)
	}
	env := trigger.PollEnv{Connections: tn.conns, Services: map[string]any{"http": tn.tr, "governor": httpx.NewGovernor()},
		Now: time.Now(), Since: since}
	var all []trigger.Event
	for i := 0; i < 20; i++ {
		res, err := p.Poll(context.Background(), env, f, cursor)
		if err != nil {
			t.Fatal(err)
		}
		all, cursor = append(all, res.Events...), res.Cursor
		if !res.More {
			return all, cursor
		}
	}
	t.Fatal("the poll never ended its walk")
	return nil, ""
}

// TestDeltaPolling: with delivery "poll" the triggers follow Graph delta
// queries: the first walk pages through the tenant and starts nothing;
// then a new user is one User Created event and a membership change and a
// deletion are Group Changed events.
func TestDeltaPolling(t *testing.T) {
	tn := newTenant(t, fake.Config{PageSize: 5})
	since := time.Now()
	admin := connFor(KindAdmin)
	users := &engine.Flow{ID: "poll-users", Trigger: engine.Card{ID: "trigger", Type: "office365admin.event.userCreated", Connection: admin}}
	groups := &engine.Flow{ID: "poll-groups", Trigger: engine.Card{ID: "trigger", Type: "office365admin.event.groupChanged", Connection: admin}}

	evs, ucur := pollAll(t, tn, users, "", since)
	if len(evs) != 0 {
		t.Fatalf("the first walk started %d flows: %s", len(evs), asJSON(evs))
	}
	evs, gcur := pollAll(t, tn, groups, "", since)
	if len(evs) != 0 {
		t.Fatalf("groups' first walk: %s", asJSON(evs))
	}
	created := tn.must(t, "office365admin:createUser", map[string]any{"displayName": "Pia Poll", "userPrincipalName": "pia.poll@example.com", "password": "Temp#12345"})
	evs, ucur = pollAll(t, tn, users, ucur, since)
	if len(evs) != 1 || evs[0].Input["User ID"] != created["id"] || evs[0].Input["Change Type"] != "created" {
		t.Fatalf("after a new user: %s", asJSON(evs))
	}
	if evs, _ = pollAll(t, tn, users, ucur, since); len(evs) != 0 {
		t.Fatalf("nothing new, yet: %s", asJSON(evs))
	}
	tn.must(t, "office365admin:addUserToGroup", map[string]any{"User/id": created["id"], "Group/id": fake.GroupSales})
	tn.must(t, "office365admin:deleteGroup", map[string]any{"id": fake.GroupAllStaff})
	evs, _ = pollAll(t, tn, groups, gcur, since)
	got := map[string]string{}
	for _, e := range evs {
		got[e.Input["Group ID"].(string)] = e.Input["Change Type"].(string)
	}
	if len(evs) != 2 || got[fake.GroupSales] != "updated" || got[fake.GroupAllStaff] != "deleted" {
		t.Fatalf("group changes: %s", asJSON(evs))
	}
	// the user poller does not see group changes
	if evs, _ = pollAll(t, tn, users, ucur, since); len(evs) != 0 {
		t.Fatalf("users after group changes: %s", asJSON(evs))
	}
}
