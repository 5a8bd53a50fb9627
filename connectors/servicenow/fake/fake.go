// Package fake is a local ServiceNow instance: a net/http server speaking
// the Table API (/api/now/table/{table}[/{sys_id}]: list with
// sysparm_query encoded queries, sysparm_fields, sysparm_limit/offset with
// Link and X-Total-Count headers; read, create, update, delete) and the
// OAuth token endpoint (/oauth_token.do: password, client credentials,
// refresh token), seeded with the Okta sandbox's people in sys_user and a
// few incidents, tasks and catalog tasks.
//
// ServiceNow publishes its REST API as prose (the "Table API" reference on
// developer.servicenow.com) and per-instance REST API Explorer metadata,
// not as an OpenAPI file this project can hold the fake to, so the fake
// follows those documented request and response shapes: every answer is
// {"result": …}; errors are {"error":{"message","detail"},"status":"failure"}
// (401 "User Not Authenticated", 404 "No Record found", 400 "Invalid
// table"…); sys_ids are 32 hex characters; numbers are INC0010001,
// TASK0010001, SCTASK0010001; dates are "2006-01-02 15:04:05" (UTC).
package fake

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/connectors/fakeapi"
)

// Seeded credentials.
const (
	AdminUser           = "admin"
	AdminPassword       = "FlowbenchSandbox!1"
	DefaultClientID     = "flowbenchsandboxclientid0000000"
	DefaultClientSecret = "FlowbenchSandboxClientSecret"
)

const snTime = "2006-01-02 15:04:05"

type record = map[string]any

// Config configures a fake. The zero value is usable.
type Config struct {
	Faults []fakeapi.Fault
}

// Server is one fake instance.
type Server struct {
	mu      sync.Mutex
	faults  *fakeapi.Faults
	h       http.Handler
	tables  map[string][]record
	tokens  map[string]bool
	revoked map[string]bool
	numbers map[string]int
	users   map[string]string // user_name → password
}

var prefix = map[string]string{"incident": "INC", "task": "TASK", "sc_task": "SCTASK", "sc_req_item": "RITM", "sc_request": "REQ", "change_request": "CHG", "problem": "PRB"}

// task tables extend task: a record of one is also a task.
var extendsTask = map[string]bool{"incident": true, "sc_task": true, "sc_req_item": true, "sc_request": true, "change_request": true, "problem": true}

// New builds a fake instance with its seed.
func New(cfg Config) *Server {
	s := &Server{tables: map[string][]record{}, tokens: map[string]bool{}, revoked: map[string]bool{}, numbers: map[string]int{},
		users: map[string]string{AdminUser: AdminPassword}}
	s.faults = fakeapi.NewFaults(func(w http.ResponseWriter, r *http.Request, status int) {
		snErr(w, status, http.StatusText(status), "injected fault")
	})
	s.faults.Set(cfg.Faults)
	s.seed()
	s.h = s.faults.Wrap(http.HandlerFunc(s.serve))
	return s
}

// SetFaults replaces the fault rules.
func (s *Server) SetFaults(f []fakeapi.Fault) { s.faults.Set(f) }

// Revoke makes an OAuth token fail as expired.
func (s *Server) Revoke(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked[token] = true
}

// SetPassword changes (or adds) a user's password.
func (s *Server) SetPassword(user, pw string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[user] = pw
}

// Record returns a copy of a record of a table by sys_id.
func (s *Server) Record(table, id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.rows(table) {
		if r["sys_id"] == id {
			out := map[string]any{}
			for k, v := range r {
				out[k] = v
			}
			return out, true
		}
	}
	return nil, false
}

// Count is the number of records of a table.
func (s *Server) Count(table string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.rows(table))
}

func sysID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) insert(table string, fields record) record {
	ts := time.Now().UTC().Format(snTime)
	rec := record{"sys_id": sysID(), "sys_created_on": ts, "sys_updated_on": ts, "sys_created_by": AdminUser, "sys_updated_by": AdminUser, "sys_mod_count": "0", "sys_class_name": table}
	if p, ok := prefix[table]; ok {
		s.numbers[table]++
		rec["number"] = fmt.Sprintf("%s%07d", p, 10000+s.numbers[table])
		rec["state"] = "1"
		rec["active"] = "true"
	}
	for k, v := range fields {
		rec[k] = str(v)
	}
	s.tables[table] = append(s.tables[table], rec)
	return rec
}

