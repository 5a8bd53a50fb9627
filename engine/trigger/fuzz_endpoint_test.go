package trigger

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// FuzzEndpointInput feeds arbitrary bodies, content types and query strings
// to the API Endpoint request parser: it never panics, and what it returns
// is plain JSON that never carries the client token.
func FuzzEndpointInput(f *testing.F) {
	f.Add([]byte(`{"name":"Ada","n":[1,2,{"x":null}]}`), "application/json", "lang=en&clientToken=secret-tok")
	f.Add([]byte(`name=Ada&lang=fr`), "application/x-www-form-urlencoded", "")
	f.Add([]byte(`not json`), "application/json; charset=utf-8", "a=%zz")
	f.Add([]byte(`[1,2,3]`), "text/plain", "x-okta-workflows-x=1&lang=de")
	f.Add([]byte{0xff, 0xfe, '{'}, "application/json", "")
	flows := []*engine.Flow{
		{ID: "e", Trigger: engine.Card{ID: "trigger", Type: TypeAPIEndpoint, Outputs: []engine.Field{
			{Key: "name", Group: "body", Type: engine.T("string")}, {Key: "lang", Group: "query", Type: engine.T("string")},
			{Key: "n", Group: "body"}, {Key: "raw", Group: "raw"}, {Key: "legacy"}}}},
		{ID: "d", Trigger: engine.Card{ID: "trigger", Type: TypeDelegated}},
	}
	f.Fuzz(func(t *testing.T, body []byte, ctype, query string) {
		req := httptest.NewRequest("POST", "/api/flows/e/invoke", bytes.NewReader(body))
		if u, err := url.Parse("/api/flows/e/invoke?" + query); err == nil {
			req.URL = u
		}
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("X-Api-Client-Token", "secret-tok")
		for _, fl := range flows {
			in, err := endpointInput(fl, req, body)
			if err != nil {
				if err.Error() == "" {
					t.Fatal("empty error")
				}
				continue
			}
			if _, err := json.Marshal(in); err != nil {
				t.Fatalf("input is not plain JSON: %v", err)
			}
			// the token is read from the header or the query, never the body: the input keeps no
			// clientToken parameter and no token header, and the token's text appears in it only where
			// the caller also sent it as data (body, content type, another query parameter). Checked on
			// the values themselves, not on the JSON text, whose escapes (\u001c…) can spell it by chance
			if qs, _ := in["query"].(string); qs != "" {
				if pq, err := url.ParseQuery(qs); err == nil && pq.Has("clientToken") {
					t.Fatalf("clientToken parameter kept in the query: %q", qs)
				}
			}
			if h, _ := in["headers"].(map[string]any); h != nil && h["x-api-client-token"] != nil {
				t.Fatal("client token header kept in the input")
			}
			if containsString(in, "secret-tok") && !sentAsData(body, ctype, req.URL.Query()) {
				t.Fatalf("client token kept in the input: %#v", in)
			}
		}
	})
}

// containsString reports whether any key or string value in v contains sub.
func containsString(v any, sub string) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, sub)
	case map[string]any:
		for k, e := range x {
			if strings.Contains(k, sub) || containsString(e, sub) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if containsString(e, sub) {
				return true
			}
		}
	}
	return false
}

// sentAsData reports whether the caller sent the token's text as data: in the body, the content
// type, or a query parameter other than clientToken.
func sentAsData(body []byte, ctype string, q url.Values) bool {
	const tok = "secret-tok"
	if bytes.Contains(body, []byte(tok)) || strings.Contains(ctype, tok) {
		return true
	}
	q.Del("clientToken")
	for k, vs := range q {
		if strings.Contains(k, tok) || containsString(anyList(vs), tok) {
			return true
		}
	}
	return false
}
