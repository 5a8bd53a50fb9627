package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
)

// The store is the executor's engine.Journal. Layout:
//   jr/<id>               header of a run in progress (execution without cards)
//   jc/<id>/<seq:08x>     a step: card records (and item records) in order
//   ji/<parent>/<card>/<index>  helper call of a card: child id, status, outputs
// A run's journal is dropped in the same write as its history record, so a
// run is always in one or the other. After a crash (Open), runs with a
// header but no end are marked interrupted: their history record shows the
// cards done so far, and the journal stays for Resume.

func jrKey(id string) []byte           { return []byte("jr/" + id) }
func jcKey(id string, seq int) []byte  { return []byte(fmt.Sprintf("jc/%s/%08x", id, seq)) }
func jiKey(parent, item string) []byte { return []byte("ji/" + parent + "/" + item) }

type stepRecord struct {
	Cards []engine.CardRecord `json:"cards,omitempty"`
	Items []engine.ItemRecord `json:"items,omitempty"`
}

func header(ex *engine.Execution) []byte {
	h := *ex
	h.Cards = nil
	return h.AppendJSON(nil)
}

// Begin implements engine.Journal.
func (s *Store) Begin(ex *engine.Execution, item *engine.ItemRecord) {
	op := &wop{sets: []kv{{jrKey(ex.ID), header(ex)}}}
	if item != nil {
		b, _ := json.Marshal(item)
		op.sets = append(op.sets, kv{jiKey(item.Parent, item.Key()), b})
	}
	s.enqueue(op)
}

// Step implements engine.Journal.
func (s *Store) Step(ex *engine.Execution, seq int, cards []engine.CardRecord, items []engine.ItemRecord, wait bool) {
	op := &wop{}
	if len(cards) > 0 || len(items) > 0 {
		b, _ := json.Marshal(stepRecord{Cards: cards, Items: items})
		op.sets = append(op.sets, kv{jcKey(ex.ID, seq), b})
		for i := range items {
			ib, _ := json.Marshal(&items[i])
			op.sets = append(op.sets, kv{jiKey(items[i].Parent, items[i].Key()), ib})
		}
	}
	if wait {
		op.done = make(chan struct{})
	}
	if !s.enqueue(op) || op.done == nil {
		return
	}
	select {
	case <-op.done:
	case <-s.histDone:
	}
}

// End implements engine.Journal: the history record (when kept), the
// caller's item record and the release keys, and the journal dropped, in
// one ordered write.
func (s *Store) End(ex *engine.Execution, end engine.JournalEnd) {
	op := &wop{}
	if end.Keep {
		var sm Summary
		var words []string
		op.sets, sm, words = histRecord(ex)
		op.added, op.words = []Summary{sm}, [][]string{words}
	}
	if ex.Resumed > 0 || end.Replace {
		// the interrupted record written at recovery is replaced (or dropped
		// when the flow keeps no history)
		op.removed = []string{ex.ID}
		if end.Keep {
			op.dels = append(op.dels, []byte("xt/"+engine.StatusInterrupted+"/"+ex.ID),
				[]byte("xq/"+ex.Flow+"/"+engine.StatusInterrupted+"/"+ex.ID),
				// or of a paused run (pause.go)
				[]byte("xt/"+engine.StatusPaused+"/"+ex.ID), []byte("xq/"+ex.Flow+"/"+engine.StatusPaused+"/"+ex.ID))
		} else {
			_ = s.db.View(func(txn *badger.Txn) error {
				keys, _, _ := dropKeys(txn, ex.ID)
				op.dels = append(op.dels, keys...)
				return nil
			})
		}
	}
	if end.Item != nil {
		b, _ := json.Marshal(end.Item)
		op.sets = append(op.sets, kv{jiKey(end.Item.Parent, end.Item.Key()), b})
	}
	if !end.NoHeader || ex.Resumed > 0 {
		op.dels = append(op.dels, jrKey(ex.ID))
	}
	for i := 0; i < end.Steps; i++ {
		op.dels = append(op.dels, jcKey(ex.ID, i))
	}
	for _, k := range end.Items {
		op.dels = append(op.dels, jiKey(ex.ID, k))
	}
	for _, k := range end.Release {
		op.dels = append(op.dels, []byte(k))
	}
	s.enqueue(op)
}

