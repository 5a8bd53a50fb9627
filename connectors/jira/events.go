package jira

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// SecWebhookSecret is the secret of the Jira webhook (Settings → System →
// WebHooks → Secret): Jira signs each delivery with it (X-Hub-Signature).
const SecWebhookSecret = "webhookSecret"

// Vendor event types.
const (
	EventCreated = "jira:issue_created"
	EventUpdated = "jira:issue_updated"
)

func eventInputs() []engine.FieldSpec {
	proj := kit.Param("project", "Project", nil)
	proj.Description = "the project's key (empty: every project the connection sees)"
	jql := kit.Param("jql", "JQL Query", nil)
	jql.Description = "only issues matching this JQL (polling; webhooks: the filter of the webhook Flowbench creates)"
	return []engine.FieldSpec{proj, jql,
		{Key: "type", Type: engine.T("string"), Label: "type", Description: "kept from Okta exports; not used"},
		{Key: "data", Type: engine.T("object"), Label: "data", Description: "kept from Okta exports; not used"}}
}

func eventOutputs() []engine.FieldSpec {
	var out []engine.FieldSpec
	for _, k := range []string{"Key", "Issue ID", "URL", "API Resource URL", "Summary", "Status", "Issue Type", "Project", "Reporter", "Assignee"} {
		out = append(out, kit.Output("Issue", k, "string"))
	}
	out = append(out, engine.FieldSpec{Key: "Created", Group: "Issue", Label: "Created", Type: engine.T("date")},
		engine.FieldSpec{Key: "Updated", Group: "Issue", Label: "Updated", Type: engine.T("date")})
	return out
}

func events() []*kit.EventCard {
	return []*kit.EventCard{
		{Okta: NS + ":issueCreated", Title: "Issue Created", Type: EventCreated, Inputs: eventInputs(), Outputs: eventOutputs(),
			Description: "Starts the flow for every new issue: from a Jira webhook (event issue created) signed with its secret, or by polling JQL (created ≥ the stored cursor, oldest first). Add outputs named after the project's fields (\"Okta First Name\") to read custom fields."},
		{Okta: NS + ":issueUpdated", Title: "Issue Updated", Type: EventUpdated, Inputs: eventInputs(), Outputs: eventOutputs(),
			Description: "Starts the flow for every change to an issue: from a Jira webhook (event issue updated) signed with its secret, or by polling JQL (updated ≥ the stored cursor, oldest first; one run per issue and update time). Add outputs named after the project's fields to read custom fields."},
	}
}

