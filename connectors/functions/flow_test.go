package functions

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flowbench/flowbench/engine"
)

func TestFlowCards(t *testing.T) {
	olCheck(t, nil, []olCase{
		// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/Branching/branching_assignif.htm
		{name: "assign if true", card: "flow.assignIf", in: []engine.Field{ot("left-operand", "number", "80"), ov("operator", ">"), ov("right-operand", "9"), ov("valueIfTrue", "big"), ov("valueIfFalse", "small")},
			want: map[string]any{"output": "big"}},
		{name: "assign if text compares alphabetically", card: "flow.assignIf", in: []engine.Field{ot("left-operand", "string", "80"), ov("operator", ">"), ov("right-operand", "9"), ov("valueIfTrue", "big"), ov("valueIfFalse", "small")},
			want: map[string]any{"output": "small"}},
		{name: "assign if is empty", card: "flow.assignIf", in: []engine.Field{ov("operator", "is empty"), ov("valueIfTrue", 1.0), ov("valueIfFalse", 2.0)},
			want: map[string]any{"output": 1.0}},
		{name: "assign if bad number", card: "flow.assignIf", in: []engine.Field{ot("left-operand", "number", 1.0), ov("operator", ">"), ov("right-operand", "x")}, errIn: "right-operand"},
		{name: "assign if no operator", card: "flow.assignIf", in: []engine.Field{ov("left-operand", 1.0)}, errIn: "operator"},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Branching/branching_lookup.htm
		{name: "lookup hit", card: "flow.lookup", in: []engine.Field{ov("key", "user.mfa.factor.activate"), ot("else", "number", 0.0),
			{Key: "user.mfa.factor.activate", Group: "options", Type: engine.T("number"), Value: 12.0}, {Key: "user.mfa.factor.deactivate", Group: "options", Value: 11.0}},
			want: map[string]any{"result": 12.0}},
		{name: "lookup number key as text", card: "flow.lookup", in: []engine.Field{ov("key", 100.0), {Key: "100", Group: "options", Value: "hundred"}}, want: map[string]any{"result": "hundred"}},
		{name: "lookup miss gives else", card: "flow.lookup", in: []engine.Field{ov("key", "Sales "), ov("else", "other"), {Key: "Sales", Group: "options", Value: "S"}},
			want: map[string]any{"result": "other"}},
		{name: "lookup ignores non-option inputs", card: "flow.lookup", in: []engine.Field{ov("key", "else"), ov("else", "E")}, want: map[string]any{"result": "E"}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Flow-Control/flocontrol_wait.htm
		{name: "wait 0 seconds", card: "flow.waitFor", in: []engine.Field{ov("delay", 0.0), ov("unit", "second")}, want: map[string]any{}},
		{name: "wait unknown unit", card: "flow.waitFor", in: []engine.Field{ov("delay", 1.0), ov("unit", "fortnight")}, errIn: "unit"},
		{name: "wait bad delay", card: "flow.waitFor", in: []engine.Field{ov("delay", "soon")}, errIn: "delay"},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Flow-Control/flocontrol_until.htm
		{name: "wait until the past", card: "flow.waitUntil", in: []engine.Field{ov("date", "2001-01-01T00:00:00Z")}, want: map[string]any{}},
		{name: "wait until bad date", card: "flow.waitUntil", in: []engine.Field{ov("date", "tomorrowish")}, errIn: "date"},
	})
}

func TestFlowWaitHonoursCancel(t *testing.T) {
	for _, c := range []olCase{
		{card: "flow.waitFor", in: []engine.Field{ov("delay", 2.0), ov("unit", "hour")}},
		{card: "flow.waitUntil", in: []engine.Field{ov("date", "2999-01-01T00:00:00Z")}},
	} {
		f := &engine.Flow{Format: engine.FlowFormat, ID: "w", Name: "w", Settings: engine.Settings{Timeout: engine.Duration(20 * time.Millisecond)},
			Trigger: engine.Card{ID: "trigger", Type: "flow.manual"}, Cards: []engine.Card{{ID: "c", Type: c.card, Inputs: c.in}}}
		ex, err := engine.NewExecutor(nil, nil, nil).Run(context.Background(), f, nil, engine.RunOptions{})
		if err == nil || ex.Status != engine.StatusTimeout {
			t.Fatalf("%s: status %s, err %v", c.card, ex.Status, err)
		}
	}
}

func TestFlowRepeat(t *testing.T) {
	// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Flow-Control/flocontrol_times.htm
	helper := &engine.Flow{Format: engine.FlowFormat, ID: "h", Name: "count",
		Trigger: engine.Card{ID: "trigger", Type: "flow.helper", Outputs: []engine.Field{{Key: "label"}}},
		Cards: []engine.Card{{ID: "e", Type: "flow.returnErrorIf", Inputs: []engine.Field{
			{Key: "left-operand", From: &engine.Binding{Card: "trigger", Path: []string{"label"}}}, {Key: "operator", Value: "=="},
			{Key: "right-operand", Value: "fail"}, {Key: "message", Value: "asked to fail"}}}}}
	var calls, indexSum atomic.Int64
	ex := engine.NewExecutor(olFlows{"h": helper}, nil, nil)
	ex.OnFinish = func(e *engine.Execution) {
		if e.Trigger == "call" {
			calls.Add(1)
			if c, ok := e.Input["context"].(map[string]any); ok {
				indexSum.Add(int64(c["index"].(float64)))
			}
		}
	}
	for _, tc := range []struct {
		count     any
		label     string
		wantCalls int64
		wantErr   string
	}{{5.0, "ok", 5, ""}, {0.0, "ok", 0, ""}, {-3.0, "ok", 0, ""}, {"2", "ok", 2, ""}, {3.0, "fail", 1, "-"}, {"many", "ok", 0, "count"}} {
		calls.Store(0)
		indexSum.Store(0)
		c := olCase{card: "flow.repeat", flow: "h", in: []engine.Field{ov("count", tc.count), ov("concurrency", 1.0), ov("label", tc.label)}}
		_, err := olRun(t, ex, c)
		var ce *engine.CardError
		switch {
		case tc.wantErr == "" && err != nil:
			t.Fatalf("count %v: %v", tc.count, err)
		case tc.wantErr != "" && !errors.As(err, &ce):
			t.Fatalf("count %v: want an error, got %v", tc.count, err)
		case tc.wantErr != "" && tc.wantErr != "-" && ce.Input != tc.wantErr:
			t.Fatalf("count %v: error names %q: %v", tc.count, ce.Input, err)
		}
		if calls.Load() != tc.wantCalls {
			t.Fatalf("count %v: %d calls, want %d", tc.count, calls.Load(), tc.wantCalls)
		}
		if tc.wantErr == "" && indexSum.Load() != tc.wantCalls*(tc.wantCalls-1)/2 {
			t.Fatalf("count %v: index sum %d", tc.count, indexSum.Load())
		}
	}
}

func TestFlowExportFlow(t *testing.T) {
	// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Flows/flows_exportflo.htm
	target := &engine.Flow{ID: "f1", Name: "Target", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards: []engine.Card{{ID: "n", Type: "flow.comment", Note: "hi"}}}
	ex := engine.NewExecutor(nil, nil, nil)
	ex.Services["flows"] = olFlows{"f1": target}
	got, err := olRun(t, ex, olCase{card: "flow.exportFlow", in: []engine.Field{ot("flo", "flow", "f1"), ov("indent", 4.0)}})
	if err != nil {
		t.Fatal(err)
	}
	text := got["output"].(string)
	var back engine.Flow
	if err := json.Unmarshal([]byte(text), &back); err != nil || back.Name != "Target" || back.Format != engine.FlowFormat || len(back.Cards) != 1 {
		t.Fatalf("export = %s (%v)", text, err)
	}
	if !strings.Contains(text, "\n    \"id\"") {
		t.Fatalf("not indented by 4: %s", text)
	}
	got, err = olRun(t, ex, olCase{card: "flow.exportFlow", flow: "f1", in: []engine.Field{ov("pretty", false)}})
	if err != nil || strings.Contains(got["output"].(string), "\n") {
		t.Fatalf("compact export: %v %v", got, err)
	}
	olCheck(t, ex, []olCase{
		{name: "unknown flow", card: "flow.exportFlow", in: []engine.Field{ot("flo", "flow", "nope")}, errIn: "flo"},
		{name: "no flow", card: "flow.exportFlow", errIn: "flo"},
	})
	if _, err := olRun(t, nil, olCase{card: "flow.exportFlow", flow: "f1"}); err == nil || !strings.Contains(err.Error(), "flows") {
		t.Fatalf("without the flows service: %v", err)
	}
}

func BenchmarkFlowAssignIf(b *testing.B) {
	olBench(b, olCase{card: "flow.assignIf", in: []engine.Field{ot("left-operand", "number", 80.0), ov("operator", ">"), ov("right-operand", 9.0), ov("valueIfTrue", "a"), ov("valueIfFalse", "b")}})
}
