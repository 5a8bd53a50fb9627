package functions

import (
	"context"
	"crypto/rand"
	"math"
	"math/big"

	"github.com/flowbench/flowbench/engine"
)

// Number cards (Okta module "math").

const helpNumber = help + "number/"

func numSpec(id, okta, title, page, desc string, in, out []engine.FieldSpec, run engine.RunFunc) *engine.Spec {
	s := &engine.Spec{ID: id, Title: title, Category: "Number", Kind: engine.KindFunction, Description: desc,
		Inputs: in, Outputs: out, Run: run, DocURL: helpNumber + page}
	if okta != "" {
		s.Okta = []string{okta}
	}
	return s
}

func init() {
	for _, s := range numberCards() {
		engine.Register(s)
	}
}

func numberCards() []*engine.Spec {
	out := []engine.FieldSpec{fs("output", "output", tNumber)}
	ab := []engine.FieldSpec{req("a", "number 1", tNumber), req("b", "number 2", tNumber)}
	return []*engine.Spec{
		withExt(numSpec("number.add", "math:add", "Add", "number_add.htm",
			"Sum of number 1, number 2 and any added number inputs. Text inputs are read as numbers (\"1,000\" = 1000); text that is not a number is an error naming the input.",
			ab, out, fold(func(a, b float64) float64 { return a + b })), true),
		numSpec("number.subtract", "math:subtract", "Subtract", "number_subtract.htm",
			"number minus subtract (a - b).",
			[]engine.FieldSpec{req("a", "number", tNumber), req("b", "subtract", tNumber)}, out,
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				a, _ := num(in, "a")
				b, _ := num(in, "b")
				return finite("b", a-b)
			}),
		withExt(numSpec("number.multiply", "math:multiply", "Multiply", "number_multiply.htm",
			"Product of number 1, number 2 and any added number inputs.",
			ab, out, fold(func(a, b float64) float64 { return a * b })), true),
		numSpec("number.divide", "math:divide", "Divide", "number_divide.htm",
			"Divides `Number` by `Divided by`. `output` is the quotient rounded to `decimals` places (default 2; half away from zero); `percentage` is the quotient × 100 rounded the same way, as text with a % sign (\"12.5%\"). Dividing by 0 is an error naming `b` (decision: JavaScript would give Infinity).",
			[]engine.FieldSpec{req("a", "Number", tNumber), req("b", "Divided by", tNumber), def("decimals", "Number of decimal points", tNumber, float64(2))},
			[]engine.FieldSpec{fs("output", "Result as a decimal", tNumber), fs("percentage", "Percentage", tString)}, divide),
		numSpec("number.mod", "math:mod", "Mod", "number_mod.htm",
			"Remainder of a divided by b, with the sign of a (JavaScript %): 7 mod 3 = 1, -7 mod 3 = -1. b = 0 is an error naming `b`. Okta kind chosen (math:mod): not in the template corpus.",
			[]engine.FieldSpec{req("a", "number", tNumber), req("b", "divided by", tNumber)}, out,
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				a, _ := num(in, "a")
				b, _ := num(in, "b")
				if b == 0 {
					return nil, engine.InputErrorf("b", "cannot divide by 0")
				}
				return one("output", math.Mod(a, b)), nil
			}),
		numSpec("number.round", "math:round", "Round", "number_round.htm",
			"Rounds to the nearest whole number; halves go up (JavaScript Math.round: 2.5 → 3, -2.5 → -2).",
			[]engine.FieldSpec{req("a", "number", tNumber)}, []engine.FieldSpec{fs("output", "rounded", tNumber)},
			unary(jsRound)),
		numSpec("number.roundUp", "math:ceil", "Round Up", "number_ceil.htm",
			"Smallest whole number not less than the number (1.2 → 2, -1.8 → -1).",
			[]engine.FieldSpec{req("a", "number", tNumber)}, []engine.FieldSpec{fs("output", "rounded up", tNumber)},
			unary(math.Ceil)),
		numSpec("number.roundDown", "math:floor", "Round Down", "number_floor.htm",
			"Largest whole number not greater than the number (1.8 → 1, -1.2 → -2). Okta kind chosen (math:floor) by analogy with Round Up (math:ceil).",
			[]engine.FieldSpec{req("a", "number", tNumber)}, []engine.FieldSpec{fs("output", "rounded down", tNumber)},
			unary(math.Floor)),
		numSpec("number.random", "math:random", "Random Integer", "number_random.htm",
			"A random whole number n with a ≤ n < b (bounds rounded up to whole numbers). b must be greater than a, else an error naming `b`.",
			[]engine.FieldSpec{req("a", "Greater than or equal to", tNumber), req("b", "Less than", tNumber)},
			[]engine.FieldSpec{fs("output", "random", tNumber)}, randomInt),
		numSpec("number.compare", "math:compare", "Compare", "number_compare.htm",
			"Compares two numbers with the operator (equal to, greater than, a multiple of…) and gives true or false. Both sides are read as numbers, so 80 > 9 is true even when the values arrive as text. Okta kind chosen (math:compare): not in the template corpus.",
			[]engine.FieldSpec{req("left-operand", "value a", tNumber),
				{Key: "operator", Label: "comparison", Type: tString, Required: true, Choices: numberOperators},
				req("right-operand", "value b", tNumber)},
			[]engine.FieldSpec{fs("result", "result", tBool)},
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				op, _ := in.Values["operator"].(string)
				r, err := engine.Compare(in.Values["left-operand"], op, in.Values["right-operand"], tNumber)
				if err != nil {
					return nil, err
				}
				return one("result", r), nil
			}),
		withExt(numSpec("number.formula", "math:expression", "Formula", "number_expression.htm",
			"Evaluates an arithmetic formula. The formula (`_text_`) embeds the card's number inputs as `{{{KEY}}}` (Okta's export form); native flows may also name an input by its key when the key is a plain identifier. Supported, as on Okta's Formula page: numbers (1, 2.5, 1e3), + - * / %, ^ for powers (right-associative, binds tighter than unary minus: -2^2 = -4), ! for factorial (binds tightest: 2^3! = 64, -3! = -6; whole numbers 0–170 only), # comments (to the end of the line), parentheses, the constant pi, and the functions abs, ceil, floor, min, max, round, random (random() is in [0, 1), random(n) in [0, n)), exp, log, log10, pow, sqrt, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh, atanh. Anything else — unknown names, division by 0, results that are not finite numbers — is an error naming `_text_` (or the input that is not a number). Nothing is ever executed as code.",
			[]engine.FieldSpec{req("_text_", "formula", tString)}, out, formulaCard), true),
	}
}

