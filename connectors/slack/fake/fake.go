// Package fake is a local Slack workspace: a real HTTP server speaking the
// Slack Web API (https://slack.com/api/METHOD: form, query or JSON
// parameters, Bearer tokens, {"ok":false,"error":CODE} answers, per-method
// rate-limit tiers with Retry-After) and Slack's SCIM API
// (/scim/v1/Users), seeded with the people of the Okta sandbox tenant.
// Its requests and responses are checked against Slack's OpenAPI
// description in connectors/slack (testdata/README.md).
package fake

import (
	"encoding/json"
	"fmt"
	"github.com/flowbench/flowbench/connectors/fakeapi"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// Well-known tokens of the fake workspace.
const (
	// BotToken is the app's bot token (every scope the cards use).
	BotToken = "xoxb-000000000001-flowbench-sandbox-bot"
	// AdminToken is an admin user token (SCIM and admin methods).
	AdminToken = "xoxp-000000000002-flowbench-sandbox-admin"
	// RevokedToken was revoked: every call answers token_revoked.
	RevokedToken = "xoxb-000000000003-flowbench-revoked"
	// NarrowToken lacks chat:write and users:read.email.
	NarrowToken = "xoxb-000000000004-flowbench-narrow"
	// SigningSecret signs the Events API deliveries the fake sends.
	SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5"
)

// BotScopes are the scopes of BotToken.
var BotScopes = []string{"channels:history", "channels:join", "channels:manage", "channels:read", "chat:write", "chat:write.customize",
	"chat:write.public", "groups:history", "groups:read", "groups:write", "im:read", "im:write", "im:history", "mpim:write",
	"users:read", "users:read.email", "users:write", "team:read"}

// Config tunes a fake.
type Config struct {
	// NoRateLimit turns the method tiers off (benchmarks).
	NoRateLimit bool
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// User is a Slack user.
type User struct {
	ID, Name, RealName, First, Last, Email, Title string
	Deleted, Admin, Bot                           bool
}

// Channel is a conversation.
type Channel struct {
	ID, Name, Creator, Topic, Purpose string
	Private, Archived, IM             bool
	Created                           int64
	Members                           []string
	Messages                          []map[string]any
}

type token struct {
	user    string
	scopes  []string
	revoked bool
	bot     bool
}

// Server is a fake Slack workspace.
type Server struct {
	faults *fakeapi.Faults
	cfg    Config

	mu       sync.Mutex
	team     map[string]any
	users    []*User
	channels []*Channel
	tokens   map[string]*token
	views    map[string]map[string]any
	seq      int
	lastTS   float64
	rate     map[string]*window
	// Hooks get every Events API envelope (tests).
	Hooks     []func(envelope map[string]any)
	handler   http.Handler
	eventURL  string
	delivered int
	grants    map[string]grant
	refresh   map[string]bool
}

type window struct {
	start time.Time
	n     int
}

var people = [][3]string{
	{"Sandbox", "Admin", "Super Administrator"}, {"Alice", "Nguyen", "Staff Software Engineer"}, {"Bob", "Martinez", "Account Executive"},
	{"Carol", "Okafor", "Controller"}, {"David", "Kim", "Engineering Manager"}, {"Emma", "Schmidt", "Product Marketing Manager"},
	{"Farah", "Haddad", "HR Business Partner"}, {"George", "Papadopoulos", "Systems Administrator"}, {"Hannah", "Johansson", "Support Engineer"},
	{"Ibrahim", "Diallo", "Site Reliability Engineer"}, {"Julia", "Rossi", "Sales Director"}, {"Kenji", "Tanaka", "Software Engineer"},
	{"Laura", "Fernandez", "Corporate Counsel"}, {"Nina", "Petrova", "Growth Marketer"}, {"Oliver", "Brown", "Support Team Lead"},
	{"Priya", "Patel", "Principal Engineer"}, {"Quentin", "Dubois", "IT Manager"}, {"Zoe", "Williams", "CISO"},
}

// New builds a seeded workspace.
func New(cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, tokens: map[string]*token{}, views: map[string]map[string]any{}, rate: map[string]*window{},
		grants: map[string]grant{}, refresh: map[string]bool{}}
	s.team = map[string]any{"id": "T0FLOWBNCH", "name": "Flowbench Sandbox", "domain": "flowbench-sandbox", "email_domain": "example.com"}
	for i, p := range people {
		login := strings.ToLower(p[0] + "." + p[1])
		if i == 0 {
			login = "sandbox.admin"
		}
		s.users = append(s.users, &User{ID: fmt.Sprintf("U0FB%06d", i+1), Name: login, RealName: p[0] + " " + p[1], First: p[0], Last: p[1],
			Email: login + "@example.com", Title: p[2], Admin: i == 0 || p[2] == "IT Manager"})
	}
	s.users = append(s.users, &User{ID: "U0FBBOT001", Name: "flowbench", RealName: "Flowbench", Bot: true})
	all := func() []string {
		var ids []string
		for _, u := range s.users {
			ids = append(ids, u.ID)
		}
		return ids
	}
	created := time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC).Unix()
	s.channels = []*Channel{
		{ID: "C0FBGENERAL", Name: "general", Purpose: "Company-wide announcements", Members: all()},
		{ID: "C0FBRANDOM1", Name: "random", Purpose: "Everything else", Members: all()},
		{ID: "C0FBITOPS01", Name: "it-ops", Purpose: "IT operations and identity admin", Members: []string{"U0FB000001", "U0FB000008", "U0FB000017", "U0FBBOT001"}},
		{ID: "C0FBNEWHIRE", Name: "new-hires", Purpose: "Welcome!", Members: []string{"U0FB000001", "U0FB000007", "U0FBBOT001"}},
		{ID: "G0FBSECALRT", Name: "security-alerts", Private: true, Purpose: "Okta security events", Members: []string{"U0FB000001", "U0FB000018", "U0FBBOT001"}},
		{ID: "C0FBOLDPROJ", Name: "old-project", Archived: true, Members: []string{"U0FB000001"}},
	}
	for _, c := range s.channels {
		c.Created, c.Creator = created, "U0FB000001"
	}
	s.tokens[BotToken] = &token{user: "U0FBBOT001", scopes: BotScopes, bot: true}
	s.tokens[AdminToken] = &token{user: "U0FB000001", scopes: append(append([]string{}, BotScopes...), "admin", "admin.users:write")}
	s.tokens[RevokedToken] = &token{user: "U0FBBOT001", scopes: BotScopes, bot: true, revoked: true}
	s.tokens[NarrowToken] = &token{user: "U0FBBOT001", scopes: []string{"channels:read", "users:read"}, bot: true}
	s.faults = fakeapi.NewFaults(func(w http.ResponseWriter, _ *http.Request, status int) {
		if status == http.StatusTooManyRequests {
			writeJSON(w, status, map[string]any{"ok": false, "error": "ratelimited"})
			return
		}
		writeJSON(w, status, map[string]any{"ok": false, "error": "fatal_error"})
	})
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.serveAPI)
	mux.HandleFunc("/oauth/v2/authorize", s.serveAuthorize)
	mux.HandleFunc("/scim/v1/Users", s.serveSCIM)
	mux.HandleFunc("/scim/v1/Users/", s.serveSCIM)
	s.handler = s.faults.Wrap(mux)
	return s
}

