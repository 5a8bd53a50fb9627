package app

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkTemporalEndpoint measures the 10-function-card API Endpoint flow
// (benchFlow) through serve: in-process (local), and on a Temporal dev
// server with 1 and 2 `flowbench worker`s. Each op is one HTTP call that
// waits for the flow's Return, made by 1 caller (the latency one execution
// pays) or 8 at a time (throughput). It reports executions/s and the
// p50/p99 latency of a call.
//
//	go test ./app -run '^$' -bench TemporalEndpoint -benchtime 400x
func BenchmarkTemporalEndpoint(b *testing.B) {
	for _, mode := range []struct {
		name    string
		workers int
	}{{"local", 0}, {"temporal-1-worker", 1}, {"temporal-2-workers", 2}} {
		b.Run(mode.name, func(b *testing.B) {
			c := benchCluster(b, mode.workers)
			// warm up: plans, connections, the workers' caches
			for range 5 {
				if status, _ := invokeEndpoint(b, c.url, "bench", `{"name": "ada"}`); status != 200 {
					b.Fatalf("warm-up call: HTTP %d\n%s", status, c.serve.log())
				}
			}
			for _, callers := range []int{1, 8} {
				b.Run(fmt.Sprintf("callers=%d", callers), func(b *testing.B) { benchCalls(b, c, callers) })
			}
		})
	}
}

// benchCalls makes b.N calls from callers goroutines and reports
// executions/s and the p50/p99 latency of a call.
func benchCalls(b *testing.B, c *cluster, callers int) {
	lat := make([]time.Duration, 0, b.N)
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int, b.N)
	for i := range b.N {
		next <- i
	}
	close(next)
	b.ResetTimer()
	start := time.Now()
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range next {
				t0 := time.Now()
				status, out := invokeEndpoint(b, c.url, "bench", `{"name": "  ada  "}`)
				d := time.Since(t0)
				if status != 200 || out["message"] != "HELLO, ADA!" {
					b.Errorf("HTTP %d %v", status, out)
					return
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) == 0 {
		return
	}
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(len(lat))/el.Seconds(), "execs/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// benchCluster is serve with the bench flow: local (workers == 0) or on a
// Temporal dev server with that many workers.
func benchCluster(b *testing.B, workers int) *cluster {
	c := &cluster{data: b.TempDir(), token: RandomToken(), wtoken: RandomToken(), queue: fmt.Sprintf("fb-bench-%d", workers)}
	runCLI(b, "--data", c.data, "import", writeFile(b, b.TempDir(), "bench.flow.json", benchFlow))
	if workers == 0 {
		c.serve = flowbenchProc(b, nil, "--data", c.data, "serve", "--no-sandbox", "--addr", "127.0.0.1:0", "--token", c.token)
		c.url = c.serve.waitLine(b, servingRe)[1]
		return c
	}
	c.hp, c.cl = startTemporal(b)
	c.startServe(b, false)
	for range workers {
		c.startWorker(b)
	}
	return c
}
