package google

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
)

// customSpec is a service's Custom API Action: an authenticated call
// relative to the service's base URL (e.g. https://gmail.googleapis.com/gmail/v1/).
func customSpec(cat, ns string, svc *Service, base, title string) *engine.Spec {
	return card(cat, ns+".customApiAction", ns+":hTTPRequest", "Custom API Action",
		"Calls any "+title+" API endpoint with the connection's credentials. Relative URL is relative to "+svc.Root+base+
			" (e.g. \"users/alice@example.com\"); Act As is the user a service account acts as (default: the connection's admin). "+
			"A 4xx or 5xx answer fails the card with Google's error.",
		[]engine.FieldSpec{param("requestType", "Request Type", "GET", "GET", "POST", "PUT", "PATCH", "DELETE"),
			in("Request", "Relative URL", "string", true), in("Request", "Query", "object", false),
			in("Request", "Headers", "object", false), in("Request", "Body", "any", false), in("Request", "Act As", "string", false)},
		[]engine.FieldSpec{out("Response", "Status Code", "number"), out("Response", "Headers", "object"), out("Response", "Body", "any")},
		runner(customAction(svc, base)))
}

func customAction(svc *Service, base string) func(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	return func(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
		rel, err := required(in, "Relative URL")
		if err != nil {
			return nil, err
		}
		root := rootURL(c.conn, svc)
		if strings.Contains(rel, "://") {
			if !strings.HasPrefix(rel, root) {
				return nil, engine.InputErrorf("Relative URL", "%q is not under %s; give a URL relative to %s%s", rel, root, root, base)
			}
			rel = strings.TrimPrefix(rel, root)
		} else {
			rel = strings.TrimPrefix(rel, "/")
			if !strings.HasPrefix(rel, base) && !strings.HasPrefix(rel, "upload/") {
				rel = base + rel
			}
		}
		if strings.Contains(rel, "..") {
			return nil, engine.InputErrorf("Relative URL", "%q may not contain \"..\"", rel)
		}
		method := strings.ToUpper(text(in, "requestType"))
		if method == "" {
			method = http.MethodGet
		}
		cl := call(in, svc, method, rel)
		cl.As = text(in, "Act As")
		if q, ok := in.Values["Query"].(map[string]any); ok && len(q) > 0 {
			cl.Query = url.Values{}
			for k, v := range q {
				if list, ok := v.([]any); ok {
					for _, x := range list {
						cl.Query.Add(k, engine.ToText(x))
					}
				} else {
					cl.Query.Set(k, engine.ToText(v))
				}
			}
		}
		hdr := http.Header{}
		if h, ok := in.Values["Headers"].(map[string]any); ok {
			for k, v := range h {
				if strings.EqualFold(k, "Authorization") {
					return nil, engine.InputErrorf("Headers", "the Authorization header comes from the connection; remove it")
				}
				hdr.Set(k, engine.ToText(v))
			}
		}
		if b, ok := in.Values["Body"]; ok && b != nil && method != http.MethodGet && method != http.MethodDelete {
			if s, ok := b.(string); ok && hdr.Get("Content-Type") != "" && !strings.Contains(hdr.Get("Content-Type"), "json") {
				cl.Body, cl.Type = []byte(s), hdr.Get("Content-Type")
			} else {
				cl.JSON = b
			}
		}
		cl.Header = hdr
		resp, err := c.Do(ctx, cl)
		if err != nil {
			return nil, err
		}
		var body any = string(resp.Body)
		if resp.IsJSON() || json.Valid(resp.Body) {
			if v, err := resp.JSON(); err == nil {
				body = v
			}
		}
		if len(resp.Body) == 0 {
			body = nil
		}
		return engine.Outputs{"Status Code": float64(resp.Status), "Headers": httpx.HeaderMap(resp.Header, "Set-Cookie"), "Body": body}, nil
	}
}
