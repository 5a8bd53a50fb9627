package app

import (
	"errors"
	"fmt"
	"sync"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

// HistoryUsage is the history's size, its bounds and the data directory's
// disk use (History shows it).
type HistoryUsage = store.Usage

// HistoryUsage reports how much history is kept and how it is bounded:
// executions older than the retention period (30 days unless
// FLOWBENCH_HISTORY_DAYS says otherwise) and the oldest beyond the size
// bound (FLOWBENCH_HISTORY_MB, 1 GiB) are dropped continuously.
func (a *App) HistoryUsage() (HistoryUsage, error) {
	return a.Store.HistoryUsage()
}

var resuming sync.Map // execution id -> struct{}: one resume at a time

// ResumeExecution continues an interrupted manual or API Endpoint run (the
// process ended while it ran) after its last completed card: cards and
// For Each items already done are not run again; a card that was in flight
// runs again and the history says its effect may be doubled. Trigger runs
// resume by themselves when the app starts.
func (a *App) ResumeExecution(id string) (*engine.Execution, error) {
	if _, busy := resuming.LoadOrStore(id, struct{}{}); busy {
		return nil, fmt.Errorf("execution %s is already being resumed", id)
	}
	defer resuming.Delete(id)
	a.Store.Flush()
	h, ok := a.Store.Interrupted(id)
	if !ok {
		return nil, fmt.Errorf("execution %s was not interrupted, or it was resumed already", id)
	}
	if h.Parent != "" {
		return nil, errors.New("this is a helper run: resume the run that called it")
	}
	if h.Trigger != "manual" && h.Trigger != "api" && h.Trigger != "" {
		return nil, fmt.Errorf("%s runs resume by themselves when the app starts", h.Trigger)
	}
	f, err := a.Store.Flow(a.ctx, h.Flow)
	if err != nil {
		return nil, fmt.Errorf("flow of execution %s: %w", id, err)
	}
	ex, _ := a.Exec.Run(a.ctx, f, nil, engine.RunOptions{ID: id, Resume: true, Trigger: h.Trigger})
	a.Store.Flush()
	return ex.Record(), nil // secrets redacted, as History shows it
}
