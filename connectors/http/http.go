// Package http is the API Connector: the "http" connection kind (none,
// basic, custom headers / API key, OAuth 2.0 client credentials, OAuth 2.0
// authorization code with PKCE through a loopback redirect) and the Get,
// Post, Put, Patch, Delete and Raw Request cards.
package http

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Auth types (config "authType").
const (
	AuthNone              = "none"
	AuthBasic             = "basic"
	AuthHeader            = "header" // custom header(s) / API key
	AuthClientCredentials = "oauth2ClientCredentials"
	AuthCode              = "oauth2AuthCode"
)

// Config and secret keys.
const (
	CfgAuthType     = "authType"
	CfgBaseURL      = "baseUrl" // optional: relative card URLs resolve against it
	CfgUsername     = "username"
	CfgHeaderName   = "headerName" // header carrying the API key, e.g. "X-API-Key" or "Authorization"
	CfgHeaderPrefix = "headerPrefix"
	CfgTokenURL     = "tokenUrl"
	CfgAuthURL      = "authUrl"
	CfgClientID     = "clientId"
	CfgScopes       = "scopes"
	CfgRedirectPort = "redirectPort" // loopback port for the authorization code redirect (0: any)
	CfgAuthStyle    = "authStyle"    // "header" (default) or "params": how the client secret is sent

	SecPassword     = "password"
	SecHeaderValue  = "headerValue"
	SecHeaders      = "headers" // JSON object of several secret headers
	SecClientSecret = "clientSecret"
	SecToken        = "oauthToken" // JSON oauth2.Token from Authorize
)

// Kind is the "http" connection kind.
var Kind = &engine.ConnectionKind{
	ID:    "http",
	Title: "API Connector (HTTP)",
	Fields: []engine.FieldSpec{
		{Key: CfgAuthType, Label: "Authorization", Type: engine.T("string"), Required: true, Default: AuthNone,
			Choices: []engine.Choice{{Value: AuthNone, Label: "None"}, {Value: AuthBasic, Label: "Basic"},
				{Value: AuthHeader, Label: "Custom header / API key"}, {Value: AuthClientCredentials, Label: "OAuth 2.0 client credentials"},
				{Value: AuthCode, Label: "OAuth 2.0 authorization code (PKCE)"}}},
		{Key: CfgBaseURL, Label: "Base URL", Type: engine.T("string")},
		{Key: CfgUsername, Label: "Username", Type: engine.T("string")},
		{Key: CfgHeaderName, Label: "Header name", Type: engine.T("string"), Default: "Authorization"},
		{Key: CfgHeaderPrefix, Label: "Header value prefix", Type: engine.T("string"), Description: `e.g. "Bearer "`},
		{Key: CfgTokenURL, Label: "Token URL", Type: engine.T("string")},
		{Key: CfgAuthURL, Label: "Authorize URL", Type: engine.T("string")},
		{Key: CfgClientID, Label: "Client ID", Type: engine.T("string")},
		{Key: CfgScopes, Label: "Scopes", Type: engine.T("string"), Description: "space-separated"},
		{Key: CfgRedirectPort, Label: "Redirect port", Type: engine.T("number"), Description: "loopback port registered as http://127.0.0.1:PORT/callback (0: any)"},
		{Key: CfgAuthStyle, Label: "Client authentication", Type: engine.T("string"), Default: "header",
			Choices: []engine.Choice{{Value: "header", Label: "HTTP Basic header"}, {Value: "params", Label: "In the request body"}}},
	},
	Secrets: []engine.FieldSpec{
		{Key: SecPassword, Label: "Password", Type: engine.T("string")},
		{Key: SecHeaderValue, Label: "Header value / API key", Type: engine.T("string")},
		{Key: SecHeaders, Label: "More secret headers (JSON object)", Type: engine.T("string")},
		{Key: SecClientSecret, Label: "Client secret", Type: engine.T("string")},
		{Key: SecToken, Label: "OAuth token (set by Authorize)", Type: engine.T("string")},
	},
	Test: TestConnection,
}

func init() {
	engine.RegisterConnectionKind(Kind)
	for _, s := range specs() {
		engine.Register(s)
	}
}

func cfg(c *engine.Connection, k string) string { return strings.TrimSpace(engine.ToText(c.Config[k])) }

func scopes(c *engine.Connection) []string {
	return strings.Fields(strings.ReplaceAll(cfg(c, CfgScopes), ",", " "))
}

