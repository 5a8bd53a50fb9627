// Package github is the GitHub connector: organization membership (add,
// remove, read), repository collaborators, teams, user search, branches,
// file contents and pull requests, a Custom API Action, and webhook
// triggers verified by X-Hub-Signature-256. Cards carry the Okta kinds and
// export field keys of Okta's GitHub connector ("github:addUserToRepository",
// "github:createPullRequest", …) so imported flows map with no renaming.
//
// Auth: a personal access token or GitHub App installation token (Bearer),
// or an OAuth app (authorization code + PKCE). The local fake
// (connectors/github/fake) serves the same API, held to GitHub's published
// REST API description.
package github

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/flowbench/flowbench/connectors/functions"
	"github.com/flowbench/flowbench/connectors/github/fake"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// NotInOrg is the Organization choice of Okta's GitHub cards for a
// repository of the signed-in user.
const NotInOrg = "-- Not In Org --"

// Connector is the GitHub connector declaration.
var Connector = &kit.Connector{
	ID:      "github",
	Title:   "GitHub",
	DocBase: "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/github/actions/",
	BaseURL: "https://api.github.com",
	Auth: []*kit.AuthMethod{
		kit.APIToken("Personal access token", "Token", "Authorization", "Bearer "),
		kit.OAuth2Code("OAuth app", "https://github.com/login/oauth/authorize", "https://github.com/login/oauth/access_token", "repo", "admin:org", "read:user", "user:email"),
	},
	Errors:    Errors,
	RateLimit: rateSignals,
	Pages:     kit.LinkHeader,
	Ladder: &kit.Ladder{
		Identity: kit.Call{Path: "/user"},
		Describe: func(r *kit.Result) (string, map[string]any) {
			m := r.Object()
			return fmt.Sprintf("signed in as %v", m["login"]), map[string]any{"login": m["login"], "name": m["name"]}
		},
		Granted: func(r *kit.Result) []string {
			h := r.Header.Get("X-OAuth-Scopes")
			if h == "" {
				// fine-grained tokens and GitHub App tokens carry no scope
				// header: their permissions show on each call
				return []string{"repo", "admin:org"}
			}
			var out []string
			for _, s := range strings.Split(h, ",") {
				out = append(out, strings.TrimSpace(s))
			}
			return out
		},
		Needed: []string{"repo", "admin:org"},
		Fixes: map[string]string{
			"Bad credentials": "GitHub refused the token (revoked, expired or mistyped): create a new token and paste it, or authorize again.",
		},
	},
	CustomAPI: "github:customApiAction",
	Secrets: []engine.FieldSpec{{Key: SecWebhookSecret, Label: "Webhook secret", Type: engine.T("string"),
		Description: "the secret of the webhook pointed at /webhooks/github/connection/{connectionID}: it signs each delivery (X-Hub-Signature-256)"}},
	Webhook: webhook,
	Fake: func() (kit.Fake, error) {
		return &fakeAdapter{Server: fake.New(fake.Config{})}, nil
	},
}

func init() {
	Connector.Cards = cards()
	Connector.Events = events()
	kit.Register(Connector)
}

// Errors maps GitHub's {"message","documentation_url","errors":[…]} to a
// card error; the message is the code (GitHub has no other), and a 403 with
// x-ratelimit-remaining: 0 is a rate limit.
func Errors(r *kit.Result) *engine.HTTPError {
	if r.Status < 400 {
		return nil
	}
	he := &engine.HTTPError{Status: r.Status, Summary: http.StatusText(r.Status)}
	if m := r.Object(); m != nil {
		if s, ok := m["message"].(string); ok && s != "" {
			he.Summary, he.Code = s, s
		}
		if errs, ok := m["errors"].([]any); ok {
			var parts []string
			for _, e := range errs {
				if em, ok := e.(map[string]any); ok {
					if msg, ok := em["message"].(string); ok {
						parts = append(parts, msg)
					} else {
						parts = append(parts, fmt.Sprintf("%v %v", em["field"], em["code"]))
					}
				}
			}
			if len(parts) > 0 {
				he.Summary += ": " + strings.Join(parts, "; ")
			}
		}
	}
	if r.Status == 403 && r.Header.Get("X-RateLimit-Remaining") == "0" {
		he.Code = "rate_limited"
		he.Summary = "GitHub API rate limit exceeded (resets at " + r.Header.Get("X-RateLimit-Reset") + ")"
	}
	return he
}

