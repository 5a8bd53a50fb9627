package sandbox

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// TokenLifetime is the fixed lifetime of Okta org AS access tokens.
const TokenLifetime = time.Hour

// AllScopes lists the okta.* scopes the sandbox knows.
var AllScopes = []string{
	"okta.users.read", "okta.users.manage", "okta.users.read.self",
	"okta.groups.read", "okta.groups.manage",
	"okta.apps.read", "okta.apps.manage",
	"okta.logs.read", "okta.orgs.read", "okta.orgs.manage",
	"okta.roles.read", "okta.roles.manage",
	"okta.schemas.read", "okta.schemas.manage", "okta.userTypes.read",
	"okta.workflows.invoke.manage",
}

var assertionAlgs = []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}

const jwtBearerType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

type principal struct {
	kind      string // SSWS, Bearer, DPoP
	userID    string
	clientID  string
	name      string
	scopes    map[string]bool
	all       bool
	roleLacks bool
	jkt       string
	exp       time.Time
}

func (p *principal) hasScope(need string) bool {
	if need == "" || p.all || p.scopes[need] {
		return true
	}
	if base, ok := strings.CutSuffix(need, ".read"); ok && p.scopes[base+".manage"] {
		return true
	}
	return false
}

type oauthClient struct {
	id        string
	name      string
	keys      []crypto.PublicKey
	secret    string
	scopes    map[string]bool
	dpop      bool
	roleLacks bool
}

type authState struct {
	mu       sync.Mutex
	clients  map[string]*oauthClient
	tokens   map[string]*principal
	jtis     map[string]time.Time
	dpopJTIs map[string]time.Time
	nonces   map[string]time.Time
	keyOnce  sync.Once
	key      *rsa.PrivateKey
	kid      string
}

func (a *authState) init() {
	a.clients = map[string]*oauthClient{}
	a.tokens = map[string]*principal{}
	a.jtis = map[string]time.Time{}
	a.dpopJTIs = map[string]time.Time{}
	a.nonces = map[string]time.Time{}
}

func (a *authState) signingKey() (*rsa.PrivateKey, string) {
	a.keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		a.key, a.kid = k, randID("sbx", 17)
	})
	return a.key, a.kid
}

// ClientOption tunes a registered OAuth client.
type ClientOption func(*oauthClient)

// WithDPoP makes the client require DPoP-bound tokens ("Require DPoP").
func WithDPoP() ClientOption { return func(c *oauthClient) { c.dpop = true } }

// WithRoleLacksPermission simulates Okta's silent downscoping: tokens are
// issued with every granted scope, but API calls answer 403 E0000006.
func WithRoleLacksPermission() ClientOption { return func(c *oauthClient) { c.roleLacks = true } }

// WithClientName sets the display name used as System Log actor.
func WithClientName(name string) ClientOption { return func(c *oauthClient) { c.name = name } }

// CreateAPIToken mints an SSWS token acting as the admin user. With no scopes
// it has full access (like a Super Admin token); with scopes, API calls are
// limited to them, which helps test 403 paths.
func (s *Server) CreateAPIToken(name string, scopes ...string) string {
	tok := "00" + randID("", 40)
	p := &principal{kind: "SSWS", name: name, all: len(scopes) == 0, scopes: setOf(scopes)}
	s.mu.Lock()
	p.userID = s.adminID
	s.ssws[tok] = p
	s.mu.Unlock()
	return tok
}

// RevokeAPIToken removes an SSWS token.
func (s *Server) RevokeAPIToken(token string) {
	s.mu.Lock()
	delete(s.ssws, token)
	s.mu.Unlock()
}

// RegisterOAuthClient registers an API Services app using private_key_jwt.
// key is the public key (or JWK) the client signs assertions with:
// *rsa.PublicKey, *ecdsa.PublicKey, their private keys, a JWK/JWKS as
// map[string]any, []byte or string. scopes are the granted okta.* scopes.
// Registering the same id again adds the key and replaces scopes/options.
func (s *Server) RegisterOAuthClient(clientID string, key any, scopes []string, opts ...ClientOption) error {
	keys, err := publicKeys(key)
	if err != nil {
		return err
	}
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	c := s.auth.clients[clientID]
	if c == nil {
		c = &oauthClient{id: clientID, name: clientID}
		s.auth.clients[clientID] = c
	}
	c.keys = append(c.keys, keys...)
	c.scopes = setOf(scopes)
	c.dpop, c.roleLacks = false, false
	for _, o := range opts {
		o(c)
	}
	return nil
}

