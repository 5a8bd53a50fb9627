package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
	"github.com/klauspost/compress/s2"
)

// History layout (execution ids are time-sortable, so key order is start
// order and every index lists newest last):
//   exec/<id>                 full execution record (s2-compressed JSON)
//   xs/<id>                   summary (JSON)
//   xf/<flow>/<id>            per-flow index
//   xt/<status>/<id>          per-status index (all but success)
//   xq/<flow>/<status>/<id>   per-flow-and-status index (all but success)
//   xp/<parent>/<id>          helper runs of an execution
//   xw/<word>/<maxid>/<n>     text index: ids of a write batch whose records hold the word
//   xb/<maxid>/<n>            the words of that batch (retention drops its postings)
//   hmeta/…                   counters (executions, bytes) and index version
// Running executions live in the journal (journal.go) until they end.

// Summary is a history list row.
type Summary struct {
	ID          string    `json:"id"`
	Flow        string    `json:"flow"`
	FlowName    string    `json:"flowName,omitempty"`
	Status      string    `json:"status"`
	Started     time.Time `json:"started"`
	Ended       time.Time `json:"ended"`
	DurationMS  float64   `json:"durationMs"`
	Trigger     string    `json:"trigger,omitempty"`
	FailedCard  string    `json:"failedCard,omitempty"`
	FailedTitle string    `json:"failedTitle,omitempty"` // the failed card's title, as History's Error column names it
	Error       string    `json:"error,omitempty"`
	Parent      string    `json:"parent,omitempty"`
	Bytes       int       `json:"bytes,omitempty"`       // stored record size
	Resumed     int       `json:"resumed,omitempty"`     // times resumed after an interruption
	Repeats     []string  `json:"repeats,omitempty"`     // cards whose effect may be doubled by a resume
	Resumable   bool      `json:"resumable,omitempty"`   // interrupted: Resume continues it after its last completed card
	AttemptOf   string    `json:"attemptOf,omitempty"`   // the execution this one resumed or re-ran
	AttemptKind string    `json:"attemptKind,omitempty"` // "resume" or "rerun"
	Environment string    `json:"environment,omitempty"` // dev, staging, prod: where its connections were bound
	Tenant      string    `json:"tenant,omitempty"`      // the first tenant (domain) it touched
}

func summarize(e *engine.Execution) Summary {
	s := Summary{ID: e.ID, Flow: e.Flow, FlowName: e.FlowName, Status: e.Status, Started: e.Started, Ended: e.Ended,
		DurationMS: float64(e.Ended.Sub(e.Started).Microseconds()) / 1000, Trigger: e.Trigger, Parent: e.Parent,
		Resumed: e.Resumed, Repeats: e.Repeats, AttemptOf: e.AttemptOf, AttemptKind: e.AttemptKind, Environment: e.Environment}
	if len(e.Tenants) > 0 {
		s.Tenant = e.Tenants[0]
	}
	if e.Error != nil {
		s.FailedCard, s.FailedTitle, s.Error = e.Error.Card, e.Error.Title, e.Error.Message
	}
	// trigger runs (events, schedules) resume from the trigger queue by
	// themselves, helper runs with their caller: the user resumes the rest
	if e.Status == engine.StatusInterrupted && e.Parent == "" && (e.Trigger == "manual" || e.Trigger == "api" || e.Trigger == "") {
		s.Resumable = true
	}
	return s
}

// kv is one write.
type kv struct{ k, v []byte }

// wop is one ordered unit of work for the single writer: sets and deletes
// applied in order, history records added (counters, retention), and done
// closed once they are on disk.
type wop struct {
	sets    []kv
	dels    [][]byte
	added   []Summary  // history records written by sets
	words   [][]string // text index words of each added record
	removed []string   // ids whose history record a delete in dels replaces (resume of an interrupted record)
	retain  bool       // run retention after this write
	drop    string     // drop every history record of this flow after this write (the flow was deleted)
	done    chan struct{}
}

