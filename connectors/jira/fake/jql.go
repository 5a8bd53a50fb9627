package fake

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// jql is a parsed JQL query of the subset the fake understands:
//
//	clause {AND|OR clause} [ORDER BY field [ASC|DESC]]
//	clause: field op value | field [NOT] IN (v, …) | field IS [NOT] EMPTY | NOT clause | (query)
//
// op is = != ~ !~ > >= < <=; a field is a system field (project, status,
// issuetype, resolution, summary, description, key, created, updated,
// reporter, assignee) or a custom field by name ("Request Type") or id
// (cf[10050], customfield_10050); dates are "yyyy-MM-dd[ HH:mm]" or
// relative (-5m, -2h, -1d, -1w). Anything else answers 400 with Jira's
// "Error in the JQL Query" message.
type jnode struct {
	op          string // AND OR NOT, or a comparison
	left, right *jnode
	field       string
	values      []string
	empty       bool // IS EMPTY / IS NOT EMPTY (op IS / IS NOT)
}

type jqlQuery struct {
	where *jnode
	order string
	desc  bool
}

func jqlTokens(s string) ([]string, error) {
	var out []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		c := rs[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '"' || c == '\'':
			j := i + 1
			var b strings.Builder
			for ; j < len(rs) && rs[j] != c; j++ {
				if rs[j] == '\\' && j+1 < len(rs) {
					j++
				}
				b.WriteRune(rs[j])
			}
			if j >= len(rs) {
				return nil, fmt.Errorf("the quoted string starting at character %d is not terminated", i+1)
			}
			out = append(out, "\""+b.String())
			i = j + 1
		case strings.ContainsRune("(),", c):
			out = append(out, string(c))
			i++
		case strings.ContainsRune("=!<>~", c):
			j := i + 1
			for j < len(rs) && strings.ContainsRune("=~", rs[j]) {
				j++
			}
			out = append(out, string(rs[i:j]))
			i = j
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !strings.ContainsRune("(),=!<>~\"'", rs[j]) {
				j++
			}
			out = append(out, string(rs[i:j]))
			i = j
		}
	}
	return out, nil
}

type jlex struct {
	t []string
	i int
}

func (l *jlex) peek() string {
	if l.i < len(l.t) {
		return l.t[l.i]
	}
	return ""
}
func (l *jlex) next() string { s := l.peek(); l.i++; return s }
func (l *jlex) kw(k string) bool {
	return strings.EqualFold(l.peek(), k) && !strings.HasPrefix(l.peek(), "\"")
}

func parseJQL(s string) (*jqlQuery, error) {
	toks, err := jqlTokens(s)
	if err != nil {
		return nil, err
	}
	l := &jlex{t: toks}
	q := &jqlQuery{}
	if l.peek() != "" && !l.kw("ORDER") {
		if q.where, err = jOr(l); err != nil {
			return nil, err
		}
	}
	if l.kw("ORDER") {
		l.next()
		if !l.kw("BY") {
			return nil, fmt.Errorf("expecting 'by' but got '%s'", l.peek())
		}
		l.next()
		q.order = unq(l.next())
		if l.kw("DESC") {
			q.desc = true
			l.next()
		} else if l.kw("ASC") {
			l.next()
		}
	}
	if l.peek() != "" {
		return nil, fmt.Errorf("expecting either 'OR' or 'AND' but got '%s'", unq(l.peek()))
	}
	return q, nil
}

func unq(s string) string { return strings.TrimPrefix(s, "\"") }

func jOr(l *jlex) (*jnode, error) {
	a, err := jAnd(l)
	if err != nil {
		return nil, err
	}
	for l.kw("OR") {
		l.next()
		b, err := jAnd(l)
		if err != nil {
			return nil, err
		}
		a = &jnode{op: "OR", left: a, right: b}
	}
	return a, nil
}

func jAnd(l *jlex) (*jnode, error) {
	a, err := jAtom(l)
	if err != nil {
		return nil, err
	}
	for l.kw("AND") {
		l.next()
		b, err := jAtom(l)
		if err != nil {
			return nil, err
		}
		a = &jnode{op: "AND", left: a, right: b}
	}
	return a, nil
}

