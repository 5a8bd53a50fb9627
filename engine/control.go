package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// The control cards are part of the engine: they steer the run itself.
// Field keys are Okta's export keys, so imported flows need no renaming.

const helpFlowControl = "https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/"

var condInputs = []FieldSpec{
	{Key: "left-operand", Label: "value a", Type: T("any")},
	{Key: "operator", Label: "operator", Type: T("string"), Required: true, Choices: Operators},
	{Key: "right-operand", Label: "value b", Type: T("any")},
}

// condition evaluates left-operand/operator/right-operand with the declared
// type of the left operand field (Okta compares by field type).
func condition(in Inputs, keys ...string) (bool, error) {
	l, o, r := "left-operand", "operator", "right-operand"
	if len(keys) == 3 {
		l, o, r = keys[0], keys[1], keys[2]
	}
	var typ *Type
	if f := in.Card.Input(l); f != nil {
		typ = f.Type
	}
	op, _ := in.Values[o].(string)
	return Compare(in.Values[l], op, in.Values[r], typ)
}

func init() { RegisterControlCards(defaultRegistry) }

// RegisterControlCards adds the engine's control cards to r.
func RegisterControlCards(r *Registry) {
	for _, s := range append(append(controlCards(), moreControlCards()...), pauseCards()...) { // control_find.go, pause.go
		r.MustAdd(s)
	}
}

