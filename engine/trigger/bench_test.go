package trigger_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// benchFlow is an API Endpoint flow of 10 function cards with history on
// (the same flow scripts/bench-endpoint.sh serves).
func benchFlow() *engine.Flow {
	from := func(card string, path ...string) *engine.Binding { return &engine.Binding{Card: card, Path: path} }
	in := func(key string, b *engine.Binding) engine.Field { return engine.Field{Key: key, From: b} }
	return &engine.Flow{Format: engine.FlowFormat, ID: "bench", Name: "Bench endpoint", Enabled: true,
		Settings: engine.Settings{History: true},
		Trigger: engine.Card{ID: "trigger", Type: trigger.TypeAPIEndpoint,
			Inputs:  []engine.Field{fld("security_level", "open"), fld("rateLimit", 1e9)},
			Outputs: []engine.Field{{Key: "name", Group: "body", Type: engine.T("string")}}},
		Cards: []engine.Card{
			{ID: "c1", Type: "text.trim", Inputs: []engine.Field{in("string", from("trigger", "name"))}},
			{ID: "c2", Type: "text.upper", Inputs: []engine.Field{in("string", from("c1", "output"))}},
			{ID: "c3", Type: "text.lower", Inputs: []engine.Field{in("string", from("c2", "output"))}},
			{ID: "c4", Type: "text.concat", Inputs: []engine.Field{fld("string1", "Hello, "), in("string2", from("c3", "output"))}},
			{ID: "c5", Type: "text.length", Inputs: []engine.Field{in("string", from("c4", "output"))}},
			{ID: "c6", Type: "flow.assign", Inputs: []engine.Field{{Key: "greeting", Type: engine.T("string"), From: from("c4", "output")},
				{Key: "len", Type: engine.T("number"), From: from("c5", "length")}}},
			{ID: "c7", Type: "text.concat", Inputs: []engine.Field{in("string1", from("c6", "greeting")), fld("string2", "!")}},
			{ID: "c8", Type: "text.upper", Inputs: []engine.Field{in("string", from("c7", "output"))}},
			{ID: "c9", Type: "text.trim", Inputs: []engine.Field{in("string", from("c8", "output"))}},
			{ID: "c10", Type: "flow.assign", Inputs: []engine.Field{{Key: "message", Type: engine.T("string"), From: from("c9", "output")},
				{Key: "length", Type: engine.T("number"), From: from("c6", "len")}}},
			{ID: "ret", Type: "flow.return", Inputs: []engine.Field{in("message", from("c10", "message")), in("length", from("c10", "length"))}},
		}}
}

// BenchmarkEndpoint drives the API Endpoint handler in-process (no
// sockets): request parsing, auth, rate limit, worker slot, execution of
// 10 cards, history write (batched), JSON response.
func BenchmarkEndpoint(b *testing.B) {
	e := newEnv(b, b.TempDir(), trigger.Options{}).start()
	defer e.close()
	e.put(benchFlow())
	h := e.rt.EndpointHandler()
	body := `{"name":"  ada  "}`
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("POST", "/api/flows/bench/invoke", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != 200 {
				b.Fatalf("%d %s", w.Code, w.Body.String())
			}
		}
	})
	b.StopTimer()
	e.st.Flush()
	_ = context.Background()
}
