package kit

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
)

// Call is one API request.
type Call struct {
	Method string // default GET
	// Path is relative to the connector's base URL ("/chat.postMessage"),
	// or absolute (a next link the API returned: credentials go only to
	// the connection's own origin).
	Path string
	// Origin names one of the connector's other Origins ("" = BaseURL).
	Origin string
	Query  url.Values
	Header http.Header
	// JSON is sent as application/json; Form as
	// application/x-www-form-urlencoded; Body as is.
	JSON any
	Form url.Values
	Body []byte
	// Raw skips the connector's error mapping: every status is a Result
	// (the Custom API Action).
	Raw bool
	// OnAttempt gets each attempt (cards: in.Run.Attempt).
	OnAttempt func(engine.Attempt)
	Policy    *httpx.Policy
	// Idempotent marks a POST that may be repeated safely.
	Idempotent bool
}

// Result is a response: status, headers and the decoded body (JSON as
// plain values, anything else as text), secrets scrubbed.
type Result struct {
	Status int
	Header http.Header
	Body   any
	Raw    []byte
}

// Object returns the body as a JSON object (nil when it is not one).
func (r *Result) Object() map[string]any {
	m, _ := r.Body.(map[string]any)
	return m
}

// Do sends a call. A transport failure is an error; a response the
// connector's ErrorMapper says is an error becomes *engine.HTTPError
// (status, vendor code, vendor message, body), unless Call.Raw.
func (cl *Client) Do(ctx context.Context, call *Call) (*Result, error) {
	req := &httpx.Request{Method: call.Method, URL: call.Path, Query: call.Query, Header: call.Header.Clone(),
		JSON: call.JSON, Body: call.Body, OnAttempt: call.OnAttempt, Policy: call.Policy}
	if call.Form != nil {
		req.Body = []byte(call.Form.Encode())
		if req.Header == nil {
			req.Header = http.Header{}
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if call.Idempotent {
		t := true
		req.Idempotent = &t
	}
	hc, err := cl.origin(call.Origin)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(ctx, req)
	if err != nil {
		return nil, errors.New(httpx.Scrub(err.Error(), cl.Secrets()...))
	}
	res := &Result{Status: resp.Status, Header: resp.Header, Raw: resp.Body}
	if v, err := resp.JSON(); err == nil && (resp.IsJSON() || looksJSON(resp.Body)) {
		res.Body = cl.Scrub(v)
	} else {
		res.Body = httpx.Scrub(string(resp.Body), cl.Secrets()...)
	}
	if call.Raw {
		return res, nil
	}
	mapErr := cl.c.Errors
	if mapErr == nil {
		mapErr = StatusErrors
	}
	if he := mapErr(res); he != nil {
		if he.Status == 0 {
			he.Status = res.Status
		}
		if he.Body == nil {
			he.Body = res.Body
		}
		he.Summary = httpx.Scrub(he.Summary, cl.Secrets()...)
		return res, he
	}
	return res, nil
}

func looksJSON(b []byte) bool {
	s := strings.TrimSpace(string(b))
	return strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[")
}

// ErrorMapper turns a response into a card error; nil means success.
type ErrorMapper func(r *Result) *engine.HTTPError

// StatusErrors is the default: any status ≥ 400 is an error; the summary is
// the body's "message", "error_description", "error" or "detail" text.
func StatusErrors(r *Result) *engine.HTTPError {
	if r.Status < 400 {
		return nil
	}
	he := &engine.HTTPError{Status: r.Status}
	if m := r.Object(); m != nil {
		for _, k := range []string{"message", "error_description", "detail", "error", "title"} {
			if s, ok := m[k].(string); ok && s != "" {
				he.Summary = s
				break
			}
		}
		if c, ok := m["code"].(string); ok {
			he.Code = c
		}
	} else if s, ok := r.Body.(string); ok {
		he.Summary = strings.TrimSpace(truncate(s, 300))
	}
	if he.Summary == "" {
		he.Summary = http.StatusText(r.Status)
	}
	return he
}

// SlackErrors: Slack answers HTTP 200 with {"ok":false,"error":"code"};
// the code is the vendor code and a known code gets its meaning.
func SlackErrors(r *Result) *engine.HTTPError {
	m := r.Object()
	if m != nil {
		if ok, has := m["ok"].(bool); has && !ok {
			code, _ := m["error"].(string)
			he := &engine.HTTPError{Status: r.Status, Code: code, Summary: code}
			if d, ok := slackMeanings[code]; ok {
				he.Summary = code + ": " + d
			}
			if need, ok := m["needed"].(string); ok && need != "" {
				he.Summary += " (needs scope " + need + ")"
			}
			return he
		}
	}
	return StatusErrors(r)
}

var slackMeanings = map[string]string{
	"invalid_auth":       "the token is not valid",
	"not_authed":         "no token was sent",
	"token_revoked":      "the token was revoked: reconnect the Slack connection",
	"account_inactive":   "the token's user or app was deactivated",
	"missing_scope":      "the token lacks a scope this method needs",
	"channel_not_found":  "no channel with that ID or name",
	"user_not_found":     "no user with that ID or email",
	"users_not_found":    "no user with that email",
	"not_in_channel":     "the app is not a member of the channel: invite it first",
	"is_archived":        "the channel is archived",
	"ratelimited":        "rate limited: retry later",
	"name_taken":         "a channel with that name already exists",
	"already_in_channel": "the user is already in the channel",
}

// GraphErrors: Microsoft Graph's {"error":{"code","message"}}.
func GraphErrors(r *Result) *engine.HTTPError {
	if r.Status < 400 {
		return nil
	}
	if m := r.Object(); m != nil {
		if e, ok := m["error"].(map[string]any); ok {
			code, _ := e["code"].(string)
			msg, _ := e["message"].(string)
			return &engine.HTTPError{Status: r.Status, Code: code, Summary: msg}
		}
	}
	return StatusErrors(r)
}

// GoogleErrors: Google's {"error":{"code","message","status","errors":[{"reason"}]}};
// the vendor code is the first reason (else status).
func GoogleErrors(r *Result) *engine.HTTPError {
	if r.Status < 400 {
		return nil
	}
	if m := r.Object(); m != nil {
		if e, ok := m["error"].(map[string]any); ok {
			msg, _ := e["message"].(string)
			code, _ := e["status"].(string)
			if errs, ok := e["errors"].([]any); ok && len(errs) > 0 {
				if first, ok := errs[0].(map[string]any); ok {
					if rs, ok := first["reason"].(string); ok && rs != "" {
						code = rs
					}
				}
			}
			return &engine.HTTPError{Status: r.Status, Code: code, Summary: msg}
		}
	}
	return StatusErrors(r)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// decodeJSON decodes text that should hold JSON (a card input).
func decodeJSON(s string) (any, error) {
	var v any
	err := json.Unmarshal([]byte(s), &v)
	return v, err
}