func jAtom(l *jlex) (*jnode, error) {
	if l.kw("NOT") {
		l.next()
		a, err := jAtom(l)
		if err != nil {
			return nil, err
		}
		return &jnode{op: "NOT", left: a}, nil
	}
	if l.peek() == "(" {
		l.next()
		a, err := jOr(l)
		if err != nil {
			return nil, err
		}
		if l.next() != ")" {
			return nil, fmt.Errorf("expecting ')'")
		}
		return a, nil
	}
	f := l.next()
	if f == "" || f == ")" || f == "," {
		return nil, fmt.Errorf("expecting a field name but got '%s'", f)
	}
	n := &jnode{field: unq(f)}
	op := strings.ToUpper(l.next())
	switch op {
	case "=", "!=", "~", "!~", ">", ">=", "<", "<=":
		v := l.next()
		if v == "" || v == ")" || v == "," {
			return nil, fmt.Errorf("expecting a value after '%s'", op)
		}
		n.op, n.values = op, []string{unq(v)}
	case "IS":
		n.op = "IS"
		if l.kw("NOT") {
			l.next()
			n.op = "IS NOT"
		}
		if v := strings.ToUpper(l.next()); v != "EMPTY" && v != "NULL" {
			return nil, fmt.Errorf("expecting 'EMPTY' or 'NULL' after IS")
		}
	case "IN", "NOT":
		n.op = "IN"
		if op == "NOT" {
			if !l.kw("IN") {
				return nil, fmt.Errorf("expecting 'IN' after NOT")
			}
			l.next()
			n.op = "NOT IN"
		}
		if l.next() != "(" {
			return nil, fmt.Errorf("expecting '(' after IN")
		}
		for {
			v := l.next()
			if v == "" {
				return nil, fmt.Errorf("expecting ')'")
			}
			n.values = append(n.values, unq(v))
			s := l.next()
			if s == ")" {
				break
			}
			if s != "," {
				return nil, fmt.Errorf("expecting ',' or ')'")
			}
		}
	default:
		return nil, fmt.Errorf("expecting operator but got '%s'", op)
	}
	return n, nil
}

var relDate = regexp.MustCompile(`^([-+]?)(\d+)([mhdw])$`)

func jqlDate(s string, now time.Time) (time.Time, bool) {
	if m := relDate.FindStringSubmatch(strings.TrimSpace(s)); m != nil {
		n, _ := strconv.Atoi(m[2])
		d := map[string]time.Duration{"m": time.Minute, "h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour}[m[3]] * time.Duration(n)
		if m[1] == "-" {
			d = -d
		}
		return now.Add(d), true
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006/01/02 15:04", "2006-01-02", "2006/01/02", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func (n *jnode) eval(get func(field string) (string, bool), now time.Time) (bool, error) {
	switch n.op {
	case "AND", "OR":
		a, err := n.left.eval(get, now)
		if err != nil {
			return false, err
		}
		b, err := n.right.eval(get, now)
		if err != nil {
			return false, err
		}
		if n.op == "AND" {
			return a && b, nil
		}
		return a || b, nil
	case "NOT":
		a, err := n.left.eval(get, now)
		return !a, err
	}
	v, known := get(n.field)
	if !known {
		return false, fmt.Errorf("Field '%s' does not exist or you do not have permission to view it.", n.field)
	}
	// a value may have aliases separated by NUL (a project's key and name)
	if alts := strings.Split(v, "\x00"); len(alts) > 1 {
		for _, a := range alts {
			m := *n
			ok, err := m.eval(func(string) (string, bool) { return a, true }, now)
			if err != nil || ok != (n.op == "!=" || n.op == "NOT IN" || n.op == "!~") {
				return ok, err
			}
		}
		return n.op == "!=" || n.op == "NOT IN" || n.op == "!~", nil
	}
	lv := strings.ToLower(v)
	switch n.op {
	case "IS":
		return v == "", nil
	case "IS NOT":
		return v != "", nil
	case "IN", "NOT IN":
		hit := false
		for _, x := range n.values {
			hit = hit || strings.EqualFold(x, v)
		}
		return hit == (n.op == "IN"), nil
	case "=":
		return strings.EqualFold(v, n.values[0]), nil
	case "!=":
		return !strings.EqualFold(v, n.values[0]), nil
	case "~":
		return strings.Contains(lv, strings.ToLower(strings.Trim(n.values[0], "*"))), nil
	case "!~":
		return !strings.Contains(lv, strings.ToLower(strings.Trim(n.values[0], "*"))), nil
	}
	// ordering: dates, then numbers, then text
	if a, ok := jqlDate(v, now); ok {
		b, ok := jqlDate(n.values[0], now)
		if !ok {
			return false, fmt.Errorf("Date value '%s' for field '%s' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.", n.values[0], n.field)
		}
		return cmpOK(a.Compare(b), n.op), nil
	}
	a, e1 := strconv.ParseFloat(v, 64)
	b, e2 := strconv.ParseFloat(n.values[0], 64)
	if e1 == nil && e2 == nil {
		c := 0
		if a < b {
			c = -1
		} else if a > b {
			c = 1
		}
		return cmpOK(c, n.op), nil
	}
	return cmpOK(strings.Compare(lv, strings.ToLower(n.values[0])), n.op), nil
}

func cmpOK(c int, op string) bool {
	switch op {
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	case "<":
		return c < 0
	}
	return c <= 0
}

func sortIssues(list []*issue, field string, desc bool, get func(*issue, string) string) {
	if field == "" {
		field, desc = "created", true
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := get(list[i], field), get(list[j], field)
		if desc {
			return a > b
		}
		return a < b
	})
}
