package fake

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/fakeapi"
)

// call sends one request through the spec-validating transport.
func call(t *testing.T, c *http.Client, base, token, method, path string, body any) (int, http.Header, any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, base+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/vnd.github+json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v any
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &v)
	return resp.StatusCode, resp.Header, v
}

func TestFakeFollowsGitHubDescription(t *testing.T) {
	v, err := fakeapi.NewValidator("../testdata/api.github.com.trimmed.json", "")
	if err != nil {
		t.Fatal(err)
	}
	v.Rewrite = ContentsPath
	f := New(Config{})
	srv := httptest.NewServer(f)
	defer srv.Close()
	c := &http.Client{Transport: v.Transport(t, nil)}
	tok := DefaultToken

	st, h, me := call(t, c, srv.URL, tok, "GET", "/user", nil)
	if st != 200 || me.(map[string]any)["login"] != "sandbox-admin" || h.Get("X-RateLimit-Remaining") == "" {
		t.Fatalf("GET /user: %d %v", st, me)
	}
	if st, _, _ := call(t, c, srv.URL, "wrong", "GET", "/user", nil); st != 401 {
		t.Fatalf("bad token: %d", st)
	}
	call(t, c, srv.URL, tok, "GET", "/user/orgs", nil)
	call(t, c, srv.URL, tok, "GET", "/users/alice-nguyen", nil)
	_, h, _ = call(t, c, srv.URL, tok, "GET", "/orgs/flowbench/members?per_page=2", nil)
	if !strings.Contains(h.Get("Link"), `rel="next"`) {
		t.Fatalf("members page 1 has no next link: %q", h.Get("Link"))
	}
	// invite, read, remove
	st, _, m := call(t, c, srv.URL, tok, "PUT", "/orgs/flowbench/memberships/emma-schmidt", map[string]any{"role": "member"})
	if st != 200 || m.(map[string]any)["state"] != "pending" {
		t.Fatalf("invite: %d %v", st, m)
	}
	if st, _, _ := call(t, c, srv.URL, tok, "GET", "/orgs/flowbench/memberships/emma-schmidt", nil); st != 200 {
		t.Fatalf("read membership: %d", st)
	}
	if st, _, _ := call(t, srv.Client(), srv.URL, tok, "PUT", "/orgs/flowbench/memberships/emma-schmidt", map[string]any{"role": "owner"}); st != 422 {
		t.Fatalf("bad role: %d", st)
	}
	if st, _, _ := call(t, c, srv.URL, tok, "DELETE", "/orgs/flowbench/members/bob-martinez", nil); st != 204 {
		t.Fatalf("remove member: %d", st)
	}
	if _, ok := f.IsMember("flowbench", "bob-martinez"); ok {
		t.Fatal("bob is still a member")
	}
	call(t, c, srv.URL, tok, "DELETE", "/orgs/flowbench/memberships/emma-schmidt", nil)
	call(t, c, srv.URL, tok, "GET", "/orgs/flowbench/teams", nil)
	if st, _, _ := call(t, c, srv.URL, tok, "PUT", "/orgs/flowbench/teams/engineering/memberships/kenji-tanaka", map[string]any{"role": "member"}); st != 200 {
		t.Fatalf("team add: %d", st)
	}
	if st, _, _ := call(t, c, srv.URL, tok, "DELETE", "/orgs/flowbench/teams/engineering/memberships/kenji-tanaka", nil); st != 204 {
		t.Fatalf("team remove: %d", st)
	}
	// repositories, branches, contents, pulls
	call(t, c, srv.URL, tok, "GET", "/repos/flowbench/flows", nil)
	_, _, br := call(t, c, srv.URL, tok, "GET", "/repos/flowbench/flows/branches", nil)
	mainSHA := br.([]any)[0].(map[string]any)["commit"].(map[string]any)["sha"].(string)
	if st, _, _ := call(t, c, srv.URL, tok, "POST", "/repos/flowbench/flows/git/refs", map[string]any{"ref": "refs/heads/feature", "sha": mainSHA}); st != 201 {
		t.Fatalf("create ref: %d", st)
	}
	content := base64.StdEncoding.EncodeToString([]byte(`{"flow":1}`))
	st, _, fc := call(t, c, srv.URL, tok, "PUT", "/repos/flowbench/flows/contents/flows/a.json", map[string]any{"message": "add", "content": content, "branch": "feature"})
	if st != 201 {
		t.Fatalf("create file: %d %v", st, fc)
	}
	sha := fc.(map[string]any)["content"].(map[string]any)["sha"].(string)
	// (GitHub's description makes any 409 body match both of its oneOf
	// schemas, so this answer is not validated)
	if st, _, _ := call(t, srv.Client(), srv.URL, tok, "PUT", "/repos/flowbench/flows/contents/flows/a.json", map[string]any{"message": "upd", "content": content, "branch": "feature", "sha": "0000"}); st != 409 {
		t.Fatalf("stale sha: %d", st)
	}
	if st, _, _ := call(t, c, srv.URL, tok, "PUT", "/repos/flowbench/flows/contents/flows/a.json", map[string]any{"message": "upd", "content": content, "branch": "feature", "sha": sha}); st != 200 {
		t.Fatalf("update file: %d", st)
	}
	if st, _, _ := call(t, c, srv.URL, tok, "GET", "/repos/flowbench/flows/contents/flows/a.json?ref=feature", nil); st != 200 {
		t.Fatalf("read file: %d", st)
	}
	st, _, pr := call(t, c, srv.URL, tok, "POST", "/repos/flowbench/flows/pulls", map[string]any{"title": "Add a", "head": "feature", "base": "main"})
	if st != 201 || pr.(map[string]any)["number"].(float64) != 1 {
		t.Fatalf("pull: %d %v", st, pr)
	}
	if st, _, _ := call(t, c, srv.URL, tok, "PUT", "/repos/flowbench/flows/collaborators/octo-outsider", map[string]any{"permission": "pull"}); st != 201 {
		t.Fatalf("collaborator invite: %d", st)
	}
	if st, _, _ := call(t, c, srv.URL, tok, "PUT", "/repos/flowbench/flows/collaborators/alice-nguyen", map[string]any{"permission": "push"}); st != 204 {
		t.Fatalf("member collaborator: %d", st)
	}
	st, _, res := call(t, c, srv.URL, tok, "GET", "/search/users?q=alice.nguyen%40example.com+in%3Aemail", nil)
	if st != 200 || res.(map[string]any)["total_count"].(float64) != 1 {
		t.Fatalf("search: %d %v", st, res)
	}
	// organization webhooks: created (pinged), listed, sent the org's events
	// signed with their own secret, deleted
	got := make(chan string, 8)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("X-Hub-Signature-256") == Sign("hook-secret", body) {
			got <- r.Header.Get("X-GitHub-Event")
		}
	}))
	defer rcv.Close()
	st, _, hk := call(t, c, srv.URL, tok, "POST", "/orgs/flowbench/hooks", map[string]any{"name": "web", "active": true, "events": []string{"organization"},
		"config": map[string]any{"url": rcv.URL + "/hook", "content_type": "json", "secret": "hook-secret", "insecure_ssl": "0"}})
	if st != 201 || hk.(map[string]any)["config"].(map[string]any)["secret"] == "hook-secret" {
		t.Fatalf("create hook: %d %v", st, hk)
	}
	if ev := <-got; ev != "ping" {
		t.Fatalf("first delivery %q, want ping", ev)
	}
	hookID := strconv.FormatInt(int64(hk.(map[string]any)["id"].(float64)), 10)
	if st, _, list := call(t, c, srv.URL, tok, "GET", "/orgs/flowbench/hooks", nil); st != 200 || len(list.([]any)) != 1 {
		t.Fatalf("list hooks: %d %v", st, list)
	}
	if st, _, one := call(t, c, srv.URL, tok, "GET", "/orgs/flowbench/hooks/"+hookID, nil); st != 200 || one.(map[string]any)["config"].(map[string]any)["url"] != rcv.URL+"/hook" {
		t.Fatalf("get hook: %d %v", st, one)
	}
	call(t, c, srv.URL, tok, "PUT", "/orgs/flowbench/memberships/ibrahim-diallo", map[string]any{"role": "member"})
	if ev := <-got; ev != "organization" {
		t.Fatalf("delivery %q, want organization", ev)
	}
	if st, _, _ := call(t, c, srv.URL, tok, "DELETE", "/orgs/flowbench/hooks/"+hookID, nil); st != 204 {
		t.Fatalf("delete hook: %d", st)
	}
	if st, _, _ := call(t, c, srv.URL, tok, "DELETE", "/orgs/flowbench/hooks/"+hookID, nil); st != 404 {
		t.Fatalf("delete again: %d", st)
	}
	for _, op := range v.Operations() {
		if v.Seen[op] == 0 {
			t.Errorf("operation %s of the trimmed description not exercised", op)
		}
	}
}

