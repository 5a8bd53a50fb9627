package sandbox

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var jtiN atomic.Int64

func nextJTI() string {
	return "jti-" + time.Now().Format("150405.000000") + "-" + big.NewInt(jtiN.Add(1)).String()
}

func assertion(t testing.TB, key crypto.Signer, claims jwt.MapClaims) string {
	t.Helper()
	m := jwt.SigningMethodRS256
	var method jwt.SigningMethod = m
	if _, ok := key.(*ecdsa.PrivateKey); ok {
		method = jwt.SigningMethodES256
	}
	tok := jwt.NewWithClaims(method, claims)
	tok.Header["kid"] = "test-key"
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func stdClaims(clientID, aud string) jwt.MapClaims {
	now := time.Now()
	return jwt.MapClaims{"iss": clientID, "sub": clientID, "aud": aud, "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "jti": nextJTI()}
}

func tokenReq(t testing.TB, base string, form url.Values, hdr ...string) *exchange {
	t.Helper()
	return call(t, "POST", base+"/oauth2/v1/token", "", form.Encode(), append([]string{"Content-Type", "application/x-www-form-urlencoded"}, hdr...)...)
}

func jwtForm(a, scope string) url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "scope": {scope},
		"client_assertion_type": {jwtBearerType}, "client_assertion": {a}}
}