// histRecord returns the writes of an execution's history record.
func histRecord(e *engine.Execution) ([]kv, Summary, []string) {
	// marshal in the caller's goroutine so encoding runs on every core and
	// the single writer only talks to Badger; records are compressed (s2,
	// ~4× on execution JSON)
	bp, zp := jsonBufs.Get().(*[]byte), jsonBufs.Get().(*[]byte)
	raw := e.AppendJSON((*bp)[:0])
	// compress into a reused buffer and keep an exact-size copy: s2 needs
	// MaxEncodedLen (more than the JSON) to write into, the record is ~4×
	// smaller, and every byte allocated per run is GC work under load
	z := *zp
	if n := s2.MaxEncodedLen(len(raw)); cap(z) < n {
		z = make([]byte, n)
	}
	enc := s2.Encode(z[:cap(z)], raw)
	full := make([]byte, 1+len(enc))
	full[0] = recS2
	copy(full[1:], enc)
	*bp, *zp = raw, z
	jsonBufs.Put(bp)
	jsonBufs.Put(zp)
	sm := summarize(e)
	sm.Bytes = len(full) + 64
	sum := appendSummaryJSON(make([]byte, 0, 256), &sm)
	sets := make([]kv, 0, 6)
	sets = append(sets, kv{[]byte("exec/" + e.ID), full}, kv{[]byte("xs/" + e.ID), sum})
	for _, k := range indexKeys(&sm) {
		sets = append(sets, kv{k, nil})
	}
	return sets, sm, textTokens(e)
}

// indexKeys are the (empty-valued) index keys of a summary. Successful
// runs, the bulk of history, are not in the status indexes: a page of them
// is found by scanning the time order, where nearly every row is one.
func indexKeys(sm *Summary) [][]byte {
	keys := [][]byte{[]byte("xf/" + sm.Flow + "/" + sm.ID)}
	if sm.Status != engine.StatusSuccess {
		keys = append(keys, []byte("xt/"+sm.Status+"/"+sm.ID), []byte("xq/"+sm.Flow+"/"+sm.Status+"/"+sm.ID))
	}
	if sm.Parent != "" {
		keys = append(keys, []byte("xp/"+sm.Parent+"/"+sm.ID))
	}
	return keys
}

// Save writes an execution's history record (engine.HistorySink; runs
// through the journal end instead when the executor journals). It blocks
// only when the writer's queue is full (backpressure, nothing dropped).
func (s *Store) Save(e *engine.Execution) {
	sets, sm, words := histRecord(e)
	s.enqueue(&wop{sets: sets, added: []Summary{sm}, words: [][]string{words}})
}

// enqueue hands work to the writer; false after Close.
func (s *Store) enqueue(op *wop) bool {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		if op.done != nil {
			close(op.done)
		}
		return false
	}
	s.hist <- op
	return true
}

var jsonBufs = sync.Pool{New: func() any { b := make([]byte, 0, 8192); return &b }}

// Stored execution records start with a format byte.
const (
	recS2 = 's' // s2-compressed JSON
)

// decodeRecord returns the JSON of a stored execution record.
func decodeRecord(v []byte) ([]byte, error) {
	if len(v) > 0 && v[0] == recS2 {
		return s2.Decode(nil, v[1:])
	}
	return v, nil // plain JSON (records written before compression)
}

// ApplyRetention drops what the retention period and the size bound
// exclude now (it also runs every RetentionEvery and whenever history
// passes its size bound) and waits for it.
func (s *Store) ApplyRetention() {
	done := make(chan struct{})
	if !s.enqueue(&wop{retain: true, done: done}) {
		return
	}
	select {
	case <-done:
	case <-s.histDone:
	}
}

// DropFlowHistory deletes every history record of a flow (a deleted flow's
// history goes with it, as the Flows list says), after the records already
// queued; a paused or interrupted run's journal goes too.
func (s *Store) DropFlowHistory(flow string) {
	done := make(chan struct{})
	if !s.enqueue(&wop{drop: flow, done: done}) {
		return
	}
	select {
	case <-done:
	case <-s.histDone:
	}
}

