package store

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
)

// revMu serialises flow writes, so a revision check and the write it
// guards cannot interleave with another write of the same flow.
var revMu sync.Mutex

func tombKey(id string) []byte { return []byte("flowtomb/" + id) }

// ConflictError is a save over a change made elsewhere: the flow's stored
// revision is not the one the save edited, or the flow was deleted. Theirs
// is the stored flow (nil when deleted).
type ConflictError struct {
	ID            string
	Base, Current int64
	Deleted       bool
	Theirs        *engine.Flow
}

func (e *ConflictError) Error() string {
	if e.Deleted {
		return fmt.Sprintf("conflict: flow %q was deleted elsewhere after you opened it (revision %d); save it as a copy or discard your changes", e.ID, e.Base)
	}
	return fmt.Sprintf("conflict: flow %q was changed elsewhere since you opened it (you edited revision %d, it is now at revision %d); "+
		"keep your version over it, or take theirs", e.ID, e.Base, e.Current)
}

// HTTPStatus is 409 Conflict.
func (e *ConflictError) HTTPStatus() int { return http.StatusConflict }

// IsConflict reports whether err is a ConflictError.
func IsConflict(err error) bool {
	var ce *ConflictError
	return errors.As(err, &ce)
}

// tombRevision is the revision a deleted flow had (0: never deleted).
func (s *Store) tombRevision(id string) int64 {
	var rev int64
	_ = s.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(tombKey(id))
		if err != nil {
			return err
		}
		return it.Value(func(v []byte) error {
			rev, _ = strconv.ParseInt(string(v), 10, 64)
			return nil
		})
	})
	return rev
}

// nextRevision is the revision the next write of id gets (keep: the
// current one). Called with revMu held.
func (s *Store) nextRevision(id string, keep bool) int64 {
	s.mu.RLock()
	cur, ok := s.flows[id]
	s.mu.RUnlock()
	var rev int64
	if ok {
		rev = cur.Revision
	} else {
		rev = s.tombRevision(id)
	}
	if keep && ok {
		return rev
	}
	return rev + 1
}

// SaveFlowIf stores f when the stored flow is still at revision base (the
// one the caller edited); otherwise it returns a *ConflictError with the
// stored flow. base 0 saves unconditionally (a new flow, a script).
func (s *Store) SaveFlowIf(f *engine.Flow, base int64) error {
	revMu.Lock()
	defer revMu.Unlock()
	if base > 0 {
		s.mu.RLock()
		cur, ok := s.flows[f.ID]
		s.mu.RUnlock()
		switch {
		case !ok && s.tombRevision(f.ID) > 0:
			return &ConflictError{ID: f.ID, Base: base, Deleted: true}
		case ok && cur.Revision != base:
			return &ConflictError{ID: f.ID, Base: base, Current: cur.Revision, Theirs: cur}
		}
	}
	return s.importFlows(&engine.Folder{Flows: []*engine.Flow{f}}, false)
}

// PutFlowState stores a flow whose only change is its state (switched on
// or off): the revision stays, so a tab editing the flow can still save.
func (s *Store) PutFlowState(f *engine.Flow) error {
	revMu.Lock()
	defer revMu.Unlock()
	return s.importFlows(&engine.Folder{Flows: []*engine.Flow{f}}, true)
}
