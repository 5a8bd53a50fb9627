package engine

import "context"

// Hooks let another engine drive this interpreter: a Temporal workflow
// (engine/temporal) runs flows with the same executor, but cards that reach
// outside become activities, waits become durable timers and fan-outs run
// on the workflow's own coroutines. A nil Hooks (or a nil field) keeps the
// in-process behaviour.
type Hooks struct {
	// Invoke runs one card that is not a control card, in place of its
	// Run function and the card's retry loop (the hook applies the card's
	// OnError retry policy itself).
	Invoke func(ctx context.Context, spec *Spec, in Inputs) (Outputs, error)
	// Fanout calls call(ctx, i) for every i in [0, n), at most conc at a
	// time, and returns when all calls ended (For Each, Map and friends).
	Fanout func(ctx context.Context, n, conc int, call func(ctx context.Context, i int))
	// NewID makes the ids of helper executions (Call Flow, For Each items).
	NewID func(ctx context.Context) string
	// StartFlow starts a detached helper execution (Call Flow Async) with
	// the given options; it returns once the run is durably started.
	StartFlow func(ctx context.Context, f *Flow, args map[string]any, opt RunOptions) error
}

func (e *Executor) newID(ctx context.Context) string {
	if e.Hooks != nil && e.Hooks.NewID != nil {
		return e.Hooks.NewID(ctx)
	}
	return NewID()
}

// Fanout calls call(ctx, i) for i in [0, n) with at most conc at a time
// through the executor's Fanout hook when the card runs under one;
// it reports false when the caller should fan out itself.
func Fanout(ctx context.Context, rt Runtime, n, conc int, call func(ctx context.Context, i int)) bool {
	r, ok := rt.(*run)
	if !ok || r.e.Hooks == nil || r.e.Hooks.Fanout == nil {
		return false
	}
	r.e.Hooks.Fanout(ctx, n, max(1, conc), call)
	return true
}
