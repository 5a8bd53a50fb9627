// Package fake is a local Zoom account speaking the parts of Zoom's REST API
// v2 that the Zoom connector uses: the server-to-server OAuth token
// endpoint (POST /oauth/token, grant_type=account_credentials, the app's
// client ID and secret as Basic credentials), and users — create, read (by
// ID or email), list, update (profile and user type, i.e. the license),
// activate/deactivate (PUT /users/{id}/status), delete or disassociate.
//
// Zoom publishes its API reference on its developer site but no OpenAPI
// description in a public repository this project can validate against, so
// the fake follows the request and response shapes documented at
// developers.zoom.us (Users API, Server-to-Server OAuth): errors are
// {"code","message"} (e.g. 1001 "User does not exist", 124 "Invalid access
// token."), and a paid license is user type 2 (Licensed), bounded by the
// account's seats.
package fake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/connectors/fakeapi"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// Defaults of the seeded account.
const (
	DefaultAccountID    = "fbZoomAcct000001"
	DefaultClientID     = "fbZoomS2SClient01"
	DefaultClientSecret = "zoom-sandbox-client-secret"
	DefaultLicenses     = 5
)

// Config configures an account; the zero value is usable.
type Config struct {
	AccountID, ClientID, ClientSecret string
	Licenses                          int // paid seats
	Scopes                            []string
}

// Server is a fake Zoom account. Safe for concurrent use.
type Server struct {
	faults  *fakeapi.Faults
	once    sync.Once
	handler http.Handler
	cfg     Config
	mu      sync.Mutex
	tokens  map[string]time.Time
	revoked bool
	users   map[string]map[string]any
	n       int
}

// New returns a seeded account.
func New(cfg Config) *Server {
	if cfg.AccountID == "" {
		cfg.AccountID = DefaultAccountID
	}
	if cfg.ClientID == "" {
		cfg.ClientID, cfg.ClientSecret = DefaultClientID, DefaultClientSecret
	}
	if cfg.Licenses == 0 {
		cfg.Licenses = DefaultLicenses
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{"user:read:admin", "user:write:admin"}
	}
	s := &Server{cfg: cfg, tokens: map[string]time.Time{}, users: map[string]map[string]any{}}
	for i, p := range [][3]string{{"Alice", "Nguyen", "Engineering"}, {"Bob", "Martinez", "Sales"}, {"Carol", "Okafor", "Finance"},
		{"David", "Kim", "Engineering"}, {"Emma", "Schmidt", "IT"}} {
		typ := 2
		if i%2 == 1 {
			typ = 1
		}
		s.add(p[0], p[1], strings.ToLower(p[0]+"."+p[1])+"@example.com", p[2], typ)
	}
	return s
}

func (s *Server) add(first, last, email, dept string, typ int) map[string]any {
	s.n++
	id := fmt.Sprintf("z8%020d", s.n)
	u := map[string]any{"id": id, "first_name": first, "last_name": last, "display_name": strings.TrimSpace(first + " " + last),
		"email": email, "type": typ, "status": "active", "dept": dept, "role_name": "Member", "timezone": "America/Los_Angeles",
		"verified": 1, "created_at": "2025-02-01T10:00:00Z", "last_login_time": "2026-11-28T09:00:00Z", "language": "en-US",
		"account_id": s.cfg.AccountID, "pmi": 5550000000 + s.n}
	s.users[id] = u
	return u
}

// User returns a user by id or email (nil when absent).
func (s *Server) User(idOrEmail string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.find(idOrEmail)
}

// Revoke invalidates every issued token (as deactivating the app does).
func (s *Server) Revoke() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked = true
}

func (s *Server) find(idOrEmail string) map[string]any {
	if u := s.users[idOrEmail]; u != nil {
		return u
	}
	if idOrEmail == "me" {
		return nil
	}
	for _, u := range s.users {
		if strings.EqualFold(u["email"].(string), idOrEmail) {
			return u
		}
	}
	return nil
}