// dropFlowHistory drops a flow's records (writer goroutine only).
func (s *Store) dropFlowHistory(flow string) error {
	prefix := []byte("xf/" + flow + "/")
	var ids []string
	if err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			ids = append(ids, string(it.Item().Key()[len(prefix):]))
		}
		return nil
	}); err != nil {
		return err
	}
	for len(ids) > 0 {
		n := min(len(ids), 5000)
		if err := s.dropExecutions(ids[:n]); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// Flush waits until every queued write is on disk.
func (s *Store) Flush() {
	done := make(chan struct{})
	if !s.enqueue(&wop{done: done}) {
		return
	}
	select {
	case <-done:
	case <-s.histDone:
	}
}

func (s *Store) historyWriter() {
	defer close(s.histDone)
	batch := make([]*wop, 0, s.opts.HistoryBatch)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	tick := time.NewTicker(s.opts.RetentionEvery)
	defer tick.Stop()
	write := func() {
		if len(batch) == 0 {
			return
		}
		if err := s.writeBatch(batch); err != nil {
			fmt.Printf("flowbench: history write failed: %v\n", err)
		}
		retain := false
		for _, op := range batch {
			if op.drop != "" {
				if err := s.dropFlowHistory(op.drop); err != nil {
					fmt.Printf("flowbench: dropping the history of flow %s failed: %v\n", op.drop, err)
				}
			}
			retain = retain || op.retain
		}
		if retain || s.overLimit() { // after the drops: they free space
			s.enforceRetention()
		}
		for i, op := range batch {
			if op.done != nil {
				close(op.done)
			}
			batch[i] = nil
		}
		batch = batch[:0]
	}
	for {
		select {
		case op, ok := <-s.hist:
			if !ok {
				write()
				return
			}
			batch = append(batch, op)
			if len(batch) == 1 {
				timer.Reset(s.opts.HistoryDelay)
			}
			// waiting writers go out at once (with whatever else is queued)
			if op.done != nil || len(batch) >= s.opts.HistoryBatch {
				for n := len(s.hist); n > 0 && len(batch) < 4*s.opts.HistoryBatch; n-- {
					if op, ok := <-s.hist; ok {
						batch = append(batch, op)
					}
				}
				write()
			}
		case <-timer.C:
			write()
		case <-tick.C:
			write()
			s.enforceRetention()
		}
	}
}

func (s *Store) writeBatch(batch []*wop) error {
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	flows := map[string]bool{}
	var removed []string
	postings := map[string][]string{}
	maxID := ""
	for _, op := range batch {
		for _, e := range op.sets {
			if err := wb.Set(e.k, e.v); err != nil {
				return err
			}
		}
		for _, k := range op.dels {
			if err := wb.Delete(k); err != nil {
				return err
			}
		}
		for i := range op.added {
			flows[op.added[i].Flow] = true
			s.hcount++
			s.hbytes += int64(op.added[i].Bytes)
			id := op.added[i].ID
			maxID = max(maxID, id)
			if i < len(op.words) {
				for _, w := range op.words[i] {
					postings[w] = append(postings[w], id)
				}
			}
		}
		removed = append(removed, op.removed...)
	}
	// counters of replaced records are fixed below from their summaries
	// (read before the batch lands)
	if len(removed) > 0 {
		_ = s.db.View(func(txn *badger.Txn) error {
			for _, id := range removed {
				if sm, ok := readSummary(txn, id); ok {
					s.hcount--
					s.hbytes -= int64(sm.Bytes)
				}
			}
			return nil
		})
	}
	// one posting list per word per batch: a few keys per batch instead of
	// one per word per execution
	if len(postings) > 0 {
		suffix := "/" + maxID + "/" + strconv.FormatInt(time.Now().UnixNano(), 16)
		words := make([]string, 0, len(postings))
		for w, ids := range postings {
			sort.Strings(ids)
			if err := wb.Set([]byte("xw/"+w+suffix), []byte(strings.Join(ids, "\n"))); err != nil {
				return err
			}
			words = append(words, w)
		}
		if err := wb.Set([]byte("xb"+suffix), []byte(strings.Join(words, "\n"))); err != nil {
			return err
		}
	}
	if err := wb.Set([]byte(metaCount), binary.BigEndian.AppendUint64(nil, uint64(max(s.hcount, 0)))); err != nil {
		return err
	}
	if err := wb.Set([]byte(metaBytes), binary.BigEndian.AppendUint64(nil, uint64(max(s.hbytes, 0)))); err != nil {
		return err
	}
	if err := wb.Flush(); err != nil {
		return err
	}
	for id := range flows {
		s.mu.RLock()
		f := s.flows[id]
		s.mu.RUnlock()
		if f != nil && (f.Settings.KeepLast > 0 || f.Settings.KeepDays > 0) {
			if err := s.prune(f); err != nil {
				return err
			}
		}
	}
	return nil
}

const (
	metaCount   = "hmeta/count"
	metaBytes   = "hmeta/bytes"
	metaVersion = "hmeta/version"
	// indexVersion 1: xt/ xq/ xp/ xw/ xk/ indexes and counters
	indexVersion = "1"
)

func readSummary(txn *badger.Txn, id string) (Summary, bool) {
	var sm Summary
	item, err := txn.Get([]byte("xs/" + id))
	if err != nil {
		return sm, false
	}
	err = item.Value(func(v []byte) error { return json.Unmarshal(v, &sm) })
	return sm, err == nil
}

// dropKeys returns every key of an execution's history record.
func dropKeys(txn *badger.Txn, id string) ([][]byte, Summary, bool) {
	sm, ok := readSummary(txn, id)
	if !ok {
		return nil, sm, false
	}
	keys := [][]byte{[]byte("exec/" + id), []byte("xs/" + id)}
	keys = append(keys, indexKeys(&sm)...)
	return keys, sm, true // its text postings go with their batch (dropPostings)
}

// dropExecutions deletes history records (writer goroutine only).
func (s *Store) dropExecutions(ids []string) error {
	var dels [][]byte
	var n, b int64
	err := s.db.View(func(txn *badger.Txn) error {
		for _, id := range ids {
			keys, sm, ok := dropKeys(txn, id)
			if !ok {
				continue
			}
			dels = append(dels, keys...)
			// an interrupted or paused run that was never resumed: its journal too
			if sm.Status == engine.StatusInterrupted || sm.Status == engine.StatusPaused {
				dels = append(dels, journalKeys(txn, id)...)
			}
			n++
			b += int64(sm.Bytes)
		}
		return nil
	})
	if err != nil || len(dels) == 0 {
		return err
	}
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	for _, k := range dels {
		if err := wb.Delete(k); err != nil {
			return err
		}
	}
	s.hcount -= n
	s.hbytes -= b
	_ = wb.Set([]byte(metaCount), binary.BigEndian.AppendUint64(nil, uint64(max(s.hcount, 0))))
	_ = wb.Set([]byte(metaBytes), binary.BigEndian.AppendUint64(nil, uint64(max(s.hbytes, 0))))
	return wb.Flush()
}

// prune enforces a flow's own retention on write: keep the newest KeepLast
// and nothing older than KeepDays.
func (s *Store) prune(f *engine.Flow) error {
	var drop []string
	cutoff := time.Time{}
	if f.Settings.KeepDays > 0 {
		cutoff = time.Now().Add(-time.Duration(f.Settings.KeepDays) * 24 * time.Hour)
	}
	prefix := []byte("xf/" + f.ID + "/")
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Reverse: true, Prefix: prefix})
		defer it.Close()
		n := 0
		seek := append(append([]byte{}, prefix...), 0xff)
		for it.Seek(seek); it.Valid(); it.Next() {
			n++
			id := string(bytes.TrimPrefix(it.Item().Key(), prefix))
			if f.Settings.KeepLast > 0 && n > f.Settings.KeepLast {
				drop = append(drop, id)
				continue
			}
			if !cutoff.IsZero() && s.started(txn, id).Before(cutoff) {
				drop = append(drop, id)
			}
		}
		return nil
	})
	if err != nil || len(drop) == 0 {
		return err
	}
	return s.dropExecutions(drop)
}

