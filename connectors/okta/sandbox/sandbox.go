// Package sandbox is a local Okta tenant: an HTTP server that speaks the parts
// of Okta's management API that Flowbench uses (users, groups, apps, System
// Log, org), Okta's auth schemes (SSWS API tokens, OAuth 2.0 client
// credentials with private_key_jwt or client secrets, optional DPoP), Okta's
// per-endpoint rate limits and org concurrency limit, event hooks, and fault
// injection. State lives in memory. Response shapes follow Okta's published
// OpenAPI spec; see OpenAPIValidator for the fidelity checker.
package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultAPIToken is the SSWS token created for the seed's admin user unless
// Config.APIToken says otherwise. It is a well-known value on purpose: the
// sandbox is a local test tenant.
const DefaultAPIToken = "00SandboxFlowbenchDefaultApiToken0000000000"

// Rate-limit bucket names (keys of Config.Limits and Stats().Requests).
const (
	BucketUsers     = "users"      // GET/POST /api/v1/users
	BucketUser      = "user"       // GET /api/v1/users/{idOrLogin}[/...]
	BucketUserWrite = "user-write" // POST/PUT/DELETE /api/v1/users/{id}[/...]
	BucketGroups    = "groups"     // /api/v1/groups
	BucketGroup     = "group"      // /api/v1/groups/{id}[/...]
	BucketApps      = "apps"       // /api/v1/apps
	BucketApp       = "app"        // /api/v1/apps/{id}[/...]
	BucketLogs      = "logs"       // /api/v1/logs
	BucketOAuth     = "oauth2"     // /oauth2/v1/*
	BucketOther     = "other"      // most other /api/v1 endpoints
)

// DefaultLimits are Okta's Workforce Identity per-minute limits.
var DefaultLimits = map[string]int{
	BucketUsers:     600,
	BucketUser:      2000,
	BucketUserWrite: 600,
	BucketGroups:    500,
	BucketGroup:     1000,
	BucketApps:      100,
	BucketApp:       500,
	BucketLogs:      120,
	BucketOAuth:     2000,
	BucketOther:     1200,
}

// Fault injects failures into matching requests.
type Fault struct {
	PathPrefix string        // e.g. "/api/v1/users"; empty matches every path
	Method     string        // empty matches every method
	Every      int           // fail every Nth matching request (0 or 1: every one)
	Status     int           // 500, 503, ... (0 with Latency: only delay)
	Latency    time.Duration // sleep before answering
	Reset      bool          // hijack and close the connection without a response
}

// EventHook is an Okta event hook registration.
type EventHook struct {
	URL        string
	AuthHeader string   // e.g. "Authorization"
	AuthValue  string   // e.g. "Bearer s3cr3t"
	EventTypes []string // empty: all event types
}

// Config configures a sandbox tenant. The zero value is usable.
type Config struct {
	CompanyName string // default "Flowbench Sandbox"
	Subdomain   string // default "sandbox"
	// SeedFile replaces the built-in seed with a JSON seed file.
	SeedFile string
	// EmptySeed starts with no users/groups/apps except the admin.
	EmptySeed bool
	// APIToken is the SSWS token of the admin ("me"); default DefaultAPIToken.
	APIToken string

	RateWindow       time.Duration  // fixed rate-limit window, default 1 min
	Limits           map[string]int // per-bucket overrides (see Bucket*)
	LimitScale       float64        // multiplies every limit (0 = 1)
	DisableRateLimit bool
	ConcurrencyLimit int // default 75; negative disables

	Faults []Fault

	EventHooks       []EventHook
	HookQueueSize    int           // default 1024
	HookTimeout      time.Duration // default 3 s (Okta's)
	HookRetryBackoff time.Duration // default 1 s

	MaxEvents int // System Log retention, default 100000
	// Logf receives diagnostic messages (hook failures...). nil: silent.
	Logf func(format string, args ...any)
}

// Stats reports request accounting.
type Stats struct {
	Requests            map[string]int64 // per bucket
	RateLimited         int64            // 429 from rate limits
	ConcurrencyRejected int64            // 429 from the concurrency limit
	Faults              int64            // injected faults
	HookDeliveries      int64            // successful event hook POSTs
	HookFailures        int64            // failed attempts
	HookDropped         int64            // events dropped (queue full)
}

