// Package okta is the Okta connector: the "okta" connection kind (API token
// or OAuth 2.0 service app with private_key_jwt / client secret, optional
// DPoP), its test-connection ladder, and the Okta cards.
package okta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
)

// Connection config and secret keys.
const (
	CfgDomain      = "domain"
	CfgAuthMethod  = "authMethod" // "token" | "privateKey" | "clientSecret"
	CfgClientID    = "clientId"
	CfgScopes      = "scopes" // space-separated text or a list
	CfgKeyID       = "keyId"  // optional kid for the private key
	CfgDPoP        = "dpop"
	CfgConcurrency = "concurrencyLimit" // optional org concurrency cap (default 75)

	SecAPIToken     = "apiToken"
	SecPrivateKey   = "privateKey"
	SecClientSecret = "clientSecret"
)

// Auth methods.
const (
	AuthToken        = "token"
	AuthPrivateKey   = "privateKey"
	AuthClientSecret = "clientSecret"
)

// oauthMethods is the Group of the fields both OAuth 2.0 methods use.
const oauthMethods = AuthPrivateKey + "," + AuthClientSecret

// DefaultScopes are requested when a service-app connection names none.
var DefaultScopes = []string{"okta.users.read", "okta.users.manage", "okta.groups.read", "okta.groups.manage",
	"okta.apps.read", "okta.apps.manage", "okta.orgs.read"}

// Kind is the "okta" connection kind.
var Kind = &engine.ConnectionKind{
	ID:    "okta",
	Title: "Okta",
	Fields: []engine.FieldSpec{
		{Key: CfgDomain, Label: "Okta domain", Type: engine.T("string"), Required: true,
			Description: "your-org.okta.com (https is added), or http://127.0.0.1:PORT for the local sandbox"},
		{Key: CfgAuthMethod, Label: "Authentication", Type: engine.T("string"), Required: true, Default: AuthToken,
			Choices: []engine.Choice{{Value: AuthToken, Label: "API token (SSWS)"},
				{Value: AuthPrivateKey, Label: "OAuth 2.0 service app, private key (private_key_jwt)"},
				{Value: AuthClientSecret, Label: "OAuth 2.0 client secret"}}},
		// Group: the auth methods a field belongs to (the form shows, and
		// requires, only the chosen method's fields)
		{Key: CfgClientID, Label: "Client ID", Type: engine.T("string"), Required: true, Group: oauthMethods, Description: "the API Services app's client id"},
		{Key: CfgScopes, Label: "Scopes", Type: engine.T("string"), Group: oauthMethods, Description: "okta.* scopes granted to the app, space-separated"},
		{Key: CfgKeyID, Label: "Key ID (kid)", Type: engine.T("string"), Group: AuthPrivateKey, Description: "optional; defaults to the key's JWK thumbprint"},
		{Key: CfgDPoP, Label: "Require DPoP", Type: engine.T("boolean"), Default: false, Group: oauthMethods},
		{Key: CfgConcurrency, Label: "Concurrency limit", Type: engine.T("number"), Description: "in-flight requests at most (Okta org limit; default 75)"},
	},
	Secrets: []engine.FieldSpec{
		{Key: SecAPIToken, Label: "API token", Type: engine.T("string"), Required: true, Group: AuthToken},
		{Key: SecPrivateKey, Label: "Private key (PEM or JWK)", Type: engine.T("string"), Required: true, Group: AuthPrivateKey},
		{Key: SecClientSecret, Label: "Client secret", Type: engine.T("string"), Required: true, Group: AuthClientSecret},
	},
	Test: TestConnection,
}

func init() { engine.RegisterConnectionKind(Kind) }

