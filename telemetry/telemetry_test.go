package telemetry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/telemetry"
)

// upstream is an outside API: /ok answers 200, /missing 404. It keeps the
// traceparent headers it saw.
type upstream struct {
	*httptest.Server
	mu      sync.Mutex
	parents []string
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.mu.Lock()
		u.parents = append(u.parents, r.Header.Get("traceparent"))
		u.mu.Unlock()
		if r.URL.Path == "/missing" {
			http.Error(w, `{"errorSummary":"not found"}`, 404)
			return
		}
		w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(u.Close)
	return u
}

var registerOnce sync.Once

// The test card "telemetry.fetch" (connector "testapi") GETs its path from
// an upstream through the shared HTTP client and logs one line.
func registerCard() {
	registerOnce.Do(func() {
		cl := httpx.New(httpx.Options{Policy: httpx.Policy{Attempts: 1}})
		engine.Register(&engine.Spec{ID: "telemetry.fetch", Title: "Fetch", Category: "Test", App: "testapi", Kind: engine.KindAction,
			Inputs:  []engine.FieldSpec{{Key: "path", Type: engine.T("string"), Required: true}},
			Outputs: []engine.FieldSpec{{Key: "status", Type: engine.T("number")}},
			Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				slog.InfoContext(ctx, "fetching", "path", in.Values["path"])
				resp, err := cl.Do(ctx, &httpx.Request{Method: "GET", URL: in.Values["path"].(string), OnAttempt: in.Run.Attempt})
				if err != nil {
					return nil, err
				}
				if resp.Status >= 400 {
					return nil, &engine.HTTPError{Status: resp.Status, Summary: "not found"}
				}
				return engine.Outputs{"status": float64(resp.Status)}, nil
			}})
	})
}

func flow(id, base, path string) *engine.Flow {
	return &engine.Flow{Format: engine.FlowFormat, ID: id, Name: "Fetch " + id,
		Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards: []engine.Card{
			{ID: "first", Type: "telemetry.fetch", Title: "First", Inputs: []engine.Field{{Key: "path", Value: base + path}}},
			{ID: "second", Type: "telemetry.fetch", Title: "Second", Inputs: []engine.Field{{Key: "path", Value: base + "/ok"}}},
		}}
}

func setup(t *testing.T) (*upstream, *engine.Executor) {
	u := newUpstream(t)
	registerCard()
	telemetry.Install()
	return u, engine.NewExecutor(nil, nil, nil)
}

