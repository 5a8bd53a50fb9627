package schedule

import (
	"errors"
	"fmt"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

func init() { engine.RegisterCheck(Check) }

// Check validates a scheduled flow's schedule at design time, so a bad time,
// cron expression or time zone shows on its field while editing (and in
// `flowbench validate`), not only when the flow is switched on.
func Check(f *engine.Flow) []engine.Problem {
	if f == nil || !trigger.IsScheduled(f) {
		return nil
	}
	_, err := trigger.ParseSchedule(f)
	if err == nil {
		return nil
	}
	field, msg := "", err.Error()
	var ce *trigger.ConfigError
	if errors.As(err, &ce) {
		field, msg = ce.Field, ce.Err.Error()
	}
	ptr := "/trigger/inputs"
	for i, in := range f.Trigger.Inputs {
		if in.Key == field {
			ptr = fmt.Sprintf("/trigger/inputs/%d/value", i)
		}
	}
	return []engine.Problem{{Flow: f.ID, Card: f.Trigger.ID, Title: f.Trigger.Title, Input: field, Pointer: ptr,
		Kind: "bad-schedule", Message: msg, Severity: "error"}}
}
