package microsoft365

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// SecClientState is the webhook secret of an Office 365 Admin connection:
// the clientState given when the Graph subscription is created, which Graph
// sends back in every change notification.
const SecClientState = "clientState"

// Event types of the trigger cards (what Parse gives as kit.Event.Type).
const (
	evUserCreated = "users.created"
	evGroups      = "groups"
)

func clientStateSecret() engine.FieldSpec {
	return engine.FieldSpec{Key: SecClientState, Label: "Change notifications: client state", Type: engine.T("string"),
		Description: "the clientState of the Graph subscription (POST /subscriptions) whose notificationUrl is this connection's webhook URL; notifications carrying another value are refused"}
}

func events() []*kit.EventCard {
	common := []engine.FieldSpec{kit.Output("Change", "Change Type", "string"), kit.Output("Change", "Resource", "string"),
		kit.Output("Change", "Subscription ID", "string"), kit.Output("Change", "Tenant ID", "string"),
		{Key: "Received", Group: "Change", Label: "Received", Type: engine.T("date")}}
	return []*kit.EventCard{
		{Okta: "office365admin:userCreated", Title: "User Created", Type: evUserCreated,
			Description: "Starts the flow when a user is created in Microsoft 365 (a Graph change notification on /users, changeType created). Read the user with Read User.",
			Outputs:     append([]engine.FieldSpec{kit.Output("User", "User ID", "string")}, common...)},
		{Okta: "office365admin:groupChanged", Title: "Group Changed", Type: evGroups,
			Description: "Starts the flow when a group is created, updated (members added or removed, properties changed) or deleted (a Graph change notification on /groups).",
			Outputs:     append([]engine.FieldSpec{kit.Output("Group", "Group ID", "string")}, common...)},
	}
}

// notification is one item of a Graph change notification collection.
type notification struct {
	SubscriptionID string         `json:"subscriptionId"`
	ClientState    string         `json:"clientState"`
	ChangeType     string         `json:"changeType"`
	Resource       string         `json:"resource"`
	TenantID       string         `json:"tenantId"`
	ResourceData   map[string]any `json:"resourceData"`
}

