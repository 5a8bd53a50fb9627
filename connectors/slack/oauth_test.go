package slack

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/kit/kittest"
	"github.com/flowbench/flowbench/connectors/slack/fake"
	"github.com/flowbench/flowbench/engine"
)

// TestOAuthInstall: "OAuth 2.0 (install the Slack app)" against the fake:
// Authorize gives the fake's authorize page (the connection's API address
// moves the vendor's OAuth endpoints too), the code comes back to the
// loopback redirect and is exchanged with its PKCE verifier, the token is
// stored in the connection, cards and the ladder work with it.
func TestOAuthInstall(t *testing.T) {
	h := kittest.Start(t, Connector, kittest.Options{Spec: spec(t), Connection: func(c *engine.Connection) {
		c.Config[kit.CfgAuthMethod] = kit.AuthOAuth2Code
		c.Config[kit.CfgClientID] = fake.ClientID
		c.Secrets = map[string]string{kit.SecClientSecret: fake.ClientSecret}
	}})
	u, wait, err := Connector.Authorize(context.Background(), h.Conn)
	if err != nil || !strings.HasPrefix(u, h.URL+"/oauth/v2/authorize?") || !strings.Contains(u, "code_challenge=") {
		t.Fatalf("authorize URL %q: %v", u, err)
	}
	resp, err := http.Get(u) // the browser: Allow, then back to Flowbench's loopback redirect
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := wait(); err != nil {
		t.Fatalf("code exchange: %v", err)
	}
	if !strings.Contains(h.Conn.Secrets[kit.SecOAuthToken], "xoxb-") {
		t.Fatalf("stored token %q", h.Conn.Secrets[kit.SecOAuthToken])
	}
	if err := h.PutConnection(h.Conn); err != nil {
		t.Fatal(err)
	}
	rep := Connector.TestWith(context.Background(), h.Conn, kit.ClientOptions{Transport: h.Rec})
	if !rep.OK {
		t.Fatalf("ladder with the installed token: %+v", rep.Steps)
	}
	out := h.MustRun("slack:sendMessageToChannel2", map[string]any{"channel": "C0FBGENERAL", "Text": "installed"})
	if out["Timestamp"] == nil {
		t.Fatalf("post: %v", out)
	}
	// a wrong client secret is named at the token rung
	bad := *h.Conn
	bad.Secrets = map[string]string{kit.SecClientSecret: "nope", kit.SecOAuthToken: `{"access_token":"x","refresh_token":"xoxe-1-nope","expiry":"2000-01-01T00:00:00Z"}`}
	rep = Connector.TestWith(context.Background(), &bad, kit.ClientOptions{Transport: h.Rec})
	if rep.OK || rep.Steps[len(rep.Steps)-1].Name != kit.StepToken {
		t.Fatalf("expired token with a wrong secret: %+v", rep.Steps)
	}
}