// rateSignals passes GitHub's x-ratelimit-* (reset as epoch seconds) to the
// governor once a tenth of the hourly quota is left: before that, pacing
// 5,000 requests evenly over an hour would hold every card ~0.7 s for no
// reason. Near the end of the quota the governor spreads what is left until
// the reset, and at 0 it waits for the reset instead of failing with 403.
func rateSignals(h http.Header, now time.Time) (int, int, time.Time, bool) {
	l, r, reset, ok := kit.XRateLimit(h, now)
	if !ok || l <= 0 || r > l/10 {
		return 0, 0, time.Time{}, false
	}
	return l, r, reset, true
}

// fakeAdapter makes the fake a kit.Fake.
type fakeAdapter struct{ *fake.Server }

func (f *fakeAdapter) Connection(base string) *engine.Connection {
	return &engine.Connection{ID: kit.SandboxID("github"), Kind: "github", Name: "Sandbox GitHub organization",
		Config:  map[string]any{kit.CfgAuthMethod: kit.AuthAPIToken, kit.CfgBaseURL: base},
		Secrets: map[string]string{kit.SecToken: fake.DefaultToken, SecWebhookSecret: fake.WebhookSecret}}
}

func (f *fakeAdapter) SetFaults(fs []kit.Fault) { f.Server.SetFaults(fs) }

// DeliverEventsTo points the fake's webhook at url (the app's relay to
// /webhooks/github/connection/sandbox-github), signed with the sandbox secret.
func (f *fakeAdapter) DeliverEventsTo(url string) { f.Server.SetWebhook(url, fake.WebhookSecret) }

// --- field helpers ---

func orgParam() engine.FieldSpec {
	f := kit.Param("org", "Organization", NotInOrg)
	f.Description = "the organization (" + NotInOrg + ": the signed-in user's own repositories)"
	return f
}

func repoParam() engine.FieldSpec {
	f := kit.Param("repo", "Repository", nil)
	f.Description = "owner/name, e.g. flowbench/flows"
	return f
}

var resultSet = kit.Param("resultSet", "Result Set", "First Matching Record", "First Matching Record", "All Matching Records")

// repoOf reads the repo parameter as owner and name; a bare name takes the
// organization (or the signed-in user) as owner.
func repoOf(ctx context.Context, in *kit.In) (string, string, error) {
	r := in.Text("repo")
	if r == "" {
		return "", "", kit.Errorf("repo", "choose a repository (owner/name)")
	}
	if owner, name, ok := strings.Cut(r, "/"); ok && owner != "" && name != "" {
		return owner, name, nil
	}
	if org := in.Text("org"); org != "" && org != NotInOrg {
		return org, r, nil
	}
	me, err := in.Do(ctx, &kit.Call{Path: "/user"})
	if err != nil {
		return "", "", err
	}
	return engine.ToText(me.Object()["login"]), r, nil
}

func orgOf(in *kit.In, key string) (string, error) {
	o := in.Text(key)
	if o == "" || o == NotInOrg {
		return "", kit.Errorf(key, "choose an organization")
	}
	return o, nil
}

func esc(s string) string { return url.PathEscape(s) }