// ServeHTTP implements kit.Fake.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// SetFaults implements kit.Fake.
func (s *Server) SetFaults(f []kit.Fault) { s.faults.Set(f) }

// FaultsInjected is how many faults were injected.
func (s *Server) FaultsInjected() int64 { return s.faults.Injected() }

// Connection implements kit.Fake: the ready connection (bot token).
func (s *Server) Connection(base string) *engine.Connection {
	return &engine.Connection{ID: kit.SandboxID("slack"), Name: "Sandbox Slack workspace", Kind: "slack",
		Config:  map[string]any{kit.CfgAuthMethod: kit.AuthAPIToken, kit.CfgBaseURL: base},
		Secrets: map[string]string{kit.SecToken: BotToken, "signingSecret": SigningSecret}}
}

// Connections implements kit.MultiFake: the Slack connection (bot token)
// and the Slack Admin one (an admin's user token, SCIM).
func (s *Server) Connections(base string) []*engine.Connection {
	return []*engine.Connection{s.Connection(base), {ID: kit.SandboxID("slackadmin"), Name: "Sandbox Slack workspace (admin)", Kind: "slackadmin",
		Config:  map[string]any{kit.CfgAuthMethod: kit.AuthAPIToken, kit.CfgBaseURL: base},
		Secrets: map[string]string{kit.SecToken: AdminToken}}}
}

