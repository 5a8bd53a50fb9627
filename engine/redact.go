package engine

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
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
	mu    sync.RWMutex
	vals  []string
	conns map[string]time.Time // connections noted (id → Updated)
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

// note adds the values of c's secret outputs found in out; true when it
// added one.
func (s *secretSet) note(c *Card, out map[string]any) bool {
	n := len(s.list())
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
	return len(s.list()) != n
}

type secretsKey struct{}

// withSecrets hands a run's secrets to the helper runs it starts (Call
// Flow, For Each, …). The set is shared by the whole run tree: the values a
// helper receives are redacted in its records, and a secret a helper learns
// (its own secret outputs, its cards' connections) is redacted in its
// caller's records too (the Call Flow card's outputs, the item records).
func withSecrets(ctx context.Context, s *secretSet) context.Context {
	return context.WithValue(ctx, secretsKey{}, s)
}

// SecretValues returns the secrets of the run tree whose helper start ctx
// is (the context a Hooks.StartFlow gets): a run started elsewhere (a
// Temporal child workflow) seeds its set with them (WithSecretValues).
func SecretValues(ctx context.Context) []string {
	return append([]string(nil), callerSecrets(ctx).list()...)
}

// WithSecretValues makes the run started with ctx begin with these secrets
// (its caller's, handed over with its input).
func WithSecretValues(ctx context.Context, vals []string) context.Context {
	if len(vals) == 0 {
		return ctx
	}
	return withSecrets(ctx, setOf(vals))
}

// callerSecrets returns the secret set of the calling run, or nil for a
// root run (every method takes a nil set as an empty one).
func callerSecrets(ctx context.Context) *secretSet {
	s, _ := ctx.Value(secretsKey{}).(*secretSet)
	return s
}

// noteConnection adds the secrets of a connection a card of the run tree
// uses: every secret field's value, the string leaves of a JSON-valued one
// (a stored OAuth token's access and refresh tokens), and the forms they take
// on the wire (a Basic pair with any config value as the user name, base64;
// percent-encoded). Connectors scrub their own outputs; this keeps a value
// that slipped past them (a Compose of an echoed header, a helper's Return)
// out of every record of the run tree, whatever card carries it.
func (s *secretSet) noteConnection(c *Connection) {
	if c == nil || len(c.Secrets) == 0 {
		return
	}
	s.mu.Lock()
	if s.conns == nil {
		s.conns = map[string]time.Time{}
	}
	if at, ok := s.conns[c.ID]; ok && at.Equal(c.Updated) {
		s.mu.Unlock()
		return
	}
	s.conns[c.ID] = c.Updated
	s.mu.Unlock()
	for _, x := range ConnectionSecretForms(c) {
		s.add(x)
	}
}

// ConnectionSecretForms returns a connection's secrets in every form a
// record may hold them (see noteConnection): what a process that runs a
// card away from its run (a Temporal activity) hands back with NoteSecrets.
func ConnectionSecretForms(c *Connection) []string {
	if c == nil {
		return nil
	}
	var out []string
	for _, v := range c.Secrets {
		out = append(out, secretForms(v, c.Config)...)
		if strings.HasPrefix(strings.TrimSpace(v), "{") {
			var m map[string]any
			if json.Unmarshal([]byte(v), &m) == nil {
				for k, leaf := range m {
					if t, ok := leaf.(string); ok && secretLeaf(k) {
						out = append(out, secretForms(t, nil)...)
					}
				}
			}
		}
	}
	return out
}

// NoteSecrets adds values to the secrets of the run tree rt belongs to (rt
// is the Runtime a card got from the executor; others are left alone):
// every record of the tree redacts them from then on.
func NoteSecrets(rt Runtime, vals []string) {
	r, ok := rt.(*run)
	if !ok || r.sec == nil {
		return
	}
	for _, v := range vals {
		if len(v) >= minSecretLen {
			r.sec.add(v)
		}
	}
}

// RedactText replaces each of secrets in t with Redacted (longest first).
func RedactText(t string, secrets []string) string { return setOf(secrets).text(t) }

// RedactValue returns v (a plain JSON value) with each of secrets
// replaced by Redacted in every string; v itself is left alone.
func RedactValue(v any, secrets []string) any { return setOf(secrets).value(v) }

func setOf(secrets []string) *secretSet {
	s := &secretSet{}
	for _, v := range secrets {
		if len(v) >= minSecretLen {
			s.add(v)
		}
	}
	return s
}

