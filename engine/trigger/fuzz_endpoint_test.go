package trigger

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"net/url"
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
			b, err := json.Marshal(in)
			if err != nil {
				t.Fatalf("input is not plain JSON: %v", err)
			}
			// the token is read from the header or the query, never the body: body text the caller
			// sends is the caller's data and stays available (raw body)
			if bytes.Contains(b, []byte("clientToken=secret-tok")) && !bytes.Contains(body, []byte("clientToken=secret-tok")) {
				t.Fatalf("client token kept in the input: %s", b)
			}
		}
	})
}
