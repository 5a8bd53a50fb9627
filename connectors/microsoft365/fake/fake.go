// Package fake is a local Microsoft Graph v1.0 tenant: a real HTTP server
// speaking the parts of Graph that the Microsoft 365 connector's cards use,
// seeded with a small organization (the people of the Okta sandbox tenant,
// groups, a team with channels, three license SKUs).
//
// It serves, on one origin:
//   - the Microsoft identity platform's token endpoint
//     (POST /{tenant}/oauth2/v2.0/token: client_credentials,
//     authorization_code with PKCE, refresh_token) and its authorize
//     endpoint (GET /{tenant}/oauth2/v2.0/authorize, which consents at once
//     and redirects back with a code);
//   - Graph under /v1.0: organization, users (create, read by id or
//     userPrincipalName, update, delete, list with $filter/$top paging by
//     @odata.nextLink), licenseDetails, assignLicense, revokeSignInSessions,
//     sendMail, invitations (guest users), groups (list with $filter,
//     create, read, delete, members and members/$ref), subscribedSkus,
//     Teams (members, channels, channel messages) and subscriptions (change
//     notifications with the validationToken handshake and clientState).
//
// It models Graph's auth (bearer tokens it issued; a revoked or unknown
// token gets 401 InvalidAuthenticationToken; an app without the needed
// application permission gets 403 Authorization_RequestDenied), its error
// body {"error":{"code","message","innerError"}}, throttling (429
// TooManyRequests with Retry-After), and the Okta sandbox's fault injection
// (Fault: status, latency, connection reset, every Nth request).
//
// Shapes follow Microsoft Graph's OpenAPI description (the operations used
// are in ../testdata/graph-openapi.yaml; fake_test.go validates every
// response against it).
package fake

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// Well-known credentials of the fake tenant's app registration.
const (
	// SignedInUser is who /me is for delegated (authorization code) tokens.
	SignedInUser = "sandbox.admin@example.com"
	TenantID     = "5f1c6d2e-8a4b-4c3d-9e7f-0a1b2c3d4e5f"
	ClientID     = "0b7e2f44-1c2d-4e5f-8a9b-flowbench000"
	ClientSecret = "FakeGraphSecret~flowbench.local.0000"
	Domain       = "flowbench.onmicrosoft.com"
	// ClientState is the clientState of the subscriptions DeliverEventsTo
	// makes (the sandbox Office 365 Admin connection's webhook secret).
	ClientState = "flowbench-sandbox-client-state"
)

// AllRoles are the application permissions the seeded app registration was
// granted (admin consent).
var AllRoles = []string{"User.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All", "Organization.Read.All",
	"Mail.Send", "User.Invite.All", "TeamMember.ReadWrite.All", "ChannelMember.ReadWrite.All", "ChannelMessage.Send",
	"ChannelMessage.Read.All", "Channel.ReadBasic.All", "GroupMember.ReadWrite.All"}

// Fault injects failures into matching requests (as the Okta sandbox's):
// PathPrefix e.g. "/v1.0/users".
type Fault = kit.Fault

// Config configures a fake tenant. The zero value is usable.
type Config struct {
	// Roles the app registration has; nil: AllRoles.
	Roles []string
	// RateLimit is how many Graph requests one token may make per
	// RateWindow (0: unlimited); past it Graph answers 429 with Retry-After.
	RateLimit  int
	RateWindow time.Duration // default 10 s
	Faults     []Fault
	// PageSize is the default page of list calls (Graph's is 100).
	PageSize int
	// Client delivers change notifications; nil: a loopback client.
	Client *http.Client
}

type token struct {
	app     bool
	roles   []string
	scopes  []string
	revoked bool
	expires time.Time
}

type authCode struct {
	challenge, method, redirect, scope string
}

// Server is a fake Microsoft Graph tenant.
type Server struct {
	cfg Config
	mu  sync.Mutex

	users         map[string]map[string]any // by id
	order         []string                  // user ids in creation order
	groups        map[string]map[string]any
	gorder        []string
	members       map[string][]string // group id → member ids
	skus          []map[string]any
	licenses      map[string][]map[string]any // user id → assignedLicenses
	teams         map[string]*team            // team id (= group id)
	chats         map[string]*chat
	subs          map[string]map[string]any
	sent          []map[string]any // sent mail messages
	drafts        map[string]map[string]any
	tokens        map[string]*token
	codes         map[string]authCode
	refresh       map[string][]string // refresh token → scopes
	org           map[string]any
	faults        []*faultState
	rate          map[string][]time.Time
	notified      atomic.Int64
	secretRevoked bool
	changes       []changeRec // every change, for delta queries

	srv *http.Server
	url atomic.Pointer[string]
}

type team struct {
	members  []map[string]any
	channels []map[string]any
	// chMembers are the members of private channels (a standard
	// channel's members are the team's)
	chMembers map[string][]map[string]any
	messages  map[string][]map[string]any // channel id → messages
}

type faultState struct {
	Fault
	n atomic.Int64
}

// New builds a seeded tenant.
func New(cfg Config) *Server {
	if cfg.Roles == nil {
		cfg.Roles = AllRoles
	}
	if cfg.RateWindow <= 0 {
		cfg.RateWindow = 10 * time.Second
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 100
	}
	s := &Server{cfg: cfg, users: map[string]map[string]any{}, groups: map[string]map[string]any{}, members: map[string][]string{},
		licenses: map[string][]map[string]any{}, teams: map[string]*team{}, chats: map[string]*chat{}, subs: map[string]map[string]any{}, drafts: map[string]map[string]any{},
		tokens: map[string]*token{}, codes: map[string]authCode{}, refresh: map[string][]string{}, rate: map[string][]time.Time{}}
	s.SetFaults(cfg.Faults)
	s.seed()
	return s
}

// SetFaults replaces the fault injection rules.
func (s *Server) SetFaults(f []kit.Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
	for i := range f {
		s.faults = append(s.faults, &faultState{Fault: f[i]})
	}
}

// Start listens on addr ("127.0.0.1:0" for a free port) and returns the
// base URL (http://host:port). Graph is at URL()+"/v1.0", the identity
// platform at URL()+"/{tenant}/oauth2/v2.0".
func (s *Server) Start(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	s.url.Store(ptr("http://" + ln.Addr().String()))
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s.base(), nil
}

// URL is the base URL after Start.
func (s *Server) URL() string { return s.base() }

func (s *Server) base() string {
	if p := s.url.Load(); p != nil {
		return *p
	}
	return ""
}

func ptr(s string) *string { return &s }

// Close stops the server.
func (s *Server) Close() {
	if s.srv != nil {
		_ = s.srv.Close()
	}
}

// Kinds are the connection kinds the fake serves (Okta's Microsoft 365
// namespaces), each with a ready connection from Connections.
var Kinds = []string{"office365admin", "office365mail", "microsoftteams"}

// Connection is the ready Office 365 Admin connection to the fake at base
// (kit.Fake): app-only client credentials of the seeded app registration.
func (s *Server) Connection(base string) *engine.Connection { return s.connection(base, Kinds[0]) }

// Connections are the ready connections of every kind the fake serves.
func (s *Server) Connections(base string) []*engine.Connection {
	out := make([]*engine.Connection, len(Kinds))
	for i, k := range Kinds {
		out[i] = s.connection(base, k)
	}
	return out
}

var kindTitles = map[string]string{"office365admin": "Office 365 Admin", "office365mail": "Office 365 Mail", "microsoftteams": "Microsoft Teams"}

func (s *Server) connection(base, kind string) *engine.Connection {
	base = strings.TrimSuffix(base, "/")
	cfg := map[string]any{kit.CfgAuthMethod: kit.AuthClientCredentials, "tenantId": TenantID, kit.CfgClientID: ClientID,
		kit.CfgBaseURL: base + "/v1.0", kit.CfgTokenURL: base + "/" + TenantID + "/oauth2/v2.0/token"}
	sec := map[string]string{kit.SecClientSecret: ClientSecret}
	switch kind {
	case "office365mail":
		cfg["mailbox"] = SignedInUser
	case "office365admin":
		sec["clientState"] = ClientState
	}
	return &engine.Connection{ID: kit.SandboxID(kind), Name: kindTitles[kind] + " (sandbox tenant)", Kind: kind, Config: cfg, Secrets: sec}
}

// IssueToken creates an access token for the app (as a client credentials
// grant would) and returns it.
func (s *Server) IssueToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issue(true, slices.Clone(s.cfg.Roles), nil)
}

// RevokeTokens revokes every access and refresh token issued so far (as
// an admin revoking the app's sessions, or a consent withdrawn).
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		t.revoked = true
	}
	s.refresh = map[string][]string{}
}

// RevokeClientSecret deletes the app registration's client secret (as an
// admin removing it in Microsoft Entra): client credentials grants fail
// with invalid_client from then on.
func (s *Server) RevokeClientSecret() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secretRevoked = true
}

// User returns a copy of a user by id or userPrincipalName.
func (s *Server) User(idOrUPN string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.findUser(idOrUPN)
	if u == nil {
		return nil, false
	}
	return s.userView(u), true
}

// GroupByName returns a copy of a group by displayName.
func (s *Server) GroupByName(name string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range s.gorder {
		if g := s.groups[id]; g["displayName"] == name {
			return clone(g), true
		}
	}
	return nil, false
}

// Members lists the ids of a group's members.
func (s *Server) Members(groupID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.members[groupID])
}

