package store

import (
	"testing"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// A deleted flow's history goes with it: its records, index keys and the
// counters; other flows' runs stay.
func TestDropFlowHistory(t *testing.T) {
	s, err := Open(t.TempDir(), Options{Key: histKey})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	save := func(flow, status, word string) string {
		e := &engine.Execution{ID: engine.NewID(), Flow: flow, FlowName: flow, Status: status, Started: time.Now(), Ended: time.Now(),
			Input: map[string]any{"who": word}}
		s.Save(e)
		return e.ID
	}
	gone := []string{save("a", engine.StatusSuccess, "ada@example.com"), save("a", engine.StatusFailed, "ada@example.com")}
	kept := save("b", engine.StatusFailed, "ada@example.com")
	s.DropFlowHistory("a")
	if l, _ := s.Executions(Query{Flow: "a"}); len(l) != 0 {
		t.Fatalf("flow a still lists %d runs", len(l))
	}
	for _, id := range gone {
		if _, err := s.Execution(id); err == nil {
			t.Fatalf("run %s of the deleted flow still opens", id)
		}
	}
	if l, _ := s.Executions(Query{}); len(l) != 1 || l[0].ID != kept {
		t.Fatalf("all runs: %+v", l)
	}
	if l, _ := s.Executions(Query{Text: "ada@example.com"}); len(l) != 1 || l[0].ID != kept {
		t.Fatalf("search: %+v", l)
	}
	if l, _ := s.Executions(Query{Status: engine.StatusFailed}); len(l) != 1 || l[0].ID != kept {
		t.Fatalf("failed runs: %+v", l)
	}
	for _, p := range []string{"xf/a/", "xq/a/"} {
		if n := countKeys(t, s, p); n != 0 {
			t.Fatalf("%d %s keys left", n, p)
		}
	}
	if u, _ := s.HistoryUsage(); u.Executions != 1 {
		t.Fatalf("usage counts %d executions", u.Executions)
	}
}
