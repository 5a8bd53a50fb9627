// Package flowtest runs flow tests: a trigger input, the recorded
// responses of the outside calls the flow's cards make (keyed by card and
// call order) and the outputs expected of each card. The calls are
// replayed by an http.RoundTripper that refuses any call the test did not
// record, so a test never touches the network.
package flowtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// Format names the test file format.
const Format = "flowbench-test/1"

// File is a *.test.json file: test cases of one flow.
type File struct {
	Format string `json:"format"`
	// Flow is the flow file, relative to the test file ("" = the test
	// file's name with .flow.json for .test.json).
	Flow string `json:"flow,omitempty"`
	// Helpers names the helper flows the flow calls (id → name), so a run
	// without one of their files can say which flow to export beside it.
	Helpers map[string]string `json:"helpers,omitempty"`
	Cases   []Case            `json:"cases"`
}

// Case is one test: input, recorded calls, expectations.
type Case struct {
	Name  string         `json:"name"`
	Input map[string]any `json:"input,omitempty"`
	// Connections the flow's cards name: kind and public settings; the
	// secrets are placeholders (nothing is sent anywhere).
	Connections map[string]Connection `json:"connections,omitempty"`
	Calls       []Call                `json:"calls,omitempty"`
	Expect      Expect                `json:"expect"`
}

// Connection stands in for a connection while a test runs.
type Connection struct {
	Kind   string         `json:"kind"`
	Name   string         `json:"name,omitempty"`
	Config map[string]any `json:"config,omitempty"`
}

// Call is a recorded outside call of a card, with its response.
type Call struct {
	Flow   string            `json:"flow,omitempty"` // helper flow id when the card is in a helper flow
	Card   string            `json:"card"`
	Method string            `json:"method"`
	URL    string            `json:"url"`
	Status int               `json:"status,omitempty"`
	Header map[string]string `json:"header,omitempty"`
	JSON   any               `json:"json,omitempty"` // a JSON response body
	Text   string            `json:"text,omitempty"` // any other body
	Error  string            `json:"error,omitempty"`
}

// Expect is what the run must do.
type Expect struct {
	Status  string                `json:"status,omitempty"` // "success" unless set
	Error   string                `json:"error,omitempty"`  // words the run's error must contain
	Outputs map[string]any        `json:"outputs,omitempty"`
	Cards   map[string]CardExpect `json:"cards,omitempty"`
}

// CardExpect is what one card must do. Outputs match when every key given
// has the value given (objects match by their keys given, lists whole).
type CardExpect struct {
	Status  string         `json:"status,omitempty"`
	Outputs map[string]any `json:"outputs,omitempty"`
	Assert  []Assertion    `json:"assert,omitempty"`
}

// Assertion checks one value of a card's outputs: Path is the output key
// then keys or list indexes into it, dot-separated ("user.profile.email").
type Assertion struct {
	Path  string `json:"path"`
	Op    string `json:"op"` // equals, notEquals, contains, exists, absent, matches (regexp-free: prefix*suffix)
	Value any    `json:"value,omitempty"`
}

// Parse reads a test file.
func Parse(name string, data []byte) (*File, error) {
	if err := engine.CheckJSONText(data, 512, true); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var f File
	d := json.NewDecoder(strings.NewReader(string(data)))
	d.DisallowUnknownFields()
	if err := d.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: not a flow test file: %w", name, err)
	}
	if f.Format != Format {
		return nil, fmt.Errorf("%s: format %q, want %q", name, f.Format, Format)
	}
	if len(f.Cases) == 0 {
		return nil, fmt.Errorf("%s: no test cases", name)
	}
	for i, c := range f.Cases {
		if c.Name == "" {
			return nil, fmt.Errorf("%s: case %d has no name", name, i+1)
		}
		for j, a := range c.Expect.Cards {
			for k, as := range a.Assert {
				switch as.Op {
				case "equals", "notEquals", "contains", "exists", "absent", "matches":
				default:
					return nil, fmt.Errorf("%s: case %q card %s assertion %d: unknown op %q (equals, notEquals, contains, exists, absent, matches)", name, c.Name, j, k+1, as.Op)
				}
			}
		}
	}
	return &f, nil
}

// Result of one case.
type Result struct {
	Case      string            `json:"case"`
	Passed    bool              `json:"passed"`
	Failures  []string          `json:"failures,omitempty"`
	Duration  time.Duration     `json:"duration"`
	Execution *engine.Execution `json:"-"`
}

