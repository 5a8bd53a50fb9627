package store

import (
	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
)

// Pause implements engine.PauseJournal: a run a Pause card stopped keeps
// its journal (jc/, ji/) for the resume, its header (jr/) says paused, so
// recovery leaves it alone, and its history record shows it paused. A
// record of the same run written before (an earlier pause, an
// interruption) is replaced. It returns once this is on disk: the caller
// of the flow learns of the pause only then.
func (s *Store) Pause(ex *engine.Execution, end engine.JournalEnd) {
	op := &wop{done: make(chan struct{})}
	var fresh map[string]bool
	if end.Keep {
		var sm Summary
		var words []string
		op.sets, sm, words = histRecord(ex)
		op.added, op.words = []Summary{sm}, [][]string{words}
		fresh = map[string]bool{}
		for _, k := range indexKeys(&sm) {
			fresh[string(k)] = true
		}
	}
	if ex.Resumed > 0 {
		_ = s.db.View(func(txn *badger.Txn) error {
			old, ok := readSummary(txn, ex.ID)
			if !ok {
				return nil
			}
			op.removed = []string{ex.ID}
			if !end.Keep {
				keys, _, _ := dropKeys(txn, ex.ID)
				op.dels = append(op.dels, keys...)
				return nil
			}
			for _, k := range indexKeys(&old) { // the old status's index keys (sets come before dels)
				if !fresh[string(k)] {
					op.dels = append(op.dels, k)
				}
			}
			return nil
		})
	}
	h := *ex
	h.Cards = nil
	op.sets = append(op.sets, kv{jrKey(ex.ID), h.AppendJSON(nil)})
	for _, k := range end.Release {
		op.dels = append(op.dels, []byte(k))
	}
	if !s.enqueue(op) {
		return
	}
	select {
	case <-op.done:
	case <-s.histDone:
	}
}

var _ engine.PauseJournal = (*Store)(nil)