// overLimit: history passed its size bound (checked after every batch).
func (s *Store) overLimit() bool {
	return s.opts.HistoryMaxBytes > 0 && s.hbytes > s.opts.HistoryMaxBytes
}

// enforceRetention drops the oldest records older than the retention
// period, and the oldest records beyond the size bound (down to 90 % of
// it, so it does not run on every batch); writer goroutine only. It runs
// every RetentionEvery and whenever a batch passes the bound, and lets
// Badger reclaim the value log space it frees.
func (s *Store) enforceRetention() {
	var cutoff string
	if s.opts.HistoryDays > 0 {
		ms := time.Now().Add(-time.Duration(s.opts.HistoryDays) * 24 * time.Hour).UnixMilli()
		cutoff = fmt.Sprintf("%012x", ms)
	}
	target := s.opts.HistoryMaxBytes * 9 / 10
	dropped := 0
	for {
		over := s.opts.HistoryMaxBytes > 0 && s.hbytes > target
		var ids []string
		var freed int64
		_ = s.db.View(func(txn *badger.Txn) error {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("xs/"), PrefetchValues: over, PrefetchSize: 64})
			defer it.Close()
			for it.Rewind(); it.Valid() && len(ids) < 2000; it.Next() {
				id := string(it.Item().Key()[3:])
				old := cutoff != "" && id < cutoff
				if !old && !(over && s.hbytes-freed > target) {
					break
				}
				if over {
					var sm Summary
					_ = it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &sm) })
					freed += int64(sm.Bytes)
				}
				ids = append(ids, id)
			}
			return nil
		})
		if len(ids) == 0 {
			break
		}
		if err := s.dropExecutions(ids); err != nil {
			fmt.Printf("flowbench: history retention: %v\n", err)
			break
		}
		dropped += len(ids)
	}
	if dropped > 0 {
		s.dropPostings()
	}
	if dropped > 0 || time.Since(s.lastGC) > 5*time.Minute {
		s.lastGC = time.Now()
		for i := 0; i < 4 && s.db.RunValueLogGC(0.5) == nil; i++ {
		}
	}
}