func TestFakeRevokedTokenAndFaults(t *testing.T) {
	f := New(Config{RateLimit: 3, Faults: []fakeapi.Fault{{PathPrefix: "/users/", Status: 503}}})
	srv := httptest.NewServer(f)
	defer srv.Close()
	c := srv.Client()
	if st, _, _ := call(t, c, srv.URL, DefaultToken, "GET", "/users/alice-nguyen", nil); st != 503 {
		t.Fatalf("fault: %d", st)
	}
	f.SetFaults(nil)
	for range 3 {
		if st, _, _ := call(t, c, srv.URL, DefaultToken, "GET", "/user", nil); st != 200 {
			t.Fatalf("within the limit: %d", st)
		}
	}
	st, h, body := call(t, c, srv.URL, DefaultToken, "GET", "/user", nil)
	if st != 403 || h.Get("X-RateLimit-Remaining") != "0" || !strings.Contains(body.(map[string]any)["message"].(string), "rate limit") {
		t.Fatalf("rate limit: %d %v %v", st, h, body)
	}
	f.AddToken("ghp_other", "alice-nguyen")
	f.Revoke("ghp_other")
	if st, _, body := call(t, c, srv.URL, "ghp_other", "GET", "/user", nil); st != 401 || body.(map[string]any)["message"] != "Bad credentials" {
		t.Fatalf("revoked: %d %v", st, body)
	}
}
