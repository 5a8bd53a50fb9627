package okta

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
)

// GenerateKey makes a new RSA-2048 key pair for a private_key_jwt service
// app: the private key as PKCS#8 PEM (store it as the connection's
// privateKey secret) and the public key as a JWK with its RFC 7638
// thumbprint as kid (paste it into the Okta app's "Public keys").
func GenerateKey() (privatePEM string, publicJWK map[string]any, err error) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return "", nil, err
	}
	privatePEM = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	publicJWK = publicJWKOf(&k.PublicKey)
	publicJWK["kid"] = thumbprint(publicJWK)
	publicJWK["alg"] = "RS256"
	publicJWK["use"] = "sig"
	return privatePEM, publicJWK, nil
}

func b64u(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func publicJWKOf(pub crypto.PublicKey) map[string]any {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return map[string]any{"kty": "RSA", "n": b64u(k.N.Bytes()), "e": b64u(big.NewInt(int64(k.E)).Bytes())}
	case *ecdsa.PublicKey:
		size := (k.Curve.Params().BitSize + 7) / 8
		x, y := make([]byte, size), make([]byte, size)
		k.X.FillBytes(x)
		k.Y.FillBytes(y)
		return map[string]any{"kty": "EC", "crv": k.Curve.Params().Name, "x": b64u(x), "y": b64u(y)}
	}
	return nil
}

// thumbprint is the RFC 7638 JWK thumbprint.
func thumbprint(jwk map[string]any) string {
	var members []string
	switch jwk["kty"] {
	case "RSA":
		members = []string{"e", "kty", "n"}
	case "EC":
		members = []string{"crv", "kty", "x", "y"}
	default:
		return ""
	}
	var sb strings.Builder
	sb.WriteByte('{')
	for i, m := range members {
		if i > 0 {
			sb.WriteByte(',')
		}
		v, _ := json.Marshal(jwk[m])
		fmt.Fprintf(&sb, "%q:%s", m, v)
	}
	sb.WriteByte('}')
	sum := sha256.Sum256([]byte(sb.String()))
	return b64u(sum[:])
}

// signingKey is a parsed private key with its JWS algorithm and key id.
type signingKey struct {
	key    crypto.Signer
	method jwt.SigningMethod
	kid    string
}

// ParsePrivateKey reads a PEM (PKCS#1, PKCS#8 or SEC 1) or JWK private key.
// The error never quotes the key.
func ParsePrivateKey(text, kid string) (*signingKey, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, errors.New("the private key is empty")
	}
	var signer crypto.Signer
	if strings.HasPrefix(text, "{") {
		var jwk map[string]any
		if err := json.Unmarshal([]byte(text), &jwk); err != nil {
			return nil, errors.New("the private key looks like JSON but is not a valid JWK")
		}
		if keys, ok := jwk["keys"].([]any); ok && len(keys) > 0 {
			jwk, _ = keys[0].(map[string]any)
		}
		s, err := parsePrivateJWK(jwk)
		if err != nil {
			return nil, err
		}
		signer = s
		if kid == "" {
			kid, _ = jwk["kid"].(string)
		}
	} else {
		block, _ := pem.Decode([]byte(text))
		if block == nil {
			return nil, errors.New("the private key is not PEM: expected a -----BEGIN PRIVATE KEY----- block or a JWK")
		}
		var err error
		switch block.Type {
		case "RSA PRIVATE KEY":
			signer, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			signer, err = x509.ParseECPrivateKey(block.Bytes)
		case "PRIVATE KEY":
			var k any
			k, err = x509.ParsePKCS8PrivateKey(block.Bytes)
			if err == nil {
				var ok bool
				if signer, ok = k.(crypto.Signer); !ok {
					err = errors.New("unsupported key type")
				}
			}
		default:
			return nil, fmt.Errorf("the PEM block is %q; expected a private key", block.Type)
		}
		if err != nil {
			return nil, errors.New("the private key PEM is malformed or not an RSA/EC private key")
		}
	}
	sk := &signingKey{key: signer, kid: kid}
	switch k := signer.(type) {
	case *rsa.PrivateKey:
		sk.method = jwt.SigningMethodRS256
	case *ecdsa.PrivateKey:
		switch k.Curve {
		case elliptic.P256():
			sk.method = jwt.SigningMethodES256
		case elliptic.P384():
			sk.method = jwt.SigningMethodES384
		case elliptic.P521():
			sk.method = jwt.SigningMethodES512
		default:
			return nil, errors.New("unsupported EC curve")
		}
	default:
		return nil, errors.New("the private key must be RSA or EC")
	}
	if sk.kid == "" {
		sk.kid = thumbprint(publicJWKOf(signer.Public()))
	}
	return sk, nil
}