func cards() []*kit.Card {
	return []*kit.Card{
		{
			Okta: "github:addUserToOrganization", Title: "Add User to Organization", Doc: "addusertoorganization.htm",
			Description: "Invites a GitHub user to the organization, or changes the role of a member (PUT /orgs/{org}/memberships/{username}). A user who is not a member yet gets an invitation (state pending).",
			Inputs: []engine.FieldSpec{kit.Param("org", "Organization", nil), kit.Input("User", "Username", "string", true, "Username"),
				withChoices(kit.Input("User", "Role", "string", false, "Role"), "member", "admin")},
			Outputs: []engine.FieldSpec{kit.Output("Membership", "Username", "string"), kit.Output("Membership", "State", "string"), kit.Output("Membership", "Role", "string")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				org, err := orgOf(in, "org")
				if err != nil {
					return nil, err
				}
				user, err := in.Required("Username")
				if err != nil {
					return nil, err
				}
				role := strings.ToLower(in.Text("Role"))
				if role == "" {
					role = "member"
				}
				if role != "member" && role != "admin" {
					return nil, kit.Errorf("Role", "must be member or admin, not %q", role)
				}
				r, err := in.Do(ctx, &kit.Call{Method: "PUT", Path: "/orgs/" + esc(org) + "/memberships/" + esc(user), JSON: map[string]any{"role": role}, Idempotent: true})
				if err != nil {
					return nil, err
				}
				m := r.Object()
				return engine.Outputs{"Username": kit.Dig(m, "user", "login"), "State": m["state"], "Role": m["role"]}, nil
			},
		},
		{
			Okta: "github:removeUserFromOrganization", Title: "Remove User from Organization", Doc: "removeuserfromorganization.htm",
			Description: "Removes a user from the organization: membership, teams and access to its repositories (DELETE /orgs/{org}/members/{username}).",
			Inputs:      []engine.FieldSpec{kit.Param("org", "Organization", nil), kit.Input("User", "Username", "string", true, "Username")},
			Outputs:     []engine.FieldSpec{kit.Output("Result", "Status Code", "number")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				org, err := orgOf(in, "org")
				if err != nil {
					return nil, err
				}
				user, err := in.Required("Username")
				if err != nil {
					return nil, err
				}
				r, err := in.Do(ctx, &kit.Call{Method: "DELETE", Path: "/orgs/" + esc(org) + "/members/" + esc(user)})
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"Status Code": float64(r.Status)}, nil
			},
		},
		{
			Okta: "github:addUserToRepository", Title: "Add User to Repository", Doc: "addusertorepository.htm",
			Description: "Adds a collaborator to a repository with a permission (pull, triage, push, maintain, admin); someone outside the organization gets an invitation (201), a member is added at once (204).",
			Inputs: []engine.FieldSpec{kit.Input("User", "Username", "string", true, "Username"),
				withChoices(kit.Input("User", "Permission", "string", false, "Permission"), "pull", "triage", "push", "maintain", "admin"),
				kit.Input("Repository", "Owner", "string", true, "Owner"), kit.Input("Repository", "Name", "string", true, "Name")},
			Outputs: []engine.FieldSpec{kit.Output("Result", "Status Code", "number")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				user, err := in.Required("Username")
				if err != nil {
					return nil, err
				}
				owner, err := in.Required("Owner")
				if err != nil {
					return nil, err
				}
				name, err := in.Required("Name")
				if err != nil {
					return nil, err
				}
				perm := strings.ToLower(in.Text("Permission"))
				switch perm {
				case "":
					perm = "push"
				case "read":
					perm = "pull"
				case "write":
					perm = "push"
				case "pull", "triage", "push", "maintain", "admin":
				default:
					return nil, kit.Errorf("Permission", "must be pull, triage, push, maintain or admin, not %q", perm)
				}
				r, err := in.Do(ctx, &kit.Call{Method: "PUT", Path: "/repos/" + esc(owner) + "/" + esc(name) + "/collaborators/" + esc(user), JSON: map[string]any{"permission": perm}, Idempotent: true})
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"Status Code": float64(r.Status)}, nil
			},
		},
		{
			Okta: "github:searchUsers", Title: "Search Users", Doc: "searchusers.htm",
			Description: "Finds GitHub users by public email (GET /search/users, q=<email> in:email type:user); with an organization chosen, only its members.",
			Inputs:      []engine.FieldSpec{kit.Input("User", "Public Email", "string", false, "Public Email"), kit.Input("User", "Username", "string", false, "Username"), orgParam(), resultSet},
			Outputs:     []engine.FieldSpec{kit.Output("Result", "Username", "string"), kit.Output("Result", "Usernames", "string[]"), kit.Output("Result", "Count", "number")},
			Run:         searchUsers,
		},
		teamCard("github:addUserToTeam", "Add User to Team", "PUT"),
		teamCard("github:removeUserFromTeam", "Remove User from Team", "DELETE"),
		{
			Okta: "github:searchBranches", Title: "Search Branches", Doc: "searchbranches.htm",
			Description: "Lists a repository's branches (all pages), keeping those whose name and/or head commit match.",
			Inputs:      []engine.FieldSpec{kit.Input("Branch", "Name", "string", false, "Name"), kit.Input("Branch", "Commit SHA", "string", false, "Commit SHA"), resultSet, orgParam(), repoParam()},
			Outputs:     []engine.FieldSpec{kit.Output("Result", "Name", "string"), kit.Output("Result", "Commit SHA", "string"), kit.Output("Result", "Branches", "object[]")},
			Run:         searchBranches,
		},
		{
			Okta: "github:createBranch", Title: "Create Branch", Doc: "createbranch.htm",
			Description: "Creates a branch at a commit (POST /repos/{owner}/{repo}/git/refs with refs/heads/<name>).",
			Inputs:      []engine.FieldSpec{kit.Input("Branch", "Branch Name", "string", true, "Branch Name"), kit.Input("Branch", shaKey, "string", true, "Commit SHA"), orgParam(), repoParam()},
			Outputs:     []engine.FieldSpec{kit.Output("Branch", "Branch Full Name", "string"), kit.Output("Branch", "Branch Node ID", "string"), kit.Output("Branch", shaKey, "string")},
			Run:         createBranch,
		},
		fileCard("github:createFileContent", "Create File Content", false),
		fileCard("github:updateFileContent", "Update File Content", true),
		{
			Okta: "github:readFileContent", Title: "Read File Content", Doc: "readfilecontent.htm",
			Description: "Reads a file of a repository (GET /repos/{owner}/{repo}/contents/{path}), decoded from base64.",
			Inputs: []engine.FieldSpec{kit.Input("File", "Path", "string", true, "Path"), kit.Input("File", "Branch Name", "string", false, "Branch Name"),
				orgParam(), repoParam()},
			Outputs: []engine.FieldSpec{kit.Output("File", "File Name", "string"), kit.Output("File", "File Path", "string"), kit.Output("File", "File Content", "string"),
				kit.Output("File", "Content SHA", "string"), kit.Output("File", "HTML URL", "string")},
			Run: readFile,
		},
		pullRequestCard(),
	}
}