// Channel returns a channel by id or name (a copy).
func (s *Server) Channel(idOrName string) (Channel, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.channel(strings.TrimPrefix(idOrName, "#")); c != nil {
		cp := *c
		cp.Messages = append([]map[string]any(nil), c.Messages...)
		return cp, true
	}
	return Channel{}, false
}

// UserByEmail returns a user (a copy).
func (s *Server) UserByEmail(email string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if strings.EqualFold(u.Email, email) {
			return *u, true
		}
	}
	return User{}, false
}

func (s *Server) channel(idOrName string) *Channel {
	for _, c := range s.channels {
		if c.ID == idOrName || c.Name == idOrName {
			return c
		}
	}
	return nil
}

func (s *Server) user(id string) *User {
	for _, u := range s.users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// params reads a Web API call's arguments: query, form or JSON body.
func params(r *http.Request) (map[string]any, error) {
	out := map[string]any{}
	for k, v := range r.URL.Query() {
		out[k] = v[0]
	}
	if r.Method != http.MethodPost {
		return out, nil
	}
	ct := r.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "application/json"):
		var m map[string]any
		if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(&m); err != nil {
			return nil, fmt.Errorf("invalid_json")
		}
		for k, v := range m {
			out[k] = v
		}
	default:
		if err := r.ParseForm(); err != nil {
			return nil, fmt.Errorf("invalid_form_data")
		}
		for k, v := range r.PostForm {
			out[k] = v[0]
		}
	}
	return out, nil
}

