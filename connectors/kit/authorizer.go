package kit

import (
	"context"
	"fmt"
	"sync"

	"github.com/flowbench/flowbench/engine"
)

// Authorizer runs an OAuth 2.0 authorization code flow for a connection:
// the URL to open in a browser, and wait, which stores the token in conn
// once the browser comes back (save conn afterwards).
type Authorizer func(ctx context.Context, conn *engine.Connection) (url string, wait func() error, err error)

var (
	authzMu sync.RWMutex
	authz   = map[string]Authorizer{}
)

// RegisterAuthorizer declares the Authorize of a connection kind that is
// not a kit.Connector (Google's per-user delegation); Register does it for
// every kit.Connector with an OAuth2Code method.
func RegisterAuthorizer(kind string, a Authorizer) {
	authzMu.Lock()
	authz[kind] = a
	authzMu.Unlock()
}

// Authorize starts the authorization of a connection of any kind that has one.
func Authorize(ctx context.Context, conn *engine.Connection) (string, func() error, error) {
	authzMu.RLock()
	a, ok := authz[conn.Kind]
	authzMu.RUnlock()
	if !ok {
		return "", nil, fmt.Errorf("%s connections have no OAuth 2.0 authorization", conn.Kind)
	}
	return a(ctx, conn)
}
