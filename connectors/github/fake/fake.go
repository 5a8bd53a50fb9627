// Package fake is a local GitHub: a net/http server speaking the subset of
// GitHub's REST API (api.github.com, version 2022-11-28) that the Flowbench
// GitHub cards use — the authenticated user, organization memberships and
// members, teams and team memberships, repositories, branches, git refs,
// file contents, pull requests, repository collaborators and user search —
// seeded with the Okta sandbox's people as GitHub users of the organization
// "flowbench".
//
// Its requests and responses are held to GitHub's published REST API
// description (github/rest-api-description, shipped in the npm package
// @octokit/openapi, MIT): connectors/github/testdata/api.github.com.trimmed.json
// keeps the operations used here, and the tests validate every exchange
// against it.
//
// Auth is GitHub's: "Authorization: Bearer <token>" (or "token <token>");
// a missing or unknown token gets 401 {"message":"Bad credentials",…}, a
// revoked one the same. Every answer carries GitHub's rate-limit headers
// (x-ratelimit-limit/remaining/used/reset/resource); when the window is spent
// the fake answers 403 with x-ratelimit-remaining: 0 as GitHub does. Lists
// page with per_page/page and a Link header. Faults are injected with
// fakeapi.Fault rules (SetFaults). Webhooks: SetWebhook registers a URL and
// secret; membership, member and pull_request events are POSTed there with
// X-GitHub-Event, X-GitHub-Delivery and X-Hub-Signature-256.
package fake

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/connectors/fakeapi"
)

// DefaultToken is the seeded personal access token of the org owner.
const DefaultToken = "ghp_FlowbenchSandboxToken000000000000000"

// WebhookSecret is the secret the sandbox connection's webhook uses.
const WebhookSecret = "flowbench-sandbox-github-webhook-secret"

// Org is the seeded organization.
const Org = "flowbench"

// Config configures a fake. The zero value is usable.
type Config struct {
	Token     string // default DefaultToken
	RateLimit int    // requests per window, default 5000
	Window    time.Duration
	Faults    []fakeapi.Fault
}

type user struct {
	ID    int64
	Login string
	Name  string
	Email string
	Type  string
}

type membership struct {
	Role  string // admin, member
	State string // active, pending
}

type team struct {
	ID          int64
	Slug, Name  string
	Description string
	Members     map[string]string // login → role
}

type file struct {
	Content []byte
	SHA     string
}

type branch struct {
	SHA   string
	Files map[string]*file
}

type pull struct {
	ID, Number        int64
	Title, Body       string
	Head, Base, State string
	Draft             bool
	User              string
	Created           time.Time
}

type repo struct {
	ID            int64
	Owner, Name   string
	Private       bool
	DefaultBranch string
	Branches      map[string]*branch
	Collaborators map[string]string // login → permission
	Pulls         []*pull
	Created       time.Time
}

// Server is one fake GitHub.
type Server struct {
	mu         sync.Mutex
	cfg        Config
	faults     *fakeapi.Faults
	h          http.Handler
	users      map[string]*user // by lower login
	tokens     map[string]string
	revoked    map[string]bool
	members    map[string]map[string]*membership // org → login → membership
	teams      map[string][]*team
	repos      map[string]*repo // "owner/name" lower
	ids        fakeapi.Seq
	used       int
	winStart   time.Time
	hookURL    string
	hookSec    string
	orgHooks   map[string][]*orgHook // org → webhooks made through the API (hooks.go)
	client     *http.Client
	Deliveries int
}

// New builds a fake with its seed.
func New(cfg Config) *Server {
	if cfg.Token == "" {
		cfg.Token = DefaultToken
	}
	if cfg.RateLimit <= 0 {
		cfg.RateLimit = 5000
	}
	if cfg.Window <= 0 {
		cfg.Window = time.Hour
	}
	s := &Server{cfg: cfg, users: map[string]*user{}, tokens: map[string]string{}, revoked: map[string]bool{},
		members: map[string]map[string]*membership{}, teams: map[string][]*team{}, repos: map[string]*repo{},
		winStart: time.Now(), client: &http.Client{Timeout: 5 * time.Second}}
	s.faults = fakeapi.NewFaults(func(w http.ResponseWriter, r *http.Request, status int) {
		s.errorf(w, status, http.StatusText(status))
	})
	s.faults.Set(cfg.Faults)
	s.seed()
	s.h = s.faults.Wrap(http.HandlerFunc(s.serve))
	return s
}

// SetFaults replaces the fault rules.
func (s *Server) SetFaults(f []fakeapi.Fault) { s.faults.Set(f) }

// SetWebhook registers the organization webhook (empty URL: none).
func (s *Server) SetWebhook(url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hookURL, s.hookSec = url, secret
}

// AddToken adds a token for a user; Revoke makes a token fail as revoked.
func (s *Server) AddToken(token, login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = strings.ToLower(login)
}

// Revoke makes a token answer 401 Bad credentials.
func (s *Server) Revoke(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked[token] = true
}

