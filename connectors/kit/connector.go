package kit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
	"golang.org/x/oauth2"
)

// Connector is an app declared once in its package connectors/<app>/ and
// registered with Register in the package's init().
type Connector struct {
	// ID is the connection kind id ("slack", "google", "msgraph").
	ID string
	// Title names the app in forms and the palette ("Slack").
	Title string
	// Category is the palette family (default Title).
	Category string
	// DocBase prefixes each card's Doc (Okta's connector reference page).
	DocBase string
	// Fields are the app's own connection settings (an instance domain,
	// a tenant id); they show for every auth method.
	Fields []engine.FieldSpec
	// Secrets are the app's own secret settings for every method (Slack's
	// signing secret for its event webhooks).
	Secrets []engine.FieldSpec
	// Auth are the vendor's auth methods; the first is the default.
	Auth []*AuthMethod
	// BaseURL of the API; {field} placeholders are filled from the
	// connection's config ("https://{domain}/api/v2"). A connection config
	// "baseUrl" overrides it (the fakes and tests point there).
	BaseURL string
	// Origins are other API bases of the app, by name, each with its own
	// credentials origin (Slack's SCIM API at api.slack.com); a call picks
	// one with Call.Origin. A connection's "baseUrl" override applies to
	// them all (a fake serves every API on one address).
	Origins map[string]string
	// Errors turns a vendor response into a card error (nil when the
	// response is a success). Default: StatusErrors.
	Errors ErrorMapper
	// RateLimit turns the vendor's rate-limit headers into the governor's
	// (X-Rate-Limit-*). nil: Retry-After on 429 only (httpx does that).
	RateLimit RateSignals
	// Bucket classifies a request into a rate-limit bucket (Slack's
	// method tiers, Graph's per-service limits). nil: one per host.
	Bucket func(method, path string) string
	// Pages is the app's default pagination style for list cards.
	Pages Paginator
	// Ladder is the connection test (settings → token → identity → scopes).
	Ladder *Ladder
	// Cards are the app's action cards.
	Cards []*Card
	// CustomAPI adds the "Custom API Action" card under this Okta kind
	// (e.g. "slack:customApiAction"); empty: none.
	CustomAPI string
	// Events are the app's trigger cards, delivered by Webhook (signed
	// deliveries) and/or found by Poll (the shared polling runtime).
	Events  []*EventCard
	Webhook *Webhook
	Poll    *Poll
	// Fake builds the app's local fake (connectors/<app>/fake); nil: none.
	Fake FakeFactory
	// MaxInFlight caps concurrent requests per connection (0: no cap).
	MaxInFlight int

	clients httpx.ClientCache[*Client]
	kind    *engine.ConnectionKind
}

// CfgBaseURL overrides a connector's BaseURL for one connection (fakes).
const CfgBaseURL = "baseUrl"

var (
	regMu      sync.RWMutex
	connectors = map[string]*Connector{}
)

// Register declares a connector: its connection kind, its cards (and the
// Custom API Action), and its fake. It panics on a bad declaration (init
// time), like engine.Register.
func Register(c *Connector) {
	if c.ID == "" || c.Title == "" || len(c.Auth) == 0 {
		panic("kit: a connector needs an ID, a Title and at least one auth method")
	}
	if c.Category == "" {
		c.Category = c.Title
	}
	if c.Errors == nil {
		c.Errors = StatusErrors
	}
	c.kind = c.connectionKind()
	engine.RegisterConnectionKind(c.kind)
	for _, cd := range c.Cards {
		engine.Register(cd.Spec(c))
	}
	if c.CustomAPI != "" {
		engine.Register(c.customAPISpec())
	}
	c.registerEvents()
	for _, m := range c.Auth {
		if m.ID == AuthOAuth2Code {
			RegisterAuthorizer(c.ID, c.Authorize)
		}
	}
	regMu.Lock()
	connectors[c.ID] = c
	regMu.Unlock()
	if c.Fake != nil {
		RegisterFake(c.ID, c.Fake)
	}
}

// Lookup returns a registered connector by its connection kind id.
func Lookup(id string) (*Connector, bool) {
	regMu.RLock()
	defer regMu.RUnlock()
	c, ok := connectors[id]
	return c, ok
}

// Kind is the engine connection kind Register made.
func (c *Connector) Kind() *engine.ConnectionKind { return c.kind }