func jwkInt(m map[string]any, k string) (*big.Int, error) {
	s, _ := m[k].(string)
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil || s == "" {
		return nil, fmt.Errorf("the JWK member %q is missing or not base64url", k)
	}
	return new(big.Int).SetBytes(b), nil
}

func parsePrivateJWK(m map[string]any) (crypto.Signer, error) {
	switch m["kty"] {
	case "RSA":
		var vals [5]*big.Int
		for i, k := range []string{"n", "e", "d", "p", "q"} {
			v, err := jwkInt(m, k)
			if err != nil {
				if k == "d" {
					return nil, errors.New("the JWK is a public key; the connection needs the private key")
				}
				return nil, err
			}
			vals[i] = v
		}
		k := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: vals[0], E: int(vals[1].Int64())}, D: vals[2], Primes: []*big.Int{vals[3], vals[4]}}
		if err := k.Validate(); err != nil {
			return nil, errors.New("the RSA JWK is inconsistent")
		}
		k.Precompute()
		return k, nil
	case "EC":
		var curve elliptic.Curve
		switch m["crv"] {
		case "P-256":
			curve = elliptic.P256()
		case "P-384":
			curve = elliptic.P384()
		case "P-521":
			curve = elliptic.P521()
		default:
			return nil, errors.New("unsupported JWK curve")
		}
		d, err := jwkInt(m, "d")
		if err != nil {
			return nil, errors.New("the JWK is a public key; the connection needs the private key")
		}
		x, err := jwkInt(m, "x")
		if err != nil {
			return nil, err
		}
		y, err := jwkInt(m, "y")
		if err != nil {
			return nil, err
		}
		return &ecdsa.PrivateKey{PublicKey: ecdsa.PublicKey{Curve: curve, X: x, Y: y}, D: d}, nil
	}
	return nil, errors.New("the JWK kty must be RSA or EC")
}

// dpopKey signs DPoP proofs (an ephemeral P-256 key per connection).
type dpopKey struct {
	key *ecdsa.PrivateKey
	jwk map[string]any
}

func newDPoPKey() (*dpopKey, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	return &dpopKey{key: k, jwk: publicJWKOf(&k.PublicKey)}, nil
}

func randJTI() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return b64u(b)
}

// proof builds a DPoP proof for method+url (query and fragment dropped).
func (d *dpopKey) proof(method, rawURL, nonce, accessToken string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", err
	}
	u.RawQuery, u.Fragment = "", ""
	claims := jwt.MapClaims{"htm": method, "htu": u.String(), "iat": time.Now().Unix(), "jti": randJTI()}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		claims["ath"] = b64u(sum[:])
	}
	t := jwt.NewWithClaims(jwt.SigningMethodES256, claims)
	t.Header["typ"] = "dpop+jwt"
	t.Header["jwk"] = d.jwk
	return t.SignedString(d.key)
}

// TokenError is a failed token request, with Okta's OAuth error code.
type TokenError struct {
	Status      int
	Code        string // invalid_client, invalid_scope, use_dpop_nonce, invalid_dpop_proof…
	Description string
	Skew        time.Duration // server Date minus local clock, when known
}

func (e *TokenError) Error() string {
	s := fmt.Sprintf("token request failed (HTTP %d %s)", e.Status, e.Code)
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s
}

