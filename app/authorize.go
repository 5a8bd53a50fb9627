package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	httpconn "github.com/flowbench/flowbench/connectors/http"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// The API Connector's authorization code flow is reachable like every
// kit connector's (kit.Authorize by connection kind).
func init() {
	kit.RegisterAuthorizer("http", func(ctx context.Context, conn *engine.Connection) (string, func() error, error) {
		if engine.ToText(conn.Config[httpconn.CfgAuthType]) != httpconn.AuthCode {
			return "", nil, fmt.Errorf("%s does not use OAuth 2.0 authorization code: nothing to authorize", conn.Name)
		}
		u, wait := httpconn.Authorize(ctx, conn)
		if u == "" {
			_, err := wait()
			return "", nil, err
		}
		return u, func() error {
			tok, err := wait()
			if err != nil {
				return err
			}
			return httpconn.StoreToken(conn, tok)
		}, nil
	})
}

// authorizeWait bounds how long a started authorization waits for the browser.
const authorizeWait = 10 * time.Minute

// AuthorizeConnection starts the OAuth 2.0 authorization code flow (PKCE,
// loopback redirect) of a saved connection that uses it and returns the
// address to open in a browser. When the browser comes back with the code,
// the token is stored in the connection's encrypted secrets (test the
// connection then); refreshed tokens are written back as cards use them.
func (a *App) AuthorizeConnection(id string) (string, error) {
	c, err := a.Store.Connection(a.ctx, id)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(a.ctx, authorizeWait)
	u, wait, err := kit.Authorize(ctx, c)
	if err != nil {
		cancel()
		return "", err
	}
	if u == "" {
		cancel()
		return "", errors.New("the authorization could not start")
	}
	go func() {
		defer cancel()
		if err := wait(); err != nil {
			fmt.Fprintf(a.opt.Out, "flowbench: authorizing %s: %v\n", c.Name, err)
			return
		}
		// re-read: only the token changes, whatever was edited meanwhile
		cur, err := a.Store.Connection(context.Background(), id)
		if err != nil {
			return
		}
		if cur.Secrets == nil {
			cur.Secrets = map[string]string{}
		}
		for _, k := range []string{kit.SecOAuthToken, httpconn.SecToken} {
			if v, ok := c.Secrets[k]; ok && v != "" {
				cur.Secrets[k] = v
			}
		}
		cur.Updated = time.Now().UTC()
		if err := a.Store.PutConnection(cur); err != nil {
			fmt.Fprintf(a.opt.Out, "flowbench: authorizing %s: storing the token: %v\n", c.Name, err)
		}
	}()
	return u, nil
}