// started is when an execution began: read from its time-sortable id
// (engine.NewID), else from its summary.
func (s *Store) started(txn *badger.Txn, id string) time.Time {
	if t, ok := engine.IDTime(id); ok {
		return t
	}
	sm, _ := readSummary(txn, id)
	return sm.Started
}

// Execution reads one execution: its history record, or the journal of a
// run still in progress.
func (s *Store) Execution(id string) (*engine.Execution, error) {
	var e engine.Execution
	err := s.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get([]byte("exec/" + id))
		if err != nil {
			return err
		}
		return it.Value(func(v []byte) error {
			data, err := decodeRecord(v)
			if err != nil {
				return fmt.Errorf("execution %s: damaged record: %w", id, err)
			}
			return json.Unmarshal(data, &e)
		})
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		if u, jerr := s.Unfinished(id); jerr == nil && u != nil {
			return u.Execution, nil
		}
		return nil, fmt.Errorf("execution %q: %w", id, ErrNotFound)
	}
	return &e, err
}

// Query filters history listings. Every filter is answered from an index:
// flow, status, parent, time (execution ids are time-ordered) and words.
type Query struct {
	Flow   string // only this flow
	Status string // only this status
	Text   string // words that must all appear in the record (values, errors, flow name), any case
	Parent string // only children of this execution
	Before string // only executions older than this id (paging)
	Since  time.Time
	Until  time.Time
	Limit  int // default 100
}

