package functions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// Remaining flow-control and utility cards (the rest are engine control
// cards, engine/control.go).

func init() {
	for _, s := range flowCards() {
		engine.Register(s)
	}
}

// olWaitUnits are Wait For's units (Okta's choices: second, minute, hour, day).
var olWaitUnits = map[string]time.Duration{
	"millisecond": time.Millisecond, "second": time.Second, "minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour,
	"week": 7 * 24 * time.Hour,
}

func flowCards() []*engine.Spec {
	anyT := engine.T("any")
	return []*engine.Spec{
		{ID: "flow.assignIf", Okta: []string{"control:assignIf"}, Title: "Assign If", Category: "Branching", Kind: engine.KindFunction,
			Inputs: []engine.FieldSpec{
				{Key: "left-operand", Label: "value a", Type: anyT},
				{Key: "operator", Label: "operator", Type: engine.T("string"), Required: true, Choices: engine.Operators},
				{Key: "right-operand", Label: "value b", Type: anyT},
				{Key: "valueIfTrue", Label: "value if true", Type: anyT},
				{Key: "valueIfFalse", Label: "value if false", Type: anyT}},
			Outputs: []engine.FieldSpec{{Key: "output", Type: anyT}},
			DocURL:  olHelp + "Branching/branching_assignif.htm",
			Description: "Sets output to value if true when value a <operator> value b holds, else to value if false. It only picks a value: no branch runs. " +
				"The comparison follows value a's declared type, as in If/Else. For more than two outcomes use Lookup.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				var typ *engine.Type
				if f := in.Card.Input("left-operand"); f != nil {
					typ = f.Type
				}
				op, _ := in.Values["operator"].(string)
				ok, err := engine.Compare(in.Values["left-operand"], op, in.Values["right-operand"], typ)
				if err != nil {
					return nil, err
				}
				if ok {
					return engine.Outputs{"output": in.Values["valueIfTrue"]}, nil
				}
				return engine.Outputs{"output": in.Values["valueIfFalse"]}, nil
			}},
		{ID: "flow.lookup", Okta: []string{"control:lookup"}, Title: "Lookup", Category: "Branching", Kind: engine.KindFunction,
			Inputs: []engine.FieldSpec{{Key: "key", Label: "Value", Type: engine.T("string")},
				{Key: "else", Label: "else", Type: anyT}},
			ExtensibleInputs: true, Outputs: []engine.FieldSpec{{Key: "result", Type: anyT}},
			DocURL: olHelp + "Branching/branching_lookup.htm",
			Description: "A lookup table: add one input per case in the group \"options\", whose key is the case and whose value is the result for it. " +
				"result is the value of the option whose key equals Value exactly (as text, case-sensitive), else the `else` value. " +
				"Options named \"key\" or \"else\" cannot be told apart from the card's own inputs; avoid them.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				k := engine.ToText(in.Values["key"])
				for i := range in.Card.Inputs {
					f := &in.Card.Inputs[i]
					if f.Group == "options" && f.Key == k {
						return engine.Outputs{"result": in.Values[f.Key]}, nil
					}
				}
				return engine.Outputs{"result": in.Values["else"]}, nil
			}},
		{ID: "flow.repeat", Okta: []string{"control:times"}, Title: "Repeat", Category: "Flow control", Kind: engine.KindFunction, Helper: engine.HelperWaits,
			Inputs: []engine.FieldSpec{{Key: "count", Type: engine.T("number"), Required: true},
				{Key: "concurrency", Type: engine.T("number"), Description: "calls in parallel (1–200); default: the flow's setting"}},
			ExtensibleInputs: true,
			DocURL:           olHelp + "Flow-Control/flocontrol_times.htm",
			Description: "Calls the helper flow (card.flow) count times with the other inputs, unchanged; the helper's `context.index` is 0 … count-1. " +
				"Stops at the first failing call. A count below 1 calls nothing; a fractional count is truncated.",
			Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				n := int(in.Values["count"].(float64))
				if n > 1_000_000 {
					return nil, engine.InputErrorf("count", "%d is more than 1,000,000 calls", n)
				}
				items := make([]any, max(n, 0))
				if _, err := olCallEach(ctx, in, items, map[string]bool{"count": true, "concurrency": true, "flo": true}); err != nil {
					return nil, err
				}
				return engine.Outputs{}, nil
			}},
		{ID: "flow.waitFor", Okta: []string{"control:wait"}, Title: "Wait For", Category: "Flow control", Kind: engine.KindFunction,
			Inputs: []engine.FieldSpec{{Key: "delay", Type: engine.T("number"), Required: true},
				{Key: "unit", Type: engine.T("string"), Default: "second", Choices: []engine.Choice{
					{Value: "second", Label: "second"}, {Value: "minute", Label: "minute"}, {Value: "hour", Label: "hour"}, {Value: "day", Label: "day"}}}},
			DocURL: olHelp + "Flow-Control/flocontrol_wait.htm",
			Description: "Pauses the flow for delay × unit (seconds by default), then continues. The pause ends early, failing the card, when the execution is canceled or times out. " +
				"A delay of 0 or less does not wait.",
			Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				unit := strings.TrimSuffix(strings.ToLower(engine.ToText(in.Values["unit"])), "s")
				if unit == "" {
					unit = "second"
				}
				d, ok := olWaitUnits[unit]
				if !ok {
					return nil, engine.InputErrorf("unit", "unknown unit %q (second, minute, hour, day)", in.Values["unit"])
				}
				return engine.Outputs{}, olSleep(ctx, time.Duration(in.Values["delay"].(float64)*float64(d)))
			}},
		{ID: "flow.waitUntil", Okta: []string{"control:until"}, Title: "Wait Until", Category: "Flow control", Kind: engine.KindFunction,
			Inputs: []engine.FieldSpec{{Key: "date", Type: engine.T("date"), Required: true}},
			DocURL: olHelp + "Flow-Control/flocontrol_until.htm",
			Description: "Pauses the flow until the date and time, then continues; a date in the past does not wait. " +
				"The pause ends early, failing the card, when the execution is canceled or times out.",
			Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				t, err := engine.ParseDate(in.Values["date"])
				if err != nil {
					return nil, engine.InputErrorf("date", "%v", err)
				}
				return engine.Outputs{}, olSleep(ctx, time.Until(t))
			}},
		{ID: "flow.exportFlow", Okta: []string{"utility:exportFlo"}, Title: "Export Flow", Category: "Flows", Kind: engine.KindFunction,
			Inputs: []engine.FieldSpec{{Key: "flo", Label: "Flow", Type: engine.T("flow"), Description: "the flow to export; default: card.flow"},
				{Key: "pretty", Label: "JSON Pretty Print?", Type: engine.T("boolean"), Default: true},
				{Key: "indent", Label: "Number of Indented Spaces", Type: engine.T("number"), Default: float64(2)}},
			Outputs: []engine.FieldSpec{{Key: "output", Label: "Exported Flow", Type: engine.T("file")}},
			DocURL:  olHelp + "Flows/flows_exportflo.htm",
			Description: "The chosen flow (input flo, else the card's flow reference) as Flowbench's native flow JSON (format flowbench.flow/v1), as text. " +
				"Pretty printing indents by the number of spaces (0–10). Needs the engine service \"flows\" (an engine.FlowSource, e.g. the store).",
			Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				id := engine.ToText(in.Values["flo"])
				if id == "" {
					id = in.Card.Flow
				}
				if id == "" {
					return nil, engine.InputErrorf("flo", "no flow chosen")
				}
				src, ok := in.Run.Service("flows").(engine.FlowSource)
				if !ok {
					return nil, errors.New(`Export Flow needs the "flows" service (a flow source); none is configured`)
				}
				f, err := src.Flow(ctx, id)
				if err != nil {
					return nil, engine.InputErrorf("flo", "flow %q: %v", id, err)
				}
				if f.Format == "" {
					c := *f
					c.Format = engine.FlowFormat
					f = &c
				}
				pretty, _ := in.Values["pretty"].(bool)
				var b []byte
				if pretty {
					n, _ := in.Values["indent"].(float64)
					b, err = json.MarshalIndent(f, "", strings.Repeat(" ", max(0, min(int(n), 10))))
				} else {
					b, err = json.Marshal(f)
				}
				if err != nil {
					return nil, fmt.Errorf("export flow %q: %w", id, err)
				}
				return engine.Outputs{"output": string(b)}, nil
			}},
	}
}

// olSleep waits d or until ctx ends.
func olSleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait interrupted: %w", ctx.Err())
	}
}
