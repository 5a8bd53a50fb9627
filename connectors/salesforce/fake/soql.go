package fake

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// query is a parsed SOQL SELECT of the subset the fake understands:
//
//	SELECT f1, f2, Rel.Field FROM Object
//	  [WHERE cond {AND|OR cond}]   cond: field op literal | field IN (…) | (cond …)
//	  [ORDER BY field [ASC|DESC]] [LIMIT n] [OFFSET n]
//
// op is = != <> < <= > >= LIKE; literals are 'text', numbers, true/false,
// null, date/datetime literals (2024-01-02, 2024-01-02T03:04:05Z) and
// TODAY / LAST_N_DAYS:n. Anything else is MALFORMED_QUERY, as Salesforce
// answers for what it cannot parse.
type query struct {
	Fields []string
	Object string
	Where  *cond
	Order  []orderBy
	Limit  int
	Offset int
}

type orderBy struct {
	Field string
	Desc  bool
}

type cond struct {
	Op          string // AND, OR, or a comparison
	Left, Right *cond
	Field       string
	Values      []any // comparison operand(s)
}

type lexer struct {
	toks []string
	i    int
}

func tokenize(s string) ([]string, error) {
	var out []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		c := rs[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '\'':
			j := i + 1
			var b strings.Builder
			for ; j < len(rs) && rs[j] != '\''; j++ {
				if rs[j] == '\\' && j+1 < len(rs) {
					j++
				}
				b.WriteRune(rs[j])
			}
			if j >= len(rs) {
				return nil, fmt.Errorf("unterminated string literal")
			}
			out = append(out, "'"+b.String())
			i = j + 1
		case strings.ContainsRune("(),", c):
			out = append(out, string(c))
			i++
		case strings.ContainsRune("=<>!", c):
			j := i + 1
			for j < len(rs) && strings.ContainsRune("=<>", rs[j]) {
				j++
			}
			out = append(out, string(rs[i:j]))
			i = j
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !strings.ContainsRune("(),=<>!'", rs[j]) {
				j++
			}
			out = append(out, string(rs[i:j]))
			i = j
		}
	}
	return out, nil
}

func (l *lexer) peek() string {
	if l.i < len(l.toks) {
		return l.toks[l.i]
	}
	return ""
}
func (l *lexer) next() string { t := l.peek(); l.i++; return t }
func (l *lexer) is(kw string) bool {
	return strings.EqualFold(l.peek(), kw) && !strings.HasPrefix(l.peek(), "'")
}

func parseSOQL(s string) (*query, error) {
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	l := &lexer{toks: toks}
	if !l.is("SELECT") {
		return nil, fmt.Errorf("unexpected token: '%s'", l.peek())
	}
	l.next()
	q := &query{}
	for {
		f := l.next()
		if f == "" || l.is("FROM") && f == "," {
			return nil, fmt.Errorf("unexpected end of query")
		}
		q.Fields = append(q.Fields, f)
		if l.peek() != "," {
			break
		}
		l.next()
	}
	if !l.is("FROM") {
		return nil, fmt.Errorf("unexpected token: '%s'", l.peek())
	}
	l.next()
	q.Object = l.next()
	if q.Object == "" {
		return nil, fmt.Errorf("unexpected end of query")
	}
	if l.is("WHERE") {
		l.next()
		if q.Where, err = parseOr(l); err != nil {
			return nil, err
		}
	}
	if l.is("ORDER") {
		l.next()
		if !l.is("BY") {
			return nil, fmt.Errorf("unexpected token: '%s'", l.peek())
		}
		l.next()
		for {
			f, desc := l.next(), false
			if l.is("DESC") {
				desc = true
				l.next()
			} else if l.is("ASC") {
				l.next()
			}
			q.Order = append(q.Order, orderBy{f, desc})
			if l.peek() != "," {
				break
			}
			l.next()
		}
	}
	if l.is("LIMIT") {
		l.next()
		if q.Limit, err = strconv.Atoi(l.next()); err != nil {
			return nil, fmt.Errorf("bad LIMIT")
		}
	}
	if l.is("OFFSET") {
		l.next()
		if q.Offset, err = strconv.Atoi(l.next()); err != nil {
			return nil, fmt.Errorf("bad OFFSET")
		}
	}
	if l.peek() != "" {
		return nil, fmt.Errorf("unexpected token: '%s'", l.peek())
	}
	return q, nil
}

func parseOr(l *lexer) (*cond, error) {
	left, err := parseAnd(l)
	if err != nil {
		return nil, err
	}
	for l.is("OR") {
		l.next()
		right, err := parseAnd(l)
		if err != nil {
			return nil, err
		}
		left = &cond{Op: "OR", Left: left, Right: right}
	}
	return left, nil
}

func parseAnd(l *lexer) (*cond, error) {
	left, err := parseAtom(l)
	if err != nil {
		return nil, err
	}
	for l.is("AND") {
		l.next()
		right, err := parseAtom(l)
		if err != nil {
			return nil, err
		}
		left = &cond{Op: "AND", Left: left, Right: right}
	}
	return left, nil
}