// RegisterSecretClient registers a client authenticating with
// client_secret_basic or client_secret_post.
func (s *Server) RegisterSecretClient(clientID, secret string, scopes []string, opts ...ClientOption) {
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	c := &oauthClient{id: clientID, name: clientID, secret: secret, scopes: setOf(scopes)}
	for _, o := range opts {
		o(c)
	}
	s.auth.clients[clientID] = c
}

func setOf(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, v := range list {
		m[v] = true
	}
	return m
}

func publicKeys(key any) ([]crypto.PublicKey, error) {
	switch k := key.(type) {
	case *rsa.PublicKey:
		return []crypto.PublicKey{k}, nil
	case *ecdsa.PublicKey:
		return []crypto.PublicKey{k}, nil
	case *rsa.PrivateKey:
		return []crypto.PublicKey{&k.PublicKey}, nil
	case *ecdsa.PrivateKey:
		return []crypto.PublicKey{&k.PublicKey}, nil
	case string:
		return publicKeys([]byte(k))
	case []byte:
		var m map[string]any
		if err := json.Unmarshal(k, &m); err != nil {
			return nil, fmt.Errorf("sandbox: invalid JWK: %w", err)
		}
		return publicKeys(m)
	case map[string]any:
		if ks, ok := k["keys"].([]any); ok {
			var out []crypto.PublicKey
			for _, e := range ks {
				m, _ := e.(map[string]any)
				pk, err := parseJWK(m)
				if err != nil {
					return nil, err
				}
				out = append(out, pk)
			}
			return out, nil
		}
		pk, err := parseJWK(k)
		if err != nil {
			return nil, err
		}
		return []crypto.PublicKey{pk}, nil
	}
	return nil, fmt.Errorf("sandbox: unsupported key type %T", key)
}

