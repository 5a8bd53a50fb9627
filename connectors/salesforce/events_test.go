package salesforce

import (
	"context"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/kit/kittest"
	"github.com/flowbench/flowbench/connectors/salesforce/fake"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

// TestNewRecordPolling: a flow on New Record (Contact) runs once per
// contact created after it was switched on — with the fields its trigger
// card outputs — and never twice, however often it polls; records created
// while it is off run when it polls again (the cursor is stored).
func TestNewRecordPolling(t *testing.T) {
	f := fake.New(fake.Config{PageSize: 2})
	tg := kittest.ServeTriggers(t, "salesforce", &fakeAdapter{Server: f})
	st, ex, rt, conn := tg.Store, tg.Exec, tg.RT, tg.Conn
	f.Insert("Contact", map[string]any{"LastName": "Before", "Email": "before@example.com",
		"CreatedDate": time.Now().Add(-time.Minute).UTC().Format("2006-01-02T15:04:05.000-0700")})
	fl := &engine.Flow{Format: engine.FlowFormat, ID: "new-contacts", Name: "New contacts", Enabled: true,
		Settings: engine.Settings{History: true},
		Trigger: engine.Card{ID: "trigger", Type: "salesforce.event.newRecord", Connection: conn.ID,
			Inputs:  []engine.Field{{Key: "recordType", Group: "parameters", Value: "Contact"}, {Key: "pollInterval", Value: "1h"}},
			Outputs: []engine.Field{{Key: "Email"}, {Key: "LastName"}}},
	}
	if err := st.PutFlow(fl); err != nil {
		t.Fatal(err)
	}
	stored, _ := st.Flow(context.Background(), fl.ID)
	if err := rt.Sync(stored); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"Ada", "Grace", "Linus"} {
		f.Insert("Contact", map[string]any{"LastName": n, "Email": n + "@example.com"})
	}
	// runs polls once, waits until the queued runs are done, and lists them
	runs := func() []*engine.Execution {
		t.Helper()
		if err := rt.PollNow(context.Background(), fl.ID); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if s := rt.State(stored); s.Queued == 0 && s.Running == 0 {
				break
			}
		}
		ex.Wait()
		st.Flush()
		list, _ := st.Executions(store.Query{Flow: fl.ID})
		var out []*engine.Execution
		for _, s := range list {
			e, _ := st.Execution(s.ID)
			if e.Status == "running" {
				t.Fatalf("run %s still running", e.ID)
			}
			out = append(out, e)
		}
		return out
	}
	// the fake pages 2 records at a time: the second poll reads the next page
	got := runs()
	if len(got) < 3 {
		got = runs()
	}
	if len(got) != 3 {
		t.Fatalf("%d runs, want 3 (one per new contact)", len(got))
	}
	names := map[string]bool{}
	for _, e := range got {
		out := e.Cards[0].Outputs
		names[engine.ToText(out["LastName"])] = true
		if out["Email"] != engine.ToText(out["LastName"])+"@example.com" || out["Record Type"] != "Contact" || out["Record ID"] == nil {
			t.Errorf("trigger outputs %v", out)
		}
	}
	if !names["Ada"] || !names["Grace"] || !names["Linus"] || names["Before"] {
		t.Fatalf("runs for %v", names)
	}
	if again := runs(); len(again) != 3 {
		t.Fatalf("polling again ran %d flows in all, want still 3", len(again))
	}
	f.Insert("Contact", map[string]any{"LastName": "Later", "Email": "Later@example.com"})
	if later := runs(); len(later) != 4 {
		t.Fatalf("a later contact: %d runs, want 4", len(later))
	}
}
