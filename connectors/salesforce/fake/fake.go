// Package fake is a local Salesforce org: a net/http server speaking the
// parts of the Salesforce REST API (v59.0) and OAuth 2.0 endpoints that the
// Flowbench Salesforce cards use: SOQL queries with nextRecordsUrl paging,
// sObject create/read/update (User, Profile, UserLogin, Contact, Account,
// Lead), describeGlobal and describe, limits, and the token endpoint
// (client credentials, authorization code with PKCE, refresh token), with
// userinfo for the connection test.
//
// Salesforce publishes no OpenAPI description of its REST API that this
// project can hold the fake to (its API reference is prose and per-org
// metadata), so the fake follows the documented request and response
// shapes of the REST API Developer Guide: errors are a JSON array
// [{"message","errorCode","fields"}] (INVALID_SESSION_ID on 401,
// MALFORMED_QUERY, INVALID_FIELD, NOT_FOUND, REQUIRED_FIELD_MISSING,
// DUPLICATE_USERNAME, REQUEST_LIMIT_EXCEEDED), record ids are 18
// characters with the object's key prefix (005 User, 003 Contact…), dates
// are "2006-01-02T15:04:05.000+0000" and every answer carries the
// Sforce-Limit-Info header ("api-usage=used/limit").
package fake

import (
	"crypto/sha256"
	"encoding/base64"
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

// Version is the API version served (/services/data/v59.0/…); any vNN.N
// path is accepted.
const Version = "v59.0"

// Seeded credentials.
const (
	DefaultToken        = "00DFB0000000001!FlowbenchSandboxSalesforceToken"
	DefaultClientID     = "3MVG9FlowbenchSandboxConsumerKey"
	DefaultClientSecret = "FlowbenchSandboxConsumerSecret"
	DefaultRefreshToken = "5Aep861FlowbenchSandboxRefresh"
)

const sfTime = "2006-01-02T15:04:05.000-0700"

type record = map[string]any

// Config configures a fake. The zero value is usable.
type Config struct {
	Token      string // default DefaultToken
	DailyLimit int    // API requests per day, default 15000
	PageSize   int    // records per query page, default 2000 (Salesforce's)
	Faults     []fakeapi.Fault
}

// Server is one fake org.
type Server struct {
	mu      sync.Mutex
	cfg     Config
	faults  *fakeapi.Faults
	h       http.Handler
	objects map[string][]record // by object name
	byID    map[string]record
	tokens  map[string]bool
	revoked map[string]bool
	codes   map[string]string // auth code → PKCE challenge
	cursors map[string][]record
	seq     fakeapi.Seq
	used    int
	now     func() time.Time
}

var prefixes = map[string]string{"User": "005", "Profile": "00e", "UserLogin": "060", "Contact": "003", "Account": "001", "Lead": "00Q", "Case": "500", "Opportunity": "006"}

// New builds a fake org with its seed.
func New(cfg Config) *Server {
	if cfg.Token == "" {
		cfg.Token = DefaultToken
	}
	if cfg.DailyLimit <= 0 {
		cfg.DailyLimit = 15000
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 2000
	}
	s := &Server{cfg: cfg, objects: map[string][]record{}, byID: map[string]record{}, tokens: map[string]bool{cfg.Token: true},
		revoked: map[string]bool{}, codes: map[string]string{}, cursors: map[string][]record{}, now: time.Now}
	s.faults = fakeapi.NewFaults(func(w http.ResponseWriter, r *http.Request, status int) {
		code := "UNKNOWN_EXCEPTION"
		if status == http.StatusServiceUnavailable {
			code = "SERVER_UNAVAILABLE"
		} else if status == http.StatusTooManyRequests || status == http.StatusForbidden {
			code = "REQUEST_LIMIT_EXCEEDED"
		}
		sfErr(w, status, code, http.StatusText(status))
	})
	s.faults.Set(cfg.Faults)
	s.seed()
	s.h = s.faults.Wrap(http.HandlerFunc(s.serve))
	return s
}

// SetFaults replaces the fault rules.
func (s *Server) SetFaults(f []fakeapi.Fault) { s.faults.Set(f) }

// Revoke makes a token answer INVALID_SESSION_ID.
func (s *Server) Revoke(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked[token] = true
}

// Insert adds a record as if created by someone else (triggers, tests);
// it returns the new id.
func (s *Server) Insert(object string, fields map[string]any) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.insert(object, fields)
}

