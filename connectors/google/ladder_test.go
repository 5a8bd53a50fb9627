package google_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/fakeapi"
	"github.com/flowbench/flowbench/connectors/google"
	"github.com/flowbench/flowbench/connectors/google/fake"
	"github.com/flowbench/flowbench/engine"
	"golang.org/x/oauth2"
)

func steps(rep *engine.TestReport) string {
	var b []string
	for _, s := range rep.Steps {
		ok := "ok"
		if !s.OK {
			ok = "FAIL"
		}
		b = append(b, s.Name+":"+ok)
	}
	return strings.Join(b, " ")
}

func last(rep *engine.TestReport) engine.TestStep { return rep.Steps[len(rep.Steps)-1] }

func TestLadderServiceAccount(t *testing.T) {
	f := fake.New(fake.Config{})
	srv := httptest.NewServer(f)
	defer srv.Close()
	conn := f.Connection(srv.URL)
	rep := google.TestConnection(context.Background(), conn)
	if !rep.OK || steps(rep) != "settings:ok token:ok identity:ok scopes:ok" {
		t.Fatalf("ladder: %s %+v", steps(rep), rep.Steps)
	}
	if rep.Info["admin"] != f.AdminEmail() {
		t.Errorf("info: %v", rep.Info)
	}

	// the key is deleted in the Cloud console: the token rung says so and
	// what to do; cards with a token from before are refused
	h := newEnv(t)
	h.run(t, "googledirectory:readUser", map[string]any{"User ID": "alice.nguyen@example.com"})
	h.fake.DeleteKey(true)
	if _, _, err := h.h.Card(t, "googledirectory:readUser", map[string]any{"User ID": "alice.nguyen@example.com"}); err == nil ||
		!strings.Contains(err.Error(), "reconnect") {
		t.Errorf("card after the key was deleted: %v", err)
	}
	f.DeleteKey(true)
	rep = google.TestConnection(context.Background(), conn)
	if steps(rep) != "settings:ok token:FAIL" || !strings.Contains(last(rep).Message, "Invalid JWT Signature") || !strings.Contains(last(rep).Hint, "new JSON key") {
		t.Errorf("deleted key: %s %+v", steps(rep), last(rep))
	}
	f.DeleteKey(false)

	// missing scopes: the rung names them and the fix
	f.SetScopes(fake.DefaultScopes[:6])
	rep = google.TestConnection(context.Background(), conn)
	if rep.OK || steps(rep) != "settings:ok token:ok identity:ok scopes:FAIL" || !strings.Contains(last(rep).Message, "Gmail") ||
		!strings.Contains(last(rep).Hint, "Domain-wide delegation") {
		t.Errorf("scopes: %s %+v", steps(rep), last(rep))
	}
	f.SetScopes(fake.DefaultScopes)

	// a key the fake does not know (deleted key): invalid signature
	other := *conn
	other.Secrets = map[string]string{"serviceAccountKey": strings.Replace(conn.Secrets["serviceAccountKey"], "MII", "MIJ", 1)}
	rep = google.TestConnection(context.Background(), &other)
	if rep.OK || rep.Steps[0].OK {
		t.Errorf("broken key passed settings: %s", steps(rep))
	}

	// a well-formed key that is not the service account's (a deleted or
	// foreign key): the fake checks the assertion's signature
	pk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(pk)
	var key map[string]string
	_ = json.Unmarshal([]byte(conn.Secrets["serviceAccountKey"]), &key)
	key["private_key"] = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	kb, _ := json.Marshal(key)
	other.Secrets = map[string]string{"serviceAccountKey": string(kb)}
	rep = google.TestConnection(context.Background(), &other)
	if steps(rep) != "settings:ok token:FAIL" || !strings.Contains(last(rep).Message, "Invalid JWT Signature") ||
		!strings.Contains(last(rep).Hint, "new JSON key") {
		t.Errorf("foreign key: %s %+v", steps(rep), last(rep))
	}

	// an admin that does not exist
	bad := *conn
	bad.Config = map[string]any{}
	for k, v := range conn.Config {
		bad.Config[k] = v
	}
	bad.Config["subject"] = "gone@example.com"
	rep = google.TestConnection(context.Background(), &bad)
	if steps(rep) != "settings:ok token:FAIL" || last(rep).Code != "invalid_grant" || !strings.Contains(last(rep).Hint, "gone@example.com") {
		t.Errorf("unknown admin: %s %+v", steps(rep), last(rep))
	}

	// a user that is not an admin
	bad.Config["subject"] = "bob.martinez@example.com"
	rep = google.TestConnection(context.Background(), &bad)
	if steps(rep) != "settings:ok token:ok identity:FAIL" {
		t.Errorf("non-admin: %s %+v", steps(rep), last(rep))
	}

	// no key at all
	rep = google.TestConnection(context.Background(), &engine.Connection{Kind: "google", Config: map[string]any{"subject": "a@b.c"}})
	if steps(rep) != "settings:FAIL" || !strings.Contains(last(rep).Hint, "JSON key") {
		t.Errorf("no key: %s %+v", steps(rep), last(rep))
	}
}

