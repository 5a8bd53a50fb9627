package okta

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// TestGovernorBench drives N Update User calls through a For Each
// (concurrency 20) against a sandbox limited to 600 requests per window on
// the user-write bucket, and reports total time against the bound
// N/limit×window, failed items and 429s. It is a measurement, not a timed
// assertion, so it runs only when FLOWBENCH_GOVERNOR_BENCH is set:
//
//	FLOWBENCH_GOVERNOR_BENCH=1 go test -run TestGovernorBench -v ./connectors/okta/
//
// FLOWBENCH_GOVERNOR_N (default 5000), FLOWBENCH_GOVERNOR_WINDOW (default 2s)
// and FLOWBENCH_GOVERNOR_CONC (default 20) tune it.
func TestGovernorBench(t *testing.T) {
	if os.Getenv("FLOWBENCH_GOVERNOR_BENCH") == "" {
		t.Skip("set FLOWBENCH_GOVERNOR_BENCH=1 to run the governor benchmark")
	}
	n := envInt("FLOWBENCH_GOVERNOR_N", 5000)
	conc := envInt("FLOWBENCH_GOVERNOR_CONC", 20)
	window := 2 * time.Second
	if d, err := time.ParseDuration(os.Getenv("FLOWBENCH_GOVERNOR_WINDOW")); err == nil {
		window = d
	}
	const limit = 600
	tn := startTenant(t, sandbox.Config{EmptySeed: true, RateWindow: window,
		Limits: map[string]int{sandbox.BucketUserWrite: limit}}, false)

	// n users to update
	var seed strings.Builder
	seed.WriteString(`{"users":[`)
	logins := make([]any, n)
	for i := range n {
		if i > 0 {
			seed.WriteByte(',')
		}
		login := fmt.Sprintf("bench.user%05d@example.com", i)
		logins[i] = login
		fmt.Fprintf(&seed, `{"profile":{"login":%q,"email":%q,"firstName":"Bench","lastName":"User%d"}}`, login, login, i)
	}
	seed.WriteString(`]}`)
	if err := tn.srv.LoadSeed(strings.NewReader(seed.String())); err != nil {
		t.Fatal(err)
	}

	tn.flows["bench-helper"] = &engine.Flow{Format: engine.FlowFormat, ID: "bench-helper", Name: "update one",
		Trigger: engine.Card{ID: "trigger", Type: "flow.helper", Outputs: []engine.Field{{Key: "user", Type: engine.T("string")}}},
		Cards: []engine.Card{{ID: "update", Type: "okta.updateUser", Connection: "sandbox", Inputs: []engine.Field{
			{Key: "ID", From: &engine.Binding{Card: "trigger", Path: []string{"user"}}},
			{Key: "title", Group: "Profile", Type: engine.T("string"), Value: "Benchmarked"}}}}}
	main := &engine.Flow{Format: engine.FlowFormat, ID: "bench-main", Name: "bench",
		Trigger: engine.Card{ID: "trigger", Type: "flow.manual", Outputs: []engine.Field{{Key: "users", Type: engine.T("string[]")}}},
		Cards: []engine.Card{{ID: "each", Type: "list.forEach", Flow: "bench-helper", Inputs: []engine.Field{
			{Key: "list", From: &engine.Binding{Card: "trigger", Path: []string{"users"}}},
			{Key: "concurrency", Value: float64(conc)},
			{Key: "user", Item: &engine.ItemMapping{}}}}}}

	var failed, attempts, rl429, waits atomic.Int64
	tn.ex.OnFinish = func(ex *engine.Execution) {
		if ex.Flow != "bench-helper" {
			return
		}
		if ex.Status != engine.StatusSuccess {
			failed.Add(1)
		}
		for _, r := range ex.Cards {
			for _, a := range r.Attempts {
				attempts.Add(1)
				if a.Status == 429 {
					rl429.Add(1)
				}
				if a.Wait > 0 {
					waits.Add(1)
				}
			}
		}
	}
	// start at a window boundary so the bound is comparable between runs
	time.Sleep(time.Until(time.Now().Truncate(window).Add(window)))
	start := time.Now()
	_, err := tn.ex.Run(context.Background(), main, map[string]any{"users": logins}, engine.RunOptions{})
	elapsed := time.Since(start)
	bound := time.Duration(float64(n) / limit * float64(window))
	st := tn.srv.Stats()
	report := map[string]any{
		"calls": n, "concurrency": conc, "limit": limit, "window": window.String(),
		"elapsed": elapsed.Round(time.Millisecond).String(), "bound": bound.Round(time.Millisecond).String(),
		"ratio": fmt.Sprintf("%.3f", float64(elapsed)/float64(bound)), "failedItems": failed.Load(),
		"attempts": attempts.Load(), "429sSeenByClient": rl429.Load(), "sandboxRateLimited": st.RateLimited,
		"sandboxConcurrencyRejected": st.ConcurrencyRejected, "userWriteRequests": st.Requests[sandbox.BucketUserWrite],
	}
	b, _ := json.MarshalIndent(report, "", "  ")
	t.Logf("governor benchmark:\n%s", b)
	if err != nil {
		t.Errorf("run failed: %v", err)
	}
	// the run's correctness, not its speed, is asserted
	if failed.Load() != 0 {
		t.Errorf("%d items failed", failed.Load())
	}
	if u, _ := tn.srv.User(logins[n-1].(string)); at(u, "profile", "title") != "Benchmarked" {
		t.Errorf("last user not updated")
	}
}

func envInt(k string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(k)); err == nil && v > 0 {
		return v
	}
	return def
}
