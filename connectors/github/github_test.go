package github

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/fakeapi"
	_ "github.com/flowbench/flowbench/connectors/functions"
	"github.com/flowbench/flowbench/connectors/github/fake"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

func harness(t *testing.T) (*fakeapi.Harness, *fake.Server, *fakeapi.Validator) {
	v, err := fakeapi.NewValidator("testdata/api.github.com.trimmed.json", "")
	if err != nil {
		t.Fatal(err)
	}
	v.Rewrite = fake.ContentsPath
	f := fake.New(fake.Config{})
	a := &fakeAdapter{Server: f}
	h := fakeapi.NewHarness(t, f, v, a.Connection)
	return h, f, v
}

func TestGitHubCardsAgainstFake(t *testing.T) {
	h, f, v := harness(t)
	// add to organization (invitation), then remove
	out := h.Must(t, "github:addUserToOrganization", map[string]any{"org": "flowbench", "Username": "emma-schmidt", "Role": "member"})
	if out["State"] != "pending" || out["Username"] != "emma-schmidt" {
		t.Fatalf("add to org: %v", out)
	}
	if st, ok := f.IsMember("flowbench", "emma-schmidt"); !ok || st != "pending" {
		t.Fatalf("fake membership: %q %v", st, ok)
	}
	_, _, err := h.Card(t, "github:addUserToOrganization", map[string]any{"org": "flowbench", "Username": "emma-schmidt", "Role": "owner"})
	if err == nil || !strings.Contains(err.Error(), "Role") {
		t.Fatalf("bad role error should name Role: %v", err)
	}
	out = h.Must(t, "github:removeUserFromOrganization", map[string]any{"org": "flowbench", "Username": "bob-martinez"})
	if out["Status Code"] != 204.0 {
		t.Fatalf("remove: %v", out)
	}
	if _, ok := f.IsMember("flowbench", "bob-martinez"); ok {
		t.Fatal("bob still a member")
	}
	// repository collaborator: outsider invited (201), member added (204)
	if out := h.Must(t, "github:addUserToRepository", map[string]any{"Username": "octo-outsider", "Permission": "pull", "Owner": "flowbench", "Name": "flows"}); out["Status Code"] != 201.0 {
		t.Fatalf("add outsider: %v", out)
	}
	if out := h.Must(t, "github:addUserToRepository", map[string]any{"Username": "alice-nguyen", "Owner": "flowbench", "Name": "flows"}); out["Status Code"] != 204.0 {
		t.Fatalf("add member: %v", out)
	}
	// teams
	if out := h.Must(t, "github:addUserToTeam", map[string]any{"org": "flowbench", "Team Slug": "engineering", "Username": "kenji-tanaka"}); out["State"] != "active" {
		t.Fatalf("team add: %v", out)
	}
	h.Must(t, "github:removeUserFromTeam", map[string]any{"org": "flowbench", "Team Slug": "engineering", "Username": "kenji-tanaka"})
	// search users by public email, within the org and anywhere
	if out := h.Must(t, "github:searchUsers", map[string]any{"Public Email": "alice.nguyen@example.com", "org": "flowbench", "resultSet": "First Matching Record"}); out["Username"] != "alice-nguyen" {
		t.Fatalf("search in org: %v", out)
	}
	if out := h.Must(t, "github:searchUsers", map[string]any{"Public Email": "octo.outsider@example.net", "org": "flowbench"}); out["Username"] != nil || out["Count"] != 0.0 {
		t.Fatalf("outsider is not in the org: %v", out)
	}
	if out := h.Must(t, "github:searchUsers", map[string]any{"Public Email": "octo.outsider@example.net", "org": NotInOrg}); out["Username"] != "octo-outsider" {
		t.Fatalf("search anywhere: %v", out)
	}
	// branches, files, pull request (the flow_folder_versioning_github chain)
	repo := map[string]any{"org": NotInOrg, "repo": "flowbench/flows"}
	with := func(m map[string]any) map[string]any {
		for k, v := range repo {
			m[k] = v
		}
		return m
	}
	br := h.Must(t, "github:searchBranches", with(map[string]any{"Name": "main", "resultSet": "First Matching Record"}))
	sha, _ := br["Commit SHA"].(string)
	if br["Name"] != "main" || len(sha) != 40 {
		t.Fatalf("search branches: %v", br)
	}
	nb := h.Must(t, "github:createBranch", with(map[string]any{"Branch Name": "flows-2024", shaKey: sha}))
	if nb["Branch Full Name"] != "refs/heads/flows-2024" || nb[shaKey] != sha {
		t.Fatalf("create branch: %v", nb)
	}
	fc := h.Must(t, "github:createFileContent", with(map[string]any{"Message": "add flow", "File Content": `{"a":1}`, "Path": "flows/a.flow", "Branch Name": "flows-2024", "branchField": "Provide Branch"}))
	if fc["File Name"] != "a.flow" || fc["File Path"] != "flows/a.flow" || fc["Content SHA"] == nil {
		t.Fatalf("create file: %v", fc)
	}
	_, _, err = h.Card(t, "github:createFileContent", with(map[string]any{"Message": "again", "File Content": "x", "Path": "flows/a.flow", "Branch Name": "flows-2024", "branchField": "Provide Branch"}))
	if err == nil || !strings.Contains(err.Error(), "Update File Content") {
		t.Fatalf("create over an existing file: %v", err)
	}
	up := h.Must(t, "github:updateFileContent", with(map[string]any{"Message": "change flow", "File Content": `{"a":2}`, "Path": "flows/a.flow", "Branch Name": "flows-2024", "branchField": "Provide Branch"}))
	if up["Content SHA"] == fc["Content SHA"] {
		t.Fatalf("update kept the sha: %v", up)
	}
	if got, _ := f.FileContent("flowbench/flows", "flows-2024", "flows/a.flow"); string(got) != `{"a":2}` {
		t.Fatalf("fake file: %q", got)
	}
	rd := h.Must(t, "github:readFileContent", with(map[string]any{"Path": "flows/a.flow", "Branch Name": "flows-2024"}))
	if rd["File Content"] != `{"a":2}` {
		t.Fatalf("read file: %v", rd)
	}
	pr := h.Must(t, "github:createPullRequest", with(map[string]any{"BASE Branch": "main", "HEAD Branch": "flows-2024", "Title": "Flows backup", "Description": "nightly", "Is Draft?": false}))
	if pr["Pull Request Number"] != "1" || pr["State"] != "open" || pr["HEAD Branch"] != "flows-2024" || pr["Login"] != "sandbox-admin" {
		t.Fatalf("pull request: %v", pr)
	}
	// a vendor error keeps GitHub's message
	_, _, err = h.Card(t, "github:createPullRequest", with(map[string]any{"BASE Branch": "main", "HEAD Branch": "flows-2024", "Title": "again"}))
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Status != 422 || !strings.Contains(he.Summary, "already exists") {
		t.Fatalf("duplicate pull request: %v", err)
	}
	// Custom API Action: any status is a result
	ca := h.Must(t, "github:customApiAction", map[string]any{"requestType": "GET", "Relative URL": "/users/alice-nguyen"})
	if ca["Status Code"] != 200.0 || at(ca["Body"], "login") != "alice-nguyen" {
		t.Fatalf("custom api: %v", ca)
	}
	ca = h.Must(t, "github:customApiAction", map[string]any{"requestType": "GET", "Relative URL": "/users/nobody-here"})
	if ca["Status Code"] != 404.0 {
		t.Fatalf("custom api 404: %v", ca)
	}
	for _, op := range []string{"PUT /orgs/{org}/memberships/{username}", "DELETE /orgs/{org}/members/{username}", "POST /repos/{owner}/{repo}/pulls", "GET /search/users"} {
		if v.Seen[op] == 0 {
			t.Errorf("no card used %s", op)
		}
	}
}

