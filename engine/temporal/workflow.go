// Package temporal runs Flowbench flows on a Temporal cluster: one execution
// is one workflow that interprets the flow with engine's executor. Cards
// that reach outside (connectors, Tables, API Connector) run as activities
// with the card's retry policy mapped to Temporal's; function cards run in
// workflow code, those that read the clock or randomness through
// workflow.SideEffect; Wait For / Wait Until are durable timers; For Each
// and Map fan out on workflow coroutines within the card's concurrency
// bound. The package imports engine but no connector: the worker gets its
// registry (every card) from the binary that starts it.
package temporal

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/flowbench/flowbench/engine"
)

// Names registered on the worker; changing one breaks running workflows.
const (
	WorkflowName     = "flowbench.run"
	ActivityCard     = "flowbench.card"
	ActivityFlow     = "flowbench.flow"
	ActivityHistory  = "flowbench.history"
	DefaultTaskQueue = "flowbench"
	DefaultNamespace = "default"
)

// Start is a workflow's input: the flow as it was when the run started (so
// an edit never changes a running execution, and replay sees the same
// flow), the trigger input and how the run started.
type Start struct {
	Flow  *engine.Flow      `json:"flow"`
	Input map[string]any    `json:"input"`
	Opt   engine.RunOptions `json:"opt"`
	// Record: post every execution record (this run and its helper runs)
	// to the serve node's history through the worker API.
	Record bool `json:"record,omitempty"`
	// Link names the workflow in the records ("temporal://HOST/NS/ID").
	Link string `json:"link,omitempty"`
	// Helpers: helper flows sent with the run (a folder file's others).
	Helpers map[string]*engine.Flow `json:"helpers,omitempty"`
	// Secrets: the caller's run tree's secrets (Call Flow Async's child
	// workflow), redacted in this run's records too
	Secrets []string `json:"secrets,omitempty"`
}

// Result is a workflow's result: the execution record of the run.
type Result struct {
	Execution *engine.Execution `json:"execution"`
}

// cardTask is an activity's input: one outside card with its resolved inputs.
type cardTask struct {
	Card        engine.Card     `json:"card"`
	Values      map[string]any  `json:"values"`
	ExecutionID string          `json:"executionId"`
	Flow        string          `json:"flow"`
	Settings    engine.Settings `json:"settings"`
	Key         string          `json:"key,omitempty"` // engine.IdempotencyKey of the card
}

// cardDone is an activity's result.
type cardDone struct {
	Outputs  map[string]any   `json:"outputs"`
	Attempts []engine.Attempt `json:"attempts,omitempty"`
	Try      int32            `json:"try"` // Temporal's attempt number that succeeded
	// Redact: the secrets of the connections the card used, in every form
	// (engine.ConnectionSecretForms), for the run tree's records
	Redact []string `json:"redact,omitempty"`
}

// cardFailure travels in an activity's ApplicationError details so the
// workflow rebuilds the error the card returned (field, HTTP status).
type cardFailure struct {
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	Status  int    `json:"status,omitempty"`
	Code    string `json:"code,omitempty"`
	Summary string `json:"summary,omitempty"`
	Body    any    `json:"body,omitempty"`
}

const errCard = "FlowbenchCardError"

type wfKey struct{}

func withWorkflow(ctx context.Context, w workflow.Context) context.Context {
	return context.WithValue(ctx, wfKey{}, w)
}

func wf(ctx context.Context) workflow.Context {
	w, _ := ctx.Value(wfKey{}).(workflow.Context)
	return w
}

// clockCards read the clock or randomness: in a workflow they run inside
// workflow.SideEffect, so a replay gets the recorded value back.
var clockCards = map[string]bool{}

// MarkNondeterministic declares card types whose result depends on the
// clock or on randomness (Now, random text, UUID, Sample…).
func MarkNondeterministic(ids ...string) {
	for _, id := range ids {
		clockCards[id] = true
	}
}

