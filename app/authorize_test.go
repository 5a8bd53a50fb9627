package app

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	httpconn "github.com/flowbench/flowbench/connectors/http"
	"github.com/flowbench/flowbench/engine"
)

// TestAuthorizeConnection: the Connections page's Authorize runs the
// authorization code flow with PKCE over the loopback redirect and stores
// the token in the connection; a connection without that method says so.
func TestAuthorizeConnection(t *testing.T) {
	var challenge string
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/authorize": // the person approves at once
			q := r.URL.Query()
			challenge = q.Get("code_challenge")
			http.Redirect(w, r, q.Get("redirect_uri")+"?code=c0de&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
		case "/token":
			_ = r.ParseForm()
			if r.PostForm.Get("code") != "c0de" || r.PostForm.Get("code_verifier") == "" {
				http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"access_token":"at-1","token_type":"Bearer","refresh_token":"rt-1","expires_in":3600}`)
		}
	}))
	defer idp.Close()
	a, err := Open(t.Context(), Options{DataDir: t.TempDir(), Out: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	c, err := a.SaveConnection(&engine.Connection{Name: "Acme API", Kind: "http", Config: map[string]any{
		httpconn.CfgAuthType: httpconn.AuthCode, httpconn.CfgAuthURL: idp.URL + "/authorize", httpconn.CfgTokenURL: idp.URL + "/token",
		httpconn.CfgClientID: "cid"}, Secrets: map[string]string{httpconn.SecClientSecret: "cs"}})
	if err != nil {
		t.Fatal(err)
	}
	u, err := a.AuthorizeConnection(c.ID)
	if err != nil || !strings.Contains(u, "code_challenge_method=S256") {
		t.Fatalf("authorize URL %q: %v", u, err)
	}
	resp, err := http.Get(u) // the browser: the IdP redirects to Flowbench's loopback callback
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if challenge == "" {
		t.Fatal("no PKCE challenge sent")
	}
	var tok string
	for deadline := time.Now().Add(10 * time.Second); tok == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		got, err := a.Store.Connection(t.Context(), c.ID)
		if err == nil {
			tok = got.Secrets[httpconn.SecToken]
		}
	}
	if !strings.Contains(tok, `"access_token":"at-1"`) || !strings.Contains(tok, `"refresh_token":"rt-1"`) {
		t.Fatalf("stored token %q", tok)
	}
	if pub, _ := a.ListConnections(); strings.Contains(fmt.Sprint(pub), "at-1") {
		t.Fatal("the token is listed")
	}

	plain, _ := a.SaveConnection(&engine.Connection{Name: "Plain", Kind: "http", Config: map[string]any{httpconn.CfgAuthType: httpconn.AuthNone}})
	if _, err := a.AuthorizeConnection(plain.ID); err == nil || !strings.Contains(err.Error(), "nothing to authorize") {
		t.Fatalf("no-auth connection: %v", err)
	}
}
