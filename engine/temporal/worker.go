package temporal

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/flowbench/flowbench/engine"
)

// Worker executes flows for a Temporal task queue. Flows, connections and
// history come from a Source (the serve node's worker API); secrets are
// only held in memory while a card runs.
type Worker struct {
	Registry *engine.Registry
	Source   Source
	// Services are the engine services outside cards get (http, governor…).
	Services map[string]any
}

// Source is where a worker gets helper flows and connections, and where
// it records executions.
type Source interface {
	engine.FlowSource
	engine.ConnectionSource
	Record(ctx context.Context, execs []*engine.Execution) error
}

func (w *Worker) registry() *engine.Registry {
	if w.Registry == nil {
		return engine.Default()
	}
	return w.Registry
}

// Register adds the workflow and the activities to a Temporal worker.
func (w *Worker) Register(r worker.Registry) {
	w.RegisterWorkflow(r)
	r.RegisterActivityWithOptions(w.Card, activity.RegisterOptions{Name: ActivityCard})
	r.RegisterActivityWithOptions(w.Flow, activity.RegisterOptions{Name: ActivityFlow})
	r.RegisterActivityWithOptions(w.Record, activity.RegisterOptions{Name: ActivityHistory})
}

// RegisterWorkflow adds the workflow only (a replayer).
func (w *Worker) RegisterWorkflow(r worker.WorkflowRegistry) {
	r.RegisterWorkflowWithOptions(w.RunFlow, workflow.RegisterOptions{Name: WorkflowName})
}

// Logger adapts slog to Temporal's logger.
func Logger() log.Logger { return log.NewStructuredLogger(slog.Default()) }

// Dial connects to a Temporal frontend (HOST:PORT). key encrypts every
// payload (PayloadKey of the worker token; nil: in clear, codec.go).
func Dial(hostPort, namespace string, key []byte) (client.Client, error) {
	if namespace == "" {
		namespace = DefaultNamespace
	}
	dc, err := DataConverter(key)
	if err != nil {
		return nil, err
	}
	opt := client.Options{HostPort: hostPort, Namespace: namespace, Logger: Logger(), DataConverter: dc}
	if key != nil {
		opt.FailureConverter = FailureConverter(dc)
	}
	c, err := client.Dial(opt)
	if err != nil {
		return nil, fmt.Errorf("temporal %s: %w", hostPort, err)
	}
	return c, nil
}

// NewWorker makes a Temporal worker on the task queue with the workflow
// and activities registered; Start or Run it.
func (w *Worker) NewWorker(c client.Client, taskQueue string) worker.Worker {
	if taskQueue == "" {
		taskQueue = DefaultTaskQueue
	}
	tw := worker.New(c, taskQueue, worker.Options{
		// a long flow of function cards runs between two yields
		DeadlockDetectionTimeout: 10 * time.Second,
	})
	w.Register(tw)
	return tw
}

// Flow is the activity that loads a helper flow.
func (w *Worker) Flow(ctx context.Context, id string) (*engine.Flow, error) {
	if w.Source == nil {
		return nil, temporal.NewNonRetryableApplicationError(fmt.Sprintf("helper flow %q: this worker has no flow source (start it with --serve)", id), "FlowbenchSource", nil)
	}
	f, err := w.Source.Flow(ctx, id)
	var nf *NotFoundError
	if errors.As(err, &nf) {
		return nil, temporal.NewNonRetryableApplicationError(err.Error(), "FlowbenchNotFound", nil)
	}
	return f, err
}

// Record is the activity that posts execution records to history.
func (w *Worker) Record(ctx context.Context, execs []*engine.Execution) error {
	if w.Source == nil {
		return nil
	}
	return w.Source.Record(ctx, execs)
}

// maxRateLimitTries bounds how often a 429 is waited out when the card
// has no retry policy (a rate limit is never the card's failure).
const maxRateLimitTries = 20

