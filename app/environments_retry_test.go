package app

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// Re-run and Resume from History run in the environment of the run they
// retry, not in the one active now: a prod run re-run after the top bar
// went back to dev reaches prod again (a resumed prod run that went on in
// dev mixed two tenants in one run).
func TestRetryKeepsTheRunsEnvironment(t *testing.T) {
	var devHits, prodHits atomic.Int32
	serve := func(n *atomic.Int32, fail bool) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.Header().Set("Content-Type", "application/json")
			if fail && strings.HasSuffix(r.URL.Path, "/second") && n.Load() <= 2 {
				w.WriteHeader(http.StatusBadRequest) // not retried
			}
			w.Write([]byte(`{}`))
		}))
		t.Cleanup(s.Close)
		return s
	}
	dev, prod := serve(&devHits, false), serve(&prodHits, true)
	a := testApp(t)
	conn, err := a.SaveConnection(&engine.Connection{Name: "API", Kind: "http",
		Config:  map[string]any{"authType": "header", "headerName": "X-Key", "baseUrl": dev.URL, EnvConfigKey: map[string]any{"prod": map[string]any{"baseUrl": prod.URL}}},
		Secrets: map[string]string{"headerValue": "dev-key", "prod:headerValue": "prod-key"}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := a.CreateFlow("Retry env", "")
	if err != nil {
		t.Fatal(err)
	}
	f.Cards = []engine.Card{
		{ID: "one", Type: "http.get", Title: "First", Connection: conn.ID, Inputs: []engine.Field{{Key: "URL", Value: "/first"}}},
		{ID: "two", Type: "http.get", Title: "Second", Connection: conn.ID, Inputs: []engine.Field{{Key: "URL", Value: "/second"}}},
	}
	r, err := a.SaveFlow(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetEnvironment("prod"); err != nil {
		t.Fatal(err)
	}
	ex, err := a.RunFlow(r.Flow.ID, nil)
	if err != nil || ex.Status != engine.StatusFailed || ex.Environment != "prod" {
		t.Fatalf("the prod run should fail at Second: %v %s %q", err, ex.Status, ex.Environment)
	}
	if err := a.SetEnvironment("dev"); err != nil {
		t.Fatal(err)
	}
	resumed, err := a.ResumeRun(ex.ID)
	if err != nil {
		t.Fatal(err)
	}
	if resumed.Status != engine.StatusSuccess || resumed.Environment != "prod" || devHits.Load() != 0 {
		t.Fatalf("resumed in %q (%s), dev got %d calls: want prod only", resumed.Environment, resumed.Status, devHits.Load())
	}
	again, err := a.RerunExecution(resumed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Environment != "prod" || devHits.Load() != 0 || prodHits.Load() != 5 {
		t.Fatalf("re-run in %q, dev %d calls, prod %d: want prod only (5 calls)", again.Environment, devHits.Load(), prodHits.Load())
	}
}

// `flowbench run` bound connections in the app's active environment with
// no word (prod, if the top bar was left on prod); --env chooses, and a run
// in staging or prod says so on stderr.
func TestCLIRunEnvironment(t *testing.T) {
	var devHits, prodHits atomic.Int32
	serve := func(n *atomic.Int32) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{}`))
		}))
		t.Cleanup(s.Close)
		return s
	}
	dev, prod := serve(&devHits), serve(&prodHits)
	dir := t.TempDir()
	a, err := Open(t.Context(), Options{DataDir: dir, Out: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := a.SaveConnection(&engine.Connection{Name: "API", Kind: "http",
		Config: map[string]any{"authType": "none", "baseUrl": dev.URL, EnvConfigKey: map[string]any{"prod": map[string]any{"baseUrl": prod.URL}}}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := a.CreateFlow("CLI env", "")
	if err != nil {
		t.Fatal(err)
	}
	f.Cards = []engine.Card{{ID: "get", Type: "http.get", Title: "Who", Connection: conn.ID, Inputs: []engine.Field{{Key: "URL", Value: "/who"}}}}
	if _, err := a.SaveFlow(f); err != nil {
		t.Fatal(err)
	}
	if err := a.SetEnvironment("prod"); err != nil {
		t.Fatal(err)
	}
	a.close()

	_, errOut, code := cli(t, dir, "run", f.ID)
	if code != 0 || prodHits.Load() != 1 || devHits.Load() != 0 || !strings.Contains(errOut, "runs in prod: its connections' prod bindings (--env to choose)") {
		t.Fatalf("active prod: exit %d, prod %d dev %d calls, stderr %q", code, prodHits.Load(), devHits.Load(), errOut)
	}
	_, errOut, code = cli(t, dir, "run", f.ID, "--env", "dev")
	if code != 0 || devHits.Load() != 1 || prodHits.Load() != 1 || strings.Contains(errOut, "runs in") {
		t.Fatalf("--env dev: exit %d, prod %d dev %d calls, stderr %q", code, prodHits.Load(), devHits.Load(), errOut)
	}
	_, errOut, code = cli(t, dir, "run", f.ID, "--env", "qa")
	if code != ExitUsage || !strings.Contains(errOut, `unknown environment "qa": choose dev, staging, prod`) {
		t.Fatalf("--env qa: exit %d, stderr %q", code, errOut)
	}
}

// "Bind prod" ticked and saved with nothing filled in counted as a prod
// binding: the Run panel, the prod question and the flow's environment
// select showed no "no prod binding" while prod runs reached the dev tenant
// with the dev token. A binding binds when it sets a setting or a secret.
func TestEmptyEnvBindingIsNoBinding(t *testing.T) {
	a := testApp(t)
	conn, err := a.SaveConnection(&engine.Connection{Name: "API", Kind: "http",
		Config: map[string]any{"authType": "none", "baseUrl": "https://dev.example.com", EnvConfigKey: map[string]any{"prod": map[string]any{}, "staging": map[string]any{"baseUrl": "https://stage.example.com"}}}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := a.CreateFlow("Empty binding", "")
	if err != nil {
		t.Fatal(err)
	}
	f.Cards = []engine.Card{{ID: "get", Type: "http.get", Connection: conn.ID, Inputs: []engine.Field{{Key: "URL", Value: "/who"}}}}
	if _, err := a.SaveFlow(f); err != nil {
		t.Fatal(err)
	}
	for env, want := range map[string]RunTarget{"prod": {Tenant: "dev.example.com", Bound: false}, "staging": {Tenant: "stage.example.com", Bound: true}} {
		ts, err := a.RunTargets(f.ID, env)
		if err != nil || len(ts) != 1 || ts[0].Tenant != want.Tenant || ts[0].Bound != want.Bound {
			t.Fatalf("%s: %v %+v, want %+v", env, err, ts, want)
		}
	}
}