func b64(m map[string]any, k string) ([]byte, error) {
	s, _ := m[k].(string)
	if s == "" {
		return nil, fmt.Errorf("JWK member %q missing", k)
	}
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

func parseJWK(m map[string]any) (crypto.PublicKey, error) {
	if m == nil {
		return nil, errors.New("empty JWK")
	}
	if _, priv := m["d"]; priv {
		return nil, errors.New("JWK contains private key material")
	}
	switch m["kty"] {
	case "RSA":
		n, err := b64(m, "n")
		if err != nil {
			return nil, err
		}
		e, err := b64(m, "e")
		if err != nil {
			return nil, err
		}
		ei := new(big.Int).SetBytes(e)
		if !ei.IsInt64() || ei.Int64() < 3 {
			return nil, errors.New("bad RSA exponent")
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(ei.Int64())}, nil
	case "EC":
		var c elliptic.Curve
		size := 0
		switch m["crv"] {
		case "P-256":
			c, size = elliptic.P256(), 32
		case "P-384":
			c, size = elliptic.P384(), 48
		case "P-521":
			c, size = elliptic.P521(), 66
		default:
			return nil, fmt.Errorf("unsupported curve %v", m["crv"])
		}
		x, err := b64(m, "x")
		if err != nil {
			return nil, err
		}
		y, err := b64(m, "y")
		if err != nil {
			return nil, err
		}
		if len(x) > size || len(y) > size {
			return nil, errors.New("bad EC coordinates")
		}
		buf := make([]byte, 1+2*size)
		buf[0] = 4
		copy(buf[1+size-len(x):1+size], x)
		copy(buf[1+2*size-len(y):], y)
		return ecdsa.ParseUncompressedPublicKey(c, buf)
	}
	return nil, fmt.Errorf("unsupported kty %v", m["kty"])
}

// jwkThumbprint is the RFC 7638 SHA-256 thumbprint.
func jwkThumbprint(m map[string]any) string {
	var canon string
	str := func(k string) string { v, _ := m[k].(string); b, _ := json.Marshal(v); return string(b) }
	switch m["kty"] {
	case "RSA":
		canon = `{"e":` + str("e") + `,"kty":"RSA","n":` + str("n") + `}`
	case "EC":
		canon = `{"crv":` + str("crv") + `,"kty":"EC","x":` + str("x") + `,"y":` + str("y") + `}`
	}
	sum := sha256.Sum256([]byte(canon))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// ---------------------------------------------------------------------------
// API authentication

func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, rc *reqCtx, scope string) (*principal, bool) {
	authz := r.Header.Get("Authorization")
	scheme, tok, _ := strings.Cut(authz, " ")
	tok = strings.TrimSpace(tok)
	invalid := func(wwwAuth string) (*principal, bool) {
		if wwwAuth != "" {
			w.Header().Set("WWW-Authenticate", wwwAuth)
		}
		writeErr(w, http.StatusUnauthorized, "E0000011", "Invalid token provided")
		return nil, false
	}
	var p *principal
	switch {
	case strings.EqualFold(scheme, "SSWS"):
		s.mu.RLock()
		p = s.ssws[tok]
		ok := p != nil
		if ok {
			u := s.users[p.userID]
			ok = u != nil && u.Status != StatusDeprovisioned && u.Status != StatusSuspended
		}
		s.mu.RUnlock()
		if !ok {
			return invalid("")
		}
	case strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "DPoP"):
		realm := `realm="IdpMyAccountAPI", authorization_uri="` + rc.base + `/oauth2/v1/authorize"`
		s.auth.mu.Lock()
		p = s.auth.tokens[tok]
		if p != nil && time.Now().After(p.exp) {
			delete(s.auth.tokens, tok)
			p = nil
		}
		s.auth.mu.Unlock()
		if p == nil {
			return invalid(`Bearer ` + realm + `, error="invalid_token", error_description="The access token is invalid."`)
		}
		if p.jkt != "" {
			if !strings.EqualFold(scheme, "DPoP") {
				return invalid(`DPoP algs="RS256 RS384 RS512 ES256 ES384 ES512", error="invalid_token", error_description="The access token is DPoP-bound; use the DPoP authorization scheme."`)
			}
			jkt, oe := s.verifyDPoP(r.Header.Get("DPoP"), r.Method, rc.base+r.URL.Path, tok, false)
			if oe == nil && jkt != p.jkt {
				oe = &oauthErr{code: "invalid_dpop_proof", desc: "The DPoP proof key does not match the access token binding."}
			}
			if oe != nil {
				return invalid(`DPoP algs="RS256 RS384 RS512 ES256 ES384 ES512", error="invalid_dpop_proof", error_description="` + oe.desc + `"`)
			}
		} else if !strings.EqualFold(scheme, "Bearer") {
			return invalid(`Bearer ` + realm + `, error="invalid_token", error_description="The access token is not DPoP-bound."`)
		}
	default:
		return invalid("")
	}
	if !p.hasScope(scope) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="IdpMyAccountAPI", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", scope="`+scope+`"`)
		writeErr(w, http.StatusForbidden, "E0000006", "You do not have permission to perform the requested action")
		return nil, false
	}
	if p.roleLacks {
		writeErr(w, http.StatusForbidden, "E0000006", "You do not have permission to perform the requested action")
		return nil, false
	}
	return p, true
}

// ---------------------------------------------------------------------------
// token endpoint

type oauthErr struct {
	status int
	code   string
	desc   string
	nonce  string
}

