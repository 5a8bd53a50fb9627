package trigger

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// Endpoint security levels (the trigger input "security_level"; "open" and
// "medium" are Okta's export values, "high" is what Okta exports on
// Delegated flows and is treated as "medium").
const (
	SecurityOpen  = "open"   // anyone who reaches the URL may call
	SecurityToken = "medium" // the flow's client token (or an HMAC signature made with it)
	SecurityHMAC  = "hmac"   // an HMAC-SHA256 signature of the body made with the flow's signing secret
	SecurityOAuth = "oauth2" // an OAuth 2.0 access token of the bound Okta org's authorization server
	// DefaultInvokeScope is the scope Okta requires of tokens that invoke flows.
	DefaultInvokeScope = "okta.workflows.invoke.manage"
)

// TokenRequirements is what an OAuth 2.0 endpoint asks of an access token.
type TokenRequirements struct {
	// AuthServer is "org" (the org authorization server: issuer = the org
	// URL, keys at /oauth2/v1/keys) or a custom authorization server id
	// ("default": issuer {org}/oauth2/default, keys at /oauth2/default/v1/keys).
	AuthServer string
	Scope      string // required scope
	Audience   string // "" = the server's usual audience (org URL, api://default)
}

// TokenError is a refused access token: 401 invalid_token or 403
// insufficient_scope, as RFC 6750 says.
type TokenError struct {
	Status int
	Code   string
	Desc   string
}

func (e *TokenError) Error() string { return e.Code + ": " + e.Desc }

// TokenVerifier verifies an OAuth 2.0 access token against the
// authorization server of conn (signature with the server's JWKS, issuer,
// audience, expiry, scope). It returns the token's claims, a *TokenError
// for a refused token, or another error when the server cannot be asked.
type TokenVerifier func(ctx context.Context, conn *engine.Connection, need TokenRequirements, token string) (map[string]any, error)

var verifiers sync.Map // connection kind → TokenVerifier

// RegisterTokenVerifier adds the token verifier of a connection kind (from
// a connector's init).
func RegisterTokenVerifier(kind string, v TokenVerifier) { verifiers.Store(kind, v) }

func verifierFor(kind string) TokenVerifier {
	if v, ok := verifiers.Load(kind); ok {
		return v.(TokenVerifier)
	}
	return nil
}

// SecurityLevels lists the accepted values of "security_level".
var SecurityLevels = []string{SecurityOpen, SecurityToken, SecurityHMAC, SecurityOAuth}

// prepareAuth sets an API flow's security (read by readSettings) on a, and
// checks that an OAuth 2.0 endpoint's connection can verify access tokens.
func (r *Runtime) prepareAuth(f *engine.Flow, a *active, s settings) error {
	a.security, a.open = s.security, s.security == SecurityOpen
	if s.security != SecurityOAuth {
		return nil
	}
	if r.exec.Connections != nil {
		c, err := r.exec.Connections.Connection(context.Background(), f.Trigger.Connection)
		if err != nil {
			return cfgErr(f, "connection", "%v", err)
		}
		if verifierFor(c.Kind) == nil {
			return cfgErr(f, "connection", "a %s connection cannot verify OAuth 2.0 access tokens; choose an Okta connection", c.Kind)
		}
	}
	a.oauth = s.oauth
	return nil
}

// refusal is why a request was not let in.
type refusal struct {
	status int
	msg    string
	bearer string // WWW-Authenticate value for OAuth refusals
}

// authorize checks an API request against the flow's security level.
func (r *Runtime) authorize(ctx context.Context, req *http.Request, body []byte, a *active) *refusal {
	switch a.security {
	case SecurityOpen:
		return nil
	case SecurityHMAC:
		sig := req.Header.Get(HeaderSignature)
		if sig == "" {
			return &refusal{status: http.StatusUnauthorized, msg: "missing " + HeaderSignature + " header: send sha256=<hex HMAC-SHA256 of the body keyed with the flow's signing secret>"}
		}
		if !validSignature(sig, body, a.secret) {
			return &refusal{status: http.StatusUnauthorized, msg: "wrong " + HeaderSignature + ": the HMAC-SHA256 of the body does not match"}
		}
		return nil
	case SecurityOAuth:
		return r.authorizeBearer(ctx, req, a)
	}
	if !authorized(req, body, a.secret) {
		return &refusal{status: http.StatusUnauthorized, msg: clientTokenRefusal(req)}
	}
	return nil
}

func (r *Runtime) authorizeBearer(ctx context.Context, req *http.Request, a *active) *refusal {
	h := req.Header.Get("Authorization")
	scheme, tok, _ := strings.Cut(h, " ")
	tok = strings.TrimSpace(tok)
	if !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return &refusal{status: http.StatusUnauthorized, msg: "missing access token: send Authorization: Bearer <token from the Okta org's authorization server>",
			bearer: `Bearer realm="flowbench", scope="` + a.oauth.Scope + `"`}
	}
	if r.exec.Connections == nil {
		return &refusal{status: http.StatusInternalServerError, msg: "no connections to verify the token with"}
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	c, err := r.exec.Connections.Connection(ctx, a.flow.Trigger.Connection)
	if err != nil {
		return &refusal{status: http.StatusInternalServerError, msg: "connection of the API Endpoint card: " + err.Error()}
	}
	v := verifierFor(c.Kind)
	if v == nil {
		return &refusal{status: http.StatusInternalServerError, msg: "a " + c.Kind + " connection cannot verify access tokens"}
	}
	_, err = v(ctx, c, a.oauth, tok)
	if err == nil {
		return nil
	}
	var te *TokenError
	if errors.As(err, &te) {
		return &refusal{status: te.Status, msg: te.Code + ": " + te.Desc,
			bearer: fmt.Sprintf(`Bearer realm="flowbench", error=%q, error_description=%q, scope=%q`, te.Code, te.Desc, a.oauth.Scope)}
	}
	return &refusal{status: http.StatusBadGateway, msg: "could not verify the access token: " + err.Error()}
}

func validSignature(sig string, body []byte, secret string) bool {
	got, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(sig), "sha256="))
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}

// clientTokenRefusal says what is wrong with a refused client-token call:
// no token at all, a token that is not the flow's, or one sent as a Bearer
// token (the Authorization header is not read at this level).
func clientTokenRefusal(req *http.Request) string {
	switch {
	case req.Header.Get(HeaderClientToken) != "" || req.URL.Query().Get("clientToken") != "":
		return "wrong client token: it is not this flow's (copy it from the API Endpoint card; it changes when rotated)"
	case req.Header.Get(HeaderSignature) != "":
		return "wrong " + HeaderSignature + ": the HMAC-SHA256 of the body keyed with the client token does not match"
	case strings.HasPrefix(strings.ToLower(req.Header.Get("Authorization")), "bearer "):
		return "missing client token: this flow's security is Client token, sent in the " + HeaderClientToken + " header (or ?clientToken=), not as Authorization: Bearer"
	}
	return "missing client token: send it in the " + HeaderClientToken + " header (or ?clientToken=)"
}

func authorized(req *http.Request, body []byte, secret string) bool {
	tok := req.Header.Get(HeaderClientToken)
	if tok == "" {
		tok = req.URL.Query().Get("clientToken")
	}
	if tok != "" {
		return subtle.ConstantTimeCompare([]byte(tok), []byte(secret)) == 1
	}
	if sig := req.Header.Get(HeaderSignature); sig != "" {
		return validSignature(sig, body, secret)
	}
	return false
}

// Sign is the signature header value for body (clients, tests).
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}
