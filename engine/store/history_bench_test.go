package store

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// BenchmarkHistoryScale lists, filters and searches a history of
// FLOWBENCH_HISTORY_BENCH_N executions (default 100,000; the figure
// is 1,000,000: FLOWBENCH_HISTORY_BENCH_N=1000000 go test -run '^$'
// -bench HistoryScale -benchtime 20x ./engine/store/). Each execution has
// four card records; one in 50 fails, one in 20,000 was canceled; every
// one names a user address.
func BenchmarkHistoryScale(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("FLOWBENCH_HISTORY_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	dir, err := os.MkdirTemp("", "flowbench-history-bench")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	s, err := Open(dir, Options{Key: histKey})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	fill(s, n)
	s.Flush()
	b.Logf("%d executions written in %s", n, time.Since(start).Round(time.Millisecond))
	if p := os.Getenv("FLOWBENCH_HEAP_PROFILE"); p != "" { // what the store holds after the load
		runtime.GC()
		if f, err := os.Create(p); err == nil {
			_ = pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	queries := []struct {
		name string
		q    Query
	}{
		{"latest-50", Query{Limit: 50}},
		{"flow-50", Query{Flow: "f7", Limit: 50}},
		{"status-failed-50", Query{Status: engine.StatusFailed, Limit: 50}},
		{"flow-status-failed-50", Query{Flow: "f10", Status: engine.StatusFailed, Limit: 50}},
		{"status-canceled-rare", Query{Status: engine.StatusCanceled, Limit: 50}}, // one in 20,000
		{"search-user-hit", Query{Text: fmt.Sprintf("user%d@example.com", n/2), Limit: 50}},
		{"search-word-50", Query{Text: "word17", Limit: 50}},
		{"search-no-match", Query{Text: "nomatchanywhere", Limit: 50}},
		{"search-two-words", Query{Text: "word17 word18", Limit: 50}},
	}
	for _, c := range queries {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			rows := 0
			for i := 0; i < b.N; i++ {
				list, err := s.Executions(c.q)
				if err != nil {
					b.Fatal(err)
				}
				rows = len(list)
			}
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(rows), "rows")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "MB-alloc/op")
		})
	}
}

func fill(s *Store, n int) {
	base := time.Now().Add(-time.Duration(n) * time.Millisecond)
	var wg sync.WaitGroup
	workers := 4
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += workers {
				t := base.Add(time.Duration(i) * time.Millisecond)
				id := fmt.Sprintf("%012x%04x%016x", t.UnixMilli(), i&0xffff, i)
				status := engine.StatusSuccess
				var cerr *engine.CardError
				if i%20000 == 1 {
					status = engine.StatusCanceled
				}
				if i%50 == 0 {
					status = engine.StatusFailed
					cerr = &engine.CardError{Card: "c3", Message: "HTTP 404 E0000007: Not found: Resource not found: user" + strconv.Itoa(i)}
				}
				user := fmt.Sprintf("user%d@example.com", i)
				e := &engine.Execution{ID: id, Flow: "f" + strconv.Itoa(i%20), FlowName: "Provision user " + strconv.Itoa(i%20),
					Status: status, Started: t, Ended: t.Add(3 * time.Millisecond), Trigger: "event", Error: cerr,
					Input: map[string]any{"login": user, "department": "word" + strconv.Itoa(i%97)},
					Cards: []engine.CardRecord{
						{ID: "trigger", Type: "okta.userCreated", Status: engine.StatusSuccess, Outputs: map[string]any{"login": user, "id": fmt.Sprintf("00u%x", i)}},
						{ID: "c1", Type: "text.concat", Status: engine.StatusSuccess, Inputs: map[string]any{"string1": "Hello ", "string2": user}, Outputs: map[string]any{"output": "Hello " + user}},
						{ID: "c2", Type: "text.split", Status: engine.StatusSuccess, Outputs: map[string]any{"output": []any{"word" + strconv.Itoa(i%89), "word" + strconv.Itoa(i%83)}}},
						{ID: "c3", Type: "okta.updateUser", Status: status, Error: cerr, Outputs: map[string]any{"status": "ACTIVE"}},
					}}
				s.Save(e)
			}
		}(w)
	}
	wg.Wait()
}