// IsMember says whether login is an active or pending member of org.
func (s *Server) IsMember(org, login string) (state string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.members[strings.ToLower(org)][strings.ToLower(login)]
	if m == nil {
		return "", false
	}
	return m.State, true
}

// FileContent returns a file of a repo branch.
func (s *Server) FileContent(fullName, branchName, p string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[strings.ToLower(fullName)]
	if r == nil || r.Branches[branchName] == nil {
		return nil, false
	}
	f := r.Branches[branchName].Files[p]
	if f == nil {
		return nil, false
	}
	return f.Content, true
}

var people = []struct{ login, name, email string }{
	{"sandbox-admin", "Sandbox Admin", "sandbox.admin@example.com"},
	{"alice-nguyen", "Alice Nguyen", "alice.nguyen@example.com"},
	{"bob-martinez", "Bob Martinez", "bob.martinez@example.com"},
	{"carol-okafor", "Carol Okafor", "carol.okafor@example.com"},
	{"david-kim", "David Kim", "david.kim@example.com"},
	{"emma-schmidt", "Emma Schmidt", "emma.schmidt@example.com"},
	{"ibrahim-diallo", "Ibrahim Diallo", "ibrahim.diallo@example.com"},
	{"kenji-tanaka", "Kenji Tanaka", "kenji.tanaka@example.com"},
	{"octo-outsider", "Octo Outsider", "octo.outsider@example.net"},
}

