package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/flowtest"
	"github.com/flowbench/flowbench/engine/store"
)

// FlowTestsReport is the result of a flow's tests.
type FlowTestsReport struct {
	Flow    string             `json:"flow"`
	Total   int                `json:"total"`
	Failed  int                `json:"failed"`
	Results []*flowtest.Result `json:"results"`
}

// TestStatus is the last result of a flow's tests.
type TestStatus = store.TestStatus

// SaveExecutionAsTest turns execution execID into a test case of its flow
// named name: its trigger input, the responses its cards' outside calls
// got (secrets scrubbed) and what every card did. Values that differ from
// one replay to the next (dates from Now, ids) are left out of the
// expectations. It runs the flow's tests and returns their result.
func (a *App) SaveExecutionAsTest(execID, name string) (*FlowTestsReport, error) {
	a.Store.Flush()
	ex, err := a.Store.Execution(execID)
	if err != nil {
		return nil, err
	}
	if ex.Parent != "" {
		return nil, fmt.Errorf("execution %s is a helper run: save the run that called it", execID)
	}
	if ex.Status == engine.StatusRunning || ex.Status == engine.StatusInterrupted {
		return nil, fmt.Errorf("execution %s is %s: save a run that ended", execID, ex.Status)
	}
	f, err := a.Store.Flow(a.ctx, ex.Flow)
	if err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "run of " + ex.Started.Local().Format("2006-01-02 15:04:05")
	}
	existing, err := a.Store.FlowTests(f.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range existing {
		if e.Name == name { // saving over it would lose that test without a word
			return nil, &testNameTaken{flow: f.Name, name: name}
		}
	}
	c, err := flowtest.FromExecution(name, ex, a.childLoader(), a.testConnections(f))
	if err != nil {
		return nil, fmt.Errorf("cannot save execution %s as a test: %w", execID, err)
	}
	r1 := flowtest.Run(a.ctx, a.Reg, f, a.Store, c)
	// the second replay in another second, so values taken from the clock
	// differ between the two and are left out
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second + 5*time.Millisecond)))
	r2 := flowtest.Run(a.ctx, a.Reg, f, a.Store, c)
	if ex.FlowRevision == 0 || ex.FlowRevision == f.Revision {
		flowtest.Stabilize(c, r1.Execution, r2.Execution)
	} else {
		flowtest.StabilizeBetween(c, r1.Execution, r2.Execution)
	}
	if err := a.Store.PutFlowTest(f.ID, c); err != nil {
		return nil, err
	}
	return a.RunFlowTests(f.ID)
}

// testNameTaken refuses a second test of one name (409).
type testNameTaken struct{ flow, name string }

func (e *testNameTaken) Error() string {
	return fmt.Sprintf("flow %q already has a test named %q: choose another name, or delete that test first (the tests badge in the designer)", e.flow, e.name)
}

// HTTPStatus is 409 Conflict: the name is taken.
func (e *testNameTaken) HTTPStatus() int { return http.StatusConflict }

// testConnections are the connections the flow and its helper flows name:
// kind and public settings only (a test sends nothing anywhere).
func (a *App) testConnections(f *engine.Flow) map[string]flowtest.Connection {
	out := map[string]flowtest.Connection{}
	eachCardWithHelpers(f, a.storedFlow, func(c *engine.Card) { // flowtests_helpers.go
		if c.Connection == "" {
			return
		}
		if _, ok := out[c.Connection]; !ok {
			if conn, err := a.Store.Connection(a.ctx, c.Connection); err == nil {
				p := conn.Public()
				out[c.Connection] = flowtest.Connection{Kind: p.Kind, Name: p.Name, Config: envFreeConfig(p.Config)}
			}
		}
	}, func(string) {})
	return out
}

// RunFlowTests runs the stored tests of a flow (no network: the recorded
// responses are replayed) and records the result for the badge.
func (a *App) RunFlowTests(flowID string) (*FlowTestsReport, error) {
	f, err := a.Store.Flow(a.ctx, flowID)
	if err != nil {
		return nil, err
	}
	cases, err := a.Store.FlowTests(flowID)
	if err != nil {
		return nil, err
	}
	rep := &FlowTestsReport{Flow: flowID, Total: len(cases), Results: []*flowtest.Result{}}
	st := &store.TestStatus{Flow: flowID, Total: len(cases), Ran: time.Now().UTC().Format(time.RFC3339)}
	for i := range cases {
		r := flowtest.Run(a.ctx, a.Reg, f, a.Store, &cases[i])
		rep.Results = append(rep.Results, r)
		if !r.Passed {
			rep.Failed++
			st.Failing = append(st.Failing, r.Case)
		}
	}
	st.Failed = rep.Failed
	if err := a.Store.PutTestStatus(st); err != nil {
		return nil, err
	}
	return rep, nil
}

// TestStatuses are the last results of every flow's tests (the flow list's badges).
func (a *App) TestStatuses() (map[string]TestStatus, error) { return a.Store.TestStatuses() }

// DeleteFlowTest removes a stored test of a flow.
func (a *App) DeleteFlowTest(flowID, name string) error {
	if err := a.Store.DeleteFlowTest(flowID, name); err != nil {
		return err
	}
	_, err := a.RunFlowTests(flowID)
	return err
}

// ExportFlowTests returns the flow's stored tests as a *.test.json file
// that `flowbench test` runs beside the flow's export (<name>.flow.json).
func (a *App) ExportFlowTests(flowID string) (string, error) {
	f, err := a.Store.Flow(a.ctx, flowID)
	if err != nil {
		return "", err
	}
	cases, err := a.Store.FlowTests(flowID)
	if err != nil {
		return "", err
	}
	if len(cases) == 0 {
		return "", fmt.Errorf("flow %q has no tests: use Save as test on a run in History", f.Name)
	}
	sort.SliceStable(cases, func(i, j int) bool { return cases[i].Name < cases[j].Name })
	file := flowtest.File{Format: flowtest.Format, Flow: f.Name + ".flow.json", Helpers: a.helperNames(f), Cases: cases}
	b, err := json.MarshalIndent(file, "", "  ")
	if err != nil {
		return "", err
	}
	return string(b) + "\n", nil
}

// envFreeConfig is a connection's settings without its per-environment
// bindings (tests and exports name no environment).
func envFreeConfig(cfg map[string]any) map[string]any {
	out := make(map[string]any, len(cfg))
	for k, v := range cfg {
		if k == EnvConfigKey {
			continue
		}
		out[k] = v
	}
	return out
}
