// Package fake is a local Jira Cloud site: a net/http server speaking the
// parts of the Jira Cloud platform REST API v3 the Flowbench Jira cards
// use — /rest/api/3/myself, serverInfo, project, issuetype, field, issue
// (create, read, edit), search (GET /search with startAt/maxResults and the
// newer /search/jql with nextPageToken), user search and assignable user
// search — with JQL over its issues, and admin webhooks: SetWebhook
// registers a URL and secret; issue created and updated events are POSTed
// there with X-Hub-Signature: sha256=<HMAC of the body> (Jira's webhook
// secret) and X-Atlassian-Webhook-Identifier.
//
// Atlassian publishes the Jira Cloud REST API as an OpenAPI document on
// its developer site (swagger-v3.v3.json) but not in a repository or
// package this project can reach, so the fake follows the documented
// request and response shapes of that reference: errors are
// {"errorMessages":[…],"errors":{field: message}}, issue ids are numeric
// strings and keys PROJECT-N, dates "2006-01-02T15:04:05.000-0700",
// descriptions Atlassian Document Format. Auth is Basic email:API token (or
// a Bearer OAuth token); a bad one gets 401.
package fake

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/connectors/fakeapi"
)

// Seeded credentials.
const (
	AdminEmail = "sandbox.admin@example.com"
	APIToken   = "ATATTFlowbenchSandboxJiraToken0000"
)

const jiraTime = "2006-01-02T15:04:05.000-0700"

// WebhookSecret is the secret of the sandbox connection's webhook.
const WebhookSecret = "flowbench-sandbox-jira-webhook-secret"

// Config configures a fake. The zero value is usable.
type Config struct {
	Faults []fakeapi.Fault
}

type user struct {
	AccountID, Email, Name string
}

type field struct {
	ID, Name, Type string // Type: string, date, datetime, option, number
}

type issue struct {
	ID, Key, Project, Type string
	Fields                 map[string]any // by field id
	Created, Updated       time.Time
}

type project struct {
	ID, Key, Name string
}

// Server is one fake site.
type Server struct {
	mu       sync.Mutex
	faults   *fakeapi.Faults
	h        http.Handler
	users    []*user
	tokens   map[string]string // email → token
	bearer   map[string]bool
	projects []*project
	types    map[string]string // issue type id → name
	fields   []*field
	issues   []*issue
	seq      int
	keys     map[string]int
	hookURL  string
	hookSec  string
	hooks    []*adminHook // made through the webhooks REST API (hooks.go)
	hookSeq  int
	client   *http.Client
	now      func() time.Time
}

// New builds a fake site with its seed.
func New(cfg Config) *Server {
	s := &Server{tokens: map[string]string{AdminEmail: APIToken}, bearer: map[string]bool{}, keys: map[string]int{}, client: &http.Client{Timeout: 5 * time.Second}, now: time.Now,
		types: map[string]string{"10001": "Task", "10002": "Story", "10004": "Bug", "10012": "Service Request", "10013": "Sub-task"}}
	s.faults = fakeapi.NewFaults(func(w http.ResponseWriter, r *http.Request, status int) {
		jErr(w, status, http.StatusText(status))
	})
	s.faults.Set(cfg.Faults)
	s.seed()
	s.h = s.faults.Wrap(http.HandlerFunc(s.serve))
	return s
}

// SetFaults replaces the fault rules.
func (s *Server) SetFaults(f []fakeapi.Fault) { s.faults.Set(f) }

// SetWebhook registers the admin webhook (empty URL: none).
func (s *Server) SetWebhook(url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hookURL, s.hookSec = url, secret
}

// RevokeToken removes an API token.
func (s *Server) RevokeToken(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, email)
}

// Issue returns a copy of an issue's fields by key (field ids and names).
func (s *Server) Issue(key string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, is := range s.issues {
		if is.Key == key {
			out := map[string]any{}
			for k, v := range is.Fields {
				out[k] = v
				for _, f := range s.fields {
					if f.ID == k {
						out[f.Name] = v
					}
				}
			}
			return out, true
		}
	}
	return nil, false
}

