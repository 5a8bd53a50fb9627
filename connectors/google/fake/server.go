// Package fake is a local stand-in for Google Workspace's APIs: the Admin
// SDK Directory, Licensing and Data Transfer APIs, Gmail, Drive, Sheets and
// Calendar, and Google's OAuth 2.0 token endpoint, all on one origin with
// Google's own paths (admin/directory/v1/…, apps/licensing/v1/…,
// gmail/v1/…, drive/v3/…, v4/spreadsheets/…, calendar/v3/…).
//
// It is seeded with a small organization (the Okta sandbox's people at the
// domain example.com, a group, licenses, app passwords, OAuth grants,
// phones, mailboxes, Drive files and spreadsheets) and models Google's auth:
// a service account with domain-wide delegation signs a JWT assertion
// (verified here against the seeded service account's public key; the sub
// claim must be an active user, the scopes must be granted to the service
// account); the OAuth 2.0 authorization code flow with PKCE (auto-approved
// as the admin) and refresh tokens, which can be revoked. Access tokens are
// checked on every call: an unknown or revoked one gets Google's 401, a
// missing scope Google's 403. It answers errors in Google's JSON error shape,
// rate-limits per user (429 RESOURCE_EXHAUSTED with Retry-After) and takes
// the Okta sandbox's kind of fault injection.
//
// Its requests and responses are held to Google's discovery documents
// (connectors/google/testdata/discovery) by the connector's tests.
package fake

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flowbench/flowbench/connectors/fakeapi"
	"github.com/flowbench/flowbench/engine"
)

//go:embed serviceaccount-key.pem
var saKeyPEM string // a test-only key pair generated for the fake; it grants nothing anywhere else

// ServiceAccountEmail is the seeded service account.
const ServiceAccountEmail = "flowbench-sandbox@flowbench-sandbox.iam.gserviceaccount.com"

// Fault injects failures into matching requests (the Okta sandbox's rules).
type Fault = fakeapi.Fault

// Config configures the fake. The zero value is usable.
type Config struct {
	Domain string // default "example.com"
	// RateLimit is the number of calls one user's tokens may make per
	// RateWindow (default 3000 per minute); negative disables.
	RateLimit  int
	RateWindow time.Duration
	// Scopes granted to the service account by domain-wide delegation;
	// nil: every scope the connector uses.
	Scopes []string
	Faults []Fault
	Logf   func(format string, args ...any)
}

type session struct {
	subject string
	scopes  map[string]bool
	expiry  time.Time
	revoked bool
	refresh string
	count   int
	window  int64
}

type authCode struct {
	challenge, redirect, scope string
}

// Server is the fake. It is safe for concurrent use.
type Server struct {
	cfg    Config
	domain string
	key    *rsa.PrivateKey

	mu        sync.Mutex
	users     []*User
	groups    []*Group
	devices   []*Device
	licenses  []License
	files     []*File
	sheets    []*Spreadsheet
	transfers []*Transfer
	sessions  map[string]*session // access token -> session
	refreshes map[string]*session // refresh token -> session (its scopes/subject)
	codes     map[string]authCode
	granted   map[string]bool
	faults    *fakeapi.Faults
	nextID    int64
	keyGone   bool                // the service account's key was deleted
	rates     map[string]*session // calls per user in the current rate window

	calls   atomic.Int64
	limited atomic.Int64
	mux     *http.ServeMux
}

// DefaultScopes are every scope the connector's cards ask for.
var DefaultScopes = []string{
	"https://www.googleapis.com/auth/admin.directory.user",
	"https://www.googleapis.com/auth/admin.directory.user.security",
	"https://www.googleapis.com/auth/admin.directory.device.mobile",
	"https://www.googleapis.com/auth/admin.directory.group",
	"https://www.googleapis.com/auth/apps.licensing",
	"https://www.googleapis.com/auth/admin.datatransfer",
	"https://www.googleapis.com/auth/gmail.send",
	"https://www.googleapis.com/auth/gmail.readonly",
	"https://www.googleapis.com/auth/gmail.settings.basic",
	"https://www.googleapis.com/auth/gmail.settings.sharing",
	"https://www.googleapis.com/auth/drive",
	"https://www.googleapis.com/auth/spreadsheets",
	"https://www.googleapis.com/auth/calendar",
}