// secretLeaf says whether a field of a JSON-valued connection secret holds
// a secret (a stored OAuth token's access_token, a service account key's
// private_key) rather than a setting that appears in records as it is
// (token_type "Bearer", token_uri, client_email, expiry).
func secretLeaf(k string) bool {
	k = strings.ToLower(k)
	for _, plain := range []string{"_uri", "_url", "_type", "_id", "email", "expiry", "expires"} {
		if strings.HasSuffix(k, plain) || k == strings.TrimPrefix(plain, "_") {
			return false
		}
	}
	for _, s := range []string{"token", "secret", "password", "key"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// secretForms are v and its wire forms; values shorter than minSecretLen
// are none.
func secretForms(v string, config map[string]any) []string {
	if len(v) < minSecretLen {
		return nil
	}
	out := []string{v}
	if e := url.QueryEscape(v); e != v {
		out = append(out, e)
	}
	if e := url.PathEscape(v); e != v {
		out = append(out, e)
	}
	if b, err := json.Marshal(v); err == nil && string(b[1:len(b)-1]) != v {
		out = append(out, string(b[1:len(b)-1])) // as it appears inside JSON text
	}
	for _, cv := range config {
		if user, ok := cv.(string); ok && user != "" && len(user) < 256 {
			pair := []byte(user + ":" + v)
			out = append(out, base64.StdEncoding.EncodeToString(pair), base64.URLEncoding.EncodeToString(pair))
		}
	}
	out = append(out, base64.StdEncoding.EncodeToString([]byte(v)))
	return out
}

func (s *secretSet) add(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.vals {
		if x == v {
			return
		}
	}
	// longest first, so a secret is redacted whole before a part of it
	i := len(s.vals)
	for i > 0 && len(s.vals[i-1]) < len(v) {
		i--
	}
	s.vals = slices.Insert(slices.Clone(s.vals), i, v)
}

// list is the current secrets; the slice is never changed in place (add
// replaces it), so a caller may read it without the lock.
func (s *secretSet) list() []string {
	if s == nil {
		return nil
	}
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

// execution returns what history keeps of ex: the run's return values
// (Return, Pause's answer) and input redacted, and every card record again
// with the secrets learned since it was made (a helper's secret output, a
// connection used later in the run tree). ex itself keeps the live values:
// the caller (Call Flow, an API Endpoint's answer) gets what the flow
// returned. ex is returned as is when the run tree has no secrets.
func (s *secretSet) execution(ex *Execution) *Execution {
	if ex == nil || len(s.list()) == 0 {
		return ex
	}
	rec := *ex
	rec.Input = s.record(ex.Input)
	rec.Outputs = s.record(ex.Outputs)
	rec.Error = s.errorCopy(ex.Error)
	rec.Cards = make([]CardRecord, len(ex.Cards))
	for i := range ex.Cards {
		rec.Cards[i] = s.cardRecord(ex.Cards[i])
	}
	return &rec
}

// cardRecord redacts a card record (its slices and maps are copied where
// they change).
func (s *secretSet) cardRecord(c CardRecord) CardRecord {
	c.Inputs, c.Outputs = s.record(c.Inputs), s.record(c.Outputs)
	c.Error = s.errorCopy(c.Error)
	if len(c.Attempts) > 0 {
		as := make([]Attempt, len(c.Attempts))
		for i, a := range c.Attempts {
			as[i] = s.attempt(a)
		}
		c.Attempts = as
	}
	if len(c.Calls) > 0 {
		cs := make([]RecordedCall, len(c.Calls))
		for i, rc := range c.Calls {
			if rc.Header != nil {
				h := make(map[string]string, len(rc.Header))
				for k, v := range rc.Header {
					h[k] = v
				}
				rc.Header = h
			}
			cs[i] = s.call(rc)
		}
		c.Calls = cs
	}
	return c
}

func (s *secretSet) errorCopy(ce *CardError) *CardError {
	if ce == nil {
		return nil
	}
	if m := s.text(ce.Message); m != ce.Message {
		cp := *ce
		cp.Message = m
		return &cp
	}
	return ce
}

// item returns the item record to journal for a helper's end: its outputs
// (the helper's Return values) redacted. A redacted item is run again on
// resume (run.item) rather than handing its caller the stand-in.
func (s *secretSet) item(it *ItemRecord) *ItemRecord {
	if it == nil || it.Outputs == nil || len(s.list()) == 0 {
		return it
	}
	cp := *it
	cp.Outputs = s.record(it.Outputs)
	return &cp
}

// holdsRedacted says whether a recorded value has a redacted secret in it:
// replaying it would hand later cards the stand-in, not the value.
func holdsRedacted(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, Redacted)
	case []any:
		for _, e := range x {
			if holdsRedacted(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if holdsRedacted(e) {
				return true
			}
		}
	}
	return false
}