// connectionKind builds the form: the auth method selector first, the
// app's fields, then each method's fields grouped under the method id
// (the Designer's form shows a grouped field only while its method is
// chosen; a key shared by methods gets "a,b").
func (c *Connector) connectionKind() *engine.ConnectionKind {
	k := &engine.ConnectionKind{ID: c.ID, Title: c.Title}
	var ch []engine.Choice
	for _, m := range c.Auth {
		ch = append(ch, engine.Choice{Value: m.ID, Label: m.Label})
	}
	k.Fields = append(k.Fields, engine.FieldSpec{Key: CfgAuthMethod, Label: "Authentication", Type: engine.T("string"),
		Required: true, Default: c.Auth[0].ID, Choices: ch})
	k.Fields = append(k.Fields, c.Fields...)
	if c.BaseURL != "" && !strings.Contains(c.BaseURL, "{") {
		k.Fields = append(k.Fields, engine.FieldSpec{Key: CfgBaseURL, Label: "API address", Type: engine.T("string"),
			Description: "empty: " + c.BaseURL + "; another address for a self-hosted instance or a local fake"})
	}
	k.Secrets = append(k.Secrets, c.Secrets...)
	add := func(list *[]engine.FieldSpec, f engine.FieldSpec, method string) {
		for i := range *list {
			if (*list)[i].Key == f.Key {
				(*list)[i].Group += "," + method
				return
			}
		}
		f.Group = method
		*list = append(*list, f)
	}
	for _, m := range c.Auth {
		for _, f := range m.Fields {
			add(&k.Fields, f, m.ID)
		}
		for _, f := range m.Secrets {
			add(&k.Secrets, f, m.ID)
		}
	}
	k.Test = c.Test
	return k
}

// Method returns the connection's auth method (the default when unset).
// With a connection "baseUrl" (a self-hosted instance, a local fake), the
// method's OAuth endpoints on the vendor's API hosts move there too.
func (c *Connector) Method(conn *engine.Connection) (*AuthMethod, error) {
	id := cfgText(conn, CfgAuthMethod)
	if id == "" {
		return c.rebased(conn, c.Auth[0]), nil
	}
	for _, m := range c.Auth {
		if m.ID == id {
			return c.rebased(conn, m), nil
		}
	}
	return nil, fmt.Errorf("%s does not support the authentication method %q", c.Title, id)
}

// rebased is m with its OAuth endpoints moved to the connection's baseUrl
// when they are on the host of the connector's BaseURL or of an Origin.
func (c *Connector) rebased(conn *engine.Connection, m *AuthMethod) *AuthMethod {
	b := cfgText(conn, CfgBaseURL)
	if b == "" || m.AuthURL == "" && m.TokenURL == "" {
		return m
	}
	to, err := url.Parse(strings.TrimSuffix(b, "/"))
	if err != nil || to.Host == "" {
		return m
	}
	hosts := map[string]bool{}
	for _, raw := range append([]string{c.BaseURL}, originValues(c.Origins)...) {
		if u, err := url.Parse(raw); err == nil && u.Host != "" {
			hosts[strings.ToLower(u.Host)] = true
		}
	}
	move := func(raw string) string {
		u, err := url.Parse(expand(raw, conn))
		if err != nil || !hosts[strings.ToLower(u.Host)] {
			return raw
		}
		u.Scheme, u.Host = to.Scheme, to.Host
		return u.String()
	}
	cp := *m
	cp.AuthURL, cp.TokenURL = move(m.AuthURL), move(m.TokenURL)
	return &cp
}

func originValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// Base is the API base URL of a connection.
func (c *Connector) Base(conn *engine.Connection) (string, error) {
	if b := cfgText(conn, CfgBaseURL); b != "" {
		return strings.TrimSuffix(b, "/"), nil
	}
	b := expand(c.BaseURL, conn)
	if b == "" || strings.Contains(b, "{") {
		return "", fmt.Errorf("the %s connection is missing a setting for its address (%s)", c.Title, c.BaseURL)
	}
	return strings.TrimSuffix(b, "/"), nil
}

// ClientOptions tune NewClient.
type ClientOptions struct {
	Transport http.RoundTripper
	Governor  *httpx.Governor
	Policy    httpx.Policy
	// Saver stores refreshed OAuth tokens (the executor's "connections"
	// service); nil: refreshed tokens live only in memory.
	Saver ConnectionSaver
}

// ConnectionSaver reads and stores connections (the store).
type ConnectionSaver interface {
	Connection(ctx context.Context, id string) (*engine.Connection, error)
	PutConnection(c *engine.Connection) error
}

// Client calls one connection's API: base URL, credentials, retries,
// governor, error mapping and redaction.
type Client struct {
	c    *Connector
	conn *engine.Connection
	base string
	auth *authState
	http *httpx.Client
	opts httpx.Options

	mu     sync.Mutex
	others map[string]*httpx.Client
}

