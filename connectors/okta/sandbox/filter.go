package sandbox

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A tiny SCIM-style expression engine for Okta's `filter` and `search`
// parameters: attr op value, `pr`, `and`/`or`/`not`, parentheses.
// Parsed expressions are cached, so hot list calls don't re-parse.

type exprNode struct {
	op    string // and, or, not, cmp
	left  *exprNode
	right *exprNode
	attr  string
	cmp   string // eq ne gt ge lt le sw ew co pr
	val   any    // string, float64, bool, nil
	tval  time.Time
	isT   bool
	lower string
}

type resolver func(path string) (any, bool)

var exprCache sync.Map // string -> *exprNode
var exprCacheN int64
var exprCacheMu sync.Mutex

func parseExprCached(s string) (*exprNode, error) {
	if v, ok := exprCache.Load(s); ok {
		return v.(*exprNode), nil
	}
	n, err := parseExpr(s)
	if err != nil {
		return nil, err
	}
	exprCacheMu.Lock()
	if exprCacheN > 4096 {
		exprCache.Clear()
		exprCacheN = 0
	}
	exprCacheN++
	exprCacheMu.Unlock()
	exprCache.Store(s, n)
	return n, nil
}

type tok struct {
	kind string // word, str, lp, rp
	s    string
}

func lex(s string) ([]tok, error) {
	var out []tok
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '+':
			i++
		case c == '(':
			out = append(out, tok{"lp", "("})
			i++
		case c == ')':
			out = append(out, tok{"rp", ")"})
			i++
		case c == '"':
			var b strings.Builder
			i++
			closed := false
			for i < len(s) {
				if s[i] == '\\' && i+1 < len(s) {
					b.WriteByte(s[i+1])
					i += 2
					continue
				}
				if s[i] == '"' {
					closed = true
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
			if !closed {
				return nil, errors.New("unterminated string")
			}
			out = append(out, tok{"str", b.String()})
		default:
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '(' && s[j] != ')' && s[j] != '"' && s[j] != '\t' {
				j++
			}
			out = append(out, tok{"word", s[i:j]})
			i = j
		}
	}
	return out, nil
}

type parser struct {
	toks []tok
	pos  int
}

func parseExpr(s string) (*exprNode, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, errors.New("empty expression")
	}
	p := &parser{toks: toks}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, fmt.Errorf("unexpected %q", p.toks[p.pos].s)
	}
	return n, nil
}

func (p *parser) peekWord(w string) bool {
	return p.pos < len(p.toks) && p.toks[p.pos].kind == "word" && strings.EqualFold(p.toks[p.pos].s, w)
}

func (p *parser) or() (*exprNode, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.peekWord("or") {
		p.pos++
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = &exprNode{op: "or", left: l, right: r}
	}
	return l, nil
}

func (p *parser) and() (*exprNode, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.peekWord("and") {
		p.pos++
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = &exprNode{op: "and", left: l, right: r}
	}
	return l, nil
}

func (p *parser) unary() (*exprNode, error) {
	if p.peekWord("not") {
		p.pos++
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &exprNode{op: "not", left: n}, nil
	}
	if p.pos < len(p.toks) && p.toks[p.pos].kind == "lp" {
		p.pos++
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.pos >= len(p.toks) || p.toks[p.pos].kind != "rp" {
			return nil, errors.New("missing )")
		}
		p.pos++
		return n, nil
	}
	return p.cmp()
}

func (p *parser) cmp() (*exprNode, error) {
	if p.pos+1 >= len(p.toks) || p.toks[p.pos].kind != "word" || p.toks[p.pos+1].kind != "word" {
		return nil, errors.New("expected attribute and operator")
	}
	n := &exprNode{op: "cmp", attr: p.toks[p.pos].s, cmp: strings.ToLower(p.toks[p.pos+1].s)}
	p.pos += 2
	switch n.cmp {
	case "pr":
		return n, nil
	case "eq", "ne", "gt", "ge", "lt", "le", "sw", "ew", "co":
	default:
		return nil, fmt.Errorf("unsupported operator %q", n.cmp)
	}
	if p.pos >= len(p.toks) {
		return nil, errors.New("missing value")
	}
	t := p.toks[p.pos]
	p.pos++
	switch {
	case t.kind == "str":
		n.val = t.s
		n.lower = strings.ToLower(t.s)
		if tv, err := time.Parse(time.RFC3339Nano, t.s); err == nil {
			n.tval, n.isT = tv, true
		}
	case t.kind == "word" && t.s == "true":
		n.val = true
	case t.kind == "word" && t.s == "false":
		n.val = false
	case t.kind == "word" && t.s == "null":
		n.val = nil
	case t.kind == "word":
		f, err := strconv.ParseFloat(t.s, 64)
		if err != nil {
			return nil, fmt.Errorf("invalid value %q", t.s)
		}
		n.val = f
	default:
		return nil, errors.New("invalid value")
	}
	if (n.cmp == "sw" || n.cmp == "ew" || n.cmp == "co") && t.kind != "str" {
		return nil, fmt.Errorf("operator %s needs a string", n.cmp)
	}
	return n, nil
}

