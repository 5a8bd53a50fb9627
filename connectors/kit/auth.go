package kit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	"golang.org/x/oauth2/jwt"
)

// Connection config and secret keys the kit's auth methods use. A
// connector's own fields (a domain, a tenant id) add to them.
const (
	CfgAuthMethod   = "authMethod"   // the chosen AuthMethod.ID
	CfgClientID     = "clientId"     // OAuth 2.0 client id
	CfgScopes       = "scopes"       // space-separated; empty: the method's default scopes
	CfgRedirectPort = "redirectPort" // loopback port of the authorization code redirect (0: any)
	CfgUsername     = "username"     // Basic
	CfgSubject      = "subject"      // service account: the user to impersonate (domain-wide delegation)
	CfgTokenURL     = "tokenUrl"     // client credentials / auth code: overrides the method's token URL

	SecToken          = "apiToken"          // API token / bot token
	SecPassword       = "password"          // Basic
	SecClientSecret   = "clientSecret"      // OAuth 2.0 client secret
	SecOAuthToken     = "oauthToken"        // JSON oauth2.Token from Authorize (refreshed ones are written back)
	SecServiceAccount = "serviceAccountKey" // Google service account JSON key
)

// Auth method ids (config CfgAuthMethod).
const (
	AuthAPIToken          = "token"
	AuthBasic             = "basic"
	AuthOAuth2Code        = "oauth2AuthCode"
	AuthClientCredentials = "oauth2ClientCredentials"
	AuthServiceAccount    = "serviceAccount"
)

// AuthMethod is one of the vendor's real ways to authenticate. Build one
// with APIToken, Basic, OAuth2Code, ClientCredentials or ServiceAccount.
// Its Fields and Secrets show in the connection form only while it is the
// chosen method (the kit sets their Group to the method id).
type AuthMethod struct {
	ID      string
	Label   string
	Fields  []engine.FieldSpec
	Secrets []engine.FieldSpec

	// Header/Prefix: where a token goes (APIToken: "Authorization", "Bearer ").
	Header, Prefix string
	// OAuth 2.0 endpoints and default scopes.
	AuthURL, TokenURL string
	Scopes            []string
	// AuthStyle says how the client secret is sent to the token endpoint.
	AuthStyle oauth2.AuthStyle
	// AuthParams are extra authorize-URL parameters (Slack's user_scope…).
	AuthParams map[string]string
	// TokenParams are extra form parameters of the client credentials token
	// request, {field} placeholders filled from the config (Auth0 audience,
	// Box box_subject_type/box_subject_id, Zoom grant_type=account_credentials
	// and account_id).
	TokenParams map[string]string
	// Source, when set, makes the method's token source itself (any ID):
	// e.g. Jamf Pro's Basic → POST /api/v1/auth/token exchange. hc is the
	// client token requests must go through. Its bearer tokens are sent as
	// "Authorization: Bearer …" and reused until they expire.
	Source func(c *engine.Connection, hc *http.Client) (oauth2.TokenSource, error)
	// Sign, when set, signs each attempt itself (any ID) instead of adding
	// a header: body is the payload about to be sent (AWS Signature V4
	// hashes it). Required Fields/Secrets are checked as for Source. (k5)
	Sign func(c *engine.Connection, req *http.Request, body []byte) error
}

// APIToken is a static token sent in a header: header "" = Authorization,
// prefix e.g. "Bearer " (Slack bot tokens, GitHub PATs) or "SSWS ".
func APIToken(label, tokenLabel, header, prefix string) *AuthMethod {
	if header == "" {
		header = "Authorization"
	}
	return &AuthMethod{ID: AuthAPIToken, Label: label, Header: header, Prefix: prefix,
		Secrets: []engine.FieldSpec{{Key: SecToken, Label: tokenLabel, Type: engine.T("string"), Required: true}}}
}

// Basic is HTTP Basic authentication with a username and a password.
func Basic(label string) *AuthMethod {
	return &AuthMethod{ID: AuthBasic, Label: label,
		Fields:  []engine.FieldSpec{{Key: CfgUsername, Label: "Username", Type: engine.T("string"), Required: true}},
		Secrets: []engine.FieldSpec{{Key: SecPassword, Label: "Password", Type: engine.T("string"), Required: true}}}
}

