package google

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/jws"
)

// ServiceAccountKey is the JSON key file of a Google service account (the
// fields Flowbench reads).
type ServiceAccountKey struct {
	Type         string `json:"type"`
	ProjectID    string `json:"project_id"`
	PrivateKeyID string `json:"private_key_id"`
	PrivateKey   string `json:"private_key"`
	ClientEmail  string `json:"client_email"`
	ClientID     string `json:"client_id"`
	TokenURI     string `json:"token_uri"`
}

type serviceAccount struct {
	ServiceAccountKey
	key *rsa.PrivateKey
}

// ParseServiceAccountKey reads a service account JSON key file.
func ParseServiceAccountKey(raw string) (*ServiceAccountKey, *rsa.PrivateKey, error) {
	var k ServiceAccountKey
	if err := json.Unmarshal([]byte(raw), &k); err != nil {
		return nil, nil, fmt.Errorf("the service account key is not a JSON key file: %v", err)
	}
	if k.Type != "" && k.Type != "service_account" {
		return nil, nil, fmt.Errorf("the key file is of type %q, not service_account", k.Type)
	}
	if k.ClientEmail == "" || k.PrivateKey == "" {
		return nil, nil, errors.New("the service account key has no client_email or private_key")
	}
	if k.TokenURI == "" {
		k.TokenURI = GoogleTokenURL
	}
	b, _ := pem.Decode([]byte(k.PrivateKey))
	if b == nil {
		return nil, nil, errors.New("the service account key's private_key is not PEM")
	}
	var rk *rsa.PrivateKey
	if p, err := x509.ParsePKCS8PrivateKey(b.Bytes); err == nil {
		var ok bool
		if rk, ok = p.(*rsa.PrivateKey); !ok {
			return nil, nil, errors.New("the service account key's private_key is not an RSA key")
		}
	} else if p1, err1 := x509.ParsePKCS1PrivateKey(b.Bytes); err1 == nil {
		rk = p1
	} else {
		return nil, nil, fmt.Errorf("the service account key's private_key cannot be read: %v", err)
	}
	return &k, rk, nil
}

// Client calls Google APIs with a connection's credentials.
type Client struct {
	conn    *engine.Connection
	rt      http.RoundTripper
	gov     *httpx.Governor
	policy  httpx.Policy
	sa      *serviceAccount
	oauth   oauth2.TokenSource
	secrets []string

	mu      sync.Mutex
	tokens  map[string]*oauth2.Token
	clients map[string]*httpx.Client
}

// ClientOptions tune NewClient.
type ClientOptions struct {
	Transport http.RoundTripper
	Governor  *httpx.Governor
	Policy    httpx.Policy
	// OnToken receives a refreshed authorization-code token to store.
	OnToken func(*oauth2.Token)
}

// who is the user a call acts as and the scopes it needs.
type who struct {
	subject string
	scopes  []string
	attempt func(engine.Attempt)
}

// attemptOf is where the token request of a call records its attempts:
// the card's history, like the call's own.
func attemptOf(ctx context.Context) func(engine.Attempt) {
	w, _ := ctx.Value(whoKey{}).(who)
	return w.attempt
}

type whoKey struct{}

// NewClient builds a client for a connection.
func NewClient(c *engine.Connection, o ClientOptions) (*Client, error) {
	cl := &Client{conn: c, rt: o.Transport, gov: o.Governor, policy: o.Policy,
		tokens: map[string]*oauth2.Token{}, clients: map[string]*httpx.Client{}}
	if cl.rt == nil {
		cl.rt = httpx.DefaultTransport()
	}
	for _, v := range c.Secrets {
		if v != "" {
			cl.secrets = append(cl.secrets, v)
		}
	}
	switch authMethod(c) {
	case AuthServiceAccount:
		raw := c.Secrets[SecServiceAccountKey]
		if strings.TrimSpace(raw) == "" {
			return nil, errors.New("no service account key: paste the service account's JSON key file")
		}
		k, rk, err := ParseServiceAccountKey(raw)
		if err != nil {
			return nil, err
		}
		cl.sa = &serviceAccount{ServiceAccountKey: *k, key: rk}
		cl.secrets = append(cl.secrets, k.PrivateKey)
		if cfg(c, CfgAdminEmail) == "" {
			return nil, errors.New("no admin user email: a service account acts as a Workspace admin (domain-wide delegation)")
		}
	case AuthCode:
		raw := c.Secrets[SecToken]
		if raw == "" {
			return nil, errors.New("not authorized yet: use Authorize to sign in with Google")
		}
		var tok oauth2.Token
		if err := json.Unmarshal([]byte(raw), &tok); err != nil {
			return nil, fmt.Errorf("the stored OAuth token is unreadable: %v; authorize again", err)
		}
		cl.secrets = append(cl.secrets, tok.AccessToken, tok.RefreshToken)
		oc := &oauth2.Config{ClientID: cfg(c, CfgClientID), ClientSecret: c.Secrets[SecClientSecret],
			Endpoint: oauth2.Endpoint{AuthURL: authURL(c), TokenURL: tokenURL(c), AuthStyle: oauth2.AuthStyleInParams}}
		octx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: cl.rt, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }})
		ts := oc.TokenSource(octx, &tok)
		if o.OnToken != nil {
			ts = &savingSource{base: ts, last: tok.AccessToken, save: o.OnToken}
		}
		cl.oauth = ts
	default:
		return nil, fmt.Errorf("unknown authorization %q: choose a service account or the OAuth 2.0 authorization code", authMethod(c))
	}
	return cl, nil
}

