package kit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// EventCard is a trigger card of an app ("New Channel Created"): it starts
// a flow once per vendor event, delivered by the app's Webhook or found by
// its Poll.
type EventCard struct {
	Okta        string // Okta's kind ("slack:channelCreated")
	ID          string // native id; default "<connector>.event.<method>"
	Title       string
	Description string
	Doc         string
	// Type is the vendor's event type this card starts on ("channel_created").
	Type    string
	Outputs []engine.FieldSpec
	// Inputs are the card's own options (a filter, a folder…); the kit adds
	// "delivery" and "pollInterval" when the app has both a Webhook and a Poll.
	Inputs []engine.FieldSpec
	// Sample is a realistic event's outputs, for the Run panel (the app's
	// fake's data, so a test run works as is).
	Sample func() map[string]any
}

// Event is one vendor event mapped for a card: ID is the dedupe key (the
// vendor's event id), Type the vendor's event type, Output the card's
// outputs.
type Event struct {
	ID     string
	Type   string
	Time   time.Time
	Output map[string]any
}

// Webhook declares how the vendor calls Flowbench: signed deliveries to
// /webhooks/{app}/connection/{connectionID} (or /webhooks/{app}/{flowID}).
type Webhook struct {
	// Authenticate checks a delivery with the connection's secrets (a
	// signature, a client state); SlackSignature, HubSignature256 help.
	Authenticate func(conn *engine.Connection, r *http.Request, body []byte, now time.Time) error
	// Handshake answers a URL verification that is not an event.
	Handshake func(r *http.Request, body []byte) (status int, contentType string, answer []byte, ok bool)
	// Parse turns a delivery into events (the kit keeps those of the flow's card type).
	Parse func(h http.Header, body []byte) ([]Event, error)
	// Hint tells the person where the Request URL goes (shown on the
	// listening trigger card): "Slack app → Event Subscriptions → Request URL".
	Hint string
	// Subscribe registers a switched-on flow's URL at the vendor through its
	// API and removes it when the flow is switched off (subscribe.go); nil:
	// the person registers the URL in the vendor's console (Hint).
	Subscribe *Subscriptions
}

// Poll declares how to find new events by asking the API: one page of
// items newer than Since (or the page after Page), oldest first. The shared
// runtime (engine/trigger's poll loop) stores the cursor after each page,
// dedupes by event id, paces calls through the governor (the connection's
// client) and catches up after downtime from the stored cursor.
type Poll struct {
	// Lookback: how far before the flow was switched on the first poll
	// reaches (default 0: only events after switching on).
	Lookback time.Duration
	// Fetch reads one page for a card.
	Fetch func(ctx context.Context, p *PollRequest) (*PollPage, error)
}

// PollRequest is what Fetch gets.
type PollRequest struct {
	Client *Client
	Card   *EventCard
	Flow   *engine.Flow
	Since  time.Time // the watermark: events at or after it (Fetch may re-read the boundary)
	Page   string    // the vendor's page token to continue with ("" = from Since)
	Now    time.Time
}

// PollPage is one page of events.
type PollPage struct {
	Events []Event
	// Next is the vendor's token for the following page ("" at the end);
	// More says another page is ready now.
	Next string
	More bool
	// KeepPage keeps Next as the position even at the end (Okta's System
	// Log polling link): Since then stays where it was.
	KeepPage bool
}

// PollCursor is the stored position of a polling flow. Its JSON keys
// ("since", "after") read cursors stored by the Okta System Log poller
// before it moved onto the kit.
type PollCursor struct {
	Since string   `json:"since,omitempty"` // RFC 3339 watermark
	After string   `json:"after,omitempty"` // the vendor's page token
	Seen  []string `json:"seen,omitempty"`  // ids at the watermark already delivered
}

// PollFetch reads one page of a flow's events from a position: events at
// or after since, or the page after the vendor's token page.
type PollFetch func(ctx context.Context, env trigger.PollEnv, f *engine.Flow, since time.Time, page string) (*PollPage, error)

