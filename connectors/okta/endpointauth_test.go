package okta

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	_ "github.com/flowbench/flowbench/connectors/api"
	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
	"github.com/golang-jwt/jwt/v5"
)

// sandboxToken gets an access token from a sandbox org's authorization
// server with client_credentials.
func sandboxToken(t *testing.T, base, id, secret, scope string) string {
	t.Helper()
	return serverToken(t, base+"/oauth2/v1/token", id, secret, scope)
}

func serverToken(t *testing.T, tokenURL, id, secret, scope string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", tokenURL, strings.NewReader(url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || json.Unmarshal(b, &out) != nil || out.AccessToken == "" {
		t.Fatalf("token: %d %s", resp.StatusCode, b)
	}
	return out.AccessToken
}

// An API Endpoint flow secured with OAuth 2.0 accepts only access tokens of
// its connection's org (real sandbox authorization server and JWKS over
// loopback) that carry the required scope.
func TestOAuthEndpointWithSandboxOrg(t *testing.T) {
	e := newEvEnv(t)
	defer e.stop()
	api := httptest.NewServer(e.rt.EndpointHandler())
	defer api.Close()

	other, err := sandbox.New(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	otherURL, err := other.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	e.srv.RegisterSecretClient("narrow", "narrow-secret", []string{"okta.users.read"})

	f := &engine.Flow{Format: engine.FlowFormat, ID: "secure", Name: "Secure", Enabled: true, Settings: engine.Settings{History: true},
		Trigger: engine.Card{ID: "trigger", Type: trigger.TypeAPIEndpoint, Connection: "sandbox",
			Inputs:  []engine.Field{{Key: "security_level", Value: trigger.SecurityOAuth}},
			Outputs: []engine.Field{{Key: "name", Group: "body", Type: engine.T("string")}}},
		Cards: []engine.Card{{ID: "ret", Type: "flow.return", Inputs: []engine.Field{{Key: "hello", From: &engine.Binding{Card: "trigger", Path: []string{"name"}}}}}}}
	if err := e.st.PutFlow(f); err != nil {
		t.Fatal(err)
	}
	if err := e.rt.Sync(f); err != nil {
		t.Fatal(err)
	}
	good := sandboxToken(t, e.url, sandbox.CallerClientID, sandbox.CallerClientSecret, trigger.DefaultInvokeScope)
	cases := []struct {
		name, auth string
		status     int
		want       string
	}{
		{"token of the org with the scope", "Bearer " + good, 200, `{"hello":"Ada"}`},
		{"no token", "", 401, "missing access token"},
		{"not bearer", "SSWS " + sandbox.DefaultAPIToken, 401, "missing access token"},
		{"token without the scope", "Bearer " + sandboxToken(t, e.url, "narrow", "narrow-secret", "okta.users.read"), 403, "okta.workflows.invoke.manage"},
		{"token of another org", "Bearer " + sandboxToken(t, otherURL, sandbox.CallerClientID, sandbox.CallerClientSecret, trigger.DefaultInvokeScope), 401, "invalid_token"},
		{"tampered token", "Bearer " + good[:len(good)-4] + "AAAA", 401, "signature"},
		{"garbage", "Bearer abc.def", 401, "invalid_token"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", api.URL+"/api/flows/secure/invoke", strings.NewReader(`{"name":"Ada"}`))
			req.Header.Set("Content-Type", "application/json")
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.status || !strings.Contains(string(b), c.want) {
				t.Fatalf("%d %s, want %d with %q", resp.StatusCode, b, c.status, c.want)
			}
			if c.status != 200 && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Fatalf("WWW-Authenticate %q", resp.Header.Get("WWW-Authenticate"))
			}
		})
	}
	list := e.executions("secure")
	if len(list) != 1 {
		t.Fatalf("%d executions, want 1", len(list))
	}
	if b, _ := json.Marshal(list[0]); strings.Contains(string(b), good) {
		t.Fatal("access token recorded in history")
	}

	// the "default" custom authorization server: its own issuer and audience
	def := *f
	def.ID, def.Name = "secure-default", "Secure default"
	def.Trigger.Inputs = []engine.Field{{Key: "security_level", Value: trigger.SecurityOAuth}, {Key: "authServer", Value: "default"}}
	if err := e.st.PutFlow(&def); err != nil {
		t.Fatal(err)
	}
	if err := e.rt.Sync(&def); err != nil {
		t.Fatal(err)
	}
	defTok := serverToken(t, e.url+"/oauth2/default/v1/token", sandbox.CallerClientID, sandbox.CallerClientSecret, trigger.DefaultInvokeScope)
	for _, c := range []struct {
		tok    string
		status int
	}{{defTok, 200}, {good, 401}} {
		req, _ := http.NewRequest("POST", api.URL+"/api/flows/secure-default/invoke", strings.NewReader(`{"name":"Ada"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+c.tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("default server: %d %s, want %d", resp.StatusCode, b, c.status)
		}
	}
	// custom server tokens do not open Okta's management API
	req, _ := http.NewRequest("GET", e.url+"/api/v1/users?limit=1", nil)
	req.Header.Set("Authorization", "Bearer "+defTok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("management API with a custom server token: %d", resp.StatusCode)
	}
}

// jwksServer publishes one RSA key as a JWKS, like an Okta authorization server.
func jwksServer(t *testing.T, path string, key *rsa.PrivateKey, kid string) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": []any{map[string]any{"kty": "RSA", "alg": "RS256", "use": "sig", "kid": kid,
			"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()), "e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes())}}})
	})
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// VerifyAccessToken checks issuer, audience, expiry, signature and scope of
// tokens of the org server and of a custom authorization server.
func TestVerifyAccessToken(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	stranger, _ := rsa.GenerateKey(rand.Reader, 2048)
	srv := jwksServer(t, "/oauth2/default/v1/keys", key, "k1")
	conn := &engine.Connection{ID: "c", Kind: Kind.ID, Config: map[string]any{CfgDomain: srv.URL, CfgAuthMethod: AuthToken}, Secrets: map[string]string{SecAPIToken: "x"}}
	iss := srv.URL + "/oauth2/default"
	need := trigger.TokenRequirements{AuthServer: "default", Scope: "flows.invoke"}
	sign := func(k *rsa.PrivateKey, kid string, c jwt.MapClaims) string {
		tk := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
		tk.Header["kid"] = kid
		s, err := tk.SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	now := time.Now()
	claims := func(mod func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"iss": iss, "aud": "api://default", "exp": now.Add(time.Hour).Unix(), "iat": now.Unix(), "scp": []string{"flows.invoke", "other"}}
		if mod != nil {
			mod(c)
		}
		return c
	}
	cases := []struct {
		name   string
		token  string
		status int // 0: accepted
		want   string
	}{
		{"valid", sign(key, "k1", claims(nil)), 0, ""},
		{"scope as text", sign(key, "k1", claims(func(c jwt.MapClaims) { delete(c, "scp"); c["scope"] = "a flows.invoke" })), 0, ""},
		{"expired", sign(key, "k1", claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Hour).Unix() })), 401, "expired"},
		{"no expiry", sign(key, "k1", claims(func(c jwt.MapClaims) { delete(c, "exp") })), 401, ""},
		{"other issuer", sign(key, "k1", claims(func(c jwt.MapClaims) { c["iss"] = srv.URL })), 401, "not issued by " + iss},
		{"other audience", sign(key, "k1", claims(func(c jwt.MapClaims) { c["aud"] = "api://other" })), 401, "not meant for api://default"},
		{"unknown key", sign(stranger, "k2", claims(nil)), 401, "signature"},
		{"known kid, wrong key", sign(stranger, "k1", claims(nil)), 401, "signature"},
		{"scope missing", sign(key, "k1", claims(func(c jwt.MapClaims) { c["scp"] = []string{"other"} })), 403, "flows.invoke"},
		{"HS256 with the key id", func() string {
			tk := jwt.NewWithClaims(jwt.SigningMethodHS256, claims(nil))
			tk.Header["kid"] = "k1"
			s, _ := tk.SignedString([]byte("secret"))
			return s
		}(), 401, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := VerifyAccessToken(context.Background(), conn, need, c.token)
			if c.status == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var te *trigger.TokenError
			if !errors.As(err, &te) || te.Status != c.status || !strings.Contains(te.Desc, c.want) {
				t.Fatalf("error %v, want %d %q", err, c.status, c.want)
			}
		})
	}
	// the org authorization server: issuer and audience are the org URL
	org := jwksServer(t, "/oauth2/v1/keys", key, "k1")
	orgConn := &engine.Connection{ID: "o", Kind: Kind.ID, Config: map[string]any{CfgDomain: org.URL, CfgAuthMethod: AuthToken}, Secrets: map[string]string{SecAPIToken: "x"}}
	tok := sign(key, "k1", jwt.MapClaims{"iss": org.URL, "aud": org.URL, "exp": now.Add(time.Hour).Unix(), "scp": []string{trigger.DefaultInvokeScope}})
	if _, err := VerifyAccessToken(context.Background(), orgConn, trigger.TokenRequirements{AuthServer: "org", Scope: trigger.DefaultInvokeScope}, tok); err != nil {
		t.Fatalf("org server: %v", err)
	}
	// an unreachable key set is not the caller's fault
	dead := &engine.Connection{ID: "d", Kind: Kind.ID, Config: map[string]any{CfgDomain: "http://127.0.0.1:1", CfgAuthMethod: AuthToken}, Secrets: map[string]string{SecAPIToken: "x"}}
	_, err := VerifyAccessToken(context.Background(), dead, need, tok)
	var te *trigger.TokenError
	if err == nil || errors.As(err, &te) {
		t.Fatalf("unreachable server: %v", err)
	}
}

// BenchmarkVerifyAccessToken: one OAuth 2.0 endpoint request's token check
// with the key set cached (RS256 signature, claims, scope).
func BenchmarkVerifyAccessToken(b *testing.B) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	t := &testing.T{}
	srv := jwksServer(t, "/oauth2/v1/keys", key, "k1")
	defer srv.Close()
	conn := &engine.Connection{ID: "bench", Kind: Kind.ID, Config: map[string]any{CfgDomain: srv.URL, CfgAuthMethod: AuthToken}, Secrets: map[string]string{SecAPIToken: "x"}}
	tk := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": srv.URL, "aud": srv.URL, "exp": time.Now().Add(time.Hour).Unix(), "scp": []string{trigger.DefaultInvokeScope}})
	tk.Header["kid"] = "k1"
	tok, _ := tk.SignedString(key)
	need := trigger.TokenRequirements{AuthServer: "org", Scope: trigger.DefaultInvokeScope}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := VerifyAccessToken(context.Background(), conn, need, tok); err != nil {
			b.Fatal(err)
		}
	}
}