func oauthConfig(c *engine.Connection, redirect string) *oauth2.Config {
	style := oauth2.AuthStyleInHeader
	if cfg(c, CfgAuthStyle) == "params" {
		style = oauth2.AuthStyleInParams
	}
	return &oauth2.Config{ClientID: cfg(c, CfgClientID), ClientSecret: c.Secrets[SecClientSecret], Scopes: scopes(c),
		RedirectURL: redirect, Endpoint: oauth2.Endpoint{AuthURL: cfg(c, CfgAuthURL), TokenURL: cfg(c, CfgTokenURL), AuthStyle: style}}
}

// Client is an HTTP client with a connection's credentials.
type Client struct {
	http    *httpx.Client
	conn    *engine.Connection
	ts      oauth2.TokenSource
	secrets []string
	mu      sync.Mutex
	tokens  []string // access tokens sent (they change on refresh)
}

// ClientOptions tune NewClient.
type ClientOptions struct {
	Transport http.RoundTripper
	Governor  *httpx.Governor
	Policy    httpx.Policy
	// OnToken is called when an authorization-code token was refreshed, so
	// the new token (and a rotated refresh token) can be stored.
	OnToken func(*oauth2.Token)
}

// ConnectionSaver reads and stores connections; the store offers it to
// cards as the executor service "connections".
type ConnectionSaver interface {
	Connection(ctx context.Context, id string) (*engine.Connection, error)
	PutConnection(c *engine.Connection) error
}

// savingSource reports tokens that differ from the last one seen.
type savingSource struct {
	mu   sync.Mutex
	base oauth2.TokenSource
	last string
	save func(*oauth2.Token)
}

func (s *savingSource) Token() (*oauth2.Token, error) {
	tok, err := s.base.Token()
	if err != nil || s.save == nil {
		return tok, err
	}
	s.mu.Lock()
	changed := tok.AccessToken != s.last
	s.last = tok.AccessToken
	s.mu.Unlock()
	if changed {
		s.save(tok)
	}
	return tok, nil
}

// NewClient builds a client for a connection (nil: unauthenticated).
func NewClient(c *engine.Connection, o ClientOptions) (*Client, error) {
	if c == nil {
		c = &engine.Connection{Kind: "http", Config: map[string]any{CfgAuthType: AuthNone}}
	}
	cl := &Client{conn: c}
	for _, v := range c.Secrets {
		cl.secrets = append(cl.secrets, v)
	}
	// the forms the credentials take on the wire, so that an echo of them is
	// recognised too: Basic's base64 pair, the header value with its prefix
	if cfg(c, CfgAuthType) == AuthBasic {
		cl.secrets = append(cl.secrets, httpx.CredentialForms(cfg(c, CfgUsername), c.Secrets[SecPassword])...)
	}
	if v := c.Secrets[SecHeaderValue]; v != "" {
		if p := engine.ToText(c.Config[CfgHeaderPrefix]); p != "" {
			cl.secrets = append(cl.secrets, p+v)
		}
	}
	if s := c.Secrets[SecHeaders]; s != "" {
		var m map[string]any
		if json.Unmarshal([]byte(s), &m) == nil {
			for _, v := range m {
				cl.secrets = append(cl.secrets, engine.ToText(v))
			}
		}
	}
	if raw := c.Secrets[SecToken]; raw != "" {
		var tok oauth2.Token
		if json.Unmarshal([]byte(raw), &tok) == nil {
			cl.secrets = append(cl.secrets, tok.AccessToken, tok.RefreshToken)
		}
	}
	base := o.Transport
	if base == nil {
		base = httpx.DefaultTransport()
	}
	octx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: base, Timeout: 30 * time.Second,
		// token requests carry the client secret: never re-sent to another host
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > 0 && !strings.EqualFold(req.URL.Host, via[0].URL.Host) {
				return http.ErrUseLastResponse
			}
			return nil
		}})
	at := cfg(c, CfgAuthType)
	switch at {
	case "", AuthNone, AuthBasic:
	case AuthHeader:
		if c.Secrets[SecHeaderValue] == "" && c.Secrets[SecHeaders] == "" {
			return nil, errors.New("the header value (API key) is empty")
		}
		if s := c.Secrets[SecHeaders]; s != "" {
			var m map[string]any
			if json.Unmarshal([]byte(s), &m) != nil {
				return nil, errors.New("the secret headers are not a JSON object")
			}
		}
	case AuthClientCredentials:
		if cfg(c, CfgTokenURL) == "" || cfg(c, CfgClientID) == "" {
			return nil, errors.New("client credentials need a token URL and a client ID")
		}
		oc := oauthConfig(c, "")
		cc := &clientcredentials.Config{ClientID: oc.ClientID, ClientSecret: oc.ClientSecret, TokenURL: oc.Endpoint.TokenURL,
			Scopes: oc.Scopes, AuthStyle: oc.Endpoint.AuthStyle}
		cl.ts = cc.TokenSource(octx)
	case AuthCode:
		raw := c.Secrets[SecToken]
		if raw == "" {
			return nil, errors.New("not authorized yet: run Authorize for this connection")
		}
		var tok oauth2.Token
		if err := json.Unmarshal([]byte(raw), &tok); err != nil {
			return nil, errors.New("the stored OAuth token is corrupt: authorize again")
		}
		cl.ts = &savingSource{base: oauthConfig(c, "").TokenSource(octx, &tok), last: tok.AccessToken, save: o.OnToken}
	default:
		return nil, fmt.Errorf("unknown authorization type %q", at)
	}
	key := c.ID
	if key == "" {
		key = "http"
	}
	cl.http = httpx.New(httpx.Options{Key: key, BaseURL: cfg(c, CfgBaseURL), Governor: o.Governor, Transport: base,
		Policy: o.Policy, Auth: cl.auth, Secrets: cl.secrets})
	return cl, nil
}