func TestOAuthPrivateKeyJWT(t *testing.T) {
	s, base := startServer(t, Config{})
	tokenURL := base + "/oauth2/v1/token"
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	otherKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err := s.RegisterOAuthClient("0oarsa", &rsaKey.PublicKey, []string{"okta.users.read", "okta.groups.manage"}); err != nil {
		t.Fatal(err)
	}
	// EC key registered as a JWK.
	ecJWK := map[string]any{"kty": "EC", "crv": "P-256",
		"x": base64.RawURLEncoding.EncodeToString(ecKey.PublicKey.X.FillBytes(make([]byte, 32))),
		"y": base64.RawURLEncoding.EncodeToString(ecKey.PublicKey.Y.FillBytes(make([]byte, 32)))}
	if err := s.RegisterOAuthClient("0oaec", ecJWK, []string{"okta.users.read", "okta.users.manage", "okta.orgs.read"}); err != nil {
		t.Fatal(err)
	}
	if err := s.RegisterOAuthClient("0oadown", rsaKey, []string{"okta.users.read"}, WithRoleLacksPermission()); err != nil {
		t.Fatal(err)
	}
	replayed := assertion(t, rsaKey, stdClaims("0oarsa", tokenURL))
	tokenReq(t, base, jwtForm(replayed, "okta.users.read")).want(t, 200)

	cases := []struct {
		name   string
		form   url.Values
		status int
		oerr   string
	}{
		{"rsa ok", jwtForm(assertion(t, rsaKey, stdClaims("0oarsa", tokenURL)), "okta.users.read"), 200, ""},
		{"ec ok", jwtForm(assertion(t, ecKey, stdClaims("0oaec", tokenURL)), "okta.users.manage okta.orgs.read"), 200, ""},
		{"bad signature", jwtForm(assertion(t, otherKey, stdClaims("0oarsa", tokenURL)), "okta.users.read"), 401, "invalid_client"},
		{"ec key for rsa client", jwtForm(assertion(t, ecKey, stdClaims("0oarsa", tokenURL)), "okta.users.read"), 401, "invalid_client"},
		{"wrong aud", jwtForm(assertion(t, rsaKey, stdClaims("0oarsa", base+"/oauth2/default/v1/token")), "okta.users.read"), 401, "invalid_client"},
		{"replayed jti", jwtForm(replayed, "okta.users.read"), 401, "invalid_client"},
		{"exp too far", jwtForm(assertion(t, rsaKey, func() jwt.MapClaims {
			c := stdClaims("0oarsa", tokenURL)
			c["exp"] = time.Now().Add(2 * time.Hour).Unix()
			return c
		}()), "okta.users.read"), 401, "invalid_client"},
		{"expired", jwtForm(assertion(t, rsaKey, func() jwt.MapClaims {
			c := stdClaims("0oarsa", tokenURL)
			c["exp"] = time.Now().Add(-time.Hour).Unix()
			return c
		}()), "okta.users.read"), 401, "invalid_client"},
		{"no exp", jwtForm(assertion(t, rsaKey, func() jwt.MapClaims {
			c := stdClaims("0oarsa", tokenURL)
			delete(c, "exp")
			return c
		}()), "okta.users.read"), 401, "invalid_client"},
		{"iss != sub", jwtForm(assertion(t, rsaKey, func() jwt.MapClaims {
			c := stdClaims("0oarsa", tokenURL)
			c["sub"] = "someone"
			return c
		}()), "okta.users.read"), 401, "invalid_client"},
		{"unknown client", jwtForm(assertion(t, rsaKey, stdClaims("0oanobody", tokenURL)), "okta.users.read"), 401, "invalid_client"},
		{"scope not granted", jwtForm(assertion(t, rsaKey, stdClaims("0oarsa", tokenURL)), "okta.users.read okta.logs.read"), 400, "invalid_scope"},
		{"no scope", jwtForm(assertion(t, rsaKey, stdClaims("0oarsa", tokenURL)), ""), 400, "invalid_scope"},
		{"unsupported grant", func() url.Values {
			f := jwtForm(assertion(t, rsaKey, stdClaims("0oarsa", tokenURL)), "okta.users.read")
			f.Set("grant_type", "urn:example:magic")
			return f
		}(), 400, "unsupported_grant_type"},
		{"refresh grant", func() url.Values {
			f := jwtForm(assertion(t, rsaKey, stdClaims("0oarsa", tokenURL)), "okta.users.read")
			f.Set("grant_type", "refresh_token")
			return f
		}(), 400, "invalid_grant"},
		{"bad assertion type", func() url.Values {
			f := jwtForm(assertion(t, rsaKey, stdClaims("0oarsa", tokenURL)), "okta.users.read")
			f.Set("client_assertion_type", "nope")
			return f
		}(), 401, "invalid_client"},
		{"no client auth", url.Values{"grant_type": {"client_credentials"}, "scope": {"okta.users.read"}}, 401, "invalid_client"},
	}
	tokens := map[string]string{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := tokenReq(t, base, tc.form).want(t, tc.status)
			var body map[string]any
			e.json(t, &body)
			if tc.oerr != "" {
				if body["error"] != tc.oerr || body["error_description"] == "" {
					t.Errorf("body %v, want error %s", body, tc.oerr)
				}
				return
			}
			if body["token_type"] != "Bearer" || body["expires_in"] != float64(3600) || body["access_token"] == "" || body["scope"] != tc.form.Get("scope") {
				t.Errorf("token response %v", body)
			}
			if e.resp.Header.Get("X-Rate-Limit-Limit") != "2000" {
				t.Errorf("oauth2 bucket limit %q", e.resp.Header.Get("X-Rate-Limit-Limit"))
			}
			tokens[tc.name] = body["access_token"].(string)
		})
	}
	rsaTok, ecTok := "Bearer "+tokens["rsa ok"], "Bearer "+tokens["ec ok"]
	if tokens["rsa ok"] == "" || tokens["ec ok"] == "" {
		t.Fatal("no tokens")
	}
	// Scope enforcement on API calls.
	api := base + "/api/v1"
	call(t, "GET", api+"/users?limit=1", rsaTok, nil).want(t, 200)
	e := call(t, "POST", api+"/users", rsaTok, map[string]any{"profile": map[string]any{}}).want(t, 403)
	if e.errCode(t) != "E0000006" || !strings.Contains(e.resp.Header.Get("WWW-Authenticate"), "insufficient_scope") {
		t.Errorf("403: %s %v", e.respBody, e.resp.Header)
	}
	call(t, "GET", api+"/logs", rsaTok, nil).want(t, 403)
	call(t, "GET", api+"/org", rsaTok, nil).want(t, 403)
	call(t, "GET", api+"/org", ecTok, nil).want(t, 200)
	call(t, "GET", api+"/users/me", ecTok, nil).want(t, 404) // service apps have no user
	call(t, "GET", api+"/groups", "Bearer "+tokens["rsa ok"]+"x", nil).want(t, 401)
	call(t, "GET", api+"/groups", "DPoP "+tokens["rsa ok"], nil).want(t, 401)
	// The API actor of OAuth calls is the client.
	n := len(s.Events())
	var u map[string]any
	call(t, "POST", api+"/users?activate=false", ecTok, map[string]any{"profile": map[string]any{"firstName": "O", "lastName": "A", "email": "oa@example.com", "login": "oa@example.com"}}).want(t, 200).json(t, &u)
	if ev := s.Events()[n]; ev.Actor.ID != "0oaec" || ev.Actor.Type != "PublicClientApp" {
		t.Errorf("actor %+v", ev.Actor)
	}
	// Silent downscoping: token issued, API refuses.
	e = tokenReq(t, base, jwtForm(assertion(t, rsaKey, stdClaims("0oadown", tokenURL)), "okta.users.read")).want(t, 200)
	var body map[string]any
	e.json(t, &body)
	if call(t, "GET", api+"/users?limit=1", "Bearer "+body["access_token"].(string), nil).want(t, 403).errCode(t) != "E0000006" {
		t.Error("role-lacks-permission code")
	}
}