// shaKey is Okta's key of the Create Branch commit field: its first letter
// is a Cyrillic "С" (U+0421) in every export, kept so imports map.
const shaKey = "Сommit SHA"

func withChoices(f engine.FieldSpec, choices ...string) engine.FieldSpec {
	for _, c := range choices {
		f.Choices = append(f.Choices, engine.Choice{Value: c, Label: c})
	}
	return f
}

func teamCard(kind, title, method string) *kit.Card {
	desc := "Adds a user to a team of the organization (PUT /orgs/{org}/teams/{team_slug}/memberships/{username}); someone not in the organization is invited."
	if method == "DELETE" {
		desc = "Removes a user from a team of the organization (DELETE /orgs/{org}/teams/{team_slug}/memberships/{username})."
	}
	inputs := []engine.FieldSpec{kit.Param("org", "Organization", nil), kit.Input("Team", "Team Slug", "string", true, "Team Slug"), kit.Input("User", "Username", "string", true, "Username")}
	outputs := []engine.FieldSpec{kit.Output("Result", "Status Code", "number")}
	if method == "PUT" {
		inputs = append(inputs, withChoices(kit.Input("User", "Role", "string", false, "Role"), "member", "maintainer"))
		outputs = append(outputs, kit.Output("Membership", "Role", "string"), kit.Output("Membership", "State", "string"))
	}
	return &kit.Card{Okta: kind, Title: title, Description: desc, Inputs: inputs, Outputs: outputs,
		Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
			org, err := orgOf(in, "org")
			if err != nil {
				return nil, err
			}
			slug, err := in.Required("Team Slug")
			if err != nil {
				return nil, err
			}
			user, err := in.Required("Username")
			if err != nil {
				return nil, err
			}
			call := &kit.Call{Method: method, Path: "/orgs/" + esc(org) + "/teams/" + esc(slug) + "/memberships/" + esc(user), Idempotent: true}
			if method == "PUT" {
				role := strings.ToLower(in.Text("Role"))
				if role == "" {
					role = "member"
				}
				if role != "member" && role != "maintainer" {
					return nil, kit.Errorf("Role", "must be member or maintainer, not %q", role)
				}
				call.JSON = map[string]any{"role": role}
			}
			r, err := in.Do(ctx, call)
			if err != nil {
				return nil, err
			}
			out := engine.Outputs{"Status Code": float64(r.Status)}
			if method == "PUT" {
				out["Role"], out["State"] = r.Object()["role"], r.Object()["state"]
			}
			return out, nil
		}}
}