func init() {
	// Text to Date and Convert read the current year when the text has none;
	// Formula has random(); Sign JWT stamps iat
	MarkNondeterministic("date.now", "date.parse", "date.convert", "text.random", "number.random",
		"list.sample", "number.formula", "jwt.sign")
}

// Outside tells whether a card reaches outside the workflow and so runs as
// an activity: connector actions, cards with a connection, Tables cards.
func Outside(spec *engine.Spec) bool {
	if spec.Kind == engine.KindAction || spec.Connection != "" || spec.App != "" && spec.App != "Functions" {
		return true
	}
	return strings.HasPrefix(spec.ID, "tables.") || strings.HasPrefix(spec.ID, "http.")
}

// RunFlow is the workflow: it interprets Start.Flow with engine's executor.
func (w *Worker) RunFlow(ctx workflow.Context, s Start) (*Result, error) {
	if s.Flow == nil {
		return nil, temporal.NewNonRetryableApplicationError("the workflow input has no flow", "FlowbenchInput", nil)
	}
	var records []*engine.Execution
	flows := &wfFlows{cache: map[string]*engine.Flow{s.Flow.ID: s.Flow}}
	for id, h := range s.Helpers {
		flows.cache[id] = h
	}
	e := &engine.Executor{Registry: w.registry(), Flows: flows, Services: map[string]any{},
		OnFinish: func(ex *engine.Execution) { records = append(records, ex) }}
	wid := workflow.GetInfo(ctx).WorkflowExecution.ID
	e.Hooks = &engine.Hooks{Invoke: invoke, Fanout: fanout, NewID: newID,
		StartFlow: func(ctx context.Context, f *engine.Flow, args map[string]any, opt engine.RunOptions) error {
			child := Start{Flow: f, Input: args, Opt: opt, Record: s.Record, Secrets: engine.SecretValues(ctx)}
			if s.Link != "" {
				child.Link = strings.TrimSuffix(s.Link, "/"+wid) + "/" + opt.ID
			}
			return startChild(ctx, child)
		}}
	f := *s.Flow
	// the run's time limit is the workflow's (set when it starts): a
	// deadline read from the wall clock would differ on replay
	f.Settings.Timeout = 0
	opt := s.Opt
	opt.Resume, opt.Item, opt.Release, opt.Requeue = false, nil, nil, false
	if opt.ID == "" {
		opt.ID = wid
	}
	base := engine.WithSecretValues(withWorkflow(context.Background(), ctx), s.Secrets)
	ex, _ := e.Run(base, &f, s.Input, opt)
	link := s.Link
	if link != "" {
		link += "/" + workflow.GetInfo(ctx).WorkflowExecution.RunID
	}
	if s.Record && len(records) > 0 {
		for _, r := range records {
			r.Link = link
		}
		retry := &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute}
		var fut workflow.Future
		// version 1: a local activity, the worker that ran the workflow posts
		// the records within the same workflow task (no extra round trip
		// through the cluster); workflows started before keep the activity
		if workflow.GetVersion(ctx, "history-local-activity", workflow.DefaultVersion, 1) == workflow.DefaultVersion {
			actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute, RetryPolicy: retry})
			fut = workflow.ExecuteActivity(actx, ActivityHistory, records)
		} else {
			actx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{StartToCloseTimeout: time.Minute, RetryPolicy: retry})
			fut = workflow.ExecuteLocalActivity(actx, ActivityHistory, records)
		}
		if err := fut.Get(ctx, nil); err != nil {
			return nil, err
		}
	}
	ex.Link = link
	return &Result{Execution: ex}, nil
}

// wfFlows loads helper flows through an activity (recorded in the
// workflow's history, so a replay sees the same version).
type wfFlows struct{ cache map[string]*engine.Flow }

func (s *wfFlows) Flow(ctx context.Context, id string) (*engine.Flow, error) {
	if f, ok := s.cache[id]; ok {
		return f, nil
	}
	w := wf(ctx)
	actx := workflow.WithActivityOptions(w, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 30 * time.Second,
			NonRetryableErrorTypes: []string{"FlowbenchNotFound", "FlowbenchSource"}}})
	var f engine.Flow
	if err := workflow.ExecuteActivity(actx, ActivityFlow, id).Get(w, &f); err != nil {
		return nil, plainError(err)
	}
	s.cache[id] = &f
	return &f, nil
}