// NormalizeDomain turns what a person typed into the org base URL:
// "acme.okta.com", "https://acme-admin.okta.com/" → "https://acme.okta.com".
// http is allowed only for loopback hosts (the local sandbox).
func NormalizeDomain(d string) (string, error) {
	d = strings.TrimSpace(d)
	if d == "" {
		return "", errors.New("the Okta domain is empty")
	}
	if !strings.Contains(d, "://") {
		d = "https://" + d
	}
	u, err := url.Parse(d)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("%q is not a domain name", d)
	}
	host := u.Hostname()
	loopback := host == "localhost" || net.ParseIP(host) != nil && net.ParseIP(host).IsLoopback()
	switch u.Scheme {
	case "https":
	case "http":
		if !loopback {
			return "", errors.New("Okta requires https; http is allowed only for the local sandbox (127.0.0.1)")
		}
	default:
		return "", fmt.Errorf("unsupported scheme %q", u.Scheme)
	}
	if !loopback {
		// acme-admin.okta.com → acme.okta.com (the admin console host is not the API host)
		if first, rest, ok := strings.Cut(host, "."); ok && strings.HasSuffix(first, "-admin") &&
			(strings.HasSuffix(rest, "okta.com") || strings.HasSuffix(rest, "oktapreview.com") || strings.HasSuffix(rest, "okta-emea.com")) {
			host = strings.TrimSuffix(first, "-admin") + "." + rest
		}
		if u.Port() != "" {
			host = net.JoinHostPort(host, u.Port())
		}
		u.Host = host
	}
	return u.Scheme + "://" + u.Host, nil
}

// settings is a parsed connection.
type settings struct {
	base        string
	method      string
	clientID    string
	scopes      []string
	keyID       string
	dpop        bool
	concurrency int
	token       string
	privateKey  string
	secret      string
}

func parseSettings(c *engine.Connection) (*settings, error) {
	if c == nil {
		return nil, errors.New("no connection")
	}
	s := &settings{}
	var err error
	if s.base, err = NormalizeDomain(engine.ToText(c.Config[CfgDomain])); err != nil {
		return nil, err
	}
	s.method = engine.ToText(c.Config[CfgAuthMethod])
	if s.method == "" {
		s.method = AuthToken
		if c.Secrets[SecAPIToken] == "" && c.Secrets[SecPrivateKey] != "" {
			s.method = AuthPrivateKey
		}
	}
	s.clientID = strings.TrimSpace(engine.ToText(c.Config[CfgClientID]))
	switch v := c.Config[CfgScopes].(type) {
	case []any:
		for _, x := range v {
			s.scopes = append(s.scopes, engine.ToText(x))
		}
	case []string:
		s.scopes = v
	default:
		s.scopes = strings.Fields(strings.ReplaceAll(engine.ToText(v), ",", " "))
	}
	s.keyID = engine.ToText(c.Config[CfgKeyID])
	if b, err := engine.ToBool(c.Config[CfgDPoP]); err == nil {
		s.dpop = b
	}
	if n, err := engine.ToNumber(c.Config[CfgConcurrency]); err == nil && n > 0 {
		s.concurrency = int(n)
	}
	if s.concurrency == 0 {
		s.concurrency = 75
	}
	s.token = strings.TrimSpace(c.Secrets[SecAPIToken])
	s.privateKey = c.Secrets[SecPrivateKey]
	s.secret = c.Secrets[SecClientSecret]
	switch s.method {
	case AuthToken:
		s.token = strings.TrimPrefix(s.token, "SSWS ")
		if s.token == "" {
			return nil, errors.New("the API token is empty")
		}
	case AuthPrivateKey, AuthClientSecret:
		if s.clientID == "" {
			return nil, errors.New("the client ID is empty")
		}
		if len(s.scopes) == 0 {
			s.scopes = DefaultScopes
		}
		if s.method == AuthClientSecret && s.secret == "" {
			return nil, errors.New("the client secret is empty")
		}
	default:
		return nil, fmt.Errorf("unknown authentication method %q (token, privateKey or clientSecret)", s.method)
	}
	return s, nil
}

func (s *settings) secrets() []string {
	out := []string{s.token, s.secret}
	if s.privateKey != "" {
		out = append(out, s.privateKey)
	}
	return out
}

// Client calls one Okta org with a connection's credentials.
type Client struct {
	Base    string
	http    *httpx.Client
	ts      *tokenSource
	s       *settings
	secrets []string
}

// ClientOptions tune NewClient.
type ClientOptions struct {
	// Transport is the base round tripper (tests install recorders here).
	Transport http.RoundTripper
	// Governor paces requests (default httpx.DefaultGovernor).
	Governor *httpx.Governor
	// Policy is the retry policy.
	Policy httpx.Policy
}