func parseNotifications(body []byte) ([]notification, error) {
	var env struct {
		Value []notification `json:"value"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("not a Microsoft Graph change notification: %v", err)
	}
	if env.Value == nil {
		return nil, errors.New("not a Microsoft Graph change notification: no value list")
	}
	return env.Value, nil
}

// isValidation: Graph's subscription validation request is a POST with
// ?validationToken=… and no notifications.
func isValidation(r *http.Request, body []byte) bool {
	return r.URL.Query().Get("validationToken") != "" && len(strings.TrimSpace(string(body))) == 0
}

// fixedNow, when not zero, is the arrival time of deliveries (tests; Unix ns).
var fixedNow atomic.Int64

func clock() time.Time {
	if n := fixedNow.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Now()
}

var webhook = &kit.Webhook{
	// switching a flow on subscribes its URL at Graph (subscribe.go)
	Subscribe: graphSubscriptions,
	// every notification must carry the connection's client state
	Authenticate: func(conn *engine.Connection, r *http.Request, body []byte, _ time.Time) error {
		if isValidation(r, body) {
			return nil // answered by Handshake; it starts nothing
		}
		want := conn.Secrets[SecClientState]
		if want == "" {
			return fmt.Errorf("connection %q has no change-notification client state: set it to the subscription's clientState", conn.Name)
		}
		ns, err := parseNotifications(body)
		if err != nil {
			return err
		}
		for _, n := range ns {
			if subtle.ConstantTimeCompare([]byte(n.ClientState), []byte(want)) != 1 {
				return errors.New("clientState does not match the connection's: not from the subscription this connection made")
			}
		}
		return nil
	},
	// the validation handshake: echo the token as text/plain with 200
	Handshake: func(r *http.Request, body []byte) (int, string, []byte, bool) {
		if !isValidation(r, body) {
			return 0, "", nil, false
		}
		return http.StatusOK, "text/plain; charset=utf-8", []byte(r.URL.Query().Get("validationToken")), true
	},
	Parse: func(_ http.Header, body []byte) ([]kit.Event, error) {
		ns, err := parseNotifications(body)
		if err != nil {
			return nil, err
		}
		now := clock().UTC()
		var out []kit.Event
		for _, n := range ns {
			id, _ := n.ResourceData["id"].(string)
			if id == "" {
				id = n.Resource[strings.LastIndex(n.Resource, "/")+1:]
			}
			o := map[string]any{"Change Type": n.ChangeType, "Resource": n.Resource, "Subscription ID": n.SubscriptionID,
				"Tenant ID": n.TenantID, "Received": now.Format(engine.DateLayout)}
			var typ string
			switch coll := strings.ToLower(strings.SplitN(n.Resource, "/", 2)[0]); coll {
			case "users":
				typ = "users." + n.ChangeType
				o["User ID"] = id
			case "groups":
				typ = evGroups
				o["Group ID"] = id
			default:
				continue
			}
			// Graph's notifications have no id: a redelivery is the same
			// item within the same minute
			raw, _ := json.Marshal(n)
			sum := sha256.Sum256(append(raw, now.Truncate(time.Minute).Format(time.RFC3339)...))
			out = append(out, kit.Event{ID: "graph-" + hex.EncodeToString(sum[:12]), Type: typ, Time: now, Output: o})
		}
		return out, nil
	},
}

// pollInit marks a page token of a delta query's first walk (the whole
// collection as it was: no events but the users created since the flow
// was switched on).
const pollInit = "init|"

// poll finds the same changes with Graph delta queries (GET /users/delta(),
// /groups/delta()): the first walk pages through the collection and ends
// with an @odata.deltaLink, kept as the position; each later poll follows
// it and gets what changed since. Unlike change notifications it needs no
// public URL, so it is what a desktop Flowbench uses for a real tenant.
var poll = &kit.Poll{Fetch: func(ctx context.Context, p *kit.PollRequest) (*kit.PollPage, error) {
	res, sel := "groups", "id,displayName,mail,createdDateTime"
	if p.Card.Type == evUserCreated {
		res, sel = "users", "id,displayName,userPrincipalName,mail,createdDateTime"
	}
	call := &kit.Call{Path: "/" + res + "/delta()", Query: url.Values{"$select": {sel}}}
	initial := true
	switch {
	case strings.HasPrefix(p.Page, pollInit):
		call = &kit.Call{Path: strings.TrimPrefix(p.Page, pollInit)}
	case p.Page != "":
		call, initial = &kit.Call{Path: p.Page}, false
	}
	r, err := p.Client.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	body := r.Object()
	page := &kit.PollPage{}
	if next, _ := body["@odata.nextLink"].(string); next != "" {
		page.Next, page.More = next, true
		if initial {
			page.Next = pollInit + next
		}
	} else if dl, _ := body["@odata.deltaLink"].(string); dl != "" {
		page.Next, page.KeepPage = dl, true
	} else {
		return nil, errors.New("Graph's delta answer has neither @odata.nextLink nor @odata.deltaLink")
	}
	items, _ := body["value"].([]any)
	round := sha256.Sum256([]byte(p.Page))
	for _, it := range items {
		m, _ := it.(map[string]any)
		id, _ := m["id"].(string)
		if id == "" {
			continue
		}
		_, removed := m["@removed"]
		out := map[string]any{"Resource": strings.ToUpper(res[:1]) + res[1:] + "/" + id, "Tenant ID": engine.ToText(p.Client.Connection().Config[CfgTenantID]),
			"Subscription ID": "", "Received": p.Now.UTC().Format(engine.DateLayout)}
		if res == "users" {
			created, err := time.Parse(time.RFC3339, engine.ToText(m["createdDateTime"]))
			if removed || err != nil || created.Before(p.Since.Truncate(time.Second)) { // Graph gives whole seconds
				continue
			}
			out["User ID"], out["Change Type"] = id, "created"
			page.Events = append(page.Events, kit.Event{ID: "users.created:" + id, Type: evUserCreated, Time: created, Output: out})
			continue
		}
		if initial {
			continue
		}
		out["Group ID"], out["Change Type"] = id, "updated"
		if removed {
			out["Change Type"] = "deleted"
		}
		page.Events = append(page.Events, kit.Event{ID: "groups:" + id + ":" + hex.EncodeToString(round[:8]), Type: evGroups, Time: p.Now, Output: out})
	}
	return page, nil
}}