func controlCards() []*Spec {
	noop := func(context.Context, Inputs) (Outputs, error) { return Outputs{}, nil }
	mirror := func(_ context.Context, in Inputs) (Outputs, error) { return in.Values, nil }
	return []*Spec{
		{ID: "flow.manual", Title: "Manual Run", Category: "Triggers", Kind: KindTrigger, ExtensibleOutputs: true,
			Description: "Starts the flow by hand (Run button, `flowbench run`) with test inputs you declare as its outputs."},
		{ID: "flow.helper", Okta: []string{"control:callable"}, Title: "Helper Flow", Category: "Triggers", Kind: KindTrigger,
			ExtensibleOutputs: true, DocURL: helpFlowControl + "flow-control/flocontrol_spawn.htm",
			Description: "Makes the flow callable by Call Flow, For Each, Map, Reduce and Filter. Declare the inputs the caller passes as this card's outputs; `context` carries index, error and caller."},
		{ID: "flow.comment", Okta: []string{"control:comment"}, Title: "Note", Category: "Flow control", Kind: KindFunction,
			Run: noop, Description: "A note on the canvas; does nothing when run."},
		{ID: "flow.noop", Okta: []string{"control:noop"}, Title: "Noop", Category: "Flow control", Kind: KindFunction,
			Run: noop, Description: "Does nothing."},
		{ID: "flow.assign", Okta: []string{"control:let"}, Title: "Assign", Category: "Flow control", Kind: KindFunction,
			ExtensibleInputs: true, ExtensibleOutputs: true, Run: mirror, DocURL: helpFlowControl + "Flow-Control/flocontrol_let.htm",
			Description: "Each input becomes an output of the same name: store or rename values."},
		{ID: "flow.if", Okta: []string{"control:if"}, Title: "If/Else", Category: "Branching", Kind: KindControl,
			Inputs: condInputs, Outputs: []FieldSpec{{Key: "result", Type: T("boolean")}}, ExtensibleOutputs: true,
			Branches: []string{"true", "false"}, DocURL: helpFlowControl + "Branching/branching_if.htm",
			Description: "Runs the true lane when value a <operator> value b holds, else the false lane. Outputs take their value from the lane that ran (declare them with `any` bindings, one per lane).",
			Control:     runIf},
		{ID: "flow.ifElseIf", Okta: []string{"control:branch"}, Title: "If/ElseIf", Category: "Branching", Kind: KindControl,
			ExtensibleOutputs: true, DocURL: helpFlowControl + "branching/branching_branch.htm",
			Description: "Tests each clause top-down (each branch carries left-operand/operator/right-operand); runs the first true one, else the branch named \"else\". A Return inside a branch sets the card's outputs.",
			Control:     runIfElseIf},
		{ID: "flow.continueIf", Okta: []string{"control:continueIf"}, Title: "Continue If", Category: "Branching", Kind: KindControl,
			Inputs:  append(append([]FieldSpec{}, condInputs...), FieldSpec{Key: "message", Group: "otherwise", Type: T("string")}),
			Outputs: []FieldSpec{{Key: "message", Type: T("string")}}, DocURL: helpFlowControl + "branching/branching_continueif.htm",
			Description: "Continues when the condition holds; otherwise ends the flow (or the enclosing If/ElseIf or If Error block) quietly, without an error.",
			Control: func(_ context.Context, in Inputs, _ Scope) (Outputs, error) {
				ok, err := condition(in)
				if err != nil {
					return nil, err
				}
				if !ok {
					return nil, Halt(in.Card.ID)
				}
				return Outputs{"message": in.Values["message"]}, nil
			}},
		{ID: "flow.return", Okta: []string{"control:return"}, Title: "Return", Category: "Flow control", Kind: KindControl,
			ExtensibleInputs: true, ExtensibleOutputs: true, DocURL: helpFlowControl + "flow-control/flocontrol_return.htm",
			Description: "Ends the flow and hands its inputs to the caller (or, inside If/ElseIf and If Error, to the container's outputs by key).",
			Control: func(_ context.Context, in Inputs, _ Scope) (Outputs, error) {
				return nil, ReturnFlow(in.Values)
			}},
		{ID: "flow.returnRaw", Okta: []string{"control:returnRaw"}, Title: "Return Raw", Category: "Flow control", Kind: KindControl,
			Inputs: []FieldSpec{{Key: "statusCode", Type: T("number"), Default: float64(200)},
				{Key: "headers", Type: T("object")}, {Key: "body", Type: T("string")}},
			DocURL:      helpFlowControl + "Flow-Control/flocontrol_returnraw.htm",
			Description: "Ends an API Endpoint flow with this HTTP status, headers and body.",
			Control: func(_ context.Context, in Inputs, _ Scope) (Outputs, error) {
				return nil, ReturnFlow(map[string]any{"statusCode": in.Values["statusCode"], "headers": in.Values["headers"], "body": in.Values["body"], "raw": true})
			}},
		{ID: "flow.returnError", Okta: []string{"control:throw"}, Title: "Return Error", Category: "Error handling", Kind: KindFunction,
			Inputs:      []FieldSpec{{Key: "statusCode", Type: T("number")}, {Key: "message", Type: T("string"), Required: true}},
			DocURL:      helpFlowControl + "Error-Handling/errorhandling_throw.htm",
			Description: "Stops the flow with an error.",
			Run: func(_ context.Context, in Inputs) (Outputs, error) {
				return nil, userError(in)
			}},
		{ID: "flow.returnErrorIf", Okta: []string{"control:throwIf"}, Title: "Return Error If", Category: "Error handling", Kind: KindFunction,
			Inputs: append(append([]FieldSpec{}, condInputs...), FieldSpec{Key: "statusCode", Type: T("number")},
				FieldSpec{Key: "message", Type: T("string")}),
			ExtensibleInputs: true,
			Description:      "Stops the flow with an error when the condition holds; continues otherwise.",
			Run: func(_ context.Context, in Inputs) (Outputs, error) {
				ok, err := condition(in)
				if err != nil {
					return nil, err
				}
				if ok {
					return nil, userError(in)
				}
				return Outputs{}, nil
			}},
		{ID: "flow.ifError", Okta: []string{"control:tryCatch"}, Title: "If Error", Category: "Error handling", Kind: KindControl,
			ExtensibleOutputs: true, Branches: []string{"try", "catch"}, DocURL: helpFlowControl + "Error-Handling/errorhandling_trycatch.htm",
			Description: "Runs the try cards; if one fails, runs the catch cards with the error (message, code, method, flo, execution) as `error` of this card. Outputs come from the Return of whichever block ran.",
			Control:     runIfError},
		{ID: "flow.call", Okta: []string{"control:spawn"}, Title: "Call Flow", Category: "Flow control", Kind: KindControl, Helper: HelperWaits,
			ExtensibleInputs: true, ExtensibleOutputs: true, DocURL: helpFlowControl + "flow-control/flocontrol_spawn.htm",
			Description: "Runs the helper flow (card.flow) with the inputs by key and waits; outputs are the helper's Return values by key.",
			Control: func(ctx context.Context, in Inputs, _ Scope) (Outputs, error) {
				return in.Run.CallFlow(ctx, in.Card.Flow, helperArgs(in.Values, nil))
			}},
		{ID: "flow.callAsync", Okta: []string{"control:run"}, Title: "Call Flow Async", Category: "Flow control", Kind: KindControl, Helper: HelperStarts,
			ExtensibleInputs: true, Outputs: []FieldSpec{{Key: "execution", Type: T("string")}},
			Description: "Starts the helper flow with the inputs and goes on without waiting (fire and forget). The child run is linked in history.",
			Control: func(ctx context.Context, in Inputs, _ Scope) (Outputs, error) {
				id, err := in.Run.StartFlow(ctx, in.Card.Flow, helperArgs(in.Values, nil))
				return Outputs{"execution": id}, err
			}},
		iterSpec("list.forEach", "list:each", "For Each", "Calls the helper flow once per item; stops at the first failing item.", nil, iterEach(false)),
		iterSpec("list.forEachIgnoreErrors", "list:asyncEach", "For Each - Ignore Errors", "Calls the helper flow once per item and keeps going when an item fails; failures are counted.",
			[]FieldSpec{{Key: "failed", Type: T("number")}}, iterEach(true)),
		iterSpec("list.map", "list:map", "Map", "Calls the helper per item; the new list holds each Return (its single value, or the object of its values).",
			[]FieldSpec{{Key: "new list", Type: T("any[]")}}, iterMap),
		iterSpec("list.filterCustom", "list:filter", "Filter Custom", "Calls the helper per item; keeps the items whose Return value is true.",
			[]FieldSpec{{Key: "list", Type: T("any[]")}}, iterFilter),
		{ID: "list.reduce", Okta: []string{"list:reduce"}, Title: "Reduce", Category: "List", Kind: KindControl, ExtensibleInputs: true, Helper: HelperWaits,
			Inputs:  []FieldSpec{{Key: "list", Type: T("any[]"), Required: true}, {Key: "memo", Type: T("any")}},
			Outputs: []FieldSpec{{Key: "memo", Type: T("any")}}, DocURL: helpFlowControl + "list/list_reduce.htm",
			Description: "Calls the helper per item in order with the running `memo`; the helper's Return value becomes the next memo.",
			Control:     iterReduce},
	}
}