func str(p map[string]any, k string) string {
	switch v := p[k].(type) {
	case string:
		return strings.TrimSpace(v)
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// methods: Web API method → required scope (any of), tier.
var methods = map[string]struct {
	scopes []string
	tier   int
	fn     func(s *Server, tk *token, p map[string]any) (map[string]any, string)
}{
	"auth.test":             {nil, 4, (*Server).authTest},
	"chat.postMessage":      {[]string{"chat:write"}, 5, (*Server).postMessage},
	"chat.postEphemeral":    {[]string{"chat:write"}, 4, (*Server).postEphemeral},
	"conversations.list":    {[]string{"channels:read", "groups:read"}, 2, (*Server).convList},
	"conversations.info":    {[]string{"channels:read", "groups:read"}, 3, (*Server).convInfo},
	"conversations.history": {[]string{"channels:history", "groups:history"}, 3, (*Server).convHistory},
	"conversations.create":  {[]string{"channels:manage", "groups:write"}, 2, (*Server).convCreate},
	"conversations.invite":  {[]string{"channels:manage", "groups:write"}, 3, (*Server).convInvite},
	"conversations.kick":    {[]string{"channels:manage", "groups:write"}, 3, (*Server).convKick},
	"conversations.archive": {[]string{"channels:manage", "groups:write"}, 2, (*Server).convArchive},
	"conversations.members": {[]string{"channels:read", "groups:read"}, 4, (*Server).convMembers},
	"conversations.open":    {[]string{"im:write", "mpim:write"}, 3, (*Server).convOpen},
	"users.info":            {[]string{"users:read"}, 4, (*Server).usersInfo},
	"users.list":            {[]string{"users:read"}, 2, (*Server).usersList},
	"users.lookupByEmail":   {[]string{"users:read.email"}, 3, (*Server).usersLookup},
	"views.open":            {nil, 4, (*Server).viewsOpen},
	"views.update":          {nil, 4, (*Server).viewsUpdate},
	"views.publish":         {nil, 4, (*Server).viewsPublish},
	"team.info":             {[]string{"team:read"}, 3, (*Server).teamInfo},
}

// tierLimits are Slack's per-minute limits by tier (5: chat.postMessage,
// about one message per second per channel, bursts allowed).
var tierLimits = map[int]int{1: 1, 2: 20, 3: 50, 4: 100, 5: 60}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/api/")
	m, ok := methods[name]
	if !ok && name != "oauth.v2.access" {
		writeJSON(w, http.StatusNotFound, map[string]any{"ok": false, "error": "unknown_method", "req_method": name})
		return
	}
	p, err := params(r)
	if err != nil {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": err.Error()})
		return
	}
	if name == "oauth.v2.access" {
		s.oauthAccess(w, r, p)
		return
	}
	auth := r.Header.Get("Authorization")
	tokText := strings.TrimSpace(strings.TrimPrefix(auth, "Bearer "))
	if tokText == "" || auth == tokText {
		tokText = str(p, "token")
	}
	if tokText == "" {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "not_authed"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tk := s.tokens[tokText]
	switch {
	case tk == nil:
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	case tk.revoked:
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "token_revoked"})
		return
	}
	w.Header().Set("X-OAuth-Scopes", strings.Join(tk.scopes, ","))
	if len(m.scopes) > 0 && !hasAny(tk.scopes, m.scopes) {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "missing_scope", "needed": m.scopes[0], "provided": strings.Join(tk.scopes, ",")})
		return
	}
	if !s.cfg.NoRateLimit {
		key := tokText + "|" + name
		if m.tier == 5 {
			key += "|" + str(p, "channel")
		}
		if wait, limited := s.limited(key, tierLimits[m.tier]); limited {
			w.Header().Set("Retry-After", strconv.Itoa(wait))
			writeJSON(w, http.StatusTooManyRequests, map[string]any{"ok": false, "error": "ratelimited"})
			return
		}
	}
	out, code := m.fn(s, tk, p)
	if code != "" {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": code})
		return
	}
	out["ok"] = true
	writeJSON(w, http.StatusOK, out)
}

func hasAny(have, want []string) bool {
	for _, w := range want {
		for _, h := range have {
			if h == w {
				return true
			}
		}
	}
	return false
}

// limited counts a call in a fixed one-minute window.
func (s *Server) limited(key string, limit int) (int, bool) {
	now := s.cfg.Now()
	wd := s.rate[key]
	if wd == nil || now.Sub(wd.start) >= time.Minute {
		wd = &window{start: now}
		s.rate[key] = wd
	}
	if wd.n >= limit {
		return max(1, int(time.Minute-now.Sub(wd.start)+time.Second-1)/int(time.Second)), true
	}
	wd.n++
	return 0, false
}

func (s *Server) nextTS() string {
	ts := float64(s.cfg.Now().UnixMicro()) / 1e6
	if ts <= s.lastTS {
		ts = s.lastTS + 0.000001
	}
	s.lastTS = ts
	return strconv.FormatFloat(ts, 'f', 6, 64)
}

func (s *Server) authTest(tk *token, _ map[string]any) (map[string]any, string) {
	u := s.user(tk.user)
	out := map[string]any{"url": "https://flowbench-sandbox.slack.com/", "team": s.team["name"], "team_id": s.team["id"],
		"user": u.Name, "user_id": u.ID, "is_enterprise_install": false}
	if tk.bot {
		out["bot_id"] = "B0FBBOT001"
	}
	return out, ""
}

func (s *Server) teamInfo(_ *token, _ map[string]any) (map[string]any, string) {
	return map[string]any{"team": s.team}, ""
}

func (s *Server) userJSON(u *User) map[string]any {
	prof := map[string]any{"real_name": u.RealName, "display_name": u.Name, "first_name": u.First, "last_name": u.Last,
		"title": u.Title, "real_name_normalized": u.RealName, "display_name_normalized": u.Name, "avatar_hash": "g" + strings.ToLower(u.ID[len(u.ID)-6:]),
		"phone": "", "skype": "", "status_text": "", "status_emoji": "", "fields": map[string]any{}}
	if u.Email != "" {
		prof["email"] = u.Email
	}
	return map[string]any{"id": u.ID, "team_id": s.team["id"], "name": u.Name, "real_name": u.RealName, "deleted": u.Deleted,
		"is_admin": u.Admin, "is_owner": u.ID == "U0FB000001", "is_bot": u.Bot, "is_app_user": false, "profile": prof,
		"tz": "America/Los_Angeles", "updated": 1717232400}
}

