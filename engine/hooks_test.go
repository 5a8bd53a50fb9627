package engine

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// Hooks take over what another engine must own: every non-control card
// goes through Invoke (in place of its Run and retry loop), For Each / Map
// fan out through Fanout with the card's concurrency, helper runs get ids
// from NewID; without hooks nothing changes.
func TestHooks(t *testing.T) {
	helper := newFlow("h", Card{ID: "h", Type: "flow.helper", Outputs: []Field{{Key: "n", Type: T("number")}}},
		Card{ID: "set", Type: "flow.assign", Inputs: []Field{{Key: "v", Type: T("number"), From: bind("h", "n")}}},
		Card{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "v", From: bind("set", "v")}}})
	f := newFlow("p", manual(), Card{ID: "m", Type: "list.map", Flow: "h", Inputs: []Field{{Key: "list", Value: []any{1.0, 2.0, 3.0}},
		{Key: "concurrency", Value: 2.0}, {Key: "n", Item: &ItemMapping{}}}},
		Card{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "out", From: bind("m", "new list")}}})

	var invoked []string
	var fanouts [][2]int
	var order []int
	ids := 0
	e := NewExecutor(FlowMap{"h": helper}, nil, nil)
	e.Hooks = &Hooks{
		Invoke: func(ctx context.Context, spec *Spec, in Inputs) (Outputs, error) {
			invoked = append(invoked, in.Card.ID)
			return spec.Run(ctx, in)
		},
		Fanout: func(ctx context.Context, n, conc int, call func(ctx context.Context, i int)) {
			fanouts = append(fanouts, [2]int{n, conc})
			for i := n - 1; i >= 0; i-- { // the hook owns the order
				order = append(order, i)
				call(ctx, i)
			}
		},
		NewID: func(context.Context) string { ids++; return fmt.Sprintf("id-%d", ids) },
	}
	ex, err := e.Run(context.Background(), f, nil, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ex.Outputs["out"]; fmt.Sprint(got) != "[1 2 3]" {
		t.Fatalf("Map through the Fanout hook: %v, want [1 2 3] in list order", got)
	}
	if len(fanouts) != 1 || fanouts[0] != [2]int{3, 2} || !slices.Equal(order, []int{2, 1, 0}) {
		t.Fatalf("fanouts %v order %v", fanouts, order)
	}
	if !slices.Equal(invoked, []string{"set", "set", "set"}) { // control cards (Map, Return) stay in the engine
		t.Fatalf("invoked %v", invoked)
	}
	var children []string
	for _, c := range ex.Cards {
		if c.ID == "m" {
			children = c.Children
		}
	}
	if !slices.Equal(children, []string{"id-1", "id-2", "id-3"}) {
		t.Fatalf("helper run ids %v, want the NewID hook's", children)
	}

	// without hooks: the same result, the executor's own goroutines and ids
	ex, err = NewExecutor(FlowMap{"h": helper}, nil, nil).Run(context.Background(), f, nil, RunOptions{})
	if err != nil || fmt.Sprint(ex.Outputs["out"]) != "[1 2 3]" {
		t.Fatalf("without hooks: %v %v", ex.Outputs, err)
	}
}