// Record returns a copy of a record by id.
func (s *Server) Record(id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.byID[id]
	if r == nil {
		return nil, false
	}
	out := map[string]any{}
	for k, v := range r {
		out[k] = v
	}
	return out, true
}

func (s *Server) newID(object string) string {
	p := prefixes[object]
	if p == "" {
		p = "a00"
	}
	n := s.seq.Next(0)
	return fmt.Sprintf("%s5g0000%06dAAA", p, n)[:15] + "AAA"
}

func (s *Server) insert(object string, fields map[string]any) string {
	id := s.newID(object)
	ts := s.now().UTC().Format(sfTime)
	rec := record{"Id": id, "CreatedDate": ts, "LastModifiedDate": ts, "SystemModstamp": ts, "CreatedById": "005FB0000000001AAA"}
	for k, v := range fields {
		rec[k] = v
	}
	s.objects[object] = append(s.objects[object], rec)
	s.byID[id] = rec
	if object == "User" {
		s.insert("UserLogin", map[string]any{"UserId": id, "IsFrozen": false, "IsPasswordLocked": false})
	}
	return id
}

var people = []struct{ first, last, email, dept string }{
	{"Sandbox", "Admin", "sandbox.admin@example.com", "IT"},
	{"Alice", "Nguyen", "alice.nguyen@example.com", "Engineering"},
	{"Bob", "Martinez", "bob.martinez@example.com", "Sales"},
	{"Julia", "Rossi", "julia.rossi@example.com", "Sales"},
	{"Carol", "Okafor", "carol.okafor@example.com", "Finance"},
}

func (s *Server) seed() {
	old := s.now
	t0 := time.Date(2024, 1, 15, 9, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return t0 }
	defer func() { s.now = old }()
	admin := s.insert("Profile", map[string]any{"Name": "System Administrator", "UserType": "Standard"})
	std := s.insert("Profile", map[string]any{"Name": "Standard User", "UserType": "Standard"})
	// the standard profiles every org has
	for _, p := range []string{"Salesforce Platform User", "Chatter Free User", "Chatter External User", "Chatter Moderator User", "Read Only",
		"Marketing User", "Contract Manager", "Solution Manager", "Minimum Access - Salesforce", "Standard Platform User"} {
		typ := "Standard"
		if strings.HasPrefix(p, "Chatter") {
			typ = "CsnOnly"
		}
		s.insert("Profile", map[string]any{"Name": p, "UserType": typ})
	}
	for i, p := range people {
		prof := std
		if i == 0 {
			prof = admin
		}
		s.insert("User", map[string]any{"FirstName": p.first, "LastName": p.last, "Email": p.email, "Username": p.email + ".sandbox",
			"Alias": alias(p.first, p.last), "IsActive": i != 4, "ProfileId": prof, "Department": p.dept, "TimeZoneSidKey": "America/Los_Angeles",
			"LocaleSidKey": "en_US", "EmailEncodingKey": "UTF-8", "LanguageLocaleKey": "en_US", "FederationIdentifier": p.email})
	}
	acct := s.insert("Account", map[string]any{"Name": "Acme Corporation", "Industry": "Manufacturing"})
	s.insert("Contact", map[string]any{"FirstName": "Rosa", "LastName": "Diaz", "Email": "rosa.diaz@acme.example", "Phone": "+1 555 0100", "AccountId": acct})
	s.insert("Lead", map[string]any{"FirstName": "Sam", "LastName": "Lee", "Company": "Globex", "Email": "sam.lee@globex.example", "Status": "Open - Not Contacted"})
}

