package okta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// Okta event cards: triggers that start a flow once per Okta System Log
// event of their type, delivered by an Okta event hook (POST
// /hooks/okta/{flowID}) or found by polling /api/v1/logs through the
// trigger card's connection. Their outputs are those of the per-event
// callable of Okta's event flows (Okta wraps the events of a delivery in a
// For Each; Flowbench runs the flow once per event).

const eventDoc = "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/okta/events/"

// EventCard describes one Okta event card.
type EventCard struct {
	Method    string // Okta method: okta:<Method>
	Title     string
	EventType string // System Log eventType
	Outputs   []string
}

var (
	base      = []string{"Date and Time", "Message", "Event ID", "Event Type", "Event Time", "Version"}
	tail      = []string{"UUID", "Event Details", "Headers", "Source", "Debug Context"}
	userAdmin = join(base, []string{"Admin", "Okta User"}, tail, []string{"Full Details"})
	userActor = join(base, []string{"Actor", "Okta User"}, tail)
	groupEv   = join(base, []string{"Changed Attributes", "Actor", "Group"}, tail)
)

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// EventCards are the Okta event cards (those the official templates use and a few more).
var EventCards = []EventCard{
	{"userCreated", "User Created", "user.lifecycle.create", userAdmin},
	{"userActivated", "User Activated", "user.lifecycle.activate", userAdmin},
	{"userDeactivated", "User Deactivated", "user.lifecycle.deactivate", userAdmin},
	{"userSuspended", "User Suspended", "user.lifecycle.suspend", userAdmin},
	{"userUnsuspended", "User Unsuspended", "user.lifecycle.unsuspend", userAdmin},
	{"userReactivated", "User Reactivated", "user.lifecycle.reactivate", userAdmin},
	{"userDeleted", "User Deleted", "user.lifecycle.delete.initiated", userAdmin},
	{"userAccountUnlocked", "User Account Unlocked", "user.account.unlock", userAdmin},
	{"userAddedToGroupMembership", "User Added to Group", "group.user_membership.add",
		join(base, []string{"Admin", "Okta User", "Group"}, tail, []string{"Full Details"})},
	{"userRemovedFromGroupMembership", "User Removed from Group", "group.user_membership.remove",
		join(base, []string{"Admin", "Okta User", "Group"}, tail, []string{"Full Details"})},
	{"userAddedToApplicationMembership", "User Assigned to Application", "application.user_membership.add",
		join(base, []string{"Admin", "Okta User", "Application User", "Application"}, tail, []string{"Full Details"})},
	{"userRemovedFromApplicationMembership", "User Unassigned from Application", "application.user_membership.remove",
		join(base, []string{"Admin", "Okta User", "Application User", "Application"}, tail, []string{"Full Details"})},
	{"oktaUserProfileUpdated", "User Okta Profile Updated", "user.account.update_profile",
		join(base, []string{"Legacy Event Type", "Severity", "Result", "Changed Attributes", "Actor", "Okta User", "Client",
			"Transaction", "Authentication Context", "Security Context"}, tail)},
	{"oktaUserPasswordUpdated", "User Okta Password Updated", "user.account.update_password", userActor},
	{"userPasswordReset", "User Password Reset", "user.account.reset_password", userActor},
	{"groupCreated", "Group Created", "group.lifecycle.create", groupEv},
	{"groupDeleted", "Group Deleted", "group.lifecycle.delete", groupEv},
	{"groupProfileUpdated", "Group Profile Updated", "group.profile.update", groupEv},
	{"groupAssignedToApplication", "Group Assigned to Application", "group.application_assignment.add",
		join(base, []string{"Actor", "Group", "Application"}, tail)},
	{"accessCertificationDecisionSubmitted", "Access Certification Decision Submitted", "certification.campaign.item.decide",
		join(base, []string{"Actor", "Review Item"}, tail)},
	{"userReportedSuspiciousActivityBeta", "Suspicious Activity Reported", "user.account.report_suspicious_activity_by_enduser",
		[]string{"Date and Time", "Name", "Email", "User ID", "Suspicious Activity Details", "Event Details", "Headers", "Source", "Debug Context"}},
}

