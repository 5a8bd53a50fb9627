// Package jira is the Jira Cloud connector: create and update issues,
// search with JQL, a Custom API Action (Okta's "HTTP request",
// jira2:hTTPRequest), and Issue Created / Issue Updated triggers (a Jira
// webhook verified with its secret, or JQL polling). Cards carry the Okta
// kinds and export field keys of Okta's Jira connector (namespace "jira2")
// so imported flows map with no renaming; custom fields are read and
// written by their names ("Okta First Name"), as Okta's cards show them.
//
// Auth: Basic with an Atlassian account's email and API token, or OAuth 2.0
// (3LO) whose calls go to https://api.atlassian.com/ex/jira/{cloudId}.
package jira

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/flowbench/flowbench/connectors/jira/fake"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// NS is the Okta namespace of Jira cards in exports.
const NS = "jira2"

func basicAuth() *kit.AuthMethod {
	m := kit.Basic("API token (email and token)")
	m.Fields[0].Label, m.Fields[0].Description = "Email", "the Atlassian account's email"
	m.Secrets[0].Label, m.Secrets[0].Description = "API token", "created at id.atlassian.com → Security → API tokens"
	return m
}

func oauthAuth() *kit.AuthMethod {
	m := kit.OAuth2Code("OAuth 2.0 (3LO app)", "https://auth.atlassian.com/authorize", "https://auth.atlassian.com/oauth/token",
		"read:jira-work", "write:jira-work", "read:jira-user", "offline_access")
	m.AuthParams = map[string]string{"audience": "api.atlassian.com", "prompt": "consent"}
	m.Fields = append(m.Fields, engine.FieldSpec{Key: kit.CfgBaseURL, Label: "API base URL", Type: engine.T("string"), Required: true,
		Description: "https://api.atlassian.com/ex/jira/{cloudId} (the site's cloud id from https://api.atlassian.com/oauth/token/accessible-resources)"})
	return m
}

// Connector is the Jira connector declaration.
var Connector = &kit.Connector{
	ID:      "jira",
	Title:   "Jira",
	DocBase: "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/jira/actions/",
	Fields: []engine.FieldSpec{{Key: "domain", Label: "Site", Type: engine.T("string"), Required: true,
		Description: "your Jira Cloud site, e.g. acme.atlassian.net"}},
	BaseURL: "https://{domain}",
	Auth:    []*kit.AuthMethod{basicAuth(), oauthAuth()},
	Errors:  Errors,
	Ladder: &kit.Ladder{
		Identity: kit.Call{Path: "/rest/api/3/myself"},
		Describe: func(r *kit.Result) (string, map[string]any) {
			m := r.Object()
			return fmt.Sprintf("signed in as %v (%v)", m["displayName"], m["emailAddress"]), map[string]any{"accountId": m["accountId"]}
		},
		Fixes: map[string]string{
			"Client must be authenticated to access this resource.": "Jira refused the email and API token (a revoked or mistyped token, or another site): create a new API token and paste it.",
		},
	},
	CustomAPI: NS + ":hTTPRequest",
	Secrets: []engine.FieldSpec{{Key: SecWebhookSecret, Label: "Webhook secret", Type: engine.T("string"),
		Description: "the secret of the Jira webhook pointed at /webhooks/jira/connection/{connectionID}: Jira signs each delivery with it"}},
	Webhook: webhook,
	Poll:    poll,
	Fake: func() (kit.Fake, error) {
		return &fakeAdapter{Server: fake.New(fake.Config{})}, nil
	},
}

func init() {
	Connector.Cards = cards()
	Connector.Events = events()
	kit.Register(Connector)
}

// Errors maps {"errorMessages":[…],"errors":{field: message}} to a card
// error; the first message is the code.
func Errors(r *kit.Result) *engine.HTTPError {
	if r.Status < 400 {
		return nil
	}
	he := kit.StatusErrors(r)
	m := r.Object()
	var parts []string
	if l, ok := m["errorMessages"].([]any); ok {
		for _, x := range l {
			parts = append(parts, engine.ToText(x))
		}
	}
	if e, ok := m["errors"].(map[string]any); ok {
		keys := make([]string, 0, len(e))
		for k := range e {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			parts = append(parts, k+": "+engine.ToText(e[k]))
		}
	}
	if len(parts) > 0 {
		he.Code, he.Summary = parts[0], strings.Join(parts, "; ")
	}
	return he
}

type fakeAdapter struct{ *fake.Server }