func newID(ctx context.Context) string {
	var id string
	_ = workflow.SideEffect(wf(ctx), func(workflow.Context) any { return engine.NewID() }).Get(&id)
	return id
}

func fanout(ctx context.Context, n, conc int, call func(ctx context.Context, i int)) {
	w := wf(ctx)
	sem := workflow.NewSemaphore(w, int64(conc))
	wg := workflow.NewWaitGroup(w)
	for i := 0; i < n; i++ {
		if err := sem.Acquire(w, 1); err != nil {
			break
		}
		wg.Add(1)
		workflow.Go(w, func(gw workflow.Context) {
			defer wg.Done()
			defer sem.Release(1)
			call(withWorkflow(ctx, gw), i)
		})
	}
	wg.Wait(w)
}

// startChild starts a Call Flow Async run as a child workflow that outlives
// its parent, and returns once it started.
func startChild(ctx context.Context, s Start) error {
	wc := wf(ctx)
	info := workflow.GetInfo(wc)
	cctx := workflow.WithChildOptions(wc, workflow.ChildWorkflowOptions{WorkflowID: s.Opt.ID,
		TaskQueue: info.TaskQueueName, ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_ABANDON})
	fut := workflow.ExecuteChildWorkflow(cctx, WorkflowName, s)
	return plainError(fut.GetChildWorkflowExecution().Get(wc, nil))
}

// invoke runs one card in the workflow: a wait as a durable timer, an
// outside card as an activity, a clock or random card in a side effect,
// any other function card in workflow code.
func invoke(ctx context.Context, spec *engine.Spec, in engine.Inputs) (engine.Outputs, error) {
	w := wf(ctx)
	switch spec.ID {
	case "flow.waitFor":
		d, err := waitFor(in.Values)
		if err != nil {
			return nil, err
		}
		return engine.Outputs{}, sleep(w, d)
	case "flow.waitUntil":
		t, err := engine.ParseDate(in.Values["date"])
		if err != nil {
			return nil, engine.InputErrorf("date", "%v", err)
		}
		return engine.Outputs{}, sleep(w, t.Sub(workflow.Now(w)))
	}
	if Outside(spec) {
		return activityCard(ctx, w, in)
	}
	pol := in.Card.OnError
	for try := 0; ; try++ {
		out, err := runLocal(ctx, w, spec, in)
		if err == nil || pol == nil || try >= pol.Retries {
			return out, err
		}
		var he *engine.HTTPError
		if pol.RetryOn == "ratelimits" && !(errors.As(err, &he) && he.RateLimited()) {
			return out, err
		}
		wait := time.Duration(pol.Delay)
		in.Run.Attempt(engine.Attempt{N: try + 1, Reason: "card retry after: " + err.Error(), Wait: wait})
		if err := sleep(w, wait); err != nil {
			return nil, err
		}
	}
}

func runLocal(ctx context.Context, w workflow.Context, spec *engine.Spec, in engine.Inputs) (engine.Outputs, error) {
	if spec.Run == nil {
		return engine.Outputs{}, nil
	}
	if !clockCards[spec.ID] {
		return spec.Run(ctx, in)
	}
	var res struct {
		Out map[string]any `json:"out"`
		Err *cardFailure   `json:"err"`
	}
	_ = workflow.SideEffect(w, func(workflow.Context) any {
		out, err := spec.Run(ctx, in)
		res.Out = out
		if err != nil {
			res.Err = failureOf(err)
		}
		return res
	}).Get(&res)
	if res.Err != nil {
		return nil, res.Err.err()
	}
	return res.Out, nil
}

