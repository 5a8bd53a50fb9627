package kit

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
)

// CustomAPIMethods are the Request Type choices of the Custom API Action.
var CustomAPIMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

// customAPISpec is the connector's Custom API Action: an authenticated call
// relative to the base URL, as Okta has on most connectors (fields
// requestType, Request/Relative URL, Query, Headers, Body → Response/Status
// Code, Headers, Body). Every status is a result, not an error.
func (c *Connector) customAPISpec() *engine.Spec {
	cd := &Card{Okta: c.CustomAPI, ID: c.ID + ".customApiAction", Title: "Custom API Action",
		Description: "Makes an authenticated call to the " + c.Title + " API, relative to the connection's base URL. Every HTTP status is returned (no error for 4xx/5xx).",
		Inputs: []engine.FieldSpec{Param("requestType", "Request Type", "GET", CustomAPIMethods...),
			Input("Request", "Relative URL", "string", true, "Relative URL"), Input("Request", "Query", "object", false, "Query"),
			Input("Request", "Headers", "object", false, "Headers"), Input("Request", "Body", "any", false, "Body")},
		Outputs: []engine.FieldSpec{Output("Response", "Status Code", "number"), Output("Response", "Headers", "object"),
			Output("Response", "Body", "any")},
		Run: customAPIRun}
	return cd.Spec(c)
}

func customAPIRun(ctx context.Context, in *In) (engine.Outputs, error) {
	method := strings.ToUpper(in.Text("requestType"))
	if method == "" {
		method = "GET"
	}
	switch method {
	case "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD":
	default:
		return nil, Errorf("requestType", "%q is not an HTTP method (GET, POST, PUT, PATCH, DELETE)", method)
	}
	rel, err := in.Required("Relative URL")
	if err != nil {
		return nil, err
	}
	if u, err := url.Parse(rel); err != nil || u.IsAbs() || strings.HasPrefix(rel, "//") {
		return nil, Errorf("Relative URL", "must be relative to %s (e.g. /path), not %q", in.Client.BaseURL(), httpx.RedactURL(rel))
	}
	call := &Call{Method: method, Path: rel, Raw: true}
	if q, ok := in.Values["Query"].(map[string]any); ok && len(q) > 0 {
		call.Query = url.Values{}
		for k, v := range q {
			if l, ok := v.([]any); ok {
				for _, e := range l {
					call.Query.Add(k, engine.ToText(e))
				}
				continue
			}
			call.Query.Set(k, engine.ToText(v))
		}
	}
	if h, ok := in.Values["Headers"].(map[string]any); ok {
		call.Header = http.Header{}
		for k, v := range h {
			call.Header.Set(k, engine.ToText(v))
		}
	}
	if b, ok := in.Values["Body"]; ok && b != nil && !(method == "GET" || method == "DELETE" || method == "HEAD") {
		switch x := b.(type) {
		case string:
			call.Body = []byte(x)
		case map[string]any:
			if len(x) > 0 || method != "GET" {
				if strings.Contains(call.Header.Get("Content-Type"), "x-www-form-urlencoded") {
					f := url.Values{}
					for k, v := range x {
						f.Set(k, engine.ToText(v))
					}
					call.Body = []byte(f.Encode())
				} else {
					call.JSON = x
				}
			}
		default:
			raw, err := json.Marshal(x)
			if err != nil {
				return nil, Errorf("Body", "cannot be sent as JSON: %v", err)
			}
			call.Body = raw
			if call.Header == nil {
				call.Header = http.Header{}
			}
			call.Header.Set("Content-Type", "application/json")
		}
	}
	r, err := in.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	hdr := httpx.HeaderMap(r.Header)
	return engine.Outputs{"Status Code": float64(r.Status), "Headers": in.Client.Scrub(hdr), "Body": r.Body}, nil
}
