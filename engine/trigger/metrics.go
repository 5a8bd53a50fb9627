package trigger

import (
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/telemetry"
)

// metrics are the trigger runtime's Prometheus metrics, in a registry of
// the runtime's own (tests run several runtimes in one process). /metrics
// serves them together with the process-wide telemetry.Registry (run and
// card duration histograms, Go runtime, process).
type metrics struct {
	reg      *prometheus.Registry
	execs    *prometheus.CounterVec
	http     *prometheus.CounterVec
	rejected *prometheus.CounterVec
	accept   *prometheus.CounterVec
	dups     prometheus.Counter
	lagSec   *prometheus.HistogramVec
}

func newMetrics(r *Runtime) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		execs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "flowbench_executions_total",
			Help: "Finished executions by flow, status and trigger."}, []string{"flow", "flow_name", "status", "trigger"}),
		http: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "flowbench_http_requests_total",
			Help: "Outside HTTP calls made by cards, by connector and status."}, []string{"connector", "status"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "flowbench_trigger_rejected_total",
			Help: "Trigger requests refused, by reason."}, []string{"reason"}),
		accept: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "flowbench_trigger_accepted_total",
			Help: "Triggers accepted into the queue or run, by trigger."}, []string{"trigger"}),
		dups: prometheus.NewCounter(prometheus.CounterOpts{Name: "flowbench_trigger_duplicates_total",
			Help: "Events dropped as already seen."}),
		lagSec: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "flowbench_trigger_lag_seconds",
			Help:    "Time from event (or scheduled time) to execution start.",
			Buckets: []float64{.005, .01, .05, .1, .5, 1, 5, 15, 30, 60, 300}}, []string{"trigger"}),
	}
	gauge := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f)
	}
	m.reg.MustRegister(m.execs, m.http, m.rejected, m.accept, m.dups, m.lagSec,
		gauge("flowbench_queue_depth", "Accepted triggers waiting for a worker.", func() float64 {
			total, _, _ := r.d.stats("")
			return float64(total)
		}),
		gauge("flowbench_api_waiting", "API requests waiting for a worker.", func() float64 { return float64(r.apiWaiting.Load()) }),
		gauge("flowbench_workers_busy", "Executions running now.", func() float64 { return float64(len(r.slots)) }),
		gauge("flowbench_flows_listening", "Flows whose trigger is on.", func() float64 {
			r.mu.RLock()
			defer r.mu.RUnlock()
			return float64(len(r.active))
		}),
	)
	return m
}

func (m *metrics) finished(ex *engine.Execution, reg *engine.Registry) {
	m.execs.WithLabelValues(ex.Flow, ex.FlowName, ex.Status, ex.Trigger).Inc()
	for i := range ex.Cards {
		c := &ex.Cards[i]
		if len(c.Attempts) == 0 {
			continue
		}
		app := "unknown"
		if s, ok := reg.Card(c.Type); ok && s.App != "" {
			app = s.App
		}
		for _, a := range c.Attempts {
			st := "error"
			if a.Status > 0 {
				st = strconv.Itoa(a.Status)
			}
			m.http.WithLabelValues(app, st).Inc()
		}
	}
}

func (m *metrics) reject(reason string) { m.rejected.WithLabelValues(reason).Inc() }

func (m *metrics) accepted(trigger string, n int) { m.accept.WithLabelValues(trigger).Add(float64(n)) }

func (m *metrics) duplicates(n int) { m.dups.Add(float64(n)) }

func (m *metrics) lag(trigger string, d time.Duration) {
	m.lagSec.WithLabelValues(trigger).Observe(max(d.Seconds(), 0))
}

// Metrics serves /metrics in the Prometheus exposition format: the
// runtime's metrics and the process-wide ones.
func (r *Runtime) Metrics() http.Handler { return telemetry.Handler(r.m.reg) }

// WriteMetrics writes the runtime's metrics and the process-wide ones as
// exposition text.
func (r *Runtime) WriteMetrics(w io.Writer) {
	mfs, err := prometheus.Gatherers{telemetry.Registry, r.m.reg}.Gather()
	if err != nil {
		return
	}
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		_ = enc.Encode(mf)
	}
}
