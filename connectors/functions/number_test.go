package functions

import (
	"testing"

	"github.com/flowbench/flowbench/engine"
)

func TestNumberCards(t *testing.T) {
	runCases(t, []cardCase{
		// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/number/number_add.htm
		{name: "add", card: "math:add", in: ins("a", 2.0, "b", 3.5), want: map[string]any{"output": 5.5}},
		{name: "add text numbers", card: "number.add", in: ins("a", "1,000", "b", " 2 "), want: map[string]any{"output": 1002.0}},
		{name: "add extra inputs", card: "number.add", in: []engine.Field{v("a", 1.0), v("b", 2.0), vt("c", "number", "3"), vt("d", "number", nil)}, want: map[string]any{"output": 6.0}},
		{name: "add bad text", card: "number.add", in: ins("a", "one", "b", 1.0), errIn: "a"},
		{name: "add missing b", card: "number.add", in: ins("a", 1.0), errIn: "b"},
		{name: "add null b", card: "number.add", in: ins("a", 1.0, "b", nil), errIn: "b"},
		{name: "add object", card: "number.add", in: ins("a", map[string]any{}, "b", 1.0), errIn: "a"},
		{name: "add booleans", card: "number.add", in: ins("a", true, "b", true), want: map[string]any{"output": 2.0}},
		// .../number/number_subtract.htm
		{name: "subtract", card: "math:subtract", in: ins("a", 10.0, "b", 12.5), want: map[string]any{"output": -2.5}},
		// .../number/number_multiply.htm
		{name: "multiply", card: "math:multiply", in: ins("a", 1473206485.0, "b", 1000.0), want: map[string]any{"output": 1473206485000.0}},
		{name: "multiply extra", card: "number.multiply", in: []engine.Field{v("a", 2.0), v("b", 3.0), vt("c", "number", -1.0)}, want: map[string]any{"output": -6.0}},
		{name: "multiply overflow", card: "number.multiply", in: ins("a", 1e308, "b", 10.0), errIn: "b"},
		// .../number/number_divide.htm
		{name: "divide", card: "math:divide", in: ins("a", 1.0, "b", 8.0, "decimals", 4.0), want: map[string]any{"output": 0.125, "percentage": "12.5%"}},
		{name: "divide default decimals", card: "number.divide", in: ins("a", 2.0, "b", 3.0), want: map[string]any{"output": 0.67, "percentage": "66.67%"}},
		{name: "divide zero decimals", card: "number.divide", in: ins("a", 7.0, "b", 2.0, "decimals", 0.0), want: map[string]any{"output": 4.0, "percentage": "350%"}},
		{name: "divide by zero", card: "number.divide", in: ins("a", 1.0, "b", 0.0), errIn: "b"},
		{name: "divide by zero text", card: "number.divide", in: ins("a", 1.0, "b", "0"), errIn: "b"},
		{name: "mod", card: "number.mod", in: ins("a", 7.0, "b", 3.0), want: map[string]any{"output": 1.0}},
		{name: "mod negative", card: "number.mod", in: ins("a", -7.0, "b", 3.0), want: map[string]any{"output": -1.0}},
		{name: "mod zero", card: "number.mod", in: ins("a", 7.0, "b", 0.0), errIn: "b"},
		// .../number/number_round.htm, number_ceil.htm, number_floor.htm
		{name: "round half up", card: "math:round", in: ins("a", 2.5), want: map[string]any{"output": 3.0}},
		{name: "round negative half", card: "number.round", in: ins("a", -2.5), want: map[string]any{"output": -2.0}},
		{name: "round text", card: "number.round", in: ins("a", "2.49"), want: map[string]any{"output": 2.0}},
		{name: "ceil", card: "math:ceil", in: ins("a", 1.2), want: map[string]any{"output": 2.0}},
		{name: "ceil negative", card: "number.roundUp", in: ins("a", -1.8), want: map[string]any{"output": -1.0}},
		{name: "floor", card: "number.roundDown", in: ins("a", -1.2), want: map[string]any{"output": -2.0}},
		{name: "random range", card: "math:random", in: ins("a", 0.0, "b", 4.0), check: func(o map[string]any) string {
			n, _ := o["output"].(float64)
			if n < 0 || n >= 4 || n != float64(int(n)) {
				return "out of range"
			}
			return ""
		}},
		{name: "random single", card: "number.random", in: ins("a", 5.0, "b", 6.0), want: map[string]any{"output": 5.0}},
		{name: "random empty range", card: "number.random", in: ins("a", 5.0, "b", 5.0), errIn: "b"},
		{name: "compare numeric", card: "number.compare", in: ins("left-operand", "80", "operator", ">", "right-operand", "9"), want: map[string]any{"result": true}},
		{name: "compare multiple", card: "number.compare", in: ins("left-operand", -4.0, "operator", "%", "right-operand", 4.0), want: map[string]any{"result": true}},
		{name: "compare bad operator", card: "number.compare", in: ins("left-operand", 1.0, "operator", "in", "right-operand", 4.0), errIn: "operator"},
		{name: "compare bad number", card: "number.compare", in: ins("left-operand", "x", "operator", "==", "right-operand", 4.0), errIn: "left-operand"},
	})
}