// New returns a seeded fake.
func New(cfg Config) *Server {
	if cfg.Domain == "" {
		cfg.Domain = "example.com"
	}
	if cfg.RateWindow <= 0 {
		cfg.RateWindow = time.Minute
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit = 3000
	}
	b, _ := pem.Decode([]byte(saKeyPEM))
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		panic("fake google: bad embedded key: " + err.Error())
	}
	s := &Server{cfg: cfg, domain: cfg.Domain, key: k.(*rsa.PrivateKey), sessions: map[string]*session{},
		refreshes: map[string]*session{}, codes: map[string]authCode{}, granted: map[string]bool{}, nextID: 1, rates: map[string]*session{}}
	s.faults = fakeapi.NewFaults(faultError)
	scopes := cfg.Scopes
	if scopes == nil {
		scopes = DefaultScopes
	}
	for _, sc := range scopes {
		s.granted[sc] = true
	}
	s.faults.Set(cfg.Faults)
	s.mu.Lock()
	s.seed()
	s.mu.Unlock()
	s.routes()
	return s
}

// Domain is the fake's primary domain.
func (s *Server) Domain() string { return s.domain }

// AdminEmail is the seeded super admin.
func (s *Server) AdminEmail() string { return "sandbox.admin@" + s.domain }

// ServiceAccountKey is the seeded service account's JSON key file, its
// token_uri on the fake at baseURL.
func (s *Server) ServiceAccountKey(baseURL string) string {
	b, _ := json.MarshalIndent(map[string]string{
		"type": "service_account", "project_id": "flowbench-sandbox", "private_key_id": "fb0sandbox0key0000000000000000000000001",
		"private_key": saKeyPEM, "client_email": ServiceAccountEmail, "client_id": "104200000000000000001",
		"auth_uri": strings.TrimSuffix(baseURL, "/") + "/o/oauth2/v2/auth", "token_uri": strings.TrimSuffix(baseURL, "/") + "/token",
	}, "", "  ")
	return string(b)
}

// PublicKey is the service account's public key (what Google publishes).
func (s *Server) PublicKey() *rsa.PublicKey { return &s.key.PublicKey }

// SetFaults replaces the injected faults.
func (s *Server) SetFaults(fs []Fault) { s.faults.Set(fs) }

// Connection is a ready connection to the fake served at base: the seeded
// service account acting as the admin.
func (s *Server) Connection(base string) *engine.Connection {
	return &engine.Connection{ID: "sandbox-google", Name: "Google Workspace sandbox", Kind: "google",
		Config: map[string]any{"authMethod": "serviceAccount", "subject": s.AdminEmail(), "customerId": "my_customer",
			"domain": s.domain, "baseUrl": strings.TrimSuffix(base, "/")},
		Secrets: map[string]string{"serviceAccountKey": s.ServiceAccountKey(base)}}
}

// SetScopes replaces the scopes the service account's domain-wide
// delegation grants.
func (s *Server) SetScopes(scopes []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.granted = map[string]bool{}
	for _, sc := range scopes {
		s.granted[sc] = true
	}
}

// RevokeAll revokes every access and refresh token (as an admin resetting
// the app's access would).
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ss := range s.sessions {
		ss.revoked = true
	}
	for _, ss := range s.refreshes {
		ss.revoked = true
	}
}

// DeleteKey deletes (true) or restores (false) the service account's key,
// as an admin deleting it in the Cloud console: its assertions are refused
// and the access tokens it got stop working.
func (s *Server) DeleteKey(gone bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keyGone = gone
	if gone {
		for _, ss := range s.sessions {
			if ss.refresh == "" {
				ss.revoked = true
			}
		}
	}
}

// Calls is the number of API calls served (token requests included).
func (s *Server) Calls() int64 { return s.calls.Load() }

// Handler serves the fake.
func (s *Server) Handler() http.Handler { return s }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.calls.Add(1)
	s.faults.Wrap(s.mux).ServeHTTP(w, r)
}

