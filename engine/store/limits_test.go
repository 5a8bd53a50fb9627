package store

import (
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
)

// Issue 15 point 12: flows are stored compact (indentation grows with the
// square of a value's depth), and a flow too large for one transaction is
// refused with a clear error, not a raw Badger one.
func TestFlowsStoredCompactAndBounded(t *testing.T) {
	s := open(t, t.TempDir())
	var v any = "leaf"
	for range 400 {
		v = []any{v}
	}
	f := &engine.Flow{Format: engine.FlowFormat, ID: "deepvalue", Name: "deep value", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards: []engine.Card{{ID: "a", Type: "flow.assign", Inputs: []engine.Field{{Key: "x", Type: engine.T("any"), Value: v}}}}}
	if err := s.PutFlow(f); err != nil {
		t.Fatal(err)
	}
	var stored int
	if err := s.DB().View(func(txn *badger.Txn) error {
		it, err := txn.Get([]byte("flow/deepvalue"))
		if err != nil {
			return err
		}
		stored = int(it.ValueSize())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	indented, _ := engine.MarshalFlow(f)
	t.Logf("stored %d bytes; indented it is %d bytes", stored, len(indented))
	if stored > 4096 {
		t.Fatalf("stored %d bytes for a flow of about 1 KB", stored)
	}
	big := &engine.Flow{Format: engine.FlowFormat, ID: "big", Name: "big", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards: []engine.Card{{ID: "a", Type: "flow.assign", Inputs: []engine.Field{{Key: "x", Type: engine.T("string"), Value: strings.Repeat("x", MaxFlowBytes)}}}}}
	err := s.PutFlow(big)
	if err == nil || !strings.Contains(err.Error(), "at most 4 MB") {
		t.Fatalf("big flow: %v", err)
	}
}
