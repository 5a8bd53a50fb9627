package fakeapi

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
)

// Harness runs connector cards against a fake in tests: an executor whose
// "http" service validates every exchange (when a Validator is given) and
// one connection, id "conn".
type Harness struct {
	URL  string
	Conn *engine.Connection
	Exec *engine.Executor
	Hist *History
}

// History keeps the executions a harness ran.
type History struct{ Runs []*engine.Execution }

// Save records an execution.
func (h *History) Save(e *engine.Execution) { h.Runs = append(h.Runs, e) }

// ConnMap serves connections by id (engine's connection source for a
// test executor); each lookup returns a copy.
type ConnMap map[string]*engine.Connection

// Connection returns a copy of the connection id.
func (m ConnMap) Connection(_ context.Context, id string) (*engine.Connection, error) {
	c, ok := m[id]
	if !ok {
		return nil, fmt.Errorf("connection %q not found", id)
	}
	cp := *c
	return &cp, nil
}

// NewHarness serves h on a test server and wires an executor with the
// connection conn makes for its URL. v may be nil.
func NewHarness(t testing.TB, h http.Handler, v *Validator, conn func(url string) *engine.Connection) *Harness {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := conn(srv.URL)
	c.ID = "conn"
	hs := &Harness{URL: srv.URL, Conn: c, Hist: &History{}}
	hs.Exec = engine.NewExecutor(engine.FlowMap{}, ConnMap{"conn": c}, hs.Hist)
	var rt http.RoundTripper = httpx.DefaultTransport()
	if v != nil {
		rt = v.Transport(t, rt)
	}
	hs.Exec.Services["http"] = rt
	hs.Exec.Services["governor"] = httpx.NewGovernor()
	return hs
}

// Card runs one card (native id or Okta kind) with static inputs in a
// one-card flow; it returns the outputs and the execution.
func (hs *Harness) Card(t testing.TB, typ string, inputs map[string]any) (map[string]any, *engine.Execution, error) {
	t.Helper()
	spec, ok := engine.Default().Card(typ)
	if !ok {
		t.Fatalf("no card %q", typ)
	}
	c := engine.Card{ID: "card", Type: spec.ID, Connection: "conn"}
	for _, k := range slices.Sorted(maps.Keys(inputs)) {
		f := engine.Field{Key: k, Value: inputs[k]}
		if spec.InputSpec(k) == nil {
			f.Type = engine.T("any")
		}
		c.Inputs = append(c.Inputs, f)
	}
	f := &engine.Flow{Format: engine.FlowFormat, ID: "t-" + engine.NewID(), Name: "test " + typ,
		Settings: engine.Settings{History: true}, Trigger: engine.Card{ID: "trigger", Type: "flow.manual"}, Cards: []engine.Card{c}}
	ex, err := hs.Exec.Run(context.Background(), f, nil, engine.RunOptions{})
	hs.Exec.Invalidate(f.ID)
	if ex != nil {
		for _, r := range ex.Cards {
			if r.ID == "card" {
				return r.Outputs, ex, err
			}
		}
	}
	return nil, ex, err
}

// Must is Card that fails the test on an error.
func (hs *Harness) Must(t testing.TB, typ string, inputs map[string]any) map[string]any {
	t.Helper()
	out, _, err := hs.Card(t, typ, inputs)
	if err != nil {
		t.Fatalf("%s: %v", typ, err)
	}
	return out
}