func at(v any, k string) any {
	m, _ := v.(map[string]any)
	return m[k]
}

func TestGitHubConnectionTest(t *testing.T) {
	f := fake.New(fake.Config{})
	rf, err := kit.Serve("github", &fakeAdapter{Server: f}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer rf.Close()
	rep := Connector.Test(context.Background(), rf.Connection())
	if !rep.OK {
		t.Fatalf("connection test against the fake failed: %+v", rep.Steps)
	}
	f.Revoke(fake.DefaultToken)
	rep = Connector.Test(context.Background(), rf.Connection())
	last := rep.Steps[len(rep.Steps)-1]
	if rep.OK || last.Status != 401 || !strings.Contains(last.Hint, "revoked") {
		t.Fatalf("revoked token: %+v", rep.Steps)
	}
}

func TestGitHubRateSignalsOnlyNearTheEnd(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	h := http.Header{}
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Reset", "1700003600")
	h.Set("X-RateLimit-Remaining", "4000")
	if _, _, _, ok := rateSignals(h, now); ok {
		t.Fatal("plenty left: the governor should not pace")
	}
	h.Set("X-RateLimit-Remaining", "12")
	l, r, reset, ok := rateSignals(h, now)
	if !ok || l != 5000 || r != 12 || !reset.Equal(time.Unix(1700003600, 0)) {
		t.Fatalf("near the end: %v %v %v %v", l, r, reset, ok)
	}
}