func parseAtom(l *lexer) (*cond, error) {
	if l.peek() == "(" {
		l.next()
		c, err := parseOr(l)
		if err != nil {
			return nil, err
		}
		if l.next() != ")" {
			return nil, fmt.Errorf("expecting ')'")
		}
		return c, nil
	}
	field := l.next()
	if field == "" {
		return nil, fmt.Errorf("unexpected end of query")
	}
	op := strings.ToUpper(l.next())
	switch op {
	case "=", "!=", "<>", "<", "<=", ">", ">=", "LIKE":
		v, err := literal(l.next())
		if err != nil {
			return nil, err
		}
		return &cond{Op: op, Field: field, Values: []any{v}}, nil
	case "IN", "NOT":
		if op == "NOT" {
			if !l.is("IN") {
				return nil, fmt.Errorf("unexpected token: '%s'", l.peek())
			}
			l.next()
			op = "NOT IN"
		}
		if l.next() != "(" {
			return nil, fmt.Errorf("expecting '('")
		}
		c := &cond{Op: op, Field: field}
		for {
			v, err := literal(l.next())
			if err != nil {
				return nil, err
			}
			c.Values = append(c.Values, v)
			t := l.next()
			if t == ")" {
				break
			}
			if t != "," {
				return nil, fmt.Errorf("expecting ',' or ')'")
			}
		}
		return c, nil
	}
	return nil, fmt.Errorf("unexpected token: '%s'", op)
}

func literal(t string) (any, error) {
	if strings.HasPrefix(t, "'") {
		return t[1:], nil
	}
	switch strings.ToLower(t) {
	case "":
		return nil, fmt.Errorf("unexpected end of query")
	case "null":
		return nil, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "today":
		d := time.Now().UTC().Truncate(24 * time.Hour)
		return d, nil
	}
	if n, ok := strings.CutPrefix(strings.ToUpper(t), "LAST_N_DAYS:"); ok {
		days, err := strconv.Atoi(n)
		if err != nil {
			return nil, fmt.Errorf("bad date literal %s", t)
		}
		return time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -days), nil
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil {
		return f, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05-0700", "2006-01-02"} {
		if d, err := time.Parse(layout, t); err == nil {
			return d, nil
		}
	}
	return nil, fmt.Errorf("unexpected token: '%s'", t)
}

// field reads a record's field case-insensitively (Salesforce field names
// are), following one relationship ("Profile.Name").
func (s *Server) field(rec record, name string) any {
	if rel, f, ok := strings.Cut(name, "."); ok {
		ref := s.related(rec, rel)
		if ref == nil {
			return nil
		}
		return s.field(ref, f)
	}
	for k, v := range rec {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

func (s *Server) related(rec record, rel string) record {
	id, _ := s.field(rec, rel+"Id").(string)
	if id == "" {
		return nil
	}
	return s.byID[id]
}

func compare(a, b any) (int, bool) {
	switch bv := b.(type) {
	case time.Time:
		as, _ := a.(string)
		at, err := time.Parse(sfTime, as)
		if err != nil {
			if at, err = time.Parse("2006-01-02", as); err != nil {
				return 0, false
			}
		}
		return at.Compare(bv), true
	case float64:
		af, ok := a.(float64)
		if !ok {
			return 0, false
		}
		switch {
		case af < bv:
			return -1, true
		case af > bv:
			return 1, true
		}
		return 0, true
	case string:
		as, ok := a.(string)
		if !ok {
			return 0, false
		}
		return strings.Compare(strings.ToLower(as), strings.ToLower(bv)), true
	case bool:
		ab, ok := a.(bool)
		if !ok {
			return 0, false
		}
		if ab == bv {
			return 0, true
		}
		return 1, true
	case nil:
		if a == nil || a == "" {
			return 0, true
		}
		return 1, true
	}
	return 0, false
}

func like(v, pat string) bool {
	v, pat = strings.ToLower(v), strings.ToLower(pat)
	parts := strings.Split(pat, "%")
	if len(parts) == 1 {
		return v == pat
	}
	if !strings.HasPrefix(v, parts[0]) {
		return false
	}
	v = v[len(parts[0]):]
	for i, p := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(v, p)
		}
		j := strings.Index(v, p)
		if j < 0 {
			return false
		}
		v = v[j+len(p):]
	}
	return true
}

func (s *Server) match(rec record, c *cond) bool {
	if c == nil {
		return true
	}
	switch c.Op {
	case "AND":
		return s.match(rec, c.Left) && s.match(rec, c.Right)
	case "OR":
		return s.match(rec, c.Left) || s.match(rec, c.Right)
	case "LIKE":
		v, _ := s.field(rec, c.Field).(string)
		p, _ := c.Values[0].(string)
		return like(v, p)
	case "IN", "NOT IN":
		hit := false
		for _, want := range c.Values {
			if n, ok := compare(s.field(rec, c.Field), want); ok && n == 0 {
				hit = true
			}
		}
		return hit == (c.Op == "IN")
	}
	n, ok := compare(s.field(rec, c.Field), c.Values[0])
	switch c.Op {
	case "=":
		return ok && n == 0
	case "!=", "<>":
		return !ok || n != 0
	case "<":
		return ok && n < 0
	case "<=":
		return ok && n <= 0
	case ">":
		return ok && n > 0
	case ">=":
		return ok && n >= 0
	}
	return false
}

func (s *Server) sortRecords(recs []record, q *query) {
	if len(q.Order) == 0 {
		return
	}
	sort.SliceStable(recs, func(i, j int) bool {
		for _, o := range q.Order {
			a, b := s.field(recs[i], o.Field), s.field(recs[j], o.Field)
			c := 0
			af, aok := a.(float64)
			bf, bok := b.(float64)
			switch {
			case aok && bok && af < bf:
				c = -1
			case aok && bok && af > bf:
				c = 1
			case !aok || !bok:
				c = strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
			}
			if c != 0 {
				return (c < 0) != o.Desc
			}
		}
		return false
	})
}
