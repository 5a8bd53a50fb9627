package okta

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
	"github.com/golang-jwt/jwt/v5"
)

// API Endpoint flows secured with OAuth 2.0 accept access tokens issued by
// the authorization server of their Okta connection's org. The token is
// verified here, without calling Okta per request: its RS256 signature with
// the server's published keys (JWKS, cached; fetched again for an unknown
// key id), its issuer, audience, expiry and scope.
func init() { trigger.RegisterTokenVerifier(Kind.ID, VerifyAccessToken) }

// AuthServerURLs are the issuer and the key set URL of an Okta
// authorization server of the org at base: the org server ("org" or "")
// or a custom one by id ("default").
func AuthServerURLs(base, server string) (issuer, jwks string) {
	base = strings.TrimSuffix(base, "/")
	if server == "" || server == "org" {
		return base, base + "/oauth2/v1/keys"
	}
	issuer = base + "/oauth2/" + server
	return issuer, issuer + "/v1/keys"
}

// VerifyAccessToken implements trigger.TokenVerifier for Okta connections.
func VerifyAccessToken(ctx context.Context, c *engine.Connection, need trigger.TokenRequirements, token string) (map[string]any, error) {
	s, err := parseSettings(c)
	if err != nil {
		return nil, err
	}
	issuer, jwksURL := AuthServerURLs(s.base, need.AuthServer)
	aud := need.Audience
	if aud == "" {
		aud = issuer
		if need.AuthServer != "" && need.AuthServer != "org" {
			aud = "api://" + need.AuthServer
		}
	}
	var fetchErr error
	claims := jwt.MapClaims{}
	_, err = jwt.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		k, err := jwks.key(ctx, jwksURL, kid)
		if err != nil {
			if !errors.Is(err, errUnknownKey) {
				fetchErr = err // the server could not be asked: not the caller's fault
			}
			return nil, err
		}
		return k, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(issuer), jwt.WithAudience(aud),
		jwt.WithExpirationRequired(), jwt.WithLeeway(30*time.Second))
	if fetchErr != nil {
		return nil, fetchErr
	}
	if err != nil {
		return nil, &trigger.TokenError{Status: http.StatusUnauthorized, Code: "invalid_token", Desc: tokenProblem(err, issuer, aud)}
	}
	if need.Scope != "" && !slices.Contains(scopesOf(claims), need.Scope) {
		return nil, &trigger.TokenError{Status: http.StatusForbidden, Code: "insufficient_scope",
			Desc: fmt.Sprintf("the access token does not carry the scope %s (it has: %s)", need.Scope, strings.Join(scopesOf(claims), " "))}
	}
	return claims, nil
}

func tokenProblem(err error, issuer, aud string) string {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "the access token has expired"
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "the access token was not issued by " + issuer
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return "the access token is not meant for " + aud
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, errUnknownKey):
		return "the access token's signature does not verify with the authorization server's keys"
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "the access token is not a JWT"
	}
	return err.Error()
}

// scopesOf reads Okta's "scp" claim (a list), or a space-separated "scope".
func scopesOf(c jwt.MapClaims) []string {
	var out []string
	switch v := c["scp"].(type) {
	case []any:
		for _, s := range v {
			out = append(out, engine.ToText(s))
		}
	case string:
		out = strings.Fields(v)
	}
	if s, ok := c["scope"].(string); ok {
		out = append(out, strings.Fields(s)...)
	}
	return out
}

var errUnknownKey = errors.New("no key with this id in the authorization server's key set")

// keyCache holds the JWKS of each authorization server. An unknown key id
// fetches the set again (keys rotate), at most once every refetchGap.
type keyCache struct {
	mu   sync.Mutex
	sets map[string]*keySet
}

type keySet struct {
	keys    map[string]*rsa.PublicKey
	fetched time.Time
}

const refetchGap = 10 * time.Second

var jwks = &keyCache{sets: map[string]*keySet{}}

var jwksClient = &http.Client{Timeout: 10 * time.Second}

func (kc *keyCache) key(ctx context.Context, url, kid string) (*rsa.PublicKey, error) {
	kc.mu.Lock()
	defer kc.mu.Unlock()
	ks := kc.sets[url]
	if ks != nil {
		if k := ks.keys[kid]; k != nil {
			return k, nil
		}
		if time.Since(ks.fetched) < refetchGap {
			return nil, errUnknownKey
		}
	}
	keys, err := fetchJWKS(ctx, url)
	if err != nil {
		return nil, err
	}
	kc.sets[url] = &keySet{keys: keys, fetched: time.Now()}
	if k := keys[kid]; k != nil {
		return k, nil
	}
	return nil, errUnknownKey
}

func fetchJWKS(ctx context.Context, url string) (map[string]*rsa.PublicKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := jwksClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("key set %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("key set %s: HTTP %d", url, resp.StatusCode)
	}
	var set struct {
		Keys []struct {
			Kty, Kid, N, E, Use string
		} `json:"keys"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&set); err != nil {
		return nil, fmt.Errorf("key set %s: %w", url, err)
	}
	out := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		if k.Kty != "RSA" || (k.Use != "" && k.Use != "sig") {
			continue
		}
		n, err1 := base64.RawURLEncoding.DecodeString(k.N)
		e, err2 := base64.RawURLEncoding.DecodeString(k.E)
		if err1 != nil || err2 != nil || len(e) > 4 {
			continue
		}
		out[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	return out, nil
}