// authURL / tokenURL of the authorization code method (the fake's when the
// connection points at one).
func authURL(c *engine.Connection) string {
	if r := cfg(c, CfgRootURL); r != "" {
		return strings.TrimSuffix(r, "/") + "/o/oauth2/v2/auth"
	}
	return GoogleAuthURL
}

func tokenURL(c *engine.Connection) string {
	if r := cfg(c, CfgRootURL); r != "" {
		return strings.TrimSuffix(r, "/") + "/token"
	}
	return GoogleTokenURL
}

type savingSource struct {
	mu   sync.Mutex
	base oauth2.TokenSource
	last string
	save func(*oauth2.Token)
}

func (s *savingSource) Token() (*oauth2.Token, error) {
	tok, err := s.base.Token()
	if err != nil {
		return nil, err
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

func (c *Client) forgetTokens() {
	c.mu.Lock()
	c.tokens = map[string]*oauth2.Token{}
	c.mu.Unlock()
}

// Secrets are the values scrubbed from errors and history.
func (c *Client) Secrets() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.secrets...)
}

// TokenError is a failed token request: Google's OAuth error code and
// description.
type TokenError struct {
	Status      int
	Code        string // invalid_grant, unauthorized_client, …
	Description string
}

func (e *TokenError) Error() string {
	return fmt.Sprintf("Google token request failed: HTTP %d %s: %s", e.Status, e.Code, e.Description)
}

// Token returns an access token acting as subject with the scopes (the
// subject is ignored for the authorization code method).
func (c *Client) Token(ctx context.Context, subject string, scopes []string) (string, error) {
	if c.oauth != nil {
		tok, err := c.oauth.Token()
		if err != nil {
			var re *oauth2.RetrieveError
			if errors.As(err, &re) {
				st := 0
				if re.Response != nil {
					st = re.Response.StatusCode
				}
				return "", &TokenError{Status: st, Code: re.ErrorCode, Description: re.ErrorDescription}
			}
			return "", err
		}
		return tok.AccessToken, nil
	}
	sc := append([]string(nil), scopes...)
	sort.Strings(sc)
	key := subject + "|" + strings.Join(sc, " ")
	c.mu.Lock()
	if t := c.tokens[key]; t != nil && time.Until(t.Expiry) > time.Minute {
		c.mu.Unlock()
		return t.AccessToken, nil
	}
	c.mu.Unlock()
	now := time.Now()
	claims := &jws.ClaimSet{Iss: c.sa.ClientEmail, Sub: subject, Scope: strings.Join(sc, " "), Aud: c.sa.TokenURI,
		Iat: now.Add(-10 * time.Second).Unix(), Exp: now.Add(time.Hour).Unix()}
	assertion, err := jws.Encode(&jws.Header{Algorithm: "RS256", Typ: "JWT", KeyID: c.sa.PrivateKeyID}, claims, c.sa.key)
	if err != nil {
		return "", fmt.Errorf("signing the service account assertion: %w", err)
	}
	hc := httpx.New(httpx.Options{Key: c.conn.ID + "#token", Transport: c.rt, Governor: c.gov, Policy: c.policy,
		Secrets: append(c.Secrets(), assertion), OnAttempt: attemptOf(ctx)})
	form := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {assertion}}
	resp, err := hc.Do(ctx, &httpx.Request{Method: http.MethodPost, URL: c.sa.TokenURI, Body: []byte(form.Encode()),
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}})
	if err != nil {
		return "", fmt.Errorf("Google token request: %w", err)
	}
	var body struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(resp.Body, &body)
	if resp.Status != http.StatusOK || body.AccessToken == "" {
		if body.Error == "" {
			body.Error = http.StatusText(resp.Status)
		}
		return "", &TokenError{Status: resp.Status, Code: body.Error, Description: body.Description}
	}
	if body.ExpiresIn <= 0 {
		body.ExpiresIn = 3600
	}
	c.mu.Lock()
	c.tokens[key] = &oauth2.Token{AccessToken: body.AccessToken, Expiry: now.Add(time.Duration(body.ExpiresIn) * time.Second)}
	c.secrets = append(c.secrets, body.AccessToken)
	c.mu.Unlock()
	return body.AccessToken, nil
}