// Run runs one case of flow f; helpers are the flows it may call.
func Run(ctx context.Context, reg *engine.Registry, f *engine.Flow, helpers engine.FlowSource, c *Case) *Result {
	t0 := time.Now()
	rp := NewReplay(c.Calls)
	ex := engine.NewExecutor(helpers, conns{reg: reg, c: c}, nil)
	if reg != nil {
		ex.Registry = reg
	}
	defer ex.Close()
	ctx = engine.WithTransport(ctx, rp)
	input := c.Input
	if input == nil {
		input = map[string]any{}
	}
	run, _ := ex.Run(ctx, f, input, engine.RunOptions{Trigger: "test"})
	ex.Wait()
	res := &Result{Case: c.Name, Execution: run}
	res.Failures = append(res.Failures, rp.ProblemsNamed(cardTitles(f, run))...)
	res.Failures = append(res.Failures, Check(run, &c.Expect)...)
	res.Passed = len(res.Failures) == 0
	res.Duration = time.Since(t0)
	return res
}

// cardTitles names the cards of f and of the run (helper runs' cards among
// them) by id, for the failures.
func cardTitles(f *engine.Flow, run *engine.Execution) map[string]string {
	out := map[string]string{}
	var walk func(cs []engine.Card)
	walk = func(cs []engine.Card) {
		for i := range cs {
			if cs[i].Title != "" {
				out[cs[i].ID] = cs[i].Title
			}
			for j := range cs[i].Branches {
				walk(cs[i].Branches[j].Cards)
			}
		}
	}
	walk(f.Cards)
	if run != nil {
		for _, c := range run.Cards {
			if c.Title != "" && out[c.ID] == "" {
				out[c.ID] = c.Title
			}
		}
	}
	return out
}

// Check compares a run with the expectations: the failures, none when it passes.
func Check(run *engine.Execution, e *Expect) []string {
	var fails []string
	want := e.Status
	if want == "" {
		want = engine.StatusSuccess
	}
	if run.Status != want {
		msg := fmt.Sprintf("the run ended %s, want %s", run.Status, want)
		if run.Error != nil {
			msg += ": " + run.Error.Error()
		}
		fails = append(fails, msg)
	}
	if e.Error != "" && (run.Error == nil || !strings.Contains(strings.ToLower(run.Error.Error()), strings.ToLower(e.Error))) {
		got := "none"
		if run.Error != nil {
			got = run.Error.Error()
		}
		fails = append(fails, fmt.Sprintf("the run's error should contain %q; it is: %s", e.Error, got))
	}
	for _, m := range Mismatches("outputs", e.Outputs, run.Outputs) {
		fails = append(fails, "flow "+m)
	}
	recs := map[string]*engine.CardRecord{}
	for i := range run.Cards {
		recs[run.Cards[i].ID] = &run.Cards[i]
	}
	ids := make([]string, 0, len(e.Cards))
	for id := range e.Cards {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		ce := e.Cards[id]
		r := recs[id]
		if r == nil {
			fails = append(fails, fmt.Sprintf("card %s: not in the flow", id))
			continue
		}
		name := id
		if r.Title != "" {
			name = fmt.Sprintf("%s %q", id, r.Title)
		}
		if ce.Status != "" && r.Status != ce.Status {
			msg := fmt.Sprintf("card %s: %s, want %s", name, r.Status, ce.Status)
			if r.Error != nil {
				msg += " (" + r.Error.Message + ")"
			}
			fails = append(fails, msg)
			continue // its outputs say nothing more
		}
		for _, m := range Mismatches("", ce.Outputs, r.Outputs) {
			fails = append(fails, fmt.Sprintf("card %s: output %s", name, m))
		}
		for _, a := range ce.Assert {
			if msg := assert(a, r.Outputs); msg != "" {
				fails = append(fails, fmt.Sprintf("card %s: %s", name, msg))
			}
		}
	}
	return fails
}

// Mismatches lists where got differs from want (want's keys only).
func Mismatches(path string, want, got map[string]any) []string {
	var out []string
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := k
		if path != "" {
			p = path + "." + k
		}
		g, ok := got[k]
		if !ok {
			out = append(out, fmt.Sprintf("%s: missing, want %s", p, show(want[k])))
			continue
		}
		out = append(out, mismatch(p, want[k], g)...)
	}
	return out
}