func (cl *Client) auth(req *http.Request) error {
	c := cl.conn
	// credentials only go to the configured base URL's host, when one is set
	if b := cfg(c, CfgBaseURL); b != "" {
		if bu, err := url.Parse(b); err == nil && bu.Host != "" && !strings.EqualFold(bu.Host, req.URL.Host) {
			return nil
		}
	}
	switch cfg(c, CfgAuthType) {
	case AuthBasic:
		req.SetBasicAuth(cfg(c, CfgUsername), c.Secrets[SecPassword])
	case AuthHeader:
		if v := c.Secrets[SecHeaderValue]; v != "" {
			name := cfg(c, CfgHeaderName)
			if name == "" {
				name = "Authorization"
			}
			req.Header.Set(name, engine.ToText(c.Config[CfgHeaderPrefix])+v)
		}
		if s := c.Secrets[SecHeaders]; s != "" {
			var m map[string]any
			_ = json.Unmarshal([]byte(s), &m)
			for k, v := range m {
				req.Header.Set(k, engine.ToText(v))
			}
		}
	case AuthClientCredentials, AuthCode:
		tok, err := cl.ts.Token()
		if err != nil {
			return fmt.Errorf("getting an OAuth token: %w", err)
		}
		cl.noteToken(tok.AccessToken)
		tok.SetAuthHeader(req)
	}
	return nil
}

// noteToken remembers an access token the client sent, so that responses
// echoing it are redacted like the stored secrets.
func (cl *Client) noteToken(tok string) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if tok != "" && !slices.Contains(cl.tokens, tok) {
		cl.tokens = append(cl.tokens, tok)
		if len(cl.tokens) > 8 {
			cl.tokens = cl.tokens[1:]
		}
	}
}

// Secrets are every credential of the connection in every form it was sent:
// card outputs, headers and errors pass through httpx.ScrubValue with them.
func (cl *Client) Secrets() []string {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	return append(slices.Clone(cl.secrets), cl.tokens...)
}

// Do performs a request.
func (cl *Client) Do(ctx context.Context, r *httpx.Request) (*httpx.Response, error) {
	resp, err := cl.http.Do(ctx, r)
	if err != nil {
		return nil, errors.New(httpx.Scrub(err.Error(), cl.Secrets()...))
	}
	return resp, nil
}

// clients holds one Client per connection version and transport.
var clients httpx.ClientCache[*Client]

func clientFor(ctx context.Context, in engine.Inputs) (*Client, error) {
	var rt http.RoundTripper
	var gov *httpx.Governor
	if in.Run != nil {
		rt, _ = in.Run.Service("http").(http.RoundTripper)
		gov, _ = in.Run.Service("governor").(*httpx.Governor)
	}
	var conn *engine.Connection
	if in.Card != nil && in.Card.Connection != "" {
		c, err := in.Run.Connection(ctx, in.Card.Connection)
		if err != nil {
			return nil, err
		}
		if c.Kind != "" && c.Kind != Kind.ID {
			return nil, fmt.Errorf("connection %q is a %s connection, not an API Connector one", c.ID, c.Kind)
		}
		conn = c
	}
	return clients.Get(conn, rt, func() (*Client, error) { return buildClient(in, conn, rt, gov) })
}

