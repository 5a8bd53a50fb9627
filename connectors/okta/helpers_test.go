package okta

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/flowbench/flowbench/connectors/fakeapi"
	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// exchange is one recorded HTTP request/response.
type exchange struct {
	Method, URL string
	ReqHeader   http.Header
	ReqBody     []byte
	Status      int
	RespHeader  http.Header
	RespBody    []byte
}

// recorder is the RoundTripper installed under the client in tests: it
// records every exchange and validates /api/v1 ones against Okta's OpenAPI spec.
type recorder struct {
	t    testing.TB
	v    *sandbox.Validator // nil: no validation
	base http.RoundTripper
	mu   sync.Mutex
	ex   []exchange
}

func newRecorder(t testing.TB, validate bool) *recorder {
	r := &recorder{t: t, base: httpx.DefaultTransport()}
	if validate {
		r.v = sandbox.OpenAPIValidator(t)
	}
	return r
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	rb, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(rb))
	if r.v != nil && resp.StatusCode != http.StatusTooManyRequests {
		vreq := req.Clone(context.Background())
		vreq.Body = io.NopCloser(bytes.NewReader(body))
		if err := r.v.Check(vreq, body, resp, rb); err != nil {
			r.t.Errorf("OpenAPI fidelity: %v", err)
		}
	}
	r.mu.Lock()
	r.ex = append(r.ex, exchange{Method: req.Method, URL: req.URL.String(), ReqHeader: req.Header.Clone(), ReqBody: body,
		Status: resp.StatusCode, RespHeader: resp.Header.Clone(), RespBody: rb})
	r.mu.Unlock()
	return resp, nil
}

func (r *recorder) exchanges() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]exchange(nil), r.ex...)
}

func (r *recorder) reset() {
	r.mu.Lock()
	r.ex = nil
	r.mu.Unlock()
}

// conns is an in-memory ConnectionSource.
type conns = fakeapi.ConnMap

type history struct {
	mu sync.Mutex
	ex []*engine.Execution
}

func (h *history) Save(e *engine.Execution) { h.mu.Lock(); h.ex = append(h.ex, e); h.mu.Unlock() }

// tenant is a started sandbox with an executor wired to it.
type tenant struct {
	srv   *sandbox.Server
	url   string
	rec   *recorder
	conn  *engine.Connection
	ex    *engine.Executor
	flows engine.FlowMap
	hist  *history
}

func startTenant(t testing.TB, cfg sandbox.Config, validate bool) *tenant {
	t.Helper()
	srv, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	u, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	tn := &tenant{srv: srv, url: u, rec: newRecorder(t, validate), flows: engine.FlowMap{}, hist: &history{}}
	tn.conn = &engine.Connection{ID: "sandbox", Name: "Sandbox", Kind: "okta",
		Config:  map[string]any{CfgDomain: u, CfgAuthMethod: AuthToken},
		Secrets: map[string]string{SecAPIToken: sandbox.DefaultAPIToken}}
	tn.ex = engine.NewExecutor(tn.flows, conns{"sandbox": tn.conn}, tn.hist)
	tn.ex.Services["http"] = tn.rec
	tn.ex.Services["governor"] = httpx.NewGovernor()
	return tn
}

// card runs one card in a one-card flow and returns its outputs.
func (tn *tenant) card(t testing.TB, typ string, inputs map[string]any, mod ...func(*engine.Card)) (map[string]any, *engine.Execution, error) {
	t.Helper()
	c := engine.Card{ID: "card", Type: typ, Connection: "sandbox"}
	for k, v := range inputs {
		f := engine.Field{Key: k, Value: v}
		if spec, ok := engine.Default().Card(typ); ok && spec.InputSpec(k) == nil {
			f.Type = engine.T("any")
		}
		c.Inputs = append(c.Inputs, f)
	}
	for _, m := range mod {
		m(&c)
	}
	f := &engine.Flow{Format: engine.FlowFormat, ID: "t-" + typ + "-" + engine.NewID(), Name: "test " + typ,
		Settings: engine.Settings{History: true}, Trigger: engine.Card{ID: "trigger", Type: "flow.manual"}, Cards: []engine.Card{c}}
	ex, err := tn.ex.Run(context.Background(), f, nil, engine.RunOptions{})
	tn.ex.Invalidate(f.ID)
	for _, r := range ex.Cards {
		if r.ID == "card" {
			return r.Outputs, ex, err
		}
	}
	return nil, ex, err
}

func mustCard(t testing.TB, tn *tenant, typ string, inputs map[string]any, mod ...func(*engine.Card)) map[string]any {
	t.Helper()
	out, _, err := tn.card(t, typ, inputs, mod...)
	if err != nil {
		t.Fatalf("%s: %v", typ, err)
	}
	return out
}

func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// streamCount counts runs of the test.count card (streaming helper flows).
var streamCount atomic.Int32

func init() {
	engine.Register(&engine.Spec{ID: "test.count", Title: "Count", Kind: engine.KindFunction, ExtensibleInputs: true,
		Run: func(context.Context, engine.Inputs) (engine.Outputs, error) { streamCount.Add(1); return nil, nil }})
}

func at(v any, path ...string) any {
	x, _ := engine.Get(v, path)
	return x
}