// Executions lists summaries newest first.
func (s *Store) Executions(q Query) ([]Summary, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	words := queryTokens(q.Text)
	if strings.TrimSpace(q.Text) != "" && len(words) == 0 {
		return []Summary{}, nil // nothing searchable (punctuation only)
	}
	var since, until string
	if !q.Since.IsZero() {
		since = fmt.Sprintf("%012x", q.Since.UnixMilli())
	}
	if !q.Until.IsZero() {
		until = fmt.Sprintf("%012x", q.Until.UnixMilli()+1)
	}
	out := []Summary{}
	err := s.db.View(func(txn *badger.Txn) error {
		if len(words) > 0 && q.Parent == "" {
			var err error
			out, err = s.search(txn, q, words, since, until)
			if err == nil && len(words) == 1 {
				out = withOwnID(txn, out, q, words[0], since, until)
			}
			return err
		}
		// the most selective index drives the scan; the rest are checks
		var prefix string
		checkFlow, checkStatus := q.Flow != "", q.Status != ""
		switch {
		case q.Parent != "":
			prefix = "xp/" + q.Parent + "/"
		case q.Flow != "" && q.Status != "" && q.Status != engine.StatusSuccess:
			prefix, checkFlow, checkStatus = "xq/"+q.Flow+"/"+q.Status+"/", false, false
		case q.Status != "" && q.Status != engine.StatusSuccess:
			prefix, checkStatus = "xt/"+q.Status+"/", false
		case q.Flow != "":
			prefix, checkFlow = "xf/"+q.Flow+"/", false
		default:
			prefix = "xs/"
		}
		pre := []byte(prefix)
		summaries := prefix == "xs/"
		it := txn.NewIterator(badger.IteratorOptions{Reverse: true, Prefix: pre, PrefetchValues: summaries, PrefetchSize: 64})
		defer it.Close()
		seek := append(append([]byte{}, pre...), 0xff)
		switch {
		case q.Before != "":
			seek = append(append([]byte{}, pre...), q.Before...)
		case until != "":
			seek = append(append([]byte{}, pre...), until...)
		}
		for it.Seek(seek); it.Valid() && len(out) < q.Limit; it.Next() {
			id := string(it.Item().Key()[len(pre):])
			if id == q.Before || until != "" && id >= until {
				continue
			}
			if since != "" && id < since {
				break
			}
			var sm Summary
			if summaries {
				if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &sm) }); err != nil {
					return err
				}
			} else {
				var ok bool
				if sm, ok = readSummary(txn, id); !ok {
					continue
				}
			}
			if checkFlow && sm.Flow != q.Flow || checkStatus && sm.Status != q.Status {
				continue
			}
			if len(words) > 0 && !s.hasWords(txn, id, words) {
				continue
			}
			out = append(out, sm)
		}
		return nil
	})
	return out, err
}

// withOwnID adds the execution whose id the query is: a run's own id is
// not in the text index (words.go), other records that mention it are.
func withOwnID(txn *badger.Txn, out []Summary, q Query, id, since, until string) []Summary {
	if engine.CheckID("execution", id) != nil || slices.ContainsFunc(out, func(sm Summary) bool { return sm.ID == id }) {
		return out
	}
	sm, ok := readSummary(txn, id)
	if !ok || q.Flow != "" && sm.Flow != q.Flow || q.Status != "" && sm.Status != q.Status ||
		q.Before != "" && id >= q.Before || since != "" && id < since || until != "" && id >= until {
		return out
	}
	out = append(out, sm)
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	if len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out
}

