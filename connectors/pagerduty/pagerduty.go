// Package pagerduty is the PagerDuty connector, built on connectors/kit: the
// "pagerduty" connection kind (a REST API key, "Authorization: Token
// token=…"), Okta's Create Incident card (pagerduty:createIncident: an
// Events API v1 event for a service's integration key), a Custom API Action
// on the REST API v2, and the local fake account (connectors/pagerduty/fake).
package pagerduty

import (
	"context"
	"net/http"
	"net/url"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/pagerduty/fake"
	"github.com/flowbench/flowbench/engine"
)

// NS is Okta's namespace of the PagerDuty cards.
const NS = "pagerduty"

// The Events API v1 endpoint (on its own host).
const (
	EventsBase = "https://events.pagerduty.com"
	EventsPath = "/generic/2010-04-15/create_event.json"
)

// Connector is PagerDuty's declaration.
var Connector = &kit.Connector{
	ID:      "pagerduty",
	Title:   "PagerDuty",
	DocBase: "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/pagerduty/actions/",
	Auth:    []*kit.AuthMethod{kit.APIToken("REST API key", "API key", "Authorization", "Token token=")},
	BaseURL: "https://api.pagerduty.com",
	Errors:  PagerDutyErrors,
	Ladder: &kit.Ladder{
		Identity: kit.Call{Path: "/abilities", Header: http.Header{"Accept": {"application/vnd.pagerduty+json;version=2"}}},
		Describe: func(r *kit.Result) (string, map[string]any) {
			list, _ := r.Object()["abilities"].([]any)
			return "the key reads the account (" + engine.ToText(float64(len(list))) + " abilities)", map[string]any{"abilities": list}
		},
		Fixes: map[string]string{
			"2006": "PagerDuty refused the key: create a REST API key under Integrations → API Access Keys and paste it.",
		},
	},
	CustomAPI: NS + ":customApiAction",
	Fake:      func() (kit.Fake, error) { return fake.New(fake.Config{}), nil },
}

func init() {
	Connector.Cards = cards()
	kit.Register(Connector)
}

// PagerDutyErrors maps the REST API's {"error":{"message","code","errors"}}
// and the Events API's {"status":"invalid event","message","errors"}.
func PagerDutyErrors(r *kit.Result) *engine.HTTPError {
	if r.Status < 400 {
		return nil
	}
	m := r.Object()
	if e, ok := m["error"].(map[string]any); ok {
		he := &engine.HTTPError{Status: r.Status, Code: engine.ToText(e["code"]), Summary: engine.ToText(e["message"])}
		if errs, ok := e["errors"].([]any); ok && len(errs) > 0 && engine.ToText(errs[0]) != he.Summary {
			he.Summary += ": " + engine.ToText(errs[0])
		}
		return he
	}
	if st, ok := m["status"].(string); ok {
		he := &engine.HTTPError{Status: r.Status, Code: st, Summary: engine.ToText(m["message"])}
		if errs, ok := m["errors"].([]any); ok && len(errs) > 0 {
			he.Summary += ": " + engine.ToText(errs[0])
		}
		return he
	}
	return kit.StatusErrors(r)
}

func in(key string, req bool) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: "Incident", Type: engine.T("string"), Required: req, Label: key}
}

func cards() []*kit.Card {
	eventType := in("Event Type", true)
	eventType.Default = "trigger"
	eventType.Choices = []engine.Choice{{Value: "trigger", Label: "trigger"}, {Value: "acknowledge", Label: "acknowledge"}, {Value: "resolve", Label: "resolve"}}
	key := in("Incident Key", false)
	key.Description = "dedup key: the incident to acknowledge or resolve (a trigger without one opens a new incident)"
	return []*kit.Card{
		{Okta: NS + ":createIncident", Title: "Create Incident", Doc: "createincident.htm",
			Description: "Triggers, acknowledges or resolves an incident on a PagerDuty service through its integration key (Events API v1).",
			Inputs:      []engine.FieldSpec{in("Service Key", true), eventType, in("Description", false), in("Client", false), in("Client URL", false), key},
			Outputs:     []engine.FieldSpec{{Key: "Incident Key", Group: "Output", Label: "Incident Key", Type: engine.T("string")}},
			Run:         createIncident},
	}
}

func createIncident(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	sk, err := in.Required("Service Key")
	if err != nil {
		return nil, err
	}
	typ := in.Text("Event Type")
	if typ == "" {
		typ = "trigger"
	}
	body := map[string]any{"service_key": sk, "event_type": typ}
	switch typ {
	case "trigger":
		d, err := in.Required("Description")
		if err != nil {
			return nil, err
		}
		body["description"] = d
		if c := in.Text("Client"); c != "" {
			body["client"] = c
		}
		if u := in.Text("Client URL"); u != "" {
			if p, err := url.Parse(u); err != nil || p.Scheme == "" || p.Host == "" {
				return nil, kit.Errorf("Client URL", "is not a URL: %q", u)
			}
			body["client_url"] = u
		}
	case "acknowledge", "resolve":
		if _, err := in.Required("Incident Key"); err != nil {
			return nil, kit.Errorf("Incident Key", "is required to %s an incident", typ)
		}
		if d := in.Text("Description"); d != "" {
			body["description"] = d
		}
	default:
		return nil, kit.Errorf("Event Type", "%q is not trigger, acknowledge or resolve", typ)
	}
	if k := in.Text("Incident Key"); k != "" {
		body["incident_key"] = k
	}
	// the event is its own proof of identity (the service key); a repeat of
	// the same incident key is deduplicated by PagerDuty
	// the Events API lives on its own host and needs no REST key: an
	// absolute URL on another origin gets no credentials from the client (a
	// connection pointed at a fake serves both APIs on one address)
	events := EventsBase
	if b := engine.ToText(in.Client.Connection().Config[kit.CfgBaseURL]); b != "" {
		events = in.Client.BaseURL()
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: events + EventsPath, JSON: body,
		Idempotent: body["incident_key"] != nil})
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Incident Key": r.Object()["incident_key"]}, nil
}
