// Package trigger is the trigger runtime: it turns flows on and off and
// starts their executions from Okta events (event hooks or System Log
// polling), schedules and API endpoints while the app or `flowbench serve`
// runs. Accepted triggers pass through a bounded, persisted queue served by
// a bounded worker pool; state (schedules' next runs, pollers' cursors,
// seen event ids, queued jobs, per-flow secrets) lives in Badger under
// trg/ so a restart neither misses nor repeats anything.
package trigger

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

// Native card types the runtime knows by id (the cards register elsewhere).
const (
	TypeAPIEndpoint = "api.endpoint"  // Okta http:accept
	TypeDelegated   = "api.delegated" // Okta http:delegated
	TypeSchedule    = "schedule.flow" // Scheduled Flow
	// ServiceResponse is the executor service the Close card answers through.
	ServiceResponse = "http.response"
)

// Trigger kinds.
const (
	KindEvent    = "event"
	KindSchedule = "schedule"
	KindAPI      = "api"
	KindHelper   = "helper"
	KindManual   = "manual"
)

// Event deliveries.
const (
	DeliveryHook = "hook"
	DeliveryPoll = "poll"
)

// Event is one outside event for one flow, already mapped to the trigger
// card's outputs.
type Event struct {
	ID    string // dedupe key (Okta: the LogEvent uuid)
	Type  string
	Time  time.Time
	Input map[string]any
}

// PollEnv is what a poller gets.
type PollEnv struct {
	Connections engine.ConnectionSource
	Services    map[string]any
	Now         time.Time
	Since       time.Time // when the flow was turned on: where a new cursor starts
}

// PollResult is one page of polled events and the cursor after it.
type PollResult struct {
	Events []Event
	Cursor string
	More   bool // another page is ready now
}

// EventProvider is an event source registered by a connector (Okta).
type EventProvider struct {
	Name            string // URL segment: /hooks/{Name}/{flowID}
	Handles         func(cardType string) bool
	EventType       func(cardType string) string
	DefaultDelivery string
	// Verify answers a one-time verification request (GET); ok=false when
	// the request is not one.
	Verify func(r *http.Request) (answer any, ok bool)
	// Parse decodes a hook delivery into the events that start flow f.
	Parse func(f *engine.Flow, h http.Header, body []byte) ([]Event, error)
	// Poll fetches the events after cursor ("" = start now).
	Poll func(ctx context.Context, env PollEnv, f *engine.Flow, cursor string) (PollResult, error)
	// Subscriber registers hook flows' URLs at the vendor (subscribe.go).
	Subscriber *Subscriber
	// Check refuses a flow's event card options when it is switched on
	// (a *ConfigError naming the field); nil: nothing to check.
	Check func(f *engine.Flow) error
}

var (
	provMu    sync.RWMutex
	providers []*EventProvider
)

// RegisterEvents adds an event provider (from a connector's init).
func RegisterEvents(p *EventProvider) {
	provMu.Lock()
	providers = append(providers, p)
	provMu.Unlock()
}

// ProviderFor returns the provider of an event card type.
func ProviderFor(cardType string) *EventProvider {
	provMu.RLock()
	defer provMu.RUnlock()
	for _, p := range providers {
		if p.Handles(cardType) {
			return p
		}
	}
	return nil
}

