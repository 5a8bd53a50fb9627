package okta

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

func lastStep(r *engine.TestReport) engine.TestStep {
	if len(r.Steps) == 0 {
		return engine.TestStep{}
	}
	return r.Steps[len(r.Steps)-1]
}

func TestConnectionLadder(t *testing.T) {
	tn := startTenant(t, sandbox.Config{}, true)
	srv, base := tn.srv, tn.url
	privPEM, pubJWK, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if pubJWK["kid"] == "" || pubJWK["kty"] != "RSA" || pubJWK["d"] != nil {
		t.Fatalf("public JWK: %v", pubJWK)
	}
	all := []string{"okta.users.read", "okta.users.manage", "okta.groups.read", "okta.orgs.read"}
	if err := srv.RegisterOAuthClient("0oaflowbench", pubJWK, all); err != nil {
		t.Fatal(err)
	}
	if err := srv.RegisterOAuthClient("0oadpop", pubJWK, all, sandbox.WithDPoP()); err != nil {
		t.Fatal(err)
	}
	if err := srv.RegisterOAuthClient("0oanorole", pubJWK, all, sandbox.WithRoleLacksPermission()); err != nil {
		t.Fatal(err)
	}
	srv.RegisterSecretClient("0oasecret", "s3cr3t-client-secret", all)
	// an EC key as a JWK with its private members
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecJWK := publicJWKOf(&ec.PublicKey)
	if err := srv.RegisterOAuthClient("0oaec", ecJWK, all); err != nil {
		t.Fatal(err)
	}
	ecPriv := map[string]any{"kty": "EC", "crv": "P-256", "x": ecJWK["x"], "y": ecJWK["y"], "d": b64u(ec.D.FillBytes(make([]byte, 32)))}
	ecPrivJSON, _ := json.Marshal(ecPriv)
	// an SEC 1 PEM of the same EC key
	ecDER, _ := x509.MarshalECPrivateKey(ec)
	ecPEM := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecDER}))

	notOkta := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }))
	defer notOkta.Close()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	down := "http://" + ln.Addr().String()
	ln.Close()

	scopes := strings.Join(all, " ")
	pk := func(client string, key string, extra map[string]any) *engine.Connection {
		cfg := map[string]any{CfgDomain: base, CfgAuthMethod: AuthPrivateKey, CfgClientID: client, CfgScopes: scopes}
		for k, v := range extra {
			cfg[k] = v
		}
		return &engine.Connection{ID: "c-" + client, Kind: "okta", Config: cfg, Secrets: map[string]string{SecPrivateKey: key}}
	}
	tok := func(domain, token string) *engine.Connection {
		return &engine.Connection{ID: "t", Kind: "okta", Config: map[string]any{CfgDomain: domain, CfgAuthMethod: AuthToken},
			Secrets: map[string]string{SecAPIToken: token}}
	}
	limited := srv.CreateAPIToken("groups only", "okta.groups.read")
	for _, tc := range []struct {
		name     string
		conn     *engine.Connection
		ok       bool
		step     string
		code     string
		status   int
		msg      string // in the failing step's message or hint
		infoKeys []string
	}{
		{name: "token ok", conn: tok(base, sandbox.DefaultAPIToken), ok: true, infoKeys: []string{"orgId", "orgName", "actingAs", "rateLimit"}},
		{name: "private key ok", conn: pk("0oaflowbench", privPEM, nil), ok: true, infoKeys: []string{"orgId", "scopes", "rateLimit"}},
		{name: "EC JWK ok", conn: pk("0oaec", string(ecPrivJSON), nil), ok: true},
		{name: "EC PEM ok", conn: pk("0oaec", ecPEM, nil), ok: true},
		{name: "client secret ok", conn: &engine.Connection{ID: "s", Kind: "okta", Config: map[string]any{CfgDomain: base,
			CfgAuthMethod: AuthClientSecret, CfgClientID: "0oasecret", CfgScopes: scopes}, Secrets: map[string]string{SecClientSecret: "s3cr3t-client-secret"}}, ok: true},
		{name: "DPoP nonce dance", conn: pk("0oadpop", privPEM, map[string]any{CfgDPoP: true}), ok: true},
		{name: "DPoP required but off", conn: pk("0oadpop", privPEM, nil), step: StepToken, code: "invalid_dpop_proof", msg: "Require DPoP"},
		{name: "bad domain text", conn: tok("ftp://acme.okta.com", "x"), step: StepSettings, msg: "org domain"},
		{name: "http outside loopback", conn: tok("http://acme.okta.com", "x"), step: StepSettings, msg: "https"},
		{name: "wrong domain (not Okta)", conn: tok(notOkta.URL, "x"), step: StepDiscovery, status: 404, msg: "not an Okta org"},
		{name: "tenant down", conn: tok(down, "x"), step: StepDiscovery, msg: "connection refused"},
		{name: "bad token", conn: tok(base, "00NotARealTokenAtAll000000000000"), step: StepRead, status: 401, code: "E0000011", msg: "Create a new token"},
		{name: "token lacks permission", conn: tok(base, limited), step: StepRead, status: 403, code: "E0000006", msg: "role lacks permission"},
		{name: "role lacks permission", conn: pk("0oanorole", privPEM, nil), step: StepRead, status: 403, code: "E0000006", msg: "Assign an admin role"},
		{name: "missing scope", conn: pk("0oaflowbench", privPEM, map[string]any{CfgScopes: "okta.users.read okta.apps.manage"}), step: StepToken, code: "invalid_scope", msg: "Grant the missing scopes"},
		{name: "unknown client", conn: pk("0oanobody", privPEM, nil), step: StepToken, code: "invalid_client", msg: "public key"},
		{name: "wrong key", conn: pk("0oaec", privPEM, nil), step: StepToken, code: "invalid_client"},
		{name: "malformed PEM", conn: pk("0oaflowbench", "-----BEGIN PRIVATE KEY-----\nnot base64!!\n-----END PRIVATE KEY-----", nil), step: StepSettings, msg: "PEM"},
		{name: "malformed key bytes", conn: pk("0oaflowbench", "-----BEGIN PRIVATE KEY-----\nAAAAAAAAAAAA\n-----END PRIVATE KEY-----", nil), step: StepSettings, msg: "malformed"},
		{name: "not a key", conn: pk("0oaflowbench", "hello", nil), step: StepSettings, msg: "not PEM"},
		{name: "public JWK only", conn: pk("0oaflowbench", mustJSON(pubJWK), nil), step: StepSettings, msg: "public key"},
		{name: "wrong client secret", conn: &engine.Connection{ID: "s2", Kind: "okta", Config: map[string]any{CfgDomain: base,
			CfgAuthMethod: AuthClientSecret, CfgClientID: "0oasecret", CfgScopes: scopes}, Secrets: map[string]string{SecClientSecret: "nope"}}, step: StepToken, code: "invalid_client"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := TestConnectionWith(context.Background(), tc.conn, ClientOptions{Transport: tn.rec})
			js, _ := json.Marshal(rep)
			for _, s := range tc.conn.Secrets {
				if len(s) > 8 && strings.Contains(string(js), s) {
					t.Fatalf("secret in report: %s", js)
				}
			}
			if rep.OK != tc.ok {
				t.Fatalf("ok=%v: %s", rep.OK, js)
			}
			for _, k := range tc.infoKeys {
				if rep.Info[k] == nil {
					t.Errorf("info lacks %s: %s", k, js)
				}
			}
			if tc.ok {
				for _, s := range rep.Steps {
					if !s.OK {
						t.Fatalf("step %s failed in a passing report: %s", s.Name, js)
					}
				}
				return
			}
			ls := lastStep(rep)
			if ls.OK || ls.Name != tc.step || (tc.code != "" && ls.Code != tc.code) || (tc.status != 0 && ls.Status != tc.status) ||
				!strings.Contains(ls.Message+" "+ls.Hint, tc.msg) || ls.Hint == "" {
				t.Fatalf("last step %+v; want step %s code %s status %d mentioning %q", ls, tc.step, tc.code, tc.status, tc.msg)
			}
		})
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// OAuth connections drive cards too (token cached, DPoP proofs per call).
func TestCardsWithOAuth(t *testing.T) {
	tn := startTenant(t, sandbox.Config{}, true)
	privPEM, pubJWK, _ := GenerateKey()
	all := []string{"okta.users.read", "okta.users.manage"}
	if err := tn.srv.RegisterOAuthClient("0oadpop", pubJWK, all, sandbox.WithDPoP()); err != nil {
		t.Fatal(err)
	}
	tn.conn.Config = map[string]any{CfgDomain: tn.url, CfgAuthMethod: AuthPrivateKey, CfgClientID: "0oadpop",
		CfgScopes: "okta.users.read okta.users.manage", CfgDPoP: true}
	tn.conn.Secrets = map[string]string{SecPrivateKey: privPEM}
	for i := 0; i < 3; i++ {
		out := mustCard(t, tn, "okta.readUser", map[string]any{"ID or Login": "alice.nguyen@example.com"})
		if out["login"] != "alice.nguyen@example.com" {
			t.Fatal(asJSON(out))
		}
	}
	tokens := 0
	for _, x := range tn.rec.exchanges() {
		if strings.HasSuffix(x.URL, "/oauth2/v1/token") && x.Status == 200 {
			tokens++
		}
		if strings.Contains(x.URL, "/api/v1/") && (!strings.HasPrefix(x.ReqHeader.Get("Authorization"), "DPoP ") || x.ReqHeader.Get("DPoP") == "") {
			t.Fatalf("API call without DPoP: %v", x.ReqHeader)
		}
	}
	if tokens != 1 {
		t.Fatalf("%d tokens fetched; want 1 (cached)", tokens)
	}
}