// tokenSource implements OAuth 2.0 client credentials for Okta's org
// authorization server, with private_key_jwt or a client secret and
// optional DPoP, caching the token until shortly before it expires.
type tokenSource struct {
	tokenURL string
	clientID string
	scopes   []string
	key      *signingKey // private_key_jwt
	secret   string      // client secret
	dpop     *dpopKey    // nil: bearer tokens
	hc       *httpx.Client

	mu      sync.Mutex
	tok     *oauth2.Token
	scope   string // granted
	nonce   string
	lastErr error
}

// Token returns a cached or fresh token.
func (ts *tokenSource) Token(ctx context.Context) (*oauth2.Token, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.tok != nil && time.Until(ts.tok.Expiry) > time.Minute {
		return ts.tok, nil
	}
	tok, err := ts.fetch(ctx)
	if err != nil {
		return nil, err
	}
	ts.tok = tok
	return tok, nil
}

// Invalidate drops the cached token (after a 401).
func (ts *tokenSource) Invalidate(tok string) {
	ts.mu.Lock()
	if ts.tok != nil && ts.tok.AccessToken == tok {
		ts.tok = nil
	}
	ts.mu.Unlock()
}

func (ts *tokenSource) fetch(ctx context.Context) (*oauth2.Token, error) {
	for try := 0; try < 2; try++ {
		form := url.Values{"grant_type": {"client_credentials"}, "scope": {strings.Join(ts.scopes, " ")}}
		hdr := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
		if ts.key != nil {
			now := time.Now()
			claims := jwt.MapClaims{"aud": ts.tokenURL, "iss": ts.clientID, "sub": ts.clientID,
				"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "jti": randJTI()}
			t := jwt.NewWithClaims(ts.key.method, claims)
			if ts.key.kid != "" {
				t.Header["kid"] = ts.key.kid
			}
			a, err := t.SignedString(ts.key.key)
			if err != nil {
				return nil, fmt.Errorf("signing the client assertion: %w", err)
			}
			form.Set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
			form.Set("client_assertion", a)
		} else {
			form.Set("client_id", ts.clientID)
			form.Set("client_secret", ts.secret)
		}
		if ts.dpop != nil {
			p, err := ts.dpop.proof(http.MethodPost, ts.tokenURL, ts.nonce, "")
			if err != nil {
				return nil, err
			}
			hdr.Set("DPoP", p)
		}
		resp, err := ts.hc.Do(ctx, &httpx.Request{Method: http.MethodPost, URL: ts.tokenURL, Header: hdr,
			Body: []byte(form.Encode()), Idempotent: new(true)})
		if err != nil {
			return nil, err
		}
		var body struct {
			AccessToken string `json:"access_token"`
			TokenType   string `json:"token_type"`
			ExpiresIn   int    `json:"expires_in"`
			Scope       string `json:"scope"`
			Error       string `json:"error"`
			Desc        string `json:"error_description"`
		}
		_ = json.Unmarshal(resp.Body, &body)
		if resp.Status == http.StatusOK && body.AccessToken != "" {
			exp := time.Duration(body.ExpiresIn) * time.Second
			if exp <= 0 {
				exp = time.Hour
			}
			ts.scope = body.Scope
			return &oauth2.Token{AccessToken: body.AccessToken, TokenType: body.TokenType, Expiry: time.Now().Add(exp)}, nil
		}
		te := &TokenError{Status: resp.Status, Code: body.Error, Description: body.Desc}
		if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
			te.Skew = d.Sub(time.Now())
		}
		if body.Error == "use_dpop_nonce" && resp.Header.Get("DPoP-Nonce") != "" && try == 0 {
			ts.nonce = resp.Header.Get("DPoP-Nonce")
			continue
		}
		if te.Code == "" {
			te.Code = http.StatusText(resp.Status)
		}
		return nil, te
	}
	return nil, &TokenError{Status: 400, Code: "use_dpop_nonce", Description: "the server kept asking for a new DPoP nonce"}
}

// Granted returns the scopes of the last token.
func (ts *tokenSource) Granted() string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.scope
}