// search answers a text query from the posting lists of its rarest word
// (one list per word per write batch, newest batch last); the other words
// and filters are checked per candidate.
func (s *Store) search(txn *badger.Txn, q Query, words []string, since, until string) ([]Summary, error) {
	w := rarest(txn, words)
	var others []string
	for _, o := range words {
		if o != w {
			others = append(others, o)
		}
	}
	pre := []byte("xw/" + w + "/")
	it := txn.NewIterator(badger.IteratorOptions{Reverse: true, Prefix: pre, PrefetchValues: true, PrefetchSize: 16})
	defer it.Close()
	out := []Summary{}
	seen := map[string]bool{}
	floor := "" // once the page is full: only ids newer than its oldest can still belong
	for it.Seek(append(append([]byte{}, pre...), 0xff)); it.Valid(); it.Next() {
		suffix := string(it.Item().Key()[len(pre):])
		maxID, _, _ := strings.Cut(suffix, "/")
		if floor != "" && maxID <= floor || since != "" && maxID < since {
			break
		}
		var ids []string
		_ = it.Item().Value(func(v []byte) error {
			ids = strings.Split(string(v), "\n")
			return nil
		})
		// the other words' lists of the same write batch share its suffix
		var also []map[string]bool
		for _, o := range others {
			item, err := txn.Get([]byte("xw/" + o + "/" + suffix))
			if err != nil {
				ids = nil // no record of this batch has the word
				break
			}
			set := map[string]bool{}
			_ = item.Value(func(v []byte) error {
				for _, id := range strings.Split(string(v), "\n") {
					set[id] = true
				}
				return nil
			})
			also = append(also, set)
		}
	candidates:
		for i := len(ids) - 1; i >= 0; i-- {
			id := ids[i]
			for _, set := range also {
				if !set[id] {
					continue candidates
				}
			}
			if seen[id] || q.Before != "" && id >= q.Before || until != "" && id >= until || since != "" && id < since || floor != "" && id <= floor {
				continue
			}
			seen[id] = true
			sm, ok := readSummary(txn, id) // gone: dropped by retention
			if !ok || q.Flow != "" && sm.Flow != q.Flow || q.Status != "" && sm.Status != q.Status {
				continue
			}
			out = append(out, sm)
		}
		if len(out) >= q.Limit && floor == "" {
			sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
			out = out[:q.Limit]
			floor = out[len(out)-1].ID
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	if len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

// hasWords checks that an execution's record holds every word.
func (s *Store) hasWords(txn *badger.Txn, id string, words []string) bool {
	item, err := txn.Get([]byte("exec/" + id))
	if err != nil {
		return false
	}
	var e engine.Execution
	if item.Value(func(v []byte) error {
		data, err := decodeRecord(v)
		if err != nil {
			return err
		}
		return json.Unmarshal(data, &e)
	}) != nil {
		return false
	}
	have := map[string]bool{}
	for _, t := range textTokens(&e) {
		have[t] = true
	}
	for _, w := range words {
		if !have[w] {
			return false
		}
	}
	return true
}

// rarest returns the word with the fewest postings (counted up to a cap,
// keys only).
func rarest(txn *badger.Txn, words []string) string {
	if len(words) == 1 {
		return words[0]
	}
	best, bestN := words[0], -1
	for _, w := range words {
		pre := []byte("xw/" + w + "/")
		it := txn.NewIterator(badger.IteratorOptions{Prefix: pre})
		n := 0
		for it.Rewind(); it.Valid() && n < 2000; it.Next() {
			n += max(1, int(it.Item().ValueSize())/33) // ids in the list
		}
		it.Close()
		if bestN < 0 || n < bestN {
			best, bestN = w, n
		}
	}
	return best
}

// Usage is the history's share of the data directory.
type Usage struct {
	Executions    int64     `json:"executions"`
	Bytes         int64     `json:"bytes"`  // history records and summaries
	Oldest        time.Time `json:"oldest"` // start of the oldest kept execution
	Interrupted   int       `json:"interrupted"`
	RetentionDays int       `json:"retentionDays"` // 0: kept until the size bound
	MaxBytes      int64     `json:"maxBytes"`      // 0: no size bound
	DiskBytes     int64     `json:"diskBytes"`     // the whole database on disk (tables, value log)
}

// HistoryUsage reports history size, bounds and disk use.
func (s *Store) HistoryUsage() (Usage, error) {
	s.Flush()
	u := Usage{RetentionDays: s.opts.HistoryDays, MaxBytes: s.opts.HistoryMaxBytes}
	err := s.db.View(func(txn *badger.Txn) error {
		u.Executions, u.Bytes = readCounter(txn, metaCount), readCounter(txn, metaBytes)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("xs/")})
		defer it.Close()
		it.Rewind()
		if it.Valid() {
			u.Oldest = s.started(txn, string(it.Item().Key()[3:]))
		}
		pre := []byte("xt/" + engine.StatusInterrupted + "/")
		it2 := txn.NewIterator(badger.IteratorOptions{Prefix: pre})
		defer it2.Close()
		for it2.Rewind(); it2.Valid() && u.Interrupted < 10000; it2.Next() {
			u.Interrupted++
		}
		return nil
	})
	if !s.opts.InMemory {
		_ = filepath.WalkDir(filepath.Join(s.dir, "db"), func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if info, err := d.Info(); err == nil {
					u.DiskBytes += allocated(info) // preallocated files count what they hold
				}
			}
			return nil
		})
	}
	return u, err
}

