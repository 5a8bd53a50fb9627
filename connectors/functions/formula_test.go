package functions

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

func TestFormulaCard(t *testing.T) {
	slot := func(k string, val any) engine.Field { return vt(k, "number", val) }
	runCases(t, []cardCase{
		// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/number/number_expression.htm
		// IP address to integer, as in the check_ip_addresses_against_a_cidr_range template.
		{name: "ip to integer", card: "math:expression",
			in: []engine.Field{v("_text_", "{{{pY5mWFtPV}}} *(256)^3 + {{{P3xki-jVW}}} * (256)^2 + {{{UrU1M99lc}}} * (256)^1 + {{{9Obg6WAu6}}} * (256)^0"),
				slot("pY5mWFtPV", "10"), slot("P3xki-jVW", 1.0), slot("UrU1M99lc", 2.0), slot("9Obg6WAu6", 3.0)},
			want: map[string]any{"output": 167838211.0}},
		{name: "windows filetime", card: "number.formula",
			in:   []engine.Field{v("_text_", "({{{PgtLQQaY4}}} + 11644473600000) * 10000"), slot("PgtLQQaY4", 0.0)},
			want: map[string]any{"output": 116444736000000000.0}},
		{name: "plain names", card: "number.formula",
			in:   []engine.Field{v("_text_", "max(a, b, 3) - abs(-b) + round(2.5) + sqrt(16) % 3"), slot("a", 7.0), slot("b", 2.0)},
			want: map[string]any{"output": 9.0}},
		{name: "unknown slot", card: "number.formula", in: []engine.Field{v("_text_", "{{{x}}} + 1")}, errIn: "_text_"},
		{name: "slot not a number", card: "number.formula", in: []engine.Field{v("_text_", "{{{x}}} + 1"), vt("x", "string", "ten")}, errIn: "x"},
		{name: "slot null", card: "number.formula", in: []engine.Field{v("_text_", "{{{x}}} + 1"), slot("x", nil)}, errIn: "x"},
		{name: "division by zero", card: "number.formula", in: []engine.Field{v("_text_", "1 / (2 - 2)")}, errIn: "_text_"},
		{name: "code is refused", card: "number.formula", in: []engine.Field{v("_text_", "process.exit(1)")}, errIn: "_text_"},
		{name: "missing formula", card: "number.formula", in: nil, errIn: "_text_"},
	})
}

