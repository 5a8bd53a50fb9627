package trigger_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// Issue 15 point 13: schedules that cannot be meant are refused with an
// error naming the field, instead of running every second or listening for
// a date that never comes.
func TestImpossibleSchedulesRefused(t *testing.T) {
	for _, c := range []struct {
		name, typ string
		in        []engine.Field
		field     string
	}{
		{"@every 0s", trigger.TypeSchedule, []engine.Field{fld("frequency", "cron"), fld("cron", "@every 0s")}, "cron"},
		{"@every 30s", trigger.TypeSchedule, []engine.Field{fld("frequency", "cron"), fld("cron", "@every 30s")}, "cron"},
		{"@every -5m", trigger.TypeSchedule, []engine.Field{fld("frequency", "cron"), fld("cron", "@every -5m")}, "cron"},
		{"31 February", trigger.TypeSchedule, []engine.Field{fld("frequency", "cron"), fld("cron", "0 0 31 2 *")}, "cron"},
		{"30 February", trigger.TypeSchedule, []engine.Field{fld("frequency", "cron"), fld("cron", "0 0 0 30 2 *")}, "cron"},
		{"okta object 31 April", "flow.helper", []engine.Field{fld("schedule", map[string]any{"seconds": "0", "minutes": "0", "hours": "9",
			"dayOfTheMonth": "31", "month": "4", "dayOfTheWeek": "*"})}, "schedule"},
	} {
		f := &engine.Flow{ID: "f1", Name: "My flow", Trigger: engine.Card{ID: "trigger", Type: c.typ, Inputs: c.in}}
		_, err := trigger.ParseSchedule(f)
		var ce *trigger.ConfigError
		if !errors.As(err, &ce) || ce.Field != c.field {
			t.Errorf("%s: %v, want a ConfigError on %s", c.name, err, c.field)
			continue
		}
		t.Logf("%s: %v", c.name, err)
	}
	for _, expr := range []string{"@every 1m", "@every 2h", "0 0 29 2 *", "@daily"} {
		f := &engine.Flow{ID: "f1", Name: "ok", Trigger: engine.Card{ID: "trigger", Type: trigger.TypeSchedule,
			Inputs: []engine.Field{fld("frequency", "cron"), fld("cron", expr)}}}
		if _, err := trigger.ParseSchedule(f); err != nil {
			t.Errorf("%s: %v", expr, err)
		}
	}
}

// Issue 15 point 13: a hook batch larger than the queue is accepted over
// Okta's retries (each retry finds the pieces already queued), with no
// event lost or run twice.
func TestOversizedHookBatchAccepted(t *testing.T) {
	e := newEnv(t, t.TempDir(), trigger.Options{QueueSize: 10, Workers: 2}).start()
	defer e.close()
	close(freshGate("big"))
	f := e.put(eventFlow("big"))
	st := e.rt.State(f)
	var ids []string
	for i := range 25 {
		ids = append(ids, fmt.Sprintf("u%02d", i))
	}
	body := delivery(ids...)
	tries := 0
	for ; tries < 300; tries++ {
		r := call(t, "POST", e.srv.URL+st.Endpoint, map[string]string{"Authorization": st.Secret}, body)
		if r.status == 200 {
			break
		}
		if r.status != 503 || r.header.Get("Retry-After") == "" {
			t.Fatalf("delivery: %d %s", r.status, r.body)
		}
		time.Sleep(20 * time.Millisecond) // Okta waits before retrying
	}
	if tries == 300 {
		t.Fatal("a batch of 25 events was never accepted by a queue of 10")
	}
	list := e.waitExecutions("big", 25)
	t.Logf("accepted after %d retries; %d executions", tries, len(list))
	if len(list) != 25 {
		t.Fatalf("%d executions for 25 events", len(list))
	}
}

// Events without a uuid are deduplicated by their content when Okta
// redelivers them.
func TestEventsWithoutUUIDDeduplicated(t *testing.T) {
	e := newEnv(t, t.TempDir(), trigger.Options{}).start()
	defer e.close()
	close(freshGate("nouuid"))
	f := e.put(eventFlow("nouuid"))
	st := e.rt.State(f)
	body := `{"data":{"events":[{"name":"alice"},{"name":"bob"}]}}`
	auth := map[string]string{"Authorization": st.Secret}
	if r := call(t, "POST", e.srv.URL+st.Endpoint, auth, body); r.status != 200 || !strings.Contains(r.body, `"accepted":2`) {
		t.Fatalf("first: %d %s", r.status, r.body)
	}
	r := call(t, "POST", e.srv.URL+st.Endpoint, auth, body)
	if r.status != 200 || !strings.Contains(r.body, `"duplicates":2`) {
		t.Fatalf("redelivery not deduplicated: %d %s", r.status, r.body)
	}
	e.waitExecutions("nouuid", 2)
}