// hubSignature checks Jira's X-Hub-Signature: "sha256=" + hex HMAC-SHA256.
func hubSignature(secret string, h http.Header, body []byte) error {
	if secret == "" {
		return errors.New("the connection has no webhook secret")
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	want := "sha256=" + hex.EncodeToString(m.Sum(nil))
	if !hmac.Equal([]byte(h.Get("X-Hub-Signature")), []byte(want)) {
		return fmt.Errorf("X-Hub-Signature %w", kit.ErrSignature)
	}
	return nil
}

var webhook = &kit.Webhook{
	// switching a flow on creates its Jira webhook (subscribe.go)
	Subscribe: adminHooks,
	Authenticate: func(conn *engine.Connection, r *http.Request, body []byte, _ time.Time) error {
		return hubSignature(conn.Secrets[SecWebhookSecret], r.Header, body)
	},
	Parse: parseDelivery,
}

// systemNames are the display names of Jira's system fields (webhook
// payloads carry field ids only; custom fields keep their ids there).
var systemNames = map[string]string{"summary": "Summary", "status": "Status", "issuetype": "Issue Type", "project": "Project", "reporter": "Reporter",
	"assignee": "Assignee", "created": "Created", "updated": "Updated", "description": "Description", "priority": "Priority", "labels": "Labels",
	"components": "Components", "resolution": "Resolution", "parent": "Parent"}

func parseDelivery(h http.Header, body []byte) ([]kit.Event, error) {
	var p struct {
		Timestamp int64          `json:"timestamp"`
		Event     string         `json:"webhookEvent"`
		Issue     map[string]any `json:"issue"`
	}
	if err := json.Unmarshal(body, &p); err != nil || p.Event == "" || p.Issue == nil {
		return nil, errors.New("not a Jira issue webhook delivery")
	}
	ev := issueEvent(p.Issue, systemNames, p.Event, "")
	if id := h.Get("X-Atlassian-Webhook-Identifier"); id != "" {
		ev.ID = id
	}
	return []kit.Event{ev}, nil
}

// issueEvent maps an issue to an event of type typ; browse is the site's
// address for the URL output ("" keeps the API address's host).
func issueEvent(is map[string]any, names map[string]string, typ, browse string) kit.Event {
	out := IssueByName(is, names)
	for _, k := range []string{"Project", "Issue Type"} {
		if m, ok := out[k].(map[string]any); ok {
			out[k] = m["key"]
			if out[k] == nil {
				out[k] = m["name"]
			}
		}
	}
	created, _ := time.Parse(jiraTime, engine.ToText(kit.Dig(is, "fields", "created")))
	updated, _ := time.Parse(jiraTime, engine.ToText(kit.Dig(is, "fields", "updated")))
	for k, t := range map[string]time.Time{"Created": created, "Updated": updated} {
		if !t.IsZero() {
			out[k] = t.UTC().Format(engine.DateLayout)
		}
	}
	if browse == "" {
		if u, err := url.Parse(engine.ToText(is["self"])); err == nil && u.Host != "" {
			browse = u.Scheme + "://" + u.Host
		}
	}
	key := engine.ToText(is["key"])
	out["URL"] = browse + "/browse/" + key
	id := engine.ToText(is["id"])
	at := created
	if typ == EventUpdated {
		id, at = id+"@"+updated.UTC().Format(time.RFC3339Nano), updated
	}
	return kit.Event{ID: id, Type: typ, Time: at, Output: out}
}

const jiraTime = "2006-01-02T15:04:05.000-0700"

var poll = &kit.Poll{Fetch: fetchIssues}

func triggerParam(f *engine.Flow, key string) string {
	for _, in := range f.Trigger.Inputs {
		if in.Key == key {
			return strings.TrimSpace(engine.ToText(in.Value))
		}
	}
	return ""
}

// fetchIssues reads one page of issues created (or updated) at or after
// Since with the card's JQL, oldest first.
func fetchIssues(ctx context.Context, p *kit.PollRequest) (*kit.PollPage, error) {
	field := "created"
	if p.Card.Type == EventUpdated {
		field = "updated"
	}
	// JQL dates are minutes in the connection user's time zone
	loc := time.UTC
	if r, err := p.Client.Do(ctx, &kit.Call{Path: "/rest/api/3/myself"}); err == nil {
		if l, err := time.LoadLocation(engine.ToText(r.Object()["timeZone"])); err == nil {
			loc = l
		}
	}
	var clauses []string
	if q := triggerParam(p.Flow, "jql"); q != "" {
		if i := strings.Index(strings.ToUpper(q), "ORDER BY"); i >= 0 {
			q = strings.TrimSpace(q[:i])
		}
		clauses = append(clauses, "("+q+")")
	}
	if pr := triggerParam(p.Flow, "project"); pr != "" {
		clauses = append(clauses, "project = \""+strings.ReplaceAll(pr, `"`, `\"`)+"\"")
	}
	clauses = append(clauses, field+" >= \""+p.Since.In(loc).Format("2006-01-02 15:04")+"\"")
	q := url.Values{"jql": {strings.Join(clauses, " AND ") + " ORDER BY " + field + " ASC"}, "fields": {"*all"}, "maxResults": {"50"}}
	if p.Page != "" {
		q.Set("nextPageToken", p.Page)
	}
	r, err := p.Client.Do(ctx, &kit.Call{Path: "/rest/api/3/search/jql", Query: q})
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	if fr, err := p.Client.Do(ctx, &kit.Call{Path: "/rest/api/3/field"}); err == nil {
		list, _ := fr.Body.([]any)
		for _, x := range list {
			m, _ := x.(map[string]any)
			names[engine.ToText(m["id"])] = engine.ToText(m["name"])
		}
	}
	browse := p.Client.BaseURL()
	if d, _ := p.Client.Connection().Config["domain"].(string); d != "" && strings.Contains(browse, "api.atlassian.com") {
		browse = "https://" + d
	}
	m := r.Object()
	list, _ := m["issues"].([]any)
	page := &kit.PollPage{}
	since := p.Since.Truncate(time.Millisecond)
	for _, x := range list {
		is, _ := x.(map[string]any)
		ev := issueEvent(is, names, p.Card.Type, browse)
		if ev.Time.IsZero() || ev.Time.Before(since) {
			continue
		}
		if p.Card.Type == EventUpdated && engine.ToText(kit.Dig(is, "fields", "updated")) == engine.ToText(kit.Dig(is, "fields", "created")) {
			continue // a new issue, not an update
		}
		page.Events = append(page.Events, ev)
	}
	if next, _ := m["nextPageToken"].(string); next != "" && m["isLast"] != true {
		page.Next, page.More = next, true
	}
	return page, nil
}
