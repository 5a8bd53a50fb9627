package store

import (
	"slices"
	"testing"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// benchExecution is shaped like the load benchmark's run: one input, ten
// function cards passing the same text along, an HTTP call.
func benchExecution() *engine.Execution {
	e := &engine.Execution{FlowName: "Bench endpoint", Input: map[string]any{"name": "  ada  "},
		Outputs: map[string]any{"message": "HELLO, ADA!", "length": float64(10)}}
	for _, out := range []map[string]any{
		{"output": "ada"}, {"output": "ADA"}, {"output": "ada"}, {"output": "Hello, ada"}, {"length": float64(10)},
		{"greeting": "Hello, ada", "len": float64(10)}, {"output": "Hello, ada!"}, {"output": "HELLO, ADA!"},
		{"output": "HELLO, ADA!"}, {"message": "HELLO, ADA!", "length": float64(10)},
		{"statusCode": float64(200), "headers": map[string]any{"Date": "Tue, 01 Dec 2026"},
			"body": map[string]any{"status": "ok", "listening": float64(1), "queued": float64(0)}},
	} {
		e.Cards = append(e.Cards, engine.CardRecord{Outputs: out})
	}
	return e
}

func TestTextTokens(t *testing.T) {
	got := textTokens(benchExecution())
	want := []string{"ada", "bench", "endpoint", "hello", "ok"}
	if !slices.Equal(got, want) {
		t.Fatalf("words %q, want %q", got, want)
	}
	// a text repeated by later cards adds nothing; a distinct one still counts
	e := benchExecution()
	e.Cards = append(e.Cards, engine.CardRecord{Outputs: map[string]any{"a": "Hello, ada", "b": "grace@example.com"}})
	got = textTokens(e)
	want = []string{"ada", "bench", "com", "endpoint", "example", "grace", "grace@example.com", "hello", "ok"}
	if !slices.Equal(got, want) {
		t.Fatalf("words %q, want %q", got, want)
	}
	// the run's own id and start time (trigger context) are no words
	e = benchExecution()
	e.ID, e.Started = "01a233013d4a0001f7464de581a77a52", time.Date(2026, 12, 1, 19, 7, 28, 970e6, time.UTC)
	e.Cards[0].Outputs["context"] = map[string]any{"execution_id": e.ID, "execution_time": "2026-12-01T19:07:28.970Z"}
	if got, want := textTokens(e), []string{"ada", "bench", "endpoint", "hello", "ok"}; !slices.Equal(got, want) {
		t.Fatalf("words %q, want %q", got, want)
	}
	// invalid UTF-8 is dropped from a word, and what is left under two bytes is no word
	e = &engine.Execution{Input: map[string]any{"x": "a\xff b\xffc"}}
	if got := textTokens(e); !slices.Equal(got, []string{"bc"}) {
		t.Fatalf("words %q, want [bc]", got)
	}
}

// go test -run '^$' -bench TextTokens ./engine/store/
func BenchmarkTextTokens(b *testing.B) {
	e := benchExecution()
	b.ReportAllocs()
	for b.Loop() {
		textTokens(e)
	}
}

// A failed run is found by what History shows of its error: the message,
// the failed card's title, the error code and the HTTP status.
func TestTextTokensOfErrors(t *testing.T) {
	ce := &engine.CardError{Message: "Not found: Resource not found: nobody@example.com (User)", Card: "ru", Title: "Read User",
		Status: 404, Code: "E0000007"}
	e := &engine.Execution{FlowName: "Sync", Error: ce, Cards: []engine.CardRecord{{ID: "ru", Error: ce}}}
	got := textTokens(e)
	for _, w := range []string{"e0000007", "404", "read", "user", "nobody@example.com", "sync"} {
		if !slices.Contains(got, w) {
			t.Fatalf("words %q lack %q", got, w)
		}
	}
	s, err := Open(t.TempDir(), Options{Key: histKey})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e.ID, e.Flow, e.Status, e.Started, e.Ended = engine.NewID(), "sync", engine.StatusFailed, time.Now(), time.Now()
	s.Save(e)
	s.Flush()
	for _, q := range []string{"E0000007", "404", "read user"} {
		if l, err := s.Executions(Query{Text: q}); err != nil || len(l) != 1 || l[0].ID != e.ID {
			t.Fatalf("search %q: %v %+v", q, err, l)
		}
	}
}
