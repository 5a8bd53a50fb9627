package schedule

import (
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
	if _, err := trigger.ParseSchedule(f); err != nil {
		return []engine.Problem{trigger.ConfigProblem(f, err, "bad-schedule")}
	}
	return nil
}
