package telemetry

import (
	"context"
	"testing"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// Without an exporter (no recorded spans) and with debug logs off, observing
// a card allocates nothing: it runs for every card of every execution.
func TestCardObservationWithoutExporterDoesNotAllocate(t *testing.T) {
	ctx := context.Background()
	ex := &engine.Execution{ID: "x", Flow: "f"}
	c := &engine.Card{ID: "c1", Type: "text.upper"}
	now := time.Now()
	rec := engine.CardRecord{ID: "c1", Type: "text.upper", Status: "success", Started: now, Ended: now.Add(time.Microsecond)}
	Observer{}.EndCard(Observer{}.StartCard(ctx, ex, c), ex, rec) // histogram child created
	if n := testing.AllocsPerRun(100, func() {
		Observer{}.EndCard(Observer{}.StartCard(ctx, ex, c), ex, rec)
	}); n != 0 {
		t.Fatalf("StartCard+EndCard without an exporter: %v allocations, want 0", n)
	}
}

func BenchmarkCardObservation(b *testing.B) {
	ctx := context.Background()
	ex := &engine.Execution{ID: "x", Flow: "f"}
	c := &engine.Card{ID: "c1", Type: "text.upper"}
	now := time.Now()
	rec := engine.CardRecord{ID: "c1", Type: "text.upper", Status: "success", Started: now, Ended: now.Add(time.Microsecond)}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Observer{}.EndCard(Observer{}.StartCard(ctx, ex, c), ex, rec)
	}
}
