package trigger_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	_ "github.com/flowbench/flowbench/connectors/api"
	_ "github.com/flowbench/flowbench/connectors/functions"
	_ "github.com/flowbench/flowbench/connectors/schedule"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
	"github.com/flowbench/flowbench/engine/trigger"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// gates let test.block cards wait until the test opens them.
var (
	gateMu sync.Mutex
	gates  = map[string]chan struct{}{}
)

func gate(name string) chan struct{} {
	gateMu.Lock()
	defer gateMu.Unlock()
	g := gates[name]
	if g == nil {
		g = make(chan struct{})
		gates[name] = g
	}
	return g
}

// freshGate starts a gate closed again (tests run with -count=N).
func freshGate(name string) chan struct{} {
	gateMu.Lock()
	defer gateMu.Unlock()
	g := make(chan struct{})
	gates[name] = g
	return g
}

func init() {
	engine.Register(&engine.Spec{ID: "test.block", Title: "Block", Kind: engine.KindFunction,
		Inputs: []engine.FieldSpec{{Key: "gate", Type: engine.T("string")}},
		Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
			select {
			case <-gate(engine.ToText(in.Values["gate"])):
				return engine.Outputs{}, nil
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}})
	engine.Register(&engine.Spec{ID: "test.event", Title: "Test Event", Kind: engine.KindTrigger, ExtensibleOutputs: true})
	trigger.RegisterEvents(&trigger.EventProvider{
		Name:    "test",
		Handles: func(t string) bool { return t == "test.event" },
		Verify: func(r *http.Request) (any, bool) {
			c := r.Header.Get("x-okta-verification-challenge")
			return map[string]any{"verification": c}, c != ""
		},
		Parse: func(f *engine.Flow, _ http.Header, body []byte) ([]trigger.Event, error) {
			var p struct {
				Data *struct {
					Events []struct {
						UUID string `json:"uuid"`
						Name string `json:"name"`
					} `json:"events"`
				} `json:"data"`
			}
			if err := json.Unmarshal(body, &p); err != nil {
				return nil, err
			}
			if p.Data == nil {
				return nil, errors.New("no data.events")
			}
			var out []trigger.Event
			for _, e := range p.Data.Events {
				out = append(out, trigger.Event{ID: e.UUID, Input: map[string]any{"name": e.Name}})
			}
			return out, nil
		},
	})
}

type env struct {
	t   testing.TB
	dir string
	st  *store.Store
	ex  *engine.Executor
	rt  *trigger.Runtime
	srv *httptest.Server
	opt trigger.Options
}

func newEnv(t testing.TB, dir string, opt trigger.Options) *env {
	t.Helper()
	st, err := store.Open(dir, store.Options{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	ex := engine.NewExecutor(st, st, st)
	if opt.ResyncEvery == 0 {
		opt.ResyncEvery = -1
	}
	e := &env{t: t, dir: dir, st: st, ex: ex, opt: opt}
	e.rt = trigger.New(ex, st, opt)
	mux := http.NewServeMux()
	mux.Handle("/api/flows/", e.rt.EndpointHandler())
	mux.Handle("/api/flo/", e.rt.EndpointHandler())
	mux.Handle("/hooks/", e.rt.HookHandler())
	mux.Handle("/metrics", e.rt.Metrics())
	mux.Handle("/healthz", e.rt.Healthz())
	e.srv = httptest.NewServer(mux)
	return e
}

func (e *env) start() *env {
	e.t.Helper()
	if err := e.rt.Start(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	return e
}

func (e *env) close() {
	e.srv.Close()
	e.rt.Stop()
	e.ex.Wait()
	_ = e.st.Close()
}

func (e *env) put(f *engine.Flow) *engine.Flow {
	e.t.Helper()
	if f.Format == "" {
		f.Format = engine.FlowFormat
	}
	f.Settings.History = true
	if err := e.st.PutFlow(f); err != nil {
		e.t.Fatal(err)
	}
	got, _ := e.st.Flow(context.Background(), f.ID)
	if err := e.rt.Sync(got); err != nil {
		e.t.Fatal(err)
	}
	return got
}

// executions lists a flow's finished executions (history flushed).
func (e *env) executions(flow string) []store.Summary {
	e.st.Flush()
	list, err := e.st.Executions(store.Query{Flow: flow, Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

// waitExecutions waits until a flow has n executions (and fails after a
// generous deadline: this is a wait for work to finish, not a timing check).
func (e *env) waitExecutions(flow string, n int) []store.Summary {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		list := e.executions(flow)
		if len(list) >= n || time.Now().After(deadline) {
			if len(list) != n {
				e.t.Fatalf("flow %s: %d executions, want %d", flow, len(list), n)
			}
			return list
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func fld(key string, v any) engine.Field { return engine.Field{Key: key, Value: v} }

func bind(key string, path ...string) engine.Field {
	return engine.Field{Key: key, From: &engine.Binding{Card: "trigger", Path: path}}
}