func writeOAuthErr(w http.ResponseWriter, e *oauthErr) {
	st := e.status
	if st == 0 {
		st = http.StatusBadRequest
		if e.code == "invalid_client" {
			st = http.StatusUnauthorized
		}
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	if e.nonce != "" {
		h.Set("DPoP-Nonce", e.nonce)
	}
	writeJSON(w, st, map[string]string{"error": e.code, "error_description": e.desc})
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	s.issueToken(w, r, rc, "")
}

// POST /oauth2/default/v1/token: the "default" custom authorization server.
// Its tokens (issuer {org}/oauth2/default, audience api://default) are for
// the org's own APIs and flows, not Okta's management API.
func (s *Server) handleDefaultToken(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	s.issueToken(w, r, rc, "default")
}

func (s *Server) issueToken(w http.ResponseWriter, r *http.Request, rc *reqCtx, server string) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(ct), "application/x-www-form-urlencoded") {
		writeOAuthErr(w, &oauthErr{code: "invalid_request", desc: "The request must use the application/x-www-form-urlencoded content type."})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		writeOAuthErr(w, &oauthErr{code: "invalid_request", desc: "The request body was not well-formed."})
		return
	}
	f := r.PostForm
	gt := f.Get("grant_type")
	if gt == "" {
		writeOAuthErr(w, &oauthErr{code: "invalid_request", desc: "The 'grant_type' parameter is required."})
		return
	}
	issuer, aud, tokenURL := rc.base, rc.base, rc.base+"/oauth2/v1/token"
	if server != "" {
		issuer, aud = rc.base+"/oauth2/"+server, "api://"+server
		tokenURL = issuer + "/v1/token"
	}
	c, oe := s.authClient(r, tokenURL)
	if oe != nil {
		writeOAuthErr(w, oe)
		return
	}
	if gt != "client_credentials" {
		code := "unsupported_grant_type"
		if gt == "authorization_code" || gt == "refresh_token" || gt == "password" {
			code = "invalid_grant"
		}
		if code == "invalid_grant" {
			writeOAuthErr(w, &oauthErr{code: code, desc: "The grant is invalid for this client: only client_credentials is allowed for API Services apps."})
		} else {
			writeOAuthErr(w, &oauthErr{code: code, desc: "The authorization grant type is not supported by the authorization server. Configured grant types: [client_credentials]."})
		}
		return
	}
	req := strings.Fields(f.Get("scope"))
	if len(req) == 0 {
		writeOAuthErr(w, &oauthErr{code: "invalid_scope", desc: "The authorization server resource does not have any configured default scopes, 'scope' must be provided."})
		return
	}
	var missing []string
	for _, sc := range req {
		if !c.scopes[sc] {
			missing = append(missing, sc)
		}
	}
	if len(missing) > 0 {
		writeOAuthErr(w, &oauthErr{code: "invalid_scope", desc: "The following scopes are not granted to the client: " + strings.Join(missing, " ") + "."})
		return
	}
	jkt := ""
	if c.dpop {
		var oe *oauthErr
		jkt, oe = s.verifyDPoP(r.Header.Get("DPoP"), http.MethodPost, tokenURL, "", true)
		if oe != nil {
			writeOAuthErr(w, oe)
			return
		}
	}
	now := time.Now()
	key, kid := s.auth.signingKey()
	claims := jwt.MapClaims{
		"ver": 1, "jti": "AT." + randID("", 43), "iss": issuer, "aud": aud,
		"iat": now.Unix(), "exp": now.Add(TokenLifetime).Unix(), "cid": c.id, "sub": c.id, "scp": req,
	}
	typ := "Bearer"
	if jkt != "" {
		claims["cnf"] = map[string]string{"jkt": jkt}
		typ = "DPoP"
	}
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = kid
	at, err := t.SignedString(key)
	if err != nil {
		writeOAuthErr(w, &oauthErr{status: 500, code: "server_error", desc: err.Error()})
		return
	}
	p := &principal{kind: typ, clientID: c.id, name: c.name, scopes: setOf(req), roleLacks: c.roleLacks, jkt: jkt, exp: now.Add(TokenLifetime)}
	s.auth.mu.Lock()
	if len(s.auth.tokens) > 10000 {
		for k, v := range s.auth.tokens {
			if now.After(v.exp) {
				delete(s.auth.tokens, k)
			}
		}
	}
	if server == "" { // custom server tokens do not open the management API
		s.auth.tokens[at] = p
	}
	s.auth.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type": typ, "expires_in": int(TokenLifetime / time.Second), "access_token": at, "scope": strings.Join(req, " "),
	})
}

// authClient authenticates the client of a token request.
func (s *Server) authClient(r *http.Request, tokenURL string) (*oauthClient, *oauthErr) {
	f := r.PostForm
	bad := func(desc string) (*oauthClient, *oauthErr) {
		return nil, &oauthErr{code: "invalid_client", desc: desc}
	}
	lookup := func(id string) *oauthClient {
		s.auth.mu.Lock()
		defer s.auth.mu.Unlock()
		return s.auth.clients[id]
	}
	if id, secret, ok := r.BasicAuth(); ok {
		c := lookup(id)
		if c == nil || c.secret == "" || subtle.ConstantTimeCompare([]byte(c.secret), []byte(secret)) != 1 {
			return bad("The client secret supplied for a confidential client is invalid.")
		}
		return c, nil
	}
	if assertion := f.Get("client_assertion"); assertion != "" {
		if f.Get("client_assertion_type") != jwtBearerType {
			return bad("The client_assertion_type is invalid: it must be " + jwtBearerType + ".")
		}
		return s.verifyAssertion(assertion, f.Get("client_id"), tokenURL)
	}
	if secret := f.Get("client_secret"); secret != "" {
		c := lookup(f.Get("client_id"))
		if c == nil || c.secret == "" || subtle.ConstantTimeCompare([]byte(c.secret), []byte(secret)) != 1 {
			return bad("The client secret supplied for a confidential client is invalid.")
		}
		return c, nil
	}
	if f.Get("client_id") != "" {
		return bad("Client authentication failed. Either the client or the client credentials are invalid.")
	}
	return bad("The client_id parameter is required.")
}