// origin returns the client of a named origin.
func (cl *Client) origin(name string) (*httpx.Client, error) {
	if name == "" {
		return cl.http, nil
	}
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if h, ok := cl.others[name]; ok {
		return h, nil
	}
	tmpl, ok := cl.c.Origins[name]
	if !ok {
		return nil, fmt.Errorf("%s has no API origin %q", cl.c.Title, name)
	}
	base := strings.TrimSuffix(expand(tmpl, cl.conn), "/")
	if b := cfgText(cl.conn, CfgBaseURL); b != "" {
		base = strings.TrimSuffix(b, "/")
	}
	o := cl.opts
	o.BaseURL = base
	o.Secrets = cl.auth.Secrets()
	h := httpx.New(o)
	if cl.others == nil {
		cl.others = map[string]*httpx.Client{}
	}
	cl.others[name] = h
	return h, nil
}

// NewClient builds a client for a connection.
func (c *Connector) NewClient(conn *engine.Connection, o ClientOptions) (*Client, error) {
	if conn == nil {
		return nil, fmt.Errorf("no %s connection chosen for this card", c.Title)
	}
	if conn.Kind != "" && conn.Kind != c.ID {
		return nil, fmt.Errorf("connection %q is a %s connection, not %s", conn.ID, conn.Kind, c.Title)
	}
	m, err := c.Method(conn)
	if err != nil {
		return nil, err
	}
	base, err := c.Base(conn)
	if err != nil {
		return nil, err
	}
	rt := o.Transport
	if rt == nil {
		rt = httpx.DefaultTransport()
	}
	if c.RateLimit != nil {
		rt = &rateTransport{base: rt, sig: c.RateLimit}
	}
	hc := &http.Client{Transport: rt, Timeout: 30 * time.Second,
		// token requests carry the client secret: never re-sent to another host
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > 0 && !strings.EqualFold(req.URL.Host, via[0].URL.Host) {
				return http.ErrUseLastResponse
			}
			return nil
		}}
	var onToken func(*oauth2.Token)
	if o.Saver != nil && conn.ID != "" {
		id := conn.ID
		onToken = func(tok *oauth2.Token) {
			// re-read: the person may have edited the connection since
			cur, err := o.Saver.Connection(context.Background(), id)
			if err != nil {
				return
			}
			if StoreToken(cur, tok) == nil {
				cur.Updated = time.Now().UTC()
				_ = o.Saver.PutConnection(cur)
			}
		}
	}
	a, err := newAuth(m, conn, hc, onToken)
	if err != nil {
		return nil, err
	}
	key := conn.ID
	if key == "" {
		key = c.ID
	}
	cl := &Client{c: c, conn: conn, base: base, auth: a}
	cl.opts = httpx.Options{Key: c.ID + ":" + key, BaseURL: base, Classify: c.Bucket, Governor: o.Governor,
		Transport: rt, Policy: o.Policy, Auth: a.apply, Secrets: a.Secrets(), MaxInFlight: c.MaxInFlight}
	cl.http = httpx.New(cl.opts)
	return cl, nil
}

// ClientFor returns the cached client of a card's connection; the
// executor's "http" service (a RoundTripper) is the base transport and its
// "governor" the rate governor, as for every connector.
func (c *Connector) ClientFor(ctx context.Context, in engine.Inputs) (*Client, error) {
	if in.Card == nil || in.Card.Connection == "" {
		return nil, fmt.Errorf("no %s connection chosen for this card", c.Title)
	}
	if in.Run == nil {
		return nil, errors.New("no runtime")
	}
	conn, err := in.Run.Connection(ctx, in.Card.Connection)
	if err != nil {
		return nil, err
	}
	rt, _ := in.Run.Service("http").(http.RoundTripper)
	gov, _ := in.Run.Service("governor").(*httpx.Governor)
	saver, _ := in.Run.Service("connections").(ConnectionSaver)
	return c.clients.Get(conn, rt, func() (*Client, error) {
		cl, err := c.NewClient(conn, ClientOptions{Transport: rt, Governor: gov, Saver: saver})
		if err != nil {
			return nil, fmt.Errorf("connection %q: %w", conn.ID, err)
		}
		return cl, nil
	})
}

// Connection is the client's connection (with secrets: never record it).
func (cl *Client) Connection() *engine.Connection { return cl.conn }

// BaseURL is the API base the client resolves relative paths against.
func (cl *Client) BaseURL() string { return cl.base }

// Secrets are every credential in every form sent; pass card outputs
// that may echo them through Scrub.
func (cl *Client) Secrets() []string { return cl.auth.Secrets() }

// Scrub removes the connection's secrets from a value before it is
// recorded (outputs, headers, error bodies).
func (cl *Client) Scrub(v any) any { return httpx.ScrubValue(v, cl.Secrets()...) }