func TestBooleanCards(t *testing.T) {
	runCases(t, []cardCase{
		// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/true-false/truefalse_compare.htm
		{name: "compare text alphabetical", card: "boolean:compare",
			in: []engine.Field{vt("left-operand", "string", "80"), v("operator", ">"), vt("right-operand", "string", "9")}, want: map[string]any{"result": false}},
		{name: "compare declared number", card: "boolean.compare",
			in: []engine.Field{vt("left-operand", "number", "80"), v("operator", ">"), vt("right-operand", "number", "9")}, want: map[string]any{"result": true}},
		{name: "compare number typed left only", card: "boolean.compare",
			in: []engine.Field{vt("left-operand", "number", 80.0), v("operator", ">="), v("right-operand", "9")}, want: map[string]any{"result": true}},
		{name: "compare dates", card: "boolean.compare",
			in: []engine.Field{vt("left-operand", "date", "2020-01-02"), v("operator", "<"), vt("right-operand", "date", "2020-01-01T23:00:00-02:00")}, want: map[string]any{"result": true}},
		{name: "compare in text", card: "boolean.compare", in: ins("left-operand", "test", "operator", "in", "right-operand", "this is a test"), want: map[string]any{"result": true}},
		{name: "compare in list", card: "boolean.compare", in: ins("left-operand", "b", "operator", "in", "right-operand", []any{"a", "b"}), want: map[string]any{"result": true}},
		{name: "compare has key", card: "boolean.compare", in: ins("left-operand", map[string]any{"id": 1.0}, "operator", "has", "right-operand", "id"), want: map[string]any{"result": true}},
		{name: "compare is empty", card: "boolean.compare", in: ins("left-operand", "", "operator", "is empty"), want: map[string]any{"result": true}},
		{name: "compare is not empty null", card: "boolean.compare", in: ins("left-operand", nil, "operator", "is not empty"), want: map[string]any{"result": false}},
		{name: "compare equal string field", card: "boolean.compare",
			in: []engine.Field{vt("left-operand", "string", "ACTIVE"), v("operator", "=="), vt("right-operand", "string", "ACTIVE")}, want: map[string]any{"result": true}},
		{name: "compare unknown operator", card: "boolean.compare", in: ins("left-operand", 1.0, "operator", "~", "right-operand", 1.0), errIn: "operator"},
		{name: "compare bad date", card: "boolean.compare",
			in: []engine.Field{vt("left-operand", "date", "2020-01-02"), v("operator", "<"), vt("right-operand", "string", "soon")}, errIn: "right-operand"},
		// .../true-false/truefalse_and.htm, truefalse_or.htm, truefalse_xor.htm
		{name: "and", card: "boolean:and", in: ins("a", true, "b", true), want: map[string]any{"output": true}},
		{name: "and loose", card: "boolean.and", in: ins("a", "true", "b", 0.0), want: map[string]any{"output": false}},
		{name: "and extra", card: "boolean.and", in: []engine.Field{v("a", true), v("b", true), vt("c", "boolean", false)}, want: map[string]any{"output": false}},
		{name: "and null", card: "boolean.and", in: ins("a", true, "b", nil), want: map[string]any{"output": false}},
		{name: "and bad text", card: "boolean.and", in: ins("a", "perhaps", "b", true), errIn: "a"},
		{name: "or", card: "boolean:or", in: ins("a", false, "b", "yes"), want: map[string]any{"output": true}},
		{name: "or extra", card: "boolean.or", in: []engine.Field{v("a", false), v("b", false), vt("c", "boolean", "1")}, want: map[string]any{"output": true}},
		{name: "or none", card: "boolean.or", in: nil, want: map[string]any{"output": false}},
		{name: "xor", card: "boolean:xor", in: ins("a", true, "b", false), want: map[string]any{"output": true}},
		{name: "xor both", card: "boolean.xor", in: ins("a", true, "b", true), want: map[string]any{"output": false}},
		{name: "not", card: "boolean.not", in: ins("a", false), want: map[string]any{"output": true}},
		{name: "not null", card: "boolean.not", in: nil, want: map[string]any{"output": true}},
	})
}