var (
	entityType = engine.Obj(map[string]*engine.Type{"ID": engine.T("string"), "Alternate ID": engine.T("string"),
		"Display Name": engine.T("string"), "Type": engine.T("string")})
	outputTypes = map[string]*engine.Type{
		"Admin": entityType, "Actor": entityType, "Okta User": entityType, "Group": entityType, "Application": entityType,
		"Application User": entityType, "Review Item": entityType,
		"Debug Context": engine.Obj(map[string]*engine.Type{"Debug Data": engine.T("object")}),
		"Event Details": engine.T("object"), "Full Details": engine.T("object"), "Headers": engine.T("object"),
		"Client": engine.T("object"), "Transaction": engine.T("object"), "Authentication Context": engine.T("object"),
		"Security Context": engine.T("object"),
	}
	byType   = map[string]*EventCard{} // native card id -> card
	eventIDs = map[string]string{}     // native card id -> event type
)

// EventCardID is the native id of an event card: "okta.event.<method>".
func EventCardID(method string) string { return "okta.event." + method }

func init() {
	for i := range EventCards {
		ec := &EventCards[i]
		engine.Register(eventSpec(ec))
		byType[EventCardID(ec.Method)] = ec
		eventIDs[EventCardID(ec.Method)] = ec.EventType
	}
	trigger.RegisterEvents(&trigger.EventProvider{
		Name:            "okta",
		Handles:         func(t string) bool { return byType[t] != nil },
		EventType:       func(t string) string { return eventIDs[t] },
		DefaultDelivery: trigger.DeliveryHook,
		Verify:          verifyHook,
		Parse:           parseHook,
		Poll:            pollLogs,
		Check:           checkEventOptions, // events_check.go
	})
}

func eventSpec(ec *EventCard) *engine.Spec {
	outs := make([]engine.FieldSpec, 0, len(ec.Outputs))
	for _, k := range ec.Outputs {
		t := outputTypes[k]
		if t == nil {
			t = engine.T("string")
		}
		outs = append(outs, engine.FieldSpec{Key: k, Label: k, Group: "Output", Type: t})
	}
	return &engine.Spec{ID: EventCardID(ec.Method), Okta: eventKinds(ec), Title: ec.Title, Category: "Okta events",
		App: "okta", Kind: engine.KindTrigger, Connection: Kind.ID, ExtensibleOutputs: true,
		DocURL: eventDocURL(ec), // events_reference.go
		Inputs: append([]engine.FieldSpec{
			{Key: "delivery", Label: "Delivery", Type: engine.T("string"), Default: trigger.DeliveryHook, Choices: []engine.Choice{
				{Value: trigger.DeliveryHook, Label: "Okta event hook (Okta calls Flowbench)"},
				{Value: trigger.DeliveryPoll, Label: "Poll the System Log through the connection"}}},
			// each delivery's own setting shows only while it is chosen (switching on reads only that one)
			{Key: "pollInterval", Label: "Poll every", Type: engine.T("string"), Description: "polling interval (\"60s\"); the System Log API allows 20–120 calls a minute per org",
				ShownWhen: &engine.ShownWhen{Key: "delivery", Values: []any{trigger.DeliveryPoll}}},
			{Key: "authHeader", Label: "Authorization header", Type: engine.T("string"), Description: "event hooks: header carrying the flow's secret (Authorization when empty)",
				ShownWhen: &engine.ShownWhen{Key: "delivery", Values: []any{trigger.DeliveryHook}}},
		}, eventInputs[ec.Method]...), // events_reference.go: the card's own options
		Outputs:     outs,
		Description: fmt.Sprintf("Starts the flow for every %s event (%s) in Okta: from an Okta event hook pointed at /hooks/okta/{flowID} with the flow's secret in the authorization header, or by polling the System Log through the connection. Each event runs the flow once; repeated deliveries are ignored.", ec.Title, ec.EventType)}
}

// --- mapping ---

func evStr(v any) string {
	s, _ := v.(string)
	return s
}