func waitFor(v map[string]any) (time.Duration, error) {
	unit := strings.TrimSuffix(strings.ToLower(engine.ToText(v["unit"])), "s")
	units := map[string]time.Duration{"": time.Second, "second": time.Second, "minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour}
	d, ok := units[unit]
	if !ok {
		return 0, engine.InputErrorf("unit", "unknown unit %q (second, minute, hour, day)", v["unit"])
	}
	n, _ := v["delay"].(float64)
	if math.IsNaN(n) || n*float64(d) > float64(math.MaxInt64) {
		return 0, engine.InputErrorf("delay", "%v is not a usable delay", v["delay"])
	}
	return time.Duration(n * float64(d)), nil
}

func sleep(w workflow.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	if err := workflow.Sleep(w, d); err != nil {
		return fmt.Errorf("wait interrupted: %w", err)
	}
	return nil
}

// RetryPolicy maps a card's retry policy onto Temporal's. Temporal retries
// the activity when a worker is lost (heartbeat timeout) whatever the
// card's policy; whether a card error is retried is decided by the
// activity from the card's policy (NonRetryable once it is spent, the
// policy's delay as the next retry delay), so attempts are not capped here.
func RetryPolicy(pol *engine.ErrorPolicy) *temporal.RetryPolicy {
	rp := &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute}
	if pol != nil && pol.Delay > 0 {
		rp.InitialInterval = time.Duration(pol.Delay)
		rp.BackoffCoefficient = 1
		if pol.DelayMax > pol.Delay {
			rp.MaximumInterval = time.Duration(pol.DelayMax)
		} else {
			rp.MaximumInterval = time.Duration(pol.Delay)
		}
	}
	return rp
}

// HeartbeatTimeout is how soon a lost worker's activity moves to another
// worker (activities heartbeat every HeartbeatTimeout/4).
var HeartbeatTimeout = 10 * time.Second

func activityCard(ctx context.Context, w workflow.Context, in engine.Inputs) (engine.Outputs, error) {
	actx := workflow.WithActivityOptions(w, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		HeartbeatTimeout:    HeartbeatTimeout,
		RetryPolicy:         RetryPolicy(in.Card.OnError),
	})
	task := cardTask{Card: *in.Card, Values: in.Values, ExecutionID: in.Run.ExecutionID(), Settings: in.Run.Settings(),
		Key: engine.IdempotencyKey(ctx)}
	var done cardDone
	err := workflow.ExecuteActivity(actx, ActivityCard, task).Get(w, &done)
	engine.NoteSecrets(in.Run, done.Redact) // before the card's record is made
	for _, a := range done.Attempts {
		in.Run.Attempt(a)
	}
	if err != nil {
		return nil, plainError(err)
	}
	return done.Outputs, nil
}

// plainError turns a Temporal activity error back into the card's error.
func plainError(err error) error {
	if err == nil {
		return nil
	}
	var ae *temporal.ApplicationError
	if errors.As(err, &ae) && ae.Type() == errCard && ae.HasDetails() {
		var f cardFailure
		if ae.Details(&f) == nil {
			return f.err()
		}
	}
	if errors.As(err, &ae) {
		return errors.New(ae.Message())
	}
	var te *temporal.TimeoutError
	if errors.As(err, &te) {
		return fmt.Errorf("outside call timed out (%s)", te.TimeoutType())
	}
	return err
}

func failureOf(err error) *cardFailure {
	f := &cardFailure{Message: err.Error()}
	var fe *engine.FieldError
	if errors.As(err, &fe) {
		f.Field, f.Message = fe.Key, fe.Err.Error()
	}
	var he *engine.HTTPError
	if errors.As(err, &he) {
		f.Status, f.Code, f.Summary, f.Body = he.Status, he.Code, he.Summary, he.Body
	}
	return f
}

func (f *cardFailure) err() error {
	var err error
	switch {
	case f.Status != 0:
		err = &engine.HTTPError{Status: f.Status, Code: f.Code, Summary: f.Summary, Body: f.Body}
		if f.Field != "" {
			err = &engine.FieldError{Key: f.Field, Err: err}
		}
	case f.Field != "":
		err = &engine.FieldError{Key: f.Field, Err: errors.New(f.Message)}
	default:
		err = errors.New(f.Message)
	}
	return err
}
