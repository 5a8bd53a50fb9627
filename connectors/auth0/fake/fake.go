// Package fake is a local Auth0 tenant speaking the parts of the Auth0
// Management API v2 that the Auth0 connector uses: the client credentials
// token endpoint (/oauth/token), user search (/api/v2/users with Lucene
// "q" and search_engine=v3, /api/v2/users-by-email), read and delete a user,
// and account linking (/api/v2/users/{id}/identities).
//
// Auth0 publishes no OpenAPI description of the Management API in a public
// repository that this project can validate against, so the fake follows
// the request and response shapes documented in Auth0's Management API v2
// reference (auth0.com/docs/api/management/v2): users are Auth0 user
// profiles with identities[], errors are {"statusCode","error","message",
// "errorCode"}, and rate limits answer 429 with X-RateLimit-Limit,
// X-RateLimit-Remaining and X-RateLimit-Reset (epoch seconds).
//
// The seeded tenant has the Okta sandbox's people as database users, two of
// them with a second (google-oauth2) account under the same email so that
// Link Account has something to link, and last logins spread over a year so
// that the "close abandoned accounts" template finds stale ones.
package fake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/flowbench/flowbench/connectors/fakeapi"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of the seeded tenant.
const (
	DefaultClientID     = "fb0sandboxM2MclientID000000000001"
	DefaultClientSecret = "auth0-sandbox-client-secret"
)

// Config configures a tenant; the zero value is usable.
type Config struct {
	ClientID, ClientSecret string
	// Audience the token must be asked for; default BASE/api/v2/ of the
	// request's own host.
	Audience string
	Scopes   []string // granted scopes; default read:users update:users delete:users
	TokenTTL time.Duration
	Now      func() time.Time
}

// Server is a fake Auth0 tenant. Safe for concurrent use.
type Server struct {
	faults  *fakeapi.Faults
	once    sync.Once
	handler http.Handler
	cfg     Config
	mu      sync.Mutex
	tokens  map[string]time.Time
	revoked map[string]bool
	users   map[string]map[string]any
}

// New returns a seeded tenant.
func New(cfg Config) *Server {
	if cfg.ClientID == "" {
		cfg.ClientID, cfg.ClientSecret = DefaultClientID, DefaultClientSecret
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{"read:users", "update:users", "delete:users"}
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = 24 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, tokens: map[string]time.Time{}, revoked: map[string]bool{}, users: map[string]map[string]any{}}
	s.seed()
	return s
}

var people = []struct {
	first, last string
	daysAgo     int
	social      bool
}{
	{"Alice", "Nguyen", 3, true}, {"Bob", "Martinez", 420, false}, {"Carol", "Okafor", 35, false},
	{"David", "Kim", 200, true}, {"Emma", "Schmidt", 1, false}, {"Farah", "Haddad", 800, false},
}

func (s *Server) seed() {
	now := s.cfg.Now().UTC()
	for i, p := range people {
		email := strings.ToLower(p.first+"."+p.last) + "@example.com"
		id := fmt.Sprintf("auth0|6400000000000000000000%02d", i+1)
		s.users[id] = profile(id, "auth0", "Username-Password-Authentication", email, p.first, p.last,
			now.AddDate(-2, 0, -i), now.AddDate(0, 0, -p.daysAgo))
		if p.social {
			sid := fmt.Sprintf("google-oauth2|1098765432101234567%02d", i+1)
			s.users[sid] = profile(sid, "google-oauth2", "google-oauth2", email, p.first, p.last,
				now.AddDate(0, 0, -30-i), now.AddDate(0, 0, -p.daysAgo-1))
			s.users[sid]["user_metadata"] = map[string]any{"signup_source": "google", "theme": "dark"}
		}
	}
}

func profile(id, provider, connection, email, first, last string, created, login time.Time) map[string]any {
	_, uid, _ := strings.Cut(id, "|")
	return map[string]any{
		"user_id": id, "email": email, "email_verified": true, "name": first + " " + last, "given_name": first, "family_name": last,
		"nickname": strings.ToLower(first), "username": nil, "picture": "https://s.gravatar.com/avatar/" + hex.EncodeToString([]byte(email))[:32],
		"created_at": created.Format("2006-01-02T15:04:05.000Z"), "updated_at": login.Format("2006-01-02T15:04:05.000Z"),
		"last_login": login.Format("2006-01-02T15:04:05.000Z"), "last_ip": "203.0.113.10", "logins_count": 12,
		"identities":   []any{map[string]any{"connection": connection, "provider": provider, "user_id": uid, "isSocial": provider != "auth0"}},
		"app_metadata": map[string]any{}, "user_metadata": map[string]any{},
	}
}