func (f *fakeAdapter) Connection(base string) *engine.Connection {
	return &engine.Connection{ID: kit.SandboxID("jira"), Kind: "jira", Name: "Sandbox Jira site",
		Config:  map[string]any{kit.CfgAuthMethod: kit.AuthBasic, "domain": "sandbox.atlassian.net", kit.CfgBaseURL: base, kit.CfgUsername: fake.AdminEmail},
		Secrets: map[string]string{kit.SecPassword: fake.APIToken, SecWebhookSecret: fake.WebhookSecret}}
}

func (f *fakeAdapter) SetFaults(fs []kit.Fault) { f.Server.SetFaults(fs) }

// DeliverEventsTo points the fake's webhook at url (the app's relay to
// /webhooks/jira/connection/sandbox-jira), signed with the sandbox secret.
func (f *fakeAdapter) DeliverEventsTo(url string) { f.Server.SetWebhook(url, fake.WebhookSecret) }

// adf turns plain text into an Atlassian Document Format document (one
// paragraph per line), as REST API v3 takes rich-text fields.
func adf(text string) map[string]any {
	var paras []any
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		p := map[string]any{"type": "paragraph"}
		if line != "" {
			p["content"] = []any{map[string]any{"type": "text", "text": line}}
		}
		paras = append(paras, p)
	}
	return map[string]any{"type": "doc", "version": 1, "content": paras}
}

// adfText flattens an ADF document (or plain text) back to text.
func adfText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case map[string]any:
		if t, ok := x["text"].(string); ok {
			return t
		}
		var parts []string
		if c, ok := x["content"].([]any); ok {
			for _, e := range c {
				parts = append(parts, adfText(e))
			}
		}
		sep := ""
		if x["type"] == "doc" {
			sep = "\n"
		}
		return strings.Join(parts, sep)
	}
	return engine.ToText(v)
}

// accountID finds a user's account id by email (or takes an account id).
func accountID(ctx context.Context, in *kit.In, key, who string) (string, error) {
	r, err := in.Do(ctx, &kit.Call{Path: "/rest/api/3/user/search", Query: url.Values{"query": {who}}})
	if err != nil {
		return "", err
	}
	list, _ := r.Body.([]any)
	for _, u := range list {
		m, _ := u.(map[string]any)
		if strings.EqualFold(engine.ToText(m["emailAddress"]), who) || m["accountId"] == who {
			return engine.ToText(m["accountId"]), nil
		}
	}
	if len(list) == 1 {
		return engine.ToText(list[0].(map[string]any)["accountId"]), nil
	}
	return "", kit.Errorf(key, "no Jira user %q (give an email or an account id)", who)
}

// fieldsByName maps field names (and ids) to their id and schema type.
func fieldsByName(ctx context.Context, in *kit.In) (map[string][2]string, error) {
	r, err := in.Do(ctx, &kit.Call{Path: "/rest/api/3/field"})
	if err != nil {
		return nil, err
	}
	out := map[string][2]string{}
	list, _ := r.Body.([]any)
	for _, x := range list {
		m, _ := x.(map[string]any)
		id, name := engine.ToText(m["id"]), engine.ToText(m["name"])
		typ := engine.ToText(kit.Dig(m, "schema", "type"))
		out[strings.ToLower(name)] = [2]string{id, typ}
		out[strings.ToLower(id)] = [2]string{id, typ}
	}
	return out, nil
}

// fieldValue shapes a value for a field's schema type.
func fieldValue(typ string, v any) any {
	switch typ {
	case "option":
		return map[string]any{"value": engine.ToText(v)}
	case "priority", "status", "resolution":
		return map[string]any{"name": engine.ToText(v)}
	case "doc":
		return adf(engine.ToText(v))
	case "array":
		if l, ok := v.([]any); ok {
			return l
		}
		return []any{engine.ToText(v)}
	}
	return v
}

func issueOutputs() []engine.FieldSpec {
	return []engine.FieldSpec{kit.Output("Issue", "Key", "string"), kit.Output("Issue", "Issue ID", "string"), kit.Output("Issue", "URL", "string"), kit.Output("Issue", "API Resource URL", "string")}
}