func entity(v any) map[string]any {
	m, _ := v.(map[string]any)
	if m == nil {
		return nil
	}
	return map[string]any{"ID": evStr(m["id"]), "Alternate ID": evStr(m["alternateId"]), "Display Name": evStr(m["displayName"]), "Type": evStr(m["type"])}
}

func target(ev map[string]any, types ...string) map[string]any {
	list, _ := ev["target"].([]any)
	for _, t := range list {
		m, _ := t.(map[string]any)
		for _, ty := range types {
			if ty == "" || evStr(m["type"]) == ty {
				return entity(m)
			}
		}
	}
	return nil
}

// Delivery is what came with an event besides the LogEvent itself.
type Delivery struct {
	EventID   string // hook payload eventId ("" when polled)
	EventTime string // when it was delivered
	Source    string // the hook (or System Log URL)
	Headers   map[string]any
}

// MapEvent turns an Okta LogEvent (as JSON values) into the outputs of the
// event card method, in Okta Workflows' shape.
func MapEvent(method string, ev map[string]any, d Delivery) map[string]any {
	debug, _ := ev["debugContext"].(map[string]any)
	debugData, _ := debug["debugData"].(map[string]any)
	if debugData == nil {
		debugData = map[string]any{}
	}
	outcome, _ := ev["outcome"].(map[string]any)
	eventID := d.EventID
	if eventID == "" {
		eventID = evStr(ev["uuid"])
	}
	user := target(ev, "User")
	all := map[string]any{
		"Date and Time":          evStr(ev["published"]),
		"Message":                evStr(ev["displayMessage"]),
		"Event ID":               eventID,
		"Event Type":             evStr(ev["eventType"]),
		"Legacy Event Type":      evStr(ev["legacyEventType"]),
		"Event Time":             d.EventTime,
		"Version":                evStr(ev["version"]),
		"UUID":                   evStr(ev["uuid"]),
		"Severity":               evStr(ev["severity"]),
		"Result":                 evStr(outcome["result"]),
		"Changed Attributes":     engine.ToText(debugData["changedAttributes"]),
		"Admin":                  entity(ev["actor"]),
		"Actor":                  entity(ev["actor"]),
		"Okta User":              user,
		"Group":                  target(ev, "UserGroup"),
		"Application":            target(ev, "AppInstance"),
		"Application User":       target(ev, "AppUser"),
		"Review Item":            target(ev, ""),
		"Client":                 ev["client"],
		"Transaction":            ev["transaction"],
		"Authentication Context": ev["authenticationContext"],
		"Security Context":       ev["securityContext"],
		"Debug Context":          map[string]any{"Debug Data": debugData},
		"Event Details":          ev,
		"Full Details":           ev,
		"Headers":                d.Headers,
		"Source":                 d.Source,
	}
	if user != nil {
		all["Name"], all["Email"], all["User ID"] = user["Display Name"], user["Alternate ID"], user["ID"]
	}
	addEventExtras(all, ev)          // events_devices.go
	for _, m := range eventMappers { // events_reference.go
		m(all, ev)
	}
	all["Suspicious Activity Details"] = evStr(ev["displayMessage"])
	ec := byMethod(method)
	out := make(map[string]any, len(all))
	if ec == nil {
		return all
	}
	for _, k := range ec.Outputs {
		out[k] = all[k]
	}
	return out
}

func byMethod(m string) *EventCard {
	for i := range EventCards {
		if EventCards[i].Method == m {
			return &EventCards[i]
		}
	}
	return nil
}

// eventsFor maps the LogEvents of the card's type, adding outputs the flow
// declares beyond the card's own (imported flows keep Okta's field set).
func eventsFor(f *engine.Flow, list []any, d Delivery) []trigger.Event {
	ec := byType[f.Trigger.Type]
	if ec == nil {
		return nil
	}
	var out []trigger.Event
	for _, item := range list {
		ev, _ := item.(map[string]any)
		if ev == nil || evStr(ev["eventType"]) != ec.EventType || !eventWanted(f, ec, ev) {
			continue
		}
		in := MapEvent(ec.Method, ev, d)
		if extra := extraOutputs(f, in); len(extra) > 0 {
			full := MapEvent("", ev, d)
			for _, k := range extra {
				if v, ok := full[k]; ok {
					in[k] = v
				}
			}
		}
		t, _ := time.Parse(time.RFC3339Nano, evStr(ev["published"]))
		out = append(out, trigger.Event{ID: evStr(ev["uuid"]), Type: ec.EventType, Time: t, Input: in})
	}
	return out
}