// Users returns a copy of the tenant's user ids.
func (s *Server) Users() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for id := range s.users {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// User returns a user by id (nil when absent).
func (s *Server) User(id string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users[id]
}

// RevokeAll revokes every issued token (as rotating the client secret does).
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.tokens {
		s.revoked[t] = true
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if p == "/oauth/token" && r.Method == http.MethodPost {
		s.token(w, r)
		return
	}
	if !strings.HasPrefix(p, "/api/v2/") {
		apiError(w, 404, "", "Not Found")
		return
	}
	scopes, ok := s.auth(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="auth0", error="invalid_token"`)
		apiError(w, 401, "", "Invalid token")
		return
	}
	w.Header().Set("X-RateLimit-Limit", "50")
	w.Header().Set("X-RateLimit-Remaining", "49")
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(s.cfg.Now().Add(time.Second).Unix(), 10))
	need := func(scope string) bool {
		for _, g := range scopes {
			if g == scope {
				return true
			}
		}
		apiErrorCode(w, 403, "insufficient_scope", "Insufficient scope, expected any of: "+scope)
		return false
	}
	rest := strings.TrimPrefix(p, "/api/v2/")
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case rest == "users" && r.Method == http.MethodGet:
		if need("read:users") {
			s.search(w, r.URL.Query())
		}
	case rest == "users-by-email" && r.Method == http.MethodGet:
		if need("read:users") {
			email := strings.ToLower(r.URL.Query().Get("email"))
			if email == "" {
				apiErrorCode(w, 400, "invalid_query_string", "Query validation error: 'Missing required property: email' on property email.")
				return
			}
			out := []any{}
			for _, id := range s.sorted() {
				if strings.EqualFold(fmt.Sprint(s.users[id]["email"]), email) {
					out = append(out, s.users[id])
				}
			}
			writeJSON(w, 200, out)
		}
	case strings.HasPrefix(rest, "users/"):
		parts := strings.Split(strings.TrimPrefix(rest, "users/"), "/")
		id, err := url.PathUnescape(parts[0])
		if err != nil {
			apiError(w, 400, "", "Bad Request")
			return
		}
		u := s.users[id]
		switch {
		case len(parts) == 1 && r.Method == http.MethodGet:
			if need("read:users") {
				if u == nil {
					apiErrorCode(w, 404, "inexistent_user", "The user does not exist.")
					return
				}
				writeJSON(w, 200, u)
			}
		case len(parts) == 1 && r.Method == http.MethodPatch:
			if need("update:users") {
				if u == nil {
					apiErrorCode(w, 404, "inexistent_user", "The user does not exist.")
					return
				}
				var body map[string]any
				if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
					apiErrorCode(w, 400, "invalid_body", "Payload validation error: 'Invalid JSON'.")
					return
				}
				for k, v := range body {
					switch k {
					case "user_metadata", "app_metadata":
						// metadata objects merge one level deep, as Auth0's do
						cur, _ := u[k].(map[string]any)
						merged := map[string]any{}
						for kk, vv := range cur {
							merged[kk] = vv
						}
						nv, _ := v.(map[string]any)
						for kk, vv := range nv {
							merged[kk] = vv
						}
						u[k] = merged
					case "email", "name", "given_name", "family_name", "nickname", "blocked", "email_verified", "picture":
						u[k] = v
					default:
						apiErrorCode(w, 400, "invalid_body", "Payload validation error: 'Additional properties not allowed: "+k+"'.")
						return
					}
				}
				writeJSON(w, 200, u)
			}
		case len(parts) == 1 && r.Method == http.MethodDelete:
			if need("delete:users") {
				delete(s.users, id) // deleting an absent user is 204 too
				w.WriteHeader(http.StatusNoContent)
			}
		case len(parts) == 2 && parts[1] == "identities" && r.Method == http.MethodPost:
			if need("update:users") {
				s.link(w, r, id, u)
			}
		default:
			apiError(w, 404, "", "Not Found")
		}
	default:
		apiError(w, 404, "", "Not Found")
	}
}

func (s *Server) sorted() []string {
	var ids []string
	for id := range s.users {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// search supports the Lucene subset Auth0 users use most: field:value,
// field:"value", field:[a TO b] (dates and *), field:*, AND/OR/NOT.
func (s *Server) search(w http.ResponseWriter, q url.Values) {
	if e := q.Get("search_engine"); e != "" && e != "v3" {
		apiErrorCode(w, 400, "operation_not_supported", "You are not allowed to use search_engine=v2. Use search_engine=v3 instead.")
		return
	}
	page, _ := strconv.Atoi(q.Get("page"))
	per := 50
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100 {
			apiErrorCode(w, 400, "invalid_query_string", "Query validation error: 'Invalid value' on property per_page (Number of results per page).")
			return
		}
		per = n
	}
	expr, err := parseQuery(q.Get("q"))
	if err != nil {
		apiErrorCode(w, 400, "invalid_query_string", err.Error())
		return
	}
	var all []any
	for _, id := range s.sorted() {
		if expr == nil || expr(s.users[id]) {
			all = append(all, s.users[id])
		}
	}
	if page*per+per > 1000 {
		apiErrorCode(w, 400, "invalid_paging", "You can only page through the first 1000 records.")
		return
	}
	start := min(page*per, len(all))
	end := min(start+per, len(all))
	out := append([]any{}, all[start:end]...)
	if q.Get("include_totals") == "true" {
		writeJSON(w, 200, map[string]any{"start": start, "limit": per, "length": len(out), "total": len(all), "users": out})
		return
	}
	writeJSON(w, 200, out)
}

func (s *Server) link(w http.ResponseWriter, r *http.Request, primary string, pu map[string]any) {
	var body struct {
		Provider     string `json:"provider"`
		UserID       any    `json:"user_id"`
		ConnectionID string `json:"connection_id"`
		LinkWith     string `json:"link_with"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		apiErrorCode(w, 400, "invalid_body", "Payload validation error: 'Invalid JSON'.")
		return
	}
	if pu == nil {
		apiErrorCode(w, 404, "inexistent_user", "The user does not exist.")
		return
	}
	if body.LinkWith == "" && (body.Provider == "" || body.UserID == nil) {
		apiErrorCode(w, 400, "invalid_body", "Payload validation error: 'Missing required property: provider'.")
		return
	}
	secID := body.Provider + "|" + fmt.Sprint(body.UserID)
	if uid, ok := strings.CutPrefix(fmt.Sprint(body.UserID), body.Provider+"|"); ok {
		secID = body.Provider + "|" + uid
	}
	su := s.users[secID]
	if su == nil {
		apiErrorCode(w, 400, "invalid_body", "The secondary user does not exist.")
		return
	}
	if secID == primary {
		apiErrorCode(w, 400, "invalid_body", "Main identity and the new one are the same.")
		return
	}
	ids := pu["identities"].([]any)
	for _, sid := range su["identities"].([]any) {
		m := map[string]any{}
		for k, v := range sid.(map[string]any) {
			m[k] = v
		}
		m["profileData"] = map[string]any{"email": su["email"], "email_verified": su["email_verified"], "name": su["name"],
			"given_name": su["given_name"], "family_name": su["family_name"]}
		ids = append(ids, m)
	}
	pu["identities"] = ids
	delete(s.users, secID)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(ids)
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			writeJSON(w, 400, map[string]any{"error": "invalid_request", "error_description": "bad JSON"})
			return
		}
	} else {
		_ = r.ParseForm()
		body = map[string]any{}
		for k := range r.PostForm {
			body[k] = r.PostForm.Get(k)
		}
	}
	str := func(k string) string { v, _ := body[k].(string); return v }
	if str("grant_type") != "client_credentials" {
		writeJSON(w, 403, map[string]any{"error": "unauthorized_client", "error_description": "Grant type '" + str("grant_type") + "' not allowed for the client."})
		return
	}
	if str("client_id") != s.cfg.ClientID || str("client_secret") != s.cfg.ClientSecret {
		writeJSON(w, 401, map[string]any{"error": "access_denied", "error_description": "Unauthorized"})
		return
	}
	aud := s.cfg.Audience
	if aud == "" {
		aud = "http://" + r.Host + "/api/v2/"
	}
	// the tenant is reached over http on loopback; the audience a client
	// asks for names it with https, as for a real tenant
	scheme := func(u string) string { return strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://") }
	if a := str("audience"); scheme(a) != scheme(aud) {
		writeJSON(w, 403, map[string]any{"error": "access_denied", "error_description": "Service not enabled within domain: " + a})
		return
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	tok := "eyJhbGciOiJSUzI1NiJ9." + hex.EncodeToString(b)
	s.mu.Lock()
	s.tokens[tok] = s.cfg.Now().Add(s.cfg.TokenTTL)
	s.mu.Unlock()
	writeJSON(w, 200, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": int(s.cfg.TokenTTL.Seconds()),
		"scope": strings.Join(s.cfg.Scopes, " ")})
}

func (s *Server) auth(r *http.Request) ([]string, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, known := s.tokens[tok]
	if !known || s.revoked[tok] || s.cfg.Now().After(exp) {
		return nil, false
	}
	return s.cfg.Scopes, true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func apiError(w http.ResponseWriter, status int, code, msg string) {
	apiErrorCode(w, status, code, msg)
}

func apiErrorCode(w http.ResponseWriter, status int, code, msg string) {
	body := map[string]any{"statusCode": status, "error": http.StatusText(status), "message": msg}
	if code != "" {
		body["errorCode"] = code
	}
	writeJSON(w, status, body)
}