func (s *Server) setup() {
	s.once.Do(func() {
		s.faults = fakeapi.NewFaults(func(w http.ResponseWriter, _ *http.Request, status int) {
			if status == http.StatusTooManyRequests {
				w.Header().Set("X-RateLimit-Type", "QPS")
				apiError(w, status, 429, "You have reached the maximum per-second rate limit for this API. Try again later.")
				return
			}
			apiError(w, status, 300, http.StatusText(status))
		})
		s.handler = s.faults.Wrap(http.HandlerFunc(s.serve))
	})
}

// ServeHTTP implements kit.Fake (fault injection first).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.setup()
	s.handler.ServeHTTP(w, r)
}

// SetFaults implements kit.Fake.
func (s *Server) SetFaults(f []kit.Fault) { s.setup(); s.faults.Set(f) }

// Injected is how many faults were injected.
func (s *Server) Injected() int64 { s.setup(); return s.faults.Injected() }

// Connection implements kit.Fake: the account's server-to-server OAuth app.
func (s *Server) Connection(base string) *engine.Connection {
	return &engine.Connection{ID: kit.SandboxID("zoom"), Name: "Sandbox Zoom account", Kind: "zoom",
		Config: map[string]any{kit.CfgAuthMethod: kit.AuthClientCredentials, kit.CfgBaseURL: base + "/v2",
			kit.CfgTokenURL: base + "/oauth/token", kit.CfgClientID: s.cfg.ClientID, "accountId": s.cfg.AccountID},
		Secrets: map[string]string{kit.SecClientSecret: s.cfg.ClientSecret}}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/oauth/token" && r.Method == http.MethodPost {
		s.token(w, r)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/v2/")
	if !ok {
		apiError(w, 404, 404, "Not Found")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if exp, ok := s.tokens[tok]; !ok || s.revoked || time.Now().After(exp) {
		apiError(w, 401, 124, "Invalid access token.")
		return
	}
	seg := strings.Split(rest, "/")
	switch {
	case rest == "users" && r.Method == http.MethodGet:
		s.list(w, r)
	case rest == "users" && r.Method == http.MethodPost:
		s.create(w, r)
	case len(seg) == 2 && seg[0] == "users":
		u := s.find(seg[1])
		if u == nil {
			apiError(w, 404, 1001, "User does not exist: "+seg[1]+".")
			return
		}
		switch r.Method {
		case http.MethodGet:
			writeJSON(w, 200, u)
		case http.MethodPatch:
			s.update(w, r, u)
		case http.MethodDelete:
			action := r.URL.Query().Get("action")
			if action == "" {
				action = "disassociate" // Zoom's default
			}
			if action != "delete" && action != "disassociate" {
				apiError(w, 400, 300, "Invalid action: "+action)
				return
			}
			if te := r.URL.Query().Get("transfer_email"); te != "" && s.find(te) == nil {
				apiError(w, 400, 1001, "User does not exist: "+te+".")
				return
			}
			delete(s.users, u["id"].(string))
			w.WriteHeader(http.StatusNoContent)
		default:
			apiError(w, 405, 300, "Method not allowed")
		}
	case len(seg) == 3 && seg[0] == "users" && seg[2] == "status" && r.Method == http.MethodPut:
		u := s.find(seg[1])
		if u == nil {
			apiError(w, 404, 1001, "User does not exist: "+seg[1]+".")
			return
		}
		var body struct {
			Action string `json:"action"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		switch body.Action {
		case "activate":
			if u["type"] == 2 && s.licensedExcept(u) >= s.cfg.Licenses {
				apiError(w, 400, 2034, "Your request to activate a licensed user was not approved: no licenses available.")
				return
			}
			u["status"] = "active"
		case "deactivate":
			u["status"] = "inactive"
		default:
			apiError(w, 400, 300, "Invalid action: "+body.Action)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		apiError(w, 404, 404, "Not Found")
	}
}

func (s *Server) licensedExcept(skip map[string]any) int {
	n := 0
	for _, u := range s.users {
		if u["id"] != skip["id"] && u["type"] == 2 && u["status"] != "inactive" {
			n++
		}
	}
	return n
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	status := r.URL.Query().Get("status")
	if status == "" {
		status = "active"
	}
	var ids []string
	for id, u := range s.users {
		if u["status"] == status {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	users := []any{}
	for _, id := range ids {
		users = append(users, s.users[id])
	}
	writeJSON(w, 200, map[string]any{"page_count": 1, "page_number": 1, "page_size": 300, "total_records": len(users),
		"next_page_token": "", "users": users})
}

func userType(v any) (int, bool) {
	switch n := v.(type) {
	case float64:
		if n == 1 || n == 2 || n == 3 || n == 99 {
			return int(n), true
		}
	}
	return 0, false
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Action   string         `json:"action"`
		UserInfo map[string]any `json:"user_info"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		apiError(w, 400, 300, "Request Body should be a valid JSON object.")
		return
	}
	switch body.Action {
	case "create", "autoCreate", "custCreate", "ssoCreate":
	default:
		apiError(w, 400, 300, "Invalid field: action.")
		return
	}
	email, _ := body.UserInfo["email"].(string)
	if !strings.Contains(email, "@") {
		apiError(w, 400, 300, "Invalid field: email.")
		return
	}
	if s.find(email) != nil {
		apiError(w, 409, 1005, "User already in the account: "+email+".")
		return
	}
	typ, ok := userType(body.UserInfo["type"])
	if !ok {
		apiError(w, 400, 300, "Invalid field: type.")
		return
	}
	if typ == 2 && s.licensedExcept(nil) >= s.cfg.Licenses {
		apiError(w, 400, 2034, "Your request to add a new licensed user was not approved: no licenses available.")
		return
	}
	first, _ := body.UserInfo["first_name"].(string)
	last, _ := body.UserInfo["last_name"].(string)
	u := s.add(first, last, email, "", typ)
	if body.Action == "create" {
		u["status"] = "pending" // waits for the user to confirm the invitation email
	}
	u["login_types"] = []any{100}
	if body.Action == "ssoCreate" {
		u["login_types"] = []any{101}
	}
	writeJSON(w, 201, map[string]any{"id": u["id"], "first_name": first, "last_name": last, "email": email, "type": typ})
}

func (s *Server) update(w http.ResponseWriter, r *http.Request, u map[string]any) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		apiError(w, 400, 300, "Request Body should be a valid JSON object.")
		return
	}
	for k, v := range body {
		switch k {
		case "type":
			typ, ok := userType(v)
			if !ok {
				apiError(w, 400, 300, "Invalid field: type.")
				return
			}
			if typ == 2 && u["type"] != 2 && s.licensedExcept(u) >= s.cfg.Licenses {
				apiError(w, 400, 2034, "Your request to upgrade the user to licensed was not approved: no licenses available.")
				return
			}
			u["type"] = typ
		case "first_name", "last_name", "dept", "job_title", "timezone", "language", "display_name":
			u[k] = v
		default:
			apiError(w, 400, 300, "Invalid field: "+k+".")
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	get := func(k string) string {
		if v := r.PostForm.Get(k); v != "" {
			return v
		}
		return r.URL.Query().Get(k)
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = get("client_id"), get("client_secret")
	}
	if get("grant_type") != "account_credentials" {
		writeJSON(w, 400, map[string]any{"reason": "unsupported grant type", "error": "unsupported_grant_type"})
		return
	}
	if id != s.cfg.ClientID || secret != s.cfg.ClientSecret {
		writeJSON(w, 400, map[string]any{"reason": "Invalid client_id or client_secret", "error": "invalid_client"})
		return
	}
	if get("account_id") != s.cfg.AccountID {
		writeJSON(w, 400, map[string]any{"reason": "Invalid account_id", "error": "invalid_request"})
		return
	}
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	tok := "eyJzdiI6IjAwMDAwMSJ9." + hex.EncodeToString(b)
	s.mu.Lock()
	s.tokens[tok] = time.Now().Add(time.Hour)
	s.mu.Unlock()
	writeJSON(w, 200, map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": 3599,
		"scope": strings.Join(s.cfg.Scopes, " "), "api_url": "https://api.zoom.us"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func apiError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg})
}
