package engine

import (
	"context"
	"testing"
)

func TestSmokeIf(t *testing.T) {
	f := &Flow{Format: FlowFormat, ID: "f1", Name: "smoke", Settings: Settings{History: true},
		Trigger: Card{ID: "trigger", Type: "flow.manual", Outputs: []Field{{Key: "n", Type: T("number")}}},
		Cards: []Card{{ID: "if1", Type: "flow.if", Inputs: []Field{
			{Key: "left-operand", Type: T("number"), From: &Binding{Card: "trigger", Path: []string{"n"}}},
			{Key: "operator", Value: ">"}, {Key: "right-operand", Value: 5.0}},
			Branches: []Branch{{Name: "true", Cards: []Card{{ID: "a", Type: "flow.assign", Inputs: []Field{{Key: "x", Value: "big"}}}}},
				{Name: "false", Cards: []Card{{ID: "b", Type: "flow.assign", Inputs: []Field{{Key: "x", Value: "small"}}}}}},
			Outputs: []Field{{Key: "size", Any: []Binding{{Card: "a", Path: []string{"x"}}, {Card: "b", Path: []string{"x"}}}}}},
			{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "size", From: &Binding{Card: "if1", Path: []string{"size"}}}}}}}
	ex := NewExecutor(nil, nil, nil)
	for _, tc := range []struct {
		n    any
		want string
	}{{"7", "big"}, {3.0, "small"}} {
		got, err := ex.Run(context.Background(), f, map[string]any{"n": tc.n}, RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Outputs["size"] != tc.want {
			t.Fatalf("n=%v: got %v (%+v)", tc.n, got.Outputs, got.Cards)
		}
	}
}