// Unfinished implements engine.Journal.
func (s *Store) Unfinished(id string) (*engine.Unfinished, error) {
	var u *engine.Unfinished
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		u, err = readJournal(txn, id)
		return err
	})
	return u, err
}

func readJournal(txn *badger.Txn, id string) (*engine.Unfinished, error) {
	item, err := txn.Get(jrKey(id))
	if err == badger.ErrKeyNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ex engine.Execution
	if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &ex) }); err != nil {
		return nil, fmt.Errorf("journal of %s: %w", id, err)
	}
	u := &engine.Unfinished{Execution: &ex, Items: map[string]*engine.ItemRecord{}}
	pos := map[string]int{}
	pre := []byte("jc/" + id + "/")
	it := txn.NewIterator(badger.IteratorOptions{Prefix: pre, PrefetchValues: true})
	for it.Rewind(); it.Valid(); it.Next() {
		var st stepRecord
		if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &st) }); err != nil {
			continue
		}
		var seq int
		fmt.Sscanf(string(it.Item().Key()[len(pre):]), "%x", &seq)
		u.Steps = max(u.Steps, seq+1)
		for _, c := range st.Cards {
			if i, ok := pos[c.ID]; ok {
				ex.Cards[i] = c
			} else {
				pos[c.ID] = len(ex.Cards)
				ex.Cards = append(ex.Cards, c)
			}
		}
	}
	it.Close()
	ipre := []byte("ji/" + id + "/")
	it = txn.NewIterator(badger.IteratorOptions{Prefix: ipre, PrefetchValues: true})
	for it.Rewind(); it.Valid(); it.Next() {
		var ir engine.ItemRecord
		if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &ir) }); err == nil {
			u.Items[ir.Key()] = &ir
		}
	}
	it.Close()
	return u, nil
}

// journalKeys are every journal key of an execution (retention of
// interrupted runs that were never resumed).
func journalKeys(txn *badger.Txn, id string) [][]byte {
	keys := [][]byte{jrKey(id)}
	for _, pre := range []string{"jc/" + id + "/", "ji/" + id + "/"} {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pre)})
		for it.Rewind(); it.Valid(); it.Next() {
			keys = append(keys, it.Item().KeyCopy(nil))
		}
		it.Close()
	}
	return keys
}

// recoverRuns marks the runs a previous process left unfinished (it was
// killed, or stopped mid-run) as interrupted: each gets a history record
// with the cards and items done so far; the journal stays for Resume.
// Trigger runs are resumed by the trigger runtime from its queue; helper
// runs by their caller's resume; manual and API Endpoint runs by the user
// (Resume in history).
func (s *Store) recoverRuns() (int, error) {
	var ids []string
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("jr/"), PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var h struct {
				Status string `json:"status"`
			}
			_ = it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &h) })
			if h.Status != engine.StatusInterrupted && h.Status != engine.StatusPaused { // paused runs wait for their resume (pause.go)
				ids = append(ids, string(it.Item().Key()[3:]))
			}
		}
		return nil
	})
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	n := len(ids)
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		wb := s.db.NewWriteBatch()
		err := s.db.View(func(txn *badger.Txn) error {
			for _, id := range chunk {
				u, err := readJournal(txn, id)
				if err != nil || u == nil {
					continue
				}
				ex := u.Execution
				ex.Status = engine.StatusInterrupted
				withItems(ex, u.Items)
				// when the process stopped is not recorded: the run lasted at least until the
				// last card that started or ended (a card cut short has only its start), and
				// until its last helper item started (a For Each cut short has no card record
				// yet; item runs' ids carry their start)
				ex.Ended = ex.Started
				later := func(t time.Time) {
					if t.After(ex.Ended) {
						ex.Ended = t
					}
				}
				for i := range ex.Cards {
					later(ex.Cards[i].Started)
					later(ex.Cards[i].Ended)
				}
				for _, it := range u.Items {
					if t, ok := engine.IDTime(it.Child); ok {
						later(t)
					}
				}
				ex.Error = &engine.CardError{Flow: ex.Flow, Message: interruptedMessage(ex, u)}
				// a record replaced by an earlier resume that was itself cut short
				if old, ok := readSummary(txn, id); ok {
					for _, k := range indexKeys(&old) {
						_ = wb.Delete(k)
					}
					s.hcount--
					s.hbytes -= int64(old.Bytes)
				}
				sets, sm, words := histRecord(ex)
				for _, w := range sets {
					_ = wb.Set(w.k, w.v)
				}
				for _, w := range words {
					_ = wb.Set([]byte("xw/"+w+"/"+id+"/r"), []byte(id))
				}
				_ = wb.Set([]byte("xb/"+id+"/r"), []byte(strings.Join(words, "\n")))
				s.hcount++
				s.hbytes += int64(sm.Bytes)
				h := *ex
				h.Cards = nil
				_ = wb.Set(jrKey(id), h.AppendJSON(nil))
			}
			return nil
		})
		if err == nil {
			err = wb.Flush()
		} else {
			wb.Cancel()
		}
		if err != nil {
			return 0, fmt.Errorf("recover interrupted runs: %w", err)
		}
	}
	return n, nil
}