func (s *Server) usersInfo(_ *token, p map[string]any) (map[string]any, string) {
	u := s.user(str(p, "user"))
	if u == nil {
		return nil, "user_not_found"
	}
	return map[string]any{"user": s.userJSON(u)}, ""
}

func (s *Server) usersLookup(_ *token, p map[string]any) (map[string]any, string) {
	e := str(p, "email")
	for _, u := range s.users {
		if e != "" && strings.EqualFold(u.Email, e) && !u.Deleted {
			return map[string]any{"user": s.userJSON(u)}, ""
		}
	}
	return nil, "users_not_found"
}

// page cuts a list at cursor ("dXNlcjo<index>") and limit (default 100).
func page[T any](items []T, p map[string]any) ([]T, string) {
	start := 0
	if c := str(p, "cursor"); c != "" {
		start, _ = strconv.Atoi(strings.TrimPrefix(c, "fbcursor:"))
	}
	limit := 100
	if l, err := strconv.Atoi(str(p, "limit")); err == nil && l > 0 {
		limit = min(l, 1000)
	}
	if start > len(items) {
		start = len(items)
	}
	end := min(start+limit, len(items))
	next := ""
	if end < len(items) {
		next = "fbcursor:" + strconv.Itoa(end)
	}
	return items[start:end], next
}

func (s *Server) usersList(_ *token, p map[string]any) (map[string]any, string) {
	list, next := page(s.users, p)
	out := []any{}
	for _, u := range list {
		out = append(out, s.userJSON(u))
	}
	return map[string]any{"members": out, "cache_ts": s.cfg.Now().Unix(), "response_metadata": map[string]any{"next_cursor": next}}, ""
}