func buildClient(in engine.Inputs, conn *engine.Connection, rt http.RoundTripper, gov *httpx.Governor) (*Client, error) {
	id := ""
	if conn != nil {
		id = conn.ID
	}
	opts := ClientOptions{Transport: rt, Governor: gov}
	if saver, ok := in.Run.Service("connections").(ConnectionSaver); ok && conn != nil {
		// a refreshed token outlives this process: write it back (encrypted at rest)
		id := conn.ID
		opts.OnToken = func(tok *oauth2.Token) {
			// re-read: the person may have edited (or deleted) the connection
			// since this client was built; only the token changes
			cur, err := saver.Connection(context.Background(), id)
			if err != nil {
				return
			}
			if StoreToken(cur, tok) == nil {
				cur.Updated = time.Now().UTC()
				_ = saver.PutConnection(cur)
			}
		}
	}
	c, err := NewClient(conn, opts)
	if err != nil {
		return nil, fmt.Errorf("connection %q: %w", id, err)
	}
	return c, nil
}

// Authorize starts the OAuth 2.0 authorization code flow with PKCE: it
// listens on a loopback redirect (http://127.0.0.1:PORT/callback) and returns
// the URL to open in a browser, and wait, which blocks until the browser
// comes back (or ctx ends) and exchanges the code for a token. Store the
// token with StoreToken. Errors surface from wait (url is then "").
func Authorize(ctx context.Context, conn *engine.Connection) (string, func() (*oauth2.Token, error)) {
	fail := func(err error) (string, func() (*oauth2.Token, error)) {
		return "", func() (*oauth2.Token, error) { return nil, err }
	}
	if conn == nil || cfg(conn, CfgAuthURL) == "" || cfg(conn, CfgTokenURL) == "" || cfg(conn, CfgClientID) == "" {
		return fail(errors.New("authorization code needs an authorize URL, a token URL and a client ID"))
	}
	port := 0
	if n, err := engine.ToNumber(conn.Config[CfgRedirectPort]); err == nil {
		port = int(n)
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return fail(fmt.Errorf("cannot listen for the redirect: %w", err))
	}
	redirect := "http://" + ln.Addr().String() + "/callback"
	oc := oauthConfig(conn, redirect)
	verifier := oauth2.GenerateVerifier()
	sb := make([]byte, 16)
	_, _ = rand.Read(sb)
	state := base64.RawURLEncoding.EncodeToString(sb)
	authURL := oc.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oauth2.AccessTypeOffline)

	type result struct {
		code string
		err  error
	}
	ch := make(chan result, 1)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" {
			http.NotFound(w, r)
			return
		}
		q := r.URL.Query()
		var res result
		switch {
		case q.Get("state") != state:
			res.err = errors.New("the redirect's state does not match (possible forgery); try again")
		case q.Get("error") != "":
			res.err = fmt.Errorf("authorization refused: %s %s", q.Get("error"), q.Get("error_description"))
		case q.Get("code") == "":
			res.err = errors.New("the redirect carried no code")
		default:
			res.code = q.Get("code")
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if res.err != nil {
			fmt.Fprintf(w, "<p>Flowbench: authorization failed. You can close this tab.</p>")
		} else {
			fmt.Fprintf(w, "<p>Flowbench: authorized. You can close this tab.</p>")
		}
		select {
		case ch <- res:
		default:
		}
	})}
	go func() { _ = srv.Serve(ln) }()
	wait := func() (*oauth2.Token, error) {
		defer srv.Close()
		var res result
		select {
		case res = <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if res.err != nil {
			return nil, res.err
		}
		tok, err := oc.Exchange(ctx, res.code, oauth2.VerifierOption(verifier))
		if err != nil {
			return nil, fmt.Errorf("exchanging the code: %w", err)
		}
		return tok, nil
	}
	return authURL, wait
}

// StoreToken puts a token from Authorize into the connection's secrets.
func StoreToken(conn *engine.Connection, tok *oauth2.Token) error {
	b, err := json.Marshal(tok)
	if err != nil {
		return err
	}
	if conn.Secrets == nil {
		conn.Secrets = map[string]string{}
	}
	conn.Secrets[SecToken] = string(b)
	return nil
}

