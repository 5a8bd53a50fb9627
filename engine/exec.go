package engine

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Executor runs flows. It is safe for concurrent use; each execution has its
// own state, so there is no lock on the hot path beyond a plan cache read.
type Executor struct {
	Registry    *Registry
	Flows       FlowSource
	Connections ConnectionSource
	History     HistorySink
	Services    map[string]any
	// DefaultTimeout applies when a flow sets none (0 = no limit).
	DefaultTimeout time.Duration
	// OnFinish, if set, is called with every finished execution (metrics, UI events).
	OnFinish func(*Execution)
	// Journal records runs durably as they go (journal.go); when nil, a
	// History that is also a Journal (the store) is used.
	Journal Journal
	// Hooks, when set, let another engine run the cards (hooks.go).
	Hooks *Hooks

	plans  sync.Map // flow id -> *plan
	liveMu sync.Mutex
	live   map[string]*liveRun // runs in progress, by execution id (cancel.go)

	// background (Call Flow Async) runs: their own context, cancelled by Close
	bg       sync.WaitGroup
	bgMu     sync.Mutex
	bgOnce   sync.Once
	bgCtx    context.Context
	bgCancel context.CancelFunc
	bgClosed bool
}

// NewExecutor returns an executor over the default registry.
func NewExecutor(flows FlowSource, conns ConnectionSource, hist HistorySink) *Executor {
	return &Executor{Registry: Default(), Flows: flows, Connections: conns, History: hist, Services: map[string]any{}}
}

// RunOptions describe how an execution started.
type RunOptions struct {
	Trigger    string // "manual" (default), "api", "schedule", "event", "call"
	Parent     string
	ParentCard string
	ID         string // preassigned execution id
	// Resume continues the interrupted execution ID from its journal:
	// completed cards and items are not run again.
	Resume bool
	// Item is set on helper calls: the caller's item record (journal.go).
	Item *ItemRecord
	// Release: store keys dropped in the same write as the final record
	// (the trigger queue entry), so nothing is lost between the two.
	Release []string
	// Requeue leaves a run that ctx cancelled journaled for a later resume
	// instead of ending it (trigger runs cut short by shutdown).
	Requeue bool
	// Retry makes this run a new attempt of an earlier execution (retry.go).
	Retry *Retry
	// unpause: the resume values of the paused card (pause.go).
	unpause *unpauseValues
}

// Wait blocks until background (Call Flow Async) executions end.
func (e *Executor) Wait() { e.bg.Wait() }

func (e *Executor) background() context.Context {
	e.bgOnce.Do(func() { e.bgCtx, e.bgCancel = context.WithCancel(context.Background()) })
	return e.bgCtx
}

// Close cancels background executions (they end as canceled, recorded),
// refuses new ones and waits for them: shutdown never hangs on a slow helper.
func (e *Executor) Close() {
	e.background()
	e.bgMu.Lock()
	e.bgClosed = true
	e.bgMu.Unlock()
	e.bgCancel()
	e.bg.Wait()
}

