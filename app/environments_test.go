package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// Issue 16 point 3: one connection, a binding per environment; manual runs
// use the active environment, a switched-on flow its own; history records
// the environment and tenant; flows, exports and tests name no environment.
func TestEnvironmentsBindConnectionsPerRun(t *testing.T) {
	var mu sync.Mutex
	keys := map[string][]string{} // server -> API keys it got
	serve := func(name string) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			keys[name] = append(keys[name], r.Header.Get("X-Key"))
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"tenant":"` + name + `"}`))
		}))
		t.Cleanup(s.Close)
		return s
	}
	dev, prod := serve("dev"), serve("prod")
	a := testApp(t)
	conn, err := a.SaveConnection(&engine.Connection{Name: "API", Kind: "http",
		Config:  map[string]any{"authType": "header", "headerName": "X-Key", "baseUrl": dev.URL, EnvConfigKey: map[string]any{"prod": map[string]any{"baseUrl": prod.URL}}},
		Secrets: map[string]string{"headerValue": "dev-key", "prod:headerValue": "prod-key"}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := a.CreateFlow("Env flow", "")
	if err != nil {
		t.Fatal(err)
	}
	f.Cards = []engine.Card{{ID: "get", Type: "http.get", Title: "Who", Connection: conn.ID, Inputs: []engine.Field{{Key: "URL", Value: "/who"}}}}
	r, err := a.SaveFlow(f)
	if err != nil {
		t.Fatal(err)
	}
	f = r.Flow
	host := func(u string) string { return strings.TrimPrefix(u, "http://") }

	for _, tc := range []struct{ env, server, key, tenant string }{
		{"dev", "dev", "dev-key", host(dev.URL)}, {"prod", "prod", "prod-key", host(prod.URL)}, {"staging", "dev", "dev-key", host(dev.URL)},
	} {
		if err := a.SetEnvironment(tc.env); err != nil {
			t.Fatal(err)
		}
		ex, err := a.RunFlow(f.ID, nil)
		if err != nil || ex.Status != engine.StatusSuccess {
			t.Fatalf("%s: %v %+v", tc.env, err, ex.Error)
		}
		mu.Lock()
		got := keys[tc.server]
		mu.Unlock()
		if len(got) == 0 || got[len(got)-1] != tc.key {
			t.Fatalf("%s: server %s got keys %v, want %s last", tc.env, tc.server, got, tc.key)
		}
		if ex.Environment != tc.env || len(ex.Tenants) != 1 || ex.Tenants[0] != tc.tenant {
			t.Fatalf("%s: recorded %q %v", tc.env, ex.Environment, ex.Tenants)
		}
		rows, _ := a.ListExecutions(HistoryQuery{Flow: f.ID, Limit: 1})
		if rows[0].Environment != tc.env || rows[0].Tenant != tc.tenant {
			t.Fatalf("%s: history row %+v", tc.env, rows[0])
		}
	}
	if err := a.SetEnvironment("qa"); err == nil || !strings.Contains(err.Error(), "dev, staging, prod") {
		t.Fatalf("unknown environment: %v", err)
	}

	// the Run panel's targets: prod has a binding of its own, staging falls back to dev's
	for env, want := range map[string]RunTarget{"prod": {Tenant: host(prod.URL), Bound: true}, "staging": {Tenant: host(dev.URL), Bound: false}} {
		ts, err := a.RunTargets(f.ID, env)
		if err != nil || len(ts) != 1 || ts[0].Tenant != want.Tenant || ts[0].Bound != want.Bound || ts[0].Name != "API" {
			t.Fatalf("targets in %s: %v %+v", env, err, ts)
		}
	}

	// a switched-on flow runs in its own environment, whatever the active one
	if err := a.SetFlowEnvironment(f.ID, "prod"); err != nil {
		t.Fatal(err)
	}
	if err := a.SetEnvironment("dev"); err != nil {
		t.Fatal(err)
	}
	ex, _ := a.Exec.Run(a.ctx, f, nil, engine.RunOptions{Trigger: "event"}) // as the trigger runtime starts it
	if ex.Environment != "prod" || ex.Tenants[0] != host(prod.URL) {
		t.Fatalf("trigger run in %q %v, want prod", ex.Environment, ex.Tenants)
	}
	if env, _ := a.FlowEnvironment(f.ID); env != "prod" {
		t.Fatalf("flow environment %q", env)
	}

	// environment-free: the flow, its export and its tests name none
	stored, _ := a.GetFlow(f.ID)
	if stored.Revision != f.Revision {
		t.Fatalf("choosing the flow's environment saved the flow (revision %d → %d)", f.Revision, stored.Revision)
	}
	text, err := a.ExportFlow(f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveExecutionAsTest(ex.ID, "prod run"); err != nil {
		t.Fatal(err)
	}
	tests, err := a.ExportFlowTests(f.ID)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{"flow export": text, "tests": tests} {
		for _, bad := range []string{"prod", "environment", "staging", "prod-key", "dev-key"} {
			if name == "tests" && bad == "prod" {
				continue // the recorded calls went to the prod server (its URL names no environment)
			}
			if strings.Contains(s, bad) {
				t.Errorf("%s names %q:\n%s", name, bad, s)
			}
		}
	}
}