// NewClient builds a client for a connection.
func NewClient(c *engine.Connection, o ClientOptions) (*Client, error) {
	s, err := parseSettings(c)
	if err != nil {
		return nil, err
	}
	cl := &Client{Base: s.base, s: s, secrets: s.secrets()}
	key := s.base // governor state is per org (and connection: its own rate share)
	if c.ID != "" {
		key = c.ID + "|" + s.base
	}
	if s.method != AuthToken {
		ts := &tokenSource{tokenURL: s.base + "/oauth2/v1/token", clientID: s.clientID, scopes: s.scopes, secret: s.secret}
		if s.method == AuthPrivateKey {
			if ts.key, err = ParsePrivateKey(s.privateKey, s.keyID); err != nil {
				return nil, err
			}
		}
		if s.dpop {
			if ts.dpop, err = newDPoPKey(); err != nil {
				return nil, err
			}
		}
		ts.hc = httpx.New(httpx.Options{Key: key, Classify: httpx.OktaBucket, Governor: o.Governor, Transport: o.Transport,
			Secrets: cl.secrets, Policy: o.Policy, MaxInFlight: s.concurrency})
		cl.ts = ts
	}
	cl.http = httpx.New(httpx.Options{Key: key, BaseURL: s.base, Classify: httpx.OktaBucket, Governor: o.Governor,
		Transport: o.Transport, Policy: o.Policy, MaxInFlight: s.concurrency, Secrets: cl.secrets, Auth: cl.auth})
	return cl, nil
}

func (c *Client) auth(req *http.Request) error {
	if c.ts == nil {
		req.Header.Set("Authorization", "SSWS "+c.s.token)
		return nil
	}
	tok, err := c.ts.Token(req.Context())
	if err != nil {
		return err
	}
	if c.ts.dpop != nil && strings.EqualFold(tok.TokenType, "DPoP") {
		p, err := c.ts.dpop.proof(req.Method, req.URL.String(), "", tok.AccessToken)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "DPoP "+tok.AccessToken)
		req.Header.Set("DPoP", p)
		return nil
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	return nil
}

// Call is one API call. path is relative to the org ("/api/v1/users").
type Call struct {
	Method    string
	Path      string
	Query     url.Values
	Header    http.Header
	Body      any // JSON-encoded when non-nil
	OnAttempt func(engine.Attempt)
	Policy    *httpx.Policy
}

// Do performs a call and returns the response, whatever its status. On a
// 401 with an OAuth token it fetches a new token once and retries.
func (c *Client) Do(ctx context.Context, call *Call) (*httpx.Response, error) {
	req := &httpx.Request{Method: call.Method, URL: call.Path, Query: call.Query, Header: call.Header, JSON: call.Body,
		OnAttempt: call.OnAttempt, Policy: call.Policy}
	if IdempotentWrite(call.Method, call.Path) {
		req.Idempotent = new(true)
	}
	resp, err := c.http.Do(ctx, req)
	if err != nil {
		return nil, c.cleanErr(err)
	}
	if resp.Status == http.StatusUnauthorized && c.ts != nil {
		c.ts.mu.Lock()
		c.ts.tok = nil
		c.ts.mu.Unlock()
		resp, err = c.http.Do(ctx, req)
		if err != nil {
			return nil, c.cleanErr(err)
		}
	}
	return resp, nil
}

func (c *Client) cleanErr(err error) error {
	var te *TokenError
	if errors.As(err, &te) {
		return &engine.HTTPError{Status: te.Status, Code: te.Code, Summary: httpx.Scrub(te.Error(), c.secrets...)}
	}
	return errors.New(httpx.Scrub(err.Error(), c.secrets...))
}

// JSON performs a call and decodes the JSON answer. Statuses ≥ 400 become
// *engine.HTTPError with Okta's errorCode and errorSummary.
func (c *Client) JSON(ctx context.Context, call *Call) (any, *httpx.Response, error) {
	resp, err := c.Do(ctx, call)
	if err != nil {
		return nil, nil, err
	}
	if resp.Status >= 400 {
		return nil, resp, c.httpError(resp)
	}
	v, err := resp.JSON()
	if err != nil {
		return nil, resp, fmt.Errorf("Okta answered HTTP %d with a body that is not JSON", resp.Status)
	}
	return v, resp, nil
}