// Run executes flow f with the trigger payload input. The returned execution
// is complete (success or not); it is also handed to History when the flow
// saves history. err is non-nil only when the run failed, and then it is a
// *CardError naming the card.
func (e *Executor) Run(ctx context.Context, f *Flow, input map[string]any, opt RunOptions) (*Execution, error) {
	p, err := e.plan(f)
	ex := &Execution{ID: opt.ID, Flow: f.ID, FlowName: f.Name, Status: StatusRunning, Started: time.Now(),
		Trigger: opt.Trigger, Input: input, Parent: opt.Parent, ParentCard: opt.ParentCard, FlowRevision: f.Revision}
	if ex.ID == "" {
		ex.ID = NewID()
	}
	if ex.Trigger == "" {
		ex.Trigger = "manual"
	}
	ctx, endObserve := observeExecution(ctx, ex)
	defer endObserve()
	ctx, lr := e.track(ctx, ex) // Running, Cancel (cancel.go)
	defer e.untrack(lr)
	sec := callerSecrets(ctx) // the run tree's secrets: a helper shares its caller's (redact.go); nil for a root run until r
	if err != nil {
		ex.Status = StatusFailed
		ex.Error = toCardError(err, &Card{}, f.ID)
		sec.cardError(ex.Error)
		ex.Ended = time.Now()
		e.finish(f, ex, nil, sec, &opt)
		return ex, ex.Error
	}
	timeout := time.Duration(f.Settings.Timeout)
	if timeout == 0 {
		timeout = e.DefaultTimeout
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	r := &run{e: e, p: p, ex: ex, values: make(map[string]map[string]any, len(p.all)+1), sec: sec}
	if sec == nil {
		r.sec = &r.ownSec // a root run's set lives in its run (no allocation of its own)
		sec = r.sec
	}
	ex.Input = sec.record(ex.Input) // a helper's input: its caller's secrets stay out of its record
	ex.Cards = make([]CardRecord, 0, len(p.all))
	input = r.begin(&opt, input)
	err = r.start(ctx, input)
	ex.Ended = time.Now()
	var rs *returnSignal
	var hs *haltSignal
	var ps *pauseSignal
	switch {
	case err == nil:
		ex.Status = StatusSuccess
	case errors.As(err, &rs):
		ex.Status = StatusSuccess
		ex.Outputs = rs.values
		err = nil
	case errors.As(err, &ps): // pause.go
		ex.Status = StatusPaused
		ex.Outputs = ps.response
		err = nil
	case errors.As(err, &hs):
		ex.Status = StatusSuccess
		ex.Halted = hs.card
		err = nil
	default:
		ex.Status = StatusFailed
		if ctx.Err() != nil {
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				ex.Status = StatusTimeout
			} else {
				ex.Status = StatusCanceled
			}
		}
		ce, ok := err.(*CardError)
		if !ok {
			ce = toCardError(err, &Card{}, f.ID)
		}
		if canceledByUser(ctx) {
			// the card in flight saw its context canceled: say who stopped the run
			ex.Status = StatusCanceled
			ce.Message = "canceled by the user while this card ran"
			if ce.Card == "" {
				ce.Message = "canceled by the user"
			}
		}
		ex.Error = ce
		err = ce
	}
	r.markUnrun()
	if r.suspended(ctx, &opt) || r.paused(f, &opt) {
		return ex, err
	}
	e.finish(f, ex, r, sec, &opt)
	return ex, err
}

// finish records the ended run: what is saved, journaled and handed to
// OnFinish is the execution with the run tree's secrets redacted, Return
// values included (sec.execution); the caller keeps the live values.
func (e *Executor) finish(f *Flow, ex *Execution, r *run, sec *secretSet, opt *RunOptions) {
	rec := sec.execution(ex)
	if rec != ex {
		ex.record = rec
	}
	if e.end(f, rec, r, opt) {
		// the journal wrote the history record
	} else if e.History != nil && f.Settings.History {
		e.History.Save(rec)
	}
	if e.OnFinish != nil {
		e.OnFinish(rec)
	}
}

// Invalidate drops the cached plan of a flow (after an edit).
func (e *Executor) Invalidate(flowID string) { e.plans.Delete(flowID) }

// plan returns the compiled plan of f, compiling once per flow version.
func (e *Executor) plan(f *Flow) (*plan, error) {
	if v, ok := e.plans.Load(f.ID); ok {
		if p := v.(*plan); p.flow == f {
			return p, nil
		}
	}
	p, err := compilePlan(e.registry(), f)
	if err != nil {
		return nil, err
	}
	e.plans.Store(f.ID, p)
	return p, nil
}

func (e *Executor) registry() *Registry {
	if e.Registry == nil {
		return Default()
	}
	return e.Registry
}

// plan is a flow compiled for execution: specs resolved, fields indexed.
type plan struct {
	flow    *Flow
	trigger *step
	cards   []*step
	all     map[string]*step
	order   []*step
}