func (s *Server) verifyAssertion(assertion, formClientID, tokenURL string) (*oauthClient, *oauthErr) {
	bad := func(desc string) (*oauthClient, *oauthErr) {
		return nil, &oauthErr{code: "invalid_client", desc: desc}
	}
	unverified, _, err := jwt.NewParser().ParseUnverified(assertion, jwt.MapClaims{})
	if err != nil {
		return bad("The client_assertion is not a valid JWT.")
	}
	uc := unverified.Claims.(jwt.MapClaims)
	iss, _ := uc["iss"].(string)
	sub, _ := uc["sub"].(string)
	if iss == "" || iss != sub {
		return bad("The issuer and subject claims in client_assertion must both be the client_id.")
	}
	if formClientID != "" && formClientID != iss {
		return bad("The client_id parameter does not match the client_assertion issuer.")
	}
	s.auth.mu.Lock()
	c := s.auth.clients[iss]
	s.auth.mu.Unlock()
	if c == nil {
		return bad("Invalid value for 'client_id' parameter.")
	}
	if len(c.keys) == 0 {
		return bad("The client is not configured for private_key_jwt authentication.")
	}
	tok, err := jwt.Parse(assertion, func(t *jwt.Token) (any, error) {
		set := jwt.VerificationKeySet{}
		for _, k := range c.keys {
			set.Keys = append(set.Keys, k)
		}
		return set, nil
	}, jwt.WithValidMethods(assertionAlgs), jwt.WithExpirationRequired(), jwt.WithLeeway(30*time.Second))
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return bad("The client_assertion token is expired.")
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return bad("The client_assertion token must contain an exp claim.")
	case err != nil:
		return bad("The client_assertion signature is invalid.")
	}
	claims := tok.Claims.(jwt.MapClaims)
	aud, _ := claims.GetAudience()
	okAud := false
	for _, a := range aud {
		if a == tokenURL {
			okAud = true
		}
	}
	if !okAud {
		return bad("The audience claim for client_assertion must be the endpoint invoked for the request.")
	}
	exp, _ := claims.GetExpirationTime()
	now := time.Now()
	if exp.Sub(now) > TokenLifetime+time.Minute {
		return bad("The client_assertion token has an expiration too far into the future.")
	}
	if jti, _ := claims["jti"].(string); jti != "" {
		key := c.id + "\x00" + jti
		s.auth.mu.Lock()
		_, used := s.auth.jtis[key]
		if !used {
			s.auth.jtis[key] = exp.Time
			if len(s.auth.jtis) > 10000 {
				for k, v := range s.auth.jtis {
					if now.After(v.Add(time.Minute)) {
						delete(s.auth.jtis, k)
					}
				}
			}
		}
		s.auth.mu.Unlock()
		if used {
			return bad("The client_assertion token has already been used (jti replay).")
		}
	}
	return c, nil
}

