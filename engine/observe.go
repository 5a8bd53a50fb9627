package engine

import (
	"context"
	"sync/atomic"
)

// Observer watches executions and cards while they run: the process's
// logging, metrics and tracing (package telemetry) plug in here, so the
// engine itself knows nothing of slog handlers, Prometheus or OpenTelemetry.
// The context an observer returns is the one the execution (card) runs
// with: a span or log attributes put there reach the card's outside calls.
type Observer interface {
	StartExecution(ctx context.Context, ex *Execution) context.Context
	EndExecution(ctx context.Context, ex *Execution)
	StartCard(ctx context.Context, ex *Execution, card *Card) context.Context
	// EndCard gets a copy of the finished card record.
	EndCard(ctx context.Context, ex *Execution, rec CardRecord)
}

type observerBox struct{ o Observer }

var observer atomic.Pointer[observerBox]

// SetObserver installs the process-wide observer (nil removes it).
func SetObserver(o Observer) {
	if o == nil {
		observer.Store(nil)
		return
	}
	observer.Store(&observerBox{o})
}

func currentObserver() Observer {
	if b := observer.Load(); b != nil {
		return b.o
	}
	return nil
}

// observeExecution tells the observer an execution starts; the returned
// func reports its end (call it once the record is complete).
func observeExecution(ctx context.Context, ex *Execution) (context.Context, func()) {
	o := currentObserver()
	if o == nil {
		return ctx, func() {}
	}
	ctx = o.StartExecution(ctx, ex)
	return ctx, func() { o.EndExecution(ctx, ex) }
}

// startCard does the same for a card: its context (span) for the card's
// run; endCard(ctx, idx) reports the card at record idx when it is done.
// (No closure: this runs for every card of every execution.)
func (r *run) startCard(ctx context.Context, st *step) context.Context {
	if o := currentObserver(); o != nil {
		return o.StartCard(ctx, r.ex, st.card)
	}
	return ctx
}

func (r *run) endCard(ctx context.Context, idx int) {
	o := currentObserver()
	if o == nil {
		return
	}
	r.mu.Lock()
	rec := r.ex.Cards[idx]
	r.mu.Unlock()
	o.EndCard(ctx, r.ex, rec)
}