func (s *Server) seed() {
	for i, p := range people {
		s.users[p.login] = &user{ID: 1000 + int64(i), Login: p.login, Name: p.name, Email: p.email, Type: "User"}
	}
	s.users[Org] = &user{ID: 9000, Login: Org, Name: "Flowbench", Type: "Organization"}
	s.tokens[s.cfg.Token] = "sandbox-admin"
	s.members[Org] = map[string]*membership{"sandbox-admin": {"admin", "active"}}
	for _, l := range []string{"alice-nguyen", "bob-martinez", "david-kim", "kenji-tanaka"} {
		s.members[Org][l] = &membership{"member", "active"}
	}
	s.teams[Org] = []*team{
		{ID: 501, Slug: "engineering", Name: "Engineering", Description: "Builders", Members: map[string]string{"alice-nguyen": "member", "david-kim": "maintainer"}},
		{ID: 502, Slug: "sales", Name: "Sales", Description: "Sellers", Members: map[string]string{"bob-martinez": "member"}},
	}
	// Repositories: the organization's, plus the two the corpus templates
	// name (flow_folder_versioning_github's own and Okta's connector test).
	for _, full := range []string{Org + "/flows", Org + "/infrastructure", "charles1082/flow_versioning_repo", "workflowsconnectortest/createpullrequest_oldone"} {
		owner, name, _ := strings.Cut(full, "/")
		if s.users[owner] == nil {
			s.users[owner] = &user{ID: s.ids.Next(2000), Login: owner, Name: owner, Type: "User"}
		}
		main := &branch{SHA: sha("init " + full), Files: map[string]*file{"README.md": {Content: []byte("# " + name + "\n"), SHA: sha("readme " + full)}}}
		s.repos[strings.ToLower(full)] = &repo{ID: s.ids.Next(7000), Owner: owner, Name: name, DefaultBranch: "main",
			Branches: map[string]*branch{"main": main}, Collaborators: map[string]string{}, Created: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
	}
}

func sha(s string) string {
	h := sha1.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.h.ServeHTTP(w, r) }

func (s *Server) errorf(w http.ResponseWriter, status int, msg string, errs ...map[string]any) {
	body := map[string]any{"message": msg, "documentation_url": "https://docs.github.com/rest", "status": strconv.Itoa(status)}
	if len(errs) > 0 {
		list := make([]any, len(errs))
		for i, e := range errs {
			list[i] = e
		}
		body["errors"] = list
	}
	fakeapi.JSON(w, status, body)
}

func base(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) rate(w http.ResponseWriter) bool {
	now := time.Now()
	if now.Sub(s.winStart) >= s.cfg.Window {
		s.winStart, s.used = now, 0
	}
	s.used++
	rem := s.cfg.RateLimit - s.used
	if rem < 0 {
		rem = 0
	}
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.cfg.RateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(rem))
	h.Set("X-RateLimit-Used", strconv.Itoa(s.used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(s.winStart.Add(s.cfg.Window).Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
	h.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	return s.used <= s.cfg.RateLimit
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok := fakeapi.Bearer(r)
	if tok == "" {
		if h := r.Header.Get("Authorization"); len(h) > 6 && strings.EqualFold(h[:6], "token ") {
			tok = strings.TrimSpace(h[6:])
		}
	}
	me, ok := s.tokens[tok]
	if !ok || s.revoked[tok] {
		s.errorf(w, http.StatusUnauthorized, "Bad credentials")
		return
	}
	if !s.rate(w) {
		s.errorf(w, http.StatusForbidden, "API rate limit exceeded for user ID "+strconv.FormatInt(s.users[me].ID, 10)+".")
		return
	}
	seg := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	m := r.Method
	switch {
	case len(seg) == 1 && seg[0] == "user" && m == "GET":
		w.Header().Set("X-OAuth-Scopes", "repo, admin:org, read:user, user:email")
		fakeapi.JSON(w, 200, s.publicUser(r, s.users[me]))
	case len(seg) == 2 && seg[0] == "user" && seg[1] == "orgs" && m == "GET":
		var out []any
		for org, ms := range s.members {
			if mm := ms[me]; mm != nil && mm.State == "active" {
				out = append(out, s.orgSimple(r, org))
			}
		}
		fakeapi.JSON(w, 200, out)
	case len(seg) == 2 && seg[0] == "users" && m == "GET":
		u := s.users[strings.ToLower(seg[1])]
		if u == nil {
			s.errorf(w, 404, "Not Found")
			return
		}
		fakeapi.JSON(w, 200, s.publicUser(r, u))
	case len(seg) == 2 && seg[0] == "search" && seg[1] == "users" && m == "GET":
		s.searchUsers(w, r)
	case len(seg) >= 3 && seg[0] == "orgs":
		s.serveOrg(w, r, me, strings.ToLower(seg[1]), seg[2:])
	case len(seg) >= 3 && seg[0] == "repos":
		s.serveRepo(w, r, me, seg[1]+"/"+seg[2], seg[3:])
	default:
		s.errorf(w, 404, "Not Found")
	}
}

func (s *Server) isAdmin(org, login string) bool {
	m := s.members[org][login]
	return m != nil && m.Role == "admin" && m.State == "active"
}

func (s *Server) serveOrg(w http.ResponseWriter, r *http.Request, me, org string, rest []string) {
	ms := s.members[org]
	if ms == nil {
		s.errorf(w, 404, "Not Found")
		return
	}
	m := r.Method
	if rest[0] == "hooks" {
		s.serveOrgHooks(w, r, me, org, rest)
		return
	}
	switch {
	case len(rest) == 1 && rest[0] == "members" && m == "GET":
		var logins []string
		for l, mm := range ms {
			if mm.State == "active" && (r.URL.Query().Get("role") == "" || r.URL.Query().Get("role") == "all" || r.URL.Query().Get("role") == mm.Role) {
				logins = append(logins, l)
			}
		}
		sort.Strings(logins)
		var out []any
		for _, l := range logins {
			out = append(out, s.simpleUser(r, s.users[l]))
		}
		s.page(w, r, out)
	case len(rest) == 2 && rest[0] == "members" && m == "DELETE":
		if !s.isAdmin(org, me) {
			s.errorf(w, 403, "You must be an admin to remove a member.")
			return
		}
		l := strings.ToLower(rest[1])
		if ms[l] != nil {
			delete(ms, l)
			for _, t := range s.teams[org] {
				delete(t.Members, l)
			}
			s.deliver("organization", map[string]any{"action": "member_removed", "membership": map[string]any{"user": s.simpleUser(r, s.users[l])}, "organization": s.orgSimple(r, org)})
		}
		w.WriteHeader(http.StatusNoContent)
	case len(rest) == 2 && rest[0] == "memberships":
		l := strings.ToLower(rest[1])
		u := s.users[l]
		switch m {
		case "GET":
			if ms[l] == nil || u == nil {
				s.errorf(w, 404, "Not Found")
				return
			}
			fakeapi.JSON(w, 200, s.orgMembership(r, org, u, ms[l]))
		case "PUT":
			if !s.isAdmin(org, me) {
				s.errorf(w, 403, "You must be an admin to add or update an organization membership.")
				return
			}
			if u == nil || u.Type != "User" {
				s.errorf(w, 404, "Not Found")
				return
			}
			var body struct {
				Role string `json:"role"`
			}
			if err := fakeapi.Decode(r, &body); err != nil {
				s.errorf(w, 400, "Problems parsing JSON")
				return
			}
			if body.Role == "" {
				body.Role = "member"
			}
			if body.Role != "admin" && body.Role != "member" {
				s.errorf(w, 422, "Validation Failed", map[string]any{"resource": "OrganizationMembership", "field": "role", "code": "invalid"})
				return
			}
			mm := ms[l]
			if mm == nil {
				// GitHub invites a user who is not a member yet
				mm = &membership{Role: body.Role, State: "pending"}
				ms[l] = mm
				s.deliver("organization", map[string]any{"action": "member_invited", "user": s.simpleUser(r, u), "organization": s.orgSimple(r, org)})
			} else {
				mm.Role = body.Role
			}
			fakeapi.JSON(w, 200, s.orgMembership(r, org, u, mm))
		case "DELETE":
			if !s.isAdmin(org, me) {
				s.errorf(w, 403, "You must be an admin to remove a member.")
				return
			}
			if ms[l] == nil {
				s.errorf(w, 404, "Not Found")
				return
			}
			delete(ms, l)
			w.WriteHeader(http.StatusNoContent)
		default:
			s.errorf(w, 404, "Not Found")
		}
	case len(rest) == 1 && rest[0] == "teams" && m == "GET":
		var out []any
		for _, t := range s.teams[org] {
			out = append(out, s.teamJSON(r, org, t))
		}
		s.page(w, r, out)
	case len(rest) == 4 && rest[0] == "teams" && rest[2] == "memberships":
		var t *team
		for _, tt := range s.teams[org] {
			if tt.Slug == rest[1] {
				t = tt
			}
		}
		l := strings.ToLower(rest[3])
		if t == nil || s.users[l] == nil {
			s.errorf(w, 404, "Not Found")
			return
		}
		switch m {
		case "PUT":
			var body struct {
				Role string `json:"role"`
			}
			if err := fakeapi.Decode(r, &body); err != nil {
				s.errorf(w, 400, "Problems parsing JSON")
				return
			}
			if body.Role == "" {
				body.Role = "member"
			}
			t.Members[l] = body.Role
			state := "active"
			if ms[l] == nil {
				ms[l] = &membership{Role: "member", State: "pending"}
			}
			if ms[l].State == "pending" {
				state = "pending"
			}
			fakeapi.JSON(w, 200, map[string]any{"url": base(r) + "/teams/" + strconv.FormatInt(t.ID, 10) + "/memberships/" + l, "role": body.Role, "state": state})
		case "DELETE":
			if _, ok := t.Members[l]; !ok {
				s.errorf(w, 404, "Not Found")
				return
			}
			delete(t.Members, l)
			w.WriteHeader(http.StatusNoContent)
		default:
			s.errorf(w, 404, "Not Found")
		}
	default:
		s.errorf(w, 404, "Not Found")
	}
}

func (s *Server) serveRepo(w http.ResponseWriter, r *http.Request, me, full string, rest []string) {
	rp := s.repos[strings.ToLower(full)]
	if rp == nil {
		s.errorf(w, 404, "Not Found")
		return
	}
	m := r.Method
	switch {
	case len(rest) == 0 && m == "GET":
		fakeapi.JSON(w, 200, s.repoJSON(r, rp, true))
	case len(rest) == 1 && rest[0] == "branches" && m == "GET":
		names := make([]string, 0, len(rp.Branches))
		for n := range rp.Branches {
			names = append(names, n)
		}
		sort.Strings(names)
		var out []any
		for _, n := range names {
			out = append(out, map[string]any{"name": n, "protected": n == rp.DefaultBranch,
				"commit": map[string]any{"sha": rp.Branches[n].SHA, "url": base(r) + "/repos/" + full + "/commits/" + rp.Branches[n].SHA}})
		}
		s.page(w, r, out)
	case len(rest) == 2 && rest[0] == "git" && rest[1] == "refs" && m == "POST":
		var body struct {
			Ref string `json:"ref"`
			SHA string `json:"sha"`
		}
		if err := fakeapi.Decode(r, &body); err != nil {
			s.errorf(w, 400, "Problems parsing JSON")
			return
		}
		name, ok := strings.CutPrefix(body.Ref, "refs/heads/")
		if !ok || name == "" || strings.Count(body.Ref, "/") < 2 {
			s.errorf(w, 422, "Reference name must start with 'refs/' and have at least two slashes.")
			return
		}
		if rp.Branches[name] != nil {
			s.errorf(w, 422, "Reference already exists")
			return
		}
		var from *branch
		for _, b := range rp.Branches {
			if b.SHA == body.SHA {
				from = b
			}
		}
		if from == nil {
			s.errorf(w, 422, "Object does not exist")
			return
		}
		nb := &branch{SHA: body.SHA, Files: map[string]*file{}}
		for p, f := range from.Files {
			nb.Files[p] = f
		}
		rp.Branches[name] = nb
		w.Header().Set("Location", base(r)+"/repos/"+full+"/git/refs/heads/"+name)
		fakeapi.JSON(w, 201, map[string]any{"ref": body.Ref, "node_id": nodeID("REF", rp.ID), "url": base(r) + "/repos/" + full + "/git/" + body.Ref,
			"object": map[string]any{"type": "commit", "sha": body.SHA, "url": base(r) + "/repos/" + full + "/git/commits/" + body.SHA}})
	case len(rest) >= 2 && rest[0] == "contents":
		s.contents(w, r, rp, full, strings.Join(rest[1:], "/"))
	case len(rest) == 2 && rest[0] == "collaborators" && m == "PUT":
		if !s.isAdmin(strings.ToLower(rp.Owner), me) && !strings.EqualFold(rp.Owner, me) && s.members[strings.ToLower(rp.Owner)] != nil {
			s.errorf(w, 403, "Must have admin rights to Repository.")
			return
		}
		l := strings.ToLower(rest[1])
		u := s.users[l]
		if u == nil || u.Type != "User" {
			s.errorf(w, 404, "Not Found")
			return
		}
		var body struct {
			Permission string `json:"permission"`
		}
		if err := fakeapi.Decode(r, &body); err != nil {
			s.errorf(w, 400, "Problems parsing JSON")
			return
		}
		if body.Permission == "" {
			body.Permission = "push"
		}
		switch body.Permission {
		case "pull", "triage", "push", "maintain", "admin":
		default:
			s.errorf(w, 422, "Validation Failed", map[string]any{"resource": "Repository", "field": "permission", "code": "invalid"})
			return
		}
		_, existing := rp.Collaborators[l]
		rp.Collaborators[l] = body.Permission
		if existing || s.members[strings.ToLower(rp.Owner)][l] != nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		perm := map[string]string{"pull": "read", "push": "write"}[body.Permission]
		if perm == "" {
			perm = body.Permission
		}
		fakeapi.JSON(w, 201, map[string]any{"id": s.ids.Next(30000), "node_id": nodeID("RI", rp.ID), "permissions": perm,
			"inviter": s.simpleUser(r, s.users[me]), "invitee": s.simpleUser(r, u), "repository": s.minimalRepo(r, rp),
			"url": base(r) + "/user/repository_invitations/1", "html_url": "https://github.com/" + full + "/invitations",
			"created_at": time.Now().UTC().Format(time.RFC3339), "expired": false})
	case len(rest) == 1 && rest[0] == "pulls" && m == "POST":
		s.createPull(w, r, me, rp, full)
	default:
		s.errorf(w, 404, "Not Found")
	}
}

func (s *Server) contents(w http.ResponseWriter, r *http.Request, rp *repo, full, p string) {
	p, _ = url.PathUnescape(p)
	switch r.Method {
	case "GET":
		ref := r.URL.Query().Get("ref")
		if ref == "" {
			ref = rp.DefaultBranch
		}
		b := rp.Branches[ref]
		if b == nil {
			s.errorf(w, 404, "No commit found for the ref "+ref)
			return
		}
		f := b.Files[p]
		if f == nil {
			s.errorf(w, 404, "Not Found")
			return
		}
		fakeapi.JSON(w, 200, s.contentFile(r, full, ref, p, f, true))
	case "PUT":
		var body struct {
			Message string `json:"message"`
			Content string `json:"content"`
			SHA     string `json:"sha"`
			Branch  string `json:"branch"`
		}
		if err := fakeapi.Decode(r, &body); err != nil {
			s.errorf(w, 400, "Problems parsing JSON")
			return
		}
		if body.Message == "" {
			s.errorf(w, 422, "Invalid request.\n\n\"message\" wasn't supplied.")
			return
		}
		content, err := base64.StdEncoding.DecodeString(body.Content)
		if err != nil {
			s.errorf(w, 422, "content is not valid Base64")
			return
		}
		bn := body.Branch
		if bn == "" {
			bn = rp.DefaultBranch
		}
		b := rp.Branches[bn]
		if b == nil {
			s.errorf(w, 404, "Branch "+bn+" not found")
			return
		}
		old := b.Files[p]
		status := 201
		if old != nil {
			if body.SHA == "" {
				s.errorf(w, 422, "Invalid request.\n\n\"sha\" wasn't supplied.")
				return
			}
			if body.SHA != old.SHA {
				s.errorf(w, 409, p+" does not match "+body.SHA)
				return
			}
			status = 200
		}
		nf := &file{Content: content, SHA: blobSHA(content)}
		b.Files[p] = nf
		b.SHA = sha(b.SHA + p + nf.SHA + body.Message)
		fakeapi.JSON(w, status, map[string]any{"content": s.contentFile(r, full, bn, p, nf, false),
			"commit": map[string]any{"sha": b.SHA, "node_id": nodeID("C", rp.ID), "url": base(r) + "/repos/" + full + "/git/commits/" + b.SHA,
				"html_url": "https://github.com/" + full + "/commit/" + b.SHA, "message": body.Message,
				"author":    map[string]any{"name": "Sandbox Admin", "email": "sandbox.admin@example.com", "date": time.Now().UTC().Format(time.RFC3339)},
				"committer": map[string]any{"name": "Sandbox Admin", "email": "sandbox.admin@example.com", "date": time.Now().UTC().Format(time.RFC3339)},
				"tree":      map[string]any{"sha": sha("tree" + b.SHA), "url": base(r) + "/repos/" + full + "/git/trees/" + sha("tree"+b.SHA)},
				"parents":   []any{}, "verification": map[string]any{"verified": false, "reason": "unsigned", "signature": nil, "payload": nil}}})
	default:
		s.errorf(w, 404, "Not Found")
	}
}

func blobSHA(b []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(b))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

func (s *Server) contentFile(r *http.Request, full, ref, p string, f *file, withContent bool) map[string]any {
	u := base(r) + "/repos/" + full + "/contents/" + p + "?ref=" + url.QueryEscape(ref)
	html := "https://github.com/" + full + "/blob/" + ref + "/" + p
	git := base(r) + "/repos/" + full + "/git/blobs/" + f.SHA
	out := map[string]any{"type": "file", "name": path.Base(p), "path": p, "sha": f.SHA, "size": len(f.Content), "url": u,
		"html_url": html, "git_url": git, "download_url": "https://raw.githubusercontent.com/" + full + "/" + ref + "/" + p,
		"_links": map[string]any{"self": u, "git": git, "html": html}}
	if withContent {
		out["encoding"] = "base64"
		out["content"] = base64.StdEncoding.EncodeToString(f.Content)
	}
	return out
}

func (s *Server) createPull(w http.ResponseWriter, r *http.Request, me string, rp *repo, full string) {
	var body struct {
		Title string `json:"title"`
		Body  string `json:"body"`
		Head  string `json:"head"`
		Base  string `json:"base"`
		Draft bool   `json:"draft"`
	}
	if err := fakeapi.Decode(r, &body); err != nil {
		s.errorf(w, 400, "Problems parsing JSON")
		return
	}
	head := body.Head
	if _, h, ok := strings.Cut(head, ":"); ok {
		head = h
	}
	switch {
	case body.Title == "":
		s.errorf(w, 422, "Validation Failed", map[string]any{"resource": "PullRequest", "field": "title", "code": "missing_field"})
		return
	case rp.Branches[head] == nil:
		s.errorf(w, 422, "Validation Failed", map[string]any{"resource": "PullRequest", "field": "head", "code": "invalid"})
		return
	case rp.Branches[body.Base] == nil:
		s.errorf(w, 422, "Validation Failed", map[string]any{"resource": "PullRequest", "field": "base", "code": "invalid"})
		return
	case rp.Branches[head].SHA == rp.Branches[body.Base].SHA:
		s.errorf(w, 422, "Validation Failed", map[string]any{"resource": "PullRequest", "code": "custom", "message": "No commits between " + body.Base + " and " + head})
		return
	}
	for _, p := range rp.Pulls {
		if p.State == "open" && p.Head == head && p.Base == body.Base {
			s.errorf(w, 422, "Validation Failed", map[string]any{"resource": "PullRequest", "code": "custom", "message": "A pull request already exists for " + rp.Owner + ":" + head + "."})
			return
		}
	}
	p := &pull{ID: s.ids.Next(400000), Number: int64(len(rp.Pulls) + 1), Title: body.Title, Body: body.Body, Head: head, Base: body.Base,
		State: "open", Draft: body.Draft, User: me, Created: time.Now().UTC().Truncate(time.Second)}
	rp.Pulls = append(rp.Pulls, p)
	out := s.pullJSON(r, rp, full, p)
	w.Header().Set("Location", out["url"].(string))
	fakeapi.JSON(w, 201, out)
	s.deliver("pull_request", map[string]any{"action": "opened", "number": p.Number, "pull_request": out, "repository": s.minimalRepo(r, rp), "sender": s.simpleUser(r, s.users[me])})
}

func (s *Server) pullJSON(r *http.Request, rp *repo, full string, p *pull) map[string]any {
	b := base(r)
	api := b + "/repos/" + full + "/pulls/" + strconv.FormatInt(p.Number, 10)
	html := "https://github.com/" + full + "/pull/" + strconv.FormatInt(p.Number, 10)
	ts := p.Created.Format(time.RFC3339)
	ref := func(name string) map[string]any {
		return map[string]any{"label": rp.Owner + ":" + name, "ref": name, "sha": rp.Branches[name].SHA, "user": s.simpleUser(r, s.users[strings.ToLower(rp.Owner)]), "repo": s.repoJSON(r, rp, false)}
	}
	link := func(h string) map[string]any { return map[string]any{"href": h} }
	return map[string]any{"url": api, "id": p.ID, "node_id": nodeID("PR", p.ID), "html_url": html, "diff_url": html + ".diff", "patch_url": html + ".patch",
		"issue_url": b + "/repos/" + full + "/issues/" + strconv.FormatInt(p.Number, 10), "commits_url": api + "/commits", "review_comments_url": api + "/comments",
		"review_comment_url": b + "/repos/" + full + "/pulls/comments{/number}", "comments_url": b + "/repos/" + full + "/issues/" + strconv.FormatInt(p.Number, 10) + "/comments",
		"statuses_url": b + "/repos/" + full + "/statuses/" + rp.Branches[p.Head].SHA, "number": p.Number, "state": p.State, "locked": false, "title": p.Title,
		"user": s.simpleUser(r, s.users[p.User]), "body": p.Body, "labels": []any{}, "milestone": nil, "active_lock_reason": nil,
		"created_at": ts, "updated_at": ts, "closed_at": nil, "merged_at": nil, "merge_commit_sha": nil, "assignee": nil, "assignees": []any{},
		"requested_reviewers": []any{}, "requested_teams": []any{}, "head": ref(p.Head), "base": ref(p.Base),
		"_links": map[string]any{"self": link(api), "html": link(html), "issue": link(b + "/repos/" + full + "/issues/" + strconv.FormatInt(p.Number, 10)),
			"comments": link(api + "/comments"), "review_comments": link(api + "/comments"), "review_comment": link(b + "/repos/" + full + "/pulls/comments{/number}"),
			"commits": link(api + "/commits"), "statuses": link(b + "/repos/" + full + "/statuses/" + rp.Branches[p.Head].SHA)},
		"author_association": "OWNER", "auto_merge": nil, "draft": p.Draft, "merged": false, "mergeable": nil, "rebaseable": nil,
		"mergeable_state": "unknown", "merged_by": nil, "comments": 0, "review_comments": 0, "maintainer_can_modify": false,
		"commits": 1, "additions": 1, "deletions": 0, "changed_files": 1}
}

func nodeID(prefix string, id int64) string {
	return prefix + "_" + base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10)))
}

