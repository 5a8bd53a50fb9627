package microsoft365

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine/trigger"
)

// Graph change-notification subscriptions made when an Office 365 Admin
// event flow is switched on (kit.Webhook.Subscribe): POST /subscriptions
// with the flow's notification URL, the resource and change types of its
// card, an expiry and a fresh clientState (Graph validates the URL first:
// the webhook's Handshake echoes the validationToken); PATCH renews the
// expiry before it passes; DELETE when the flow is switched off.

// subscriptionLifetime is how long a subscription is asked for (Graph
// allows at most 41760 minutes for users and groups); it is renewed a
// quarter of it before the end.
const subscriptionLifetime = 72 * time.Hour

// graphDate is the expirationDateTime form Graph documents.
const graphDate = "2006-01-02T15:04:05.0000000Z"

// watched is the Graph resource and change types of an event card type.
func watched(eventType string) (resource, changeType string, ok bool) {
	switch eventType {
	case evUserCreated:
		return "users", "created", true
	case evGroups:
		return "groups", "created,updated,deleted", true
	}
	return "", "", false
}

var graphSubscriptions = &kit.Subscriptions{
	Vendor:    "Microsoft Graph",
	SecretKey: SecClientState,
	Create: func(ctx context.Context, r *kit.SubscribeRequest) (*kit.Subscribed, error) {
		res, ct, ok := watched(r.Card.Type)
		if !ok {
			return nil, fmt.Errorf("%s has no Graph subscription", r.Card.Title)
		}
		exp := r.Now.Add(subscriptionLifetime).UTC()
		out, err := r.Client.Do(ctx, &kit.Call{Method: "POST", Path: "/subscriptions", JSON: map[string]any{
			"changeType": ct, "notificationUrl": r.URL, "resource": res,
			"expirationDateTime": exp.Format(graphDate), "clientState": r.Secret,
		}})
		if err != nil {
			return nil, err
		}
		o := out.Object()
		id, _ := o["id"].(string)
		if id == "" {
			return nil, fmt.Errorf("Graph answered the subscription without an id")
		}
		if s, _ := o["expirationDateTime"].(string); s != "" {
			if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
				exp = t
			}
		}
		return &kit.Subscribed{ID: id, Resource: res + ": " + ct, Expires: exp}, nil
	},
	Renew: func(ctx context.Context, r *kit.SubscribeRequest, s *trigger.Subscription) (time.Time, error) {
		exp := r.Now.Add(subscriptionLifetime).UTC()
		out, err := r.Client.Do(ctx, &kit.Call{Method: "PATCH", Path: "/subscriptions/" + url.PathEscape(s.ID),
			JSON: map[string]any{"expirationDateTime": exp.Format(graphDate)}})
		if err != nil {
			return time.Time{}, err
		}
		if v, _ := out.Object()["expirationDateTime"].(string); v != "" {
			if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
				exp = t
			}
		}
		return exp, nil
	},
	Delete: kit.DeleteAt(subscriptionPath),
	Exists: kit.ReadAt(subscriptionPath),
}

// subscriptionPath is a Graph subscription's address.
func subscriptionPath(s *trigger.Subscription) string {
	return "/subscriptions/" + url.PathEscape(s.ID)
}