var numberOperators = []engine.Choice{{Value: "==", Label: "equal to"}, {Value: "!=", Label: "not equal"},
	{Value: ">", Label: "greater than"}, {Value: ">=", Label: "greater than or equal to"},
	{Value: "<", Label: "less than"}, {Value: "<=", Label: "less than or equal to"}, {Value: "%", Label: "a multiple of"}}

func finite(key string, f float64) (engine.Outputs, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, engine.InputErrorf(key, "the result is not a finite number")
	}
	return one("output", f), nil
}

func unary(fn func(float64) float64) engine.RunFunc {
	return func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
		a, _ := num(in, "a")
		return one("output", fn(a)), nil
	}
}

// fold combines a, b and the card's added inputs in card order.
func fold(op func(a, b float64) float64) engine.RunFunc {
	return func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
		a, _ := num(in, "a")
		b, _ := num(in, "b")
		acc := op(a, b)
		last := "b"
		if in.Card != nil {
			for i := range in.Card.Inputs {
				k := in.Card.Inputs[i].Key
				if k == "a" || k == "b" {
					continue
				}
				v, ok := num(in, k)
				if !ok {
					continue // unset added input: ignored
				}
				acc = op(acc, v)
				last = k
			}
		}
		return finite(last, acc)
	}
}

func jsRound(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return f
	}
	return math.Floor(f + 0.5)
}

// roundTo rounds half away from zero to d decimal places.
func roundTo(f float64, d int) float64 {
	if d < 0 {
		d = 0
	}
	if d > 15 {
		d = 15
	}
	p := math.Pow(10, float64(d))
	r := math.Round(f*p) / p
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return f
	}
	return r
}

func divide(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	a, _ := num(in, "a")
	b, _ := num(in, "b")
	if b == 0 {
		return nil, engine.InputErrorf("b", "cannot divide by 0")
	}
	d := 2
	if f, ok := num(in, "decimals"); ok {
		d = integer(f)
	}
	q := a / b
	if math.IsInf(q, 0) || math.IsNaN(q) {
		return nil, engine.InputErrorf("b", "the result is not a finite number")
	}
	return engine.Outputs{"output": roundTo(q, d), "percentage": engine.FormatNumber(roundTo(q*100, d)) + "%"}, nil
}

func randomInt(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	a, _ := num(in, "a")
	b, _ := num(in, "b")
	lo, hi := math.Ceil(a), math.Ceil(b)
	if hi <= lo {
		return nil, engine.InputErrorf("b", "must be greater than %s", engine.FormatNumber(a))
	}
	if hi-lo > 1<<53 {
		return nil, engine.InputErrorf("b", "range is too large")
	}
	k, err := rand.Int(rand.Reader, big.NewInt(int64(hi-lo)))
	if err != nil {
		return nil, err
	}
	return one("output", lo+float64(k.Int64())), nil
}
