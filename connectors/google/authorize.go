package google

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	httpconn "github.com/flowbench/flowbench/connectors/http"
	"github.com/flowbench/flowbench/engine"
)

// Authorize runs the OAuth 2.0 authorization code flow with PKCE for a
// connection whose method is the authorization code, over the API
// Connector's loopback redirect: it returns the URL to open in a browser
// and wait, which stores the token in conn's secrets once the browser
// comes back (save conn afterwards). The scopes are every scope the cards
// use; Google's consent screen lists them.
func Authorize(ctx context.Context, conn *engine.Connection) (string, func() error, error) {
	if authMethod(conn) != AuthCode {
		return "", nil, errors.New("this Google connection uses a service account: nothing to authorize")
	}
	if cfg(conn, CfgClientID) == "" {
		return "", nil, errors.New("the OAuth client ID is empty")
	}
	hc := &engine.Connection{ID: conn.ID, Kind: "http", Config: map[string]any{
		httpconn.CfgAuthType: httpconn.AuthCode, httpconn.CfgAuthURL: authURL(conn), httpconn.CfgTokenURL: tokenURL(conn),
		httpconn.CfgClientID: cfg(conn, CfgClientID), httpconn.CfgScopes: strings.Join(append([]string{"openid", "email"}, AllScopes()...), " "),
		httpconn.CfgAuthStyle: "params", httpconn.CfgRedirectPort: conn.Config[CfgRedirectPort]},
		Secrets: map[string]string{httpconn.SecClientSecret: conn.Secrets[SecClientSecret]}}
	u, wait := httpconn.Authorize(ctx, hc)
	return u, func() error {
		tok, err := wait()
		if err != nil {
			return err
		}
		b, err := json.Marshal(tok)
		if err != nil {
			return err
		}
		if conn.Secrets == nil {
			conn.Secrets = map[string]string{}
		}
		conn.Secrets[SecToken] = string(b)
		return nil
	}, nil
}