// CreateIssue adds an issue as someone working in Jira would (for
// triggers); fields are by id or name. It returns the key.
func (s *Server) CreateIssue(projectKey, typeID string, fields map[string]any) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is, err := s.create(projectKey, typeID, fields)
	if err != nil {
		return "", err
	}
	s.deliver("jira:issue_created", is)
	return is.Key, nil
}

// UpdateIssue edits fields (by id or name) of an issue by key.
func (s *Server) UpdateIssue(key string, fields map[string]any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.find(key)
	if is == nil {
		return fmt.Errorf("no issue %s", key)
	}
	return s.edit(is, fields)
}

var people = []struct{ email, name string }{
	{AdminEmail, "Sandbox Admin"}, {"alice.nguyen@example.com", "Alice Nguyen"}, {"bob.martinez@example.com", "Bob Martinez"},
	{"david.kim@example.com", "David Kim"}, {"farah.haddad@example.com", "Farah Haddad"},
}

func (s *Server) seed() {
	for i, p := range people {
		s.users = append(s.users, &user{AccountID: fmt.Sprintf("5b10ac8d82e05b22cc7d4e%02d", i), Email: p.email, Name: p.name})
	}
	s.projects = []*project{{"10000", "HEL", "Helpdesk"}, {"10001", "IG", "Identity Governance"}, {"10002", "OIG", "Okta Identity Governance"}, {"10003", "IT", "IT Operations"}}
	s.fields = []*field{
		{"summary", "Summary", "string"}, {"description", "Description", "doc"}, {"status", "Status", "status"}, {"resolution", "Resolution", "option"},
		{"issuetype", "Issue Type", "issuetype"}, {"project", "Project", "project"}, {"reporter", "Reporter", "user"}, {"assignee", "Assignee", "user"},
		{"labels", "Labels", "array"}, {"components", "Components", "array"}, {"parent", "Parent", "issuelink"}, {"priority", "Priority", "option"},
		{"created", "Created", "datetime"}, {"updated", "Updated", "datetime"},
		{"customfield_10050", "Okta First Name", "string"}, {"customfield_10051", "Okta Last Name", "string"},
		{"customfield_10052", "Okta Start Date Time", "datetime"}, {"customfield_10010", "Request Type", "option"},
		{"customfield_10053", "Okta Department", "string"}, {"customfield_10054", "Okta Email", "string"},
	}
	old := s.now
	s.now = func() time.Time { return time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC) }
	_, _ = s.create("HEL", "10012", map[string]any{"summary": "Onboard Nia Park", "Request Type": "Onboard New Employee", "Okta First Name": "Nia",
		"Okta Last Name": "Park", "Okta Start Date Time": "2024-03-04T09:00:00.000+0000", "Okta Department": "Engineering"})
	_, _ = s.create("IT", "10001", map[string]any{"summary": "Rotate service account keys"})
	s.now = old
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.h.ServeHTTP(w, r) }

func jErr(w http.ResponseWriter, status int, msg string, fieldErrs ...string) {
	errs := map[string]any{}
	for i := 0; i+1 < len(fieldErrs); i += 2 {
		errs[fieldErrs[i]] = fieldErrs[i+1]
	}
	list := []any{}
	if msg != "" {
		list = append(list, msg)
	}
	fakeapi.JSON(w, status, map[string]any{"errorMessages": list, "errors": errs})
}

func (s *Server) me(r *http.Request) *user {
	if email, tok, ok := r.BasicAuth(); ok {
		if want, known := s.tokens[email]; known && want == tok {
			return s.userBy(email)
		}
		return nil
	}
	if t := fakeapi.Bearer(r); t != "" && s.bearer[t] {
		return s.users[0]
	}
	return nil
}