// verifyDPoP checks a DPoP proof and returns the JWK thumbprint.
func (s *Server) verifyDPoP(proof, method, htu, accessToken string, needNonce bool) (string, *oauthErr) {
	bad := func(desc string) (string, *oauthErr) {
		return "", &oauthErr{code: "invalid_dpop_proof", desc: desc}
	}
	if proof == "" {
		return bad("The DPoP proof JWT header is missing.")
	}
	var jwk map[string]any
	tok, err := jwt.Parse(proof, func(t *jwt.Token) (any, error) {
		if typ, _ := t.Header["typ"].(string); !strings.EqualFold(typ, "dpop+jwt") {
			return nil, errors.New("typ must be dpop+jwt")
		}
		jwk, _ = t.Header["jwk"].(map[string]any)
		return parseJWK(jwk)
	}, jwt.WithValidMethods(assertionAlgs), jwt.WithIssuedAt())
	if err != nil {
		return bad("The DPoP proof is invalid: " + err.Error())
	}
	claims := tok.Claims.(jwt.MapClaims)
	if htm, _ := claims["htm"].(string); htm != method {
		return bad("The DPoP proof htm claim does not match the request method.")
	}
	if u, _ := claims["htu"].(string); strings.SplitN(u, "?", 2)[0] != htu {
		return bad("The DPoP proof htu claim does not match the request URL.")
	}
	iat, err := claims.GetIssuedAt()
	now := time.Now()
	if err != nil || iat == nil || now.Sub(iat.Time) > 5*time.Minute || iat.Time.Sub(now) > time.Minute {
		return bad("The DPoP proof iat claim is missing or outside the allowed window.")
	}
	jti, _ := claims["jti"].(string)
	if jti == "" {
		return bad("The DPoP proof jti claim is missing.")
	}
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		if ath, _ := claims["ath"].(string); ath != base64.RawURLEncoding.EncodeToString(sum[:]) {
			return bad("The DPoP proof ath claim does not match the access token.")
		}
	}
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	if needNonce {
		nonce, _ := claims["nonce"].(string)
		if exp, ok := s.auth.nonces[nonce]; nonce == "" || !ok || now.After(exp) {
			n := randID("", 32)
			s.auth.nonces[n] = now.Add(5 * time.Minute)
			if len(s.auth.nonces) > 10000 {
				for k, v := range s.auth.nonces {
					if now.After(v) {
						delete(s.auth.nonces, k)
					}
				}
			}
			desc := "Authorization server requires nonce in DPoP proof."
			return "", &oauthErr{code: "use_dpop_nonce", desc: desc, nonce: n}
		}
	}
	if _, used := s.auth.dpopJTIs[jti]; used {
		return "", &oauthErr{code: "invalid_dpop_proof", desc: "The DPoP proof jti has already been used."}
	}
	s.auth.dpopJTIs[jti] = now.Add(10 * time.Minute)
	if len(s.auth.dpopJTIs) > 20000 {
		for k, v := range s.auth.dpopJTIs {
			if now.After(v) {
				delete(s.auth.dpopJTIs, k)
			}
		}
	}
	return jwkThumbprint(jwk), nil
}

// GET /oauth2/v1/keys
func (s *Server) handleKeys(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	key, kid := s.auth.signingKey()
	e := big.NewInt(int64(key.PublicKey.E)).Bytes()
	writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]any{{
		"kty": "RSA", "alg": "RS256", "kid": kid, "use": "sig",
		"e": base64.RawURLEncoding.EncodeToString(e),
		"n": base64.RawURLEncoding.EncodeToString(key.PublicKey.N.Bytes()),
	}}})
}

// GET /.well-known/openid-configuration
func (s *Server) handleDiscovery(w http.ResponseWriter, r *http.Request) {
	base := baseOf(r)
	scopes := append([]string{"openid", "profile", "email", "offline_access"}, AllScopes...)
	sort.Strings(scopes[4:])
	w.Header().Set("Cache-Control", "max-age=86400, must-revalidate")
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                           base,
		"authorization_endpoint":                           base + "/oauth2/v1/authorize",
		"token_endpoint":                                   base + "/oauth2/v1/token",
		"userinfo_endpoint":                                base + "/oauth2/v1/userinfo",
		"registration_endpoint":                            base + "/oauth2/v1/clients",
		"jwks_uri":                                         base + "/oauth2/v1/keys",
		"introspection_endpoint":                           base + "/oauth2/v1/introspect",
		"revocation_endpoint":                              base + "/oauth2/v1/revoke",
		"end_session_endpoint":                             base + "/oauth2/v1/logout",
		"response_types_supported":                         []string{"code", "id_token", "code id_token", "code token", "id_token token", "code id_token token"},
		"response_modes_supported":                         []string{"query", "fragment", "form_post", "okta_post_message"},
		"grant_types_supported":                            []string{"authorization_code", "implicit", "refresh_token", "password", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code"},
		"subject_types_supported":                          []string{"public"},
		"id_token_signing_alg_values_supported":            []string{"RS256"},
		"scopes_supported":                                 scopes,
		"token_endpoint_auth_methods_supported":            []string{"client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"},
		"token_endpoint_auth_signing_alg_values_supported": []string{"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512"},
		"claims_supported":                                 []string{"iss", "ver", "sub", "aud", "iat", "exp", "jti", "auth_time", "amr", "idp", "nonce", "name", "email", "preferred_username"},
		"code_challenge_methods_supported":                 []string{"S256"},
		"dpop_signing_alg_values_supported":                []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"},
		"request_parameter_supported":                      true,
	})
}
