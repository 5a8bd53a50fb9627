package engine

import (
	"context"
	"strings"
	"testing"
)

// A helper card's bad input fails the For Each that called it with the item,
// the helper and its card in the message; the For Each is not said to have
// the helper card's input. The choices in the message are as declared ("%").
func TestHelperFieldErrorKeepsItsCard(t *testing.T) {
	helper := newFlow("item", Card{ID: "h", Type: "flow.helper", Outputs: []Field{{Key: "n", Type: T("number")}}},
		Card{ID: "chk", Title: "Refuse 17", Type: "flow.returnErrorIf", Inputs: []Field{{Key: "left-operand", Type: T("number"), From: bind("h", "n")},
			{Key: "operator", Value: "equal to"}, {Key: "right-operand", Value: 17.0}, {Key: "message", Value: "bad"}}})
	f := newFlow("each", manual(), Card{ID: "fe", Title: "For Each", Type: "list.forEach", Flow: "item",
		Inputs: []Field{{Key: "list", Value: []any{1.0, 2.0}}, {Key: "n", Item: &ItemMapping{}}}})
	e := NewExecutor(FlowMap{"item": helper}, nil, nil)
	ex, _ := e.Run(context.Background(), f, nil, RunOptions{})
	ce := ex.Error
	if ex.Status != StatusFailed || ce == nil || ce.Card != "fe" {
		t.Fatalf("status %s error %+v", ex.Status, ce)
	}
	if ce.Input != "" {
		t.Errorf("the For Each is said to have the helper card's input %q", ce.Input)
	}
	for _, want := range []string{"item 0: ", `card chk "Refuse 17" input "operator"`, `value must be one of "==", "!=", ">", ">=", "<", "<=", "%", "in"`} {
		if !strings.Contains(ce.Message, want) {
			t.Errorf("message %q lacks %q", ce.Message, want)
		}
	}
	// the helper's own run names its card's field
	hx, _ := e.Run(context.Background(), helper, map[string]any{"n": 3.0}, RunOptions{})
	if hx.Error == nil || hx.Error.Card != "chk" || hx.Error.Input != "operator" || strings.Contains(hx.Error.Message, "MISSING") {
		t.Fatalf("helper run error %+v", hx.Error)
	}
}
