package engine

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"
)

// StatusInterrupted is the status of an execution the process did not
// finish (it was killed, or shut down mid-run): its journal shows the cards
// and items already done, and it can be resumed after the last of them.
const StatusInterrupted = "interrupted"

// Journal is the durable record of executions while they run: a header
// written when a run starts (status running), card records appended as
// cards finish, item records of helper calls (For Each items, Call Flow),
// and the final history record. After a crash the store marks what never
// ended as interrupted, and Run with RunOptions.Resume continues it after
// the last completed card: completed cards are not run again.
//
// Writes are ordered. Cards that are not safe to repeat (writes to Okta,
// outside APIs, tables) are bracketed: before one runs, everything pending
// (with an "about to run" record of the card itself) is written and waited
// for; after it returns, its completion is written and waited for. So a
// resumed run repeats at most the one card that was in flight at the crash,
// and its history says so (Execution.Repeats).
type Journal interface {
	// Begin records an execution as it starts; item is set for a helper
	// call (Call Flow / For Each item), so the caller can find it again.
	Begin(ex *Execution, item *ItemRecord)
	// Step appends card and item records (step seq of the execution).
	// wait: return once they are on disk.
	Step(ex *Execution, seq int, cards []CardRecord, items []ItemRecord, wait bool)
	// End records the finished execution and drops its journal in one write.
	End(ex *Execution, end JournalEnd)
	// Unfinished returns the journal of an execution that never ended, or
	// nil when there is none.
	Unfinished(id string) (*Unfinished, error)
}

// ItemRecord is one helper call of a card: For Each item Index, or the
// n-th Call Flow of a card.
type ItemRecord struct {
	Parent  string         `json:"parent"`
	Card    string         `json:"card"`
	Index   int            `json:"index"`
	Child   string         `json:"child"`
	Status  string         `json:"status"` // running, success, failed…; "started" for Call Flow Async
	Outputs map[string]any `json:"outputs,omitempty"`
}

// Key names the item within its parent execution: "<card>/<index>".
func (it *ItemRecord) Key() string { return ItemKey(it.Card, it.Index) }

// ItemKey names item index of card.
func ItemKey(card string, index int) string { return card + "/" + strconv.Itoa(index) }

// JournalEnd is what ends an execution's journal.
type JournalEnd struct {
	Keep     bool        // write the history record (the flow keeps history)
	Item     *ItemRecord // the caller's item record, now final
	Steps    int         // step records written (0..Steps-1), to drop
	Items    []string    // item keys of helper calls made, to drop
	Release  []string    // other store keys dropped in the same write (the trigger queue entry)
	NoHeader bool        // no start record was written (a short run: LazyBegin)
	Replace  bool        // a record written before the end (a paused run's) is replaced, or dropped without Keep
}

// Unfinished is what a journal holds of an execution that never ended.
type Unfinished struct {
	Execution *Execution // header; Cards: the last record of each card, in order
	Steps     int        // step records written
	Items     map[string]*ItemRecord
}

// RepeatSafe reports whether running a card twice does no harm: functions,
// control cards (their cards are judged one by one) and actions that only
// read (Okta read/list/search cards, HTTP GET, table reads).
func RepeatSafe(s *Spec) bool {
	if s == nil || s.Kind != KindAction {
		return true
	}
	if s.ID == "http.get" {
		return true
	}
	for _, k := range append([]string{s.ID}, s.Okta...) {
		_, m, _ := strings.Cut(k, ":")
		if m == "" {
			_, m, _ = strings.Cut(k, ".")
		}
		for _, p := range []string{"read", "list", "search", "get", "export"} {
			if strings.HasPrefix(m, p) && !strings.HasPrefix(m, "getOrCreate") {
				return true
			}
		}
	}
	return false
}

// journal is a run's share of the Journal.
type journal struct {
	j      Journal
	prior  map[string]*CardRecord // completed (or in-flight) cards of the interrupted run
	items  map[string]*ItemRecord // its helper calls
	seq    int                    // next step record
	sent   []bool                 // ex.Cards[i] final record written
	from   int                    // all records before this are written
	keys   []string               // item keys to drop at the end
	retry  bool                   // prior and items come from an earlier attempt (retry.go)
	callMu sync.Mutex
	calls  map[string]int // Call Flow count per card (item index of plain calls)

	bmu   sync.Mutex // start record: written once, never after the end
	begun bool
	ended bool
	timer *time.Timer
	head  *Execution // the start record (fields fixed at the start)
	item  *ItemRecord
}

// LazyBegin is how long a run goes before its start record is written if
// nothing wrote it sooner: the first card with effects, the first helper
// call (For Each item, Call Flow) and every resume write it at once, so
// only a run that has done nothing outside yet can end within this time
// without one — and then its end record comes about as soon.
var LazyBegin = 100 * time.Millisecond