// AddBearer accepts an OAuth access token (as the admin).
func (s *Server) AddBearer(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bearer[tok] = true
}

func (s *Server) userBy(q string) *user {
	for _, u := range s.users {
		if strings.EqualFold(u.Email, q) || u.AccountID == q {
			return u
		}
	}
	return nil
}

func base(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	me := s.me(r)
	if me == nil {
		w.Header().Set("WWW-Authenticate", `Basic realm="protected-area"`)
		jErr(w, http.StatusUnauthorized, "Client must be authenticated to access this resource.")
		return
	}
	if strings.HasPrefix(r.URL.Path, "/rest/webhooks/1.0/webhook") {
		s.serveHooks(w, r, me)
		return
	}
	p, ok := strings.CutPrefix(r.URL.Path, "/rest/api/3/")
	if !ok {
		p, ok = strings.CutPrefix(r.URL.Path, "/rest/api/2/")
	}
	if !ok {
		jErr(w, 404, "Not found")
		return
	}
	seg := strings.Split(strings.Trim(p, "/"), "/")
	q := r.URL.Query()
	switch {
	case p == "myself" && r.Method == "GET":
		fakeapi.JSON(w, 200, s.userJSON(r, me))
	case p == "serverInfo" && r.Method == "GET":
		fakeapi.JSON(w, 200, map[string]any{"baseUrl": base(r), "deploymentType": "Cloud", "version": "1001.0.0-SNAPSHOT", "serverTitle": "Flowbench Jira (fake)"})
	case p == "project" && r.Method == "GET":
		var out []any
		for _, pr := range s.projects {
			out = append(out, map[string]any{"id": pr.ID, "key": pr.Key, "name": pr.Name, "self": base(r) + "/rest/api/3/project/" + pr.ID})
		}
		fakeapi.JSON(w, 200, out)
	case p == "issuetype" && r.Method == "GET":
		var out []any
		for id, n := range s.types {
			out = append(out, map[string]any{"id": id, "name": n, "subtask": n == "Sub-task"})
		}
		fakeapi.JSON(w, 200, out)
	case p == "field" && r.Method == "GET":
		var out []any
		for _, f := range s.fields {
			out = append(out, map[string]any{"id": f.ID, "name": f.Name, "custom": strings.HasPrefix(f.ID, "customfield_"), "schema": map[string]any{"type": f.Type}})
		}
		fakeapi.JSON(w, 200, out)
	case p == "issue" && r.Method == "POST":
		s.createHTTP(w, r)
	case len(seg) == 2 && seg[0] == "issue":
		is := s.find(seg[1])
		if is == nil {
			jErr(w, 404, "Issue does not exist or you do not have permission to see it.")
			return
		}
		switch r.Method {
		case "GET":
			fakeapi.JSON(w, 200, s.issueJSON(r, is))
		case "PUT":
			var body struct {
				Fields map[string]any `json:"fields"`
			}
			if err := fakeapi.Decode(r, &body); err != nil {
				jErr(w, 400, "Unexpected character in the JSON body.")
				return
			}
			if err := s.edit(is, body.Fields); err != nil {
				jErr(w, 400, "", strings.SplitN(err.Error(), ": ", 2)...)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		default:
			jErr(w, 405, "Method not allowed")
		}
	case (p == "search" || p == "search/jql") && (r.Method == "GET" || r.Method == "POST"):
		s.search(w, r, p == "search/jql")
	case (p == "user/search" || p == "user/assignable/search") && r.Method == "GET":
		qq := strings.ToLower(q.Get("query"))
		if acct := q.Get("accountId"); acct != "" {
			qq = strings.ToLower(acct)
		}
		out := []any{}
		for _, u := range s.users {
			if qq == "" || strings.Contains(strings.ToLower(u.Email), qq) || strings.Contains(strings.ToLower(u.Name), qq) || strings.ToLower(u.AccountID) == qq {
				out = append(out, s.userJSON(r, u))
			}
		}
		fakeapi.JSON(w, 200, out)
	default:
		jErr(w, 404, "Not found")
	}
}

func (s *Server) userJSON(r *http.Request, u *user) map[string]any {
	return map[string]any{"accountId": u.AccountID, "accountType": "atlassian", "emailAddress": u.Email, "displayName": u.Name, "active": true,
		"timeZone": "UTC", "self": base(r) + "/rest/api/3/user?accountId=" + u.AccountID}
}

func (s *Server) find(idOrKey string) *issue {
	for _, is := range s.issues {
		if is.ID == idOrKey || strings.EqualFold(is.Key, idOrKey) {
			return is
		}
	}
	return nil
}

func (s *Server) fieldID(k string) (*field, bool) {
	for _, f := range s.fields {
		if f.ID == k || strings.EqualFold(f.Name, k) {
			return f, true
		}
	}
	if strings.HasPrefix(k, "cf[") {
		return s.fieldID("customfield_" + strings.Trim(k[3:], "]"))
	}
	return nil, false
}

func (s *Server) create(projectKey, typeID string, fields map[string]any) (*issue, error) {
	var pr *project
	for _, p := range s.projects {
		if strings.EqualFold(p.Key, projectKey) || p.ID == projectKey {
			pr = p
		}
	}
	if pr == nil {
		return nil, fmt.Errorf("project: valid project is required")
	}
	if _, ok := s.types[typeID]; !ok {
		return nil, fmt.Errorf("issuetype: valid issue type is required")
	}
	if engineText(fields["summary"]) == "" && engineText(fields["Summary"]) == "" {
		return nil, fmt.Errorf("summary: You must specify a summary of the issue.")
	}
	s.seq++
	s.keys[pr.Key]++
	now := s.now().UTC()
	is := &issue{ID: strconv.Itoa(10000 + s.seq), Key: fmt.Sprintf("%s-%d", pr.Key, s.keys[pr.Key]), Project: pr.Key, Type: typeID,
		Fields: map[string]any{"status": "To Do", "reporter": s.users[0].AccountID}, Created: now, Updated: now}
	if err := s.set(is, fields); err != nil {
		s.seq--
		s.keys[pr.Key]--
		return nil, err
	}
	s.issues = append(s.issues, is)
	return is, nil
}

func engineText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (s *Server) set(is *issue, fields map[string]any) error {
	for k, v := range fields {
		switch k {
		case "project", "issuetype":
			continue
		}
		f, ok := s.fieldID(k)
		if !ok {
			return fmt.Errorf("%s: Field '%s' cannot be set. It is not on the appropriate screen, or unknown.", k, k)
		}
		switch f.ID {
		case "reporter", "assignee":
			m, _ := v.(map[string]any)
			acct := engineText(m["accountId"])
			if m == nil {
				acct = engineText(v)
			}
			if acct != "" && s.userBy(acct) == nil {
				return fmt.Errorf("%s: Specify a valid value for %s", f.ID, f.ID)
			}
			v = acct
		case "parent":
			m, _ := v.(map[string]any)
			key := engineText(m["key"])
			if key == "" {
				key = engineText(m["id"])
			}
			if key != "" && s.find(key) == nil {
				return fmt.Errorf("parent: Could not find issue by id or key.")
			}
			v = key
		case "status", "resolution", "priority", "customfield_10010":
			if m, ok := v.(map[string]any); ok {
				if n := engineText(m["name"]); n != "" {
					v = n
				} else {
					v = engineText(m["value"])
				}
			}
		case "components":
			var names []any
			if l, ok := v.([]any); ok {
				for _, c := range l {
					if m, ok := c.(map[string]any); ok {
						names = append(names, engineText(m["name"]))
					} else {
						names = append(names, engineText(c))
					}
				}
			}
			v = names
		}
		is.Fields[f.ID] = v
	}
	return nil
}

func (s *Server) edit(is *issue, fields map[string]any) error {
	if err := s.set(is, fields); err != nil {
		return err
	}
	is.Updated = s.now().UTC()
	if t, ok := is.Updated, true; ok && !t.After(is.Created) {
		is.Updated = is.Created.Add(time.Millisecond)
	}
	s.deliver("jira:issue_updated", is)
	return nil
}

func (s *Server) createHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Fields map[string]any `json:"fields"`
	}
	if err := fakeapi.Decode(r, &body); err != nil || body.Fields == nil {
		jErr(w, 400, "Unexpected character in the JSON body.")
		return
	}
	pm, _ := body.Fields["project"].(map[string]any)
	tm, _ := body.Fields["issuetype"].(map[string]any)
	pk := engineText(pm["key"])
	if pk == "" {
		pk = engineText(pm["id"])
	}
	tid := engineText(tm["id"])
	if tid == "" {
		for id, n := range s.types {
			if strings.EqualFold(n, engineText(tm["name"])) {
				tid = id
			}
		}
	}
	is, err := s.create(pk, tid, body.Fields)
	if err != nil {
		f, msg, _ := strings.Cut(err.Error(), ": ")
		jErr(w, 400, "", f, msg)
		return
	}
	fakeapi.JSON(w, 201, map[string]any{"id": is.ID, "key": is.Key, "self": base(r) + "/rest/api/3/issue/" + is.ID})
	s.deliver("jira:issue_created", is)
}