func cards() []*kit.Card {
	projectParam := kit.Param("project", "Project", nil)
	projectParam.Description = "the project's key (e.g. HEL)"
	typeParam := kit.Param("issueType", "Issue Type", nil)
	typeParam.Description = "the issue type's id (e.g. 10001) or name (Task)"
	return []*kit.Card{
		{Okta: NS + ":createIssue", Title: "Create Issue", Doc: "createissue.htm",
			Description:      "Creates an issue in a project (POST /rest/api/3/issue); the description is sent as a document, the reporter found by email, components by name; fields added to the card are custom fields by name.",
			ExtensibleInputs: true,
			Inputs: []engine.FieldSpec{projectParam, typeParam, kit.Input("Fields", "Summary", "string", true, "Summary"), kit.Input("Fields", "Parent", "string", false, "Parent (issue key)"),
				kit.Input("Fields", "Description", "string", false, "Description"), kit.Input("Fields", "Reporter", "string", false, "Reporter (email or account id)"),
				kit.Input("Fields", "Components", "string[]", false, "Components"), kit.Input("Fields", "Assignee", "string", false, "Assignee (email or account id)"),
				kit.Input("Fields", "Labels", "string[]", false, "Labels")},
			Outputs: issueOutputs(),
			Run:     createIssue},
		{Okta: NS + ":updateIssue", Title: "Update Issue", Doc: "updateissue.htm",
			Description:      "Edits an issue (PUT /rest/api/3/issue/{key}): the fields given; fields added to the card are custom fields by name. Empty inputs are left as they are.",
			ExtensibleInputs: true,
			Inputs: []engine.FieldSpec{kit.Input("Issue", "Issue ID or Key", "string", true, "Issue ID or Key"), kit.Input("Fields", "Summary", "string", false, "Summary"),
				kit.Input("Fields", "Description", "string", false, "Description"), kit.Input("Fields", "Assignee", "string", false, "Assignee (email or account id)"),
				kit.Input("Fields", "Labels", "string[]", false, "Labels")},
			Outputs: []engine.FieldSpec{kit.Output("Response", "Status Code", "number")},
			Run:     updateIssue},
		{Okta: NS + ":searchIssues", Title: "Search Issues", Doc: "searchissues.htm",
			Description: "Finds issues with JQL (GET /rest/api/3/search/jql, following nextPageToken up to Max Results); each issue comes with its fields by name.",
			Inputs:      []engine.FieldSpec{kit.Input("Query", "JQL Query", "string", true, "JQL Query"), kit.Input("Query", "Max Results", "number", false, "Max Results (default 100)")},
			Outputs:     []engine.FieldSpec{kit.Output("Result", "Issues", "object[]"), kit.Output("Result", "Keys", "string[]"), kit.Output("Result", "Count", "number")},
			Run:         searchIssues},
	}
}

func createIssue(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	proj := in.Text("project")
	if proj == "" {
		return nil, kit.Errorf("project", "choose the project (its key)")
	}
	typ := in.Text("issueType")
	if typ == "" {
		return nil, kit.Errorf("issueType", "choose the issue type")
	}
	summary, err := in.Required("Summary")
	if err != nil {
		return nil, err
	}
	f := map[string]any{"project": map[string]any{"key": proj}, "summary": summary}
	if isDigits(typ) {
		f["issuetype"] = map[string]any{"id": typ}
	} else {
		f["issuetype"] = map[string]any{"name": typ}
	}
	if d := engine.ToText(in.Values["Description"]); d != "" {
		f["description"] = adf(d)
	}
	if p := in.Text("Parent"); p != "" {
		f["parent"] = map[string]any{"key": p}
	}
	for key, fid := range map[string]string{"Reporter": "reporter", "Assignee": "assignee"} {
		if who := in.Text(key); who != "" {
			id, err := accountID(ctx, in, key, who)
			if err != nil {
				return nil, err
			}
			f[fid] = map[string]any{"accountId": id}
		}
	}
	if l, ok := in.Values["Components"].([]any); ok && len(l) > 0 {
		var comps []any
		for _, c := range l {
			if s := engine.ToText(c); s != "" {
				comps = append(comps, map[string]any{"name": s})
			}
		}
		if len(comps) > 0 {
			f["components"] = comps
		}
	}
	if l, ok := in.Values["Labels"].([]any); ok && len(l) > 0 {
		f["labels"] = l
	}
	if err := customFields(ctx, in, f, "project", "issueType", "Summary", "Parent", "Description", "Reporter", "Components", "Assignee", "Labels"); err != nil {
		return nil, err
	}
	r, err := in.Do(ctx, &kit.Call{Method: "POST", Path: "/rest/api/3/issue", JSON: map[string]any{"fields": f}})
	if err != nil {
		return nil, err
	}
	m := r.Object()
	key := engine.ToText(m["key"])
	return engine.Outputs{"Key": key, "Issue ID": m["id"], "URL": siteURL(in) + "/browse/" + key, "API Resource URL": m["self"]}, nil
}