func (c *Client) http(s *Service) *httpx.Client {
	root := rootURL(c.conn, s)
	c.mu.Lock()
	defer c.mu.Unlock()
	if h := c.clients[root]; h != nil {
		return h
	}
	h := httpx.New(httpx.Options{Key: c.conn.ID, BaseURL: root, Transport: c.rt, Governor: c.gov, Policy: c.policy,
		Secrets: append([]string(nil), c.secrets...), Classify: func(method, path string) string { return s.Name },
		Auth: func(req *http.Request) error {
			w, _ := req.Context().Value(whoKey{}).(who)
			tok, err := c.Token(req.Context(), w.subject, w.scopes)
			if err != nil {
				return err
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			return nil
		}})
	c.clients[root] = h
	return h
}

// Call is one request to a Google API.
type Call struct {
	Service *Service
	As      string // the user to act as (service account); "" = the admin
	Method  string
	Path    string // relative to the service root, e.g. "admin/directory/v1/users/a@b.c"
	Query   url.Values
	JSON    any    // request body, JSON
	Body    []byte // raw request body (with ContentType)
	Type    string // Content-Type of Body
	Header  http.Header
	Attempt func(engine.Attempt)
}

// Do sends the call; a Google error body becomes an *engine.HTTPError.
func (c *Client) Do(ctx context.Context, r *Call) (*httpx.Response, error) {
	subject := r.As
	if subject == "" || c.oauth != nil {
		subject = cfg(c.conn, CfgAdminEmail)
	}
	ctx = context.WithValue(ctx, whoKey{}, who{subject: subject, scopes: r.Service.Scopes, attempt: r.Attempt})
	req := &httpx.Request{Method: r.Method, URL: r.Path, Query: r.Query, JSON: r.JSON, Body: r.Body, OnAttempt: r.Attempt}
	req.Header = http.Header{}
	for k, v := range r.Header {
		req.Header[k] = v
	}
	if r.Type != "" {
		req.Header.Set("Content-Type", r.Type)
	}
	resp, err := c.http(r.Service).Do(ctx, req)
	if err == nil && resp.Status == http.StatusUnauthorized && c.sa != nil {
		// a service account's cached token was revoked: get a new one once
		c.forgetTokens()
		resp, err = c.http(r.Service).Do(ctx, req)
	}
	// Google's older APIs (Directory, Gmail, Drive) signal a usage limit with
	// 403 rateLimitExceeded / userRateLimitExceeded rather than 429: the call
	// was not processed, so it is tried again with backoff, like a 429
	for try := 0; err == nil && try < RateLimit403Tries && rateLimited403(resp); try++ {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(RateLimit403Wait << try):
		}
		resp, err = c.http(r.Service).Do(ctx, req)
	}
	if err != nil {
		var te *TokenError
		if errors.As(err, &te) {
			return nil, &engine.HTTPError{Status: te.Status, Code: te.Code, Summary: tokenSummary(te, subject)}
		}
		return nil, err
	}
	if resp.Status >= 400 {
		err := ErrorFrom(resp)
		if he, ok := err.(*engine.HTTPError); ok && resp.Status == http.StatusNotFound {
			he.Summary += " (" + r.Method + " " + r.Path + ")" // what was looked for: Google's 404 names only the parameter
		}
		return resp, err
	}
	return resp, nil
}

// Retries of a 403 usage-limit answer and the first wait (doubled each time).
var (
	RateLimit403Tries = 4
	RateLimit403Wait  = 500 * time.Millisecond
)

func rateLimited403(resp *httpx.Response) bool {
	if resp.Status != http.StatusForbidden {
		return false
	}
	he, ok := ErrorFrom(resp).(*engine.HTTPError)
	return ok && (he.Code == "rateLimitExceeded" || he.Code == "userRateLimitExceeded")
}

func tokenSummary(te *TokenError, subject string) string {
	msg := te.Description
	if msg == "" {
		msg = te.Code
	}
	switch te.Code {
	case "unauthorized_client":
		return msg + " (the service account's domain-wide delegation does not grant these scopes: add them in the Admin console, Security → API controls → Domain-wide delegation)"
	case "invalid_grant":
		if strings.Contains(strings.ToLower(msg), "signature") {
			return msg + " (the service account key was deleted or replaced: reconnect the Google connection with a new JSON key)"
		}
		if strings.Contains(strings.ToLower(msg), "revoked") || strings.Contains(strings.ToLower(msg), "expired") {
			return "token revoked: reconnect the Google connection (Authorize again). " + msg
		}
		return msg + " (acting as " + subject + ": check that this user exists in the Workspace account and that the key is still valid)"
	}
	return msg
}