func (s *Server) searchUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	if strings.TrimSpace(q) == "" {
		s.errorf(w, 422, "Validation Failed", map[string]any{"resource": "Search", "field": "q", "code": "missing"})
		return
	}
	// GitHub's user search: terms, with qualifiers in:login/in:email/in:name
	// (default login and name... plus public email), type:user|org.
	var terms, in []string
	typ := ""
	for _, f := range strings.Fields(q) {
		switch {
		case strings.HasPrefix(f, "in:"):
			in = append(in, strings.Split(strings.TrimPrefix(f, "in:"), ",")...)
		case strings.HasPrefix(f, "type:"):
			typ = strings.ToLower(strings.TrimPrefix(f, "type:"))
		default:
			terms = append(terms, strings.ToLower(strings.Trim(f, `"`)))
		}
	}
	if len(in) == 0 {
		in = []string{"login", "name", "email"}
	}
	var logins []string
	for l, u := range s.users {
		if typ == "user" && u.Type != "User" || typ == "org" && u.Type != "Organization" {
			continue
		}
		match := true
		for _, t := range terms {
			hit := false
			for _, where := range in {
				switch where {
				case "login":
					hit = hit || strings.Contains(strings.ToLower(u.Login), t)
				case "name":
					hit = hit || strings.Contains(strings.ToLower(u.Name), t)
				case "email":
					hit = hit || strings.EqualFold(u.Email, t)
				}
			}
			match = match && hit
		}
		if match {
			logins = append(logins, l)
		}
	}
	sort.Strings(logins)
	items := []any{}
	for _, l := range logins {
		it := s.simpleUser(r, s.users[l])
		it["score"] = 1.0
		items = append(items, it)
	}
	fakeapi.JSON(w, 200, map[string]any{"total_count": len(items), "incomplete_results": false, "items": items})
}