// ensureBegun writes the start record (once, and never after the end).
func (r *run) ensureBegun() {
	j := r.j
	j.bmu.Lock()
	defer j.bmu.Unlock()
	if j.begun || j.ended {
		return
	}
	j.begun = true
	j.j.Begin(j.head, j.item)
}

// begin opens the journal of a run: the interrupted run's records when it
// resumes one, and the start record. It returns the input to run with.
func (r *run) begin(opt *RunOptions, input map[string]any) map[string]any {
	jn := r.e.journal()
	if jn == nil {
		if opt.Retry == nil {
			return input
		}
		jn = nopJournal{}
	}
	r.j = &journal{j: jn}
	r.retryBegin(opt.Retry)
	if opt.Resume {
		if u, err := jn.Unfinished(r.ex.ID); err == nil && u != nil {
			pe := u.Execution
			r.ex.Started, r.ex.Resumed, r.ex.Repeats = pe.Started, pe.Resumed+1, pe.Repeats
			if input == nil || len(input) == 0 {
				input = pe.Input
				r.ex.Input = input
			}
			if pe.Trigger != "" {
				r.ex.Trigger = pe.Trigger
			}
			if pe.AttemptOf != "" { // a resumed attempt stays linked
				r.ex.AttemptOf, r.ex.AttemptKind = pe.AttemptOf, pe.AttemptKind
			}
			r.j.prior = make(map[string]*CardRecord, len(pe.Cards))
			for i := range pe.Cards {
				r.j.prior[pe.Cards[i].ID] = &pe.Cards[i]
			}
			r.j.items = u.Items
			r.j.seq = u.Steps
			for k := range u.Items {
				r.j.keys = append(r.j.keys, k)
			}
		}
	}
	x := r.ex
	r.j.head = &Execution{ID: x.ID, Flow: x.Flow, FlowName: x.FlowName, Status: StatusRunning, Started: x.Started,
		Trigger: x.Trigger, Input: x.Input, Parent: x.Parent, ParentCard: x.ParentCard, Resumed: x.Resumed,
		Repeats: append([]string(nil), x.Repeats...), FlowRevision: x.FlowRevision, AttemptOf: x.AttemptOf, AttemptKind: x.AttemptKind}
	r.j.item = opt.Item
	if opt.Item != nil || opt.Resume {
		r.ensureBegun()
		r.unpause(opt) // pause.go
	} else {
		r.j.timer = time.AfterFunc(LazyBegin, r.ensureBegun)
	}
	return input
}

func (e *Executor) journal() Journal {
	if e.Journal != nil {
		return e.Journal
	}
	if j, ok := e.History.(Journal); ok {
		return j
	}
	return nil
}

// replay puts the interrupted run's record of a completed card in place of
// running it again; false when the card must run. Control cards always run
// again: the cards inside them replay one by one.
func (r *run) replay(st *step, idx int) bool {
	if r.j == nil || r.j.prior == nil || st.spec.Control != nil || HasSecretOutput(st.card) {
		// a card with secret outputs runs again: its record holds Redacted
		return false
	}
	p := r.j.prior[st.card.ID]
	if p == nil || (p.Status != StatusSuccess && p.Status != StatusContinued) || holdsRedacted(p.Outputs) {
		// a record holding a redacted secret (a connection's, a helper's) runs
		// again too: later cards need the value, not the stand-in
		return false
	}
	r.mu.Lock()
	r.ex.Cards[idx] = *p
	if r.j.retry {
		r.ex.Reused = append(r.ex.Reused, st.card.ID)
	}
	r.mu.Unlock()
	out := p.Outputs
	if out == nil {
		out = map[string]any{}
	}
	r.values[st.card.ID] = out
	if !r.j.retry { // a retry's reused records go into its own journal
		r.markSent(idx)
	}
	return true
}

// beforeEffect runs before a card that is not safe to repeat: everything
// pending and an "about to run" record of the card are written and waited
// for. A card that was in flight when the run was interrupted may have had
// its effect already: the history says so.
func (r *run) beforeEffect(ctx context.Context, st *step, idx int) context.Context {
	if st.spec.Kind == KindAction || st.spec.Control != nil {
		ctx = r.withRun(ctx) // connections resolve in the root flow's environment (envs.go)
	}
	if st.spec.Kind == KindAction {
		ctx = r.withCallSink(ctx, idx) // its outside calls are recorded (calls.go)
	}
	if RepeatSafe(st.spec) {
		return ctx
	}
	ctx = WithIdempotencyKey(ctx, r.ex.ID+"/"+st.card.ID)
	if r.j == nil {
		return ctx
	}
	if p := r.j.prior[st.card.ID]; p != nil && p.Status == StatusRunning {
		r.ex.Repeats = append(r.ex.Repeats, st.card.ID)
		r.cur = idx
		r.Attempt(Attempt{N: 0, Reason: "the run was interrupted while this card ran; it runs again, so its effect may be doubled"})
	}
	r.flush(idx, true)
	return ctx
}

