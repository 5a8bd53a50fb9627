package kit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// Subscriptions declares how a flow's webhook is registered at the vendor
// through its API (Webhook.Subscribe): the trigger runtime calls Create
// when a flow with one of the app's event cards is switched on (delivery
// "hook"), Delete when it is switched off, deleted or its card changes, and
// Renew before Expires. Calls go through the connection's client (httpx,
// governor, the connection's credentials); the subscription (vendor id,
// secret, expiry) is stored by engine/trigger.
type Subscriptions struct {
	// Vendor names where subscriptions live ("Microsoft Graph").
	Vendor string
	// SecretKey is the connection secret Webhook.Authenticate checks a
	// delivery with (Graph's clientState, a hook signing secret): the
	// subscription's own secret is checked as that key too.
	SecretKey string
	// Create makes the subscription; Secret in the request is a fresh
	// random secret to give the vendor (clientState, hook secret).
	Create func(ctx context.Context, r *SubscribeRequest) (*Subscribed, error)
	// Delete removes it; a subscription the vendor no longer has is not
	// an error (return nil on 404).
	Delete func(ctx context.Context, c *Client, s *trigger.Subscription) error
	// Renew moves the expiry (nil: subscriptions do not expire).
	Renew func(ctx context.Context, r *SubscribeRequest, s *trigger.Subscription) (time.Time, error)
	// RenewBefore: how long before the expiry the runtime renews
	// (default a quarter of the lifetime).
	RenewBefore time.Duration
	// Exists reads a stored subscription back (after a start): false when
	// the vendor answers 404 (return the call's error; NotFound is handled).
	Exists func(ctx context.Context, c *Client, s *trigger.Subscription) error
}

// SubscribeRequest is what Create and Renew get.
type SubscribeRequest struct {
	Client *Client
	Card   *EventCard
	Flow   *engine.Flow
	URL    string // the flow's notification URL
	Secret string
	Now    time.Time
}

// Subscribed is a subscription the vendor made.
type Subscribed struct {
	ID       string
	Resource string // what is watched, for the card ("users: created")
	Expires  time.Time
	Data     map[string]any
}

// NotFound says whether err is the vendor's 404 (a subscription already gone).
func NotFound(err error) bool {
	he, ok := err.(*engine.HTTPError)
	return ok && (he.Status == http.StatusNotFound || he.Status == http.StatusGone)
}

// Loopback says whether a URL's host is this machine or a private network
// address, which a cloud vendor cannot call.
func Loopback(u string) bool {
	pu, err := url.Parse(u)
	if err != nil {
		return false
	}
	h := pu.Hostname()
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsLinkLocalUnicast())
}

