package trigger

import (
	"context"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/flowbench/flowbench/engine"
)

// StartFunc starts one execution somewhere else than this process (a
// Temporal cluster, engine/temporal) and returns its record once it ended.
// event is the event's id for event triggers ("" otherwise): the same
// event must never start a second execution. A returned error means the
// run could not be started or followed; the trigger keeps the job queued
// and tries again.
type StartFunc func(ctx context.Context, f *engine.Flow, input map[string]any, opt engine.RunOptions, event string) (*engine.Execution, error)

// SetStarter makes every trigger (events, polling, schedules, API
// Endpoints) start its executions with fn instead of the in-process
// executor. Call it before Start.
func (r *Runtime) SetStarter(fn StartFunc) { r.starter = fn }

// startElsewhere runs a queued job through the starter: the queue entry is
// dropped only once the execution ended (its record is in history), so a
// restart in between starts it again, which the starter recognises.
func (r *Runtime) startElsewhere(j *job, f *engine.Flow, input map[string]any) *engine.Execution {
	wait := time.Second
	for {
		ex, err := r.starter(r.runCtx, f, input, engine.RunOptions{Trigger: j.Trigger, ID: j.ID}, j.Event)
		if err == nil {
			_ = r.update(func(txn *badger.Txn) error { return txn.Delete(qKey(j.ID)) })
			return ex
		}
		if r.runCtx.Err() != nil {
			return nil // shutting down: it stays queued for the next start
		}
		r.opt.Logf("triggers: %s execution %s of flow %s: %v (retrying in %s)", j.Trigger, j.ID, j.Flow, err, wait)
		select {
		case <-r.runCtx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// runAPIElsewhere runs an API Endpoint request through the starter; a
// start that fails answers the caller with the failure.
func (r *Runtime) runAPIElsewhere(j *apiJob) *engine.Execution {
	ex, err := r.starter(r.runCtx, j.flow, j.input, engine.RunOptions{Trigger: KindAPI, ID: j.id}, "")
	if err == nil {
		return ex
	}
	now := time.Now()
	return &engine.Execution{ID: j.id, Flow: j.flow.ID, FlowName: j.flow.Name, Status: engine.StatusFailed, Trigger: KindAPI,
		Started: now, Ended: now, Error: &engine.CardError{Message: "could not run on the cluster: " + err.Error(), Flow: j.flow.ID}}
}
