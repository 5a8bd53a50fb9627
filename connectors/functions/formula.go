package functions

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// The Formula card's evaluator: a small recursive-descent parser that
// computes as it parses. It knows numbers, variables, + - * / % ^, postfix !
// (factorial), # comments, parentheses, unary signs, the constant pi and the
// functions of Okta's Formula help page — nothing else, so a formula can
// never run code.
//
// Precedence, loosest first: + -; * / %; unary - +; ^ (right-associative, its
// exponent may carry a sign); postfix !. So -2^2 = -4, 2^3! = 64, -3! = -6.

const (
	maxFormulaLen   = 10000
	maxFormulaDepth = 100
)

// errNotNumber marks a variable whose value is not a number (reported on that input).
type varError struct {
	key string
	err error
}

func (e *varError) Error() string { return e.err.Error() }

func formulaCard(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	lookup := func(key string) (float64, error) {
		v, ok := in.Values[key]
		if !ok && (in.Card == nil || in.Card.Input(key) == nil) || key == "_text_" {
			return 0, fmt.Errorf("unknown name %q (no input of this card has that key)", key)
		}
		if v == nil {
			return 0, &varError{key, errors.New("no value")}
		}
		f, err := engine.ToNumber(v)
		if err != nil {
			return 0, &varError{key, err}
		}
		return f, nil
	}
	r, err := evalFormula(str(in, "_text_"), lookup)
	if err != nil {
		var ve *varError
		if errors.As(err, &ve) {
			return nil, engine.InputErrorf(ve.key, "%v", ve.err)
		}
		return nil, engine.InputErrorf("_text_", "%v", err)
	}
	return one("output", r), nil
}

// evalFormula evaluates expr; vars resolves names and {{{KEY}}} slots.
func evalFormula(expr string, vars func(string) (float64, error)) (float64, error) {
	if len(expr) > maxFormulaLen {
		return 0, fmt.Errorf("formula is longer than %d characters", maxFormulaLen)
	}
	p := &parser{s: expr, vars: vars}
	p.next()
	v, err := p.expr(0)
	if err != nil {
		return 0, err
	}
	if p.tok != tEOF {
		return 0, p.errorf("unexpected %s", p.desc())
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errors.New("the result is not a finite number")
	}
	if v == 0 {
		v = 0 // no negative zero
	}
	return v, nil
}

type tokKind int

const (
	tEOF tokKind = iota
	tNum
	tName
	tSlot
	tOp
	tBad
)

type parser struct {
	s    string
	pos  int // position after the current token
	at   int // start of the current token
	tok  tokKind
	text string
	num  float64
	vars func(string) (float64, error)
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("at position %d: %s", p.at+1, fmt.Sprintf(format, args...))
}

func (p *parser) desc() string {
	switch p.tok {
	case tEOF:
		return "end of formula"
	case tSlot:
		return "{{{" + p.text + "}}}"
	}
	return fmt.Sprintf("%q", p.text)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func (p *parser) next() {
	s := p.s
	i := p.pos
	for i < len(s) {
		if s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' {
			i++
			continue
		}
		if s[i] == '#' { // a comment runs to the end of its line
			for i < len(s) && s[i] != '\n' {
				i++
			}
			continue
		}
		break
	}
	p.at = i
	if i >= len(s) {
		p.tok, p.text, p.pos = tEOF, "", i
		return
	}
	c := s[i]
	switch {
	case strings.HasPrefix(s[i:], "{{{"):
		j := strings.Index(s[i+3:], "}}}")
		if j < 0 {
			p.tok, p.text, p.pos = tBad, "{{{", len(s)
			return
		}
		p.tok, p.text, p.pos = tSlot, s[i+3:i+3+j], i+3+j+3
	case isDigit(c) || c == '.' && i+1 < len(s) && isDigit(s[i+1]):
		j := i
		for j < len(s) && (isDigit(s[j]) || s[j] == '.') {
			j++
		}
		if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
			k := j + 1
			if k < len(s) && (s[k] == '+' || s[k] == '-') {
				k++
			}
			if k < len(s) && isDigit(s[k]) {
				for k < len(s) && isDigit(s[k]) {
					k++
				}
				j = k
			}
		}
		f, err := strconv.ParseFloat(s[i:j], 64)
		if err != nil {
			p.tok, p.text, p.pos = tBad, s[i:j], j
			return
		}
		p.tok, p.text, p.num, p.pos = tNum, s[i:j], f, j
	case isNameStart(c):
		j := i + 1
		for j < len(s) && (isNameStart(s[j]) || isDigit(s[j])) {
			j++
		}
		p.tok, p.text, p.pos = tName, s[i:j], j
	case strings.IndexByte("+-*/%^(),!", c) >= 0:
		p.tok, p.text, p.pos = tOp, s[i:i+1], i+1
	default:
		// one whole (possibly multi-byte) character, for the message
		j := i + 1
		for j < len(s) && s[j]&0xC0 == 0x80 {
			j++
		}
		p.tok, p.text, p.pos = tBad, s[i:j], j
	}
}

