package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/flowbench/flowbench/engine"
)

// baseTransport is the round tripper for one attempt: the one a flow test
// put in the context (engine.WithTransport: recorded responses, no
// network), else the client's.
func (c *Client) baseTransport(ctx context.Context) http.RoundTripper {
	if rt := engine.TransportFrom(ctx); rt != nil {
		return rt
	}
	return c.o.Transport
}

// record adds the call's final response (or its failure) to the running
// card's history record, scrubbed of the connection's secrets and of
// secret-named JSON fields (tokens a login returned), for "Save as test".
func (c *Client) record(ctx context.Context, cl *call, method string, u *url.URL, resp *http.Response, body []byte, err error) {
	rc := engine.RecordedCall{Method: method, URL: redactURL(u)}
	if err != nil {
		rc.Error = c.scrubCall(cl, err.Error())
		engine.RecordCall(ctx, rc)
		return
	}
	rc.Status = resp.StatusCode
	for _, h := range []string{"Content-Type", "Link", "Location"} {
		if v := resp.Header.Values(h); len(v) > 0 {
			if rc.Header == nil {
				rc.Header = map[string]string{}
			}
			s := v[0]
			for _, more := range v[1:] {
				s += ", " + more
			}
			rc.Header[h] = c.scrubCall(cl, s)
		}
	}
	rc.Body = c.scrubCall(cl, string(redactJSONSecrets(body)))
	engine.RecordCall(ctx, rc)
}

// redactJSONSecrets replaces the values of secret-named fields
// (access_token, password, client_secret…) in a JSON body.
func redactJSONSecrets(body []byte) []byte {
	if !mayNameSecret(body) {
		return body // no secret-like name anywhere: nothing to parse for (every call of a run is recorded)
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return body
	}
	changed := false
	var walk func(v any) any
	walk = func(v any) any {
		switch t := v.(type) {
		case map[string]any:
			for k, x := range t {
				if _, isStr := x.(string); isStr && IsSecretName(k) {
					t[k] = "REDACTED"
					changed = true
					continue
				}
				t[k] = walk(x)
			}
		case []any:
			for i := range t {
				t[i] = walk(t[i])
			}
		}
		return v
	}
	v = walk(v)
	if !changed {
		return body
	}
	b, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return b
}

// mayNameSecret is false when no name IsSecretName matches can occur in
// body (none of its patterns appears, in any case).
func mayNameSecret(body []byte) bool {
	if bytes.Contains(body, []byte(`\u`)) {
		return true // an escaped name (\u0074oken) is only seen decoded
	}
	low := bytes.ToLower(body)
	for _, p := range secretParams {
		if bytes.Contains(low, []byte(p)) {
			return true
		}
	}
	for _, p := range []string{"cookie", "dpop"} { // the whole names IsSecretName knows beyond secretParams
		if bytes.Contains(low, []byte(p)) {
			return true
		}
	}
	return false
}
