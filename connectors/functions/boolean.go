package functions

import (
	"context"

	"github.com/flowbench/flowbench/engine"
)

// True/False cards (Okta module "boolean").

const helpBool = help + "true-false/"

func boolSpec(id, okta, title, page, desc string, in, out []engine.FieldSpec, run engine.RunFunc) *engine.Spec {
	return &engine.Spec{ID: id, Okta: []string{okta}, Title: title, Category: "True/False", Kind: engine.KindFunction,
		Description: desc, Inputs: in, Outputs: out, Run: run, DocURL: helpBool + page}
}

func init() {
	ab := []engine.FieldSpec{fs("a", "input 1", tBool), fs("b", "input 2", tBool)}
	for _, s := range []*engine.Spec{
		boolSpec("boolean.compare", "boolean:compare", "Compare", "truefalse_compare.htm",
			"Runs one true/false test, value a <comparison> value b (e.g. Price > 100). The declared type of the value a field decides how values compare: numbers numerically, text alphabetically (\"80\" > \"9\" is false), dates chronologically, true/false as booleans; untyped fields compare by the runtime values. `in` tests whether a is in list b, a key of object b, or part of text b; `has key` tests object a for key b; `is empty`/`is not empty` ignore b.",
			[]engine.FieldSpec{fs("left-operand", "value a", tAny),
				{Key: "operator", Label: "comparison", Type: tString, Required: true, Choices: engine.Operators},
				fs("right-operand", "value b", tAny)},
			[]engine.FieldSpec{fs("result", "result", tBool)}, compareCard),
		withExt(boolSpec("boolean.and", "boolean:and", "And", "truefalse_and.htm",
			"True when input 1, input 2 and every added input are all true. Unset (null) inputs count as false; text such as \"true\"/\"no\" and numbers (0 = false) are read loosely, other text is an error naming the input.",
			ab, []engine.FieldSpec{fs("output", "all true?", tBool)}, logic(true)), true),
		withExt(boolSpec("boolean.or", "boolean:or", "Or", "truefalse_or.htm",
			"True when at least one of input 1, input 2 and the added inputs is true. Unset inputs count as false.",
			ab, []engine.FieldSpec{fs("output", "any true?", tBool)}, logic(false)), true),
		boolSpec("boolean.xor", "boolean:xor", "Or (Exclusive)", "truefalse_xor.htm",
			"True when exactly one of the two inputs is true. Unset inputs count as false.",
			ab, []engine.FieldSpec{fs("output", "only one true?", tBool)},
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				return one("output", flag(in, "a", false) != flag(in, "b", false)), nil
			}),
		boolSpec("boolean.not", "boolean:not", "Not", "truefalse_not.htm",
			"The opposite of the input: true becomes false and false (or unset) becomes true. Okta kind chosen (boolean:not): not in the template corpus.",
			[]engine.FieldSpec{fs("a", "input", tBool)}, []engine.FieldSpec{fs("output", "output", tBool)},
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				return one("output", !flag(in, "a", false)), nil
			}),
	} {
		engine.Register(s)
	}
}

// compareCard compares with the declared type of the card's value a field.
func compareCard(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	var typ *engine.Type
	if in.Card != nil {
		if f := in.Card.Input("left-operand"); f != nil {
			typ = f.Type
		}
	}
	op, _ := in.Values["operator"].(string)
	r, err := engine.Compare(in.Values["left-operand"], op, in.Values["right-operand"], typ)
	if err != nil {
		return nil, err
	}
	return one("result", r), nil
}

// logic is And (all) or Or (any) over a, b and added inputs in card order.
func logic(all bool) engine.RunFunc {
	return func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
		res := all
		visit := func(k string) {
			v := flag(in, k, false)
			if all {
				res = res && v
			} else {
				res = res || v
			}
		}
		visit("a")
		visit("b")
		if in.Card != nil {
			for i := range in.Card.Inputs {
				if k := in.Card.Inputs[i].Key; k != "a" && k != "b" {
					visit(k)
				}
			}
		}
		return one("output", res), nil
	}
}