func mismatch(p string, want, got any) []string {
	if wm, ok := want.(map[string]any); ok {
		if gm, ok := got.(map[string]any); ok {
			return Mismatches(p, wm, gm)
		}
	}
	if equal(want, got) {
		return nil
	}
	return []string{fmt.Sprintf("%s: got %s, want %s", p, show(got), show(want))}
}

func equal(a, b any) bool {
	na, aok := num(a)
	nb, bok := num(b)
	if aok && bok {
		return na == nb
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

func num(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// norm makes values from Go and from JSON comparable (numbers as float64).
func norm(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

func lookup(v map[string]any, path string) (any, bool) {
	if path == "" {
		return v, true
	}
	parts := strings.Split(path, ".")
	cur, ok := v[parts[0]]
	if !ok {
		return nil, false
	}
	if len(parts) == 1 {
		return cur, true
	}
	return engine.Get(cur, parts[1:])
}

func assert(a Assertion, outs map[string]any) string {
	v, ok := lookup(outs, a.Path)
	switch a.Op {
	case "exists":
		if !ok || v == nil {
			return fmt.Sprintf("%s should exist", a.Path)
		}
	case "absent":
		if ok && v != nil {
			return fmt.Sprintf("%s should be absent, it is %s", a.Path, show(v))
		}
	case "equals":
		if !ok || !equal(a.Value, v) {
			return fmt.Sprintf("%s: got %s, want %s", a.Path, show(v), show(a.Value))
		}
	case "notEquals":
		if ok && equal(a.Value, v) {
			return fmt.Sprintf("%s should not be %s", a.Path, show(a.Value))
		}
	case "contains":
		if !ok || !contains(v, a.Value) {
			return fmt.Sprintf("%s: %s does not contain %s", a.Path, show(v), show(a.Value))
		}
	case "matches":
		pat := engine.ToText(a.Value)
		pre, suf, star := strings.Cut(pat, "*")
		s := engine.ToText(v)
		if !ok || (!star && s != pat) || (star && !(strings.HasPrefix(s, pre) && strings.HasSuffix(s[len(pre):], suf))) {
			return fmt.Sprintf("%s: %s does not match %q", a.Path, show(v), pat)
		}
	}
	return ""
}

func contains(v, want any) bool {
	switch t := v.(type) {
	case string:
		return strings.Contains(t, engine.ToText(want))
	case []any:
		for _, x := range t {
			if equal(x, want) {
				return true
			}
		}
	}
	return false
}

// conns gives the flow's cards the test's connections, with placeholder
// secrets (the replay transport answers; nothing is sent).
type conns struct {
	reg *engine.Registry
	c   *Case
}

func (s conns) Connection(_ context.Context, id string) (*engine.Connection, error) {
	tc, ok := s.c.Connections[id]
	if !ok {
		return nil, fmt.Errorf("connection %q is not in the test case (record the test again from a run that used it)", id)
	}
	reg := s.reg
	if reg == nil {
		reg = engine.Default()
	}
	c := &engine.Connection{ID: id, Name: tc.Name, Kind: tc.Kind, Config: map[string]any{}, Secrets: map[string]string{}}
	for k, v := range tc.Config {
		c.Config[k] = v
	}
	// nothing is sent, so no login either: the simplest sign-in of the
	// kind (a token header, or none), never a key to sign with
	switch {
	case c.Config["authMethod"] != nil:
		c.Config["authMethod"] = "token"
	case c.Config["authType"] != nil:
		c.Config["authType"] = "none"
	}
	if k, ok := reg.ConnectionKind(tc.Kind); ok {
		for _, f := range k.Secrets {
			c.Secrets[f.Key] = "flowbench-test-placeholder"
		}
	}
	return c, nil
}

// Replay is the round tripper of a test: it answers each call with the
// recorded response of the same card (same method and path, in call
// order) and refuses any other call.
type Replay struct {
	mu         sync.Mutex
	calls      []Call
	used       []bool
	unexpected []unrecorded
}

// unrecorded is a call the test had not recorded: the card that made it
// ("" when unknown) and the method and path.
type unrecorded struct{ card, call string }

// NewReplay replays calls.
func NewReplay(calls []Call) *Replay {
	return &Replay{calls: calls, used: make([]bool, len(calls))}
}

// RoundTrip implements http.RoundTripper.
func (r *Replay) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	card := engine.CardID(req.Context())
	r.mu.Lock()
	i := r.find(card, req)
	if i < 0 {
		u := unrecorded{card: card, call: fmt.Sprintf("%s %s", req.Method, pathQuery(req.URL))}
		if !slices.Contains(r.unexpected, u) {
			r.unexpected = append(r.unexpected, u)
		}
		r.mu.Unlock()
		// an answer, not a transport error: the client would retry that
		why := fmt.Sprintf("flow test: no recorded response for %s %s (a test makes no network calls: record the test again)", req.Method, pathQuery(req.URL))
		b, _ := json.Marshal(map[string]any{"errorCode": "unrecorded", "errorSummary": why})
		return &http.Response{StatusCode: http.StatusNotImplemented, Status: "501 Not Implemented", Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(string(b))), ContentLength: int64(len(b)), Request: req, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}, nil
	}
	r.used[i] = true
	c := r.calls[i]
	r.mu.Unlock()
	if c.Error != "" {
		return nil, fmt.Errorf("%s (recorded)", c.Error)
	}
	body := c.Text
	if c.JSON != nil {
		b, _ := json.Marshal(c.JSON)
		body = string(b)
	}
	h := http.Header{}
	for k, v := range c.Header {
		h.Set(k, v)
	}
	if h.Get("Content-Type") == "" && c.JSON != nil {
		h.Set("Content-Type", "application/json")
	}
	status := c.Status
	if status == 0 {
		status = http.StatusOK
	}
	return &http.Response{StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)), Header: h,
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: req, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}, nil
}

