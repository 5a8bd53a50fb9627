package engine

import (
	"context"
	"strings"
	"testing"
)

// Find Custom (list:find): the first item whose helper returns true, with
// its index; -1 and an empty item when none; the helper runs only until the
// match; extra inputs reach the helper; a non-boolean answer is an error.
func TestFindCustom(t *testing.T) {
	isBig := newFlow("isBig", Card{ID: "h", Type: "flow.helper", Outputs: []Field{{Key: "n", Type: T("number")}}},
		Card{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "keep", Type: T("boolean"), From: bind("h", "n")}}})
	isLimit := newFlow("isLimit", Card{ID: "h", Type: "flow.helper", Outputs: []Field{{Key: "n", Type: T("number")}, {Key: "limit", Type: T("number")}}},
		Card{ID: "cmp", Type: "flow.continueIf", Inputs: []Field{{Key: "left-operand", Type: T("number"), From: bind("h", "n")}, {Key: "operator", Value: "=="}, {Key: "right-operand", Type: T("number"), From: bind("h", "limit")}}},
		Card{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "ok", Value: true}}})
	words := newFlow("words", Card{ID: "h", Type: "flow.helper", Outputs: []Field{{Key: "n", Type: T("any")}}},
		Card{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "r", Value: "maybe"}}})
	h := &memHistory{}
	e := NewExecutor(FlowMap{"isBig": isBig, "isLimit": isLimit, "words": words}, nil, h)
	run := func(flow string, list []any, extra ...Field) (map[string]any, error) {
		in := append([]Field{{Key: "list", Value: list}, {Key: "n", Item: &ItemMapping{}}}, extra...)
		ex, err := e.Run(context.Background(), newFlow("f", manual(),
			Card{ID: "fc", Type: "list.findCustom", Flow: flow, Inputs: in},
			Card{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "item", From: bind("fc", "item")}, {Key: "index", From: bind("fc", "index")}}}), nil, RunOptions{})
		if err != nil {
			return nil, err
		}
		return ex.Outputs, nil
	}
	if _, ok := Default().ByOkta("list:find"); !ok {
		t.Fatal("list:find not registered")
	}
	out, err := run("isBig", []any{0.0, 0.0, 7.0, 3.0})
	if err != nil || out["item"] != 7.0 || out["index"] != 2.0 {
		t.Fatalf("first truthy: %v %v", out, err)
	}
	before := len(h.runs)
	out, err = run("isBig", []any{0.0, 0.0})
	if err != nil || out["item"] != nil || out["index"] != -1.0 {
		t.Fatalf("no match: %v %v", out, err)
	}
	out, err = run("isLimit", []any{1.0, 5.0, 9.0, 5.0}, Field{Key: "limit", Value: 5.0})
	if err != nil || out["item"] != 5.0 || out["index"] != 1.0 {
		t.Fatalf("extra input to the helper: %v %v", out, err)
	}
	if len(h.runs) <= before {
		t.Fatal("no history recorded")
	}
	if _, err = run("words", []any{1.0}); err == nil || !strings.Contains(err.Error(), "item 0") {
		t.Fatalf("non-boolean helper answer: %v", err)
	}
}