// page answers a list with per_page/page and GitHub's Link header.
func (s *Server) page(w http.ResponseWriter, r *http.Request, all []any) {
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if per <= 0 {
		per = 30
	}
	if per > 100 {
		per = 100
	}
	pg, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if pg <= 0 {
		pg = 1
	}
	from := (pg - 1) * per
	if from > len(all) {
		from = len(all)
	}
	to := min(from+per, len(all))
	if to < len(all) {
		u := *r.URL
		q := u.Query()
		q.Set("page", strconv.Itoa(pg+1))
		q.Set("per_page", strconv.Itoa(per))
		u.RawQuery = q.Encode()
		last := (len(all) + per - 1) / per
		q.Set("page", strconv.Itoa(last))
		lu := u
		lu.RawQuery = q.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<%s%s>; rel="next", <%s%s>; rel="last"`, base(r), u.RequestURI(), base(r), lu.RequestURI()))
	}
	out := all[from:to]
	if out == nil {
		out = []any{}
	}
	fakeapi.JSON(w, 200, out)
}

func (s *Server) simpleUser(r *http.Request, u *user) map[string]any {
	b := base(r) + "/users/" + u.Login
	return map[string]any{"login": u.Login, "id": u.ID, "node_id": nodeID("U", u.ID), "avatar_url": "https://avatars.githubusercontent.com/u/" + strconv.FormatInt(u.ID, 10),
		"gravatar_id": "", "url": b, "html_url": "https://github.com/" + u.Login, "followers_url": b + "/followers",
		"following_url": b + "/following{/other_user}", "gists_url": b + "/gists{/gist_id}", "starred_url": b + "/starred{/owner}{/repo}",
		"subscriptions_url": b + "/subscriptions", "organizations_url": b + "/orgs", "repos_url": b + "/repos", "events_url": b + "/events{/privacy}",
		"received_events_url": b + "/received_events", "type": u.Type, "site_admin": false, "user_view_type": "public"}
}

func (s *Server) publicUser(r *http.Request, u *user) map[string]any {
	m := s.simpleUser(r, u)
	var email any
	if u.Email != "" {
		email = u.Email
	}
	for k, v := range map[string]any{"name": u.Name, "company": nil, "blog": "", "location": nil, "email": email, "hireable": nil, "bio": nil,
		"public_repos": 0, "public_gists": 0, "followers": 0, "following": 0, "created_at": "2020-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"} {
		m[k] = v
	}
	return m
}

func (s *Server) orgSimple(r *http.Request, org string) map[string]any {
	b := base(r) + "/orgs/" + org
	u := s.users[org]
	return map[string]any{"login": org, "id": u.ID, "node_id": nodeID("O", u.ID), "url": b, "repos_url": b + "/repos", "events_url": b + "/events",
		"hooks_url": b + "/hooks", "issues_url": b + "/issues", "members_url": b + "/members{/member}", "public_members_url": b + "/public_members{/member}",
		"avatar_url": "https://avatars.githubusercontent.com/u/" + strconv.FormatInt(u.ID, 10), "description": "Flowbench sandbox organization"}
}

func (s *Server) orgMembership(r *http.Request, org string, u *user, m *membership) map[string]any {
	return map[string]any{"url": base(r) + "/orgs/" + org + "/memberships/" + u.Login, "state": m.State, "role": m.Role,
		"organization_url": base(r) + "/orgs/" + org, "organization": s.orgSimple(r, org), "user": s.simpleUser(r, u)}
}

func (s *Server) teamJSON(r *http.Request, org string, t *team) map[string]any {
	b := base(r) + "/organizations/9000/team/" + strconv.FormatInt(t.ID, 10)
	return map[string]any{"id": t.ID, "node_id": nodeID("T", t.ID), "url": b, "html_url": "https://github.com/orgs/" + org + "/teams/" + t.Slug,
		"name": t.Name, "slug": t.Slug, "description": t.Description, "privacy": "closed", "notification_setting": "notifications_enabled",
		"permission": "pull", "members_url": b + "/members{/member}", "repositories_url": b + "/repos", "parent": nil, "type": "organization"}
}

var repoURLKeys = []string{"archive", "assignees", "blobs", "branches", "collaborators", "comments", "commits", "compare", "contents", "contributors",
	"deployments", "downloads", "events", "forks", "git_commits", "git_refs", "git_tags", "hooks", "issue_comment", "issue_events", "issues", "keys",
	"labels", "languages", "merges", "milestones", "notifications", "pulls", "releases", "stargazers", "statuses", "subscribers", "subscription",
	"tags", "teams", "trees"}

func (s *Server) minimalRepo(r *http.Request, rp *repo) map[string]any {
	full := rp.Owner + "/" + rp.Name
	b := base(r) + "/repos/" + full
	m := map[string]any{"id": rp.ID, "node_id": nodeID("R", rp.ID), "name": rp.Name, "full_name": full, "owner": s.simpleUser(r, s.users[strings.ToLower(rp.Owner)]),
		"private": rp.Private, "html_url": "https://github.com/" + full, "description": nil, "fork": false, "url": b}
	for _, k := range repoURLKeys {
		m[k+"_url"] = b + "/" + k
	}
	return m
}

func (s *Server) repoJSON(r *http.Request, rp *repo, full bool) map[string]any {
	m := s.minimalRepo(r, rp)
	name := rp.Owner + "/" + rp.Name
	ts := rp.Created.Format(time.RFC3339)
	for k, v := range map[string]any{"clone_url": "https://github.com/" + name + ".git", "git_url": "git://github.com/" + name + ".git",
		"ssh_url": "git@github.com:" + name + ".git", "svn_url": "https://github.com/" + name, "mirror_url": nil, "homepage": nil, "language": nil,
		"default_branch": rp.DefaultBranch, "forks": 0, "forks_count": 0, "open_issues": 0, "open_issues_count": 0, "watchers": 0, "watchers_count": 0,
		"stargazers_count": 0, "size": 1, "has_issues": true, "has_projects": true, "has_wiki": true, "has_pages": false, "has_downloads": true,
		"has_discussions": false, "archived": false, "disabled": false, "license": nil, "pushed_at": ts, "created_at": ts, "updated_at": ts,
		"visibility": "public"} {
		m[k] = v
	}
	if full {
		m["network_count"] = 0
		m["subscribers_count"] = 0
	}
	return m
}

// deliver POSTs a webhook event (called with s.mu held; sends in the
// background).
func (s *Server) deliver(event string, payload map[string]any) {
	if s.hookURL != "" {
		s.send(s.hookURL, s.hookSec, event, payload)
	}
	for _, h := range s.hooksFor(event, payload) {
		s.send(h.URL, h.Secret, event, payload)
	}
}

// send POSTs one delivery in the background (s.mu held).
func (s *Server) send(u, sec, event string, payload map[string]any) {
	body, _ := json.Marshal(payload)
	s.Deliveries++
	id := fmt.Sprintf("%08d-0000-4000-8000-%012d", s.Deliveries, s.Deliveries)
	go func() {
		req, err := http.NewRequest("POST", u, bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "GitHub-Hookshot/fake")
		req.Header.Set("X-GitHub-Event", event)
		req.Header.Set("X-GitHub-Delivery", id)
		req.Header.Set("X-Hub-Signature-256", Sign(sec, body))
		if resp, err := s.client.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
}

// Sign is GitHub's X-Hub-Signature-256 of a body: "sha256=" + hex HMAC.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// ContentsPath makes the {path} of a contents URL one segment (its slashes
// become "~"), for routers that match one segment per parameter.
func ContentsPath(p string) string {
	if i := strings.Index(p, "/contents/"); i >= 0 {
		return p[:i+len("/contents/")] + strings.ReplaceAll(p[i+len("/contents/"):], "/", "~")
	}
	return p
}