// Card is the activity that runs one outside card. Whether an error is
// retried follows the card's policy; 429s wait for the vendor's reset
// (the error's Retry-After / X-Rate-Limit-Reset when the connector
// reported one) through NextRetryDelay.
func (w *Worker) Card(ctx context.Context, t cardTask) (*cardDone, error) {
	spec, ok := w.registry().Card(t.Card.Type)
	if !ok || spec.Run == nil {
		return nil, temporal.NewNonRetryableApplicationError(fmt.Sprintf("unknown card type %q on this worker", t.Card.Type), errCard,
			nil, cardFailure{Message: fmt.Sprintf("unknown card type %q on this worker", t.Card.Type)})
	}
	info := activity.GetInfo(ctx)
	rt := &actRuntime{w: w, t: &t}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	go heartbeat(ctx, HeartbeatTimeout/4)
	// the same key as an in-process run (execution id / card id) on every
	// try: Tables' Create Row and API Connector writes use it, so a card
	// repeated after a lost worker does not apply twice
	if t.Key != "" {
		ctx = engine.WithIdempotencyKey(ctx, t.Key)
	}
	out, err := spec.Run(ctx, engine.Inputs{Values: t.Values, Card: &t.Card, Run: rt})
	if err == nil {
		if out == nil {
			out = engine.Outputs{}
		}
		return &cardDone{Outputs: out, Attempts: rt.attempts, Try: info.Attempt, Redact: rt.secrets}, nil
	}
	var unreachable *sourceError
	if errors.As(err, &unreachable) {
		// the serve node did not answer (restarting): not the card's
		// failure; Temporal tries again until it is back
		return nil, temporal.NewApplicationErrorWithOptions(err.Error(), "FlowbenchSourceUnavailable",
			temporal.ApplicationErrorOptions{NextRetryDelay: time.Second * time.Duration(min(int(info.Attempt), 10))})
	}
	try := int(info.Attempt) // 1 on the first
	pol := t.Card.OnError
	var he *engine.HTTPError
	limited := errors.As(err, &he) && he.RateLimited()
	retry := false
	var delay time.Duration
	switch {
	case limited && (pol == nil || pol.Retries < try) && try < maxRateLimitTries:
		retry, delay = true, time.Second*time.Duration(min(try, 30))
	case pol != nil && try <= pol.Retries && (pol.RetryOn != "ratelimits" || limited):
		retry, delay = true, time.Duration(pol.Delay)
		if pol.DelayMax > pol.Delay {
			delay += time.Duration(rand.Int64N(int64(pol.DelayMax - pol.Delay)))
		}
	}
	f := failureOf(err)
	// the error goes to the workflow's record: the connection's secrets out
	f.Message, f.Summary = engine.RedactText(f.Message, rt.secrets), engine.RedactText(f.Summary, rt.secrets)
	f.Body = engine.RedactValue(f.Body, rt.secrets)
	opts := temporal.ApplicationErrorOptions{NonRetryable: !retry, Details: []any{f}}
	if retry && delay > 0 {
		opts.NextRetryDelay = delay
	}
	return nil, temporal.NewApplicationErrorWithOptions(engine.RedactText(err.Error(), rt.secrets), errCard, opts)
}

func heartbeat(ctx context.Context, every time.Duration) {
	t := time.NewTicker(max(every, 100*time.Millisecond))
	defer t.Stop()
	for {
		activity.RecordHeartbeat(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// actRuntime is the engine.Runtime an outside card sees in an activity.
type actRuntime struct {
	w        *Worker
	t        *cardTask
	attempts []engine.Attempt
	secrets  []string // forms of the secrets of the connections the card used
}

func (r *actRuntime) ExecutionID() string       { return r.t.ExecutionID }
func (r *actRuntime) Settings() engine.Settings { return r.t.Settings }
func (r *actRuntime) Attempt(a engine.Attempt)  { r.attempts = append(r.attempts, a) }
func (r *actRuntime) Service(name string) any {
	if r.w.Services == nil {
		return nil
	}
	return r.w.Services[name]
}

func (r *actRuntime) Connection(ctx context.Context, id string) (*engine.Connection, error) {
	if id == "" {
		return nil, errors.New("no connection chosen for this card")
	}
	if r.w.Source == nil {
		return nil, fmt.Errorf("connection %q: this worker has no connection source (start it with --serve)", id)
	}
	c, err := r.w.Source.Connection(ctx, id)
	var nf *NotFoundError
	if err != nil && !errors.As(err, &nf) {
		return nil, &sourceError{err}
	}
	for _, v := range engine.ConnectionSecretForms(c) {
		if !slices.Contains(r.secrets, v) {
			r.secrets = append(r.secrets, v)
		}
	}
	return c, err
}

// sourceError: the serve node could not be asked (down, restarting, 5xx).
type sourceError struct{ err error }

func (e *sourceError) Error() string { return e.err.Error() }
func (e *sourceError) Unwrap() error { return e.err }

func (r *actRuntime) CallFlow(context.Context, string, map[string]any) (map[string]any, error) {
	return nil, errors.New("an outside card cannot call a helper flow on a Temporal worker")
}

func (r *actRuntime) StartFlow(context.Context, string, map[string]any) (string, error) {
	return "", errors.New("an outside card cannot start a helper flow on a Temporal worker")
}