func TestEvalFormula(t *testing.T) {
	vars := func(name string) (float64, error) {
		switch name {
		case "x":
			return 3, nil
		case "weird-key":
			return 10, nil
		}
		return 0, fmt.Errorf("unknown name %q", name)
	}
	for _, c := range []struct {
		expr string
		want float64
		err  string
	}{
		{"1 + 2 * 3", 7, ""},
		{"(1 + 2) * 3", 9, ""},
		{"2 ^ 3 ^ 2", 512, ""},
		{"-2 ^ 2", -4, ""},
		{"2 ^ -1", 0.5, ""},
		{"--3", 3, ""},
		{"+x", 3, ""},
		{"10 % 4", 2, ""},
		{"-7 % 3", -1, ""},
		{"1e3 + .5", 1000.5, ""},
		{"{{{weird-key}}} / 4", 2.5, ""},
		{"min(3, x, 5) + MAX(1)", 4, ""},
		{"round(2.345, 2)", 2.35, ""},
		{"floor(-1.5) + ceil(1.2)", 0, ""},
		{"0 * -1", 0, ""},
		{"", 0, "ends where a number"},
		{"1 +", 0, "ends where a number"},
		{"(1", 0, "expected \")\""},
		{"1 2", 0, "unexpected"},
		{"1 / 0", 0, "division by 0"},
		{"5 % 0", 0, "division by 0"},
		{"y + 1", 0, "unknown name"},
		{"pow(2, 3)", 8, ""},
		{"3!", 6, ""},
		{"0! + 1!", 2, ""},
		{"2 ^ 3!", 64, ""},
		{"-3!", -6, ""},
		{"3!!", 720, ""},
		{"(1 + 2)! * 2", 12, ""},
		{"x! # the factorial of x", 6, ""},
		{"1 + # first line\n2", 3, ""},
		{"# only a comment", 0, "ends where a number"},
		{"log10(1000) + log(exp(2))", 5, ""},
		{"round(pi * 100)", 314, ""},
		{"PI", math.Pi, ""},
		{"sin(0) + cos(0) + tan(0)", 1, ""},
		{"asin(1) * 2", math.Pi, ""},
		{"acos(1) + atan(0)", 0, ""},
		{"sinh(0) + cosh(0) + tanh(0)", 1, ""},
		{"asinh(0) + acosh(1) + atanh(0)", 0, ""},
		{"2.5!", 0, "whole number"},
		{"(-1)!", 0, "whole number"},
		{"171!", 0, "not a finite"},
		{"log(0)", 0, "log(0) is not a finite number"},
		{"asin(2)", 0, "not a finite"},
		{"pow(2)", 0, "takes 2"},
		{"random(1, 2)", 0, "0 to 1"},
		{"foo(2)", 0, "unknown function"},
		{"!3", 0, "unexpected"},
		{"sqrt(-1)", 0, "not a finite"},
		{"10 ^ 400", 0, "not a finite"},
		{"abs()", 0, "takes 1"},
		{"1; 2", 0, "unexpected"},
		{"{{{x", 0, "unexpected"},
		{"$x", 0, "unexpected"},
		{strings.Repeat("(", 500) + "1" + strings.Repeat(")", 500), 0, "nested too deeply"},
		{strings.Repeat("-", 500) + "1", 0, "nested too deeply"},
	} {
		got, err := evalFormula(c.expr, vars)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want one containing %q", c.expr, err, c.err)
			}
			continue
		}
		if err != nil || math.Abs(got-c.want) > 1e-9 || math.Signbit(got) != math.Signbit(c.want) {
			t.Errorf("%q = %v, %v; want %v", c.expr, got, err, c.want)
		}
	}
}

// random() draws from [0, 1) and random(n) from [0, n), as Okta documents.
func TestFormulaRandom(t *testing.T) {
	none := func(string) (float64, error) { return 0, fmt.Errorf("no names") }
	seen := map[bool]bool{}
	for i := 0; i < 200; i++ {
		a, err := evalFormula("random()", none)
		if err != nil || a < 0 || a >= 1 {
			t.Fatalf("random() = %v, %v", a, err)
		}
		b, err := evalFormula("random(10)", none)
		if err != nil || b < 0 || b >= 10 {
			t.Fatalf("random(10) = %v, %v", b, err)
		}
		seen[b >= 1] = true
	}
	if !seen[true] {
		t.Fatal("random(10) never went above 1 in 200 draws: the bound is ignored")
	}
}

// FuzzFormula: the evaluator never panics, never returns a non-finite
// number, and a number written by FormatNumber reads back as itself.
func FuzzFormula(f *testing.F) {
	for _, s := range []string{"1+2*3", "{{{a}}} * (256)^3", "-(2^-1)", "max(1,2,3)", "((((1))))", "1e308*10", "round(2.5, 1) % 0.3", "{{{", "abs(", "2^^2", "sqrt(4)/x", "3! # c", "random(5) + pi", "-2^3!"} {
		f.Add(s)
	}
	vars := func(name string) (float64, error) {
		if name == "a" || name == "x" {
			return 2, nil
		}
		return 0, fmt.Errorf("unknown %q", name)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		v, err := evalFormula(expr, vars)
		if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Fatalf("%q gave %v without error", expr, v)
		}
		if err == nil {
			back, err := evalFormula(engine.FormatNumber(v), vars)
			if err != nil || back != v {
				t.Fatalf("%q = %v; re-reading %q gave %v, %v", expr, v, engine.FormatNumber(v), back, err)
			}
		}
	})
}