func TestNormalizeDomain(t *testing.T) {
	for in, want := range map[string]string{
		"acme.okta.com":                "https://acme.okta.com",
		"https://acme.okta.com/":       "https://acme.okta.com",
		"https://acme-admin.okta.com/": "https://acme.okta.com",
		" acme-admin.oktapreview.com ": "https://acme.oktapreview.com",
		"http://127.0.0.1:8080":        "http://127.0.0.1:8080",
		"http://localhost:9":           "http://localhost:9",
		"login.example.com":            "https://login.example.com",
	} {
		got, err := NormalizeDomain(in)
		if err != nil || got != want {
			t.Errorf("%q → %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "http://acme.okta.com", "ftp://x"} {
		if _, err := NormalizeDomain(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// The validator the recorder uses rejects a request no Okta operation
// describes, so a card calling a made-up endpoint fails the fidelity checks.
func TestFidelityRejectsUnknownOperation(t *testing.T) {
	v := sandbox.OpenAPIValidator(t)
	req := httptest.NewRequest("GET", "http://127.0.0.1:1/api/v1/usersx/abc", nil)
	if err := v.Check(req, nil, nil, nil); err == nil {
		t.Fatal("unknown operation passed validation")
	}
	req = httptest.NewRequest("GET", "http://127.0.0.1:1/api/v1/users?limit=1", nil)
	if err := v.Check(req, nil, nil, nil); err != nil {
		t.Fatalf("known operation failed: %v", err)
	}
}

func TestClockSkewHint(t *testing.T) {
	s := &settings{base: "https://acme.okta.com", method: AuthPrivateKey}
	st := tokenStep(&TokenError{Status: 401, Code: "invalid_client", Skew: 7 * time.Minute}, s, 0)
	if !strings.Contains(st.Hint, "clock") || st.Code != "invalid_client" {
		t.Fatalf("%+v", st)
	}
}