// OAuth2Code is the authorization code flow with PKCE over a loopback
// redirect (http://127.0.0.1:PORT/callback): Authorize stores the token in
// the connection; refreshed tokens are written back to the encrypted store.
func OAuth2Code(label, authURL, tokenURL string, scopes ...string) *AuthMethod {
	return &AuthMethod{ID: AuthOAuth2Code, Label: label, AuthURL: authURL, TokenURL: tokenURL, Scopes: scopes,
		Fields: []engine.FieldSpec{
			{Key: CfgClientID, Label: "Client ID", Type: engine.T("string"), Required: true},
			{Key: CfgScopes, Label: "Scopes", Type: engine.T("string"), Description: "space-separated; empty: " + strings.Join(scopes, " ")},
			{Key: CfgRedirectPort, Label: "Redirect port", Type: engine.T("number"), Description: "loopback port registered as http://127.0.0.1:PORT/callback (0: any)"},
		},
		Secrets: []engine.FieldSpec{
			{Key: SecClientSecret, Label: "Client secret", Type: engine.T("string"), Required: true},
			{Key: SecOAuthToken, Label: "OAuth token (set by Authorize)", Type: engine.T("string")},
		}}
}

// ClientCredentials is the OAuth 2.0 client credentials grant (an app's own
// identity: Microsoft Graph application permissions, Zoom S2S…). tokenURL
// may hold {field} placeholders filled from the connection's config
// (e.g. "https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token").
func ClientCredentials(label, tokenURL string, scopes ...string) *AuthMethod {
	return &AuthMethod{ID: AuthClientCredentials, Label: label, TokenURL: tokenURL, Scopes: scopes,
		Fields: []engine.FieldSpec{
			{Key: CfgClientID, Label: "Client ID", Type: engine.T("string"), Required: true},
			{Key: CfgScopes, Label: "Scopes", Type: engine.T("string"), Description: "space-separated; empty: " + strings.Join(scopes, " ")},
		},
		Secrets: []engine.FieldSpec{{Key: SecClientSecret, Label: "Client secret", Type: engine.T("string"), Required: true}}}
}

// ServiceAccount is a Google service account with domain-wide delegation:
// a JWT signed with the account's key (golang.org/x/oauth2/jwt), for the
// admin user named in Subject.
func ServiceAccount(label string, scopes ...string) *AuthMethod {
	return &AuthMethod{ID: AuthServiceAccount, Label: label, TokenURL: "https://oauth2.googleapis.com/token", Scopes: scopes,
		Fields: []engine.FieldSpec{
			{Key: CfgSubject, Label: "Admin user to impersonate", Type: engine.T("string"), Required: true, Description: "an admin's email (domain-wide delegation)"},
			{Key: CfgScopes, Label: "Scopes", Type: engine.T("string"), Description: "space-separated; empty: " + strings.Join(scopes, " ")},
		},
		Secrets: []engine.FieldSpec{{Key: SecServiceAccount, Label: "Service account key (JSON)", Type: engine.T("string"), Required: true}}}
}

// authState is a connection's credentials in use.
type authState struct {
	m       *AuthMethod
	conn    *engine.Connection
	ts      oauth2.TokenSource // OAuth methods
	mu      sync.Mutex
	secrets []string
}

func cfgText(c *engine.Connection, k string) string {
	return strings.TrimSpace(engine.ToText(c.Config[k]))
}

// expand fills {field} placeholders from the connection's config.
func expand(tmpl string, c *engine.Connection) string {
	if !strings.Contains(tmpl, "{") || c == nil {
		return tmpl
	}
	out := tmpl
	for k, v := range c.Config {
		out = strings.ReplaceAll(out, "{"+k+"}", strings.TrimSpace(engine.ToText(v)))
	}
	return out
}

