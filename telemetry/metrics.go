package telemetry

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry holds the process's metrics: the run histograms below and the Go
// runtime and process collectors. Parts with their own metrics (the trigger
// runtime) register theirs in a registry of their own and serve both
// through Handler.
var Registry = prometheus.NewRegistry()

// Buckets for run and card durations (seconds): flows are mostly fast
// function cards with a few outside calls.
var durationBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

var (
	executionDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "flowbench_execution_duration_seconds",
		Help:    "Duration of finished flow executions, by flow and status.",
		Buckets: durationBuckets,
	}, []string{"flow", "status"})
	cardDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "flowbench_card_duration_seconds",
		Help:    "Duration of card runs, by card type and status.",
		Buckets: durationBuckets,
	}, []string{"card_type", "status"})
	outsideCall = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "flowbench_outside_call_duration_seconds",
		Help:    "Latency of outside HTTP calls made by cards (each attempt), by connector and HTTP status (\"error\" when no response).",
		Buckets: durationBuckets,
	}, []string{"connector", "status"})
)

func init() {
	Registry.MustRegister(executionDuration, cardDuration, outsideCall,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
}

// Handler serves the exposition of Registry plus the given gatherers.
func Handler(more ...prometheus.Gatherer) http.Handler {
	g := prometheus.Gatherers(append([]prometheus.Gatherer{Registry}, more...))
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{})
}