func userError(in Inputs) error {
	code := 0
	if n, ok := in.Values["statusCode"].(float64); ok {
		code = int(n)
	}
	msg := ToText(in.Values["message"])
	if msg == "" {
		msg = "Return Error"
	}
	return &UserError{Message: msg, StatusCode: code}
}

func runIf(ctx context.Context, in Inputs, s Scope) (Outputs, error) {
	ok, err := condition(in)
	if err != nil {
		return nil, err
	}
	lane := "false"
	if ok {
		lane = "true"
	}
	res, err := s.RunBranch(ctx, lane, nil)
	if err != nil {
		return nil, err
	}
	if sig := Propagate(res, in.Card.ID); sig != nil {
		return nil, sig
	}
	out, err := declaredOutputs(in.Card, s)
	if err != nil {
		return nil, err
	}
	out["result"] = ok
	return out, nil
}

// declaredOutputs evaluates the card's declared output fields (If/Else outputs).
func declaredOutputs(c *Card, s Scope) (Outputs, error) {
	out := make(Outputs, len(c.Outputs)+1)
	for i := range c.Outputs {
		v, err := s.Resolve(&c.Outputs[i])
		if err != nil {
			return nil, &FieldError{Key: c.Outputs[i].Key, Err: err}
		}
		out[c.Outputs[i].Key] = v
	}
	return out, nil
}

// blockOutputs maps a block's Return values onto the container's declared outputs.
func blockOutputs(c *Card, res BranchResult) Outputs {
	out := Outputs{}
	for i := range c.Outputs {
		f := &c.Outputs[i]
		v := res.Values[f.Key]
		if f.Type != nil && v != nil {
			if cv, err := Coerce(v, f.Type); err == nil {
				v = cv
			}
		}
		out[f.Key] = v
	}
	if len(c.Outputs) == 0 {
		for k, v := range res.Values {
			out[k] = v
		}
	}
	return out
}