// SentMail lists the messages sent through sendMail.
func (s *Server) SentMail() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]map[string]any, len(s.sent))
	for i, m := range s.sent {
		out[i] = clone(m)
	}
	return out
}

// ChannelMessages lists the messages posted to a team's channel.
func (s *Server) ChannelMessages(teamID, channelID string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.teams[teamID]
	if t == nil {
		return nil
	}
	return slices.Clone(t.messages[channelID])
}

// SKU returns a subscribed SKU by skuPartNumber.
func (s *Server) SKU(part string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.skus {
		if k["skuPartNumber"] == part {
			return clone(k), true
		}
	}
	return nil, false
}

// DeliverEventsTo subscribes url to change notifications of new users and
// of group changes (created, updated, deleted), with ClientState, as an
// admin creating the subscriptions for Flowbench would; "" removes them.
// The app's sandbox wiring points it at the connection's webhook route.
// Unlike POST /subscriptions it makes no validation request: the receiver
// may not be listening yet.
func (s *Server) DeliverEventsTo(url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, sub := range s.subs {
		if sub["applicationId"] == "flowbench-sandbox" {
			delete(s.subs, id)
		}
	}
	if url == "" {
		return
	}
	exp := time.Now().Add(365 * 24 * time.Hour).UTC().Format("2006-01-02T15:04:05Z")
	for _, x := range []struct{ res, ct string }{{"users", "created"}, {"groups", "created,updated,deleted"}} {
		id := newGUID()
		s.subs[id] = map[string]any{"id": id, "resource": x.res, "changeType": x.ct, "notificationUrl": url, "clientState": ClientState,
			"expirationDateTime": exp, "applicationId": "flowbench-sandbox", "creatorId": ClientID}
	}
}

// Subscriptions lists the tenant's subscriptions: id → notificationUrl (tests).
func (s *Server) Subscriptions() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for id, sub := range s.subs {
		out[id] = str(sub["notificationUrl"])
	}
	return out
}

// Notified counts change notifications delivered (2xx from the receiver).
func (s *Server) Notified() int64 { return s.notified.Load() }

// ---- HTTP ----

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.base() == "" { // served by kit.Serve or httptest: the address it is reached at
		s.url.CompareAndSwap(nil, ptr("http://"+r.Host))
	}
	w.Header().Set("request-id", newGUID())
	w.Header().Set("client-request-id", firstNonEmpty(r.Header.Get("client-request-id"), newGUID()))
	if s.fault(w, r) {
		return
	}
	p := r.URL.Path
	if strings.Contains(p, "/oauth2/v2.0/") {
		s.serveIdentity(w, r)
		return
	}
	if !strings.HasPrefix(p, "/v1.0/") {
		graphErr(w, http.StatusBadRequest, "BadRequest", "Invalid version: "+strings.Split(strings.TrimPrefix(p, "/"), "/")[0])
		return
	}
	tok, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	if s.throttled(w, r) {
		return
	}
	segs := strings.Split(strings.Trim(strings.TrimPrefix(p, "/v1.0/"), "/"), "/")
	s.route(w, r, tok, segs)
}

func (s *Server) fault(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	fs := s.faults
	s.mu.Unlock()
	for _, f := range fs {
		if f.PathPrefix != "" && !strings.HasPrefix(r.URL.Path, f.PathPrefix) || f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
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
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					_ = c.Close()
					return true
				}
			}
		}
		if f.Status != 0 {
			if f.Status == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", strconv.Itoa(max(f.RetryAfter, 1)))
				graphErr(w, f.Status, "TooManyRequests", "Too many requests. Please retry after the time in the Retry-After header.")
			} else {
				graphErr(w, f.Status, faultCode(f.Status), "Injected fault.")
			}
			return true
		}
	}
	return false
}

func faultCode(st int) string {
	switch st {
	case 503:
		return "serviceNotAvailable"
	case 504:
		return "gatewayTimeout"
	}
	return "generalException"
}

func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (*token, bool) {
	h := r.Header.Get("Authorization")
	raw, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || raw == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"`)
		graphErr(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.")
		return nil, false
	}
	s.mu.Lock()
	t := s.tokens[raw]
	s.mu.Unlock()
	switch {
	case t == nil:
		graphErr(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "IDX14100: JWT is not well formed, there are no dots (.).")
		return nil, false
	case t.revoked:
		graphErr(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.")
		return nil, false
	case time.Now().After(t.expires):
		graphErr(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.")
		return nil, false
	}
	return t, true
}

func (s *Server) throttled(w http.ResponseWriter, r *http.Request) bool {
	if s.cfg.RateLimit <= 0 {
		return false
	}
	key := r.Header.Get("Authorization")
	now := time.Now()
	s.mu.Lock()
	hits := s.rate[key]
	i := 0
	for i < len(hits) && now.Sub(hits[i]) >= s.cfg.RateWindow {
		i++
	}
	hits = hits[i:]
	over := len(hits) >= s.cfg.RateLimit
	if !over {
		hits = append(hits, now)
	}
	s.rate[key] = hits
	var wait time.Duration
	if over {
		wait = s.cfg.RateWindow - now.Sub(hits[0])
	}
	s.mu.Unlock()
	if !over {
		return false
	}
	secs := int(wait.Seconds() + 0.999)
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	graphErr(w, http.StatusTooManyRequests, "TooManyRequests", "Too many requests. Please retry after the time in the Retry-After header.")
	return true
}

// need checks an application permission (or a delegated scope).
func (t *token) need(w http.ResponseWriter, perms ...string) bool {
	for _, p := range perms {
		if slices.Contains(t.roles, p) || slices.Contains(t.scopes, p) {
			return true
		}
	}
	graphErr(w, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
	return false
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, t *token, seg []string) {
	m := r.Method
	n := len(seg)
	switch {
	case seg[0] == "organization" && n == 1 && m == http.MethodGet:
		if t.need(w, "Organization.Read.All", "Directory.ReadWrite.All", "User.ReadWrite.All", "User.Read") {
			s.mu.Lock()
			o := clone(s.org)
			s.mu.Unlock()
			writeJSON(w, 200, map[string]any{"@odata.context": s.base() + "/v1.0/$metadata#organization", "value": []any{o}})
		}
	case seg[0] == "me":
		if t.app {
			graphErr(w, http.StatusBadRequest, "BadRequest", "/me request is only valid with delegated authentication flow.")
			return
		}
		s.routeUsers(w, r, t, append([]string{"users", SignedInUser}, seg[1:]...))
	case seg[0] == "users":
		s.routeUsers(w, r, t, seg)
	case seg[0] == "invitations" && n == 1 && m == http.MethodPost:
		if t.need(w, "User.Invite.All", "Directory.ReadWrite.All") {
			s.invite(w, r)
		}
	case seg[0] == "groups":
		s.routeGroups(w, r, t, seg)
	case seg[0] == "subscribedSkus" && n == 1 && m == http.MethodGet:
		if t.need(w, "Organization.Read.All", "Directory.ReadWrite.All") {
			s.mu.Lock()
			v := make([]any, len(s.skus))
			for i, k := range s.skus {
				v[i] = clone(k)
			}
			s.mu.Unlock()
			writeJSON(w, 200, map[string]any{"@odata.context": s.base() + "/v1.0/$metadata#subscribedSkus", "value": v})
		}
	case seg[0] == "chats" && n == 3 && seg[2] == "messages" && m == http.MethodPost:
		s.postChatMessage(w, r, t, seg[1])
	case seg[0] == "teams" && n >= 2:
		s.routeTeams(w, r, t, seg)
	case seg[0] == "subscriptions":
		s.routeSubs(w, r, seg)
	default:
		graphErr(w, http.StatusBadRequest, "BadRequest", fmt.Sprintf("Resource not found for the segment '%s'.", seg[len(seg)-1]))
	}
}

// ---- users ----

func (s *Server) routeUsers(w http.ResponseWriter, r *http.Request, t *token, seg []string) {
	m, n := r.Method, len(seg)
	read := func() bool { return t.need(w, "User.Read.All", "User.ReadWrite.All", "Directory.ReadWrite.All") }
	write := func() bool { return t.need(w, "User.ReadWrite.All", "Directory.ReadWrite.All") }
	switch {
	case n == 1 && m == http.MethodGet:
		if read() {
			s.listUsers(w, r)
		}
	case n == 1 && m == http.MethodPost:
		if write() {
			s.createUser(w, r)
		}
	case n == 2 && seg[1] == "delta()" && m == http.MethodGet:
		if read() {
			s.delta(w, r, "users")
		}
	case n == 2 && m == http.MethodGet:
		if read() {
			s.getUser(w, r, seg[1])
		}
	case n == 2 && m == http.MethodPatch:
		if write() {
			s.updateUser(w, r, seg[1])
		}
	case n == 2 && m == http.MethodDelete:
		if write() {
			s.deleteUser(w, seg[1])
		}
	case n == 3 && seg[2] == "licenseDetails" && m == http.MethodGet:
		if read() {
			s.licenseDetails(w, seg[1])
		}
	case n == 3 && seg[2] == "assignLicense" && m == http.MethodPost:
		if write() {
			s.assignLicense(w, r, seg[1])
		}
	case n == 3 && seg[2] == "revokeSignInSessions" && m == http.MethodPost:
		if write() {
			s.mu.Lock()
			u := s.findUser(seg[1])
			if u != nil {
				u["signInSessionsValidFromDateTime"] = now()
			}
			s.mu.Unlock()
			if u == nil {
				notFound(w, seg[1])
				return
			}
			writeJSON(w, 200, map[string]any{"@odata.context": s.base() + "/v1.0/$metadata#Edm.Boolean", "value": true})
		}
	case n == 3 && seg[2] == "sendMail" && m == http.MethodPost:
		if t.need(w, "Mail.Send") {
			s.sendMail(w, r, seg[1])
		}
	case n == 3 && seg[2] == "messages" && m == http.MethodPost:
		if t.need(w, "Mail.ReadWrite", "Mail.Send") {
			s.draft(w, r, seg[1])
		}
	case n == 5 && seg[2] == "messages" && seg[4] == "send" && m == http.MethodPost:
		if t.need(w, "Mail.Send") {
			s.sendDraft(w, seg[1], seg[3])
		}
	case n == 3 && seg[2] == "memberOf" && m == http.MethodGet:
		if read() {
			s.memberOf(w, seg[1])
		}
	default:
		graphErr(w, http.StatusMethodNotAllowed, "Request_BadRequest", "The HTTP method '"+m+"' is not allowed for this resource.")
	}
}

func (s *Server) findUser(key string) map[string]any {
	if u := s.users[key]; u != nil {
		return u
	}
	k := strings.ToLower(key)
	for _, id := range s.order {
		if u := s.users[id]; strings.ToLower(str(u["userPrincipalName"])) == k {
			return u
		}
	}
	return nil
}

func (s *Server) userView(u map[string]any) map[string]any {
	v := clone(u)
	delete(v, "passwordProfile")
	lic := s.licenses[str(u["id"])]
	al := make([]any, 0, len(lic))
	plans := []any{}
	for _, l := range lic {
		al = append(al, clone(l))
		if k := s.skuByID(str(l["skuId"])); k != nil {
			for _, p := range k["servicePlans"].([]any) {
				pm := p.(map[string]any)
				if slices.Contains(anyStrings(l["disabledPlans"]), str(pm["servicePlanId"])) {
					continue
				}
				plans = append(plans, map[string]any{"assignedDateTime": l["_assigned"], "capabilityStatus": "Enabled",
					"service": pm["servicePlanName"], "servicePlanId": pm["servicePlanId"]})
			}
		}
		delete(al[len(al)-1].(map[string]any), "_assigned")
	}
	v["assignedLicenses"] = al
	v["assignedPlans"] = plans
	return v
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request, key string) {
	s.mu.Lock()
	u := s.findUser(key)
	var v map[string]any
	if u != nil {
		v = selectProps(s.userView(u), r.URL.Query().Get("$select"))
		v["@odata.context"] = s.base() + "/v1.0/$metadata#users/$entity"
	}
	s.mu.Unlock()
	if u == nil {
		notFound(w, key)
		return
	}
	writeJSON(w, 200, v)
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	match, err := parseFilter(q.Get("$filter"))
	if err != nil {
		graphErr(w, 400, "Request_UnsupportedQuery", err.Error())
		return
	}
	s.mu.Lock()
	var all []any
	for _, id := range s.order {
		u := s.users[id]
		if match(u) {
			all = append(all, s.userView(u))
		}
	}
	s.mu.Unlock()
	s.page(w, r, "users", all)
}

// page writes one page of a collection, with @odata.nextLink when more
// remain ($top sets the page size; $skiptoken carries the offset).
func (s *Server) page(w http.ResponseWriter, r *http.Request, ctx string, all []any) {
	q := r.URL.Query()
	size := s.cfg.PageSize
	if t, err := strconv.Atoi(q.Get("$top")); err == nil && t > 0 && t <= 999 {
		size = t
	} else if q.Get("$top") != "" {
		graphErr(w, 400, "Request_UnsupportedQuery", "Invalid page size specified: '"+q.Get("$top")+"'. Must be between 1 and 999 inclusive.")
		return
	}
	off := 0
	if tok := q.Get("$skiptoken"); tok != "" {
		b, err := base64.RawURLEncoding.DecodeString(tok)
		if err == nil {
			off, err = strconv.Atoi(string(b))
		}
		if err != nil || off < 0 || off > len(all) {
			graphErr(w, 400, "Request_BadRequest", "The specified page token value has expired or is invalid.")
			return
		}
	}
	end := min(off+size, len(all))
	body := map[string]any{"@odata.context": s.base() + "/v1.0/$metadata#" + ctx, "value": nonNil(all[off:end])}
	if end < len(all) {
		nq := url.Values{}
		for k, v := range q {
			nq[k] = v
		}
		nq.Set("$skiptoken", base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end))))
		body["@odata.nextLink"] = s.base() + r.URL.Path + "?" + nq.Encode()
	}
	writeJSON(w, 200, body)
}

