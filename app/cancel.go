package app

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

// Canceling runs from History (engine/cancel.go): a run in progress in this
// process stops before its next card and ends canceled; a paused run ends
// canceled at its Pause card. Both are then in History as canceled.

// statusRunning is the status History shows for a run in progress.
const statusRunning = "running"

// CancelExecution cancels execution id: in progress here, or paused.
func (a *App) CancelExecution(id string) error {
	if err := engine.CheckID("execution", id); err != nil {
		return err
	}
	if err := a.Exec.Cancel(id); err == nil {
		return nil
	}
	a.Store.Flush()
	ex, err := a.Store.Execution(id)
	if errors.Is(err, store.ErrNotFound) {
		return &engine.ResumeError{Status: http.StatusNotFound, Msg: "no execution " + id}
	}
	if err != nil {
		return err
	}
	if ex.Status != engine.StatusPaused {
		return &engine.ResumeError{Status: http.StatusConflict, Msg: fmt.Sprintf("execution %s is not in progress: it ended %s", id, ex.Status)}
	}
	f, err := a.Store.Flow(a.ctx, ex.Flow)
	if err != nil {
		return err
	}
	_, err = a.Exec.CancelPaused(f, id)
	return err
}

// runningRows are History rows of the runs in progress in this process that
// match q (top-level runs, or the children of q.Parent), newest first.
func (a *App) runningRows(q HistoryQuery) []ExecutionSummary {
	if (q.Status != "" && q.Status != statusRunning) || q.Text != "" || q.Before != "" {
		return nil
	}
	live := a.Exec.Running()
	out := make([]ExecutionSummary, 0, len(live))
	for i := len(live) - 1; i >= 0; i-- {
		r := live[i]
		if r.Parent != q.Parent || (q.Flow != "" && r.Flow != q.Flow) {
			continue
		}
		out = append(out, ExecutionSummary{ID: r.ID, Flow: r.Flow, FlowName: r.FlowName, Status: statusRunning,
			Started: r.Started, Trigger: r.Trigger, Parent: r.Parent})
	}
	return out
}