// find picks the first unused call: the card's own with the same method,
// path and query, then with the same path, then any card's with the same
// method, path and query (a token one card fetched for the connection).
func (r *Replay) find(card string, req *http.Request) int {
	for pass := 0; pass < 3; pass++ {
		for i, c := range r.calls {
			if r.used[i] || !strings.EqualFold(c.Method, req.Method) {
				continue
			}
			u, err := url.Parse(c.URL)
			if err != nil || u.Path != req.URL.Path {
				continue
			}
			switch pass {
			case 0:
				if c.Card == card && sameQuery(u.Query(), req.URL.Query()) {
					return i
				}
			case 1:
				if c.Card == card {
					return i
				}
			case 2:
				if sameQuery(u.Query(), req.URL.Query()) {
					return i
				}
			}
		}
	}
	return -1
}

// sameQuery compares queries; a recorded value REDACTED matches any.
func sameQuery(rec, got url.Values) bool {
	if len(rec) != len(got) {
		return false
	}
	for k, vs := range rec {
		gs := got[k]
		if len(gs) != len(vs) {
			return false
		}
		for i := range vs {
			if vs[i] != gs[i] && vs[i] != "REDACTED" {
				return false
			}
		}
	}
	return true
}

// tokenCall is a sign-in's token request: a replay signs in with a token
// header instead, so not making it is no failure.
func tokenCall(c Call) bool {
	u, err := url.Parse(c.URL)
	return err == nil && strings.EqualFold(c.Method, "POST") && strings.HasSuffix(u.Path, "/token")
}

func pathQuery(u *url.URL) string {
	if u.RawQuery == "" {
		return u.Path
	}
	return u.Path + "?" + u.RawQuery
}

// Problems are the calls the run made that the test had not recorded, and
// the recorded calls it did not make.
func (r *Replay) Problems() []string { return r.ProblemsNamed(nil) }

// ProblemsNamed is Problems with each card named by its title too (titles:
// card id → title), as the other failures name it: card abc "Read User".
func (r *Replay) ProblemsNamed(titles map[string]string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	name := func(id string) string {
		if t := titles[id]; t != "" {
			return fmt.Sprintf("%s %q", id, t)
		}
		return id
	}
	var out []string
	for _, u := range r.unexpected {
		if u.card == "" {
			out = append(out, "unrecorded outside call: "+u.call)
		} else {
			out = append(out, fmt.Sprintf("unrecorded outside call: card %s: %s", name(u.card), u.call))
		}
	}
	for i, c := range r.calls {
		if !r.used[i] && !tokenCall(c) {
			out = append(out, fmt.Sprintf("recorded call not made: card %s: %s %s", name(c.Card), strings.ToUpper(c.Method), c.URL))
		}
	}
	return out
}