// Server is a sandbox Okta tenant.
type Server struct {
	cfg    Config
	window time.Duration

	mu          sync.RWMutex
	ids         *idGen
	orgID       string
	orgCreated  time.Time
	users       map[string]*user
	userByLogin map[string]*user
	userIDs     []string
	groups      map[string]*group
	groupIDs    []string
	apps        map[string]*app
	appIDs      []string
	events      []*LogEvent
	eventSeq    int64
	adminID     string
	ssws        map[string]*principal
	lastConcEvt time.Time

	importSessions map[string]*importSession // identity source sessions by id
	importLinks    map[string]string         // "<sourceId>/<externalId>" -> user id

	auth   authState
	schema userSchema // custom user profile attributes
	// userExtra holds users' factors and admin roles (factors.go).
	userExtra map[string]*userExtras
	// realms are the org's realms (realms.go), seeded on first use.
	realms *realmState
	// groupRules are the org's group rules (grouprules.go).
	groupRules []*groupRule
	// devices are the org's registered devices (devices.go), seeded on first use.
	devices *deviceState
	// apiTokens holds the ids of the SSWS tokens (apitokens.go).
	apiTokens *apiTokenState
	// authenticators are the org's authenticators (authenticators.go), seeded on first use.
	authenticators []*authenticator
	// gov holds Identity Governance campaigns and request conditions (governance.go).
	gov *govState
	// prereg holds WebAuthn preregistration enrollments by factor id (webauthnprereg.go).
	prereg map[string]*preregistration
	// groupRoles are the admin roles assigned to groups, by group id (grouproles.go).
	groupRoles map[string][]*roleAssignment
	// groupOwners are the owners of groups, by group id (groupowners.go).
	groupOwners map[string][]*groupOwner
	// groupSchema is the org's custom part of the group profile schema (groupschema.go).
	groupSchema userSchema
	// linkDefs are the org's linked object definitions and links (linkedobjects.go).
	linkDefs []*linkedDef
	// authServers are the org's custom authorization servers (authservers.go), "default" seeded on first use.
	authServers []*authServer
	// userTypes are the org's custom user types (usertypes.go).
	userTypes []*userTypeRec
	// appSchemas are the apps' custom app user attributes, by app id (appschema.go).
	appSchemas map[string]*userSchema

	buckets  map[string]*bucket
	inflight atomic.Int64
	faults   atomic.Pointer[[]*faultState]

	reqCount    map[string]*atomic.Int64
	rateLimited atomic.Int64
	concRej     atomic.Int64
	faultCount  atomic.Int64

	hooks *hookDispatcher

	srvMu   sync.Mutex
	httpSrv *http.Server
	baseURL string
	handler http.Handler
}