func (s *Server) issueJSON(r *http.Request, is *issue) map[string]any {
	f := map[string]any{}
	for k, v := range is.Fields {
		switch k {
		case "reporter", "assignee":
			if u := s.userBy(engineText(v)); u != nil {
				v = s.userJSON(r, u)
			}
		case "status", "resolution", "priority":
			v = map[string]any{"name": v}
		case "customfield_10010":
			v = map[string]any{"value": v}
		case "parent":
			if p := s.find(engineText(v)); p != nil {
				v = map[string]any{"id": p.ID, "key": p.Key}
			}
		}
		f[k] = v
	}
	f["project"] = map[string]any{"key": is.Project}
	f["issuetype"] = map[string]any{"id": is.Type, "name": s.types[is.Type]}
	f["created"] = is.Created.Format(jiraTime)
	f["updated"] = is.Updated.Format(jiraTime)
	for _, fd := range s.fields {
		if _, ok := f[fd.ID]; !ok && strings.HasPrefix(fd.ID, "customfield_") {
			f[fd.ID] = nil
		}
	}
	return map[string]any{"id": is.ID, "key": is.Key, "self": base(r) + "/rest/api/3/issue/" + is.ID, "fields": f}
}

// value of an issue field for JQL (text).
func (s *Server) value(is *issue, name string) (string, bool) {
	switch strings.ToLower(name) {
	case "project":
		for _, p := range s.projects {
			if p.Key == is.Project {
				return p.Key + "\x00" + p.Name, true
			}
		}
	case "key", "issuekey":
		return is.Key, true
	case "issuetype", "type":
		return s.types[is.Type], true
	case "created", "createddate":
		return is.Created.Format("2006-01-02 15:04"), true
	case "updated", "updateddate":
		return is.Updated.Format("2006-01-02 15:04"), true
	}
	f, ok := s.fieldID(name)
	if !ok {
		return "", false
	}
	v := is.Fields[f.ID]
	if u := s.userBy(engineText(v)); u != nil && (f.ID == "reporter" || f.ID == "assignee") {
		return u.Email, true
	}
	return engineText(v), true
}