type step struct {
	card     *Card
	spec     *Spec
	inputs   []inputPlan
	branches map[string][]*step
	parent   *step
	branch   string
}

type inputPlan struct {
	key   string
	field *Field
	typ   *Type
	def   any
	// advisory: the card takes any value and the type is the instance's
	// declaration (an Okta export's field type): it converts loosely but a
	// value that does not convert passes as it is, as in Okta (Stringify's
	// "object" given a list)
	advisory bool
}

func compilePlan(reg *Registry, f *Flow) (*plan, error) {
	p := &plan{flow: f, all: map[string]*step{}}
	var err error
	if p.trigger, err = p.compileCard(reg, &f.Trigger, nil, ""); err != nil {
		return nil, err
	}
	p.cards, err = p.compileList(reg, f.Cards, nil, "")
	return p, err
}

func (p *plan) compileList(reg *Registry, cards []Card, parent *step, branch string) ([]*step, error) {
	out := make([]*step, 0, len(cards))
	for i := range cards {
		st, err := p.compileCard(reg, &cards[i], parent, branch)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func (p *plan) compileCard(reg *Registry, c *Card, parent *step, branch string) (*step, error) {
	spec, ok := reg.Card(c.Type)
	if !ok {
		return nil, &CardError{Message: fmt.Sprintf("unknown card type %q", c.Type), Card: c.ID, Title: c.Title, Type: c.Type, Flow: p.flow.ID}
	}
	if _, dup := p.all[c.ID]; dup {
		return nil, &CardError{Message: "duplicate card id", Card: c.ID, Title: c.Title, Type: c.Type, Flow: p.flow.ID}
	}
	st := &step{card: c, spec: spec, parent: parent, branch: branch}
	p.all[c.ID] = st
	p.order = append(p.order, st)
	seen := map[string]bool{}
	for i := range c.Inputs {
		f := &c.Inputs[i]
		ip := inputPlan{key: f.Key, field: f, typ: f.Type}
		if fs := spec.InputSpec(f.Key); fs != nil {
			if ip.typ == nil {
				ip.typ = fs.Type
			}
			ip.def = fs.Default
			ip.advisory = f.Type != nil && fs.Type != nil && fs.Type.Kind == KindAny && !fs.Type.List
		}
		seen[f.Key] = true
		st.inputs = append(st.inputs, ip)
	}
	for i := range spec.Inputs {
		fs := &spec.Inputs[i]
		if !seen[fs.Key] && fs.Default != nil {
			st.inputs = append(st.inputs, inputPlan{key: fs.Key, typ: fs.Type, def: fs.Default})
		}
	}
	if len(c.Branches) > 0 {
		st.branches = make(map[string][]*step, len(c.Branches))
		for i := range c.Branches {
			b := &c.Branches[i]
			list, err := p.compileList(reg, b.Cards, st, b.Name)
			if err != nil {
				return nil, err
			}
			st.branches[b.Name] = list
		}
	}
	return st, nil
}

// run is the state of one execution.
type run struct {
	e      *Executor
	p      *plan
	ex     *Execution
	values map[string]map[string]any
	mu     sync.Mutex // guards ex.Cards appends from card goroutines (Attempt)
	cur    int
	j      *journal   // durable record (journal.go); nil without a Journal
	sec    *secretSet // secrets of the run tree, redacted in records (redact.go)
	ownSec secretSet  // a root run's set (sec points here)
}

type returnSignal struct{ values map[string]any }

func (*returnSignal) Error() string { return "return" }

type haltSignal struct{ card string }

func (*haltSignal) Error() string { return "halted by Continue If" }

func isSignal(err error) bool {
	switch err.(type) {
	case *returnSignal, *haltSignal:
		return true
	}
	return false
}

func (r *run) start(ctx context.Context, input map[string]any) error {
	t := r.p.trigger
	idx := r.addRecord(t)
	rec := &r.ex.Cards[idx]
	out := make(map[string]any, len(input)+1)
	for k, v := range input {
		out[k] = v
	}
	for i := range t.card.Outputs {
		f := &t.card.Outputs[i]
		v, ok := out[f.Key]
		if !ok {
			if f.Value != nil {
				out[f.Key] = f.Value
			} else if f.Required {
				return r.fail(idx, t, &FieldError{Key: f.Key, Err: errors.New("required trigger input is missing")})
			}
			continue
		}
		c, err := Coerce(v, f.Type)
		if err != nil {
			if r.ex.Trigger == "call" {
				// a helper flow's declared input types are advisory in Okta: the
				// caller's value arrives as it is (text "69.173.127.24" into an
				// input typed number, split as text by the helper)
				continue
			}
			return r.fail(idx, t, &FieldError{Key: f.Key, Err: err})
		}
		out[f.Key] = c
	}
	if ctxv, ok := out["context"].(map[string]any); ok || out["context"] == nil {
		out["context"] = r.triggerContext(ctxv) // every field Okta documents (triggerctx.go)
	}
	if err := validate(t.spec.out, out); err != nil && !t.spec.ExtensibleOutputs {
		return r.fail(idx, t, err)
	}
	rec.Outputs = r.sec.record(out)
	rec.Status = StatusSuccess
	rec.Ended = time.Now()
	r.values[t.card.ID] = out
	r.values[TriggerID] = out
	return r.runList(ctx, r.p.cards)
}

func (r *run) addRecord(st *step) int {
	c := st.card
	rec := CardRecord{ID: c.ID, Type: c.Type, Title: c.Title, Status: StatusRunning, Branch: st.branch, Started: time.Now()}
	if st.parent != nil {
		rec.Parent = st.parent.card.ID
	}
	r.mu.Lock()
	r.ex.Cards = append(r.ex.Cards, rec)
	idx := len(r.ex.Cards) - 1
	r.cur = idx
	r.mu.Unlock()
	return idx
}

func (r *run) runList(ctx context.Context, steps []*step) error {
	for _, st := range steps {
		if err := ctx.Err(); err != nil {
			return &CardError{Message: "execution " + ctxReason(err), Card: st.card.ID, Title: st.card.Title, Type: st.card.Type, Flow: r.p.flow.ID}
		}
		if err := r.runStep(ctx, st); err != nil {
			return err
		}
	}
	return nil
}

func ctxReason(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	return "canceled"
}

func (r *run) runStep(ctx context.Context, st *step) error {
	idx := r.addRecord(st)
	ctx = r.startCard(ctx, st)
	defer r.endCard(ctx, idx)
	if r.replay(st, idx) {
		return nil // completed before an interruption
	}
	in, err := r.resolveInputs(st)
	if err != nil {
		return r.fail(idx, st, err)
	}
	r.ex.Cards[idx].Inputs = r.sec.record(in)
	if err := validate(st.spec.in, in); err != nil {
		return r.fail(idx, st, err)
	}
	if IsPause(st.spec.ID) {
		return r.pause(st, idx, in) // pause.go
	}
	ctx = r.beforeEffect(ctx, st, idx)
	defer r.afterEffect(st)
	out, err := r.invoke(ctx, st, idx, in)
	if err != nil {
		if isSignal(err) {
			r.ex.Cards[idx].Status = StatusSuccess
			r.ex.Cards[idx].Ended = time.Now()
			return err
		}
		if ctx.Err() != nil {
			return r.fail(idx, st, fmt.Errorf("execution %s: %w", ctxReason(ctx.Err()), err))
		}
		if pol := st.card.OnError; pol != nil && (pol.Action == "continue" || pol.Action == "flow") {
			ce := toCardError(err, st.card, r.p.flow.ID)
			rec := &r.ex.Cards[idx]
			rec.Error, rec.Status, rec.Ended = r.sec.errorCopy(ce), StatusContinued, time.Now()
			if pol.Action == "flow" && pol.Flow != "" {
				r.cur = idx // the error-handler run is this card's child
				_, _ = r.CallFlow(ctx, pol.Flow, map[string]any{"context": map[string]any{"error": errorValue(ce, r.ex.ID)}})
			}
			r.values[st.card.ID] = map[string]any{}
			return nil
		}
		return r.fail(idx, st, err)
	}
	if out == nil {
		out = map[string]any{}
	}
	if err := validate(st.spec.out, out); err != nil {
		return r.fail(idx, st, fmt.Errorf("card returned invalid outputs: %w", err))
	}
	rec := &r.ex.Cards[idx]
	if r.sec.note(st.card, out) {
		// its inputs, calls and attempts were recorded before the values
		// were known to be secret (a vault's response): redact them again
		r.mu.Lock()
		*rec = r.sec.cardRecord(*rec)
		r.mu.Unlock()
	}
	rec.Outputs, rec.Status, rec.Ended = r.sec.record(out), StatusSuccess, time.Now()
	r.values[st.card.ID] = out
	return nil
}

// invoke calls the card with its retry policy.
func (r *run) invoke(ctx context.Context, st *step, idx int, in map[string]any) (map[string]any, error) {
	args := Inputs{Values: in, Card: st.card, Run: r}
	if r.e.Hooks != nil && r.e.Hooks.Invoke != nil && st.spec.Control == nil {
		r.cur = idx
		return r.e.Hooks.Invoke(ctx, st.spec, args)
	}
	pol := st.card.OnError
	for try := 0; ; try++ {
		r.cur = idx
		var out map[string]any
		var err error
		if st.spec.Control != nil {
			out, err = st.spec.Control(ctx, args, &scope{r: r, st: st})
		} else if st.spec.Run != nil {
			out, err = st.spec.Run(ctx, args)
		}
		// control cards are not re-run: a retry would re-run their lanes'
		// cards (and their side effects); the cards inside have their own policies
		if err == nil || isSignal(err) || pol == nil || try >= pol.Retries || ctx.Err() != nil || st.spec.Control != nil {
			return out, err
		}
		var he *HTTPError
		if pol.RetryOn == "ratelimits" && !(errors.As(err, &he) && he.RateLimited()) {
			return out, err
		}
		wait := time.Duration(pol.Delay)
		if pol.DelayMax > pol.Delay {
			wait += time.Duration(mrand.Int64N(int64(pol.DelayMax - pol.Delay)))
		}
		r.cur = idx // a nested card may have run since
		r.Attempt(Attempt{N: try + 1, Reason: "card retry after: " + err.Error(), Wait: wait})
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, err
		}
	}
}

func (r *run) fail(idx int, st *step, err error) error {
	ce := toCardError(err, st.card, r.p.flow.ID)
	r.sec.cardError(ce)
	rec := &r.ex.Cards[idx]
	rec.Error, rec.Status, rec.Ended = ce, StatusFailed, time.Now()
	return ce
}

// markUnrun adds records for cards that did not run, so history can grey them.
func (r *run) markUnrun() {
	if len(r.ex.Cards) == len(r.p.all) {
		return
	}
	done := make(map[string]bool, len(r.ex.Cards))
	for i := range r.ex.Cards {
		done[r.ex.Cards[i].ID] = true
	}
	status := StatusSkipped
	if r.ex.Status != StatusSuccess {
		status = StatusNotRun
	}
	for _, st := range r.p.order {
		if done[st.card.ID] {
			continue
		}
		rec := CardRecord{ID: st.card.ID, Type: st.card.Type, Title: st.card.Title, Status: status, Branch: st.branch}
		if st.parent != nil {
			rec.Parent = st.parent.card.ID
		}
		r.ex.Cards = append(r.ex.Cards, rec)
	}
}

func (r *run) resolveInputs(st *step) (map[string]any, error) {
	in := make(map[string]any, len(st.inputs))
	for i := range st.inputs {
		ip := &st.inputs[i]
		var v any
		if ip.field != nil {
			var err error
			if v, err = r.resolveField(ip.field); err != nil {
				return nil, &FieldError{Key: ip.key, Err: err}
			}
		}
		if v == nil {
			v = ip.def
		}
		if ip.field != nil && ip.field.Item != nil {
			// item mappings are applied per item by the iteration card
			in[ip.key] = v
			continue
		}
		c, err := Coerce(v, ip.typ)
		if err != nil {
			if !ip.advisory {
				return nil, &FieldError{Key: ip.key, Err: err}
			}
			c = v
		}
		in[ip.key] = c
	}
	return in, nil
}

// resolveField evaluates a field: its binding(s) or its static value.
func (r *run) resolveField(f *Field) (any, error) {
	if f.From != nil {
		return r.resolveBinding(f.From)
	}
	if len(f.Any) > 0 {
		for i := range f.Any {
			if _, ran := r.values[f.Any[i].Card]; ran {
				return r.resolveBinding(&f.Any[i])
			}
		}
		return f.Value, nil // the lane that ran wired nothing: the field's default (as Okta's join does)
	}
	return f.Value, nil
}

func (r *run) resolveBinding(b *Binding) (any, error) {
	src, ok := r.values[b.Card]
	if !ok || len(b.Path) == 0 {
		return nil, nil // source did not run (other branch): no value
	}
	v, ok := src[b.Path[0]]
	if ok && len(b.Path) > 1 {
		v, _ = Get(v, b.Path[1:])
	}
	if b.Convert != "" {
		return Transform(b.Convert, v)
	}
	return v, nil
}

func validate(cs *cardSchema, v map[string]any) error {
	fast, s, err := cs.get()
	if err != nil {
		return err
	}
	if s == nil {
		return nil
	}
	if fast != nil && fast.ok(v) {
		return nil
	}
	if err = s.Validate(v); err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if errors.As(err, &ve) {
		leaf := ve
		for len(leaf.Causes) > 0 {
			leaf = leaf.Causes[0]
		}
		// the location is a JSON pointer with URL-escaped tokens
		// ("/ID%20or%20Login"): name the field as it was typed
		loc := strings.TrimPrefix(leaf.InstanceLocation, "/")
		key, loc, _ := strings.Cut(loc, "/")
		key = pointerToken(key)
		if loc != "" {
			toks := strings.Split(loc, "/")
			for i, t := range toks {
				toks[i] = pointerToken(t)
			}
			loc = "/" + strings.Join(toks, "/")
		}
		// the schema library formats its enum message twice: a choice
		// holding '%' (Return Error If's "%" operator) came out as %!"(MISSING)
		msg := strings.ReplaceAll(leaf.Message, `%!"(MISSING)`, `%"`)
		if key == "" {
			// object-level failures name the field inside quotes
			quoted := ""
			if i := strings.Index(msg, "'"); i >= 0 {
				if j := strings.Index(msg[i+1:], "'"); j >= 0 {
					quoted = msg[i+1 : i+1+j]
				}
			}
			switch {
			case quoted != "" && strings.Contains(msg, "missing properties"):
				return &FieldError{Key: quoted, Err: errors.New("required input is missing")}
			case quoted != "" && strings.Contains(msg, "additionalProperties"):
				return &FieldError{Key: quoted, Err: errors.New("this card has no such field")}
			}
			return errors.New(msg)
		}
		if loc != "" {
			msg = "at " + loc + ": " + msg
		}
		return &FieldError{Key: key, Err: errors.New(msg)}
	}
	return err
}

// pointerToken decodes one token of a URL-escaped JSON pointer.
func pointerToken(t string) string {
	if u, err := url.PathUnescape(t); err == nil {
		t = u
	}
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(t)
}

// --- Runtime implementation ---

func (r *run) ExecutionID() string { return r.ex.ID }
func (r *run) Settings() Settings  { return r.p.flow.Settings }

func (r *run) Service(name string) any {
	if r.e.Services == nil {
		return nil
	}
	return r.e.Services[name]
}

func (r *run) Attempt(a Attempt) {
	r.mu.Lock()
	rec := &r.ex.Cards[r.cur]
	rec.Attempts = append(rec.Attempts, r.sec.attempt(a))
	r.mu.Unlock()
}

func (r *run) Connection(ctx context.Context, id string) (*Connection, error) {
	if id == "" {
		return nil, errors.New("no connection chosen for this card")
	}
	if r.e.Connections == nil {
		return nil, fmt.Errorf("connection %q not found", id)
	}
	c, err := r.e.Connections.Connection(ctx, id)
	if err != nil {
		return nil, err // sources name the connection
	}
	r.sec.noteConnection(c) // its secrets stay out of every record of the run tree
	return c, nil
}

func (r *run) addChild(id string) {
	r.mu.Lock()
	rec := &r.ex.Cards[r.cur]
	rec.Children = append(rec.Children, id)
	r.mu.Unlock()
}

func (r *run) helper(ctx context.Context, flowID string) (*Flow, error) {
	if flowID == "" {
		return nil, errors.New("no helper flow chosen: choose one on the card")
	}
	if r.e.Flows == nil {
		return nil, fmt.Errorf("helper flow %q not found", flowID)
	}
	f, err := r.e.Flows.Flow(ctx, flowID)
	if err != nil {
		return nil, fmt.Errorf("helper flow %q: %w", flowID, err)
	}
	return f, nil
}

func (r *run) CallFlow(ctx context.Context, flowID string, args map[string]any) (map[string]any, error) {
	f, err := r.helper(ctx, flowID)
	if err != nil {
		return nil, err
	}
	parentCard := r.ex.Cards[r.cur].ID
	id, resume := r.e.newID(ctx), false
	idx, prior := r.item(parentCard, args)
	if prior != nil {
		switch prior.Status {
		case StatusSuccess: // done before an interruption: not run again
			r.addChild(prior.Child)
			return prior.Outputs, nil
		case StatusRunning, StatusInterrupted: // in flight: it resumes too
			id, resume = prior.Child, true
		}
	}
	r.addChild(id)
	opt := RunOptions{Trigger: "call", Parent: r.ex.ID, ParentCard: parentCard, ID: id, Resume: resume}
	if r.j != nil {
		opt.Item = &ItemRecord{Parent: r.ex.ID, Card: parentCard, Index: idx, Child: id, Status: StatusRunning}
	}
	child, err := r.e.Run(withSecrets(ctx, r.sec), f, r.withParent(args, parentCard), opt)
	if err != nil {
		return nil, fmt.Errorf("helper flow %q failed: %w", f.Name, err)
	}
	if child.Outputs == nil {
		return map[string]any{}, nil
	}
	return child.Outputs, nil
}

func (r *run) StartFlow(ctx context.Context, flowID string, args map[string]any) (string, error) {
	f, err := r.helper(ctx, flowID)
	if err != nil {
		return "", err
	}
	// detached from the caller: fire and forget, bounded by the helper's
	// own timeout and by the executor's life (Close cancels it)
	bg := r.e.background()
	r.e.bgMu.Lock()
	if r.e.bgClosed {
		r.e.bgMu.Unlock()
		return "", errors.New("shutting down: no new background runs")
	}
	parent, parentCard := r.ex.ID, r.ex.Cards[r.cur].ID
	idx, prior := r.item(parentCard, args)
	args = r.withParent(args, parentCard)
	if prior != nil { // started before an interruption: not started twice
		r.e.bgMu.Unlock()
		r.addChild(prior.Child)
		return prior.Child, nil
	}
	if h := r.e.Hooks; h != nil && h.StartFlow != nil {
		r.e.bgMu.Unlock()
		id := r.e.newID(ctx)
		r.addChild(id)
		// the hook's context carries the run tree's secrets (SecretValues)
		return id, h.StartFlow(withSecrets(ctx, r.sec), f, args, RunOptions{Trigger: "call", Parent: parent, ParentCard: parentCard, ID: id})
	}
	r.e.bg.Add(1)
	r.e.bgMu.Unlock()
	id := NewID()
	r.addChild(id)
	if r.j != nil {
		r.j.j.Step(r.ex, r.j.seq, nil, []ItemRecord{{Parent: parent, Card: parentCard, Index: idx, Child: id, Status: "started"}}, false)
		r.j.seq++
	}
	go func() {
		defer r.e.bg.Done()
		_, _ = r.e.Run(withSecrets(bg, r.sec), f, args, RunOptions{Trigger: "call", Parent: parent, ParentCard: parentCard, ID: id})
	}()
	return id, nil
}

// scope implements Scope for a control card.
type scope struct {
	r  *run
	st *step
}

func (s *scope) Branch(name string) *Branch {
	for i := range s.st.card.Branches {
		if s.st.card.Branches[i].Name == name {
			return &s.st.card.Branches[i]
		}
	}
	return nil
}

func (s *scope) Resolve(f *Field) (any, error) {
	v, err := s.r.resolveField(f)
	if err != nil || f.Type == nil {
		return v, err
	}
	return Coerce(v, f.Type)
}

func (s *scope) RunBranch(ctx context.Context, name string, vars map[string]any) (BranchResult, error) {
	steps, ok := s.st.branches[name]
	if !ok {
		return BranchResult{}, nil // an empty lane
	}
	if vars != nil {
		s.r.values[s.st.card.ID] = vars
	}
	err := s.r.runList(ctx, steps)
	var rs *returnSignal
	var hs *haltSignal
	switch {
	case err == nil:
		return BranchResult{}, nil
	case errors.As(err, &rs):
		return BranchResult{Returned: true, Values: rs.values}, nil
	case errors.As(err, &hs):
		return BranchResult{Stopped: true, StoppedBy: hs.card}, nil
	}
	return BranchResult{}, err
}

// ReturnFlow is what a Return card's run function returns to end the
// enclosing flow or inline body with values.
func ReturnFlow(values map[string]any) error { return &returnSignal{values: values} }

// Halt is what Continue If returns to end the run quietly.
func Halt(cardID string) error { return &haltSignal{card: cardID} }

// Propagate turns a branch result of an If/Else lane back into the signal
// that ends the enclosing flow.
func Propagate(res BranchResult, cardID string) error {
	if res.Returned {
		return &returnSignal{values: res.Values}
	}
	if res.Stopped {
		if res.StoppedBy != "" {
			cardID = res.StoppedBy
		}
		return &haltSignal{card: cardID}
	}
	return nil
}

func errorValue(ce *CardError, execID string) map[string]any {
	v := map[string]any{"message": ce.Message, "method": ce.Title, "card": ce.Card, "flo": ce.Flow,
		"execution": execID, "statusCode": float64(ce.Status), "code": ce.Code}
	var he *HTTPError
	if errors.As(ce, &he) {
		// Okta's error object carries the API's error body; templates read
		// error.errorSummary and error.body.errorSummary
		v["errorCode"], v["errorSummary"] = he.Code, he.Summary
		if he.Body != nil {
			v["body"] = he.Body
		}
	}
	return v
}

// ErrorValue renders a card error as the value an If Error catch branch and
// error-handler flows see (Okta's context.error shape plus our details).
func ErrorValue(err error, c *Card, flowID, execID string) map[string]any {
	var ce *CardError
	if !errors.As(err, &ce) || ce.Card == "" {
		ce = toCardError(err, c, flowID)
	}
	return errorValue(ce, execID)
}

var idCounter atomic.Uint64

// IDTime returns the creation time encoded in an id made by NewID.
func IDTime(id string) (time.Time, bool) {
	if len(id) != 32 {
		return time.Time{}, false
	}
	ms, err := strconv.ParseUint(id[:12], 16, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.UnixMilli(int64(ms)), true
}

// NewID returns a time-sortable unique id: 48 bits of milliseconds, a
// 16-bit counter and 64 random bits, as 32 hex digits.
func NewID() string {
	var b [16]byte
	ms := uint64(time.Now().UnixMilli())
	binary.BigEndian.PutUint64(b[0:8], ms<<16|idCounter.Add(1)&0xffff)
	binary.BigEndian.PutUint64(b[8:], mrand.Uint64())
	return hex.EncodeToString(b[:])
}
