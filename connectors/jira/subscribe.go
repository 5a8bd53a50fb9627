package jira

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// Jira admin webhooks made when an Issue Created / Issue Updated flow is
// switched on with delivery "hook" (kit.Webhook.Subscribe): POST
// /rest/webhooks/1.0/webhook with the flow's URL, the card's event, the
// card's Project (and JQL Query) as the webhook's JQL filter and a fresh
// secret that signs deliveries (X-Hub-Signature); DELETE when the flow is
// switched off. Only Jira administrators may manage webhooks; they do not
// expire.

var adminHooks = &kit.Subscriptions{
	Vendor:    "Jira",
	SecretKey: SecWebhookSecret,
	Create: func(ctx context.Context, r *kit.SubscribeRequest) (*kit.Subscribed, error) {
		jql := hookJQL(r.Flow)
		body := map[string]any{"name": "Flowbench: " + r.Flow.Name, "url": r.URL, "events": []string{r.Card.Type},
			"excludeBody": false, "secret": r.Secret}
		if jql != "" {
			body["filters"] = map[string]any{"issue-related-events-section": jql}
		}
		out, err := r.Client.Do(ctx, &kit.Call{Method: "POST", Path: "/rest/webhooks/1.0/webhook", JSON: body})
		if err != nil {
			return nil, err
		}
		self, _ := out.Object()["self"].(string)
		id := self[strings.LastIndex(self, "/")+1:]
		if id == "" {
			return nil, fmt.Errorf("Jira answered the webhook without its address (self)")
		}
		what := r.Card.Type + " in every project"
		if jql != "" {
			what = r.Card.Type + " where " + jql
		}
		return &kit.Subscribed{ID: id, Resource: what}, nil
	},
	Delete: kit.DeleteAt(webhookPath),
	Exists: kit.ReadAt(webhookPath),
}

// hookJQL is the webhook's JQL filter from the card's Project and JQL Query.
func hookJQL(f *engine.Flow) string {
	var proj, jql string
	for _, in := range f.Trigger.Inputs {
		switch in.Key {
		case "project":
			proj = strings.TrimSpace(engine.ToText(in.Value))
		case "jql":
			jql = strings.TrimSpace(engine.ToText(in.Value))
		}
	}
	switch {
	case proj != "" && jql != "":
		return "project = " + proj + " AND (" + jql + ")"
	case proj != "":
		return "project = " + proj
	}
	return jql
}

// webhookPath is an admin webhook's address.
func webhookPath(s *trigger.Subscription) string {
	return "/rest/webhooks/1.0/webhook/" + url.PathEscape(s.ID)
}