type idemKey struct{}

// WithIdempotencyKey sets the key IdempotencyKey returns (the executor sets
// it for every card with effects).
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idemKey{}, key)
}

// IdempotencyKey names the effect of the running card: the same for the
// card in the same execution, also when a resumed run repeats it after a
// crash. Creates use it where the API allows (Tables' Create Row returns
// the row it made before; API Connector POST/PATCH send it as the
// Idempotency-Key header). "" outside a card that has effects.
func IdempotencyKey(ctx context.Context) string {
	k, _ := ctx.Value(idemKey{}).(string)
	return k
}

// afterEffect writes a side-effecting card's completion and waits for it.
func (r *run) afterEffect(st *step) {
	if r.j == nil || RepeatSafe(st.spec) {
		return
	}
	r.flush(-1, true)
}

// flush writes the final records not yet written (and the in-flight record
// of card index running, when ≥ 0).
func (r *run) flush(running int, wait bool) {
	r.ensureBegun()
	var recs []CardRecord
	r.mu.Lock()
	for i := r.j.from; i < len(r.ex.Cards); i++ {
		if i < len(r.j.sent) && r.j.sent[i] {
			continue
		}
		c := &r.ex.Cards[i]
		if c.Status == StatusRunning {
			if i == running {
				recs = append(recs, *c)
			}
			continue
		}
		recs = append(recs, *c)
		r.markSentLocked(i)
	}
	r.mu.Unlock()
	if len(recs) == 0 && !wait {
		return
	}
	r.j.j.Step(r.ex, r.j.seq, recs, nil, wait)
	r.j.seq++
}

func (r *run) markSent(i int) {
	r.mu.Lock()
	r.markSentLocked(i)
	r.mu.Unlock()
}

func (r *run) markSentLocked(i int) {
	for len(r.j.sent) <= i {
		r.j.sent = append(r.j.sent, false)
	}
	r.j.sent[i] = true
	for r.j.from < len(r.j.sent) && r.j.sent[r.j.from] {
		r.j.from++
	}
}

// item finds a helper call of the interrupted run: index is the For Each
// item, or the n-th call of a card that calls once per run.
func (r *run) item(card string, args map[string]any) (int, *ItemRecord) {
	idx := -1
	if c, ok := args["context"].(map[string]any); ok {
		if n, ok := c["index"].(float64); ok {
			idx = int(n)
		}
	}
	if r.j == nil {
		return idx, nil
	}
	if idx < 0 {
		r.j.callMu.Lock()
		if r.j.calls == nil {
			r.j.calls = map[string]int{}
		}
		idx = r.j.calls[card]
		r.j.calls[card] = idx + 1
		r.j.callMu.Unlock()
	}
	r.ensureBegun() // the caller's start record comes before its helpers' item records
	k := ItemKey(card, idx)
	r.j.callMu.Lock()
	r.j.keys = append(r.j.keys, k)
	it := r.j.items[k]
	r.j.callMu.Unlock()
	if it != nil && it.Status == StatusSuccess && holdsRedacted(it.Outputs) {
		it = nil // its Return values were recorded redacted: the helper runs again
	}
	return idx, it
}

// suspended leaves a run that shutdown cut short journaled (not ended), so
// it resumes at the next start like an interrupted one.
func (r *run) suspended(ctx context.Context, opt *RunOptions) bool {
	if r == nil || r.j == nil || !opt.Requeue || r.ex.Status != StatusCanceled || ctx.Err() == nil || canceledByUser(ctx) {
		return false
	}
	r.flush(-1, true)
	return true
}

// end is the journal's part of finishing a run.
func (e *Executor) end(f *Flow, ex *Execution, r *run, opt *RunOptions) bool {
	jn := e.journal()
	if jn == nil {
		return false
	}
	end := JournalEnd{Keep: f.Settings.History, Release: opt.Release, NoHeader: true}
	if r != nil && r.j != nil {
		r.j.bmu.Lock()
		r.j.ended = true
		if r.j.timer != nil {
			r.j.timer.Stop()
		}
		end.NoHeader = !r.j.begun
		r.j.bmu.Unlock()
		end.Steps = r.j.seq
		r.j.callMu.Lock()
		end.Items = r.j.keys
		r.j.callMu.Unlock()
	}
	if opt.Item != nil {
		it := *opt.Item
		it.Status, it.Outputs = ex.Status, nil
		if ex.Status == StatusSuccess {
			it.Outputs = ex.Outputs
			if it.Outputs == nil {
				it.Outputs = map[string]any{}
			}
		}
		end.Item = &it
	}
	jn.End(ex, end)
	return true
}