// ErrorFrom maps a Google error response.
func ErrorFrom(resp *httpx.Response) error {
	e := &engine.HTTPError{Status: resp.Status}
	var body struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(resp.Body, &body) == nil && len(body.Error) > 0 {
		var ge struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
			Status  string `json:"status"`
			Errors  []struct {
				Reason  string `json:"reason"`
				Message string `json:"message"`
			} `json:"errors"`
		}
		if json.Unmarshal(body.Error, &ge) == nil {
			e.Summary, e.Code = ge.Message, ge.Status
			if len(ge.Errors) > 0 && ge.Errors[0].Reason != "" {
				e.Code = ge.Errors[0].Reason
			}
		} else {
			var s string
			_ = json.Unmarshal(body.Error, &s)
			e.Code = s
		}
		var v any
		_ = json.Unmarshal(resp.Body, &v)
		e.Body = v
	}
	if e.Summary == "" {
		e.Summary = http.StatusText(resp.Status)
	}
	if resp.Status == http.StatusUnauthorized {
		e.Summary += " (the access token was refused: reconnect the Google connection)"
	}
	return e
}

// JSON calls and decodes a JSON response (nil for an empty body).
func (c *Client) JSON(ctx context.Context, r *Call) (map[string]any, int, error) {
	resp, err := c.Do(ctx, r)
	if err != nil {
		return nil, 0, err
	}
	v, err := resp.JSON()
	if err != nil {
		return nil, resp.Status, fmt.Errorf("%s %s: the response is not JSON: %v", r.Method, r.Path, err)
	}
	m, _ := v.(map[string]any)
	return m, resp.Status, nil
}

// List follows nextPageToken and returns every item under key.
func (c *Client) List(ctx context.Context, r *Call, key string, limit int) ([]any, error) {
	var out []any
	q := url.Values{}
	for k, v := range r.Query {
		q[k] = v
	}
	for page := 0; page < 1000; page++ {
		rr := *r
		rr.Query = q
		m, _, err := c.JSON(ctx, &rr)
		if err != nil {
			return nil, err
		}
		items, _ := m[key].([]any)
		out = append(out, items...)
		if limit > 0 && len(out) >= limit {
			return out[:limit], nil
		}
		next := engine.ToText(m["nextPageToken"])
		if next == "" {
			return out, nil
		}
		q = url.Values{}
		for k, v := range r.Query {
			q[k] = v
		}
		q.Set("pageToken", next)
	}
	return out, nil
}

var clients httpx.ClientCache[*Client]

// ClientFor returns the cached client of the card's connection.
func ClientFor(ctx context.Context, in engine.Inputs) (*Client, error) {
	if in.Card == nil || in.Card.Connection == "" {
		return nil, errors.New("no Google Workspace connection chosen for this card")
	}
	conn, err := in.Run.Connection(ctx, in.Card.Connection)
	if err != nil {
		return nil, err
	}
	if conn.Kind != "" && conn.Kind != KindID {
		return nil, fmt.Errorf("connection %q is a %s connection, not Google Workspace", conn.ID, conn.Kind)
	}
	var rt http.RoundTripper
	var gov *httpx.Governor
	if in.Run != nil {
		rt, _ = in.Run.Service("http").(http.RoundTripper)
		gov, _ = in.Run.Service("governor").(*httpx.Governor)
	}
	return clients.Get(conn, rt, func() (*Client, error) {
		c, err := NewClient(conn, ClientOptions{Transport: rt, Governor: gov, OnToken: tokenSaver(in.Run, conn)})
		if err != nil {
			return nil, fmt.Errorf("connection %q: %w", conn.ID, err)
		}
		return c, nil
	})
}

// ConnectionSaver stores a connection (the store, as the executor service
// "connections").
type ConnectionSaver interface {
	PutConnection(c *engine.Connection) error
}

// tokenSaver writes a refreshed authorization-code token back to the
// encrypted store.
func tokenSaver(run engine.Runtime, conn *engine.Connection) func(*oauth2.Token) {
	if run == nil {
		return nil
	}
	saver, ok := run.Service("connections").(ConnectionSaver)
	if !ok {
		return nil
	}
	return func(tok *oauth2.Token) {
		b, err := json.Marshal(tok)
		if err != nil {
			return
		}
		c := *conn
		c.Secrets = map[string]string{}
		for k, v := range conn.Secrets {
			c.Secrets[k] = v
		}
		c.Secrets[SecToken] = string(b)
		_ = saver.PutConnection(&c)
	}
}