func (c *Client) httpError(resp *httpx.Response) *engine.HTTPError {
	he := &engine.HTTPError{Status: resp.Status}
	var e struct {
		ErrorCode    string `json:"errorCode"`
		ErrorSummary string `json:"errorSummary"`
		ErrorCauses  []struct {
			ErrorSummary string `json:"errorSummary"`
		} `json:"errorCauses"`
		Error     string `json:"error"`
		ErrorDesc string `json:"error_description"`
	}
	if json.Unmarshal(resp.Body, &e) == nil {
		he.Code, he.Summary = e.ErrorCode, e.ErrorSummary
		if he.Code == "" {
			he.Code, he.Summary = e.Error, e.ErrorDesc
		}
		var causes []string
		for _, c := range e.ErrorCauses {
			if c.ErrorSummary != "" && c.ErrorSummary != he.Summary {
				causes = append(causes, c.ErrorSummary)
			}
		}
		if len(causes) > 0 {
			he.Summary += " (" + strings.Join(causes, "; ") + ")"
		}
		var body any
		if json.Unmarshal(resp.Body, &body) == nil {
			he.Body = body
		}
	}
	if he.Summary == "" {
		he.Summary = http.StatusText(resp.Status)
	}
	sec := c.Secrets()
	he.Summary = httpx.Scrub(he.Summary, sec...)
	he.Body = httpx.ScrubValue(he.Body, sec...)
	return he
}

// Secrets are the connection's credentials in every form sent (the SSWS
// token, client secret, private key, and the current OAuth access token):
// card outputs and errors pass through httpx.ScrubValue with them.
func (c *Client) Secrets() []string {
	out := append([]string(nil), c.secrets...)
	if c.ts != nil {
		c.ts.mu.Lock()
		if c.ts.tok != nil {
			out = append(out, c.ts.tok.AccessToken)
		}
		c.ts.mu.Unlock()
	}
	return out
}

// clients holds one Client per connection version and transport.
var clients httpx.ClientCache[*Client]

// ClientFor returns the cached client of the card's connection. The
// executor service "http", when it is an http.RoundTripper, is used as the
// base transport (tests install recorders that way).
func ClientFor(ctx context.Context, in engine.Inputs) (*Client, error) {
	if in.Card == nil || in.Card.Connection == "" {
		return nil, errors.New("no Okta connection chosen for this card")
	}
	conn, err := in.Run.Connection(ctx, in.Card.Connection)
	if err != nil {
		return nil, err
	}
	if conn.Kind != "" && conn.Kind != Kind.ID {
		return nil, fmt.Errorf("connection %q is a %s connection, not Okta", conn.ID, conn.Kind)
	}
	var rt http.RoundTripper
	var gov *httpx.Governor
	if in.Run != nil {
		rt, _ = in.Run.Service("http").(http.RoundTripper)
		gov, _ = in.Run.Service("governor").(*httpx.Governor)
	}
	return clientFor(conn, rt, gov)
}

func clientFor(conn *engine.Connection, rt http.RoundTripper, gov *httpx.Governor) (*Client, error) {
	return clients.Get(conn, rt, func() (*Client, error) {
		c, err := NewClient(conn, ClientOptions{Transport: rt, Governor: gov})
		if err != nil {
			return nil, fmt.Errorf("connection %q: %w", conn.ID, err)
		}
		return c, nil
	})
}

// IdempotentWrite is true for Okta POSTs whose repeat leaves the org as one
// call would: partial profile updates of a user and of an app user. They are
// retried on 5xx and resets like GET/PUT/DELETE.
func IdempotentWrite(method, path string) bool {
	if !strings.EqualFold(method, http.MethodPost) {
		return false
	}
	p := strings.Trim(strings.SplitN(path, "?", 2)[0], "/")
	segs := strings.Split(p, "/")
	switch {
	case len(segs) == 4 && segs[0] == "api" && segs[1] == "v1" && segs[2] == "users" && segs[3] != "":
		return true // POST /api/v1/users/{id}: partial profile update
	case len(segs) == 6 && segs[0] == "api" && segs[1] == "v1" && segs[2] == "apps" && segs[4] == "users" && segs[5] != "":
		return true // POST /api/v1/apps/{appId}/users/{userId}: app user profile update
	}
	return false
}
