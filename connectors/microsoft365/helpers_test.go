package microsoft365

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/flowbench/flowbench/connectors/fakeapi"
	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/connectors/microsoft365/fake"
	"github.com/flowbench/flowbench/engine"
)

var (
	specOnce sync.Once
	spec     *fakeapi.Validator
	specErr  error
)

// graphSpec is Microsoft Graph's description of the operations the cards
// use (testdata/graph-openapi.yaml).
func graphSpec(t testing.TB) *fakeapi.Validator {
	t.Helper()
	specOnce.Do(func() { spec, specErr = fakeapi.NewValidator("testdata/graph-openapi.yaml", "/v1.0") })
	if specErr != nil {
		t.Fatal(specErr)
	}
	return spec
}

// stripAnnotations removes OData control information that Graph's
// description (generated from the CSDL model) does not declare:
// @odata.context on every response, and property@odata.bind in request
// bodies. @odata.type, @odata.id and @odata.nextLink are declared and kept.
func stripAnnotations(b []byte) []byte {
	var v any
	if len(b) == 0 || json.Unmarshal(b, &v) != nil {
		return b
	}
	var walk func(any)
	walk = func(x any) {
		switch t := x.(type) {
		case map[string]any:
			for k, e := range t {
				if k == "@odata.context" || strings.HasSuffix(k, "@odata.bind") {
					delete(t, k)
					continue
				}
				walk(e)
			}
		case []any:
			for _, e := range t {
				walk(e)
			}
		}
	}
	walk(v)
	out, _ := json.Marshal(v)
	return out
}

// graphTransport validates every Graph exchange (/v1.0/…) against the
// description; the identity platform's token endpoint is not Graph. It logs
// every call ("METHOD path status").
type graphTransport struct{ *fakeapi.ValidatingTransport }

func newGraphTransport(t testing.TB, base http.RoundTripper) graphTransport {
	return graphTransport{graphSpec(t).TransportWith(t, base, fakeapi.TransportOptions{
		Covers: func(path string) bool { return strings.HasPrefix(path, "/v1.0/") },
		Body:   stripAnnotations,
		Label:  "Graph OpenAPI",
	})}
}

func (g graphTransport) calls() []string { return g.Calls() }

// tenant is a fake Graph tenant with an executor wired to its connections
// (ids sandbox-office365admin, sandbox-office365mail, sandbox-microsoftteams).
type tenant struct {
	fake  *fake.Server
	url   string
	conns fakeapi.ConnMap
	tr    graphTransport
	exec  *engine.Executor
}

func newTenant(t testing.TB, cfg fake.Config) *tenant {
	t.Helper()
	f := fake.New(cfg)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	tn := &tenant{fake: f, url: srv.URL, conns: fakeapi.ConnMap{}}
	for _, c := range f.Connections(srv.URL) {
		tn.conns[c.ID] = c
	}
	tn.tr = newGraphTransport(t, httpx.DefaultTransport())
	tn.exec = engine.NewExecutor(engine.FlowMap{}, tn.conns, &fakeapi.History{})
	tn.exec.Services["http"] = tn.tr
	tn.exec.Services["governor"] = httpx.NewGovernor()
	return tn
}

func connFor(kind string) string { return "sandbox-" + kind }

// card runs one card (native id or Okta kind) with static inputs.
func (tn *tenant) card(t testing.TB, typ string, inputs map[string]any) (map[string]any, *engine.Execution, error) {
	t.Helper()
	s, ok := engine.Default().ByOkta(typ)
	if !ok {
		if s, ok = engine.Default().Card(typ); !ok {
			t.Fatalf("no card %q", typ)
		}
	}
	c := engine.Card{ID: "card", Type: s.ID, Connection: connFor(s.Connection)}
	for _, k := range slices.Sorted(maps.Keys(inputs)) {
		f := engine.Field{Key: k, Value: inputs[k]}
		if s.InputSpec(k) == nil {
			t.Fatalf("%s has no input %q", typ, k)
		}
		c.Inputs = append(c.Inputs, f)
	}
	f := &engine.Flow{Format: engine.FlowFormat, ID: "t-" + engine.NewID(), Name: "test " + typ,
		Settings: engine.Settings{History: true}, Trigger: engine.Card{ID: "trigger", Type: "flow.manual"}, Cards: []engine.Card{c}}
	ex, err := tn.exec.Run(context.Background(), f, nil, engine.RunOptions{})
	tn.exec.Invalidate(f.ID)
	if ex != nil {
		for _, r := range ex.Cards {
			if r.ID == "card" {
				return r.Outputs, ex, err
			}
		}
	}
	return nil, ex, err
}

func (tn *tenant) must(t testing.TB, typ string, inputs map[string]any) map[string]any {
	t.Helper()
	out, _, err := tn.card(t, typ, inputs)
	if err != nil {
		t.Fatalf("%s: %v", typ, err)
	}
	return out
}

// httpErr digs the vendor error out of a card failure.
func httpErr(t testing.TB, err error) *engine.HTTPError {
	t.Helper()
	var he *engine.HTTPError
	if !errors.As(err, &he) {
		t.Fatalf("want an HTTP error, got %v", err)
	}
	return he
}

func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