// authorize runs the fake's authorization code flow with PKCE and returns
// an OAuth connection holding the token.
func authorize(t *testing.T, base string) *engine.Connection {
	t.Helper()
	oc := &oauth2.Config{ClientID: "flowbench-desktop", ClientSecret: "s3cret", RedirectURL: "http://127.0.0.1:1/callback",
		Scopes: google.AllScopes(), Endpoint: oauth2.Endpoint{AuthURL: base + "/o/oauth2/v2/auth", TokenURL: base + "/token", AuthStyle: oauth2.AuthStyleInParams}}
	verifier := oauth2.GenerateVerifier()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(oc.AuthCodeURL("st4te", oauth2.S256ChallengeOption(verifier)))
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("state") != "st4te" {
		t.Fatalf("redirect: %v", loc)
	}
	tok, err := oc.Exchange(context.Background(), loc.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(tok)
	return &engine.Connection{ID: "oauth", Kind: "google", Config: map[string]any{"authMethod": "oauth2AuthCode", "clientId": "flowbench-desktop", "baseUrl": base},
		Secrets: map[string]string{"clientSecret": "s3cret", "oauthToken": string(b)}}
}

func TestLadderOAuthRevokedToken(t *testing.T) {
	f := fake.New(fake.Config{})
	srv := httptest.NewServer(f)
	defer srv.Close()
	conn := authorize(t, srv.URL)
	rep := google.TestConnection(context.Background(), conn)
	if !rep.OK || steps(rep) != "settings:ok token:ok identity:ok" || rep.Info["user"] != f.AdminEmail() {
		t.Fatalf("oauth ladder: %s %+v", steps(rep), rep.Steps)
	}
	// a wrong PKCE verifier is refused by the fake's token endpoint
	resp, err := http.PostForm(srv.URL+"/token", url.Values{"grant_type": {"authorization_code"}, "code": {"4/unknown"}, "code_verifier": {"x"}})
	if err != nil || resp.StatusCode != 400 {
		t.Errorf("unknown code: %v %v", err, resp.StatusCode)
	}

	// the admin revokes the app's access; the still-unexpired access token is refused
	f.RevokeAll()
	rep = google.TestConnection(context.Background(), conn)
	if rep.OK || !strings.Contains(last(rep).Message, "token revoked: reconnect") {
		t.Errorf("revoked access token: %s %+v", steps(rep), last(rep))
	}
	// once the access token expired, the refresh is refused: explained on the token rung
	var tok oauth2.Token
	_ = json.Unmarshal([]byte(conn.Secrets["oauthToken"]), &tok)
	tok.Expiry = time.Now().Add(-time.Hour)
	b, _ := json.Marshal(tok)
	conn.Secrets["oauthToken"] = string(b)
	rep = google.TestConnection(context.Background(), conn)
	if steps(rep) != "settings:ok token:FAIL" || !strings.Contains(last(rep).Message, "token revoked: reconnect") || last(rep).Code != "invalid_grant" {
		t.Errorf("revoked refresh token: %s %+v", steps(rep), last(rep))
	}
}

func TestAuthorizeStoresToken(t *testing.T) {
	f := fake.New(fake.Config{})
	srv := httptest.NewServer(f)
	defer srv.Close()
	conn := &engine.Connection{ID: "g", Kind: "google", Config: map[string]any{"authMethod": "oauth2AuthCode", "clientId": "desk", "baseUrl": srv.URL},
		Secrets: map[string]string{"clientSecret": "s"}}
	u, wait, err := google.Authorize(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(u) // the fake's consent page approves and redirects to the loopback callback
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize page: %v %v", err, resp)
	}
	cb, err := http.Get(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	cb.Body.Close()
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	if conn.Secrets["oauthToken"] == "" {
		t.Fatal("no token stored")
	}
	if rep := google.TestConnection(context.Background(), conn); !rep.OK {
		t.Errorf("after authorize: %s %+v", steps(rep), rep.Steps)
	}
	// a service account connection has nothing to authorize
	if _, _, err := google.Authorize(context.Background(), &engine.Connection{Config: map[string]any{}}); err == nil {
		t.Error("service account authorized")
	}
}

type saver struct{ saved []*engine.Connection }

func (s *saver) PutConnection(c *engine.Connection) error { s.saved = append(s.saved, c); return nil }

func TestRefreshedTokenIsStored(t *testing.T) {
	f := fake.New(fake.Config{})
	srv := httptest.NewServer(f)
	defer srv.Close()
	conn := authorize(t, srv.URL)
	var tok oauth2.Token
	_ = json.Unmarshal([]byte(conn.Secrets["oauthToken"]), &tok)
	tok.Expiry = time.Now().Add(-time.Minute) // due for a refresh
	b, _ := json.Marshal(tok)
	conn.Secrets["oauthToken"] = string(b)
	h := fakeapi.NewHarness(t, f, nil, func(string) *engine.Connection { return conn })
	sv := &saver{}
	h.Exec.Services["connections"] = sv
	if _, _, err := h.Card(t, "gmail:hTTPRequest", map[string]any{"Relative URL": "users/me/profile"}); err != nil {
		t.Fatal(err)
	}
	if len(sv.saved) != 1 {
		t.Fatalf("saved %d times", len(sv.saved))
	}
	var got oauth2.Token
	_ = json.Unmarshal([]byte(sv.saved[0].Secrets["oauthToken"]), &got)
	if got.AccessToken == "" || got.AccessToken == tok.AccessToken || got.RefreshToken != tok.RefreshToken || !got.Expiry.After(time.Now()) {
		t.Errorf("stored token: %+v (was %+v)", got, tok)
	}
}
