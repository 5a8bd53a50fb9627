package httpx

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
)

// Credentials a connection's Auth puts on a request are not always among
// Options.Secrets: an OAuth access token issued or refreshed at run time,
// a signed header. Whatever Auth added or changed on the request (headers,
// query parameters) is noted on the call in every wire form, and what the
// call records (its response body for "Save as test", errors) is scrubbed
// of it too, for every connector and auth kind.

// noteWire notes the credentials Auth set on out (before is the request
// Auth did not see).
func (cl *call) noteWire(before, out *http.Request) {
	var add []string
	for k, vs := range out.Header {
		secret := IsSecretName(k)
		if !secret && (slices.Equal(before.Header[k], vs) || plainHeaders[http.CanonicalHeaderKey(k)]) {
			continue
		}
		for _, v := range vs {
			if secret || len(v) >= minUnnamedSecret {
				add = append(add, wireForms(v)...)
			}
		}
	}
	if out.URL.RawQuery != before.URL.RawQuery {
		was := before.URL.Query()
		for k, vs := range out.URL.Query() {
			if slices.Equal(was[k], vs) {
				continue
			}
			for _, v := range vs {
				if IsSecretName(k) || len(v) >= minUnnamedSecret {
					add = append(add, v)
				}
			}
		}
		// the raw (escaped) forms appear in recorded URLs and errors
		for _, kv := range strings.Split(out.URL.RawQuery, "&") {
			if k, v, ok := strings.Cut(kv, "="); ok && !strings.Contains(before.URL.RawQuery, kv) && (IsSecretName(k) || len(v) >= minUnnamedSecret) {
				add = append(add, v)
			}
		}
	}
	if len(add) == 0 {
		return
	}
	cl.mu.Lock()
	for _, s := range add {
		if len(s) >= 4 && !slices.Contains(cl.wire, s) {
			cl.wire = append(cl.wire, s)
		}
	}
	cl.mu.Unlock()
}

// plainHeaders carry no credentials even when Auth sets them; a changed
// header of another name that is not secret-named counts from
// minUnnamedSecret characters (so "true" or "1" is never scrubbed).
var plainHeaders = map[string]bool{"Accept": true, "Content-Type": true, "User-Agent": true, "Content-Length": true,
	"Accept-Encoding": true, "Date": true, "Host": true, "X-Amz-Date": true, "X-Amz-Content-Sha256": true,
	"Traceparent": true, "Tracestate": true}

const minUnnamedSecret = 12

// wireForms are a credential header value and its parts: "Bearer T" → T;
// "Basic B64" → B64, "user:pass", pass.
func wireForms(v string) []string {
	out := []string{v}
	scheme, rest, ok := strings.Cut(v, " ")
	if !ok {
		return out
	}
	rest = strings.TrimSpace(rest)
	out = append(out, rest)
	if strings.EqualFold(scheme, "Basic") {
		if dec, err := base64.StdEncoding.DecodeString(rest); err == nil {
			out = append(out, string(dec))
			if _, pass, ok := strings.Cut(string(dec), ":"); ok {
				out = append(out, pass)
			}
		}
	}
	return out
}

// scrubCall is scrub with the call's wire credentials too.
func (c *Client) scrubCall(cl *call, s string) string {
	if cl == nil {
		return c.scrub(s)
	}
	cl.mu.Lock()
	wire := slices.Clone(cl.wire)
	cl.mu.Unlock()
	if len(wire) == 0 {
		return c.scrub(s)
	}
	all := append(slices.Clone(c.o.Secrets), wire...)
	// longest first, so a value is redacted whole before a part of it
	slices.SortFunc(all, func(a, b string) int { return len(b) - len(a) })
	return Scrub(s, all...)
}