func searchUsers(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	email, login := in.Text("Public Email"), in.Text("Username")
	if email == "" && login == "" {
		return nil, kit.Errorf("Public Email", "give a public email or a username to search for")
	}
	q := "type:user"
	if email != "" {
		q = email + " in:email " + q
	}
	if login != "" {
		q = login + " in:login " + q
	}
	var found []string
	err := in.Client.Pages(ctx, &kit.Call{Path: "/search/users", Query: url.Values{"q": {q}, "per_page": {"100"}}, OnAttempt: in.Run.Attempt}, kit.LinkHeader, 10, []string{"items"},
		func(items []any) bool {
			for _, it := range items {
				if m, ok := it.(map[string]any); ok {
					found = append(found, engine.ToText(m["login"]))
				}
			}
			return true
		})
	if err != nil {
		return nil, err
	}
	if org := in.Text("org"); org != "" && org != NotInOrg {
		members := map[string]bool{}
		err := in.Client.Pages(ctx, &kit.Call{Path: "/orgs/" + esc(org) + "/members", Query: url.Values{"per_page": {"100"}}, OnAttempt: in.Run.Attempt}, kit.LinkHeader, 50, nil,
			func(items []any) bool {
				for _, it := range items {
					if m, ok := it.(map[string]any); ok {
						members[strings.ToLower(engine.ToText(m["login"]))] = true
					}
				}
				return true
			})
		if err != nil {
			return nil, err
		}
		kept := found[:0]
		for _, l := range found {
			if members[strings.ToLower(l)] {
				kept = append(kept, l)
			}
		}
		found = kept
	}
	out := engine.Outputs{"Count": float64(len(found)), "Usernames": toAny(found), "Username": nil}
	if len(found) > 0 {
		out["Username"] = found[0]
	}
	return out, nil
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

func searchBranches(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	owner, name, err := repoOf(ctx, in)
	if err != nil {
		return nil, err
	}
	want, wantSHA := in.Text("Name"), in.Text("Commit SHA")
	var hits []any
	err = in.Client.Pages(ctx, &kit.Call{Path: "/repos/" + esc(owner) + "/" + esc(name) + "/branches", Query: url.Values{"per_page": {"100"}}, OnAttempt: in.Run.Attempt}, kit.LinkHeader, 50, nil,
		func(items []any) bool {
			for _, it := range items {
				m, _ := it.(map[string]any)
				n, sha := engine.ToText(m["name"]), engine.ToText(kit.Dig(m, "commit", "sha"))
				if (want == "" || n == want) && (wantSHA == "" || sha == wantSHA) {
					hits = append(hits, map[string]any{"Name": n, "Commit SHA": sha, "Protected": m["protected"]})
				}
			}
			return true
		})
	if err != nil {
		return nil, err
	}
	out := engine.Outputs{"Branches": hits, "Name": nil, "Commit SHA": nil}
	if len(hits) > 0 {
		out["Name"], out["Commit SHA"] = hits[0].(map[string]any)["Name"], hits[0].(map[string]any)["Commit SHA"]
	}
	if in.Text("resultSet") == "First Matching Record" && len(hits) > 1 {
		out["Branches"] = hits[:1]
	}
	return out, nil
}

func createBranch(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	owner, name, err := repoOf(ctx, in)
	if err != nil {
		return nil, err
	}
	br, err := in.Required("Branch Name")
	if err != nil {
		return nil, err
	}
	sha, err := in.Required(shaKey)
	if err != nil {
		return nil, err
	}
	ref := "refs/heads/" + strings.TrimPrefix(br, "refs/heads/")
	r, err := in.Do(ctx, &kit.Call{Method: "POST", Path: "/repos/" + esc(owner) + "/" + esc(name) + "/git/refs", JSON: map[string]any{"ref": ref, "sha": sha}})
	if err != nil {
		return nil, err
	}
	m := r.Object()
	return engine.Outputs{"Branch Full Name": m["ref"], "Branch Node ID": m["node_id"], shaKey: kit.Dig(m, "object", "sha")}, nil
}

func contentsPath(owner, name, p string) string {
	segs := strings.Split(strings.Trim(p, "/"), "/")
	for i, s := range segs {
		segs[i] = esc(s)
	}
	return "/repos/" + esc(owner) + "/" + esc(name) + "/contents/" + strings.Join(segs, "/")
}

func fileCard(kind, title string, update bool) *kit.Card {
	desc := "Creates a file in a repository with a commit message (PUT /repos/{owner}/{repo}/contents/{path}); the content is sent base64-encoded."
	if update {
		desc = "Replaces a file's content with a commit (reads the file's current SHA first, then PUT /repos/{owner}/{repo}/contents/{path})."
	}
	return &kit.Card{Okta: kind, Title: title, Description: desc, Doc: strings.ToLower(strings.ReplaceAll(title, " ", "")) + ".htm",
		Inputs: []engine.FieldSpec{kit.Input("File", "Message", "string", true, "Message"), kit.Input("File", "File Content", "file", true, "File Content"),
			kit.Input("File", "Path", "string", true, "Path"), kit.Input("File", "Branch Name", "string", false, "Branch Name"),
			orgParam(), repoParam(), kit.Param("branchField", "Branch", "Use Default Branch", "Provide Branch", "Use Default Branch")},
		Outputs: []engine.FieldSpec{kit.Output("File", "File Name", "string"), kit.Output("File", "File Path", "string"),
			kit.Output("File", "Content SHA", "string"), kit.Output("File", "HTML URL", "string")},
		Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
			owner, name, err := repoOf(ctx, in)
			if err != nil {
				return nil, err
			}
			msg, err := in.Required("Message")
			if err != nil {
				return nil, err
			}
			p, err := in.Required("Path")
			if err != nil {
				return nil, err
			}
			if in.Values["File Content"] == nil {
				return nil, kit.Errorf("File Content", "is required")
			}
			// text, or a file a Download (or another card) stored
			content := engine.ToText(in.Values["File Content"])
			if _, ok := functions.FileID(content); ok {
				f, err := functions.ReadFileValue(ctx, in.Run, "File Content", content)
				if err != nil {
					return nil, err
				}
				content = string(f.Data)
			}
			branch := ""
			if in.Text("branchField") == "Provide Branch" {
				if branch, err = in.Required("Branch Name"); err != nil {
					return nil, err
				}
			} else {
				branch = in.Text("Branch Name")
			}
			body := map[string]any{"message": msg, "content": base64.StdEncoding.EncodeToString([]byte(content))}
			if branch != "" {
				body["branch"] = branch
			}
			cp := contentsPath(owner, name, p)
			if update {
				q := url.Values{}
				if branch != "" {
					q.Set("ref", branch)
				}
				cur, err := in.Do(ctx, &kit.Call{Path: cp, Query: q})
				if err != nil {
					var he *engine.HTTPError
					if asHTTP(err, &he) && he.Status == 404 {
						return nil, kit.Errorf("Path", "%s does not exist in %s/%s%s: use Create File Content", p, owner, name, onBranch(branch))
					}
					return nil, err
				}
				body["sha"] = cur.Object()["sha"]
			}
			r, err := in.Do(ctx, &kit.Call{Method: "PUT", Path: cp, JSON: body})
			if err != nil {
				var he *engine.HTTPError
				if !update && asHTTP(err, &he) && he.Status == 422 && strings.Contains(he.Summary, "sha") {
					return nil, kit.Errorf("Path", "%s already exists in %s/%s%s: use Update File Content", p, owner, name, onBranch(branch))
				}
				return nil, err
			}
			c, _ := r.Object()["content"].(map[string]any)
			return engine.Outputs{"File Name": c["name"], "File Path": c["path"], "Content SHA": c["sha"], "HTML URL": c["html_url"]}, nil
		}}
}

