package fake

import (
	"errors"
	"fmt"
	"strings"
)

// parseQuery compiles the Lucene subset of Auth0's user search v3 into a
// predicate: terms field:value, field:"quoted value", field:* (exists),
// field:[from TO to] (inclusive, * open; text comparison, which orders the
// ISO 8601 dates Auth0 stores), wildcards at the end of a value (name:jo*),
// joined by AND, OR (lower precedence) and NOT, with parentheses. A bare
// value searches email, name and user_id.
func parseQuery(q string) (func(map[string]any) bool, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	p := &qparser{toks: tokenize(q)}
	f, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		return nil, fmt.Errorf("Query validation error: unexpected %q in q", p.toks[p.i])
	}
	return f, nil
}

func tokenize(q string) []string {
	var out []string
	var b strings.Builder
	inQuote, inRange := false, false
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range q {
		switch {
		case r == '"':
			inQuote = !inQuote
			b.WriteRune(r)
		case inQuote:
			b.WriteRune(r)
		case r == '[' || r == '{':
			inRange = true
			b.WriteRune(r)
		case r == ']' || r == '}':
			inRange = false
			b.WriteRune(r)
		case inRange:
			b.WriteRune(r)
		case r == '(' || r == ')':
			flush()
			out = append(out, string(r))
		case r == ' ' || r == '\t':
			flush()
		default:
			b.WriteRune(r)
		}
	}
	flush()
	return out
}

type qparser struct {
	toks []string
	i    int
}

type pred = func(map[string]any) bool

func (p *qparser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *qparser) or() (pred, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.peek() == "OR" {
		p.i++
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(u map[string]any) bool { return a(u) || b(u) }
	}
	return l, nil
}

func (p *qparser) and() (pred, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for t := p.peek(); t != "" && t != "OR" && t != ")"; t = p.peek() {
		if t == "AND" {
			p.i++
		}
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(u map[string]any) bool { return a(u) && b(u) }
	}
	return l, nil
}

func (p *qparser) unary() (pred, error) {
	t := p.peek()
	switch t {
	case "":
		return nil, errors.New("Query validation error: the query ends early")
	case "NOT":
		p.i++
		f, err := p.unary()
		if err != nil {
			return nil, err
		}
		return func(u map[string]any) bool { return !f(u) }, nil
	case "(":
		p.i++
		f, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, errors.New("Query validation error: missing )")
		}
		p.i++
		return f, nil
	}
	p.i++
	return term(t)
}

func term(t string) (pred, error) {
	field, val, ok := strings.Cut(t, ":")
	if !ok {
		v := strings.ToLower(strings.Trim(t, `"`))
		return func(u map[string]any) bool {
			for _, k := range []string{"email", "name", "user_id"} {
				if strings.Contains(strings.ToLower(fmt.Sprint(u[k])), v) {
					return true
				}
			}
			return false
		}, nil
	}
	if field == "" || val == "" {
		return nil, fmt.Errorf("Query validation error: %q is not a term", t)
	}
	get := func(u map[string]any) (string, bool) {
		var cur any = u
		for _, part := range strings.Split(field, ".") {
			m, ok := cur.(map[string]any)
			if !ok {
				return "", false
			}
			if cur, ok = m[part]; !ok || cur == nil {
				return "", false
			}
		}
		return fmt.Sprint(cur), true
	}
	switch {
	case val == "*":
		return func(u map[string]any) bool { _, ok := get(u); return ok }, nil
	case strings.HasPrefix(val, "[") || strings.HasPrefix(val, "{"):
		if !strings.HasSuffix(val, "]") && !strings.HasSuffix(val, "}") {
			return nil, fmt.Errorf("Query validation error: range %q is not closed", val)
		}
		incLo, incHi := val[0] == '[', val[len(val)-1] == ']'
		lo, hi, ok := strings.Cut(val[1:len(val)-1], " TO ")
		if !ok {
			return nil, fmt.Errorf("Query validation error: range %q needs TO", val)
		}
		lo, hi = strings.Trim(strings.TrimSpace(lo), `"`), strings.Trim(strings.TrimSpace(hi), `"`)
		return func(u map[string]any) bool {
			v, ok := get(u)
			if !ok {
				return false
			}
			if lo != "*" && (v < lo || !incLo && v == lo) {
				return false
			}
			if hi != "*" && (v > hi || !incHi && v == hi) {
				return false
			}
			return true
		}, nil
	}
	want := strings.ToLower(strings.Trim(val, `"`))
	prefix := strings.HasSuffix(want, "*")
	want = strings.TrimSuffix(want, "*")
	return func(u map[string]any) bool {
		v, ok := get(u)
		if !ok {
			return false
		}
		v = strings.ToLower(v)
		if prefix {
			return strings.HasPrefix(v, want)
		}
		return v == want
	}, nil
}