// withItems lists the helper runs of the interrupted run's cards (For
// Each items done or in flight) on their card's record, so history shows
// the items already done.
func withItems(ex *engine.Execution, items map[string]*engine.ItemRecord) {
	byCard := map[string][]*engine.ItemRecord{}
	for _, it := range items {
		byCard[it.Card] = append(byCard[it.Card], it)
	}
	for card, list := range byCard {
		sort.Slice(list, func(i, j int) bool { return list[i].Index < list[j].Index })
		idx := -1
		for i := range ex.Cards {
			if ex.Cards[i].ID == card {
				idx = i
			}
		}
		if idx < 0 {
			ex.Cards = append(ex.Cards, engine.CardRecord{ID: card, Status: engine.StatusRunning, Started: ex.Started})
			idx = len(ex.Cards) - 1
		}
		rec := &ex.Cards[idx]
		seen := map[string]bool{}
		for _, c := range rec.Children {
			seen[c] = true
		}
		for _, it := range list {
			if !seen[it.Child] {
				rec.Children = append(rec.Children, it.Child)
			}
		}
	}
}

func interruptedMessage(ex *engine.Execution, u *engine.Unfinished) string {
	done, running := 0, ""
	for i := range ex.Cards {
		switch ex.Cards[i].Status {
		case engine.StatusSuccess, engine.StatusContinued:
			done++
		case engine.StatusRunning:
			if running == "" && ex.Cards[i].Type != "" { // (a card listing its helper runs has no type here)
				running = ex.Cards[i].Title
				if running == "" {
					running = ex.Cards[i].ID
				}
			}
		}
	}
	items := 0
	for _, it := range u.Items {
		if it.Status == engine.StatusSuccess {
			items++
		}
	}
	msg := fmt.Sprintf("interrupted: the process ended while this run was in progress (%d cards done", done)
	if items > 0 {
		msg += fmt.Sprintf(", %d helper items done", items)
	}
	msg += ")"
	if running != "" {
		msg += "; " + running + " was running and may have taken effect"
	}
	if ex.Parent == "" && (ex.Trigger == "manual" || ex.Trigger == "api" || ex.Trigger == "") {
		msg += ". Resume continues after the last completed card"
	}
	return strings.TrimSpace(msg)
}

// Interrupted returns the journal header of an interrupted execution, and
// whether there is one to resume.
func (s *Store) Interrupted(id string) (*engine.Execution, bool) {
	u, err := s.Unfinished(id)
	if err != nil || u == nil {
		return nil, false
	}
	return u.Execution, u.Execution.Status == engine.StatusInterrupted
}

var _ engine.Journal = (*Store)(nil)