func (p *parser) isOp(op string) bool { return p.tok == tOp && p.text == op }

// expr := term (('+'|'-') term)*
func (p *parser) expr(depth int) (float64, error) {
	if depth > maxFormulaDepth {
		return 0, p.errorf("formula is nested too deeply")
	}
	v, err := p.term(depth)
	if err != nil {
		return 0, err
	}
	for p.isOp("+") || p.isOp("-") {
		op := p.text
		p.next()
		r, err := p.term(depth)
		if err != nil {
			return 0, err
		}
		if op == "+" {
			v += r
		} else {
			v -= r
		}
	}
	return v, nil
}

// term := unary (('*'|'/'|'%') unary)*
func (p *parser) term(depth int) (float64, error) {
	v, err := p.unary(depth)
	if err != nil {
		return 0, err
	}
	for p.isOp("*") || p.isOp("/") || p.isOp("%") {
		op, at := p.text, p.at
		p.next()
		r, err := p.unary(depth)
		if err != nil {
			return 0, err
		}
		switch op {
		case "*":
			v *= r
		case "/", "%":
			if r == 0 {
				p.at = at
				return 0, p.errorf("division by 0")
			}
			if op == "/" {
				v /= r
			} else {
				v = math.Mod(v, r)
			}
		}
	}
	return v, nil
}

// unary := ('-'|'+') unary | power
func (p *parser) unary(depth int) (float64, error) {
	if depth > maxFormulaDepth {
		return 0, p.errorf("formula is nested too deeply")
	}
	if p.isOp("-") || p.isOp("+") {
		neg := p.text == "-"
		p.next()
		v, err := p.unary(depth + 1)
		if neg {
			v = -v
		}
		return v, err
	}
	return p.power(depth)
}

// power := postfix ('^' unary)?   (right-associative)
func (p *parser) power(depth int) (float64, error) {
	v, err := p.postfix(depth)
	if err != nil {
		return 0, err
	}
	if p.isOp("^") {
		p.next()
		e, err := p.unary(depth + 1)
		if err != nil {
			return 0, err
		}
		v = math.Pow(v, e)
	}
	return v, nil
}

// postfix := primary '!'*
func (p *parser) postfix(depth int) (float64, error) {
	v, err := p.primary(depth)
	if err != nil {
		return 0, err
	}
	for p.isOp("!") {
		at := p.at
		f, err := factorial(v)
		if err != nil {
			p.at = at
			return 0, p.errorf("%v", err)
		}
		v = f
		p.next()
	}
	return v, nil
}

// factorial is n! for a whole n from 0 to 170 (171! is not a finite number).
func factorial(n float64) (float64, error) {
	if n < 0 || n != math.Trunc(n) {
		return 0, fmt.Errorf("factorial (!) needs a whole number ≥ 0, got %s", engine.ToText(n))
	}
	if n > 170 {
		return 0, fmt.Errorf("%s! is not a finite number", engine.ToText(n))
	}
	r := 1.0
	for i := 2.0; i <= n; i++ {
		r *= i
	}
	return r, nil
}

// formulaConsts are the names Okta's Formula knows without parentheses.
var formulaConsts = map[string]float64{"pi": math.Pi}

