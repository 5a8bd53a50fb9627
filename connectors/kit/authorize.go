package kit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	httpconn "github.com/flowbench/flowbench/connectors/http"
	"github.com/flowbench/flowbench/engine"
	"golang.org/x/oauth2"
)

// StoreToken puts an OAuth token into a connection's secrets.
func StoreToken(conn *engine.Connection, tok *oauth2.Token) error {
	b, err := json.Marshal(tok)
	if err != nil {
		return err
	}
	if conn.Secrets == nil {
		conn.Secrets = map[string]string{}
	}
	conn.Secrets[SecOAuthToken] = string(b)
	return nil
}

// Authorize runs the authorization code flow with PKCE for a connection
// whose method is OAuth2Code, over the loopback redirect the API Connector
// already has (connectors/http.Authorize): it returns the URL to open in a
// browser and wait, which stores the token in conn (StoreToken) once the
// browser comes back. Save conn afterwards.
func (c *Connector) Authorize(ctx context.Context, conn *engine.Connection) (string, func() error, error) {
	m, err := c.Method(conn)
	if err != nil {
		return "", nil, err
	}
	if m.ID != AuthOAuth2Code {
		return "", nil, fmt.Errorf("%s uses %s: nothing to authorize", conn.Name, m.Label)
	}
	oc := m.oauthConfig(conn, "")
	if oc.ClientID == "" {
		return "", nil, errors.New("the client ID is empty")
	}
	style := "header"
	if m.AuthStyle == oauth2.AuthStyleInParams {
		style = "params"
	}
	hc := &engine.Connection{ID: conn.ID, Kind: "http", Config: map[string]any{
		httpconn.CfgAuthType: httpconn.AuthCode, httpconn.CfgAuthURL: oc.Endpoint.AuthURL, httpconn.CfgTokenURL: oc.Endpoint.TokenURL,
		httpconn.CfgClientID: oc.ClientID, httpconn.CfgScopes: joinScopes(oc.Scopes), httpconn.CfgAuthStyle: style,
		httpconn.CfgRedirectPort: conn.Config[CfgRedirectPort]},
		Secrets: map[string]string{httpconn.SecClientSecret: oc.ClientSecret}}
	u, wait := httpconn.Authorize(ctx, hc)
	return u, func() error {
		tok, err := wait()
		if err != nil {
			return err
		}
		return StoreToken(conn, tok)
	}, nil
}

func joinScopes(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}
