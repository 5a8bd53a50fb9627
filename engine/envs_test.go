package engine

import (
	"context"
	"sync"
	"testing"
)

var (
	rootMu   sync.Mutex
	rootSeen []string
)

func init() {
	Register(&Spec{ID: "test.rootflow", Title: "Root flow", Category: "Test", Kind: KindAction,
		Run: func(ctx context.Context, in Inputs) (Outputs, error) {
			rootMu.Lock()
			rootSeen = append(rootSeen, RootFlow(ctx)+"/"+EnvironmentFrom(ctx))
			rootMu.Unlock()
			NoteTenant(ctx, "prod", "acme.okta.com")
			return Outputs{}, nil
		}})
}

// A helper flow's cards bind connections like their caller: RootFlow is
// the calling flow, and the context's environment reaches them.
func TestHelperRunsSeeTheirCallersFlowAndEnvironment(t *testing.T) {
	helper := newFlow("helper", Card{ID: "h", Type: "flow.helper"}, Card{ID: "r", Type: "test.rootflow"})
	f := newFlow("parent", manual(), Card{ID: "own", Type: "test.rootflow"},
		Card{ID: "fe", Type: "list.forEach", Flow: "helper", Inputs: []Field{{Key: "list", Value: []any{1.0, 2.0}}}})
	e := NewExecutor(FlowMap{"helper": helper}, nil, nil)
	for _, env := range []string{"", "prod"} {
		rootMu.Lock()
		rootSeen = nil
		rootMu.Unlock()
		ctx := context.Background()
		if env != "" {
			ctx = WithEnvironment(ctx, env)
		}
		ex, err := e.Run(ctx, f, nil, RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := "parent/" + env
		if len(rootSeen) != 3 || rootSeen[0] != want || rootSeen[1] != want || rootSeen[2] != want {
			t.Fatalf("env %q: cards saw %v, want %s three times", env, rootSeen, want)
		}
		if ex.Environment != "prod" || len(ex.Tenants) != 1 || ex.Tenants[0] != "acme.okta.com" {
			t.Fatalf("recorded %q %v", ex.Environment, ex.Tenants)
		}
	}
}