func nonNil(v []any) []any {
	if v == nil {
		return []any{}
	}
	return v
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	var in map[string]any
	if !readBody(w, r, &in) {
		return
	}
	for _, k := range []string{"accountEnabled", "displayName", "mailNickname", "userPrincipalName", "passwordProfile"} {
		if in[k] == nil {
			graphErr(w, 400, "Request_BadRequest", "Property '"+k+"' is required when creating the entity.")
			return
		}
	}
	upn := str(in["userPrincipalName"])
	if !strings.Contains(upn, "@") {
		graphErr(w, 400, "Request_BadRequest", "Property userPrincipalName is invalid.")
		return
	}
	s.mu.Lock()
	if s.findUser(upn) != nil {
		s.mu.Unlock()
		graphErr(w, 400, "Request_BadRequest", "Another object with the same value for property userPrincipalName already exists.")
		return
	}
	u := map[string]any{}
	for _, k := range userProps {
		if v, ok := in[k]; ok {
			u[k] = v
		}
	}
	u["id"] = newGUID()
	u["createdDateTime"] = now()
	if u["userType"] == nil {
		u["userType"] = "Member"
	}
	if u["mail"] == nil {
		u["mail"] = nil
	}
	s.users[str(u["id"])] = u
	s.order = append(s.order, str(u["id"]))
	v := s.userView(u)
	s.mu.Unlock()
	v["@odata.context"] = s.base() + "/v1.0/$metadata#users/$entity"
	writeJSON(w, 201, v)
	s.notify("users", "created", str(u["id"]), "#Microsoft.Graph.User")
}

// userProps are the user properties the fake keeps.
var userProps = []string{"accountEnabled", "displayName", "givenName", "surname", "mail", "mailNickname", "userPrincipalName",
	"jobTitle", "department", "officeLocation", "mobilePhone", "businessPhones", "usageLocation", "preferredLanguage",
	"employeeId", "companyName", "city", "country", "state", "streetAddress", "postalCode", "userType", "aboutMe", "ageGroup",
	"otherMails", "proxyAddresses", "passwordProfile", "onPremisesSyncEnabled", "externalUserState"}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, key string) {
	var in map[string]any
	if !readBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	u := s.findUser(key)
	if u != nil {
		for k, v := range in {
			if !slices.Contains(userProps, k) {
				s.mu.Unlock()
				graphErr(w, 400, "Request_BadRequest", "Property '"+k+"' does not exist as a declared property or extension property.")
				return
			}
			u[k] = v
		}
	}
	s.mu.Unlock()
	if u == nil {
		notFound(w, key)
		return
	}
	w.WriteHeader(http.StatusNoContent)
	s.notify("users", "updated", str(u["id"]), "#Microsoft.Graph.User")
}

func (s *Server) deleteUser(w http.ResponseWriter, key string) {
	s.mu.Lock()
	u := s.findUser(key)
	if u != nil {
		id := str(u["id"])
		delete(s.users, id)
		s.order = slices.DeleteFunc(s.order, func(x string) bool { return x == id })
		for g, ms := range s.members {
			s.members[g] = slices.DeleteFunc(ms, func(x string) bool { return x == id })
		}
	}
	s.mu.Unlock()
	if u == nil {
		notFound(w, key)
		return
	}
	w.WriteHeader(http.StatusNoContent)
	s.notify("users", "deleted", str(u["id"]), "#Microsoft.Graph.User")
}

func (s *Server) skuByID(id string) map[string]any {
	for _, k := range s.skus {
		if strings.EqualFold(str(k["skuId"]), id) {
			return k
		}
	}
	return nil
}

func (s *Server) licenseDetails(w http.ResponseWriter, key string) {
	s.mu.Lock()
	u := s.findUser(key)
	var v []any
	if u != nil {
		for _, l := range s.licenses[str(u["id"])] {
			k := s.skuByID(str(l["skuId"]))
			if k == nil {
				continue
			}
			v = append(v, map[string]any{"id": newGUID(), "skuId": k["skuId"], "skuPartNumber": k["skuPartNumber"], "servicePlans": k["servicePlans"]})
		}
	}
	s.mu.Unlock()
	if u == nil {
		notFound(w, key)
		return
	}
	writeJSON(w, 200, map[string]any{"@odata.context": s.base() + "/v1.0/$metadata#users('" + key + "')/licenseDetails", "value": nonNil(v)})
}