// CursorPoll is the shared polling runtime for any connector (kit ones
// through Connector.Poll; the Okta System Log poller directly): it keeps the
// stored cursor (watermark, the vendor's page token, ids delivered at the
// watermark), starts new flows where they were switched on (minus
// lookback), drops events already delivered at the watermark and moves the
// watermark when a page walk ends. engine/trigger stores the cursor with
// the accepted events, dedupes by event id and paces the loop; the calls
// go through the connection's httpx client (governor) inside fetch.
func CursorPoll(fetch PollFetch, lookback time.Duration) func(ctx context.Context, env trigger.PollEnv, f *engine.Flow, cursor string) (trigger.PollResult, error) {
	return func(ctx context.Context, env trigger.PollEnv, f *engine.Flow, cursor string) (trigger.PollResult, error) {
		var cur PollCursor
		if cursor != "" {
			_ = json.Unmarshal([]byte(cursor), &cur)
		}
		since, err := time.Parse(time.RFC3339Nano, cur.Since)
		if cur.Since == "" || err != nil {
			since = env.Since
			if since.IsZero() {
				since = env.Now
			}
			since = since.Add(-lookback)
		}
		page, err := fetch(ctx, env, f, since, cur.After)
		if err != nil {
			return trigger.PollResult{}, err
		}
		seen := map[string]bool{}
		for _, id := range cur.Seen {
			seen[id] = true
		}
		var out []trigger.Event
		mark := since
		for _, e := range page.Events {
			if e.Time.After(mark) {
				mark = e.Time
			}
			if e.ID != "" && seen[e.ID] {
				continue
			}
			out = append(out, trigger.Event{ID: e.ID, Type: e.Type, Time: e.Time, Input: e.Output})
		}
		next := PollCursor{Since: since.UTC().Format(time.RFC3339Nano), After: page.Next}
		switch {
		case page.Next != "" || page.KeepPage:
			next.Seen = cur.Seen
		default:
			// the page walk ended: move the watermark to the newest event
			// and remember the ids on it (the next read includes it)
			next.Since = mark.UTC().Format(time.RFC3339Nano)
			for _, e := range page.Events {
				if e.Time.Equal(mark) && e.ID != "" {
					next.Seen = append(next.Seen, e.ID)
				}
			}
			if mark.Equal(since) {
				next.Seen = append(next.Seen, cur.Seen...)
			}
			sort.Strings(next.Seen)
			next.Seen = compactStrings(next.Seen)
		}
		b, _ := json.Marshal(next)
		return trigger.PollResult{Events: out, Cursor: string(b), More: page.More}, nil
	}
}

