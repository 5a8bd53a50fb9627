package engine

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"time"
)

// Canceling a run, as Okta's "Cancel a flow execution": from History, a run
// in progress stops before its next card (the card in flight gets its
// context canceled), the cards left are not run, and the run ends canceled,
// recorded with the card it stopped at. A paused run ends canceled too
// (CancelPaused); its resume URL then answers 409.

// ErrCanceledByUser is the cause of a run canceled by someone (Cancel):
// unlike a shutdown, it ends the run (recorded) instead of leaving it
// journaled for a later resume.
var ErrCanceledByUser = errors.New("canceled by the user")

// liveRun is a run in progress in this process.
type liveRun struct {
	run    RunningRun
	cancel context.CancelCauseFunc
}

// RunningRun describes a run in progress (Executor.Running).
type RunningRun struct {
	ID       string    `json:"id"`
	Flow     string    `json:"flow"`
	FlowName string    `json:"flowName,omitempty"`
	Trigger  string    `json:"trigger,omitempty"`
	Parent   string    `json:"parent,omitempty"`
	Started  time.Time `json:"started"`
}

// track registers ex as running until untrack; its context is the one
// Cancel cancels. (A mutex-guarded map and no closure: a few allocations less
// on every execution than a sync.Map.)
func (e *Executor) track(ctx context.Context, ex *Execution) (context.Context, *liveRun) {
	ctx, cancel := context.WithCancelCause(ctx)
	lr := &liveRun{run: RunningRun{ID: ex.ID, Flow: ex.Flow, FlowName: ex.FlowName, Trigger: ex.Trigger, Parent: ex.Parent, Started: ex.Started}, cancel: cancel}
	e.liveMu.Lock()
	if e.live == nil {
		e.live = map[string]*liveRun{}
	}
	e.live[ex.ID] = lr
	e.liveMu.Unlock()
	return ctx, lr
}

// untrack ends what track began.
func (e *Executor) untrack(lr *liveRun) {
	e.liveMu.Lock()
	if e.live[lr.run.ID] == lr {
		delete(e.live, lr.run.ID)
	}
	e.liveMu.Unlock()
	lr.cancel(nil)
}

// liveRunOf is the run in progress with id, or nil.
func (e *Executor) liveRunOf(id string) *liveRun {
	e.liveMu.Lock()
	defer e.liveMu.Unlock()
	return e.live[id]
}

// Running lists the runs in progress in this process, helper runs included,
// oldest first.
func (e *Executor) Running() []RunningRun {
	e.liveMu.Lock()
	out := make([]RunningRun, 0, len(e.live))
	for _, lr := range e.live {
		out = append(out, lr.run)
	}
	e.liveMu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Started.Before(out[j].Started) })
	return out
}

// Cancel stops run id, in progress in this process, and the run it belongs
// to: canceling a helper's run cancels its caller's too (and so every helper
// run the caller waits for), as Okta does. It returns before the run has
// ended; the run ends canceled once its card in flight returns. A run not in
// progress here is a *ResumeError 404.
func (e *Executor) Cancel(id string) error {
	lr := e.liveRunOf(id)
	if lr == nil {
		return &ResumeError{Status: http.StatusNotFound, Msg: "execution " + id + " is not in progress here: it ended, or runs in another process"}
	}
	lr.cancel(ErrCanceledByUser) // itself: a Call Flow Async run has a context of its own
	for seen := 0; lr.run.Parent != "" && seen < 64; seen++ {
		p := e.liveRunOf(lr.run.Parent)
		if p == nil {
			break
		}
		lr = p
	}
	lr.cancel(ErrCanceledByUser)
	return nil
}

// canceledByUser says whether ctx ended because someone canceled the run.
func canceledByUser(ctx context.Context) bool {
	return errors.Is(context.Cause(ctx), ErrCanceledByUser)
}

// CancelPaused ends paused execution id of flow f as canceled: the Pause
// card it waits at is marked canceled and no card after it runs. A run that
// is not paused, or is being resumed, is a *ResumeError (404, 409).
func (e *Executor) CancelPaused(f *Flow, id string) (*Execution, error) {
	jn, u, release, err := e.takePaused(f, id) // pause.go
	if err != nil {
		return nil, err
	}
	defer release()
	ex := u.Execution
	ex.Status, ex.Ended = StatusCanceled, time.Now()
	ce := &CardError{Flow: f.ID, Message: "canceled by the user while paused"}
	for i := range ex.Cards {
		if c := &ex.Cards[i]; c.Status == StatusPaused {
			c.Status, c.Ended = StatusCanceled, ex.Ended
			ce.Card, ce.Title, ce.Message = c.ID, c.Title, "canceled by the user while paused at this card"
		}
	}
	ex.Error = ce
	items := make([]string, 0, len(u.Items))
	for k := range u.Items {
		items = append(items, k)
	}
	// the paused record (written at the pause, also for a flow that keeps no history) is replaced
	jn.End(ex, JournalEnd{Keep: f.Settings.History, Steps: u.Steps, Items: items, Replace: true})
	jn.Step(ex, 0, nil, nil, true) // on disk before the caller looks again
	return ex, nil
}
