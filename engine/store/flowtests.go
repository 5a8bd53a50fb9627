package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine/flowtest"
)

// Flow tests saved from executions ("Save as test"):
//   ft/<flow>/<case name>   a flowtest.Case
//   fts/<flow>              the last result of the flow's tests (TestStatus)

func flowTestKey(flow, name string) []byte { return []byte("ft/" + flow + "/" + name) }
func flowTestPrefix(flow string) []byte    { return []byte("ft/" + flow + "/") }
func flowTestStatusKey(flow string) []byte { return []byte("fts/" + flow) }

// TestStatus is the last result of a flow's tests (the designer's badge).
type TestStatus struct {
	Flow    string   `json:"flow"`
	Total   int      `json:"total"`
	Failed  int      `json:"failed"`
	Ran     string   `json:"ran"` // RFC 3339
	Failing []string `json:"failing,omitempty"`
}

// PutFlowTest stores a test case of a flow (replacing one of the same name).
func (s *Store) PutFlowTest(flow string, c *flowtest.Case) error {
	if c.Name == "" || strings.ContainsAny(c.Name, "/\x00") || len(c.Name) > 200 {
		return fmt.Errorf("test name %q: 1 to 200 characters, no slash", c.Name)
	}
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return s.db.Update(func(txn *badger.Txn) error { return txn.Set(flowTestKey(flow, c.Name), b) })
}

// FlowTests lists the stored test cases of a flow, by name.
func (s *Store) FlowTests(flow string) ([]flowtest.Case, error) {
	out := []flowtest.Case{}
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, Prefix: flowTestPrefix(flow)})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var c flowtest.Case
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &c) }); err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// DeleteFlowTest removes a stored test case.
func (s *Store) DeleteFlowTest(flow, name string) error {
	return s.db.Update(func(txn *badger.Txn) error {
		if _, err := txn.Get(flowTestKey(flow, name)); errors.Is(err, badger.ErrKeyNotFound) {
			return fmt.Errorf("test %q of flow %s: %w", name, flow, ErrNotFound)
		}
		return txn.Delete(flowTestKey(flow, name))
	})
}

// PutTestStatus records the last result of a flow's tests.
func (s *Store) PutTestStatus(st *TestStatus) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return s.db.Update(func(txn *badger.Txn) error { return txn.Set(flowTestStatusKey(st.Flow), b) })
}

// TestStatuses are the last results of every flow's tests.
func (s *Store) TestStatuses() (map[string]TestStatus, error) {
	out := map[string]TestStatus{}
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, Prefix: []byte("fts/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var st TestStatus
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &st) }); err != nil {
				return err
			}
			out[st.Flow] = st
		}
		return nil
	})
	return out, err
}

// DropFlowTests removes a flow's stored tests and their last result (the
// flow was deleted).
func (s *Store) DropFlowTests(flow string) error {
	defer s.forgetMeta("flowenv/" + flow)
	return s.db.Update(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: flowTestPrefix(flow)})
		var keys [][]byte
		for it.Rewind(); it.Valid(); it.Next() {
			keys = append(keys, it.Item().KeyCopy(nil))
		}
		it.Close()
		for _, k := range append(keys, flowTestStatusKey(flow), []byte("meta/flowenv/"+flow)) {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}
