package github

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// Organization webhooks made when a GitHub event flow is switched on
// (kit.Webhook.Subscribe): POST /orgs/{org}/hooks with the flow's URL, the
// card's event (pull_request, organization), JSON content and a fresh
// secret that signs deliveries (X-Hub-Signature-256); DELETE when the flow
// is switched off. The token needs admin:org_hook (an organization owner's).
// GitHub webhooks do not expire.

// orgInput is the event cards' Organization option: whose webhook.
func orgInput() engine.FieldSpec {
	return engine.FieldSpec{Key: "org", Label: "Organization", Type: engine.T("string"),
		Description: "the organization whose webhook Flowbench creates when the flow is switched on (its token must be an owner's, scope admin:org_hook)"}
}

var orgHooks = &kit.Subscriptions{
	Vendor:    "GitHub",
	SecretKey: SecWebhookSecret,
	Create: func(ctx context.Context, r *kit.SubscribeRequest) (*kit.Subscribed, error) {
		org := strings.TrimSpace(engine.ToText(triggerInput(r.Flow, "org")))
		if org == "" {
			return nil, fmt.Errorf("choose the Organization on the %s card", r.Card.Title)
		}
		event, _, _ := strings.Cut(r.Card.Type, ".")
		out, err := r.Client.Do(ctx, &kit.Call{Method: "POST", Path: "/orgs/" + url.PathEscape(org) + "/hooks", JSON: map[string]any{
			"name": "web", "active": true, "events": []string{event},
			"config": map[string]any{"url": r.URL, "content_type": "json", "secret": r.Secret, "insecure_ssl": "0"},
		}})
		if err != nil {
			return nil, err
		}
		id, ok := out.Object()["id"].(float64)
		if !ok {
			return nil, fmt.Errorf("GitHub answered the webhook without an id")
		}
		return &kit.Subscribed{ID: strconv.FormatInt(int64(id), 10), Resource: "organization " + org + ": " + event, Data: map[string]any{"org": org}}, nil
	},
	Delete: kit.DeleteAt(hookPath),
	Exists: kit.ReadAt(hookPath),
}

// triggerInput is a static input of a flow's trigger card.
func triggerInput(f *engine.Flow, key string) any {
	for _, in := range f.Trigger.Inputs {
		if in.Key == key {
			return in.Value
		}
	}
	return nil
}

// hookPath is an organization webhook's address.
func hookPath(s *trigger.Subscription) string {
	org, _ := s.Data["org"].(string)
	return "/orgs/" + url.PathEscape(org) + "/hooks/" + url.PathEscape(s.ID)
}
