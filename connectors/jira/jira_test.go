package jira

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/fakeapi"
	"github.com/flowbench/flowbench/connectors/jira/fake"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

func harness(t *testing.T) (*fakeapi.Harness, *fake.Server) {
	f := fake.New(fake.Config{})
	a := &fakeAdapter{Server: f}
	return fakeapi.NewHarness(t, f, nil, a.Connection), f
}

func TestJiraCards(t *testing.T) {
	h, f := harness(t)
	out := h.Must(t, NS+":createIssue", map[string]any{"project": "OIG", "issueType": "10012", "Summary": "Access request: PAM server",
		"Description": "Line one\nLine two", "Reporter": "alice.nguyen@example.com", "Components": []any{"Servers"}, "Okta Department": "Engineering"})
	key, _ := out["Key"].(string)
	if !strings.HasPrefix(key, "OIG-") || !strings.HasSuffix(engine.ToText(out["URL"]), "/browse/"+key) || out["Issue ID"] == nil {
		t.Fatalf("create: %v", out)
	}
	is, _ := f.Issue(key)
	if is["Okta Department"] != "Engineering" || is["reporter"] != "5b10ac8d82e05b22cc7d4e01" || adfText(is["description"]) != "Line one\nLine two" {
		t.Fatalf("stored issue: %v", is)
	}
	_, _, err := h.Card(t, NS+":createIssue", map[string]any{"project": "NOPE", "issueType": "10001", "Summary": "x"})
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Status != 400 || !strings.Contains(he.Summary, "project") {
		t.Fatalf("unknown project: %v", err)
	}
	if _, _, err := h.Card(t, NS+":createIssue", map[string]any{"project": "IT", "issueType": "10001", "Summary": "x", "Reporter": "ghost@example.com"}); err == nil || !strings.Contains(err.Error(), "Reporter") {
		t.Fatalf("unknown reporter should name the field: %v", err)
	}
	if _, _, err := h.Card(t, NS+":createIssue", map[string]any{"project": "IT", "issueType": "10001", "Summary": "x", "No Such Field": "y"}); err == nil || !strings.Contains(err.Error(), "No Such Field") {
		t.Fatalf("unknown custom field: %v", err)
	}
	up := h.Must(t, NS+":updateIssue", map[string]any{"Issue ID or Key": key, "Summary": "Access request: PAM server (approved)", "Request Type": "Onboard New Employee"})
	if up["Status Code"] != 204.0 {
		t.Fatalf("update: %v", up)
	}
	if is, _ := f.Issue(key); is["summary"] != "Access request: PAM server (approved)" || is["Request Type"] != "Onboard New Employee" {
		t.Fatalf("updated issue: %v", is)
	}
	// JQL: the automate_account_creation_from_jira template's query
	s := h.Must(t, NS+":searchIssues", map[string]any{"JQL Query": `project = helpdesk AND  "Request Type" = "Onboard New Employee" AND resolution IS EMPTY ORDER BY created DESC`})
	if s["Count"] != 1.0 {
		t.Fatalf("search: %v", s)
	}
	first := s["Issues"].([]any)[0].(map[string]any)
	if first["Okta First Name"] != "Nia" || first["Summary"] != "Onboard Nia Park" || first["Request Type"] != "Onboard New Employee" {
		t.Fatalf("issue by name: %v", first)
	}
	if _, _, err := h.Card(t, NS+":searchIssues", map[string]any{"JQL Query": `project = `}); err == nil || !strings.Contains(err.Error(), "JQL") {
		t.Fatalf("bad JQL: %v", err)
	}
	// Custom API Action, as get_an_atlassian_id calls it
	ca := h.Must(t, NS+":hTTPRequest", map[string]any{"requestType": "GET", "Relative URL": "/rest/api/3/user/assignable/search", "Query": map[string]any{"project": "HEL", "query": "david.kim@example.com"}})
	if ca["Status Code"] != 200.0 || len(ca["Body"].([]any)) != 1 {
		t.Fatalf("custom api: %v", ca)
	}
}

func TestJiraSearchPages(t *testing.T) {
	h, f := harness(t)
	for i := 0; i < 120; i++ {
		if _, err := f.CreateIssue("IT", "10001", map[string]any{"summary": "bulk"}); err != nil {
			t.Fatal(err)
		}
	}
	s := h.Must(t, NS+":searchIssues", map[string]any{"JQL Query": `project = IT AND summary ~ bulk`, "Max Results": 110})
	if s["Count"] != 110.0 {
		t.Fatalf("pages: %v", s["Count"])
	}
}

func TestJiraConnectionTest(t *testing.T) {
	f := fake.New(fake.Config{})
	rf, err := kit.Serve("jira", &fakeAdapter{Server: f}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer rf.Close()
	if rep := Connector.Test(context.Background(), rf.Connection()); !rep.OK {
		t.Fatalf("connection test: %+v", rep.Steps)
	}
	f.RevokeToken(fake.AdminEmail)
	rep := Connector.Test(context.Background(), rf.Connection())
	last := rep.Steps[len(rep.Steps)-1]
	if rep.OK || last.Status != 401 || !strings.Contains(last.Hint, "API token") {
		t.Fatalf("revoked token: %+v", rep.Steps)
	}
}
