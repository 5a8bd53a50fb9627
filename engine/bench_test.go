package engine_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

// benchFlow is a trigger plus n function cards, each binding the previous
// card's output (the shape of a typical data-step chain).
func benchFlow(n int, history bool) *engine.Flow {
	f := &engine.Flow{Format: engine.FlowFormat, ID: fmt.Sprintf("bench-%d-%v", n, history), Name: "bench",
		Settings: engine.Settings{History: history},
		Trigger:  engine.Card{ID: "trigger", Type: "flow.manual", Outputs: []engine.Field{{Key: "name", Type: engine.T("string")}}}}
	prev := engine.Binding{Card: "trigger", Path: []string{"name"}}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("c%d", i)
		f.Cards = append(f.Cards, engine.Card{ID: id, Type: "flow.assign",
			Inputs: []engine.Field{{Key: "value", Type: engine.T("string"), From: &engine.Binding{Card: prev.Card, Path: prev.Path}}, {Key: "n", Type: engine.T("number"), Value: float64(i)}}})
		prev = engine.Binding{Card: id, Path: []string{"value"}}
	}
	return f
}

// BenchmarkFunctionCard reports the engine's overhead per function card:
// binding resolution, conversion, input and output schema checks, record.
func BenchmarkFunctionCard(b *testing.B) {
	const n = 50
	f := benchFlow(n, false)
	e := engine.NewExecutor(nil, nil, nil)
	in := map[string]any{"name": "alice"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.Run(context.Background(), f, in, engine.RunOptions{ID: "x"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/card")
}

// BenchmarkExecution runs a 10-card flow with history off and on (history
// in a real Badger store, written in batches).
func BenchmarkExecution(b *testing.B) {
	for _, hist := range []bool{false, true} {
		b.Run(fmt.Sprintf("history=%v", hist), func(b *testing.B) {
			s, err := store.Open(b.TempDir(), store.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			f := benchFlow(10, hist)
			e := engine.NewExecutor(nil, nil, s)
			in := map[string]any{"name": "alice"}
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := e.Run(context.Background(), f, in, engine.RunOptions{}); err != nil {
						b.Fatal(err)
					}
				}
			})
			s.Flush()
		})
	}
}
