package temporal

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/flowbench/flowbench/engine"
)

// Starter starts executions as workflows and waits for their records.
type Starter struct {
	Client    client.Client
	HostPort  string
	Namespace string
	TaskQueue string
	// Record: the workflow posts its records to the serve node's history
	// (serve --temporal); false for `run --temporal`, which keeps the
	// returned record itself.
	Record bool
	// Helpers are helper flows sent with the run (the other flows of a
	// folder file), found before the serve node's.
	Helpers map[string]*engine.Flow
}

// WorkflowID is the workflow id of an execution: the event's id for event
// triggers (a redelivered event finds the workflow already there), else
// the execution id.
func WorkflowID(flowID, execID, eventID string) string {
	if eventID != "" {
		return "event-" + flowID + "-" + eventID
	}
	return execID
}

// Link names a workflow run.
func (s *Starter) Link(workflowID, runID string) string {
	ns := s.Namespace
	if ns == "" {
		ns = DefaultNamespace
	}
	l := "temporal://" + s.HostPort + "/" + ns + "/" + workflowID
	if runID != "" {
		l += "/" + runID
	}
	return l
}

// Run starts f as a workflow (or attaches to the one already running or
// finished under the same id: a restarted serve node or a redelivered
// event never starts a second run) and waits for its execution record.
func (s *Starter) Run(ctx context.Context, f *engine.Flow, input map[string]any, opt engine.RunOptions, eventID string) (*engine.Execution, error) {
	if opt.ID == "" {
		opt.ID = engine.NewID()
	}
	wid := WorkflowID(f.ID, opt.ID, eventID)
	tq := s.TaskQueue
	if tq == "" {
		tq = DefaultTaskQueue
	}
	so := client.StartWorkflowOptions{ID: wid, TaskQueue: tq,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
	}
	if t := time.Duration(f.Settings.Timeout); t > 0 {
		so.WorkflowExecutionTimeout = t
	}
	in := Start{Flow: f, Input: input, Opt: opt, Record: s.Record, Link: s.Link(wid, ""), Helpers: s.Helpers}
	run, err := s.Client.ExecuteWorkflow(ctx, so, WorkflowName, in)
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &already) {
		// finished before (REJECT_DUPLICATE): its result is the answer
		run, err = s.Client.GetWorkflow(ctx, wid, ""), nil
	}
	if err != nil {
		return nil, fmt.Errorf("temporal: start %s: %w", wid, err)
	}
	var res Result
	if err := run.Get(ctx, &res); err != nil {
		return nil, fmt.Errorf("temporal: workflow %s: %w", wid, err)
	}
	if res.Execution == nil {
		return nil, fmt.Errorf("temporal: workflow %s returned no execution", wid)
	}
	if res.Execution.Link == "" {
		res.Execution.Link = s.Link(wid, run.GetRunID())
	}
	return res.Execution, nil
}