// New builds a tenant: org, admin, seed data, default API token.
func New(cfg Config) (*Server, error) {
	if cfg.CompanyName == "" {
		cfg.CompanyName = "Flowbench Sandbox"
	}
	if cfg.Subdomain == "" {
		cfg.Subdomain = "sandbox"
	}
	if cfg.APIToken == "" {
		cfg.APIToken = DefaultAPIToken
	}
	if cfg.RateWindow <= 0 {
		cfg.RateWindow = time.Minute
	}
	if cfg.LimitScale <= 0 {
		cfg.LimitScale = 1
	}
	if cfg.ConcurrencyLimit == 0 {
		cfg.ConcurrencyLimit = 75
	}
	if cfg.MaxEvents <= 0 {
		cfg.MaxEvents = 100000
	}
	s := &Server{
		cfg:            cfg,
		window:         cfg.RateWindow,
		ids:            newIDGen(),
		users:          map[string]*user{},
		userByLogin:    map[string]*user{},
		groups:         map[string]*group{},
		apps:           map[string]*app{},
		ssws:           map[string]*principal{},
		buckets:        map[string]*bucket{},
		reqCount:       map[string]*atomic.Int64{},
		importSessions: map[string]*importSession{},
		importLinks:    map[string]string{},
	}
	s.auth.init()
	for name, lim := range DefaultLimits {
		if v, ok := cfg.Limits[name]; ok {
			lim = v
		}
		lim = int(float64(lim) * cfg.LimitScale)
		if lim < 1 {
			lim = 1
		}
		s.buckets[name] = &bucket{limit: lim}
		s.reqCount[name] = &atomic.Int64{}
	}
	s.orgID = s.ids.next("00o")
	s.orgCreated = time.Date(2023, 1, 9, 16, 20, 0, 0, time.UTC)

	var seed io.Reader
	switch {
	case cfg.SeedFile != "":
		f, err := os.Open(cfg.SeedFile)
		if err != nil {
			return nil, fmt.Errorf("sandbox: seed: %w", err)
		}
		defer f.Close()
		seed = f
	case !cfg.EmptySeed:
		seed = strings.NewReader(defaultSeed)
	}
	if seed != nil {
		if err := s.LoadSeed(seed); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	if s.adminID == "" {
		s.addAdminLocked()
	}
	s.ssws[cfg.APIToken] = &principal{kind: "SSWS", userID: s.adminID, all: true, name: "Flowbench sandbox default token"}
	for _, p := range s.ssws {
		if p.userID == "" {
			p.userID = s.adminID
		}
	}
	if cfg.SeedFile == "" && !cfg.EmptySeed {
		s.seedGovernanceLocked() // reviews.go: before the hooks, its events are history
		s.seedWebAuthnLocked()   // webauthnprereg.go
	}
	s.mu.Unlock()

	s.SetFaults(cfg.Faults)
	s.hooks = newHookDispatcher(s, cfg)
	for _, h := range cfg.EventHooks {
		s.hooks.add(h)
	}
	s.handler = http.HandlerFunc(s.serveHTTP)
	return s, nil
}

func (s *Server) addAdminLocked() {
	now := s.orgCreated
	u := &user{
		ID: s.ids.next("00u"), Status: StatusActive, Created: now, Activated: now, StatusChanged: now,
		LastUpdated: now, PasswordChanged: now, LastLogin: now.Add(24 * time.Hour), TypeID: userTypeID, HasPassword: true,
		Groups: map[string]bool{}, Admin: true,
		Profile: map[string]any{
			"login": "sandbox.admin@example.com", "email": "sandbox.admin@example.com",
			"firstName": "Sandbox", "lastName": "Admin", "title": "Super Administrator",
			"department": "IT", "mobilePhone": nil, "secondEmail": nil,
		},
	}
	s.insertUserLocked(u)
	s.adminID = u.ID
}

// Handler returns the tenant's HTTP handler (useful with httptest).
func (s *Server) Handler() http.Handler { return s.handler }

// Start listens on addr ("127.0.0.1:0" picks a port) and serves in the
// background. It returns the base URL, e.g. "http://127.0.0.1:41234".
func (s *Server) Start(addr string) (string, error) {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	if s.httpSrv != nil {
		return "", errors.New("sandbox: already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	s.baseURL = "http://" + ln.Addr().String()
	s.httpSrv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.httpSrv.Serve(oktaErrListener{ln}) }() // malformed requests answered in Okta's shape (malformed.go)
	return s.baseURL, nil
}

// URL returns the base URL after Start ("" before).
func (s *Server) URL() string {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	return s.baseURL
}

// Close stops the listener and the event hook workers.
func (s *Server) Close() {
	s.srvMu.Lock()
	srv := s.httpSrv
	s.srvMu.Unlock()
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_ = srv.Shutdown(ctx)
		cancel()
		_ = srv.Close()
	}
	s.hooks.close()
}

// Stats returns request counters.
func (s *Server) Stats() Stats {
	st := Stats{
		Requests:            map[string]int64{},
		RateLimited:         s.rateLimited.Load(),
		ConcurrencyRejected: s.concRej.Load(),
		Faults:              s.faultCount.Load(),
		HookDeliveries:      s.hooks.delivered.Load(),
		HookFailures:        s.hooks.failed.Load(),
		HookDropped:         s.hooks.dropped.Load(),
	}
	for k, v := range s.reqCount {
		st.Requests[k] = v.Load()
	}
	return st
}

// ---------------------------------------------------------------------------
// request pipeline

type reqCtx struct {
	base   string
	p      *principal
	reqID  string
	ip     string
	ua     string
	method string
	uri    string
}

type bucket struct {
	mu     sync.Mutex
	win    int64
	count  int
	limit  int
	window time.Duration
}

type faultState struct {
	Fault
	n atomic.Int64
}

// SetFaults replaces the fault injection rules at runtime.
func (s *Server) SetFaults(f []Fault) {
	fs := make([]*faultState, len(f))
	for i := range f {
		fs[i] = &faultState{Fault: f[i]}
	}
	s.faults.Store(&fs)
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Date"] = []string{time.Now().UTC().Format(http.TimeFormat)}
	path := r.URL.Path
	isAPI := strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/governance/api/") || strings.HasPrefix(path, "/webauthn-registration/api/")
	isOAuth := strings.HasPrefix(path, "/oauth2/")
	if !isAPI && !isOAuth {
		s.serveMisc(w, r)
		return
	}
	n := s.inflight.Add(1)
	defer s.inflight.Add(-1)
	if lim := s.cfg.ConcurrencyLimit; lim > 0 && n > int64(lim) {
		s.concRej.Add(1)
		h["X-Rate-Limit-Limit"] = []string{"0"}
		h["X-Rate-Limit-Remaining"] = []string{"0"}
		h["X-Rate-Limit-Reset"] = []string{strconv.FormatInt(time.Now().Add(time.Second).Unix()+1, 10)}
		s.noteConcurrencyViolation(r)
		writeErr(w, http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.")
		return
	}

	rt, segs := s.match(r.Method, path)
	bname := rt.bucket
	if cnt := s.reqCount[bname]; cnt != nil {
		cnt.Add(1)
	}
	if b := s.buckets[bname]; b != nil && !s.cfg.DisableRateLimit {
		if !s.rateCheck(b, h) {
			s.rateLimited.Add(1)
			writeErr(w, http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.")
			return
		}
	}
	if fs := s.faults.Load(); fs != nil && len(*fs) > 0 {
		if s.applyFaults(*fs, w, r) {
			return
		}
	}
	if rt.h == nil {
		if rt.methodNotAllowed {
			writeErr(w, http.StatusMethodNotAllowed, "E0000022", "The endpoint does not support the provided HTTP method")
			return
		}
		writeErr(w, http.StatusNotFound, "E0000007", "Not found: Resource not found: "+path+" ("+r.Method+")")
		return
	}
	rc := &reqCtx{
		base:   baseOf(r),
		reqID:  randID("", 27),
		ip:     remoteIP(r),
		ua:     r.UserAgent(),
		method: r.Method,
		uri:    r.URL.RequestURI(),
	}
	if rt.auth {
		p, ok := s.authenticate(w, r, rc, rt.scope)
		if !ok {
			return
		}
		rc.p = p
	}
	rt.h(s, w, r, rc, segs)
}

func (s *Server) rateCheck(b *bucket, h http.Header) bool {
	now := time.Now()
	win := now.UnixNano() / int64(s.window)
	b.mu.Lock()
	if b.win != win {
		b.win, b.count = win, 0
	}
	b.count++
	count, limit := b.count, b.limit
	b.mu.Unlock()
	end := (win + 1) * int64(s.window)
	reset := (end + int64(time.Second) - 1) / int64(time.Second)
	rem := limit - count
	if rem < 0 {
		rem = 0
	}
	h["X-Rate-Limit-Limit"] = []string{strconv.Itoa(limit)}
	h["X-Rate-Limit-Remaining"] = []string{strconv.Itoa(rem)}
	h["X-Rate-Limit-Reset"] = []string{strconv.FormatInt(reset, 10)}
	return count <= limit
}

func (s *Server) applyFaults(fs []*faultState, w http.ResponseWriter, r *http.Request) bool {
	for _, f := range fs {
		if f.PathPrefix != "" && !strings.HasPrefix(r.URL.Path, f.PathPrefix) {
			continue
		}
		if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
			continue
		}
		n := f.n.Add(1)
		if f.Every > 1 && n%int64(f.Every) != 0 {
			continue
		}
		if f.Latency > 0 {
			select {
			case <-time.After(f.Latency):
			case <-r.Context().Done():
				return true
			}
		}
		if f.Reset {
			s.faultCount.Add(1)
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					if tc, ok := conn.(*net.TCPConn); ok {
						_ = tc.SetLinger(0)
					}
					_ = conn.Close()
					return true
				}
			}
			panic(http.ErrAbortHandler)
		}
		if f.Status >= 400 {
			s.faultCount.Add(1)
			code, summary := "E0000009", "Internal Server Error"
			if f.Status == http.StatusServiceUnavailable {
				code, summary = "E0000010", "Service is temporarily unavailable"
			} else if f.Status == http.StatusTooManyRequests {
				code, summary = "E0000047", "API call exceeded rate limit due to too many requests."
				h := w.Header()
				if h.Get("X-Rate-Limit-Limit") == "" {
					h.Set("X-Rate-Limit-Limit", "0")
				}
				h.Set("X-Rate-Limit-Remaining", "0")
				if h.Get("X-Rate-Limit-Reset") == "" {
					h.Set("X-Rate-Limit-Reset", strconv.FormatInt(time.Now().Unix()+1, 10))
				}
			}
			writeErr(w, f.Status, code, summary)
			return true
		}
	}
	return false
}

