package engine

import (
	"context"
	"maps"
	"slices"
	"time"
)

// Connection is an account on an outside app. Config holds what may be shown
// and exported (domain, auth method, scopes); Secrets holds tokens and keys,
// which live only in the encrypted store and never in exports, history or logs.
type Connection struct {
	ID      string            `json:"id"`
	Name    string            `json:"name"`
	Kind    string            `json:"kind"` // "okta", "http"
	Config  map[string]any    `json:"config,omitempty"`
	Secrets map[string]string `json:"secrets,omitempty"`
	Created time.Time         `json:"created"`
	Updated time.Time         `json:"updated"`
}

// Public returns a copy without secrets, for display and export; secret
// fields are listed by name with a placeholder so a form can show "set".
func (c *Connection) Public() *Connection {
	p := *c
	p.Secrets = nil
	if len(c.Secrets) > 0 {
		p.Secrets = map[string]string{}
		for k := range c.Secrets {
			p.Secrets[k] = "********"
		}
	}
	return &p
}

// ConnectionKind is declared by a connector: its fields and its test ladder.
type ConnectionKind struct {
	ID      string
	Title   string
	Fields  []FieldSpec // non-secret config
	Secrets []FieldSpec // secret fields
	Test    func(ctx context.Context, c *Connection) *TestReport
}

// TestReport is the result of a connection test ladder.
type TestReport struct {
	OK    bool           `json:"ok"`
	Steps []TestStep     `json:"steps"`
	Info  map[string]any `json:"info,omitempty"` // org name/id, scopes, rate-limit headroom
}

// TestStep is one rung of the ladder.
type TestStep struct {
	Name    string `json:"name"`
	OK      bool   `json:"ok"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"` // what the person should do
	Status  int    `json:"status,omitempty"`
	Code    string `json:"code,omitempty"`
}

// Attempt is one try of an outside call, recorded in the card's history.
type Attempt struct {
	N        int           `json:"n"`
	Method   string        `json:"method,omitempty"`
	URL      string        `json:"url,omitempty"`
	Status   int           `json:"status,omitempty"`
	Wait     time.Duration `json:"wait,omitempty"` // wait before this try (backoff, rate limit)
	Reason   string        `json:"reason,omitempty"`
	Duration time.Duration `json:"duration,omitempty"`
}

// RegisterConnectionKind adds a connection kind to the default registry.
func RegisterConnectionKind(k *ConnectionKind) { defaultRegistry.AddConnectionKind(k) }

// AddConnectionKind adds a connection kind.
func (r *Registry) AddConnectionKind(k *ConnectionKind) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.conns[k.ID] = k
}

// ConnectionKind returns a connection kind by id.
func (r *Registry) ConnectionKind(id string) (*ConnectionKind, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	k, ok := r.conns[id]
	return k, ok
}

// ConnectionKinds lists kinds sorted by id.
func (r *Registry) ConnectionKinds() []*ConnectionKind {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*ConnectionKind, 0, len(r.conns))
	for _, k := range slices.Sorted(maps.Keys(r.conns)) {
		out = append(out, r.conns[k])
	}
	return out
}