// TestConnection checks settings and, for OAuth, that a token is obtained;
// with a base URL it also makes one GET to it.
func TestConnection(ctx context.Context, c *engine.Connection) *engine.TestReport {
	rep := &engine.TestReport{Info: map[string]any{}}
	cl, err := NewClient(c, ClientOptions{Policy: httpx.Policy{Attempts: 1, RateLimitAttempts: 1}})
	if err != nil {
		rep.Steps = append(rep.Steps, engine.TestStep{Name: "settings", Message: err.Error(), Hint: "Complete the connection's authorization settings."})
		return rep
	}
	rep.Steps = append(rep.Steps, engine.TestStep{Name: "settings", OK: true, Message: "authorization " + cfg(c, CfgAuthType)})
	if cl.ts != nil {
		tok, err := cl.ts.Token()
		if err != nil {
			msg := httpx.Scrub(err.Error(), cl.secrets...)
			rep.Steps = append(rep.Steps, engine.TestStep{Name: "token", Message: msg, Hint: "Check the token URL, client ID, client secret and scopes."})
			return rep
		}
		rep.Steps = append(rep.Steps, engine.TestStep{Name: "token", OK: true, Message: "token obtained (" + tok.Type() + ")"})
	}
	if b := cfg(c, CfgBaseURL); b != "" {
		resp, err := cl.Do(ctx, &httpx.Request{URL: b})
		if err != nil {
			rep.Steps = append(rep.Steps, engine.TestStep{Name: "reach", Message: err.Error(), Hint: "Check the base URL and the network."})
			return rep
		}
		st := engine.TestStep{Name: "reach", OK: resp.Status < 400, Status: resp.Status, Message: fmt.Sprintf("GET %s → HTTP %d", httpx.RedactURL(b), resp.Status)}
		if !st.OK {
			st.Hint = "The server answered with an error; check the credentials for this API."
		}
		rep.Steps = append(rep.Steps, st)
		if !st.OK {
			return rep
		}
	}
	rep.OK = true
	return rep
}

// --- cards ---

func fld(group, key, typ string, label string) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: group, Type: engine.T(typ), Label: label}
}

var outputs = []engine.FieldSpec{fld("Response", "Status Code", "number", "Status Code"),
	fld("Response", "Headers", "object", "Headers"), fld("Response", "Body", "any", "Body")}

func specs() []*engine.Spec {
	mk := func(id, okta, title, method string, body bool) *engine.Spec {
		ins := []engine.FieldSpec{fld("Request", "URL", "string", "URL"), fld("Request", "Query", "any", "Query"),
			fld("Request", "Headers", "object", "Headers")}
		ins[0].Required = true
		if body {
			ins = append(ins, fld("Request", "Body", "any", "Body"))
		}
		desc := "Sends an HTTP " + method + " request; a JSON response body is parsed."
		if method == "" {
			ins = append(ins, engine.FieldSpec{Key: "Method", Group: "Request", Label: "Method", Type: engine.T("string"), Default: "GET",
				Choices: []engine.Choice{{Value: "GET", Label: "GET"}, {Value: "POST", Label: "POST"}, {Value: "PUT", Label: "PUT"},
					{Value: "PATCH", Label: "PATCH"}, {Value: "DELETE", Label: "DELETE"}, {Value: "HEAD", Label: "HEAD"}, {Value: "OPTIONS", Label: "OPTIONS"}}})
			desc = "Sends any HTTP request with a text body and returns the body as text."
		}
		o := outputs
		if method == "" {
			o = []engine.FieldSpec{outputs[0], outputs[1], fld("Response", "Body", "string", "Body")}
		}
		return &engine.Spec{ID: id, Okta: []string{okta}, Title: title, Category: "API Connector", App: "http", Kind: engine.KindAction,
			Connection: Kind.ID, Description: desc, DocURL: "https://help.okta.com/wf/en-us/content/topics/workflows/function-reference/http/http_" + strings.ToLower(title) + ".htm",
			Inputs: ins, Outputs: o, Run: run(method)}
	}
	return []*engine.Spec{
		mk("http.get", "httpfunctions:get", "Get", "GET", false),
		mk("http.post", "httpfunctions:post", "Post", "POST", true),
		mk("http.put", "httpfunctions:put", "Put", "PUT", true),
		mk("http.patch", "httpfunctions:patch", "Patch", "PATCH", true),
		mk("http.delete", "httpfunctions:delete", "Delete", "DELETE", true),
		mk("http.raw", "httpfunctions:raw", "Raw Request", "", true),
	}
}