func (s *Server) noteConcurrencyViolation(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if time.Since(s.lastConcEvt) < time.Minute {
		return
	}
	s.lastConcEvt = time.Now()
	rc := &reqCtx{base: baseOf(r), reqID: randID("", 27), ip: remoteIP(r), ua: r.UserAgent(), method: r.Method, uri: r.URL.RequestURI()}
	s.emitLocked(rc, "core.concurrency.org.limit.violation", "Org concurrency limit violation", "WARN", nil)
}

func (s *Server) serveMisc(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server":
		if r.Method != http.MethodGet {
			writeErr(w, http.StatusMethodNotAllowed, "E0000022", "The endpoint does not support the provided HTTP method")
			return
		}
		s.handleDiscovery(w, r)
	case "/.well-known/okta-organization":
		writeJSON(w, 200, map[string]any{"id": s.orgID, "pipeline": "idx", "_links": map[string]any{
			"organization": hrefObj{Href: baseOf(r)}, "alternate": hrefObj{Href: baseOf(r)}}})
	case "/":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "Okta sandbox tenant %q (%s)\n", s.cfg.CompanyName, s.cfg.Subdomain)
	default:
		writeErr(w, http.StatusNotFound, "E0000007", "Not found: Resource not found: "+r.URL.Path+" ("+r.Method+")")
	}
}

