package fake

import (
	"fmt"
	"strings"
)

// parseFilter reads the OData $filter forms Graph's directory supports on
// users and groups: `prop eq 'v'` (also ne), `startswith(prop,'v')`,
// `proxyAddresses/any(x:x eq 'v')`, joined by `and` / `or` (evaluated left
// to right). Text comparisons ignore case, as Graph's directory does.
func parseFilter(f string) (func(map[string]any) bool, error) {
	f = strings.TrimSpace(f)
	if f == "" {
		return func(map[string]any) bool { return true }, nil
	}
	toks := splitBool(f)
	var preds []func(map[string]any) bool
	var ops []string
	for i, t := range toks {
		if i%2 == 1 {
			ops = append(ops, t)
			continue
		}
		p, err := clause(t)
		if err != nil {
			return nil, err
		}
		preds = append(preds, p)
	}
	return func(m map[string]any) bool {
		ok := preds[0](m)
		for i, op := range ops {
			if op == "and" {
				ok = ok && preds[i+1](m)
			} else {
				ok = ok || preds[i+1](m)
			}
		}
		return ok
	}, nil
}

// splitBool splits on " and " / " or " outside quotes and parentheses.
func splitBool(f string) []string {
	var out []string
	depth, quote, start := 0, false, 0
	low := strings.ToLower(f)
	for i := 0; i < len(f); i++ {
		switch c := f[i]; {
		case c == '\'':
			quote = !quote
		case quote:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0 && strings.HasPrefix(low[i:], " and "):
			out = append(out, strings.TrimSpace(f[start:i]), "and")
			i += 4
			start = i
		case depth == 0 && strings.HasPrefix(low[i:], " or "):
			out = append(out, strings.TrimSpace(f[start:i]), "or")
			i += 3
			start = i
		}
	}
	return append(out, strings.TrimSpace(f[start:]))
}

func unquote(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
		return "", fmt.Errorf("Invalid filter clause: the value %s is not a quoted string.", s)
	}
	return strings.ReplaceAll(s[1:len(s)-1], "''", "'"), nil
}

func clause(c string) (func(map[string]any) bool, error) {
	low := strings.ToLower(c)
	if strings.HasPrefix(low, "startswith(") && strings.HasSuffix(c, ")") {
		prop, val, ok := strings.Cut(c[len("startswith("):len(c)-1], ",")
		if !ok {
			return nil, fmt.Errorf("Invalid filter clause: %s", c)
		}
		v, err := unquote(val)
		if err != nil {
			return nil, err
		}
		prop = strings.TrimSpace(prop)
		return func(m map[string]any) bool {
			return strings.HasPrefix(strings.ToLower(str(m[prop])), strings.ToLower(v))
		}, nil
	}
	if i := strings.Index(low, "/any("); i > 0 && strings.HasSuffix(c, ")") {
		prop := strings.TrimSpace(c[:i])
		inner := c[i+5 : len(c)-1] // x:x eq 'v'
		_, cond, _ := strings.Cut(inner, ":")
		parts := strings.SplitN(strings.TrimSpace(cond), " ", 3)
		if len(parts) != 3 || strings.ToLower(parts[1]) != "eq" {
			return nil, fmt.Errorf("Invalid filter clause: %s", c)
		}
		v, err := unquote(parts[2])
		if err != nil {
			return nil, err
		}
		return func(m map[string]any) bool {
			for _, e := range anyStrings(m[prop]) {
				if strings.EqualFold(e, v) {
					return true
				}
			}
			return false
		}, nil
	}
	parts := strings.SplitN(c, " ", 3)
	if len(parts) != 3 {
		return nil, fmt.Errorf("Invalid filter clause: %s", c)
	}
	prop, op := parts[0], strings.ToLower(parts[1])
	if op != "eq" && op != "ne" {
		return nil, fmt.Errorf("Unsupported or invalid query filter clause specified for property '%s' of resource 'User'.", prop)
	}
	rawv := strings.TrimSpace(parts[2])
	var match func(any) bool
	switch rawv {
	case "true", "false":
		b := rawv == "true"
		match = func(x any) bool { xb, ok := x.(bool); return ok && xb == b }
	case "null":
		match = func(x any) bool { return x == nil }
	default:
		v, err := unquote(rawv)
		if err != nil {
			return nil, err
		}
		match = func(x any) bool { return strings.EqualFold(str(x), v) }
	}
	return func(m map[string]any) bool { return match(m[prop]) == (op == "eq") }, nil
}