func (s *Server) convJSON(c *Channel, tk *token) map[string]any {
	out := map[string]any{"id": c.ID, "created": c.Created, "is_archived": c.Archived, "is_general": c.Name == "general",
		"is_channel": !c.Private && !c.IM, "is_group": c.Private, "is_im": c.IM, "is_private": c.Private || c.IM,
		"is_mpim": false, "is_org_shared": false, "is_shared": false,
		"is_member": tk != nil && contains(c.Members, tk.user), "num_members": len(c.Members)}
	if c.IM {
		out["user"], out["priority"] = c.Members[0], 0
		for _, k := range []string{"is_channel", "is_group", "is_mpim", "is_private", "is_shared", "is_general", "is_archived", "num_members", "is_member"} {
			delete(out, k)
		}
		return out
	}
	out["name"], out["name_normalized"], out["creator"] = c.Name, c.Name, c.Creator
	out["topic"] = map[string]any{"value": c.Topic, "creator": "", "last_set": 0}
	out["purpose"] = map[string]any{"value": c.Purpose, "creator": "", "last_set": 0}
	return out
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func (s *Server) convList(tk *token, p map[string]any) (map[string]any, string) {
	types := str(p, "types")
	if types == "" {
		types = "public_channel"
	}
	want := map[string]bool{}
	for _, t := range strings.Split(types, ",") {
		want[strings.TrimSpace(t)] = true
	}
	excl := str(p, "exclude_archived") == "true" || str(p, "exclude_archived") == "1"
	var sel []*Channel
	for _, c := range s.channels {
		kind := "public_channel"
		switch {
		case c.IM:
			kind = "im"
		case c.Private:
			kind = "private_channel"
		}
		if !want[kind] || (excl && c.Archived) || (c.Private && !contains(c.Members, tk.user)) {
			continue
		}
		sel = append(sel, c)
	}
	list, next := page(sel, p)
	out := []any{}
	for _, c := range list {
		out = append(out, s.convJSON(c, tk))
	}
	return map[string]any{"channels": out, "response_metadata": map[string]any{"next_cursor": next}}, ""
}

// visible finds a channel the token may use.
func (s *Server) visible(tk *token, id string) (*Channel, string) {
	c := s.channel(id)
	if c == nil || (c.Private || c.IM) && !contains(c.Members, tk.user) && !contains(tk.scopes, "admin") {
		return nil, "channel_not_found"
	}
	return c, ""
}

func (s *Server) convInfo(tk *token, p map[string]any) (map[string]any, string) {
	c, code := s.visible(tk, str(p, "channel"))
	if code != "" {
		return nil, code
	}
	return map[string]any{"channel": s.convJSON(c, tk)}, ""
}

func (s *Server) convMembers(tk *token, p map[string]any) (map[string]any, string) {
	c, code := s.visible(tk, str(p, "channel"))
	if code != "" {
		return nil, code
	}
	list, next := page(c.Members, p)
	return map[string]any{"members": append([]string{}, list...), "response_metadata": map[string]any{"next_cursor": next}}, ""
}

func (s *Server) convHistory(tk *token, p map[string]any) (map[string]any, string) {
	c, code := s.visible(tk, str(p, "channel"))
	if code != "" {
		return nil, code
	}
	if !contains(c.Members, tk.user) && !c.Private {
		return nil, "not_in_channel"
	}
	// newest first, as Slack answers
	msgs := make([]map[string]any, 0, len(c.Messages))
	for i := len(c.Messages) - 1; i >= 0; i-- {
		msgs = append(msgs, c.Messages[i])
	}
	list, next := page(msgs, p)
	out := []any{}
	for _, m := range list {
		out = append(out, m)
	}
	return map[string]any{"messages": out, "has_more": next != "", "pin_count": 0, "response_metadata": map[string]any{"next_cursor": next}}, ""
}

var validName = func(n string) bool {
	if n == "" || len(n) > 80 {
		return false
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func (s *Server) convCreate(tk *token, p map[string]any) (map[string]any, string) {
	name := str(p, "name")
	if name == "" {
		return nil, "invalid_name_required"
	}
	if !validName(name) {
		return nil, "invalid_name_specials"
	}
	if s.channel(name) != nil {
		return nil, "name_taken"
	}
	s.seq++
	priv := str(p, "is_private") == "true" || str(p, "is_private") == "1"
	id := fmt.Sprintf("C0FBN%06d", s.seq)
	if priv {
		id = "G" + id[1:]
	}
	c := &Channel{ID: id, Name: name, Private: priv, Created: s.cfg.Now().Unix(), Creator: tk.user, Members: []string{tk.user}}
	s.channels = append(s.channels, c)
	if !priv { // private channels raise group events, not channel_created
		s.emit(map[string]any{"type": "channel_created", "channel": map[string]any{"id": c.ID, "name": c.Name, "created": c.Created, "creator": c.Creator}})
	}
	return map[string]any{"channel": s.convJSON(c, tk)}, ""
}

func (s *Server) convInvite(tk *token, p map[string]any) (map[string]any, string) {
	c, code := s.visible(tk, str(p, "channel"))
	if code != "" {
		return nil, code
	}
	if c.Archived {
		return nil, "is_archived"
	}
	users := strings.Split(str(p, "users"), ",")
	if len(users) == 0 || users[0] == "" {
		return nil, "no_user"
	}
	for _, id := range users {
		id = strings.TrimSpace(id)
		u := s.user(id)
		if u == nil {
			return nil, "user_not_found"
		}
		if u.Deleted {
			return nil, "user_is_restricted"
		}
		if contains(c.Members, id) {
			return nil, "already_in_channel"
		}
	}
	for _, id := range users {
		c.Members = append(c.Members, strings.TrimSpace(id))
	}
	return map[string]any{"channel": s.convJSON(c, tk)}, ""
}

func (s *Server) convKick(tk *token, p map[string]any) (map[string]any, string) {
	c, code := s.visible(tk, str(p, "channel"))
	if code != "" {
		return nil, code
	}
	id := str(p, "user")
	if s.user(id) == nil {
		return nil, "user_not_found"
	}
	if id == tk.user {
		return nil, "cant_kick_self"
	}
	for i, m := range c.Members {
		if m == id {
			c.Members = append(c.Members[:i], c.Members[i+1:]...)
			return map[string]any{}, ""
		}
	}
	return nil, "not_in_channel"
}

func (s *Server) convArchive(tk *token, p map[string]any) (map[string]any, string) {
	c, code := s.visible(tk, str(p, "channel"))
	if code != "" {
		return nil, code
	}
	if c.Archived {
		return nil, "already_archived"
	}
	if c.Name == "general" {
		return nil, "cant_archive_general"
	}
	c.Archived = true
	return map[string]any{}, ""
}

func (s *Server) convOpen(tk *token, p map[string]any) (map[string]any, string) {
	if ch := str(p, "channel"); ch != "" {
		c, code := s.visible(tk, ch)
		if code != "" {
			return nil, code
		}
		return map[string]any{"channel": map[string]any{"id": c.ID}}, ""
	}
	users := strings.Split(str(p, "users"), ",")
	if len(users) != 1 || users[0] == "" {
		return nil, "users_list_not_supplied"
	}
	u := s.user(strings.TrimSpace(users[0]))
	if u == nil {
		return nil, "user_not_found"
	}
	if u.Deleted {
		return nil, "user_disabled"
	}
	for _, c := range s.channels {
		if c.IM && c.Members[0] == u.ID {
			return map[string]any{"channel": map[string]any{"id": c.ID}, "already_open": true}, ""
		}
	}
	c := &Channel{ID: "D0FB" + u.ID[4:], IM: true, Created: s.cfg.Now().Unix(), Members: []string{u.ID, tk.user}}
	s.channels = append(s.channels, c)
	return map[string]any{"channel": map[string]any{"id": c.ID}}, ""
}

// postable resolves chat.postMessage's channel: an id, a #name, or a user
// id (its DM).
func (s *Server) postable(tk *token, ch string) (*Channel, string) {
	if ch == "" {
		return nil, "channel_not_found"
	}
	if strings.HasPrefix(ch, "U") || strings.HasPrefix(ch, "W") {
		if _, code := s.convOpen(tk, map[string]any{"users": ch}); code != "" {
			return nil, code
		}
		return s.channel("D0FB" + ch[4:]), ""
	}
	c := s.channel(strings.TrimPrefix(ch, "#"))
	if c == nil || (c.Private || c.IM) && !contains(c.Members, tk.user) {
		return nil, "channel_not_found"
	}
	if c.Archived {
		return nil, "is_archived"
	}
	if !c.Private && !c.IM && !contains(c.Members, tk.user) && !contains(tk.scopes, "chat:write.public") {
		return nil, "not_in_channel"
	}
	return c, ""
}

func (s *Server) postMessage(tk *token, p map[string]any) (map[string]any, string) {
	c, code := s.postable(tk, str(p, "channel"))
	if code != "" {
		return nil, code
	}
	text := str(p, "text")
	var blocks any
	if b, ok := p["blocks"]; ok && b != nil && b != "" {
		switch x := b.(type) {
		case string:
			if err := json.Unmarshal([]byte(x), &blocks); err != nil {
				return nil, "invalid_blocks_format"
			}
		default:
			blocks = x
		}
		if l, ok := blocks.([]any); !ok || len(l) == 0 {
			return nil, "invalid_blocks"
		}
	}
	if text == "" && blocks == nil && str(p, "attachments") == "" {
		return nil, "no_text"
	}
	if len(text) > 40000 {
		return nil, "msg_too_long"
	}
	msg := map[string]any{"type": "message", "text": text, "user": tk.user, "ts": s.nextTS(), "team": s.team["id"]}
	if tk.bot {
		msg["bot_id"] = "B0FBBOT001"
		if n := str(p, "username"); n != "" {
			msg["username"] = n
		}
		if e := str(p, "icon_emoji"); e != "" {
			msg["icons"] = map[string]any{"emoji": e}
		}
	}
	if blocks != nil {
		msg["blocks"] = blocks
	}
	if t := str(p, "thread_ts"); t != "" {
		found := false
		for _, m := range c.Messages {
			found = found || m["ts"] == t
		}
		if !found {
			return nil, "thread_not_found"
		}
		msg["thread_ts"] = t
	}
	c.Messages = append(c.Messages, msg)
	return map[string]any{"channel": c.ID, "ts": msg["ts"], "message": msg}, ""
}

func (s *Server) postEphemeral(tk *token, p map[string]any) (map[string]any, string) {
	c, code := s.postable(tk, str(p, "channel"))
	if code != "" {
		return nil, code
	}
	u := s.user(str(p, "user"))
	if u == nil {
		return nil, "user_not_found"
	}
	if !contains(c.Members, u.ID) {
		return nil, "user_not_in_channel"
	}
	if str(p, "text") == "" && p["blocks"] == nil {
		return nil, "no_text"
	}
	return map[string]any{"message_ts": s.nextTS()}, ""
}

func (s *Server) viewJSON(id string, view map[string]any) map[string]any {
	v := map[string]any{}
	for k, x := range view {
		v[k] = x
	}
	v["id"], v["team_id"], v["app_id"], v["bot_id"] = id, s.team["id"], "A0FBAPP001", "B0FBBOT001"
	v["hash"] = strconv.FormatInt(s.cfg.Now().UnixNano(), 36)
	return v
}

func viewArg(p map[string]any) (map[string]any, string) {
	switch v := p["view"].(type) {
	case map[string]any:
		return v, ""
	case string:
		var m map[string]any
		if json.Unmarshal([]byte(v), &m) != nil {
			return nil, "invalid_arguments"
		}
		return m, ""
	}
	return nil, "invalid_arguments"
}

func (s *Server) viewsOpen(_ *token, p map[string]any) (map[string]any, string) {
	if str(p, "trigger_id") == "" && str(p, "interactivity_pointer") == "" {
		return nil, "invalid_arguments"
	}
	if strings.HasPrefix(str(p, "trigger_id"), "expired") {
		return nil, "expired_trigger_id"
	}
	v, code := viewArg(p)
	if code != "" {
		return nil, code
	}
	if v["type"] != "modal" {
		return nil, "invalid_arguments"
	}
	s.seq++
	id := fmt.Sprintf("V0FB%06d", s.seq)
	s.views[id] = s.viewJSON(id, v)
	return map[string]any{"view": s.views[id]}, ""
}

func (s *Server) viewsUpdate(_ *token, p map[string]any) (map[string]any, string) {
	id := str(p, "view_id")
	if id == "" {
		for vid, v := range s.views {
			if ext := str(p, "external_id"); ext != "" && v["external_id"] == ext {
				id = vid
			}
		}
	}
	if _, ok := s.views[id]; !ok {
		return nil, "not_found"
	}
	v, code := viewArg(p)
	if code != "" {
		return nil, code
	}
	s.views[id] = s.viewJSON(id, v)
	return map[string]any{"view": s.views[id]}, ""
}

func (s *Server) viewsPublish(_ *token, p map[string]any) (map[string]any, string) {
	if s.user(str(p, "user_id")) == nil {
		return nil, "user_not_found"
	}
	v, code := viewArg(p)
	if code != "" {
		return nil, code
	}
	s.seq++
	id := fmt.Sprintf("V0FB%06d", s.seq)
	s.views[id] = s.viewJSON(id, v)
	return map[string]any{"view": s.views[id]}, ""
}

// UserJSON is a user as the Web API shows it.
func (s *Server) UserJSON(id string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.user(id); u != nil {
		return s.userJSON(u)
	}
	return nil
}

// ConversationJSON is a conversation as conversations.info shows it to the bot.
func (s *Server) ConversationJSON(id string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.channel(id); c != nil {
		return s.convJSON(c, s.tokens[BotToken])
	}
	return nil
}

// Users lists the workspace's users sorted by id (copies).
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, 0, len(s.users))
	for _, u := range s.users {
		out = append(out, *u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