func providerNamed(name string) *EventProvider {
	provMu.RLock()
	defer provMu.RUnlock()
	for _, p := range providers {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Classify says how a flow starts.
func Classify(f *engine.Flow) string {
	switch t := f.Trigger.Type; {
	case t == TypeAPIEndpoint || t == TypeDelegated:
		return KindAPI
	case IsScheduled(f):
		return KindSchedule
	case t == "flow.helper":
		return KindHelper
	case ProviderFor(t) != nil:
		return KindEvent
	}
	return KindManual
}

// Options tune the runtime.
type Options struct {
	Workers   int // concurrent executions (default 4×CPUs, at least 8)
	QueueSize int // accepted jobs waiting at most (default 1000)
	PerFlow   int // concurrent executions of one flow from the queue (default Workers/2)
	Clock     Clock
	Logf      func(format string, args ...any)
	// BaseURL is where the app listens, for endpoint URLs in State.
	BaseURL func() string
	// WebhookBase is the base URL a vendor reaches the webhooks of a
	// connection at (a public URL; the fakes' loopback relay); "": BaseURL.
	WebhookBase func(provider, connection string) string
	// PollInterval is the default System Log polling interval (60 s).
	PollInterval time.Duration
	// ResyncEvery is how often stored flows are compared for edits (2 s; <0 off).
	ResyncEvery time.Duration
	// StopGrace bounds how long Stop waits for running executions (10 s).
	StopGrace time.Duration
	// SeenTTL keeps event ids for dedupe (30 days).
	SeenTTL time.Duration
	// EndpointTimeout is the default API Endpoint time limit (60 s).
	EndpointTimeout time.Duration
	// RateLimit is the default API Endpoint requests/s per flow (10, Okta's).
	RateLimit float64
}

// Runtime runs triggers. Create with New, then Start.
type Runtime struct {
	exec *engine.Executor
	st   *store.Store
	opt  Options
	clk  Clock

	ctx     context.Context // listeners
	cancel  context.CancelFunc
	runCtx  context.Context // executions
	runStop context.CancelFunc

	mu     sync.RWMutex
	active map[string]*active
	states map[string]*flowState

	d          *dispatcher
	slots      chan struct{}
	apiJobs    chan *apiJob
	apiStop    chan struct{}
	apiWaiting atomic.Int64
	wg         sync.WaitGroup // listeners
	workers    sync.WaitGroup
	wake       chan struct{}
	responders sync.Map // execution id -> *pending
	m          *metrics
	started    atomic.Bool
	stopped    atomic.Bool
	starter    StartFunc // executions run elsewhere (starter.go); nil: in-process
	subs       subs      // vendor webhook subscriptions (subscribe.go)
}

// active is a flow that is on and listening.
type active struct {
	flow     *engine.Flow
	kind     string
	provider *EventProvider
	delivery string
	interval time.Duration
	schedule *Schedule
	next     time.Time
	stop     context.CancelFunc
	done     chan struct{}
	limiter  *limiter
	secret   string
	header   string // auth header of hooks
	open     bool   // API endpoint without token
	security string // API endpoint security level (Security*)
	oauth    TokenRequirements
	timeout  time.Duration
	pollMu   sync.Mutex
}

// flowState is what State reports, kept while the runtime runs.
type flowState struct {
	lastEvent time.Time
	lastExec  string
	err       string
	pollErr   string
	lastPoll  time.Time
	failed    *engine.Flow // the version whose trigger failed to set up
}

// New makes a runtime over an executor and the store.
func New(exec *engine.Executor, st *store.Store, opt Options) *Runtime {
	if opt.Workers <= 0 {
		opt.Workers = 4 * runtime.GOMAXPROCS(0)
		if opt.Workers < 8 {
			opt.Workers = 8
		}
	}
	if opt.QueueSize <= 0 {
		opt.QueueSize = 1000
	}
	if opt.PerFlow <= 0 {
		opt.PerFlow = opt.Workers / 2
		if opt.PerFlow < 1 {
			opt.PerFlow = 1
		}
	}
	if opt.Clock == nil {
		opt.Clock = RealClock
	}
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	if opt.PollInterval <= 0 {
		opt.PollInterval = time.Minute
	}
	if opt.ResyncEvery == 0 {
		opt.ResyncEvery = 2 * time.Second
	}
	if opt.StopGrace <= 0 {
		opt.StopGrace = 10 * time.Second
	}
	if opt.SeenTTL <= 0 {
		opt.SeenTTL = 30 * 24 * time.Hour
	}
	if opt.EndpointTimeout <= 0 {
		opt.EndpointTimeout = 60 * time.Second
	}
	if opt.RateLimit <= 0 {
		opt.RateLimit = 10
	}
	r := &Runtime{exec: exec, st: st, opt: opt, clk: opt.Clock, active: map[string]*active{}, states: map[string]*flowState{},
		d: newDispatcher(opt.QueueSize, opt.PerFlow), slots: make(chan struct{}, opt.Workers), apiJobs: make(chan *apiJob), apiStop: make(chan struct{}), wake: make(chan struct{}, 1),
	}
	r.m = newMetrics(r)
	return r
}

// Start replays accepted jobs, turns on every enabled flow and starts the
// workers, the scheduler and the edit watcher. Flows whose trigger is set
// up wrongly stay off; their errors are returned joined (and in State).
func (r *Runtime) Start(ctx context.Context) error {
	if !r.started.CompareAndSwap(false, true) {
		return errors.New("trigger runtime already started")
	}
	r.ctx, r.cancel = context.WithCancel(context.WithoutCancel(ctx))
	r.runCtx, r.runStop = context.WithCancel(context.WithoutCancel(ctx))
	r.chainOnFinish()
	if r.exec.Services == nil {
		r.exec.Services = map[string]any{}
	}
	r.exec.Services[ServiceResponse] = Responder(r)
	pending, err := r.loadJobs()
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		r.opt.Logf("triggers: replaying %d accepted executions", len(pending))
		r.d.commit(pending, -1)
	}
	for i := 0; i < r.opt.Workers; i++ {
		r.workers.Add(2)
		go r.worker()
		go r.apiWorker()
	}
	var errs []error
	flows := r.st.Flows()
	for _, f := range flows {
		if err := r.Sync(f); err != nil {
			errs = append(errs, err)
		}
	}
	r.removeOrphanSubscriptions(flows)
	r.wg.Add(1)
	go r.scheduleLoop()
	if r.opt.ResyncEvery > 0 {
		r.wg.Add(1)
		go r.resyncLoop()
	}
	return errors.Join(errs...)
}

// Stop stops listening, lets running executions finish (up to StopGrace)
// and leaves queued jobs in the store for the next start.
func (r *Runtime) Stop() {
	if !r.started.Load() || !r.stopped.CompareAndSwap(false, true) {
		return
	}
	r.cancel()
	r.wg.Wait()
	r.d.close()
	close(r.apiStop)
	done := make(chan struct{})
	go func() { r.workers.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(r.opt.StopGrace):
		r.runStop()
		<-done
	}
	r.runStop()
}

func (r *Runtime) chainOnFinish() {
	prev := r.exec.OnFinish
	reg := r.exec.Registry
	if reg == nil {
		reg = engine.Default()
	}
	r.exec.OnFinish = func(ex *engine.Execution) {
		r.m.finished(ex, reg)
		if prev != nil {
			prev(ex)
		}
	}
}

// --- turning flows on and off ---

// Sync brings a flow's listener in line with the flow: on when enabled,
// off when disabled or deleted (pass a flow with only ID to turn it off).
func (r *Runtime) Sync(f *engine.Flow) error {
	if f == nil {
		return nil
	}
	if r.stopped.Load() {
		return errors.New("trigger runtime stopped")
	}
	r.mu.Lock()
	old := r.active[f.ID]
	if old != nil && old.flow == f {
		r.mu.Unlock()
		return nil
	}
	if old != nil {
		delete(r.active, f.ID)
	}
	st := r.stateLocked(f.ID)
	st.err = ""
	r.mu.Unlock()
	if old != nil && old.stop != nil {
		old.stop()
		<-old.done
	}
	if !f.Enabled {
		if old != nil && old.delivery == DeliveryPoll {
			// off: the next time it is turned on, it starts from then
			_ = r.update(func(txn *badger.Txn) error {
				_ = txn.Delete(sinceKey(f.ID))
				return txn.Delete(cursorKey(f.ID))
			})
		}
		r.reconcileSubscription(f, nil)
		r.kick()
		return nil
	}
	a, err := r.prepare(f)
	if err != nil {
		r.mu.Lock()
		st := r.stateLocked(f.ID)
		st.err, st.failed = err.Error(), f
		r.mu.Unlock()
		r.opt.Logf("triggers: %v", err)
		r.reconcileSubscription(f, nil)
		return err
	}
	if a == nil {
		r.reconcileSubscription(f, nil)
		return nil
	}
	r.mu.Lock()
	if r.stopped.Load() {
		r.mu.Unlock()
		return nil
	}
	r.active[f.ID] = a
	r.mu.Unlock()
	if a.kind == KindEvent && a.delivery == DeliveryPoll {
		ctx, cancel := context.WithCancel(r.ctx)
		a.stop, a.done = cancel, make(chan struct{})
		r.wg.Add(1)
		go r.pollLoop(ctx, a)
	}
	r.reconcileSubscription(f, a)
	r.kick()
	return nil
}

// Off turns a flow's listener off (deleted flows).
func (r *Runtime) Off(flowID string) { _ = r.Sync(&engine.Flow{ID: flowID}) }

func (r *Runtime) stateLocked(id string) *flowState {
	s := r.states[id]
	if s == nil {
		s = &flowState{}
		r.states[id] = s
	}
	return s
}

func (r *Runtime) kick() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// prepare validates a flow's trigger and builds its listener.
func (r *Runtime) prepare(f *engine.Flow) (*active, error) {
	a := &active{flow: f, kind: Classify(f)}
	r.d.setCap(f.ID, 0) // a version that does not switch on leaves no cap of the one before
	s, err := readSettings(f)
	if err != nil {
		return nil, err
	}
	r.d.setCap(f.ID, s.maxConcurrent)
	switch a.kind {
	case KindSchedule:
		sch, err := ParseSchedule(f)
		if err != nil {
			return nil, err
		}
		a.schedule = sch
		if err := r.planSchedule(a); err != nil {
			return nil, err
		}
	case KindAPI:
		if err := r.prepareAuth(f, a, s); err != nil {
			return nil, err
		}
		rate := r.opt.RateLimit
		if s.rate > 0 {
			rate = s.rate
		}
		a.limiter = newLimiter(rate)
		a.timeout = r.opt.EndpointTimeout
		if s.timeout > 0 {
			a.timeout = s.timeout
		}
		sec, err := r.secret(f.ID, "client")
		if err != nil {
			return nil, err
		}
		a.secret = sec
	case KindEvent:
		a.provider = ProviderFor(f.Trigger.Type)
		a.delivery = s.delivery
		switch a.delivery {
		case DeliveryHook:
			a.header = inputText(f, "authHeader")
			if a.header == "" {
				a.header = "Authorization"
			}
			sec, err := r.secret(f.ID, "hook")
			if err != nil {
				return nil, err
			}
			a.secret = sec
		case DeliveryPoll:
			if _, ok := r.get(sinceKey(f.ID)); !ok {
				now := r.clk.Now().UTC().Format(time.RFC3339Nano)
				if err := r.update(func(txn *badger.Txn) error { return txn.Set(sinceKey(f.ID), []byte(now)) }); err != nil {
					return nil, err
				}
			}
			a.interval = r.opt.PollInterval
			if s.interval > 0 {
				a.interval = s.interval
			}
		}
	default:
		return nil, nil
	}
	return a, nil
}

// parseDuration reads "30s"/"5m" or a number of seconds.
func parseDuration(s string) (time.Duration, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return d, nil
	}
	n, err := engine.ToNumber(s)
	if err != nil {
		return 0, err
	}
	return time.Duration(n * float64(time.Second)), nil
}