func runIfElseIf(ctx context.Context, in Inputs, s Scope) (Outputs, error) {
	c := in.Card
	for i := range c.Branches {
		b := &c.Branches[i]
		if b.Name == "else" {
			continue
		}
		vals := map[string]any{}
		var typ *Type
		for j := range b.Inputs {
			v, err := s.Resolve(&b.Inputs[j])
			if err != nil {
				return nil, &FieldError{Key: b.Name + "/" + b.Inputs[j].Key, Err: err}
			}
			vals[b.Inputs[j].Key] = v
			if b.Inputs[j].Key == "left-operand" {
				typ = b.Inputs[j].Type
			}
		}
		op, _ := vals["operator"].(string)
		ok, err := Compare(vals["left-operand"], op, vals["right-operand"], typ)
		if err != nil {
			return nil, fmt.Errorf("clause %q: %w", b.Name, err)
		}
		if ok {
			res, err := s.RunBranch(ctx, b.Name, nil)
			if err != nil {
				return nil, err
			}
			return blockOutputs(c, res), nil
		}
	}
	res, err := s.RunBranch(ctx, "else", nil)
	if err != nil {
		return nil, err
	}
	return blockOutputs(c, res), nil
}

func runIfError(ctx context.Context, in Inputs, s Scope) (Outputs, error) {
	res, err := s.RunBranch(ctx, "try", nil)
	if err == nil {
		return blockOutputs(in.Card, res), nil
	}
	if ctx.Err() != nil {
		return nil, err
	}
	ev := ErrorValue(err, in.Card, "", in.Run.ExecutionID())
	var ce *CardError
	if errors.As(err, &ce) {
		ev["method"] = ce.Card
		ev["flo"] = ce.Flow
	}
	res, err = s.RunBranch(ctx, "catch", map[string]any{"error": ev})
	if err != nil {
		return nil, err
	}
	out := blockOutputs(in.Card, res)
	return out, nil
}

// --- list iteration over helper flows ---

func iterSpec(id, okta, title, desc string, outs []FieldSpec, fn ControlFunc) *Spec {
	return &Spec{ID: id, Okta: []string{okta}, Title: title, Category: "List", Kind: KindControl, ExtensibleInputs: true, Helper: HelperWaits,
		Inputs: []FieldSpec{{Key: "list", Type: T("any[]"), Required: true},
			{Key: "concurrency", Type: T("number"), Description: "items processed in parallel (1–200); default: the flow's setting"}},
		Outputs: outs, Description: desc, Control: fn}
}

// helperArgs builds a helper call's arguments from the caller's inputs,
// dropping the iteration card's own fields.
func helperArgs(values map[string]any, skip map[string]bool) map[string]any {
	args := make(map[string]any, len(values))
	for k, v := range values {
		if !skip[k] {
			args[k] = v
		}
	}
	return args
}

var iterOwn = map[string]bool{"list": true, "concurrency": true, "memo": true}