// faultError writes an injected fault in Google's error shape.
func faultError(w http.ResponseWriter, _ *http.Request, status int) {
	switch status {
	case http.StatusTooManyRequests:
		gerr(w, 429, "rateLimitExceeded", "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user'.")
	case http.StatusServiceUnavailable:
		gerr(w, 503, "backendError", "UNAVAILABLE", "The service is currently unavailable.")
	case http.StatusForbidden: // the Directory and Gmail APIs' usage limit
		gerr(w, 403, "userRateLimitExceeded", "PERMISSION_DENIED", "User Rate Limit Exceeded")
	default:
		gerr(w, status, "backendError", "INTERNAL", "Internal error encountered.")
	}
}

// gerr writes Google's error shape.
func gerr(w http.ResponseWriter, status int, reason, gstatus, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": status, "message": msg, "status": gstatus,
		"errors": []any{map[string]any{"message": msg, "domain": "global", "reason": reason}}}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func notFound(w http.ResponseWriter, what string) {
	gerr(w, 404, "notFound", "NOT_FOUND", what+" not found")
}

func badRequest(w http.ResponseWriter, msg string) {
	gerr(w, 400, "invalid", "INVALID_ARGUMENT", msg)
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) newID() int64 {
	s.nextID++
	return s.nextID
}

// authorize checks the bearer token and that it carries one of the scopes;
// it answers the error itself and returns nil when the call may not go on.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, scopes ...string) *session {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	s.mu.Lock()
	ss := s.sessions[strings.TrimSpace(tok)]
	var limited bool
	var reset time.Duration
	if ok && ss != nil && !ss.revoked && time.Now().Before(ss.expiry) && s.cfg.RateLimit > 0 {
		// Google's per-user quota: every token of the user counts
		rs := s.rates[ss.subject]
		if rs == nil {
			rs = &session{}
			s.rates[ss.subject] = rs
		}
		win := time.Now().UnixNano() / int64(s.cfg.RateWindow)
		if rs.window != win {
			rs.window, rs.count = win, 0
		}
		rs.count++
		if rs.count > s.cfg.RateLimit {
			limited = true
			reset = time.Duration((win+1)*int64(s.cfg.RateWindow) - time.Now().UnixNano())
		}
	}
	s.mu.Unlock()
	if !ok || ss == nil || ss.revoked || time.Now().After(ss.expiry) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="https://accounts.google.com/", error="invalid_token"`)
		gerr(w, 401, "authError", "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
		return nil
	}
	if limited {
		s.limited.Add(1)
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(reset.Seconds()+0.999))))
		gerr(w, 429, "rateLimitExceeded", "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user'.")
		return nil
	}
	if len(scopes) > 0 {
		okScope := false
		for _, sc := range scopes {
			if ss.scopes[sc] {
				okScope = true
			}
		}
		if !okScope {
			w.Header().Set("WWW-Authenticate", `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="`+strings.Join(scopes, " ")+`"`)
			gerr(w, 403, "insufficientPermissions", "PERMISSION_DENIED", "Request had insufficient authentication scopes.")
			return nil
		}
	}
	return ss
}

// admin checks that the caller is a Workspace admin (Directory, Licensing,
// Data Transfer).
func (s *Server) admin(w http.ResponseWriter, r *http.Request, scopes ...string) *session {
	ss := s.authorize(w, r, scopes...)
	if ss == nil {
		return nil
	}
	s.mu.Lock()
	u := s.userLocked(ss.subject)
	s.mu.Unlock()
	if u == nil || !u.Admin {
		gerr(w, 403, "forbidden", "PERMISSION_DENIED", "Not Authorized to access this resource/api")
		return nil
	}
	return ss
}

// userLocked finds a user by primary email, alias or id.
func (s *Server) userLocked(key string) *User {
	key = strings.ToLower(strings.TrimSpace(key))
	for _, u := range s.users {
		if strings.ToLower(u.Email) == key || u.ID == key {
			return u
		}
		for _, a := range u.Aliases {
			if strings.ToLower(a) == key {
				return u
			}
		}
	}
	return nil
}

func (s *Server) logf(format string, args ...any) {
	if s.cfg.Logf != nil {
		s.cfg.Logf(format, args...)
	}
}

func decodeBody(r *http.Request, v any) error {
	defer r.Body.Close()
	d := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 32<<20))
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("Invalid JSON payload received. %v", err)
	}
	return nil
}

func rfc3339(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
