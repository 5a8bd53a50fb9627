package httpx

import (
	"net/http"
	"sync"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// ClientCache keeps one client per connection and base transport, built
// again when the connection's settings, secrets or update time change.
// Connector cards look their client up on every call, so the check is a
// string compare of a reflection-free fingerprint.
type ClientCache[T any] struct {
	mu sync.Mutex
	m  map[clientKey]cachedClient[T]
}

type clientKey struct {
	id string
	rt http.RoundTripper
}

type cachedClient[T any] struct {
	fp     string
	client T
}

// Get returns the cached client of conn (nil: no connection) or builds one.
func (cc *ClientCache[T]) Get(conn *engine.Connection, rt http.RoundTripper, build func() (T, error)) (T, error) {
	k, fp := clientKey{rt: rt}, ""
	if conn != nil {
		k.id, fp = conn.ID, Fingerprint(conn)
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if e, ok := cc.m[k]; ok && e.fp == fp {
		return e.client, nil
	}
	c, err := build()
	if err != nil {
		var zero T
		return zero, err
	}
	if cc.m == nil {
		cc.m = map[clientKey]cachedClient[T]{}
	}
	cc.m[k] = cachedClient[T]{fp: fp, client: c} // replaces the previous version
	return c, nil
}

// Fingerprint identifies a connection version: its config, secrets and
// update time.
func Fingerprint(c *engine.Connection) string {
	b := engine.AppendValue(nil, c.Config)
	sec := make(map[string]any, len(c.Secrets))
	for k, v := range c.Secrets {
		sec[k] = v
	}
	b = engine.AppendValue(b, sec)
	return string(c.Updated.AppendFormat(b, time.RFC3339Nano))
}