func readCounter(txn *badger.Txn, key string) int64 {
	item, err := txn.Get([]byte(key))
	if err != nil {
		return 0
	}
	var n int64
	_ = item.Value(func(v []byte) error {
		if len(v) == 8 {
			n = int64(binary.BigEndian.Uint64(v))
		}
		return nil
	})
	return n
}

// loadHistoryMeta reads the counters and builds the indexes of a history
// written before they existed (once).
func (s *Store) loadHistoryMeta() error {
	var version string
	err := s.db.View(func(txn *badger.Txn) error {
		s.hcount, s.hbytes = readCounter(txn, metaCount), readCounter(txn, metaBytes)
		if item, err := txn.Get([]byte(metaVersion)); err == nil {
			b, _ := item.ValueCopy(nil)
			version = string(b)
		}
		return nil
	})
	if err != nil || version == indexVersion {
		return err
	}
	// rebuild: every record's summary and index keys
	s.hcount, s.hbytes = 0, 0
	var ids []string
	_ = s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("exec/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			ids = append(ids, string(it.Item().Key()[5:]))
		}
		return nil
	})
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 1000)]
		ids = ids[len(chunk):]
		wb := s.db.NewWriteBatch()
		for _, id := range chunk {
			e, err := s.Execution(id)
			if err != nil {
				continue
			}
			sets, sm, words := histRecord(e)
			for _, w := range sets {
				_ = wb.Set(w.k, w.v)
			}
			for _, w := range words {
				_ = wb.Set([]byte("xw/"+w+"/"+id+"/0"), []byte(id))
			}
			_ = wb.Set([]byte("xb/"+id+"/0"), []byte(strings.Join(words, "\n")))
			s.hcount++
			s.hbytes += int64(sm.Bytes)
		}
		if err := wb.Flush(); err != nil {
			wb.Cancel()
			return fmt.Errorf("index history: %w", err)
		}
	}
	return s.db.Update(func(txn *badger.Txn) error {
		_ = txn.Set([]byte(metaCount), binary.BigEndian.AppendUint64(nil, uint64(s.hcount)))
		_ = txn.Set([]byte(metaBytes), binary.BigEndian.AppendUint64(nil, uint64(s.hbytes)))
		return txn.Set([]byte(metaVersion), []byte(indexVersion))
	})
}

// --- text index --- (tokenizer: words.go)

// splitWords returns the words of s as the index sees them.
func splitWords(s string) []string {
	w := wordSet{}
	w.text(s)
	return w.sorted()
}

// queryTokens are the words of a search, each required: a plain word, or
// an address (ada@example.com) as indexed whole.
func queryTokens(q string) []string {
	var out []string
	seen := map[string]bool{}
	for i := 0; i < len(q); {
		j := i
		for j < len(q) {
			c := q[j]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80 || isJoin(c)) {
				break
			}
			j++
		}
		if j == i {
			i++
			continue
		}
		w := wordSet{}
		w.add(q[i:j])
		for _, t := range w.words {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
		i = j
	}
	return out
}

// dropPostings drops the text postings of write batches whose records are
// all gone (older than the oldest kept execution); writer goroutine only.
func (s *Store) dropPostings() {
	var oldest string
	var drop [][]byte
	_ = s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("xs/")})
		it.Rewind()
		if it.Valid() {
			oldest = string(it.Item().Key()[3:])
		}
		it.Close()
		bt := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("xb/"), PrefetchValues: true})
		defer bt.Close()
		for bt.Rewind(); bt.Valid() && len(drop) < 100000; bt.Next() {
			suffix := string(bt.Item().Key()[3:])
			maxID, _, _ := strings.Cut(suffix, "/")
			if oldest != "" && maxID >= oldest {
				break
			}
			drop = append(drop, bt.Item().KeyCopy(nil))
			_ = bt.Item().Value(func(v []byte) error {
				for _, w := range strings.Split(string(v), "\n") {
					drop = append(drop, []byte("xw/"+w+"/"+suffix))
				}
				return nil
			})
		}
		return nil
	})
	if len(drop) == 0 {
		return
	}
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	for _, k := range drop {
		_ = wb.Delete(k)
	}
	_ = wb.Flush()
}