func alias(first, last string) string {
	a := strings.ToLower(first)
	if len(a) > 1 {
		a = a[:1]
	}
	l := strings.ToLower(last)
	if len(l) > 4 {
		l = l[:4]
	}
	return a + l
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.h.ServeHTTP(w, r) }

func sfErr(w http.ResponseWriter, status int, code, msg string, fields ...string) {
	e := map[string]any{"message": msg, "errorCode": code}
	if len(fields) > 0 {
		e["fields"] = fields
	}
	fakeapi.JSON(w, status, []any{e})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.URL.Path {
	case "/services/oauth2/token":
		s.token(w, r)
		return
	case "/services/oauth2/authorize":
		s.authorize(w, r)
		return
	}
	tok := fakeapi.Bearer(r)
	if !s.tokens[tok] || s.revoked[tok] {
		sfErr(w, http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
		return
	}
	s.used++
	w.Header().Set("Sforce-Limit-Info", fmt.Sprintf("api-usage=%d/%d", s.used, s.cfg.DailyLimit))
	if s.used > s.cfg.DailyLimit {
		sfErr(w, http.StatusForbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
		return
	}
	if r.URL.Path == "/services/oauth2/userinfo" {
		u := s.objects["User"][0]
		fakeapi.JSON(w, 200, map[string]any{"sub": "https://login.salesforce.com/id/00DFB0000000001AAA/" + u["Id"].(string), "user_id": u["Id"], "organization_id": "00DFB0000000001AAA",
			"preferred_username": u["Username"], "email": u["Email"], "name": u["FirstName"].(string) + " " + u["LastName"].(string)})
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/services/data/")
	if !ok {
		sfErr(w, 404, "NOT_FOUND", "The requested resource does not exist")
		return
	}
	if rest == "" {
		fakeapi.JSON(w, 200, []any{map[string]any{"label": "Winter '24", "url": "/services/data/" + Version, "version": strings.TrimPrefix(Version, "v")}})
		return
	}
	ver, rest, _ := strings.Cut(rest, "/")
	if !strings.HasPrefix(ver, "v") {
		sfErr(w, 404, "NOT_FOUND", "The requested resource does not exist")
		return
	}
	seg := strings.Split(strings.Trim(rest, "/"), "/")
	switch {
	case rest == "" || rest == "/":
		fakeapi.JSON(w, 200, map[string]any{"sobjects": "/services/data/" + ver + "/sobjects", "query": "/services/data/" + ver + "/query", "limits": "/services/data/" + ver + "/limits"})
	case seg[0] == "limits" && r.Method == "GET":
		fakeapi.JSON(w, 200, map[string]any{"DailyApiRequests": map[string]any{"Max": s.cfg.DailyLimit, "Remaining": s.cfg.DailyLimit - s.used}})
	case seg[0] == "query" && len(seg) == 1 && r.Method == "GET":
		s.query(w, r, ver)
	case seg[0] == "query" && len(seg) == 2 && r.Method == "GET":
		s.page(w, ver, seg[1])
	case seg[0] == "sobjects" && len(seg) == 1 && r.Method == "GET":
		var list []any
		names := make([]string, 0, len(prefixes))
		for n := range prefixes {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			list = append(list, map[string]any{"name": n, "label": n, "keyPrefix": prefixes[n], "createable": n != "UserLogin", "updateable": true, "queryable": true,
				"urls": map[string]any{"sobject": "/services/data/" + ver + "/sobjects/" + n}})
		}
		fakeapi.JSON(w, 200, map[string]any{"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": list})
	case seg[0] == "sobjects" && len(seg) == 2 && r.Method == "POST":
		s.create(w, r, ver, seg[1])
	case seg[0] == "sobjects" && len(seg) == 3 && seg[2] == "describe" && r.Method == "GET":
		s.describe(w, seg[1])
	case seg[0] == "sobjects" && len(seg) == 3:
		s.recordOp(w, r, ver, seg[1], seg[2])
	default:
		sfErr(w, 404, "NOT_FOUND", "The requested resource does not exist")
	}
}

func (s *Server) known(object string) bool {
	_, ok := prefixes[object]
	return ok
}

func (s *Server) describe(w http.ResponseWriter, object string) {
	if !s.known(object) {
		sfErr(w, 404, "NOT_FOUND", "The requested resource does not exist")
		return
	}
	seen := map[string]bool{"Id": true}
	fields := []any{map[string]any{"name": "Id", "type": "id", "label": "Record ID", "createable": false, "updateable": false, "nillable": false}}
	for _, rec := range s.objects[object] {
		for k := range rec {
			if !seen[k] {
				seen[k] = true
				fields = append(fields, map[string]any{"name": k, "type": "string", "label": k, "createable": true, "updateable": true, "nillable": true})
			}
		}
	}
	fakeapi.JSON(w, 200, map[string]any{"name": object, "label": object, "keyPrefix": prefixes[object], "createable": true, "fields": fields})
}

func (s *Server) query(w http.ResponseWriter, r *http.Request, ver string) {
	text := r.URL.Query().Get("q")
	q, err := parseSOQL(text)
	if err != nil {
		sfErr(w, 400, "MALFORMED_QUERY", err.Error())
		return
	}
	var obj string
	for n := range prefixes {
		if strings.EqualFold(n, q.Object) {
			obj = n
		}
	}
	if obj == "" {
		sfErr(w, 400, "INVALID_TYPE", "sObject type '"+q.Object+"' is not supported.")
		return
	}
	var out []record
	for _, rec := range s.objects[obj] {
		if s.match(rec, q.Where) {
			out = append(out, rec)
		}
	}
	s.sortRecords(out, q)
	if q.Offset > 0 {
		out = out[min(q.Offset, len(out)):]
	}
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	rows := make([]record, 0, len(out))
	for _, rec := range out {
		row := record{"attributes": map[string]any{"type": obj, "url": "/services/data/" + ver + "/sobjects/" + obj + "/" + rec["Id"].(string)}}
		for _, f := range q.Fields {
			if strings.HasPrefix(strings.ToUpper(f), "COUNT(") {
				continue
			}
			if rel, sub, ok := strings.Cut(f, "."); ok {
				ref := s.related(rec, rel)
				if ref == nil {
					row[rel] = nil
				} else {
					m, _ := row[rel].(record)
					if m == nil {
						m = record{"attributes": map[string]any{"type": rel}}
					}
					m[sub] = s.field(ref, sub)
					row[rel] = m
				}
				continue
			}
			name := f
			for k := range rec {
				if strings.EqualFold(k, f) {
					name = k
				}
			}
			if _, ok := rec[name]; !ok && !s.fieldKnown(obj, f) {
				sfErr(w, 400, "INVALID_FIELD", fmt.Sprintf("No such column '%s' on entity '%s'.", f, obj))
				return
			}
			row[name] = rec[name]
		}
		rows = append(rows, row)
	}
	s.answerRows(w, ver, rows)
}

// fieldKnown: a field some record of the object has, or a standard one.
func (s *Server) fieldKnown(obj, f string) bool {
	for _, rec := range s.objects[obj] {
		for k := range rec {
			if strings.EqualFold(k, f) {
				return true
			}
		}
	}
	switch strings.ToLower(f) {
	case "id", "name", "firstname", "lastname", "email", "phone", "title", "department", "createddate", "lastmodifieddate":
		return true
	}
	return false
}

func (s *Server) answerRows(w http.ResponseWriter, ver string, rows []record) {
	total := len(rows)
	page := rows
	body := map[string]any{"totalSize": total, "done": true}
	if len(rows) > s.cfg.PageSize {
		page = rows[:s.cfg.PageSize]
		id := fmt.Sprintf("01gFB%010d-%d", s.seq.Next(0), s.cfg.PageSize)
		s.cursors[id] = rows[s.cfg.PageSize:]
		body["done"] = false
		body["nextRecordsUrl"] = "/services/data/" + ver + "/query/" + id
	}
	body["records"] = page
	fakeapi.JSON(w, 200, body)
}

func (s *Server) page(w http.ResponseWriter, ver, id string) {
	rows, ok := s.cursors[id]
	if !ok {
		sfErr(w, 400, "INVALID_QUERY_LOCATOR", "invalid query locator")
		return
	}
	delete(s.cursors, id)
	s.answerRows(w, ver, rows)
}

var required = map[string][]string{
	"User":    {"LastName", "Username", "Email", "Alias", "TimeZoneSidKey", "LocaleSidKey", "EmailEncodingKey", "ProfileId", "LanguageLocaleKey"},
	"Contact": {"LastName"},
	"Lead":    {"LastName", "Company"},
	"Account": {"Name"},
}

func (s *Server) create(w http.ResponseWriter, r *http.Request, ver, object string) {
	if !s.known(object) || object == "UserLogin" {
		sfErr(w, 404, "NOT_FOUND", "The requested resource does not exist")
		return
	}
	var body map[string]any
	if err := fakeapi.Decode(r, &body); err != nil || body == nil {
		sfErr(w, 400, "JSON_PARSER_ERROR", "Unexpected character: was expecting a JSON object")
		return
	}
	for _, k := range []string{"Id", "CreatedDate", "LastModifiedDate", "SystemModstamp"} {
		if _, ok := body[k]; ok {
			sfErr(w, 400, "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: "+k+". Please check the security settings of this field and verify that it is read/write for your profile or permission set.", k)
			return
		}
	}
	var missing []string
	for _, k := range required[object] {
		if v, ok := body[k]; !ok || v == nil || v == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		sfErr(w, 400, "REQUIRED_FIELD_MISSING", "Required fields are missing: ["+strings.Join(missing, ", ")+"]", missing...)
		return
	}
	if object == "User" {
		for _, u := range s.objects["User"] {
			if strings.EqualFold(fmt.Sprint(u["Username"]), fmt.Sprint(body["Username"])) {
				sfErr(w, 400, "DUPLICATE_USERNAME", "Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations.", "Username")
				return
			}
		}
		if p := s.byID[fmt.Sprint(body["ProfileId"])]; p == nil || !strings.HasPrefix(fmt.Sprint(body["ProfileId"]), "00e") {
			sfErr(w, 400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", "ProfileId")
			return
		}
		if _, ok := body["IsActive"]; !ok {
			body["IsActive"] = true
		}
	}
	id := s.insert(object, body)
	w.Header().Set("Location", "/services/data/"+ver+"/sobjects/"+object+"/"+id)
	fakeapi.JSON(w, 201, map[string]any{"id": id, "success": true, "errors": []any{}})
}

func (s *Server) recordOp(w http.ResponseWriter, r *http.Request, ver, object, id string) {
	rec := s.byID[id]
	if rec == nil || !strings.HasPrefix(id, prefixes[object]) {
		sfErr(w, 404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: "+id)
		return
	}
	switch r.Method {
	case "GET":
		out := record{"attributes": map[string]any{"type": object, "url": "/services/data/" + ver + "/sobjects/" + object + "/" + id}}
		fields := r.URL.Query().Get("fields")
		for k, v := range rec {
			if fields == "" || containsFold(strings.Split(fields, ","), k) {
				out[k] = v
			}
		}
		fakeapi.JSON(w, 200, out)
	case "PATCH":
		var body map[string]any
		if err := fakeapi.Decode(r, &body); err != nil || body == nil {
			sfErr(w, 400, "JSON_PARSER_ERROR", "Unexpected character: was expecting a JSON object")
			return
		}
		for k := range body {
			if k == "Id" || k == "CreatedDate" {
				sfErr(w, 400, "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: "+k+".", k)
				return
			}
		}
		for k, v := range body {
			rec[k] = v
		}
		ts := s.now().UTC().Format(sfTime)
		rec["LastModifiedDate"], rec["SystemModstamp"] = ts, ts
		w.WriteHeader(http.StatusNoContent)
	case "DELETE":
		if object == "User" {
			sfErr(w, 400, "INVALID_CROSS_REFERENCE_KEY", "Users cannot be deleted; deactivate them.")
			return
		}
		delete(s.byID, id)
		list := s.objects[object]
		for i, x := range list {
			if x["Id"] == id {
				s.objects[object] = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		sfErr(w, 405, "METHOD_NOT_ALLOWED", "HTTP Method '"+r.Method+"' not allowed. Allowed are GET,PATCH,DELETE")
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), s) {
			return true
		}
	}
	return false
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != DefaultClientID || q.Get("response_type") != "code" {
		http.Error(w, "error=invalid_client_id", http.StatusBadRequest)
		return
	}
	code := fmt.Sprintf("aPrx%08d", s.seq.Next(0))
	s.codes[code] = q.Get("code_challenge")
	u, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || u.Scheme == "" {
		http.Error(w, "error=redirect_uri_mismatch", http.StatusBadRequest)
		return
	}
	v := u.Query()
	v.Set("code", code)
	if st := q.Get("state"); st != "" {
		v.Set("state", st)
	}
	u.RawQuery = v.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.Method != "POST" {
		fakeapi.JSON(w, 400, map[string]any{"error": "invalid_request", "error_description": "must use HTTP POST"})
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != DefaultClientID {
		fakeapi.JSON(w, 400, map[string]any{"error": "invalid_client_id", "error_description": "client identifier invalid"})
		return
	}
	switch r.PostForm.Get("grant_type") {
	case "client_credentials":
		if secret != DefaultClientSecret {
			fakeapi.JSON(w, 400, map[string]any{"error": "invalid_client", "error_description": "invalid client credentials"})
			return
		}
	case "authorization_code":
		chal, ok := s.codes[r.PostForm.Get("code")]
		delete(s.codes, r.PostForm.Get("code"))
		if !ok {
			fakeapi.JSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "invalid authorization code"})
			return
		}
		if chal != "" {
			sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
			if base64.RawURLEncoding.EncodeToString(sum[:]) != chal {
				fakeapi.JSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "invalid code verifier"})
				return
			}
		} else if secret != DefaultClientSecret {
			fakeapi.JSON(w, 400, map[string]any{"error": "invalid_client", "error_description": "invalid client credentials"})
			return
		}
	case "refresh_token":
		if r.PostForm.Get("refresh_token") != DefaultRefreshToken {
			fakeapi.JSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "expired access/refresh token"})
			return
		}
	default:
		fakeapi.JSON(w, 400, map[string]any{"error": "unsupported_grant_type", "error_description": "grant type not supported"})
		return
	}
	tok := fmt.Sprintf("00DFB0000000001!AQ%012d", s.seq.Next(0))
	s.tokens[tok] = true
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	body := map[string]any{"access_token": tok, "instance_url": scheme + "://" + r.Host, "id": "https://login.salesforce.com/id/00DFB0000000001AAA/005FB0000000001AAA",
		"token_type": "Bearer", "issued_at": strconv.FormatInt(s.now().UnixMilli(), 10), "signature": "fake", "scope": "api refresh_token"}
	if r.PostForm.Get("grant_type") == "authorization_code" {
		body["refresh_token"] = DefaultRefreshToken
	}
	fakeapi.JSON(w, 200, body)
}