func (s *Server) assignLicense(w http.ResponseWriter, r *http.Request, key string) {
	var in struct {
		AddLicenses    []map[string]any `json:"addLicenses"`
		RemoveLicenses []string         `json:"removeLicenses"`
	}
	if !readBody(w, r, &in) {
		return
	}
	if in.AddLicenses == nil || in.RemoveLicenses == nil {
		graphErr(w, 400, "Request_BadRequest", "Invalid value specified for property 'addLicenses' and 'removeLicenses' of resource 'User': both are required (an empty list when none).")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.findUser(key)
	if u == nil {
		notFound(w, key)
		return
	}
	if u["usageLocation"] == nil && len(in.AddLicenses) > 0 {
		graphErr(w, 400, "Request_BadRequest", "License assignment cannot be done for user with invalid usage location.")
		return
	}
	id := str(u["id"])
	cur := s.licenses[id]
	for _, rm := range in.RemoveLicenses {
		if s.skuByID(rm) == nil {
			graphErr(w, 400, "Request_BadRequest", "License "+rm+" does not correspond to a valid company License.")
			return
		}
		has := slices.ContainsFunc(cur, func(l map[string]any) bool { return strings.EqualFold(str(l["skuId"]), rm) })
		if !has {
			graphErr(w, 400, "Request_BadRequest", "User does not have a corresponding license.")
			return
		}
	}
	for _, add := range in.AddLicenses {
		k := s.skuByID(str(add["skuId"]))
		if k == nil {
			graphErr(w, 400, "Request_BadRequest", "License "+str(add["skuId"])+" does not correspond to a valid company License.")
			return
		}
		pre := k["prepaidUnits"].(map[string]any)
		if num(k["consumedUnits"]) >= num(pre["enabled"]) {
			graphErr(w, 400, "Request_BadRequest", "Subscription "+str(k["skuPartNumber"])+" does not have any available licenses.")
			return
		}
	}
	for _, rm := range in.RemoveLicenses {
		cur = slices.DeleteFunc(cur, func(l map[string]any) bool { return strings.EqualFold(str(l["skuId"]), rm) })
		k := s.skuByID(rm)
		k["consumedUnits"] = num(k["consumedUnits"]) - 1
	}
	for _, add := range in.AddLicenses {
		k := s.skuByID(str(add["skuId"]))
		dp := anyStrings(add["disabledPlans"])
		l := map[string]any{"skuId": k["skuId"], "disabledPlans": toAny(dp), "_assigned": now()}
		i := slices.IndexFunc(cur, func(x map[string]any) bool { return strings.EqualFold(str(x["skuId"]), str(k["skuId"])) })
		if i >= 0 {
			cur[i]["disabledPlans"] = toAny(dp)
			continue
		}
		cur = append(cur, l)
		k["consumedUnits"] = num(k["consumedUnits"]) + 1
	}
	s.licenses[id] = cur
	v := s.userView(u)
	v["@odata.context"] = s.base() + "/v1.0/$metadata#users/$entity"
	writeJSON(w, 200, v)
}

func (s *Server) sendMail(w http.ResponseWriter, r *http.Request, key string) {
	var in map[string]any
	if !readBody(w, r, &in) {
		return
	}
	msg, _ := in["message"].(map[string]any)
	if msg == nil {
		graphErr(w, 400, "ErrorInvalidRequest", "The 'message' parameter is missing.")
		return
	}
	to, _ := msg["toRecipients"].([]any)
	cc, _ := msg["ccRecipients"].([]any)
	bcc, _ := msg["bccRecipients"].([]any)
	if len(to)+len(cc)+len(bcc) == 0 {
		graphErr(w, 400, "ErrorInvalidRecipients", "At least one recipient isn't valid., A message can't be sent because it contains no recipients.")
		return
	}
	for _, list := range [][]any{to, cc, bcc} {
		for _, rc := range list {
			a := str(getPath(rc, "emailAddress", "address"))
			if !strings.Contains(a, "@") {
				graphErr(w, 400, "ErrorInvalidRecipients", "At least one recipient isn't valid., Recipient '"+a+"' is not resolved. All recipients must be resolved before a message can be submitted.")
				return
			}
		}
	}
	s.mu.Lock()
	u := s.findUser(key)
	if u != nil {
		m := clone(msg)
		m["id"] = "AAMk" + strings.ReplaceAll(newGUID(), "-", "")
		m["from"] = map[string]any{"emailAddress": map[string]any{"address": u["userPrincipalName"], "name": u["displayName"]}}
		m["sentDateTime"] = now()
		s.sent = append(s.sent, m)
	}
	s.mu.Unlock()
	if u == nil {
		notFound(w, key)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// draft creates a message in the mailbox's Drafts (POST /users/{id}/messages).
func (s *Server) draft(w http.ResponseWriter, r *http.Request, key string) {
	var msg map[string]any
	if !readBody(w, r, &msg) {
		return
	}
	s.mu.Lock()
	u := s.findUser(key)
	var out map[string]any
	if u != nil {
		m := clone(msg)
		m["id"] = "AAMk" + strings.ReplaceAll(newGUID(), "-", "")
		m["isDraft"] = true
		m["createdDateTime"] = now()
		m["from"] = map[string]any{"emailAddress": map[string]any{"address": u["userPrincipalName"], "name": u["displayName"]}}
		for _, k := range []string{"toRecipients", "ccRecipients", "bccRecipients", "attachments"} {
			if m[k] == nil {
				m[k] = []any{}
			}
		}
		delete(m, "attachments")
		m["hasAttachments"] = len(toAnyList(msg["attachments"])) > 0
		s.drafts[str(m["id"])] = m
		out = clone(m)
		out["@odata.context"] = s.base() + "/v1.0/$metadata#users('" + key + "')/messages/$entity"
	}
	s.mu.Unlock()
	if u == nil {
		notFound(w, key)
		return
	}
	writeJSON(w, 201, out)
}

// sendDraft sends a draft (POST /users/{id}/messages/{id}/send).
func (s *Server) sendDraft(w http.ResponseWriter, key, id string) {
	s.mu.Lock()
	u := s.findUser(key)
	m := s.drafts[id]
	if u != nil && m != nil {
		n := len(toAnyList(m["toRecipients"])) + len(toAnyList(m["ccRecipients"])) + len(toAnyList(m["bccRecipients"]))
		if n == 0 {
			s.mu.Unlock()
			graphErr(w, 400, "ErrorInvalidRecipients", "At least one recipient isn't valid., A message can't be sent because it contains no recipients.")
			return
		}
		delete(s.drafts, id)
		m["isDraft"] = false
		m["sentDateTime"] = now()
		s.sent = append(s.sent, m)
	}
	s.mu.Unlock()
	switch {
	case u == nil:
		notFound(w, key)
	case m == nil:
		graphErr(w, 404, "ErrorItemNotFound", "The specified object was not found in the store.")
	default:
		w.WriteHeader(http.StatusAccepted)
	}
}

func (s *Server) memberOf(w http.ResponseWriter, key string) {
	s.mu.Lock()
	u := s.findUser(key)
	var v []any
	if u != nil {
		for _, gid := range s.gorder {
			if slices.Contains(s.members[gid], str(u["id"])) {
				g := clone(s.groups[gid])
				g["@odata.type"] = "#microsoft.graph.group"
				v = append(v, g)
			}
		}
	}
	s.mu.Unlock()
	if u == nil {
		notFound(w, key)
		return
	}
	writeJSON(w, 200, map[string]any{"@odata.context": s.base() + "/v1.0/$metadata#directoryObjects", "value": nonNil(v)})
}

func (s *Server) invite(w http.ResponseWriter, r *http.Request) {
	var in map[string]any
	if !readBody(w, r, &in) {
		return
	}
	email := str(in["invitedUserEmailAddress"])
	redirect := str(in["inviteRedirectUrl"])
	if email == "" || redirect == "" {
		graphErr(w, 400, "BadRequest", "The invitedUserEmailAddress and inviteRedirectUrl properties are required.")
		return
	}
	if !strings.Contains(email, "@") {
		graphErr(w, 400, "BadRequest", "The specified invitedUserEmailAddress is invalid.")
		return
	}
	if _, err := url.ParseRequestURI(redirect); err != nil {
		graphErr(w, 400, "BadRequest", "The specified inviteRedirectUrl is invalid.")
		return
	}
	typ := firstNonEmpty(str(in["invitedUserType"]), "Guest")
	name := firstNonEmpty(str(in["invitedUserDisplayName"]), email)
	upn := strings.ReplaceAll(email, "@", "_") + "#EXT#@" + Domain
	s.mu.Lock()
	u := s.findUser(upn)
	if u == nil {
		u = map[string]any{"id": newGUID(), "displayName": name, "mail": email, "userPrincipalName": upn, "userType": typ,
			"accountEnabled": true, "externalUserState": "PendingAcceptance", "createdDateTime": now(), "otherMails": []any{email}}
		s.users[str(u["id"])] = u
		s.order = append(s.order, str(u["id"]))
	}
	uid := str(u["id"])
	s.mu.Unlock()
	info, _ := in["invitedUserMessageInfo"].(map[string]any)
	if info == nil {
		info = map[string]any{}
	}
	mi := map[string]any{"messageLanguage": firstNonEmpty(str(info["messageLanguage"]), "en-US"),
		"customizedMessageBody": info["customizedMessageBody"], "ccRecipients": nonNil(toAnyList(info["ccRecipients"]))}
	send := true
	if b, ok := in["sendInvitationMessage"].(bool); ok {
		send = b
	}
	out := map[string]any{"@odata.context": s.base() + "/v1.0/$metadata#invitations/$entity", "id": newGUID(),
		"inviteRedeemUrl":        "https://login.microsoftonline.com/redeem?rd=" + url.QueryEscape(redirect) + "&tenant=" + TenantID,
		"invitedUserDisplayName": name, "invitedUserType": typ, "invitedUserEmailAddress": email, "sendInvitationMessage": send,
		"resetRedemption": false, "inviteRedirectUrl": redirect, "status": "PendingAcceptance",
		"invitedUserMessageInfo": mi, "invitedUser": map[string]any{"id": uid}}
	writeJSON(w, 201, out)
	s.notify("users", "created", uid, "#Microsoft.Graph.User")
}

// ---- groups ----

func (s *Server) routeGroups(w http.ResponseWriter, r *http.Request, t *token, seg []string) {
	m, n := r.Method, len(seg)
	read := func() bool {
		return t.need(w, "Group.Read.All", "Group.ReadWrite.All", "Directory.ReadWrite.All", "GroupMember.ReadWrite.All")
	}
	write := func() bool { return t.need(w, "Group.ReadWrite.All", "Directory.ReadWrite.All") }
	member := func() bool {
		return t.need(w, "GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All")
	}
	switch {
	case n == 1 && m == http.MethodGet:
		if read() {
			s.listGroups(w, r)
		}
	case n == 1 && m == http.MethodPost:
		if write() {
			s.createGroup(w, r)
		}
	case n == 2 && seg[1] == "delta()" && m == http.MethodGet:
		if read() {
			s.delta(w, r, "groups")
		}
	case n == 2 && m == http.MethodGet:
		if read() {
			s.mu.Lock()
			g := clone(s.groups[seg[1]])
			s.mu.Unlock()
			if g == nil {
				notFound(w, seg[1])
				return
			}
			g["@odata.context"] = s.base() + "/v1.0/$metadata#groups/$entity"
			writeJSON(w, 200, g)
		}
	case n == 2 && m == http.MethodDelete:
		if write() {
			s.mu.Lock()
			_, ok := s.groups[seg[1]]
			delete(s.groups, seg[1])
			delete(s.members, seg[1])
			delete(s.teams, seg[1])
			s.gorder = slices.DeleteFunc(s.gorder, func(x string) bool { return x == seg[1] })
			s.mu.Unlock()
			if !ok {
				notFound(w, seg[1])
				return
			}
			w.WriteHeader(204)
			s.notify("groups", "deleted", seg[1], "#Microsoft.Graph.Group")
		}
	case n == 3 && seg[2] == "members" && m == http.MethodGet:
		if read() {
			s.mu.Lock()
			_, ok := s.groups[seg[1]]
			var v []any
			for _, id := range s.members[seg[1]] {
				if u := s.users[id]; u != nil {
					x := s.userView(u)
					x["@odata.type"] = "#microsoft.graph.user"
					v = append(v, x)
				}
			}
			s.mu.Unlock()
			if !ok {
				notFound(w, seg[1])
				return
			}
			s.page(w, r, "directoryObjects", v)
		}
	case n == 4 && seg[2] == "members" && seg[3] == "$ref" && m == http.MethodPost:
		if member() {
			s.addMember(w, r, seg[1])
		}
	case n == 5 && seg[2] == "members" && seg[4] == "$ref" && m == http.MethodDelete:
		if member() {
			s.mu.Lock()
			_, ok := s.groups[seg[1]]
			has := slices.Contains(s.members[seg[1]], seg[3])
			if has {
				s.members[seg[1]] = slices.DeleteFunc(s.members[seg[1]], func(x string) bool { return x == seg[3] })
			}
			s.mu.Unlock()
			switch {
			case !ok:
				notFound(w, seg[1])
			case !has:
				notFound(w, seg[3])
			default:
				w.WriteHeader(204)
				s.notify("groups", "updated", seg[1], "#Microsoft.Graph.Group")
			}
		}
	default:
		graphErr(w, http.StatusMethodNotAllowed, "Request_BadRequest", "The HTTP method '"+m+"' is not allowed for this resource.")
	}
}

func (s *Server) listGroups(w http.ResponseWriter, r *http.Request) {
	match, err := parseFilter(r.URL.Query().Get("$filter"))
	if err != nil {
		graphErr(w, 400, "Request_UnsupportedQuery", err.Error())
		return
	}
	s.mu.Lock()
	var all []any
	for _, id := range s.gorder {
		if g := s.groups[id]; match(g) {
			all = append(all, clone(g))
		}
	}
	s.mu.Unlock()
	s.page(w, r, "groups", all)
}

func (s *Server) createGroup(w http.ResponseWriter, r *http.Request) {
	var in map[string]any
	if !readBody(w, r, &in) {
		return
	}
	for _, k := range []string{"displayName", "mailEnabled", "mailNickname", "securityEnabled"} {
		if in[k] == nil {
			graphErr(w, 400, "Request_BadRequest", "A value is required for property '"+k+"' of resource 'Group'.")
			return
		}
	}
	g := map[string]any{"id": newGUID(), "displayName": in["displayName"], "description": in["description"], "mailEnabled": in["mailEnabled"],
		"mailNickname": in["mailNickname"], "securityEnabled": in["securityEnabled"], "groupTypes": nonNil(toAnyList(in["groupTypes"])),
		"createdDateTime": now(), "visibility": in["visibility"], "proxyAddresses": []any{}, "mail": nil}
	if b, _ := in["mailEnabled"].(bool); b {
		g["mail"] = str(in["mailNickname"]) + "@" + Domain
		g["proxyAddresses"] = []any{"SMTP:" + str(g["mail"])}
	}
	s.mu.Lock()
	s.groups[str(g["id"])] = g
	s.gorder = append(s.gorder, str(g["id"]))
	s.mu.Unlock()
	out := clone(g)
	out["@odata.context"] = s.base() + "/v1.0/$metadata#groups/$entity"
	writeJSON(w, 201, out)
	s.notify("groups", "created", str(g["id"]), "#Microsoft.Graph.Group")
}

func (s *Server) addMember(w http.ResponseWriter, r *http.Request, gid string) {
	var in map[string]any
	if !readBody(w, r, &in) {
		return
	}
	ref := str(in["@odata.id"])
	if ref == "" {
		graphErr(w, 400, "Request_BadRequest", "Invalid object identifier ''.")
		return
	}
	id := ref[strings.LastIndex(ref, "/")+1:]
	id = strings.TrimSuffix(strings.TrimPrefix(id, "directoryObjects('"), "')")
	s.mu.Lock()
	_, gok := s.groups[gid]
	_, uok := s.users[id]
	dup := slices.Contains(s.members[gid], id)
	if gok && uok && !dup {
		s.members[gid] = append(s.members[gid], id)
	}
	s.mu.Unlock()
	switch {
	case !gok:
		notFound(w, gid)
	case !uok:
		notFound(w, id)
	case dup:
		graphErr(w, 400, "Request_BadRequest", "One or more added object references already exist for the following modified properties: 'members'.")
	default:
		w.WriteHeader(204)
		s.notify("groups", "updated", gid, "#Microsoft.Graph.Group")
	}
}

// ---- delta queries ----

type changeRec struct {
	seq     int
	res, id string
	change  string
}

// delta serves GET /users/delta() and /groups/delta(): without a
// $deltatoken the whole collection (paged with @odata.nextLink) and, on
// the last page, an @odata.deltaLink; with one, the objects changed since
// that link was given (deleted ones as {"id", "@removed"}), and a new
// deltaLink.
func (s *Server) delta(w http.ResponseWriter, r *http.Request, res string) {
	q := r.URL.Query()
	s.mu.Lock()
	seq := len(s.changes)
	var items []any
	view := func(id string) map[string]any {
		if res == "users" {
			if u := s.users[id]; u != nil {
				return selectProps(s.userView(u), q.Get("$select"))
			}
			return nil
		}
		if g := s.groups[id]; g != nil {
			return clone(g)
		}
		return nil
	}
	if tok := q.Get("$deltatoken"); tok != "" {
		from, err := strconv.Atoi(tok)
		if err != nil || from < 0 || from > seq {
			s.mu.Unlock()
			graphErr(w, 400, "Request_BadRequest", "The specified delta token is invalid or has expired.")
			return
		}
		done := map[string]bool{}
		for i := len(s.changes) - 1; i >= from; i-- { // newest state once per object
			c := s.changes[i]
			if c.res != res || done[c.id] {
				continue
			}
			done[c.id] = true
			if v := view(c.id); v != nil {
				items = append(items, v)
			} else {
				items = append(items, map[string]any{"id": c.id, "@removed": map[string]any{"reason": "changed"}})
			}
		}
		slices.Reverse(items)
		s.mu.Unlock()
		writeJSON(w, 200, map[string]any{"@odata.context": s.base() + "/v1.0/$metadata#" + res,
			"@odata.deltaLink": s.base() + "/v1.0/" + res + "/delta()?$deltatoken=" + strconv.Itoa(seq), "value": nonNil(items)})
		return
	}
	order := s.order
	if res == "groups" {
		order = s.gorder
	}
	for _, id := range order {
		if v := view(id); v != nil {
			items = append(items, v)
		}
	}
	s.mu.Unlock()
	// page like any list; the last page carries the delta link
	rec := &pageRecorder{header: http.Header{}}
	s.page(rec, r, res, items)
	var body map[string]any
	_ = json.Unmarshal(rec.body.Bytes(), &body)
	if rec.status == 200 && body["@odata.nextLink"] == nil {
		body["@odata.deltaLink"] = s.base() + "/v1.0/" + res + "/delta()?$deltatoken=" + strconv.Itoa(seq)
	}
	writeJSON(w, rec.status, body)
}

// pageRecorder captures what page writes.
type pageRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (p *pageRecorder) Header() http.Header         { return p.header }
func (p *pageRecorder) Write(b []byte) (int, error) { return p.body.Write(b) }
func (p *pageRecorder) WriteHeader(st int)          { p.status = st }

// ---- teams ----

func (s *Server) routeTeams(w http.ResponseWriter, r *http.Request, t *token, seg []string) {
	m, n := r.Method, len(seg)
	s.mu.Lock()
	tm := s.teams[seg[1]]
	s.mu.Unlock()
	if tm == nil {
		graphErr(w, 404, "NotFound", "No team found with Group Id "+seg[1])
		return
	}
	switch {
	case n == 3 && seg[2] == "members" && m == http.MethodGet:
		if t.need(w, "TeamMember.Read.All", "TeamMember.ReadWrite.All") {
			s.mu.Lock()
			v := make([]any, len(tm.members))
			for i, x := range tm.members {
				v[i] = clone(x)
			}
			s.mu.Unlock()
			s.page(w, r, "teams('"+seg[1]+"')/members", v)
		}
	case n == 3 && seg[2] == "members" && m == http.MethodPost:
		if t.need(w, "TeamMember.ReadWrite.All") {
			s.addTeamMember(w, r, seg[1], tm)
		}
	case n == 4 && seg[2] == "members" && m == http.MethodDelete:
		if t.need(w, "TeamMember.ReadWrite.All") {
			s.mu.Lock()
			i := slices.IndexFunc(tm.members, func(x map[string]any) bool { return x["id"] == seg[3] })
			if i >= 0 {
				uid := str(tm.members[i]["userId"])
				tm.members = slices.Delete(tm.members, i, i+1)
				s.members[seg[1]] = slices.DeleteFunc(s.members[seg[1]], func(x string) bool { return x == uid })
			}
			s.mu.Unlock()
			if i < 0 {
				graphErr(w, 404, "NotFound", "Member "+seg[3]+" not found in team "+seg[1])
				return
			}
			w.WriteHeader(204)
		}
	case n == 3 && seg[2] == "channels" && m == http.MethodGet:
		if t.need(w, "Channel.ReadBasic.All", "ChannelMessage.Read.All") {
			s.mu.Lock()
			v := make([]any, len(tm.channels))
			for i, x := range tm.channels {
				v[i] = clone(x)
			}
			s.mu.Unlock()
			s.page(w, r, "teams('"+seg[1]+"')/channels", v)
		}
	case n >= 5 && seg[2] == "channels" && seg[4] == "members":
		s.channelMembers(w, r, t, seg, tm)
	case n == 5 && seg[2] == "channels" && seg[4] == "messages":
		s.mu.Lock()
		ok := slices.ContainsFunc(tm.channels, func(c map[string]any) bool { return c["id"] == seg[3] })
		s.mu.Unlock()
		if !ok {
			graphErr(w, 404, "NotFound", "Channel "+seg[3]+" not found in team "+seg[1])
			return
		}
		switch m {
		case http.MethodGet:
			if t.need(w, "ChannelMessage.Read.All") {
				s.mu.Lock()
				ms := tm.messages[seg[3]]
				v := make([]any, len(ms))
				for i := range ms {
					v[len(ms)-1-i] = clone(ms[i]) // newest first, as Graph
				}
				s.mu.Unlock()
				s.page(w, r, "teams('"+seg[1]+"')/channels('"+seg[3]+"')/messages", v)
			}
		case http.MethodPost:
			if t.need(w, "ChannelMessage.Send") {
				s.postMessage(w, r, t, seg[1], seg[3], tm)
			}
		default:
			graphErr(w, 405, "BadRequest", "Method not allowed.")
		}
	default:
		graphErr(w, http.StatusMethodNotAllowed, "BadRequest", "The HTTP method '"+m+"' is not allowed for this resource.")
	}
}

// channelMembers serves /teams/{id}/channels/{id}/members[/{membership-id}]:
// a standard channel lists the team's members and refuses changes, as
// Graph does; a private channel keeps its own members, who must belong to
// the team.
func (s *Server) channelMembers(w http.ResponseWriter, r *http.Request, t *token, seg []string, tm *team) {
	tid, cid := seg[1], seg[3]
	s.mu.Lock()
	i := slices.IndexFunc(tm.channels, func(c map[string]any) bool { return c["id"] == cid })
	var private bool
	if i >= 0 {
		private = tm.channels[i]["membershipType"] == "private"
	}
	s.mu.Unlock()
	if i < 0 {
		graphErr(w, 404, "NotFound", "Channel "+cid+" not found in team "+tid)
		return
	}
	switch {
	case len(seg) == 5 && r.Method == http.MethodGet:
		if !t.need(w, "ChannelMember.Read.All", "ChannelMember.ReadWrite.All", "TeamMember.ReadWrite.All") {
			return
		}
		s.mu.Lock()
		src := tm.members
		if private {
			src = tm.chMembers[cid]
		}
		v := make([]any, len(src))
		for i, x := range src {
			v[i] = clone(x)
		}
		s.mu.Unlock()
		s.page(w, r, "teams('"+tid+"')/channels('"+cid+"')/members", v)
	case len(seg) == 5 && r.Method == http.MethodPost:
		if !t.need(w, "ChannelMember.ReadWrite.All") {
			return
		}
		if !private {
			graphErr(w, 400, "BadRequest", "Members can only be added to private or shared channels; a standard channel has the team's members.")
			return
		}
		var in map[string]any
		if !readBody(w, r, &in) {
			return
		}
		bind := str(in["user@odata.bind"])
		key := strings.TrimSuffix(strings.TrimPrefix(bind[strings.LastIndex(bind, "/")+1:], "users('"), "')")
		s.mu.Lock()
		u := s.findUser(key)
		var out map[string]any
		var code int
		var msg string
		switch {
		case u == nil:
			code, msg = 404, ""
		case !slices.ContainsFunc(tm.members, func(x map[string]any) bool { return x["userId"] == u["id"] }):
			code, msg = 400, "User "+str(u["id"])+" must be a member of the team before joining its private channel."
		case slices.ContainsFunc(tm.chMembers[cid], func(x map[string]any) bool { return x["userId"] == u["id"] }):
			code, msg = 409, "User "+str(u["id"])+" is already a member of the channel."
		default:
			mem := map[string]any{"@odata.type": "#microsoft.graph.aadUserConversationMember", "id": membershipID(cid, str(u["id"])),
				"roles": toAny(anyStrings(in["roles"])), "displayName": u["displayName"], "userId": u["id"], "email": u["mail"], "tenantId": TenantID,
				"visibleHistoryStartDateTime": "0001-01-01T00:00:00Z"}
			tm.chMembers[cid] = append(tm.chMembers[cid], mem)
			out = clone(mem)
		}
		s.mu.Unlock()
		switch {
		case code == 404:
			notFound(w, key)
		case code != 0:
			graphErr(w, code, map[int]string{400: "BadRequest", 409: "Conflict"}[code], msg)
		default:
			out["@odata.context"] = s.base() + "/v1.0/$metadata#teams('" + tid + "')/channels('" + cid + "')/members/$entity"
			writeJSON(w, 201, out)
		}
	case len(seg) == 6 && r.Method == http.MethodDelete:
		if !t.need(w, "ChannelMember.ReadWrite.All") {
			return
		}
		if !private {
			graphErr(w, 400, "BadRequest", "Members can only be removed from private or shared channels.")
			return
		}
		s.mu.Lock()
		j := slices.IndexFunc(tm.chMembers[cid], func(x map[string]any) bool { return x["id"] == seg[5] })
		if j >= 0 {
			tm.chMembers[cid] = slices.Delete(tm.chMembers[cid], j, j+1)
		}
		s.mu.Unlock()
		if j < 0 {
			graphErr(w, 404, "NotFound", "Member "+seg[5]+" not found in channel "+cid)
			return
		}
		w.WriteHeader(204)
	default:
		graphErr(w, 405, "BadRequest", "Method not allowed.")
	}
}

func (s *Server) addTeamMember(w http.ResponseWriter, r *http.Request, tid string, tm *team) {
	var in map[string]any
	if !readBody(w, r, &in) {
		return
	}
	if str(in["@odata.type"]) != "#microsoft.graph.aadUserConversationMember" {
		graphErr(w, 400, "BadRequest", "The @odata.type must be #microsoft.graph.aadUserConversationMember.")
		return
	}
	bind := str(in["user@odata.bind"])
	key := bind[strings.LastIndex(bind, "/")+1:]
	key = strings.TrimSuffix(strings.TrimPrefix(key, "users('"), "')")
	roles := anyStrings(in["roles"])
	s.mu.Lock()
	u := s.findUser(key)
	if u == nil {
		s.mu.Unlock()
		notFound(w, key)
		return
	}
	uid := str(u["id"])
	if slices.ContainsFunc(tm.members, func(x map[string]any) bool { return x["userId"] == uid }) {
		s.mu.Unlock()
		graphErr(w, 409, "Conflict", "User "+uid+" is already a member of the team.")
		return
	}
	mem := map[string]any{"@odata.type": "#microsoft.graph.aadUserConversationMember", "id": membershipID(tid, uid),
		"roles": toAny(roles), "displayName": u["displayName"], "userId": uid, "email": u["mail"], "tenantId": TenantID,
		"visibleHistoryStartDateTime": "0001-01-01T00:00:00Z"}
	tm.members = append(tm.members, mem)
	if !slices.Contains(s.members[tid], uid) {
		s.members[tid] = append(s.members[tid], uid)
	}
	out := clone(mem)
	s.mu.Unlock()
	out["@odata.context"] = s.base() + "/v1.0/$metadata#teams('" + tid + "')/members/$entity"
	writeJSON(w, 201, out)
	s.notify("groups", "updated", tid, "#Microsoft.Graph.Group")
}

func membershipID(tid, uid string) string {
	return base64.StdEncoding.EncodeToString([]byte("0-" + tid + "##" + uid))
}

func (s *Server) postMessage(w http.ResponseWriter, r *http.Request, t *token, tid, cid string, tm *team) {
	var in map[string]any
	if !readBody(w, r, &in) {
		return
	}
	body, _ := in["body"].(map[string]any)
	if body == nil || str(body["content"]) == "" {
		graphErr(w, 400, "BadRequest", "Message body cannot be empty.")
		return
	}
	ct := firstNonEmpty(strings.ToLower(str(body["contentType"])), "text")
	if ct != "text" && ct != "html" {
		graphErr(w, 400, "BadRequest", "Invalid contentType '"+str(body["contentType"])+"'.")
		return
	}
	id := strconv.FormatInt(time.Now().UnixMilli(), 10)
	from := map[string]any{"application": map[string]any{"id": ClientID, "displayName": "Flowbench", "applicationIdentityType": "aadApplication"}, "user": nil, "device": nil}
	msg := map[string]any{"id": id, "replyToId": nil, "etag": id, "messageType": "message", "createdDateTime": now(),
		"lastModifiedDateTime": now(), "deletedDateTime": nil, "subject": in["subject"], "summary": nil, "importance": firstNonEmpty(str(in["importance"]), "normal"),
		"locale": "en-us", "webUrl": "https://teams.microsoft.com/l/message/" + cid + "/" + id, "from": from,
		"body": map[string]any{"contentType": ct, "content": body["content"]}, "channelIdentity": map[string]any{"teamId": tid, "channelId": cid},
		"attachments": []any{}, "mentions": []any{}, "reactions": []any{}}
	s.mu.Lock()
	tm.messages[cid] = append(tm.messages[cid], msg)
	out := clone(msg)
	s.mu.Unlock()
	out["@odata.context"] = s.base() + "/v1.0/$metadata#teams('" + tid + "')/channels('" + cid + "')/messages/$entity"
	writeJSON(w, 201, out)
}

// postChatMessage sends a message in a chat: delegated only (Graph allows
// application permissions here only for migration imports).
func (s *Server) postChatMessage(w http.ResponseWriter, r *http.Request, t *token, chatID string) {
	if t.app {
		graphErr(w, 403, "Forbidden", "Message POST is allowed in application-only context only for import purposes.")
		return
	}
	if !t.need(w, "ChatMessage.Send") {
		return
	}
	var in map[string]any
	if !readBody(w, r, &in) {
		return
	}
	body, _ := in["body"].(map[string]any)
	if body == nil || str(body["content"]) == "" {
		graphErr(w, 400, "BadRequest", "Message body cannot be empty.")
		return
	}
	s.mu.Lock()
	c := s.chats[chatID]
	if c == nil {
		s.mu.Unlock()
		graphErr(w, 404, "NotFound", "Chat "+chatID+" not found.")
		return
	}
	me := s.findUser(SignedInUser)
	id := strconv.FormatInt(time.Now().UnixNano()/1e6, 10)
	msg := map[string]any{"id": id, "replyToId": nil, "etag": id, "messageType": "message", "createdDateTime": now(),
		"lastModifiedDateTime": now(), "deletedDateTime": nil, "subject": nil, "summary": nil, "importance": "normal", "locale": "en-us",
		"webUrl": nil, "chatId": chatID, "from": map[string]any{"application": nil, "device": nil,
			"user": map[string]any{"id": me["id"], "displayName": me["displayName"], "userIdentityType": "aadUser"}},
		"body":        map[string]any{"contentType": firstNonEmpty(strings.ToLower(str(body["contentType"])), "text"), "content": body["content"]},
		"attachments": []any{}, "mentions": []any{}, "reactions": []any{}}
	c.messages = append(c.messages, msg)
	out := clone(msg)
	s.mu.Unlock()
	out["@odata.context"] = s.base() + "/v1.0/$metadata#chats('" + chatID + "')/messages/$entity"
	writeJSON(w, 201, out)
}

// ChatMessages lists the messages of a chat.
func (s *Server) ChatMessages(chatID string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.chats[chatID]; c != nil {
		return slices.Clone(c.messages)
	}
	return nil
}

type chat struct {
	members  []string
	messages []map[string]any
}

// ---- change notifications ----

// writeSubscription answers one subscription (a copy), or 404 when !ok.
func (s *Server) writeSubscription(w http.ResponseWriter, sub map[string]any, ok bool) {
	if !ok {
		graphErr(w, 404, "ResourceNotFound", "The object was not found.")
		return
	}
	sub["@odata.context"] = s.base() + "/v1.0/$metadata#subscriptions/$entity"
	writeJSON(w, 200, sub)
}

func (s *Server) routeSubs(w http.ResponseWriter, r *http.Request, seg []string) {
	switch {
	case len(seg) == 1 && r.Method == http.MethodPost:
		s.subscribe(w, r)
	case len(seg) == 1 && r.Method == http.MethodGet:
		s.mu.Lock()
		var v []any
		for _, x := range s.subs {
			v = append(v, clone(x))
		}
		s.mu.Unlock()
		sort.Slice(v, func(i, j int) bool { return str(v[i].(map[string]any)["id"]) < str(v[j].(map[string]any)["id"]) })
		writeJSON(w, 200, map[string]any{"@odata.context": s.base() + "/v1.0/$metadata#subscriptions", "value": nonNil(v)})
	case len(seg) == 2 && r.Method == http.MethodGet:
		s.mu.Lock()
		sub, ok := s.subs[seg[1]]
		if ok {
			sub = clone(sub)
		}
		s.mu.Unlock()
		s.writeSubscription(w, sub, ok)
	case len(seg) == 2 && r.Method == http.MethodPatch:
		// renewal: only expirationDateTime (and notificationUrl) change
		var in map[string]any
		if !readBody(w, r, &in) {
			return
		}
		s.mu.Lock()
		sub, ok := s.subs[seg[1]]
		if ok {
			if v := str(in["expirationDateTime"]); v != "" {
				sub["expirationDateTime"] = v
			}
			if v := str(in["notificationUrl"]); v != "" {
				sub["notificationUrl"] = v
			}
			sub = clone(sub)
		}
		s.mu.Unlock()
		s.writeSubscription(w, sub, ok)
	case len(seg) == 2 && r.Method == http.MethodDelete:
		s.mu.Lock()
		_, ok := s.subs[seg[1]]
		delete(s.subs, seg[1])
		s.mu.Unlock()
		if !ok {
			graphErr(w, 404, "ResourceNotFound", "The object was not found.")
			return
		}
		w.WriteHeader(204)
	default:
		graphErr(w, 405, "BadRequest", "Method not allowed.")
	}
}

func (s *Server) subscribe(w http.ResponseWriter, r *http.Request) {
	var in map[string]any
	if !readBody(w, r, &in) {
		return
	}
	res := strings.Trim(str(in["resource"]), "/")
	nurl := str(in["notificationUrl"])
	ct := str(in["changeType"])
	if res != "users" && res != "groups" {
		graphErr(w, 400, "InvalidRequest", "Resource '"+res+"' is not supported by the fake tenant (users, groups).")
		return
	}
	if ct == "" || str(in["expirationDateTime"]) == "" {
		graphErr(w, 400, "InvalidRequest", "changeType and expirationDateTime are required.")
		return
	}
	if cs := str(in["clientState"]); len(cs) > 128 {
		graphErr(w, 400, "InvalidRequest", "clientState must be at most 128 characters.")
		return
	}
	// the validation handshake: Graph POSTs ?validationToken=… and expects
	// the token back as text/plain within 10 seconds
	vt := "Validation: Testing client application reachability for subscription Request-Id: " + newGUID()
	u, err := url.Parse(nurl)
	if err != nil || u.Scheme == "" {
		graphErr(w, 400, "InvalidRequest", "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.")
		return
	}
	q := u.Query()
	q.Set("validationToken", vt)
	u.RawQuery = q.Encode()
	hc := s.client()
	req, _ := http.NewRequestWithContext(r.Context(), http.MethodPost, u.String(), nil)
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := hc.Do(req)
	if err != nil {
		graphErr(w, 400, "InvalidRequest", "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.")
		return
	}
	got, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	if resp.StatusCode != 200 || string(got) != vt {
		graphErr(w, 400, "InvalidRequest", "Subscription validation request failed. Response must exactly match validationToken query parameter.")
		return
	}
	sub := map[string]any{"id": newGUID(), "resource": res, "changeType": ct, "notificationUrl": nurl, "clientState": in["clientState"],
		"expirationDateTime": in["expirationDateTime"], "applicationId": ClientID, "creatorId": ClientID,
		"latestSupportedTlsVersion": "v1_2", "notificationQueryOptions": nil, "lifecycleNotificationUrl": nil,
		"includeResourceData": false, "encryptionCertificate": nil, "encryptionCertificateId": nil, "notificationUrlAppId": nil}
	s.mu.Lock()
	s.subs[str(sub["id"])] = sub
	s.mu.Unlock()
	out := clone(sub)
	out["@odata.context"] = s.base() + "/v1.0/$metadata#subscriptions/$entity"
	writeJSON(w, 201, out)
}

func (s *Server) client() *http.Client {
	if s.cfg.Client != nil {
		return s.cfg.Client
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// notify sends a change notification to every subscription on the
// resource collection whose changeType includes change (in the background,
// as Graph does, after the change is made).
func (s *Server) notify(res, change, id, odataType string) {
	s.mu.Lock()
	s.changes = append(s.changes, changeRec{seq: len(s.changes) + 1, res: res, id: id, change: change})
	var targets []map[string]any
	for _, sub := range s.subs {
		if sub["resource"] == res && slices.Contains(strings.Split(str(sub["changeType"]), ","), change) {
			targets = append(targets, clone(sub))
		}
	}
	s.mu.Unlock()
	for _, sub := range targets {
		path := strings.ToUpper(res[:1]) + res[1:] + "/" + id
		body := map[string]any{"value": []any{map[string]any{
			"subscriptionId": sub["id"], "subscriptionExpirationDateTime": sub["expirationDateTime"], "clientState": sub["clientState"],
			"changeType": change, "resource": path, "tenantId": TenantID,
			"resourceData": map[string]any{"@odata.type": odataType, "@odata.id": path, "id": id, "organizationId": TenantID},
		}}}
		b, _ := json.Marshal(body)
		go func(u string) {
			// Graph retries a failed delivery with exponential back-off
			for try, wait := 0, 500*time.Millisecond; try < 6; try, wait = try+1, wait*2 {
				resp, err := s.client().Post(u, "application/json", bytes.NewReader(b))
				if err == nil {
					resp.Body.Close()
					if resp.StatusCode/100 == 2 {
						s.notified.Add(1)
						return
					}
					if resp.StatusCode/100 == 4 && resp.StatusCode != http.StatusTooManyRequests {
						return // refused (wrong client state, no listener): not retried
					}
				}
				time.Sleep(wait)
			}
		}(str(sub["notificationUrl"]))
	}
}

// ---- identity platform ----

func (s *Server) serveIdentity(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) != 4 || parts[1] != "oauth2" || parts[2] != "v2.0" {
		oauthErr(w, 404, "invalid_request", "AADSTS90002: Tenant not found.")
		return
	}
	tenant := parts[0]
	if tenant != TenantID && tenant != Domain && tenant != "common" && tenant != "organizations" {
		oauthErr(w, 400, "invalid_request", "AADSTS90002: Tenant '"+tenant+"' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.")
		return
	}
	switch parts[3] {
	case "token":
		if r.Method != http.MethodPost {
			oauthErr(w, 405, "invalid_request", "AADSTS900561: The endpoint only accepts POST requests.")
			return
		}
		s.tokenEndpoint(w, r, tenant)
	case "authorize":
		s.authorize(w, r)
	default:
		oauthErr(w, 404, "invalid_request", "AADSTS90002: not found.")
	}
}

func (s *Server) tokenEndpoint(w http.ResponseWriter, r *http.Request, tenant string) {
	if err := r.ParseForm(); err != nil {
		oauthErr(w, 400, "invalid_request", "AADSTS900144: The request body must contain the following parameter: 'grant_type'.")
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != ClientID {
		oauthErr(w, 400, "unauthorized_client", "AADSTS700016: Application with identifier '"+id+"' was not found in the directory '"+tenant+"'.")
		return
	}
	grant := r.PostForm.Get("grant_type")
	switch grant {
	case "client_credentials":
		s.mu.Lock()
		revoked := s.secretRevoked
		s.mu.Unlock()
		if secret != ClientSecret || revoked {
			oauthErr(w, 401, "invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.")
			return
		}
		scope := r.PostForm.Get("scope")
		if !strings.HasSuffix(scope, "/.default") {
			oauthErr(w, 400, "invalid_scope", "AADSTS1002012: The provided value for scope "+scope+" is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")
			return
		}
		s.mu.Lock()
		tok := s.issue(true, slices.Clone(s.cfg.Roles), nil)
		s.mu.Unlock()
		writeJSON(w, 200, map[string]any{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": tok})
	case "authorization_code":
		code := r.PostForm.Get("code")
		s.mu.Lock()
		c, ok := s.codes[code]
		delete(s.codes, code)
		s.mu.Unlock()
		if !ok {
			oauthErr(w, 400, "invalid_grant", "AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.")
			return
		}
		if c.challenge != "" {
			sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
			if base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge {
				oauthErr(w, 400, "invalid_grant", "AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.")
				return
			}
		} else if secret != ClientSecret {
			oauthErr(w, 401, "invalid_client", "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
			return
		}
		s.delegated(w, strings.Fields(c.scope))
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		s.mu.Lock()
		sc, ok := s.refresh[rt]
		delete(s.refresh, rt) // rotated
		s.mu.Unlock()
		if !ok {
			oauthErr(w, 400, "invalid_grant", "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.")
			return
		}
		s.delegated(w, sc)
	default:
		oauthErr(w, 400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type '"+grant+"'.")
	}
}

func (s *Server) delegated(w http.ResponseWriter, scopes []string) {
	var granted []string
	for _, sc := range scopes {
		sc = strings.TrimPrefix(sc, "https://graph.microsoft.com/")
		if sc == "offline_access" || sc == "openid" || sc == "profile" || sc == ".default" {
			if sc == ".default" {
				granted = append(granted, AllRoles...)
			}
			continue
		}
		granted = append(granted, sc)
	}
	s.mu.Lock()
	tok := s.issue(false, nil, granted)
	rt := "0.ARfake." + randHex(24)
	s.refresh[rt] = scopes
	s.mu.Unlock()
	writeJSON(w, 200, map[string]any{"token_type": "Bearer", "scope": strings.Join(granted, " "), "expires_in": 3599,
		"ext_expires_in": 3599, "access_token": tok, "refresh_token": rt})
}

// authorize consents at once (the fake has one signed-in admin) and
// redirects back with a code.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect := q.Get("redirect_uri")
	ru, err := url.Parse(redirect)
	if err != nil || ru.Scheme == "" || q.Get("client_id") != ClientID {
		oauthErr(w, 400, "invalid_request", "AADSTS50011: The redirect URI or client id does not match the app registration.")
		return
	}
	if q.Get("response_type") != "code" {
		oauthErr(w, 400, "unsupported_response_type", "AADSTS70005: response_type 'code' is required.")
		return
	}
	code := "0.AScode." + randHex(20)
	s.mu.Lock()
	s.codes[code] = authCode{challenge: q.Get("code_challenge"), method: q.Get("code_challenge_method"), redirect: redirect, scope: q.Get("scope")}
	s.mu.Unlock()
	rq := ru.Query()
	rq.Set("code", code)
	rq.Set("state", q.Get("state"))
	ru.RawQuery = rq.Encode()
	http.Redirect(w, r, ru.String(), http.StatusFound)
}

// issue makes an access token (caller holds s.mu).
func (s *Server) issue(app bool, roles, scopes []string) string {
	// an opaque token shaped like a JWT (three dot-separated parts)
	claims, _ := json.Marshal(map[string]any{"aud": "https://graph.microsoft.com", "tid": TenantID, "appid": ClientID, "roles": roles, "scp": strings.Join(scopes, " ")})
	tok := "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString(claims) + "." + randHex(16)
	s.tokens[tok] = &token{app: app, roles: roles, scopes: scopes, expires: time.Now().Add(time.Hour)}
	return tok
}

// ---- helpers ----

// selectProps keeps the properties $select names (and id), as Graph does.
func selectProps(v map[string]any, sel string) map[string]any {
	if strings.TrimSpace(sel) == "" {
		return v
	}
	out := map[string]any{"id": v["id"]}
	for _, k := range strings.Split(sel, ",") {
		k = strings.TrimSpace(k)
		if x, ok := v[k]; ok {
			out[k] = x
		} else if slices.Contains(userProps, k) || k == "assignedLicenses" || k == "assignedPlans" || k == "createdDateTime" {
			out[k] = nil
		}
	}
	return out
}

func graphErr(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg,
		"innerError": map[string]any{"date": time.Now().UTC().Format("2006-01-02T15:04:05"), "request-id": w.Header().Get("request-id"),
			"client-request-id": w.Header().Get("client-request-id")}}})
}

func notFound(w http.ResponseWriter, key string) {
	graphErr(w, 404, "Request_ResourceNotFound", "Resource '"+key+"' does not exist or one of its queried reference-property objects are not present.")
}

func oauthErr(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]any{"error": code, "error_description": desc, "error_codes": []int{},
		"timestamp": time.Now().UTC().Format("2006-01-02 15:04:05Z"), "trace_id": newGUID(), "correlation_id": newGUID()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func readBody(w http.ResponseWriter, r *http.Request, v any) bool {
	b, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		graphErr(w, 400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
		return false
	}
	return true
}

func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func now() string { return time.Now().UTC().Format("2006-01-02T15:04:05Z") }

func str(v any) string {
	s, _ := v.(string)
	return s
}

func num(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	}
	return 0
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

func anyStrings(v any) []string {
	var out []string
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	case []string:
		out = append(out, x...)
	}
	return out
}

func toAny(v []string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = s
	}
	return out
}

func toAnyList(v any) []any {
	l, _ := v.([]any)
	return l
}

func getPath(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func clone(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	b, _ := json.Marshal(m)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}