// --- persistence ---

func qKey(id string) []byte              { return []byte("trg/q/" + id) }
func seenKey(flow, ev string) []byte     { return []byte("trg/seen/" + flow + "/" + ev) }
func cursorKey(flow string) []byte       { return []byte("trg/cur/" + flow) }
func sinceKey(flow string) []byte        { return []byte("trg/since/" + flow) }
func nextKey(flow string) []byte         { return []byte("trg/next/" + flow) }
func secretKey(flow, name string) []byte { return []byte("trg/sec/" + flow + "/" + name) }

func (r *Runtime) get(key []byte) (string, bool) {
	var out string
	err := r.st.DB().View(func(txn *badger.Txn) error {
		it, err := txn.Get(key)
		if err != nil {
			return err
		}
		b, err := it.ValueCopy(nil)
		out = string(b)
		return err
	})
	return out, err == nil
}

func (r *Runtime) update(fn func(txn *badger.Txn) error) error {
	for i := 0; ; i++ {
		err := r.st.DB().Update(fn)
		if errors.Is(err, badger.ErrConflict) && i < 20 {
			continue
		}
		return err
	}
}

func (r *Runtime) loadJobs() ([]*job, error) {
	var out []*job
	err := r.st.DB().View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, Prefix: []byte("trg/q/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			err := it.Item().Value(func(v []byte) error {
				var j job
				if err := json.Unmarshal(v, &j); err != nil {
					r.opt.Logf("triggers: dropping unreadable queued job %s: %v", it.Item().Key(), err)
					return nil
				}
				j.replay = true // it may have started before: resume it
				out = append(out, &j)
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// secret returns (creating once) a per-flow secret: the API client token
// or the event hook's authorization value. Badger encrypts it at rest.
func (r *Runtime) secret(flow, name string) (string, error) {
	if v, ok := r.get(secretKey(flow, name)); ok && v != "" {
		return v, nil
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	v := hex.EncodeToString(b)
	err := r.update(func(txn *badger.Txn) error {
		if it, err := txn.Get(secretKey(flow, name)); err == nil {
			old, err := it.ValueCopy(nil)
			v = string(old)
			return err
		}
		return txn.Set(secretKey(flow, name), []byte(v))
	})
	return v, err
}

// RotateSecret replaces a flow's client token / hook secret.
func (r *Runtime) RotateSecret(flowID string) (string, error) {
	r.mu.RLock()
	a := r.active[flowID]
	r.mu.RUnlock()
	name := "client"
	if a != nil && a.kind == KindEvent {
		name = "hook"
		if conn := a.flow.Trigger.Connection; conn != "" && a.delivery == DeliveryHook {
			flowID = connSecretID(conn) // the connection's shared hook
		}
	}
	if err := r.update(func(txn *badger.Txn) error { return txn.Delete(secretKey(flowID, name)) }); err != nil {
		return "", err
	}
	v, err := r.secret(flowID, name)
	if err != nil {
		return "", err
	}
	r.mu.Lock()
	if a := r.active[flowID]; a != nil {
		a.secret = v
	}
	r.mu.Unlock()
	return v, nil
}

var errQueueFull = errors.New("trigger queue is full")

// accept persists and queues events for a flow: dedupe on event id,
// extra writes (cursor, next run) in the same transaction. wait: block
// for room (pollers); force: no bound (schedules); else fail when full.
func (r *Runtime) accept(ctx context.Context, flowID, trigger string, evs []Event, extra func(txn *badger.Txn) error, mode int) (int, error) {
	n := len(evs)
	reserved := n
	switch mode {
	case acceptFail:
		if !r.d.reserve(n) {
			r.m.reject("queue_full")
			return 0, errQueueFull
		}
	case acceptWait:
		if n > r.opt.QueueSize {
			return 0, fmt.Errorf("%d events exceed the queue size %d", n, r.opt.QueueSize)
		}
		if err := r.d.reserveWait(ctx, n); err != nil {
			return 0, err
		}
	default:
		reserved = -1
	}
	now := r.clk.Now()
	var jobs []*job
	err := r.update(func(txn *badger.Txn) error {
		jobs = jobs[:0]
		seen := map[string]bool{}
		for _, ev := range evs {
			if ev.ID != "" {
				if seen[ev.ID] {
					continue
				}
				seen[ev.ID] = true
				if _, err := txn.Get(seenKey(flowID, ev.ID)); err == nil {
					continue
				} else if !errors.Is(err, badger.ErrKeyNotFound) {
					return err
				}
				if err := txn.SetEntry(badger.NewEntry(seenKey(flowID, ev.ID), nil).WithTTL(r.opt.SeenTTL)); err != nil {
					return err
				}
			}
			at := ev.Time
			if at.IsZero() {
				at = now
			}
			j := &job{ID: engine.NewID(), Flow: flowID, Trigger: trigger, Event: ev.ID, Input: ev.Input, At: at, Enq: now}
			b, err := json.Marshal(j)
			if err != nil {
				return err
			}
			if err := txn.Set(qKey(j.ID), b); err != nil {
				return err
			}
			jobs = append(jobs, j)
		}
		if extra != nil {
			return extra(txn)
		}
		return nil
	})
	if err != nil {
		if reserved >= 0 {
			r.d.commit(nil, reserved)
		}
		return 0, err
	}
	r.d.commit(jobs, reserved)
	if len(jobs) > 0 {
		r.mu.Lock()
		r.stateLocked(flowID).lastEvent = now
		r.mu.Unlock()
		r.m.accepted(trigger, len(jobs))
	}
	if dup := n - len(jobs); dup > 0 {
		r.m.duplicates(dup)
	}
	return len(jobs), nil
}

const (
	acceptFail = iota
	acceptWait
	acceptForce
)

// --- workers ---

func (r *Runtime) worker() {
	defer r.workers.Done()
	for {
		j, q := r.d.next()
		if j == nil {
			return
		}
		r.slots <- struct{}{}
		r.runJob(j)
		<-r.slots
		r.d.done(q)
	}
}

func (r *Runtime) runJob(j *job) {
	f, err := r.st.Flow(r.runCtx, j.Flow)
	if err != nil {
		r.opt.Logf("triggers: dropping queued %s execution %s: %v", j.Trigger, j.ID, err)
		_ = r.update(func(txn *badger.Txn) error { return txn.Delete(qKey(j.ID)) })
		return
	}
	r.m.lag(j.Trigger, r.clk.Now().Sub(j.At))
	input := j.Input
	if input == nil {
		input = map[string]any{}
	}
	if r.starter != nil {
		if r.startElsewhere(j, f, input) != nil {
			r.mu.Lock()
			r.stateLocked(j.Flow).lastExec = j.ID
			r.mu.Unlock()
		}
		return
	}
	// the queue entry goes in the same write as the execution's record
	// (never before it), and a run that shutdown cuts short stays queued
	// and journaled: the next start resumes it after its last completed card
	ex, _ := r.exec.Run(r.runCtx, f, input, engine.RunOptions{Trigger: j.Trigger, ID: j.ID,
		Resume: j.replay, Release: []string{string(qKey(j.ID))}, Requeue: true})
	if r.runCtx.Err() != nil && ex != nil && ex.Status == engine.StatusCanceled {
		return // cut short by shutdown: it stays queued and resumes at the next start
	}
	r.mu.Lock()
	r.stateLocked(j.Flow).lastExec = j.ID
	r.mu.Unlock()
}

// --- watching edits ---

func (r *Runtime) resyncLoop() {
	defer r.wg.Done()
	t := time.NewTicker(r.opt.ResyncEvery)
	defer t.Stop()
	for {
		select {
		case <-r.ctx.Done():
			return
		case <-t.C:
			r.Resync()
		}
	}
}

// Resync compares stored flows with the running listeners (edits,
// deletions, flows imported already enabled).
func (r *Runtime) Resync() {
	flows := r.st.Flows()
	seen := make(map[string]bool, len(flows))
	for _, f := range flows {
		seen[f.ID] = true
		r.mu.RLock()
		a := r.active[f.ID]
		failed := r.states[f.ID] != nil && r.states[f.ID].failed == f
		r.mu.RUnlock()
		if a != nil && a.flow == f {
			continue
		}
		if a == nil && (!f.Enabled || failed) {
			continue
		}
		_ = r.Sync(f)
	}
	r.mu.RLock()
	var gone []string
	for id := range r.active {
		if !seen[id] {
			gone = append(gone, id)
		}
	}
	r.mu.RUnlock()
	for _, id := range gone {
		r.Off(id)
	}
}