func extraOutputs(f *engine.Flow, have map[string]any) []string {
	var out []string
	for _, o := range f.Trigger.Outputs {
		if _, ok := have[o.Key]; !ok && o.Key != "context" {
			out = append(out, o.Key)
		}
	}
	return out
}

// --- event hooks ---

func verifyHook(r *http.Request) (any, bool) {
	c := r.Header.Get("x-okta-verification-challenge")
	if c == "" {
		return nil, false
	}
	return map[string]any{"verification": c}, true
}

func parseHook(f *engine.Flow, h http.Header, body []byte) ([]trigger.Event, error) {
	var p struct {
		EventID   string `json:"eventId"`
		EventTime string `json:"eventTime"`
		Source    string `json:"source"`
		Data      *struct {
			Events []any `json:"events"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("event hook body is not Okta's JSON: %v", err)
	}
	if p.Data == nil {
		return nil, errors.New("event hook body has no data.events")
	}
	hdr := make(map[string]any, len(h))
	for k, v := range h {
		hdr[k] = strings.Join(v, ", ")
	}
	if p.EventTime == "" {
		p.EventTime = time.Now().UTC().Format(engine.DateLayout)
	}
	return eventsFor(f, p.Data.Events, Delivery{EventID: p.EventID, EventTime: p.EventTime, Source: p.Source, Headers: hdr}), nil
}

// --- System Log polling ---

// The System Log poller runs on the kit's shared polling runtime
// (kit.CursorPoll: stored cursor {since, after, seen}, dedupe, catch-up
// after downtime); fetchLogs reads one page.

const pollPage = 100

// pollClient is the connection's client, shared with its cards.
func pollClient(conn *engine.Connection, env trigger.PollEnv) (*Client, error) {
	rt, _ := env.Services["http"].(http.RoundTripper)
	gov, _ := env.Services["governor"].(*httpx.Governor)
	return clientFor(conn, rt, gov)
}

// pollLogs is the Okta event provider's poll.
var pollLogs = kit.CursorPoll(fetchLogs, 0)

// fetchLogs reads one page of the flow's event type from the System Log:
// since the flow was turned on, then following the `after` cursor of the
// Link next header (paced by the httpx governor's /api/v1/logs bucket).
// Okta's polling link stays valid after the last event (it returns new
// ones later), so the page token is kept (KeepPage).
func fetchLogs(ctx context.Context, env trigger.PollEnv, f *engine.Flow, since time.Time, after string) (*kit.PollPage, error) {
	ec := byType[f.Trigger.Type]
	if ec == nil {
		return nil, fmt.Errorf("%s is not an Okta event card", f.Trigger.Type)
	}
	if env.Connections == nil || f.Trigger.Connection == "" {
		return nil, errors.New("no Okta connection chosen on the event card")
	}
	conn, err := env.Connections.Connection(ctx, f.Trigger.Connection)
	if err != nil {
		return nil, err
	}
	c, err := pollClient(conn, env)
	if err != nil {
		return nil, err
	}
	q := url.Values{"since": {since.UTC().Format("2006-01-02T15:04:05.000Z")}, "sortOrder": {"ASCENDING"}, "limit": {fmt.Sprint(pollPage)},
		"filter": {fmt.Sprintf("eventType eq %q", ec.EventType)}}
	if after != "" {
		q.Set("after", after)
	}
	v, resp, err := c.JSON(ctx, &Call{Method: http.MethodGet, Path: "/api/v1/logs", Query: q})
	if err != nil {
		return nil, err
	}
	list, ok := v.([]any)
	if !ok {
		return nil, errors.New("System Log answer is not a list")
	}
	next := after
	if link := nextLink(resp.Header.Values("Link")); link != "" {
		if u, err := url.Parse(link); err == nil && u.Query().Get("after") != "" {
			next = u.Query().Get("after")
		}
	}
	hdr := make(map[string]any, len(resp.Header))
	for k, vals := range resp.Header {
		hdr[k] = strings.Join(vals, ", ")
	}
	d := Delivery{EventTime: env.Now.UTC().Format(engine.DateLayout), Source: c.Base + "/api/v1/logs", Headers: hdr}
	page := &kit.PollPage{Next: next, More: len(list) >= pollPage, KeepPage: true}
	for _, e := range eventsFor(f, list, d) {
		page.Events = append(page.Events, kit.Event{ID: e.ID, Type: e.Type, Time: e.Time, Output: e.Input})
	}
	return page, nil
}

// SampleEvent is a realistic event of the card type for test runs.
func SampleEvent(cardType string) map[string]any {
	ec := byType[cardType]
	if ec == nil {
		return nil
	}
	now := time.Now().UTC().Format(engine.DateLayout)
	targets := []any{map[string]any{"id": "00u1a2b3c4d5e6f7g8h9", "type": "User", "alternateId": "jane.doe@example.com", "displayName": "Jane Doe"}}
	switch {
	case strings.HasPrefix(ec.EventType, "group.lifecycle"), strings.HasPrefix(ec.EventType, "group.profile"):
		targets = []any{map[string]any{"id": SampleGroupID, "type": "UserGroup", "alternateId": "unknown", "displayName": "Engineering"}}
	case strings.HasPrefix(ec.EventType, "group."):
		targets = append(targets, map[string]any{"id": SampleGroupID, "type": "UserGroup", "alternateId": "unknown", "displayName": "Engineering"})
	case strings.HasPrefix(ec.EventType, "application."):
		targets = append(targets,
			map[string]any{"id": "0ua1a2b3c4d5e6f7g8h9", "type": "AppUser", "alternateId": "jane.doe@example.com", "displayName": "Jane Doe"},
			map[string]any{"id": SampleAppID, "type": "AppInstance", "alternateId": "Slack", "displayName": "Slack"})
	}
	targets = sampleTargetsFor(ec, targets) // events_reference.go
	ev := map[string]any{
		"uuid": "2f1a6a3e-8d4b-11ee-b9d1-0242ac120002", "published": now, "eventType": ec.EventType, "version": "0",
		"severity": "INFO", "displayMessage": ec.Title, "legacyEventType": "",
		"actor":                 map[string]any{"id": SampleAdminID, "type": "User", "alternateId": "admin@example.com", "displayName": "Ada Admin"},
		"client":                map[string]any{"ipAddress": "203.0.113.10", "userAgent": map[string]any{"rawUserAgent": "Mozilla/5.0", "os": "Mac OS X", "browser": "CHROME"}, "zone": "null", "device": "Computer"},
		"outcome":               map[string]any{"result": "SUCCESS"},
		"target":                targets,
		"transaction":           map[string]any{"type": "WEB", "id": "Zk3m2Qx0bQ1a2b3c4d5e6f", "detail": map[string]any{}},
		"debugContext":          map[string]any{"debugData": map[string]any{"requestId": "Zk3m2Qx0bQ1a2b3c4d5e6f", "requestUri": "/api/v1/users", "threatSuspected": "false"}},
		"authenticationContext": map[string]any{"authenticationStep": float64(0), "externalSessionId": "trsAbCdEf"},
		"securityContext":       map[string]any{},
	}
	if f := sampleDebugData[ec.Method]; f != nil { // events_iga.go
		dd := ev["debugContext"].(map[string]any)["debugData"].(map[string]any)
		for k, v := range f() {
			dd[k] = v
		}
	}
	return MapEvent(ec.Method, ev, Delivery{EventID: "4c5b3f6e-8d4b-11ee-b9d1-0242ac120002", EventTime: now,
		Source:  "https://example.okta.com/api/v1/eventHooks/who1a2b3c4d5e6f7g8h9",
		Headers: map[string]any{"Content-Type": "application/json", "User-Agent": "Okta-Integrations"}})
}