func (s *Server) search(w http.ResponseWriter, r *http.Request, tokenPaging bool) {
	q := r.URL.Query()
	jqlText, maxRes, startAt := q.Get("jql"), q.Get("maxResults"), q.Get("startAt")
	next := q.Get("nextPageToken")
	var fieldsParam []string
	if f := q.Get("fields"); f != "" {
		fieldsParam = strings.Split(f, ",")
	}
	if r.Method == "POST" {
		var body struct {
			JQL           string   `json:"jql"`
			MaxResults    int      `json:"maxResults"`
			StartAt       int      `json:"startAt"`
			NextPageToken string   `json:"nextPageToken"`
			Fields        []string `json:"fields"`
		}
		if err := fakeapi.Decode(r, &body); err != nil {
			jErr(w, 400, "Unexpected character in the JSON body.")
			return
		}
		jqlText, next, fieldsParam = body.JQL, body.NextPageToken, body.Fields
		if body.MaxResults > 0 {
			maxRes = strconv.Itoa(body.MaxResults)
		}
		startAt = strconv.Itoa(body.StartAt)
	}
	pq, err := parseJQL(jqlText)
	if err != nil {
		jErr(w, 400, "Error in the JQL Query: "+err.Error())
		return
	}
	now := s.now().UTC()
	var hits []*issue
	for _, is := range s.issues {
		ok := true
		if pq.where != nil {
			ok, err = pq.where.eval(func(f string) (string, bool) {
				v, known := s.value(is, f)
				if strings.EqualFold(f, "project") && known {
					// a project matches by key or name
					return v, true
				}
				return v, known
			}, now)
			if err != nil {
				jErr(w, 400, err.Error())
				return
			}
		}
		if ok {
			hits = append(hits, is)
		}
	}
	sortIssues(hits, pq.order, pq.desc, func(is *issue, f string) string { v, _ := s.value(is, f); return v })
	max, _ := strconv.Atoi(maxRes)
	if max <= 0 || max > 100 {
		max = 50
	}
	start, _ := strconv.Atoi(startAt)
	if tokenPaging && next != "" {
		start, _ = strconv.Atoi(next)
	}
	from := min(start, len(hits))
	to := min(from+max, len(hits))
	list := []any{}
	for _, is := range hits[from:to] {
		full := s.issueJSON(r, is)
		if len(fieldsParam) > 0 && fieldsParam[0] != "*all" {
			f := full["fields"].(map[string]any)
			keep := map[string]any{}
			for _, k := range fieldsParam {
				if fd, ok := s.fieldID(k); ok {
					keep[fd.ID] = f[fd.ID]
				}
			}
			full["fields"] = keep
		}
		list = append(list, full)
	}
	if tokenPaging {
		body := map[string]any{"issues": list, "isLast": to >= len(hits)}
		if to < len(hits) {
			body["nextPageToken"] = strconv.Itoa(to)
		}
		fakeapi.JSON(w, 200, body)
		return
	}
	fakeapi.JSON(w, 200, map[string]any{"startAt": from, "maxResults": max, "total": len(hits), "issues": list})
}

// deliver POSTs a webhook event (s.mu held; sent in the background).
func (s *Server) deliver(event string, is *issue) {
	fake := &http.Request{Host: "jira.fake", Header: http.Header{}}
	payload := map[string]any{"timestamp": s.now().UnixMilli(), "webhookEvent": event, "issue_event_type_name": strings.TrimPrefix(event, "jira:"),
		"user": s.userJSON(fake, s.users[0]), "issue": s.issueJSON(fake, is)}
	body, _ := json.Marshal(payload)
	if s.hookURL != "" {
		s.send(s.hookURL, s.hookSec, body)
	}
	for _, h := range s.hooks {
		if h.wants(event, is.Project) {
			s.send(h.URL, h.Secret, body)
		}
	}
}

// send POSTs one delivery in the background.
func (s *Server) send(u, sec string, body []byte) {
	id := strconv.FormatInt(time.Now().UnixNano(), 10)
	go func() {
		req, err := http.NewRequest("POST", u, bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Atlassian-Webhook-Identifier", id)
		if sec != "" {
			req.Header.Set("X-Hub-Signature", Sign(sec, body))
		}
		if resp, err := s.client.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
}

// Sign is Jira's webhook signature: "sha256=" + hex HMAC-SHA256 of the body.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}