// str: the Table API sends every value as a string.
func str(v any) any {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	}
	return fmt.Sprint(v)
}

// rows of a table; "task" also lists the tables that extend it.
func (s *Server) rows(table string) []record {
	if table != "task" {
		return s.tables[table]
	}
	out := append([]record(nil), s.tables["task"]...)
	names := make([]string, 0, len(extendsTask))
	for n := range extendsTask {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, s.tables[n]...)
	}
	return out
}

var people = []struct{ user, first, last, email, dept string }{
	{"alice.nguyen", "Alice", "Nguyen", "alice.nguyen@example.com", "Engineering"},
	{"bob.martinez", "Bob", "Martinez", "bob.martinez@example.com", "Sales"},
	{"david.kim", "David", "Kim", "david.kim@example.com", "Engineering"},
	{"julia.rossi", "Julia", "Rossi", "julia.rossi@example.com", "Sales"},
}

func (s *Server) seed() {
	admin := s.insert("sys_user", record{"user_name": AdminUser, "first_name": "System", "last_name": "Administrator", "email": "sandbox.admin@example.com", "active": "true"})
	for _, p := range people {
		s.insert("sys_user", record{"user_name": p.user, "first_name": p.first, "last_name": p.last, "email": p.email, "department": p.dept, "active": "true"})
	}
	grp := s.insert("sys_user_group", record{"name": "Identity Team", "active": "true"})
	s.insert("incident", record{"short_description": "Cannot sign in to Okta", "description": "MFA loop", "caller_id": admin["sys_id"], "urgency": "2", "impact": "2", "priority": "3"})
	s.insert("task", record{"short_description": "Review access for Engineering", "assignment_group": grp["sys_id"]})
	s.insert("sc_task", record{"short_description": "Create SSO application: Expensify", "assignment_group": grp["sys_id"]})
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.h.ServeHTTP(w, r) }

func snErr(w http.ResponseWriter, status int, msg, detail string) {
	fakeapi.JSON(w, status, map[string]any{"error": map[string]any{"message": msg, "detail": detail}, "status": "failure"})
}