// iterate calls the helper once per item with bounded concurrency and
// returns each call's outputs (nil where it failed) and errors, and the
// first failure in time — with stopOnError the others are mostly the
// cancellations it caused, so it is the one to report.
func iterate(ctx context.Context, in Inputs, stopOnError bool) ([]map[string]any, []error, error) {
	list, _ := in.Values["list"].([]any)
	conc := 0
	if n, ok := in.Values["concurrency"].(float64); ok {
		conc = int(n)
	}
	if conc <= 0 {
		conc = in.Run.Settings().Concurrency
	}
	conc = max(1, min(conc, 200))
	base := helperArgs(in.Values, iterOwn)
	results := make([]map[string]any, len(list))
	errs := make([]error, len(list))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var firstMu sync.Mutex
	var first error
	one := func(ctx context.Context, i int) {
		if ctx.Err() != nil {
			errs[i] = ctx.Err()
			return
		}
		out, err := in.Run.CallFlow(ctx, in.Card.Flow, itemArgs(in.Card, base, list[i], i))
		results[i], errs[i] = out, err
		if err != nil {
			firstMu.Lock()
			if first == nil {
				first = fmt.Errorf("item %d: %w", i, err)
			}
			firstMu.Unlock()
			if stopOnError {
				cancel()
			}
		}
	}
	if Fanout(ctx, in.Run, len(list), conc, one) { // under a workflow engine (hooks.go)
		return results, errs, first
	}
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	for i, item := range list {
		if ctx.Err() != nil {
			errs[i] = ctx.Err()
			continue
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(i int, item any) {
			defer func() { <-sem; wg.Done() }()
			args := itemArgs(in.Card, base, item, i)
			out, err := in.Run.CallFlow(ctx, in.Card.Flow, args)
			results[i], errs[i] = out, err
			if err != nil {
				firstMu.Lock()
				if first == nil {
					first = fmt.Errorf("item %d: %w", i, err)
				}
				firstMu.Unlock()
				if stopOnError {
					cancel()
				}
			}
		}(i, item)
	}
	wg.Wait()
	return results, errs, first
}

func itemArgs(c *Card, base map[string]any, item any, i int) map[string]any {
	args := make(map[string]any, len(base)+1)
	for k, v := range base {
		args[k] = v
	}
	for j := range c.Inputs {
		f := &c.Inputs[j]
		if f.Item == nil {
			continue
		}
		v := item
		switch {
		case f.Item.Index:
			v = float64(i)
		case f.Item.Path != "":
			v, _ = Get(item, splitPath(f.Item.Path))
		}
		if f.Type != nil {
			if cv, err := Coerce(v, f.Type); err == nil {
				v = cv
			}
		}
		args[f.Key] = v
	}
	args["context"] = map[string]any{"index": float64(i)}
	return args
}

func splitPath(p string) []string {
	var out []string
	start := 0
	for i := 0; i < len(p); i++ {
		if p[i] == '.' {
			out = append(out, p[start:i])
			start = i + 1
		}
	}
	return append(out, p[start:])
}

func iterEach(ignore bool) ControlFunc {
	return func(ctx context.Context, in Inputs, _ Scope) (Outputs, error) {
		_, errs, first := iterate(ctx, in, !ignore)
		if !ignore {
			if first != nil {
				return nil, first
			}
			return Outputs{}, nil
		}
		n := 0
		for _, err := range errs {
			if err != nil {
				n++
			}
		}
		return Outputs{"failed": float64(n)}, nil
	}
}

// single returns the only value of a Return, or the object of its values.
func single(m map[string]any) any {
	if len(m) == 1 {
		for _, v := range m {
			return v
		}
	}
	return m
}

func iterMap(ctx context.Context, in Inputs, _ Scope) (Outputs, error) {
	res, _, first := iterate(ctx, in, true)
	if first != nil {
		return nil, first
	}
	out := make([]any, len(res))
	for i, r := range res {
		out[i] = single(r)
	}
	return Outputs{"new list": out}, nil
}

func iterFilter(ctx context.Context, in Inputs, _ Scope) (Outputs, error) {
	res, _, first := iterate(ctx, in, true)
	if first != nil {
		return nil, first
	}
	list, _ := in.Values["list"].([]any)
	out := []any{}
	for i, r := range res {
		if len(r) == 0 {
			continue // the helper ended without a Return (as Find Custom): not kept
		}
		keep, err := ToBool(single(r))
		if err != nil {
			return nil, fmt.Errorf("item %d: helper must return true or false: %w", i, err)
		}
		if keep {
			out = append(out, list[i])
		}
	}
	return Outputs{"list": out}, nil
}

func iterReduce(ctx context.Context, in Inputs, _ Scope) (Outputs, error) {
	list, _ := in.Values["list"].([]any)
	memo := in.Values["memo"]
	base := helperArgs(in.Values, iterOwn)
	for i, item := range list {
		args := itemArgs(in.Card, base, item, i)
		args["memo"] = memo
		out, err := in.Run.CallFlow(ctx, in.Card.Flow, args)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		memo = single(out)
	}
	return Outputs{"memo": memo}, nil
}
