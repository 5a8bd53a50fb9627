package github

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// SecWebhookSecret is the secret of the GitHub webhook (organization or
// repository Settings → Webhooks), which signs deliveries
// (X-Hub-Signature-256).
const SecWebhookSecret = "webhookSecret"

func events() []*kit.EventCard {
	repo := kit.Output("Repository", "Repository", "string")
	sender := kit.Output("Event", "Sender", "string")
	delivery := kit.Output("Event", "Delivery ID", "string")
	org := []engine.FieldSpec{orgInput()}
	return []*kit.EventCard{
		{Okta: "github:pullRequestOpened", Title: "Pull Request Opened", Type: "pull_request.opened",
			Description: "Starts the flow when a pull request is opened in a repository the webhook covers (event pull_request, action opened).",
			Outputs: []engine.FieldSpec{kit.Output("Pull Request", "Number", "number"), kit.Output("Pull Request", "Title", "string"),
				kit.Output("Pull Request", "Author", "string"), kit.Output("Pull Request", "HTML URL", "string"), kit.Output("Pull Request", "BASE Branch", "string"),
				kit.Output("Pull Request", "HEAD Branch", "string"), kit.Output("Pull Request", "Is Draft?", "boolean"), repo, sender, delivery}, Inputs: org},
		{Okta: "github:memberInvitedToOrganization", Title: "Member Invited to Organization", Type: "organization.member_invited",
			Description: "Starts the flow when someone is invited to the organization (event organization, action member_invited).",
			Outputs:     []engine.FieldSpec{kit.Output("Member", "Username", "string"), kit.Output("Organization", "Organization", "string"), sender, delivery}, Inputs: org},
		{Okta: "github:memberAddedToOrganization", Title: "Member Added to Organization", Type: "organization.member_added",
			Description: "Starts the flow when a user joins the organization (event organization, action member_added).",
			Outputs:     []engine.FieldSpec{kit.Output("Member", "Username", "string"), kit.Output("Member", "Role", "string"), kit.Output("Organization", "Organization", "string"), sender, delivery}, Inputs: org},
		{Okta: "github:memberRemovedFromOrganization", Title: "Member Removed from Organization", Type: "organization.member_removed",
			Description: "Starts the flow when a user leaves or is removed from the organization (event organization, action member_removed).",
			Outputs:     []engine.FieldSpec{kit.Output("Member", "Username", "string"), kit.Output("Organization", "Organization", "string"), sender, delivery}, Inputs: org},
	}
}

var webhook = &kit.Webhook{
	// switching a flow on creates its organization webhook (subscribe.go)
	Subscribe: orgHooks,
	Authenticate: func(conn *engine.Connection, r *http.Request, body []byte, _ time.Time) error {
		return kit.HubSignature256(conn.Secrets[SecWebhookSecret], r.Header, body)
	},
	// GitHub sends a signed "ping" when a webhook is created: answered, not an event
	Handshake: func(r *http.Request, _ []byte) (int, string, []byte, bool) {
		if r.Header.Get("X-GitHub-Event") != "ping" {
			return 0, "", nil, false
		}
		return http.StatusOK, "application/json", []byte(`{"ok":true}`), true
	},
	Parse: parseDelivery,
}

// parseDelivery maps a webhook delivery to one event: its type is
// "<X-GitHub-Event>.<action>", its id X-GitHub-Delivery.
func parseDelivery(h http.Header, body []byte) ([]kit.Event, error) {
	name, id := h.Get("X-GitHub-Event"), h.Get("X-GitHub-Delivery")
	if name == "" || id == "" {
		return nil, errors.New("not a GitHub webhook delivery (no X-GitHub-Event / X-GitHub-Delivery)")
	}
	var p map[string]any
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("GitHub delivery is not JSON: %v", err)
	}
	typ := name
	if a, _ := p["action"].(string); a != "" {
		typ += "." + a
	}
	out := map[string]any{"Delivery ID": id, "Sender": kit.Dig(p, "sender", "login"), "Repository": kit.Dig(p, "repository", "full_name"),
		"Organization": kit.Dig(p, "organization", "login")}
	at := time.Now().UTC()
	switch name {
	case "pull_request":
		pr, _ := p["pull_request"].(map[string]any)
		out["Number"], out["Title"], out["Author"], out["HTML URL"] = pr["number"], pr["title"], kit.Dig(pr, "user", "login"), pr["html_url"]
		out["BASE Branch"], out["HEAD Branch"], out["Is Draft?"] = kit.Dig(pr, "base", "ref"), kit.Dig(pr, "head", "ref"), pr["draft"]
		if t, err := time.Parse(time.RFC3339, engine.ToText(pr["updated_at"])); err == nil {
			at = t
		}
	case "organization":
		user := kit.Dig(p, "membership", "user", "login")
		if user == nil {
			user = kit.Dig(p, "user", "login")
		}
		out["Username"], out["Role"] = user, kit.Dig(p, "membership", "role")
	}
	return []kit.Event{{ID: id, Type: typ, Time: at, Output: out}}, nil
}