func (m *AuthMethod) scopes(c *engine.Connection) []string {
	if s := strings.Fields(strings.ReplaceAll(cfgText(c, CfgScopes), ",", " ")); len(s) > 0 {
		return s
	}
	return m.Scopes
}

func (m *AuthMethod) tokenURL(c *engine.Connection) string {
	if u := cfgText(c, CfgTokenURL); u != "" {
		return u
	}
	return expand(m.TokenURL, c)
}

// oauthConfig is the authorization-code configuration of a connection.
func (m *AuthMethod) oauthConfig(c *engine.Connection, redirect string) *oauth2.Config {
	return &oauth2.Config{ClientID: cfgText(c, CfgClientID), ClientSecret: c.Secrets[SecClientSecret], Scopes: m.scopes(c),
		RedirectURL: redirect, Endpoint: oauth2.Endpoint{AuthURL: expand(m.AuthURL, c), TokenURL: m.tokenURL(c), AuthStyle: m.AuthStyle}}
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

// newAuth checks a connection's settings for its method and prepares the
// credentials. hc is the client token requests go through.
func newAuth(m *AuthMethod, c *engine.Connection, hc *http.Client, onToken func(*oauth2.Token)) (*authState, error) {
	a := &authState{m: m, conn: c}
	for _, v := range c.Secrets {
		if v != "" {
			a.secrets = append(a.secrets, v)
		}
	}
	octx := context.WithValue(context.Background(), oauth2.HTTPClient, hc)
	missing := func(label string) error { return fmt.Errorf("%s is empty (%s)", label, m.Label) }
	if m.Sign != nil {
		for _, f := range append(append([]engine.FieldSpec(nil), m.Fields...), m.Secrets...) {
			if f.Required && cfgText(c, f.Key) == "" && strings.TrimSpace(c.Secrets[f.Key]) == "" {
				return nil, missing("the " + strings.ToLower(f.Label))
			}
		}
		return a, nil
	}
	if m.Source != nil {
		for _, f := range append(append([]engine.FieldSpec(nil), m.Fields...), m.Secrets...) {
			if f.Required && cfgText(c, f.Key) == "" && strings.TrimSpace(c.Secrets[f.Key]) == "" {
				return nil, missing("the " + strings.ToLower(f.Label))
			}
		}
		ts, err := m.Source(c, hc)
		if err != nil {
			return nil, err
		}
		a.ts = oauth2.ReuseTokenSource(nil, ts)
		return a, nil
	}
	switch m.ID {
	case AuthAPIToken:
		tok := strings.TrimSpace(c.Secrets[SecToken])
		if tok == "" {
			return nil, missing(secretLabel(m, SecToken))
		}
		a.secrets = append(a.secrets, m.Prefix+tok)
	case AuthBasic:
		if cfgText(c, CfgUsername) == "" {
			return nil, missing("the username")
		}
		a.secrets = append(a.secrets, httpx.CredentialForms(cfgText(c, CfgUsername), c.Secrets[SecPassword])...)
	case AuthClientCredentials:
		if cfgText(c, CfgClientID) == "" {
			return nil, missing("the client ID")
		}
		if m.tokenURL(c) == "" || strings.Contains(m.tokenURL(c), "{") {
			return nil, errors.New("the token URL is incomplete: fill in the connection's settings")
		}
		cc := &clientcredentials.Config{ClientID: cfgText(c, CfgClientID), ClientSecret: c.Secrets[SecClientSecret],
			TokenURL: m.tokenURL(c), Scopes: m.scopes(c), AuthStyle: m.AuthStyle}
		if len(m.TokenParams) > 0 {
			cc.EndpointParams = url.Values{}
			for k, v := range m.TokenParams {
				cc.EndpointParams.Set(k, expand(v, c))
			}
		}
		a.ts = cc.TokenSource(octx)
	case AuthOAuth2Code:
		raw := c.Secrets[SecOAuthToken]
		if raw == "" {
			return nil, errors.New("not authorized yet: run Authorize for this connection")
		}
		var tok oauth2.Token
		if err := json.Unmarshal([]byte(raw), &tok); err != nil {
			return nil, errors.New("the stored OAuth token is corrupt: authorize again")
		}
		a.secrets = append(a.secrets, tok.AccessToken, tok.RefreshToken)
		a.ts = &savingSource{base: m.oauthConfig(c, "").TokenSource(octx, &tok), last: tok.AccessToken, save: onToken}
	case AuthServiceAccount:
		key := c.Secrets[SecServiceAccount]
		if key == "" {
			return nil, missing("the service account key")
		}
		var sa struct {
			Email      string `json:"client_email"`
			PrivateKey string `json:"private_key"`
			KeyID      string `json:"private_key_id"`
			TokenURI   string `json:"token_uri"`
		}
		if err := json.Unmarshal([]byte(key), &sa); err != nil || sa.Email == "" || sa.PrivateKey == "" {
			return nil, errors.New("the service account key is not a JSON key file with client_email and private_key")
		}
		if cfgText(c, CfgSubject) == "" {
			return nil, missing("the admin user to impersonate")
		}
		tu := m.tokenURL(c)
		if sa.TokenURI != "" && cfgText(c, CfgTokenURL) == "" {
			tu = sa.TokenURI
		}
		jc := &jwt.Config{Email: sa.Email, PrivateKey: []byte(sa.PrivateKey), PrivateKeyID: sa.KeyID,
			Subject: cfgText(c, CfgSubject), Scopes: m.scopes(c), TokenURL: tu}
		a.secrets = append(a.secrets, sa.PrivateKey)
		a.ts = jc.TokenSource(octx)
	default:
		return nil, fmt.Errorf("unknown authentication method %q", m.ID)
	}
	return a, nil
}

func secretLabel(m *AuthMethod, key string) string {
	for _, f := range m.Secrets {
		if f.Key == key {
			return "the " + strings.ToLower(f.Label)
		}
	}
	return key
}

// token returns the current OAuth access token (refreshing it when due).
func (a *authState) token() (*oauth2.Token, error) {
	if a.ts == nil {
		return nil, nil
	}
	tok, err := a.ts.Token()
	if err != nil {
		return nil, fmt.Errorf("getting an OAuth token: %w", err)
	}
	a.note(tok.AccessToken)
	return tok, nil
}

func (a *authState) note(tok string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, s := range a.secrets {
		if s == tok {
			return
		}
	}
	if tok != "" {
		a.secrets = append(a.secrets, tok, "Bearer "+tok)
	}
}

// apply adds the credentials to one attempt.
func (a *authState) apply(req *http.Request) error {
	if a.m.Sign != nil {
		var body []byte
		if req.GetBody != nil {
			rc, err := req.GetBody()
			if err != nil {
				return err
			}
			body, err = io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return err
			}
		} else if req.Body != nil && req.Body != http.NoBody {
			b, err := io.ReadAll(req.Body)
			req.Body.Close()
			if err != nil {
				return err
			}
			body = b
			req.Body = io.NopCloser(bytes.NewReader(b))
		}
		return a.m.Sign(a.conn, req, body)
	}
	if a.m.Source != nil {
		tok, err := a.token()
		if err != nil {
			return err
		}
		setBearer(req, tok)
		return nil
	}
	switch a.m.ID {
	case AuthAPIToken:
		req.Header.Set(a.m.Header, a.m.Prefix+strings.TrimSpace(a.conn.Secrets[SecToken]))
	case AuthBasic:
		req.SetBasicAuth(cfgText(a.conn, CfgUsername), a.conn.Secrets[SecPassword])
	default:
		tok, err := a.token()
		if err != nil {
			return err
		}
		if tok != nil {
			setBearer(req, tok)
		}
	}
	return nil
}

// Secrets lists every credential of the connection in every wire form.
func (a *authState) Secrets() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := append([]string(nil), a.secrets...)
	// longest first: "Bearer xyz" is scrubbed whole before "xyz"
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// setBearer sends an OAuth access token as a Bearer token whatever its
// token_type says: Slack's oauth.v2.access answers "bot", which
// oauth2.Token.SetAuthHeader would send as "bot xoxb-…".
func setBearer(req *http.Request, tok *oauth2.Token) {
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
}
