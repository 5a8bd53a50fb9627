package trigger

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// metrics are kept in memory and written in Prometheus text format.
type metrics struct {
	mu       sync.Mutex
	execs    map[[4]string]uint64 // flow id, flow name, status, trigger
	http     map[[2]string]uint64 // connector, status
	rejected map[string]uint64
	accept   map[string]uint64
	dups     uint64
	lagSum   map[string]float64
	lagCount map[string]uint64
	lagMax   map[string]float64
}

func newMetrics() *metrics {
	return &metrics{execs: map[[4]string]uint64{}, http: map[[2]string]uint64{}, rejected: map[string]uint64{},
		accept: map[string]uint64{}, lagSum: map[string]float64{}, lagCount: map[string]uint64{}, lagMax: map[string]float64{}}
}

func (m *metrics) finished(ex *engine.Execution, reg *engine.Registry) {
	m.mu.Lock()
	m.execs[[4]string{ex.Flow, ex.FlowName, ex.Status, ex.Trigger}]++
	m.mu.Unlock()
	for i := range ex.Cards {
		c := &ex.Cards[i]
		if len(c.Attempts) == 0 {
			continue
		}
		app := "unknown"
		if s, ok := reg.Card(c.Type); ok && s.App != "" {
			app = s.App
		}
		m.mu.Lock()
		for _, a := range c.Attempts {
			st := "error"
			if a.Status > 0 {
				st = strconv.Itoa(a.Status)
			}
			m.http[[2]string{app, st}]++
		}
		m.mu.Unlock()
	}
}

func (m *metrics) reject(reason string) {
	m.mu.Lock()
	m.rejected[reason]++
	m.mu.Unlock()
}

func (m *metrics) accepted(trigger string, n int) {
	m.mu.Lock()
	m.accept[trigger] += uint64(n)
	m.mu.Unlock()
}

func (m *metrics) duplicates(n int) {
	m.mu.Lock()
	m.dups += uint64(n)
	m.mu.Unlock()
}

func (m *metrics) lag(trigger string, d time.Duration) {
	s := d.Seconds()
	if s < 0 {
		s = 0
	}
	m.mu.Lock()
	m.lagSum[trigger] += s
	m.lagCount[trigger]++
	if s > m.lagMax[trigger] {
		m.lagMax[trigger] = s
	}
	m.mu.Unlock()
}

func esc(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

// Metrics serves /metrics in the Prometheus text exposition format.
func (r *Runtime) Metrics() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		r.WriteMetrics(w)
	})
}

// WriteMetrics writes the exposition text.
func (r *Runtime) WriteMetrics(w io.Writer) {
	m := r.m
	var b strings.Builder
	m.mu.Lock()
	b.WriteString("# HELP flowbench_executions_total Finished executions by flow, status and trigger.\n# TYPE flowbench_executions_total counter\n")
	keys := make([][4]string, 0, len(m.execs))
	for k := range m.execs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
	for _, k := range keys {
		fmt.Fprintf(&b, "flowbench_executions_total{flow=\"%s\",flow_name=\"%s\",status=\"%s\",trigger=\"%s\"} %d\n",
			esc(k[0]), esc(k[1]), esc(k[2]), esc(k[3]), m.execs[k])
	}
	b.WriteString("# HELP flowbench_http_requests_total Outside HTTP calls made by cards, by connector and status.\n# TYPE flowbench_http_requests_total counter\n")
	hk := make([][2]string, 0, len(m.http))
	for k := range m.http {
		hk = append(hk, k)
	}
	sort.Slice(hk, func(i, j int) bool { return hk[i][0]+hk[i][1] < hk[j][0]+hk[j][1] })
	for _, k := range hk {
		fmt.Fprintf(&b, "flowbench_http_requests_total{connector=\"%s\",status=\"%s\"} %d\n", esc(k[0]), esc(k[1]), m.http[k])
	}
	b.WriteString("# HELP flowbench_trigger_accepted_total Triggers accepted into the queue or run, by trigger.\n# TYPE flowbench_trigger_accepted_total counter\n")
	for _, k := range slices.Sorted(maps.Keys(m.accept)) {
		fmt.Fprintf(&b, "flowbench_trigger_accepted_total{trigger=\"%s\"} %d\n", esc(k), m.accept[k])
	}
	b.WriteString("# HELP flowbench_trigger_rejected_total Trigger requests refused, by reason.\n# TYPE flowbench_trigger_rejected_total counter\n")
	for _, k := range slices.Sorted(maps.Keys(m.rejected)) {
		fmt.Fprintf(&b, "flowbench_trigger_rejected_total{reason=\"%s\"} %d\n", esc(k), m.rejected[k])
	}
	fmt.Fprintf(&b, "# HELP flowbench_trigger_duplicates_total Events dropped as already seen.\n# TYPE flowbench_trigger_duplicates_total counter\nflowbench_trigger_duplicates_total %d\n", m.dups)
	b.WriteString("# HELP flowbench_trigger_lag_seconds Time from event (or scheduled time) to execution start.\n# TYPE flowbench_trigger_lag_seconds summary\n")
	for _, k := range slices.Sorted(maps.Keys(m.lagCount)) {
		fmt.Fprintf(&b, "flowbench_trigger_lag_seconds_sum{trigger=\"%s\"} %g\nflowbench_trigger_lag_seconds_count{trigger=\"%s\"} %d\n", esc(k), m.lagSum[k], esc(k), m.lagCount[k])
	}
	b.WriteString("# HELP flowbench_trigger_lag_max_seconds Largest trigger lag seen.\n# TYPE flowbench_trigger_lag_max_seconds gauge\n")
	for _, k := range slices.Sorted(maps.Keys(m.lagMax)) {
		fmt.Fprintf(&b, "flowbench_trigger_lag_max_seconds{trigger=\"%s\"} %g\n", esc(k), m.lagMax[k])
	}
	m.mu.Unlock()
	total, _, _ := r.d.stats("")
	fmt.Fprintf(&b, "# HELP flowbench_queue_depth Accepted triggers waiting for a worker.\n# TYPE flowbench_queue_depth gauge\nflowbench_queue_depth %d\n", total)
	fmt.Fprintf(&b, "# HELP flowbench_api_waiting API requests waiting for a worker.\n# TYPE flowbench_api_waiting gauge\nflowbench_api_waiting %d\n", r.apiWaiting.Load())
	fmt.Fprintf(&b, "# HELP flowbench_workers_busy Executions running now.\n# TYPE flowbench_workers_busy gauge\nflowbench_workers_busy %d\n", len(r.slots))
	r.mu.RLock()
	n := len(r.active)
	r.mu.RUnlock()
	fmt.Fprintf(&b, "# HELP flowbench_flows_listening Flows whose trigger is on.\n# TYPE flowbench_flows_listening gauge\nflowbench_flows_listening %d\n", n)
	_, _ = io.WriteString(w, b.String())
}