// ---------------------------------------------------------------------------
// helpers

func baseOf(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func randID(prefix string, n int) string {
	b := make([]byte, len(prefix)+n)
	copy(b, prefix)
	for i := len(prefix); i < len(b); i++ {
		b[i] = base62[rand.IntN(62)]
	}
	return string(b)
}

// OktaError is Okta's error body.
type OktaError struct {
	ErrorCode    string       `json:"errorCode"`
	ErrorSummary string       `json:"errorSummary"`
	ErrorLink    string       `json:"errorLink"`
	ErrorID      string       `json:"errorId"`
	ErrorCauses  []ErrorCause `json:"errorCauses"`
}

// ErrorCause is one entry of OktaError.ErrorCauses.
type ErrorCause struct {
	ErrorSummary string `json:"errorSummary"`
}

func writeErr(w http.ResponseWriter, status int, code, summary string, causes ...string) {
	e := OktaError{ErrorCode: code, ErrorSummary: summary, ErrorLink: code, ErrorID: randID("oae", 19), ErrorCauses: []ErrorCause{}}
	for _, c := range causes {
		e.ErrorCauses = append(e.ErrorCauses, ErrorCause{ErrorSummary: c})
	}
	writeJSON(w, status, e)
}

func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own types are marshalled
	}
	return b
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func randUint32() uint32 { return rand.Uint32() }

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = 500, []byte(`{"errorCode":"E0000009","errorSummary":"Internal Server Error","errorLink":"E0000009","errorId":"oaeinternal","errorCauses":[]}`)
	}
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func notFound(w http.ResponseWriter, id, kind string) {
	writeErr(w, http.StatusNotFound, "E0000007", "Not found: Resource not found: "+id+" ("+kind+")")
}

func validationErr(w http.ResponseWriter, causes ...string) {
	summary := "Api validation failed: " + strings.Join(causes, ", ")
	if len(causes) == 0 {
		summary = "Api validation failed"
	}
	writeErr(w, http.StatusBadRequest, "E0000001", summary, causes...)
}

func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		writeErr(w, http.StatusBadRequest, "E0000003", "The request body was not well-formed.")
		return false
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		writeErr(w, http.StatusBadRequest, "E0000003", "The request body was not well-formed.")
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		writeErr(w, http.StatusBadRequest, "E0000003", "The request body was not well-formed.")
		return false
	}
	return true
}