func TestOAuthClientSecret(t *testing.T) {
	s, base := startServer(t, Config{})
	s.RegisterSecretClient("0oasecret", "s3cr3t", []string{"okta.groups.read"})
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"okta.groups.read"}}
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("0oasecret:s3cr3t"))
	e := tokenReq(t, base, form, "Authorization", basic).want(t, 200)
	var body map[string]any
	e.json(t, &body)
	call(t, "GET", base+"/api/v1/groups", "Bearer "+body["access_token"].(string), nil).want(t, 200)
	call(t, "GET", base+"/api/v1/users", "Bearer "+body["access_token"].(string), nil).want(t, 403)
	tokenReq(t, base, form, "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("0oasecret:wrong"))).want(t, 401)
	post := url.Values{"grant_type": {"client_credentials"}, "scope": {"okta.groups.read"}, "client_id": {"0oasecret"}, "client_secret": {"s3cr3t"}}
	tokenReq(t, base, post).want(t, 200)
	post.Set("client_secret", "bad")
	tokenReq(t, base, post).want(t, 401)
	// discovery
	var d map[string]any
	call(t, "GET", base+"/.well-known/openid-configuration", "", nil).want(t, 200).json(t, &d)
	if d["token_endpoint"] != base+"/oauth2/v1/token" || d["issuer"] != base || d["jwks_uri"] == nil || d["dpop_signing_alg_values_supported"] == nil {
		t.Errorf("discovery %v", d)
	}
	var keys map[string]any
	call(t, "GET", base+"/oauth2/v1/keys", "", nil).want(t, 200).json(t, &keys)
	if len(keys["keys"].([]any)) != 1 {
		t.Errorf("jwks %v", keys)
	}
}

func dpopProof(t testing.TB, key *ecdsa.PrivateKey, method, htu, nonce, accessToken string) string {
	t.Helper()
	claims := jwt.MapClaims{"htm": method, "htu": htu, "iat": time.Now().Unix(), "jti": nextJTI()}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		claims["ath"] = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, claims)
	tok.Header["typ"] = "dpop+jwt"
	tok.Header["jwk"] = map[string]any{"kty": "EC", "crv": "P-256",
		"x": base64.RawURLEncoding.EncodeToString(key.PublicKey.X.FillBytes(make([]byte, 32))),
		"y": base64.RawURLEncoding.EncodeToString(key.PublicKey.Y.FillBytes(make([]byte, 32)))}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOAuthDPoP(t *testing.T) {
	s, base := startServer(t, Config{})
	tokenURL := base + "/oauth2/v1/token"
	clientKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	dpopKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	otherDPoP, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err := s.RegisterOAuthClient("0oadpop", &clientKey.PublicKey, []string{"okta.users.read"}, WithDPoP()); err != nil {
		t.Fatal(err)
	}
	form := func() url.Values {
		return jwtForm(assertion(t, clientKey, stdClaims("0oadpop", tokenURL)), "okta.users.read")
	}
	var body map[string]any
	// 1. no DPoP header
	tokenReq(t, base, form()).want(t, 400).json(t, &body)
	if body["error"] != "invalid_dpop_proof" {
		t.Fatalf("no proof: %v", body)
	}
	// 2. proof without nonce → use_dpop_nonce + DPoP-Nonce
	e := tokenReq(t, base, form(), "DPoP", dpopProof(t, dpopKey, "POST", tokenURL, "", "")).want(t, 400)
	e.json(t, &body)
	nonce := e.resp.Header.Get("DPoP-Nonce")
	if body["error"] != "use_dpop_nonce" || nonce == "" {
		t.Fatalf("nonce dance: %v %v", body, e.resp.Header)
	}
	// wrong htu
	tokenReq(t, base, form(), "DPoP", dpopProof(t, dpopKey, "POST", base+"/other", nonce, "")).want(t, 400)
	// 3. with nonce → DPoP token
	tokenReq(t, base, form(), "DPoP", dpopProof(t, dpopKey, "POST", tokenURL, nonce, "")).want(t, 200).json(t, &body)
	if body["token_type"] != "DPoP" {
		t.Fatalf("token %v", body)
	}
	at := body["access_token"].(string)
	usersURL := base + "/api/v1/users"
	call(t, "GET", usersURL+"?limit=1", "Bearer "+at, nil).want(t, 401)
	call(t, "GET", usersURL+"?limit=1", "DPoP "+at, nil).want(t, 401)
	call(t, "GET", usersURL+"?limit=1", "DPoP "+at, nil, "DPoP", dpopProof(t, dpopKey, "GET", usersURL, "", "wrong-token")).want(t, 401)
	call(t, "GET", usersURL+"?limit=1", "DPoP "+at, nil, "DPoP", dpopProof(t, otherDPoP, "GET", usersURL, "", at)).want(t, 401)
	proof := dpopProof(t, dpopKey, "GET", usersURL, "", at)
	call(t, "GET", usersURL+"?limit=1", "DPoP "+at, nil, "DPoP", proof).want(t, 200)
	call(t, "GET", usersURL+"?limit=1", "DPoP "+at, nil, "DPoP", proof).want(t, 401) // replayed proof
	call(t, "GET", usersURL+"?limit=1", "DPoP "+at, nil, "DPoP", dpopProof(t, dpopKey, "GET", usersURL, "", at)).want(t, 200)
}
