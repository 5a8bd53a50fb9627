package schedule

import (
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// TestSwitchOnErrorNamesTheField: the error of switching on a wrongly set
// schedule names the card and the field as the card shows them; it named
// the export key ('trigger field "timeZone"'), which the card does not show.
func TestSwitchOnErrorNamesTheField(t *testing.T) {
	f := &engine.Flow{ID: "f", Name: "Nightly", Trigger: engine.Card{ID: "trigger", Type: trigger.TypeSchedule, Title: "Every night",
		Inputs: []engine.Field{{Key: "timeZone", Value: "Mars/Olympus"}}}}
	_, err := trigger.ParseSchedule(f)
	if err == nil || err.Error() != `flow "Nightly" (f): Every night › Time zone: unknown time zone "Mars/Olympus"` {
		t.Fatalf("error %v", err)
	}
	f.Trigger.Title = ""
	f.Trigger.Inputs = []engine.Field{{Key: "frequency", Value: "cron"}, {Key: "cron", Value: "* * *"}}
	if _, err = trigger.ParseSchedule(f); err == nil || !strings.HasPrefix(err.Error(), `flow "Nightly" (f): Scheduled Flow › Cron: invalid cron expression`) {
		t.Fatalf("error %v", err)
	}
}

func TestCheckNamesTheField(t *testing.T) {
	flow := func(in ...engine.Field) *engine.Flow {
		return &engine.Flow{ID: "f", Name: "Nightly", Trigger: engine.Card{ID: "trigger", Type: trigger.TypeSchedule, Inputs: in}}
	}
	cases := []struct {
		name  string
		f     *engine.Flow
		input string
		msg   string
	}{
		{"daily at a good time", flow(engine.Field{Key: "frequency", Value: "daily"}, engine.Field{Key: "at", Value: "07:30"}), "", ""},
		{"bad time of day", flow(engine.Field{Key: "frequency", Value: "daily"}, engine.Field{Key: "at", Value: "25:99"}), "at", "not a time of day"},
		{"bad cron", flow(engine.Field{Key: "frequency", Value: "cron"}, engine.Field{Key: "cron", Value: "every day"}), "cron", "invalid cron"},
		{"unknown zone", flow(engine.Field{Key: "timeZone", Value: "Mars/Olympus"}), "timeZone", "unknown time zone"},
		{"not scheduled", &engine.Flow{ID: "g", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"}}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps := Check(c.f)
			if c.msg == "" {
				if len(ps) != 0 {
					t.Fatalf("want no problem, got %v", ps)
				}
				return
			}
			if len(ps) != 1 || ps[0].Input != c.input || ps[0].Card != "trigger" || !strings.Contains(ps[0].Message, c.msg) {
				t.Fatalf("want one problem on %q containing %q, got %+v", c.input, c.msg, ps)
			}
		})
	}
}

func TestValidateRunsTheCheck(t *testing.T) {
	f := &engine.Flow{ID: "f", Name: "Nightly", Trigger: engine.Card{ID: "trigger", Type: trigger.TypeSchedule,
		Inputs: []engine.Field{{Key: "frequency", Value: "weekly"}, {Key: "weekdays", Value: "funday"}}}}
	ps := engine.Validate(f, nil)
	found := false
	for _, p := range ps {
		if p.Kind == "bad-schedule" && p.Input == "weekdays" {
			found = true
		}
	}
	if !found {
		t.Fatalf("Validate does not report the bad weekday: %+v", ps)
	}
}