func run(method string) engine.RunFunc {
	return func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
		raw := method == ""
		m := method
		if raw {
			m = strings.ToUpper(engine.ToText(in.Values["Method"]))
			if m == "" {
				m = "GET"
			}
		}
		u := strings.TrimSpace(engine.ToText(in.Values["URL"]))
		if u == "" {
			return nil, engine.InputErrorf("URL", "is required")
		}
		cl, err := clientFor(ctx, in)
		if err != nil {
			return nil, err
		}
		q := url.Values{}
		switch v := in.Values["Query"].(type) {
		case map[string]any:
			for k, x := range v {
				if l, ok := x.([]any); ok {
					for _, e := range l {
						q.Add(k, engine.ToText(e))
					}
				} else if x != nil {
					q.Set(k, engine.ToText(x))
				}
			}
		case string:
			s := strings.TrimPrefix(strings.TrimSpace(v), "?")
			if s != "" {
				pq, err := url.ParseQuery(s)
				if err != nil {
					return nil, engine.InputErrorf("Query", "is not a query string: %v", err)
				}
				q = pq
			}
		case nil:
		default:
			return nil, engine.InputErrorf("Query", "must be an object or a query string")
		}
		hdr := http.Header{}
		if h, ok := in.Values["Headers"].(map[string]any); ok {
			for k, v := range h {
				hdr.Set(k, engine.ToText(v))
			}
		}
		// an Idempotency-Key the card sets says the service honours it: such a
		// POST/PATCH is retried on 5xx and resets like a PUT
		explicitKey := hdr.Get("Idempotency-Key") != ""
		// the same key when a resumed run repeats the card after a crash, so
		// servers that honour it apply a create once (IETF Idempotency-Key)
		if k := engine.IdempotencyKey(ctx); k != "" && (m == "POST" || m == "PATCH") && hdr.Get("Idempotency-Key") == "" {
			hdr.Set("Idempotency-Key", k)
		}
		req := &httpx.Request{Method: m, URL: u, Query: q, Header: hdr, OnAttempt: in.Run.Attempt, Policy: httpx.CardPolicy(in.Card)}
		if (m == "POST" || m == "PATCH") && !explicitKey {
			// the key added above may be ignored by the service: a 5xx is not
			// retried (a request that never reached it still is)
			req.Idempotent = new(false)
		}
		if b := in.Values["Body"]; b != nil && m != "GET" && m != "HEAD" {
			switch v := b.(type) {
			case string:
				req.Body = []byte(v)
				if hdr.Get("Content-Type") == "" {
					if json.Valid([]byte(v)) {
						hdr.Set("Content-Type", "application/json")
					} else {
						hdr.Set("Content-Type", "text/plain; charset=utf-8")
					}
				}
			default:
				req.JSON = v
			}
		}
		resp, err := cl.Do(ctx, req)
		if err != nil {
			return nil, err
		}
		var body any
		if raw {
			body = string(resp.Body)
		} else if resp.IsJSON() || json.Valid(resp.Body) && len(resp.Body) > 0 && (resp.Body[0] == '{' || resp.Body[0] == '[') {
			if body, err = resp.JSON(); err != nil {
				body = string(resp.Body)
			}
		} else if len(resp.Body) > 0 {
			body = string(resp.Body)
		}
		if resp.Status >= 400 {
			he := &engine.HTTPError{Status: resp.Status, Body: body, Summary: http.StatusText(resp.Status)}
			if s, ok := body.(string); ok && s != "" && len(s) < 300 {
				he.Summary = s
			} else if m, ok := body.(map[string]any); ok {
				for _, k := range []string{"message", "error_description", "errorSummary", "error"} {
					if s, ok := m[k].(string); ok && s != "" {
						he.Summary = s
						break
					}
				}
				if c, ok := m["errorCode"].(string); ok {
					he.Code = c
				}
			}
			sec := cl.Secrets()
			he.Summary = httpx.Scrub(he.Summary, sec...)
			he.Body = httpx.ScrubValue(he.Body, sec...)
			return nil, he
		}
		// a service that echoes the request (headers, credentials) must not
		// put the connection's secrets into history
		sec := cl.Secrets()
		return engine.Outputs{"Status Code": float64(resp.Status), "Headers": httpx.ScrubValue(httpx.HeaderMap(resp.Header, "Set-Cookie"), sec...),
			"Body": httpx.ScrubValue(body, sec...)}, nil
	}
}