func randomSecret() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// subscriber builds the trigger runtime's Subscriber of a connector.
func (c *Connector) subscriber(cardOf func(string) *EventCard) *trigger.Subscriber {
	s := c.Webhook.Subscribe
	vendor := s.Vendor
	if vendor == "" {
		vendor = c.Title
	}
	client := func(ctx context.Context, env trigger.SubscribeEnv, connID string) (*Client, error) {
		if env.Connections == nil || connID == "" {
			return nil, fmt.Errorf("no %s connection chosen on the event card", c.Title)
		}
		conn, err := env.Connections.Connection(ctx, connID)
		if err != nil {
			return nil, err
		}
		rt, _ := env.Services["http"].(http.RoundTripper)
		gov, _ := env.Services["governor"].(*httpx.Governor)
		saver, _ := env.Services["connections"].(ConnectionSaver)
		return c.clients.Get(conn, rt, func() (*Client, error) {
			return c.NewClient(conn, ClientOptions{Transport: rt, Governor: gov, Saver: saver})
		})
	}
	renewAt := func(created, exp time.Time) time.Time {
		if exp.IsZero() {
			return time.Time{}
		}
		before := s.RenewBefore
		if before <= 0 {
			before = exp.Sub(created) / 4
		}
		return exp.Add(-before)
	}
	sb := &trigger.Subscriber{Vendor: vendor}
	sb.Subscribe = func(ctx context.Context, env trigger.SubscribeEnv, f *engine.Flow) (*trigger.Subscription, error) {
		card := cardOf(f.Trigger.Type)
		if card == nil {
			return nil, fmt.Errorf("%s is not a %s event card", f.Trigger.Type, c.Title)
		}
		cl, err := client(ctx, env, f.Trigger.Connection)
		if err != nil {
			return nil, err
		}
		// a cloud vendor cannot call this machine; a local fake can
		if Loopback(env.URL) && !Loopback(cl.BaseURL()) {
			return nil, fmt.Errorf("%s must reach the notification URL %s, which is only reachable from this computer: set FLOWBENCH_PUBLIC_URL to a public https address that forwards to Flowbench, or choose Delivery: poll where the card offers it", vendor, env.URL)
		}
		sec, err := randomSecret()
		if err != nil {
			return nil, err
		}
		got, err := s.Create(ctx, &SubscribeRequest{Client: cl, Card: card, Flow: f, URL: env.URL, Secret: sec, Now: env.Now})
		if err != nil {
			return nil, err
		}
		return &trigger.Subscription{ID: got.ID, Resource: got.Resource, Secret: sec, Created: env.Now.UTC(), Expires: got.Expires,
			RenewAt: renewAt(env.Now, got.Expires), Data: got.Data}, nil
	}
	sb.Unsubscribe = func(ctx context.Context, env trigger.SubscribeEnv, sub *trigger.Subscription) error {
		cl, err := client(ctx, env, sub.Connection)
		if err != nil {
			return err
		}
		if err := s.Delete(ctx, cl, sub); err != nil && !NotFound(err) {
			return err
		}
		return nil
	}
	if s.Exists != nil {
		sb.Exists = func(ctx context.Context, env trigger.SubscribeEnv, sub *trigger.Subscription) (bool, error) {
			cl, err := client(ctx, env, sub.Connection)
			if err != nil {
				return false, err
			}
			if err := s.Exists(ctx, cl, sub); err != nil {
				if NotFound(err) {
					return false, nil
				}
				return false, err
			}
			return true, nil
		}
	}
	if s.Renew != nil {
		sb.Renew = func(ctx context.Context, env trigger.SubscribeEnv, f *engine.Flow, sub *trigger.Subscription) (*trigger.Subscription, error) {
			cl, err := client(ctx, env, sub.Connection)
			if err != nil {
				return nil, err
			}
			exp, err := s.Renew(ctx, &SubscribeRequest{Client: cl, Card: cardOf(f.Trigger.Type), Flow: f, URL: sub.URL, Secret: sub.Secret, Now: env.Now}, sub)
			if err != nil {
				return nil, err
			}
			ns := *sub
			ns.Expires, ns.RenewAt = exp, renewAt(env.Now, exp)
			return &ns, nil
		}
	}
	return sb
}

// authenticateWithSubscriptions checks a delivery with the connection's
// secrets, then with each of the flows' subscription secrets standing for
// the connection's SecretKey.
func authenticateWithSubscriptions(ctx context.Context, wh *Webhook, conn *engine.Connection, r *http.Request, body []byte, now time.Time) error {
	err := wh.Authenticate(conn, r, body, now)
	if err == nil || wh.Subscribe == nil || wh.Subscribe.SecretKey == "" {
		return err
	}
	for _, sec := range trigger.SubscriptionSecrets(ctx) {
		cp := *conn
		cp.Secrets = map[string]string{}
		for k, v := range conn.Secrets {
			cp.Secrets[k] = v
		}
		cp.Secrets[wh.Subscribe.SecretKey] = sec
		if wh.Authenticate(&cp, r, body, now) == nil {
			return nil
		}
	}
	return err
}
