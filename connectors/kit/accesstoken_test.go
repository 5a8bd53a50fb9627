package kit

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

func TestAccessTokenOfClientCredentials(t *testing.T) {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"tok-123","token_type":"Bearer","expires_in":3600}`))
	}))
	defer srv.Close()
	c := &Connector{ID: "acctest", Title: "Access token test", BaseURL: srv.URL,
		Auth: []*AuthMethod{ClientCredentials("cc", srv.URL+"/token", "s"), APIToken("token", "Token", "", "Bearer ")}}
	conn := &engine.Connection{ID: "c1", Kind: "acctest", Config: map[string]any{CfgAuthMethod: AuthClientCredentials, CfgClientID: "id"},
		Secrets: map[string]string{SecClientSecret: "sec"}}
	cl, err := c.NewClient(conn, ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cl.AccessToken()
	if err != nil || tok != "tok-123" {
		t.Fatalf("AccessToken = %q, %v", tok, err)
	}
	if cl.Connector() != c {
		t.Error("Connector() is not the client's connector")
	}
	// the token is cached, and it is now a secret the client scrubs
	if tok, _ = cl.AccessToken(); tok != "tok-123" || n != 1 {
		t.Errorf("second call: %q after %d token requests", tok, n)
	}
	if s := cl.Scrub("echo tok-123"); s == "echo tok-123" {
		t.Error("the access token is not scrubbed")
	}
	// an API token connection has no OAuth access token
	conn2 := &engine.Connection{ID: "c2", Kind: "acctest", Config: map[string]any{CfgAuthMethod: AuthAPIToken}, Secrets: map[string]string{SecToken: "t"}}
	cl2, err := c.NewClient(conn2, ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := cl2.AccessToken(); tok != "" || err != nil {
		t.Errorf("API token: %q %v", tok, err)
	}
}