func onBranch(b string) string {
	if b == "" {
		return ""
	}
	return " (branch " + b + ")"
}

func asHTTP(err error, he **engine.HTTPError) bool {
	return err != nil && engineAs(err, he)
}

func readFile(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	owner, name, err := repoOf(ctx, in)
	if err != nil {
		return nil, err
	}
	p, err := in.Required("Path")
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	if b := in.Text("Branch Name"); b != "" {
		q.Set("ref", b)
	}
	r, err := in.Do(ctx, &kit.Call{Path: contentsPath(owner, name, p), Query: q})
	if err != nil {
		return nil, err
	}
	m := r.Object()
	if m == nil || m["type"] != "file" {
		return nil, kit.Errorf("Path", "%s is a directory, not a file", p)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(engine.ToText(m["content"]), "\n", ""))
	if err != nil {
		return nil, fmt.Errorf("GitHub sent content that is not base64: %w", err)
	}
	return engine.Outputs{"File Name": path.Base(engine.ToText(m["path"])), "File Path": m["path"], "File Content": string(raw), "Content SHA": m["sha"], "HTML URL": m["html_url"]}, nil
}

// prOutputs are Okta's Create Pull Request outputs → the response path.
var prOutputs = [][3]string{
	{"Pull Request Number", "string", "number"}, {"Pull Request ID", "number", "id"}, {"Pull Request Node ID", "string", "node_id"},
	{"Title", "string", "title"}, {"State", "string", "state"}, {"Description", "string", "body"}, {"Author Association", "string", "author_association"},
	{"Login", "string", "user.login"}, {"User Node ID", "string", "user.node_id"}, {"User ID", "number", "user.id"},
	{"Assignee Username", "string", "assignee.login"}, {"Assignee Node ID", "string", "assignee.node_id"}, {"Assignee ID", "number", "assignee.id"},
	{"Assignees", "object[]", "assignees"}, {"Labels", "object[]", "labels"},
	{"Milestone Title", "string", "milestone.title"}, {"Milestone ID", "number", "milestone.id"}, {"Milestone Node ID", "string", "milestone.node_id"},
	{"Milestone Number", "number", "milestone.number"}, {"BASE Branch", "string", "base.ref"}, {"HEAD Branch", "string", "head.ref"},
	{"Diff URL", "string", "diff_url"}, {"HTML URL", "string", "html_url"}, {"Patch URL", "string", "patch_url"},
	{"Created At", "date", "created_at"}, {"Updated At", "date", "updated_at"}, {"Is Maintainer Can Modify?", "boolean", "maintainer_can_modify"},
	{"Is Locked?", "boolean", "locked"}, {"Is Draft?", "boolean", "draft"}, {"Additions Count", "number", "additions"},
	{"Deletions Count", "number", "deletions"}, {"Changed Files Count", "number", "changed_files"}, {"Commits Count", "number", "commits"},
}

