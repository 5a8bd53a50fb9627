package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
)

// DefaultFlowVersions is how many versions of each flow the store keeps
// (FLOWBENCH_FLOW_VERSIONS, Options.FlowVersions; <0 keeps every one).
const DefaultFlowVersions = 50

// FlowVersion describes one stored version of a flow: every save is one.
type FlowVersion struct {
	Revision int64     `json:"revision"`
	Saved    time.Time `json:"saved"`
	Name     string    `json:"name"`
	Cards    int       `json:"cards"`
	// RestoredFrom is the revision a restore brought back (0: an edit).
	RestoredFrom int64 `json:"restoredFrom,omitempty"`
}

// restoringRev is the revision a restore in progress brings back (under revMu).
var restoringRev int64

type versionRecord struct {
	FlowVersion
	Flow json.RawMessage `json:"flow"`
}

func versionPrefix(id string) []byte { return []byte("fv/" + id + "/") }

// versionKey sorts by revision (zero-padded).
func versionKey(id string, rev int64) []byte {
	return []byte(fmt.Sprintf("fv/%s/%016d", id, rev))
}

// versionLimit is the number of versions kept per flow (0: no bound).
func (s *Store) versionLimit() int {
	n := s.opts.FlowVersions
	if n == 0 {
		n = envInt("FLOWBENCH_FLOW_VERSIONS", DefaultFlowVersions)
	}
	if n < 0 {
		return 0
	}
	return n
}

func countCards(cards []engine.Card) int {
	n := 0
	for _, c := range cards {
		n++
		for _, b := range c.Branches {
			n += countCards(b.Cards)
		}
	}
	return n
}

// putVersion writes the version a save made (data: the stored flow) and
// drops the oldest beyond the bound, in the save's transaction.
func (s *Store) putVersion(txn *badger.Txn, f *engine.Flow, data []byte, restoredFrom int64) error {
	rec := versionRecord{FlowVersion: FlowVersion{Revision: f.Revision, Saved: time.Now().UTC(), Name: f.Name,
		Cards: countCards(f.Cards), RestoredFrom: restoredFrom}, Flow: data}
	v, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	if err := txn.Set(versionKey(f.ID, f.Revision), v); err != nil {
		return err
	}
	limit := s.versionLimit()
	if limit == 0 {
		return nil
	}
	keys := versionKeys(txn, f.ID)
	keys = append(keys, versionKey(f.ID, f.Revision)) // not yet visible to the iterator when new
	keys = dedupSorted(keys)
	for len(keys) > limit {
		if err := txn.Delete(keys[0]); err != nil {
			return err
		}
		keys = keys[1:]
	}
	return nil
}

func dedupSorted(keys [][]byte) [][]byte {
	seen := map[string]bool{}
	out := keys[:0]
	for _, k := range keys {
		if !seen[string(k)] {
			seen[string(k)] = true
			out = append(out, k)
		}
	}
	// keys are zero-padded: string order is revision order
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && string(out[j]) < string(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func versionKeys(txn *badger.Txn, id string) [][]byte {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: versionPrefix(id)})
	defer it.Close()
	var keys [][]byte
	for it.Rewind(); it.Valid(); it.Next() {
		keys = append(keys, it.Item().KeyCopy(nil))
	}
	return keys
}

// deleteVersions drops every version of a flow (with the flow).
func deleteVersions(txn *badger.Txn, id string) error {
	for _, k := range versionKeys(txn, id) {
		if err := txn.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// FlowVersions lists the stored versions of a flow, newest first.
func (s *Store) FlowVersions(id string) ([]FlowVersion, error) {
	if err := engine.CheckID("flow", id); err != nil {
		return nil, err
	}
	out := []FlowVersion{}
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: versionPrefix(id), PrefetchValues: true, Reverse: false})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			err := it.Item().Value(func(v []byte) error {
				var rec versionRecord
				if err := json.Unmarshal(v, &rec); err != nil {
					return fmt.Errorf("stored version %s is corrupt: %w", it.Item().Key(), err)
				}
				out = append(out, rec.FlowVersion)
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, err
}

// FlowAt returns the flow as saved at revision rev.
func (s *Store) FlowAt(id string, rev int64) (*engine.Flow, error) {
	if err := engine.CheckID("flow", id); err != nil {
		return nil, err
	}
	var f *engine.Flow
	err := s.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(versionKey(id, rev))
		if err == badger.ErrKeyNotFound {
			if limit := s.versionLimit(); limit > 0 {
				return fmt.Errorf("flow %q has no version %d (only the last %d are kept): %w", id, rev, limit, ErrNotFound)
			}
			return fmt.Errorf("flow %q has no version %d: %w", id, rev, ErrNotFound) // every version is kept: it never was one
		}
		if err != nil {
			return err
		}
		return it.Value(func(v []byte) error {
			var rec versionRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			var g engine.Flow
			if err := json.Unmarshal(rec.Flow, &g); err != nil {
				return fmt.Errorf("stored version %d of flow %q is corrupt: %w", rev, id, err)
			}
			f = &g
			return nil
		})
	})
	return f, err
}

// RestoreFlowVersion saves version rev of a flow as a new version (the
// restore is itself a save; the on/off state stays). base is the revision
// the caller saw (0: unconditional), as in SaveFlowIf.
func (s *Store) RestoreFlowVersion(id string, rev, base int64) (*engine.Flow, error) {
	old, err := s.FlowAt(id, rev)
	if err != nil {
		return nil, err
	}
	revMu.Lock()
	defer revMu.Unlock()
	s.mu.RLock()
	cur, ok := s.flows[id]
	s.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("flow %q: %w", id, ErrNotFound)
	}
	if base > 0 && cur.Revision != base {
		return nil, &ConflictError{ID: id, Base: base, Current: cur.Revision, Theirs: cur}
	}
	old.Enabled = cur.Enabled
	restoringRev = rev
	defer func() { restoringRev = 0 }()
	if err := s.importFlows(&engine.Folder{Flows: []*engine.Flow{old}}, false); err != nil {
		return nil, err
	}
	return old, nil
}
