package temporal

import (
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"go.temporal.io/sdk/testsuite"
)

// A Pause card on the Temporal executor fails the run at once with a clear
// error (a workflow cannot wait for the resume URL): the workflow ends, it
// does not hang.
func TestPauseRefusedOnTemporal(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	(&Worker{Registry: engine.Default()}).RegisterWorkflow(env)
	f := &engine.Flow{Format: engine.FlowFormat, ID: "paused", Name: "Paused",
		Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards:   []engine.Card{{ID: "p", Type: engine.PauseID, Title: "Pause", Inputs: []engine.Field{{Key: "ask", Value: "ok?"}}}}}
	env.ExecuteWorkflow(WorkflowName, Start{Flow: f, Opt: engine.RunOptions{ID: "x"}})
	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("workflow completed %v, error %v", env.IsWorkflowCompleted(), env.GetWorkflowError())
	}
	var res Result
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	ex := res.Execution
	if ex.Status != engine.StatusFailed || ex.Error == nil || ex.Error.Card != "p" ||
		!strings.Contains(ex.Error.Message, "Pause is not supported on the Temporal executor") {
		t.Fatalf("execution %s %+v", ex.Status, ex.Error)
	}
}