func scrape(t *testing.T) string {
	srv := httptest.NewServer(telemetry.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// metricValue finds the value of one exposition line by its exact name and labels.
func metricValue(t *testing.T, text, series string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no series %s in:\n%s", series, grepLines(text, strings.SplitN(series, "{", 2)[0]))
	}
	return m[1]
}

func grepLines(text, prefix string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestMetricsHistogramsAfterRuns(t *testing.T) {
	u, ex := setup(t)
	ctx := t.Context()
	for range 2 {
		if _, err := ex.Run(ctx, flow("metrics-ok", u.URL, "/ok"), nil, engine.RunOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ex.Run(ctx, flow("metrics-bad", u.URL, "/missing"), nil, engine.RunOptions{}); err == nil {
		t.Fatal("the /missing run should fail")
	}
	text := scrape(t)
	for series, want := range map[string]string{
		`flowbench_execution_duration_seconds_bucket{flow="metrics-ok",status="success",le="+Inf"}`:     "2",
		`flowbench_execution_duration_seconds_count{flow="metrics-ok",status="success"}`:                "2",
		`flowbench_execution_duration_seconds_bucket{flow="metrics-bad",status="failed",le="+Inf"}`:     "1",
		`flowbench_card_duration_seconds_bucket{card_type="telemetry.fetch",status="failed",le="+Inf"}`: "1",
	} {
		if got := metricValue(t, text, series); got != want {
			t.Errorf("%s = %s, want %s", series, got, want)
		}
	}
	// every card that ran: 2 × 2 successful + none after the failure
	if got := metricValue(t, text, `flowbench_card_duration_seconds_count{card_type="telemetry.fetch",status="success"}`); got != "4" {
		t.Errorf("successful card runs %s, want 4", got)
	}
	// outside calls by connector and status: four 200s, one 404
	if got := metricValue(t, text, `flowbench_outside_call_duration_seconds_count{connector="testapi",status="200"}`); got != "4" {
		t.Errorf("200 calls %s", got)
	}
	if got := metricValue(t, text, `flowbench_outside_call_duration_seconds_bucket{connector="testapi",status="404",le="+Inf"}`); got != "1" {
		t.Errorf("404 calls %s", got)
	}
	// buckets are cumulative and end at the count
	lines := grepLines(text, `flowbench_execution_duration_seconds_bucket{flow="metrics-ok"`)
	if n := strings.Count(lines, "\n") + 1; n != 17 {
		t.Errorf("want 16 buckets + Inf, got %d lines:\n%s", n, lines)
	}
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes", "process_cpu_seconds_total"} {
		if !regexp.MustCompile(`(?m)^` + name + ` `).MatchString(text) {
			t.Errorf("runtime/process collector metric %s missing", name)
		}
	}
}

func TestTracesSpanPerExecutionAndCard(t *testing.T) {
	u, ex := setup(t)
	exp := tracetest.NewInMemoryExporter()
	tp := telemetry.NewTracerProvider(sdktrace.WithSyncer(exp))
	prev := otel.GetTracerProvider()
	otel.SetTracerProvider(tp)
	t.Cleanup(func() { otel.SetTracerProvider(prev); _ = tp.Shutdown(context.Background()) })
	u.mu.Lock()
	u.parents = nil
	u.mu.Unlock()

	run, err := ex.Run(t.Context(), flow("traced", u.URL, "/ok"), nil, engine.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	spans := exp.GetSpans()
	if len(spans) != 3 {
		t.Fatalf("want 1 execution + 2 card spans, got %d: %v", len(spans), spans)
	}
	var root tracetest.SpanStub
	cards := map[string]tracetest.SpanStub{}
	for _, s := range spans {
		attrs := map[string]string{}
		for _, a := range s.Attributes {
			attrs[string(a.Key)] = a.Value.Emit()
		}
		switch {
		case s.Name == "execution Fetch traced":
			root = s
			if attrs["flowbench.execution.id"] != run.ID || attrs["flowbench.flow.id"] != "traced" || attrs["flowbench.status"] != "success" {
				t.Errorf("execution span attributes %v", attrs)
			}
		case s.Name == "card telemetry.fetch":
			cards[attrs["flowbench.card.id"]] = s
		default:
			t.Errorf("unexpected span %q", s.Name)
		}
	}
	if !root.SpanContext.IsValid() || len(cards) != 2 {
		t.Fatalf("root %v cards %v", root.Name, cards)
	}
	for id, s := range cards {
		if s.Parent.SpanID() != root.SpanContext.SpanID() || s.SpanContext.TraceID() != root.SpanContext.TraceID() {
			t.Errorf("card %s span is not a child of the execution span", id)
		}
	}
	if !root.Resource.Set().HasValue("service.name") {
		t.Error("no service.name on the resource")
	}
	// the outside calls carried the card span as traceparent
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.parents) != 2 {
		t.Fatalf("upstream saw %d calls", len(u.parents))
	}
	for i, id := range []string{"first", "second"} {
		want := "00-" + root.SpanContext.TraceID().String() + "-" + cards[id].SpanContext.SpanID().String() + "-01"
		if u.parents[i] != want {
			t.Errorf("call %d traceparent %q, want %q", i, u.parents[i], want)
		}
	}
}

func TestLogLinesOfARunCarryExecutionAndFlow(t *testing.T) {
	u, ex := setup(t)
	var buf bytes.Buffer
	h, err := telemetry.NewLogHandler(&buf, "json", "debug")
	if err != nil {
		t.Fatal(err)
	}
	prev := slog.Default()
	telemetry.SetLogger(h)
	t.Cleanup(func() { slog.SetDefault(prev) })
	run, _ := ex.Run(t.Context(), flow("logged", u.URL, "/missing"), nil, engine.RunOptions{})
	slog.Info("outside any run")
	var inRun, outside int
	msgs := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		msgs[rec["msg"].(string)] = true
		if rec["msg"] == "outside any run" {
			outside++
			if _, has := rec["execution_id"]; has {
				t.Error("a line outside a run has an execution id")
			}
			continue
		}
		inRun++
		if rec["execution_id"] != run.ID || rec["flow_id"] != "logged" {
			t.Errorf("run line without its ids: %s", line)
		}
	}
	for _, m := range []string{"execution started", "fetching", "card failed", "execution failed"} {
		if !msgs[m] {
			t.Errorf("no %q line in:\n%s", m, buf.String())
		}
	}
	if inRun < 4 || outside != 1 {
		t.Fatalf("%d run lines, %d outside", inRun, outside)
	}
	if _, err := telemetry.NewLogHandler(&buf, "xml", "info"); err == nil {
		t.Error("format xml accepted")
	}
	if _, err := telemetry.NewLogHandler(&buf, "text", "loud"); err == nil {
		t.Error("level loud accepted")
	}
}
