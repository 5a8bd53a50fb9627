package store

import (
	"sync"

	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/klauspost/compress/s2"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
)

// History layout:
//   exec/<id>              full execution record (JSON)
//   xs/<id>                summary (JSON) — all executions, newest last
//   xf/<flow>/<id>         empty — per-flow index for listing and retention
// Execution ids are time-sortable, so key order is start order.

// Summary is a history list row.
type Summary struct {
	ID         string    `json:"id"`
	Flow       string    `json:"flow"`
	FlowName   string    `json:"flowName,omitempty"`
	Status     string    `json:"status"`
	Started    time.Time `json:"started"`
	Ended      time.Time `json:"ended"`
	DurationMS float64   `json:"durationMs"`
	Trigger    string    `json:"trigger,omitempty"`
	FailedCard string    `json:"failedCard,omitempty"`
	Error      string    `json:"error,omitempty"`
	Parent     string    `json:"parent,omitempty"`
}

func summarize(e *engine.Execution) Summary {
	s := Summary{ID: e.ID, Flow: e.Flow, FlowName: e.FlowName, Status: e.Status, Started: e.Started, Ended: e.Ended,
		DurationMS: float64(e.Ended.Sub(e.Started).Microseconds()) / 1000, Trigger: e.Trigger, Parent: e.Parent}
	if e.Error != nil {
		s.FailedCard, s.Error = e.Error.Card, e.Error.Message
	}
	return s
}

// Save queues an execution for the batched history writer (engine.HistorySink).
// It blocks only when the queue is full (backpressure, nothing dropped).
func (s *Store) Save(e *engine.Execution) {
	// marshal in the caller's goroutine so encoding runs on every core and
	// the single writer only talks to Badger; records are compressed (s2,
	// ~4× on execution JSON): fewer bytes to encrypt and write is most of
	// the history cost
	bp := jsonBufs.Get().(*[]byte)
	raw := e.AppendJSON((*bp)[:0])
	full := make([]byte, 1, 1+s2.MaxEncodedLen(len(raw)))
	full[0] = recS2
	full = append(full, s2.Encode(full[1:cap(full)], raw)...)
	*bp = raw
	jsonBufs.Put(bp)
	sum, _ := json.Marshal(summarize(e))
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return
	}
	s.hist <- encoded{id: e.ID, flow: e.Flow, full: full, sum: sum}
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

// encoded is an execution ready to write.
type encoded struct {
	id, flow  string
	full, sum []byte
}

// Flush waits until every queued execution is written.
func (s *Store) Flush() {
	done := make(chan struct{})
	select {
	case s.flushReq <- done:
	case <-s.histDone: // closed: everything was written
		return
	}
	select {
	case <-done:
	case <-s.histDone:
	}
}

func (s *Store) historyWriter() {
	defer close(s.histDone)
	batch := make([]encoded, 0, s.opts.HistoryBatch)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	write := func() {
		if len(batch) > 0 {
			if err := s.writeBatch(batch); err != nil {
				fmt.Printf("flowbench: history write failed: %v\n", err)
			}
			batch = batch[:0]
		}
	}
	for {
		select {
		case e, ok := <-s.hist:
			if !ok {
				write()
				return
			}
			batch = append(batch, e)
			if len(batch) == 1 {
				timer.Reset(s.opts.HistoryDelay)
			}
			if len(batch) >= s.opts.HistoryBatch {
				write()
			}
		case <-timer.C:
			write()
		case done := <-s.flushReq:
			// drain what is queued now
			for n := len(s.hist); n > 0; n-- {
				batch = append(batch, <-s.hist)
			}
			write()
			close(done)
		}
	}
}

func (s *Store) writeBatch(batch []encoded) error {
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	flows := map[string]bool{}
	for _, e := range batch {
		if err := wb.Set([]byte("exec/"+e.id), e.full); err != nil {
			return err
		}
		if err := wb.Set([]byte("xs/"+e.id), e.sum); err != nil {
			return err
		}
		if err := wb.Set([]byte("xf/"+e.flow+"/"+e.id), nil); err != nil {
			return err
		}
		flows[e.flow] = true
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

// prune enforces a flow's retention on write: keep the newest KeepLast and
// nothing older than KeepDays.
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
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	for _, id := range drop {
		_ = wb.Delete([]byte("exec/" + id))
		_ = wb.Delete([]byte("xs/" + id))
		_ = wb.Delete([]byte("xf/" + f.ID + "/" + id))
	}
	return wb.Flush()
}

// started is when an execution began: read from its time-sortable id
// (engine.NewID), else from its summary.
func (s *Store) started(txn *badger.Txn, id string) time.Time {
	if t, ok := engine.IDTime(id); ok {
		return t
	}
	var sm Summary
	if item, err := txn.Get([]byte("xs/" + id)); err == nil {
		_ = item.Value(func(v []byte) error { return json.Unmarshal(v, &sm) })
	}
	return sm.Started
}

// Execution reads one execution.
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
		return nil, fmt.Errorf("execution %q: %w", id, ErrNotFound)
	}
	return &e, err
}

// Query filters history listings.
type Query struct {
	Flow   string // only this flow
	Status string // only this status
	Text   string // text that must appear in the record (card data)
	Parent string // only children of this execution
	Limit  int    // default 100
}

// Executions lists summaries newest first.
func (s *Store) Executions(q Query) ([]Summary, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	prefix := []byte("xs/")
	byFlow := q.Flow != ""
	if byFlow {
		prefix = []byte("xf/" + q.Flow + "/") // keys only: summaries are read from xs/
	}
	text := strings.ToLower(q.Text)
	out := []Summary{}
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Reverse: true, Prefix: prefix, PrefetchValues: !byFlow, PrefetchSize: 64})
		defer it.Close()
		seek := append(append([]byte{}, prefix...), 0xff)
		for it.Seek(seek); it.Valid() && len(out) < q.Limit; it.Next() {
			item := it.Item()
			if byFlow {
				var err error
				if item, err = txn.Get([]byte("xs/" + string(bytes.TrimPrefix(it.Item().Key(), prefix)))); err != nil {
					continue
				}
			}
			var sm Summary
			if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &sm) }); err != nil {
				return err
			}
			if q.Status != "" && sm.Status != q.Status || q.Parent != "" && sm.Parent != q.Parent {
				continue
			}
			if text != "" {
				item, err := txn.Get([]byte("exec/" + sm.ID))
				if err != nil {
					continue
				}
				match := false
				_ = item.Value(func(v []byte) error {
					data, err := decodeRecord(v)
					match = err == nil && bytes.Contains(bytes.ToLower(data), []byte(text))
					return nil
				})
				if !match {
					continue
				}
			}
			out = append(out, sm)
		}
		return nil
	})
	return out, err
}