func pullRequestCard() *kit.Card {
	var outs []engine.FieldSpec
	for _, o := range prOutputs {
		outs = append(outs, kit.Output("Pull Request", o[0], o[1]))
	}
	return &kit.Card{Okta: "github:createPullRequest", Title: "Create Pull Request", Doc: "createpullrequest.htm",
		Description: "Opens a pull request from the HEAD branch into the BASE branch (POST /repos/{owner}/{repo}/pulls).",
		Inputs: []engine.FieldSpec{kit.Input("Pull Request", "BASE Branch", "string", true, "BASE Branch"), kit.Input("Pull Request", "HEAD Branch", "string", true, "HEAD Branch"),
			kit.Input("Pull Request", "Title", "string", true, "Title"), kit.Input("Pull Request", "Description", "string", false, "Description"),
			kit.Input("Pull Request", "Is Draft?", "boolean", false, "Is Draft?"), kit.Input("Pull Request", "Issue Number", "number", false, "Issue Number"),
			kit.Input("Pull Request", "HEAD Repository Owner", "string", false, "HEAD Repository Owner"),
			orgParam(), repoParam(), kit.Param("isIssue", "Link to an Issue?", "No", "No", "Yes"), kit.Param("useForks", "From a Fork?", "No", "No", "Yes")},
		Outputs: outs,
		Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
			owner, name, err := repoOf(ctx, in)
			if err != nil {
				return nil, err
			}
			base, err := in.Required("BASE Branch")
			if err != nil {
				return nil, err
			}
			head, err := in.Required("HEAD Branch")
			if err != nil {
				return nil, err
			}
			body := map[string]any{"base": base, "head": head, "draft": in.Bool("Is Draft?", false)}
			if in.Bool("useForks", false) {
				fo, err := in.Required("HEAD Repository Owner")
				if err != nil {
					return nil, err
				}
				body["head"] = fo + ":" + head
			}
			if in.Bool("isIssue", false) {
				n, err := engine.ToNumber(in.Values["Issue Number"])
				if err != nil || n <= 0 {
					return nil, kit.Errorf("Issue Number", "give the number of the issue to turn into a pull request")
				}
				body["issue"] = n
			} else {
				t, err := in.Required("Title")
				if err != nil {
					return nil, err
				}
				body["title"] = t
				if d := engine.ToText(in.Values["Description"]); d != "" {
					body["body"] = d
				}
			}
			r, err := in.Do(ctx, &kit.Call{Method: "POST", Path: "/repos/" + esc(owner) + "/" + esc(name) + "/pulls", JSON: body})
			if err != nil {
				return nil, err
			}
			m := r.Object()
			out := engine.Outputs{}
			for _, o := range prOutputs {
				v := kit.Dig(m, strings.Split(o[2], ".")...)
				if o[0] == "Pull Request Number" && v != nil {
					v = engine.ToText(v)
				}
				out[o[0]] = v
			}
			return out, nil
		}}
}

var _ = sort.Strings
