// Package kittest runs a kit connector's cards against its fake in tests:
//
//	h := kittest.Start(t, slack.Connector, kittest.Options{Spec: v})
//	out, rec, err := h.Run("slack:sendMessageToChannel2", map[string]any{"channel": "C0FBGENERAL", "Text": "hi"})
//
// Every exchange goes through a kit.Recorder; with Options.Spec each one is
// checked against the vendor's API description and a mismatch fails t.
package kittest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
	"github.com/flowbench/flowbench/engine/trigger"
)

// Options tune Start.
type Options struct {
	// Spec validates every exchange the fake serves (nil: none).
	Spec *kit.SpecValidator
	// Fake is a fake already built (nil: the connector's Fake()). A
	// MultiFake gives the connection of the connector's kind.
	Fake kit.Fake
	// Connection edits the ready connection (e.g. another token).
	Connection func(*engine.Connection)
}

// Harness is a fake on loopback with an executor wired to it.
type Harness struct {
	T        testing.TB
	C        *kit.Connector
	Fake     kit.Fake
	URL      string
	Conn     *engine.Connection
	Rec      *kit.Recorder
	Exec     *engine.Executor
	Governor *httpx.Governor
	conns    Conns
}

// Conns is an in-memory connection source (and saver).
type Conns struct {
	mu sync.Mutex
	m  map[string]*engine.Connection
}

// Connection implements engine.ConnectionSource.
func (c *Conns) Connection(_ context.Context, id string) (*engine.Connection, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	x, ok := c.m[id]
	if !ok {
		return nil, fmt.Errorf("connection %q not found", id)
	}
	cp := *x
	return &cp, nil
}

// PutConnection stores a connection (refreshed tokens).
func (c *Conns) PutConnection(x *engine.Connection) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[x.ID] = x
	return nil
}

type nopHistory struct{}

func (nopHistory) Save(*engine.Execution) {}

// Start serves the connector's fake and wires an executor to it.
func Start(t testing.TB, c *kit.Connector, o Options) *Harness {
	t.Helper()
	f := o.Fake
	if f == nil {
		var err error
		if f, err = c.Fake(); err != nil {
			t.Fatal(err)
		}
	}
	rf, err := kit.Serve(c.ID, f, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rf.Close() })
	conn := rf.Connection()
	for _, x := range rf.Connections() { // a MultiFake: the connection of this connector's kind
		if x.Kind == c.ID {
			conn = x
		}
	}
	h := &Harness{T: t, C: c, Fake: f, URL: rf.URL, Conn: conn, Governor: httpx.NewGovernor(),
		Rec: &kit.Recorder{Base: httpx.DefaultTransport(), Validator: o.Spec, Fail: t.Errorf}}
	if o.Connection != nil {
		o.Connection(h.Conn)
	}
	h.conns.m = map[string]*engine.Connection{h.Conn.ID: h.Conn}
	h.Exec = engine.NewExecutor(engine.FlowMap{}, &h.conns, nopHistory{})
	h.Exec.Services["http"] = h.Rec
	h.Exec.Services["governor"] = h.Governor
	h.Exec.Services["connections"] = &h.conns
	return h
}

// PutConnection replaces the harness connection (a token stored by Authorize).
func (h *Harness) PutConnection(c *engine.Connection) error {
	h.Conn = c
	return h.conns.PutConnection(c)
}

// Run runs one card (by Okta kind or native id) in a one-card flow with
// static inputs and returns its outputs and the execution.
func (h *Harness) Run(kind string, inputs map[string]any) (map[string]any, *engine.Execution, error) {
	h.T.Helper()
	spec, ok := engine.Default().ByOkta(kind)
	if !ok {
		if spec, ok = engine.Default().Card(kind); !ok {
			h.T.Fatalf("no card %q", kind)
		}
	}
	c := engine.Card{ID: "card", Type: spec.ID, Connection: h.Conn.ID}
	for k, v := range inputs {
		f := engine.Field{Key: k, Value: v}
		if fs := spec.InputSpec(k); fs != nil {
			f.Group = fs.Group
		} else {
			f.Type = engine.T("any")
		}
		c.Inputs = append(c.Inputs, f)
	}
	fl := &engine.Flow{Format: engine.FlowFormat, ID: "kittest-" + engine.NewID(), Name: "test " + kind,
		Settings: engine.Settings{History: true}, Trigger: engine.Card{ID: "trigger", Type: "flow.manual"}, Cards: []engine.Card{c}}
	ex, err := h.Exec.Run(context.Background(), fl, nil, engine.RunOptions{})
	h.Exec.Invalidate(fl.ID)
	if ex != nil {
		for _, r := range ex.Cards {
			if r.ID == "card" {
				return r.Outputs, ex, err
			}
		}
	}
	return nil, ex, err
}

// MustRun is Run that fails the test on an error.
func (h *Harness) MustRun(kind string, inputs map[string]any) map[string]any {
	h.T.Helper()
	out, _, err := h.Run(kind, inputs)
	if err != nil {
		h.T.Fatalf("%s: %v", kind, err)
	}
	return out
}

// Triggers is an app's fake served on a local address with a store that
// holds its connection, an executor and a started trigger runtime, for
// event-card tests; the test's cleanup stops them all.
type Triggers struct {
	Store *store.Store
	Exec  *engine.Executor
	RT    *trigger.Runtime
	Conn  *engine.Connection
}

// ServeTriggers serves f as app's fake and starts a trigger runtime on a
// store that holds the fake's connection.
func ServeTriggers(t testing.TB, app string, f kit.Fake) *Triggers {
	t.Helper()
	rf, err := kit.Serve(app, f, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rf.Close() })
	st, err := store.Open(t.TempDir(), store.Options{Key: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	conn := rf.Connection()
	if err := st.PutConnection(conn); err != nil {
		t.Fatal(err)
	}
	ex := engine.NewExecutor(st, st, st)
	ex.Services["governor"] = httpx.NewGovernor()
	rt := trigger.New(ex, st, trigger.Options{ResyncEvery: -1})
	if err := rt.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Stop(); ex.Wait(); _ = st.Close() })
	return &Triggers{Store: st, Exec: ex, RT: rt, Conn: conn}
}

// SpecFile loads a vendor's API description file (kit.NewSpecValidator with
// prefix); an error fails the test.
func SpecFile(t testing.TB, file, prefix string) *kit.SpecValidator {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	v, err := kit.NewSpecValidator(data, prefix)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