// ops lists the comparison operators used in the expression.
func (n *exprNode) ops(into map[string]bool) {
	if n == nil {
		return
	}
	if n.op == "cmp" {
		into[n.cmp] = true
		return
	}
	if n.op == "not" {
		into["not"] = true
	}
	n.left.ops(into)
	n.right.ops(into)
}

func (n *exprNode) mentions(attr string) bool {
	if n == nil {
		return false
	}
	if n.op == "cmp" {
		return n.attr == attr
	}
	return n.left.mentions(attr) || n.right.mentions(attr)
}

func (n *exprNode) eval(r resolver) bool {
	switch n.op {
	case "and":
		return n.left.eval(r) && n.right.eval(r)
	case "or":
		return n.left.eval(r) || n.right.eval(r)
	case "not":
		return !n.left.eval(r)
	}
	v, ok := r(n.attr)
	if n.cmp == "pr" {
		return ok && v != nil && v != ""
	}
	if !ok || v == nil {
		switch n.cmp {
		case "eq":
			return n.val == nil
		case "ne":
			return n.val != nil
		}
		return false
	}
	if n.val == nil {
		return n.cmp == "ne"
	}
	var c int
	switch x := v.(type) {
	case string:
		if _, isStr := n.val.(string); !isStr {
			return n.cmp == "ne"
		}
		xl := strings.ToLower(x)
		switch n.cmp {
		case "sw":
			return strings.HasPrefix(xl, n.lower)
		case "ew":
			return strings.HasSuffix(xl, n.lower)
		case "co":
			return strings.Contains(xl, n.lower)
		}
		c = strings.Compare(xl, n.lower)
	case time.Time:
		if !n.isT {
			return n.cmp == "ne"
		}
		c = x.Compare(n.tval)
	case bool:
		b, isB := n.val.(bool)
		if !isB {
			return n.cmp == "ne"
		}
		if b == x {
			c = 0
		} else {
			c = 1
		}
		if n.cmp != "eq" && n.cmp != "ne" {
			return false
		}
	case float64, int, int64, int32:
		f := toFloat(x)
		g, isF := n.val.(float64)
		if !isF {
			if s, isS := n.val.(string); isS {
				var err error
				g, err = strconv.ParseFloat(s, 64)
				if err != nil {
					return n.cmp == "ne"
				}
			} else {
				return n.cmp == "ne"
			}
		}
		switch {
		case f < g:
			c = -1
		case f > g:
			c = 1
		}
	case []any:
		// multi-valued attribute: any element matches
		for _, e := range x {
			sub := *n
			if (&sub).eval(func(string) (any, bool) { return e, true }) {
				return true
			}
		}
		return false
	default:
		return false
	}
	switch n.cmp {
	case "eq":
		return c == 0
	case "ne":
		return c != 0
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	case "le":
		return c <= 0
	}
	return false
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case int32:
		return float64(x)
	}
	return 0
}

// listQuery is a list endpoint's filter and search expressions (either may
// be absent).
type listQuery struct{ filter, search *exprNode }

// parseListQuery reads ?filter= (Okta's filter operators only) and ?search=,
// answering 400 E0000031 for a bad expression.
func parseListQuery(w http.ResponseWriter, q url.Values) (listQuery, bool) {
	filter, ok := parseQueryExpr(w, "filter", q.Get("filter"), true)
	if !ok {
		return listQuery{}, false
	}
	search, ok := parseQueryExpr(w, "search", q.Get("search"), false)
	return listQuery{filter: filter, search: search}, ok
}

// matches applies both expressions to a resource's fields.
func (lq listQuery) matches(r resolver) bool {
	return (lq.filter == nil || lq.filter.eval(r)) && (lq.search == nil || lq.search.eval(r))
}