var formulaFuncs = map[string]struct {
	min, max int // argument counts (max -1 = any)
	fn       func(args []float64) float64
}{
	"abs":   {1, 1, func(a []float64) float64 { return math.Abs(a[0]) }},
	"sqrt":  {1, 1, func(a []float64) float64 { return math.Sqrt(a[0]) }},
	"floor": {1, 1, func(a []float64) float64 { return math.Floor(a[0]) }},
	"ceil":  {1, 1, func(a []float64) float64 { return math.Ceil(a[0]) }},
	"round": {1, 2, func(a []float64) float64 {
		if len(a) == 2 {
			return roundTo(a[0], integer(a[1]))
		}
		return jsRound(a[0])
	}},
	"min": {1, -1, func(a []float64) float64 {
		m := a[0]
		for _, x := range a[1:] {
			m = math.Min(m, x)
		}
		return m
	}},
	"max": {1, -1, func(a []float64) float64 {
		m := a[0]
		for _, x := range a[1:] {
			m = math.Max(m, x)
		}
		return m
	}},
	"random": {0, 1, func(a []float64) float64 {
		if len(a) == 1 {
			return rand.Float64() * a[0]
		}
		return rand.Float64()
	}},
	"exp":   {1, 1, func(a []float64) float64 { return math.Exp(a[0]) }},
	"log":   {1, 1, func(a []float64) float64 { return math.Log(a[0]) }},
	"log10": {1, 1, func(a []float64) float64 { return math.Log10(a[0]) }},
	"pow":   {2, 2, func(a []float64) float64 { return math.Pow(a[0], a[1]) }},
	"sin":   {1, 1, func(a []float64) float64 { return math.Sin(a[0]) }},
	"cos":   {1, 1, func(a []float64) float64 { return math.Cos(a[0]) }},
	"tan":   {1, 1, func(a []float64) float64 { return math.Tan(a[0]) }},
	"asin":  {1, 1, func(a []float64) float64 { return math.Asin(a[0]) }},
	"acos":  {1, 1, func(a []float64) float64 { return math.Acos(a[0]) }},
	"atan":  {1, 1, func(a []float64) float64 { return math.Atan(a[0]) }},
	"sinh":  {1, 1, func(a []float64) float64 { return math.Sinh(a[0]) }},
	"cosh":  {1, 1, func(a []float64) float64 { return math.Cosh(a[0]) }},
	"tanh":  {1, 1, func(a []float64) float64 { return math.Tanh(a[0]) }},
	"asinh": {1, 1, func(a []float64) float64 { return math.Asinh(a[0]) }},
	"acosh": {1, 1, func(a []float64) float64 { return math.Acosh(a[0]) }},
	"atanh": {1, 1, func(a []float64) float64 { return math.Atanh(a[0]) }},
}

// formulaFuncNames lists the known functions for error messages.
var formulaFuncNames = func() string {
	names := make([]string, 0, len(formulaFuncs))
	for n := range formulaFuncs {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}()

func (p *parser) primary(depth int) (float64, error) {
	switch p.tok {
	case tNum:
		v := p.num
		p.next()
		return v, nil
	case tSlot:
		v, err := p.vars(p.text)
		if err != nil {
			return 0, err
		}
		p.next()
		return v, nil
	case tName:
		name, at := p.text, p.at
		p.next()
		if p.isOp("(") {
			f, ok := formulaFuncs[strings.ToLower(name)]
			if !ok {
				p.at = at
				return 0, p.errorf("unknown function %q (known: %s)", name, formulaFuncNames)
			}
			p.next()
			var args []float64
			if !p.isOp(")") {
				for {
					a, err := p.expr(depth + 1)
					if err != nil {
						return 0, err
					}
					args = append(args, a)
					if !p.isOp(",") {
						break
					}
					p.next()
				}
			}
			if !p.isOp(")") {
				return 0, p.errorf("expected \")\" but found %s", p.desc())
			}
			p.next()
			if len(args) < f.min || f.max >= 0 && len(args) > f.max {
				p.at = at
				return 0, p.errorf("%s takes %s", name, argCount(f.min, f.max))
			}
			r := f.fn(args)
			if math.IsNaN(r) || math.IsInf(r, 0) {
				p.at = at
				return 0, p.errorf("%s(%s) is not a finite number", name, joinNums(args))
			}
			return r, nil
		}
		if c, ok := formulaConsts[strings.ToLower(name)]; ok {
			return c, nil
		}
		return p.vars(name)
	case tOp:
		if p.text == "(" {
			p.next()
			v, err := p.expr(depth + 1)
			if err != nil {
				return 0, err
			}
			if !p.isOp(")") {
				return 0, p.errorf("expected \")\" but found %s", p.desc())
			}
			p.next()
			return v, nil
		}
	case tEOF:
		return 0, p.errorf("the formula ends where a number was expected")
	}
	return 0, p.errorf("unexpected %s", p.desc())
}

func joinNums(a []float64) string {
	parts := make([]string, len(a))
	for i, x := range a {
		parts[i] = engine.ToText(x)
	}
	return strings.Join(parts, ", ")
}

func argCount(min, max int) string {
	switch {
	case max < 0:
		return fmt.Sprintf("at least %d argument(s)", min)
	case min == max:
		return fmt.Sprintf("%d argument(s)", min)
	}
	return fmt.Sprintf("%d to %d arguments", min, max)
}