// PollRuntime runs a kit Poll: the card's client and declaration, events of
// the card's type only.
func PollRuntime(p *Poll, cardOf func(cardType string) *EventCard, client func(ctx context.Context, env trigger.PollEnv, conn *engine.Connection) (*Client, error), connTitle string) func(ctx context.Context, env trigger.PollEnv, f *engine.Flow, cursor string) (trigger.PollResult, error) {
	return CursorPoll(func(ctx context.Context, env trigger.PollEnv, f *engine.Flow, since time.Time, pageTok string) (*PollPage, error) {
		card := cardOf(f.Trigger.Type)
		if card == nil {
			return nil, fmt.Errorf("%s is not a %s event card", f.Trigger.Type, connTitle)
		}
		if env.Connections == nil || f.Trigger.Connection == "" {
			return nil, fmt.Errorf("no %s connection chosen on the event card", connTitle)
		}
		conn, err := env.Connections.Connection(ctx, f.Trigger.Connection)
		if err != nil {
			return nil, err
		}
		cl, err := client(ctx, env, conn)
		if err != nil {
			return nil, err
		}
		page, err := p.Fetch(ctx, &PollRequest{Client: cl, Card: card, Flow: f, Since: since, Page: pageTok, Now: env.Now})
		if err != nil {
			return nil, err
		}
		kept := page.Events[:0:0]
		for _, e := range page.Events {
			if e.Type == "" || card.Type == "" || e.Type == card.Type {
				kept = append(kept, e)
			}
		}
		cp := *page
		cp.Events = kept
		return &cp, nil
	}, p.Lookback)
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// eventSpecs registers the connector's event cards and its trigger provider.
func (c *Connector) registerEvents() {
	if len(c.Events) == 0 {
		return
	}
	byType := map[string]*EventCard{}
	for _, ec := range c.Events {
		id := ec.ID
		if id == "" {
			id = c.ID + ".event." + ec.Okta[strings.Index(ec.Okta, ":")+1:]
			ec.ID = id
		}
		byType[id] = ec
		engine.Register(c.eventSpec(ec))
		if ec.Sample != nil {
			RegisterSample(id, ec.Sample)
		}
	}
	cardOf := func(t string) *EventCard { return byType[t] }
	p := &trigger.EventProvider{
		Name:      c.ID,
		Handles:   func(t string) bool { return byType[t] != nil },
		EventType: func(t string) string { return byType[t].Type },
	}
	if c.Webhook != nil {
		p.DefaultDelivery = trigger.DeliveryHook
		wh := c.Webhook
		p.Parse = func(f *engine.Flow, h http.Header, body []byte) ([]trigger.Event, error) {
			card := byType[f.Trigger.Type]
			evs, err := wh.Parse(h, body)
			if err != nil {
				return nil, err
			}
			var out []trigger.Event
			for _, e := range evs {
				if card != nil && card.Type != "" && e.Type != card.Type {
					continue
				}
				out = append(out, trigger.Event{ID: e.ID, Type: e.Type, Time: e.Time, Input: e.Output})
			}
			return out, nil
		}
		if wh.Subscribe != nil {
			p.Subscriber = c.subscriber(cardOf)
		}
		trigger.RegisterSignedHook(c.ID, trigger.SignedHook{
			Authenticate: func(ctx context.Context, conn *engine.Connection, r *http.Request, body []byte) error {
				if wh.Authenticate == nil {
					return nil
				}
				return authenticateWithSubscriptions(ctx, wh, conn, r, body, time.Now())
			},
			Handshake: wh.Handshake,
			Hint:      wh.Hint,
		})
	} else {
		p.DefaultDelivery = trigger.DeliveryPoll
	}
	if c.Poll != nil {
		p.Poll = PollRuntime(c.Poll, cardOf, func(_ context.Context, env trigger.PollEnv, conn *engine.Connection) (*Client, error) {
			rt, _ := env.Services["http"].(http.RoundTripper)
			gov, _ := env.Services["governor"].(*httpx.Governor)
			saver, _ := env.Services["connections"].(ConnectionSaver)
			return c.clients.Get(conn, rt, func() (*Client, error) {
				return c.NewClient(conn, ClientOptions{Transport: rt, Governor: gov, Saver: saver})
			})
		}, c.Title)
	}
	trigger.RegisterEvents(p)
}

func (c *Connector) eventSpec(ec *EventCard) *engine.Spec {
	ins := append([]engine.FieldSpec(nil), ec.Inputs...)
	if c.Webhook != nil && c.Poll != nil {
		ins = append(ins, engine.FieldSpec{Key: "delivery", Label: "Delivery", Type: engine.T("string"), Default: trigger.DeliveryHook,
			Choices: []engine.Choice{{Value: trigger.DeliveryHook, Label: c.Title + " calls Flowbench (webhook)"},
				{Value: trigger.DeliveryPoll, Label: "Poll " + c.Title + " through the connection"}}})
	}
	if c.Poll != nil {
		poll := engine.FieldSpec{Key: "pollInterval", Label: "Poll every", Type: engine.T("string"),
			Description: "polling interval (\"60s\"); empty: the app's polling interval"}
		if c.Webhook != nil { // asked for only while polling is the chosen delivery
			poll.ShownWhen = &engine.ShownWhen{Key: "delivery", Values: []any{trigger.DeliveryPoll}}
		}
		ins = append(ins, poll)
	}
	doc := ec.Doc
	if doc != "" && !strings.Contains(doc, "://") {
		doc = c.DocBase + doc
	}
	desc := ec.Description
	switch {
	case c.Webhook != nil && c.Webhook.Subscribe != nil:
		desc += " Switching the flow on subscribes its webhook URL at " + c.Webhook.Subscribe.Vendor + " through the connection (renewed before it expires); switching it off removes the subscription. Repeats are ignored."
	case c.Webhook != nil:
		desc += " Point the " + c.Title + " app's event subscription at /webhooks/" + c.ID + "/connection/{connectionID}; deliveries are checked against the connection's signing secret, repeats are ignored."
	}
	return &engine.Spec{ID: ec.ID, Okta: []string{ec.Okta}, Title: ec.Title, Category: c.Category + " events", App: c.ID,
		Kind: engine.KindTrigger, Connection: c.ID, ExtensibleOutputs: true, DocURL: doc, Description: desc, Inputs: ins, Outputs: ec.Outputs}
}

// ErrSignature is a delivery whose signature does not check out.
var ErrSignature = errors.New("signature does not match")