func (s *Server) authed(r *http.Request) bool {
	if u, p, ok := r.BasicAuth(); ok {
		want, known := s.users[u]
		return known && want == p
	}
	t := fakeapi.Bearer(r)
	return t != "" && s.tokens[t] && !s.revoked[t]
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.URL.Path == "/oauth_token.do" {
		s.token(w, r)
		return
	}
	if !s.authed(r) {
		w.Header().Set("WWW-Authenticate", `BASIC realm="Service-now"`)
		snErr(w, 401, "User Not Authenticated", "Required to provide Auth information")
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/api/now/table/")
	if !ok {
		snErr(w, 400, "Requested URI does not represent any resource", "")
		return
	}
	table, id, _ := strings.Cut(strings.Trim(rest, "/"), "/")
	if table == "" || strings.ContainsAny(table, " ;'\"") {
		snErr(w, 400, "Invalid table "+table, "")
		return
	}
	switch {
	case id == "" && r.Method == "GET":
		s.list(w, r, table)
	case id == "" && r.Method == "POST":
		var body map[string]any
		if err := fakeapi.Decode(r, &body); err != nil {
			snErr(w, 400, "Exception while reading request", "Cannot decode: "+err.Error())
			return
		}
		if !s.known(table) {
			snErr(w, 400, "Invalid table "+table, "")
			return
		}
		rec := s.insert(table, body)
		w.Header().Set("Location", base(r)+"/api/now/table/"+table+"/"+rec["sys_id"].(string))
		fakeapi.JSON(w, 201, map[string]any{"result": project(rec, r.URL.Query().Get("sysparm_fields"))})
	case id != "":
		var rec record
		for _, x := range s.rows(table) {
			if x["sys_id"] == id {
				rec = x
			}
		}
		if rec == nil {
			snErr(w, 404, "No Record found", "Record doesn't exist or ACL restricts the record retrieval")
			return
		}
		switch r.Method {
		case "GET":
			fakeapi.JSON(w, 200, map[string]any{"result": project(rec, r.URL.Query().Get("sysparm_fields"))})
		case "PATCH", "PUT":
			var body map[string]any
			if err := fakeapi.Decode(r, &body); err != nil {
				snErr(w, 400, "Exception while reading request", "Cannot decode: "+err.Error())
				return
			}
			for k, v := range body {
				if k == "sys_id" || k == "number" || strings.HasPrefix(k, "sys_created") {
					continue
				}
				switch k {
				case "work_notes", "comments":
					// journal fields: appended, shown in the list field
					if v != nil && v != "" {
						rec[k+"_journal"] = strings.TrimSpace(engineJoin(rec[k+"_journal"], fmt.Sprint(str(v))))
					}
					rec[k] = ""
					continue
				}
				rec[k] = str(v)
			}
			n, _ := strconv.Atoi(fmt.Sprint(rec["sys_mod_count"]))
			rec["sys_mod_count"] = strconv.Itoa(n + 1)
			rec["sys_updated_on"] = time.Now().UTC().Format(snTime)
			if st := fmt.Sprint(rec["state"]); st == "3" || st == "4" || st == "7" {
				rec["active"] = "false"
			}
			fakeapi.JSON(w, 200, map[string]any{"result": project(rec, r.URL.Query().Get("sysparm_fields"))})
		case "DELETE":
			list := s.tables[fmt.Sprint(rec["sys_class_name"])]
			for i, x := range list {
				if x["sys_id"] == id {
					s.tables[fmt.Sprint(rec["sys_class_name"])] = append(list[:i:i], list[i+1:]...)
				}
			}
			w.WriteHeader(http.StatusNoContent)
		default:
			snErr(w, 405, "Method not Supported", "")
		}
	default:
		snErr(w, 405, "Method not Supported", "")
	}
}

// known: a seeded table, a task table, or a custom one (u_…, x_…: the
// fake takes any custom table as created).
func (s *Server) known(table string) bool {
	_, seeded := s.tables[table]
	return seeded || prefix[table] != "" || table == "task" || strings.HasPrefix(table, "u_") || strings.HasPrefix(table, "x_")
}

func engineJoin(prev any, s string) string {
	p, _ := prev.(string)
	if p == "" {
		return s
	}
	return p + "\n" + s
}

func base(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func project(rec record, fields string) record {
	if fields == "" {
		out := record{}
		for k, v := range rec {
			out[k] = v
		}
		return out
	}
	out := record{}
	for _, f := range strings.Split(fields, ",") {
		f = strings.TrimSpace(f)
		if v, ok := rec[f]; ok {
			out[f] = v
		} else {
			out[f] = ""
		}
	}
	return out
}

type term struct {
	field, op, value string
}

// parseQuery reads an encoded query: terms joined by ^ (and) and ^OR (or),
// ^NQ (new query: or of groups), ORDERBY / ORDERBYDESC terms.
func parseQuery(q string) (groups [][][]term, order string, desc bool) {
	for _, nq := range strings.Split(q, "^NQ") {
		var ands [][]term
		for _, part := range strings.Split(nq, "^") {
			if part == "" || part == "EQ" {
				continue
			}
			if f, ok := strings.CutPrefix(part, "ORDERBYDESC"); ok {
				order, desc = f, true
				continue
			}
			if f, ok := strings.CutPrefix(part, "ORDERBY"); ok {
				order = f
				continue
			}
			or := false
			if p, ok := strings.CutPrefix(part, "OR"); ok && len(ands) > 0 {
				part, or = p, true
			}
			t := parseTerm(part)
			if or {
				ands[len(ands)-1] = append(ands[len(ands)-1], t)
			} else {
				ands = append(ands, []term{t})
			}
		}
		groups = append(groups, ands)
	}
	return
}

func parseTerm(s string) term {
	for _, op := range []string{"ISNOTEMPTY", "ISEMPTY"} {
		if f, ok := strings.CutSuffix(s, op); ok {
			return term{f, op, ""}
		}
	}
	for _, op := range []string{"NOT LIKE", "STARTSWITH", "ENDSWITH", "LIKE", "NOT IN", "IN", "!=", ">=", "<=", "=", ">", "<"} {
		if i := strings.Index(s, op); i > 0 {
			return term{s[:i], op, s[i+len(op):]}
		}
	}
	return term{s, "ISNOTEMPTY", ""}
}

func (t term) match(rec record) bool {
	v := fmt.Sprint(rec[t.field])
	if rec[t.field] == nil {
		v = ""
	}
	lv, lt := strings.ToLower(v), strings.ToLower(t.value)
	switch t.op {
	case "=":
		return v == t.value
	case "!=":
		return v != t.value
	case "LIKE":
		return strings.Contains(lv, lt)
	case "NOT LIKE":
		return !strings.Contains(lv, lt)
	case "STARTSWITH":
		return strings.HasPrefix(lv, lt)
	case "ENDSWITH":
		return strings.HasSuffix(lv, lt)
	case "IN", "NOT IN":
		hit := false
		for _, x := range strings.Split(t.value, ",") {
			hit = hit || x == v
		}
		return hit == (t.op == "IN")
	case "ISEMPTY":
		return v == ""
	case "ISNOTEMPTY":
		return v != ""
	case ">", "<", ">=", "<=":
		a, e1 := strconv.ParseFloat(v, 64)
		b, e2 := strconv.ParseFloat(t.value, 64)
		c := strings.Compare(v, t.value)
		if e1 == nil && e2 == nil {
			c = 0
			if a < b {
				c = -1
			} else if a > b {
				c = 1
			}
		}
		switch t.op {
		case ">":
			return c > 0
		case "<":
			return c < 0
		case ">=":
			return c >= 0
		}
		return c <= 0
	}
	return false
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, table string) {
	if !s.known(table) {
		snErr(w, 400, "Invalid table "+table, "")
		return
	}
	q := r.URL.Query()
	groups, order, desc := parseQuery(q.Get("sysparm_query"))
	var hits []record
	for _, rec := range s.rows(table) {
		ok := len(groups) == 0
		for _, ands := range groups {
			all := true
			for _, ors := range ands {
				any := false
				for _, t := range ors {
					any = any || t.match(rec)
				}
				all = all && any
			}
			ok = ok || all
		}
		if ok {
			hits = append(hits, rec)
		}
	}
	if order != "" {
		sort.SliceStable(hits, func(i, j int) bool {
			a, b := fmt.Sprint(hits[i][order]), fmt.Sprint(hits[j][order])
			if desc {
				return a > b
			}
			return a < b
		})
	}
	limit, _ := strconv.Atoi(q.Get("sysparm_limit"))
	if limit <= 0 {
		limit = 10000
	}
	off, _ := strconv.Atoi(q.Get("sysparm_offset"))
	total := len(hits)
	from := min(off, total)
	to := min(from+limit, total)
	out := []any{}
	for _, rec := range hits[from:to] {
		out = append(out, project(rec, q.Get("sysparm_fields")))
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	if to < total {
		u := *r.URL
		v := u.Query()
		v.Set("sysparm_offset", strconv.Itoa(to))
		v.Set("sysparm_limit", strconv.Itoa(limit))
		u.RawQuery = v.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<%s%s>;rel="next"`, base(r), u.RequestURI()))
	}
	fakeapi.JSON(w, 200, map[string]any{"result": out})
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.Method != "POST" {
		fakeapi.JSON(w, 400, map[string]any{"error": "invalid_request", "error_description": "POST a form"})
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != DefaultClientID || secret != DefaultClientSecret {
		fakeapi.JSON(w, 401, map[string]any{"error": "invalid_client", "error_description": "access_denied"})
		return
	}
	switch r.PostForm.Get("grant_type") {
	case "client_credentials", "refresh_token":
	case "password":
		if pw, ok := s.users[r.PostForm.Get("username")]; !ok || pw != r.PostForm.Get("password") {
			fakeapi.JSON(w, 401, map[string]any{"error": "server_error", "error_description": "access_denied"})
			return
		}
	default:
		fakeapi.JSON(w, 400, map[string]any{"error": "unsupported_grant_type", "error_description": "grant type not supported"})
		return
	}
	tok := sysID() + sysID()
	s.tokens[tok] = true
	fakeapi.JSON(w, 200, map[string]any{"access_token": tok, "refresh_token": sysID(), "scope": "useraccount", "token_type": "Bearer", "expires_in": 1799})
}

var _ = url.Values{}
