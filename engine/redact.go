package engine

import (
	"context"
	"strings"
	"sync"
)

// Redacted stands in history for a value a flow marks secret.
const Redacted = "••••••"

// minSecretLen: shorter values are not treated as secrets (redacting "1"
// or "ab" everywhere would garble history without protecting anything).
const minSecretLen = 4

// secretSet holds the values of a run's secret outputs: card output fields
// with Secret set (a generated password, a token read from a vault). The
// run's own values keep them — later cards bind to them as usual — but
// every record history keeps (card inputs and outputs, attempts, recorded
// calls, errors) has each occurrence replaced by Redacted, before anything
// is journaled or saved.
type secretSet struct {
	mu   sync.RWMutex
	vals []string
}

// HasSecretOutput says whether a card marks any output secret.
func HasSecretOutput(c *Card) bool {
	for i := range c.Outputs {
		if c.Outputs[i].Secret {
			return true
		}
	}
	return false
}

// note adds the values of c's secret outputs found in out.
func (s *secretSet) note(c *Card, out map[string]any) {
	for i := range c.Outputs {
		f := &c.Outputs[i]
		if !f.Secret {
			continue
		}
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case string:
				if len(x) >= minSecretLen {
					s.add(x)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			case map[string]any:
				for _, e := range x {
					walk(e)
				}
			}
		}
		walk(out[f.Key])
	}
}

type secretsKey struct{}

// withSecrets hands a run's secrets to the helper runs it starts (Call
// Flow, For Each, …): the values they receive are redacted in their
// records as well.
func withSecrets(ctx context.Context, vals []string) context.Context {
	if len(vals) == 0 {
		return ctx
	}
	return context.WithValue(ctx, secretsKey{}, append([]string(nil), vals...))
}

// inherit takes the secrets of the calling run, if any.
func (s *secretSet) inherit(ctx context.Context) {
	if vals, ok := ctx.Value(secretsKey{}).([]string); ok {
		for _, v := range vals {
			s.add(v)
		}
	}
}

func (s *secretSet) add(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.vals {
		if x == v {
			return
		}
	}
	s.vals = append(s.vals, v)
}

func (s *secretSet) list() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.vals
}

// text redacts every secret in a string.
func (s *secretSet) text(t string) string {
	for _, v := range s.list() {
		if strings.Contains(t, v) {
			t = strings.ReplaceAll(t, v, Redacted)
		}
	}
	return t
}

// value returns v with every secret redacted; v itself is left untouched
// (a changed container is copied), and returned as is when nothing changed.
func (s *secretSet) value(v any) any {
	if len(s.list()) == 0 {
		return v
	}
	out, _ := s.redact(v)
	return out
}

func (s *secretSet) redact(v any) (any, bool) {
	switch x := v.(type) {
	case string:
		r := s.text(x)
		return r, r != x
	case []any:
		var cp []any
		for i, e := range x {
			r, changed := s.redact(e)
			if changed && cp == nil {
				cp = append([]any(nil), x...)
			}
			if cp != nil {
				cp[i] = r
			}
		}
		if cp == nil {
			return x, false
		}
		return cp, true
	case map[string]any:
		var cp map[string]any
		for k, e := range x {
			r, changed := s.redact(e)
			if changed && cp == nil {
				cp = make(map[string]any, len(x))
				for kk, ee := range x {
					cp[kk] = ee
				}
			}
			if cp != nil {
				cp[k] = r
			}
		}
		if cp == nil {
			return x, false
		}
		return cp, true
	}
	return v, false
}

// record returns the values to record for a card's inputs or outputs.
func (s *secretSet) record(m map[string]any) map[string]any {
	if m == nil || len(s.list()) == 0 {
		return m
	}
	out, _ := s.redact(m)
	return out.(map[string]any)
}

func (s *secretSet) attempt(a Attempt) Attempt {
	if len(s.list()) == 0 {
		return a
	}
	a.URL, a.Reason = s.text(a.URL), s.text(a.Reason)
	return a
}

func (s *secretSet) call(c RecordedCall) RecordedCall {
	if len(s.list()) == 0 {
		return c
	}
	c.URL, c.Body, c.Error = s.text(c.URL), s.text(c.Body), s.text(c.Error)
	for k, v := range c.Header {
		c.Header[k] = s.text(v)
	}
	return c
}

func (s *secretSet) cardError(ce *CardError) {
	if ce != nil && len(s.list()) > 0 {
		ce.Message = s.text(ce.Message)
	}
}