// siteURL is the site's address for browse links.
func siteURL(in *kit.In) string {
	b := in.Client.BaseURL()
	if d, _ := in.Client.Connection().Config["domain"].(string); d != "" && strings.Contains(b, "api.atlassian.com") {
		return "https://" + strings.TrimPrefix(strings.TrimPrefix(d, "https://"), "http://")
	}
	return b
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// customFields adds the card's user-added inputs (custom fields by name)
// to f, shaped for their schema type.
func customFields(ctx context.Context, in *kit.In, f map[string]any, fixed ...string) error {
	skip := map[string]bool{}
	for _, k := range fixed {
		skip[k] = true
	}
	var extra []string
	for k, v := range in.Values {
		if !skip[k] && !engine.IsEmpty(v) {
			extra = append(extra, k)
		}
	}
	if len(extra) == 0 {
		return nil
	}
	sort.Strings(extra)
	byName, err := fieldsByName(ctx, in)
	if err != nil {
		return err
	}
	for _, k := range extra {
		fd, ok := byName[strings.ToLower(k)]
		if !ok {
			return kit.Errorf(k, "Jira has no field named %q", k)
		}
		f[fd[0]] = fieldValue(fd[1], in.Values[k])
	}
	return nil
}

func updateIssue(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	key, err := in.Required("Issue ID or Key")
	if err != nil {
		return nil, err
	}
	f := map[string]any{}
	if s := in.Text("Summary"); s != "" {
		f["summary"] = s
	}
	if d := engine.ToText(in.Values["Description"]); d != "" {
		f["description"] = adf(d)
	}
	if who := in.Text("Assignee"); who != "" {
		id, err := accountID(ctx, in, "Assignee", who)
		if err != nil {
			return nil, err
		}
		f["assignee"] = map[string]any{"accountId": id}
	}
	if l, ok := in.Values["Labels"].([]any); ok && len(l) > 0 {
		f["labels"] = l
	}
	if err := customFields(ctx, in, f, "Issue ID or Key", "Summary", "Description", "Assignee", "Labels"); err != nil {
		return nil, err
	}
	if len(f) == 0 {
		return nil, kit.Errorf("Issue ID or Key", "give at least one field to change")
	}
	r, err := in.Do(ctx, &kit.Call{Method: "PUT", Path: "/rest/api/3/issue/" + url.PathEscape(key), JSON: map[string]any{"fields": f}, Idempotent: true})
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Status Code": float64(r.Status)}, nil
}

// IssueByName turns an issue into its fields by display name (Okta's
// trigger and search outputs): system fields flattened to text, custom
// fields by their names.
func IssueByName(is map[string]any, names map[string]string) map[string]any {
	out := map[string]any{"Key": is["key"], "Issue ID": is["id"], "API Resource URL": is["self"]}
	fields, _ := is["fields"].(map[string]any)
	for id, v := range fields {
		name := names[id]
		if name == "" {
			name = id
		}
		switch x := v.(type) {
		case map[string]any:
			switch {
			case x["type"] == "doc":
				v = adfText(x)
			case x["displayName"] != nil:
				v = x["emailAddress"]
				if v == nil {
					v = x["displayName"]
				}
			case x["name"] != nil:
				v = x["name"]
			case x["value"] != nil:
				v = x["value"]
			case x["key"] != nil:
				v = x["key"]
			}
		}
		out[name] = v
	}
	return out
}

func fieldNames(ctx context.Context, in *kit.In) (map[string]string, error) {
	byName, err := fieldsByName(ctx, in)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	r, err := in.Do(ctx, &kit.Call{Path: "/rest/api/3/field"})
	if err != nil {
		return nil, err
	}
	list, _ := r.Body.([]any)
	for _, x := range list {
		m, _ := x.(map[string]any)
		names[engine.ToText(m["id"])] = engine.ToText(m["name"])
	}
	_ = byName
	return names, nil
}

func searchIssues(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	jql, err := in.Required("JQL Query")
	if err != nil {
		return nil, err
	}
	max := 100
	if n, err := engine.ToNumber(in.Values["Max Results"]); err == nil && n > 0 {
		max = int(n)
	}
	names, err := fieldNames(ctx, in)
	if err != nil {
		return nil, err
	}
	issues, keys := []any{}, []any{}
	err = in.Client.Pages(ctx, &kit.Call{Path: "/rest/api/3/search/jql", Query: url.Values{"jql": {jql}, "fields": {"*all"}, "maxResults": {"50"}}, OnAttempt: in.Run.Attempt},
		kit.BodyCursor("nextPageToken", "nextPageToken"), 100, []string{"issues"}, func(items []any) bool {
			for _, x := range items {
				m, _ := x.(map[string]any)
				issues = append(issues, IssueByName(m, names))
				keys = append(keys, m["key"])
			}
			return len(issues) < max
		})
	if err != nil {
		return nil, err
	}
	if len(issues) > max {
		issues, keys = issues[:max], keys[:max]
	}
	return engine.Outputs{"Issues": issues, "Keys": keys, "Count": float64(len(issues))}, nil
}
