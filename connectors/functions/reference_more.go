package functions

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// Cards of Okta's function reference that the first set lacked (issue 10
// point 7). Find Custom (list:find) calls a helper flow and lives with the
// other helper-calling cards in engine/control_find.go.

func init() {
	engine.Register(&engine.Spec{ID: "list.collapse", Okta: []string{"list:collapse"}, Title: "Collapse", Category: "List", Kind: engine.KindFunction,
		Inputs:  []engine.FieldSpec{{Key: "list", Label: "list", Type: engine.T("object[]"), Required: true}},
		Outputs: []engine.FieldSpec{{Key: "output", Label: "output", Type: engine.T("object")}},
		DocURL:  help + "List/list_collapse.htm",
		Description: "Merges the list's objects, in order, into one object; a key present in several objects keeps the value of the last one " +
			"([{\"item\":1},{\"item\":2}] → {\"item\":2}). Empty (null) items are skipped; an item that is not an object is an error naming its index.",
		Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
			l, _ := in.Values["list"].([]any)
			out := map[string]any{}
			for i, item := range l {
				if item == nil {
					continue
				}
				m, ok := item.(map[string]any)
				if !ok {
					return nil, engine.InputErrorf("list", "item %d is %s, not an object", i, valueKind(item))
				}
				for k, v := range m {
					out[k] = v
				}
			}
			return one("output", out), nil
		}})
}

func init() {
	engine.Register(&engine.Spec{ID: "object.map", Okta: []string{"object:process"}, Title: "Map", Category: "Object", Kind: engine.KindFunction, Helper: engine.HelperWaits,
		Inputs: []engine.FieldSpec{{Key: "object", Label: "object", Type: engine.T("object"), Required: true},
			{Key: "concurrency", Label: "concurrency", Type: engine.T("number"), Description: "keys processed in parallel (1–200); default: the flow's setting"}},
		ExtensibleInputs: true, Outputs: []engine.FieldSpec{{Key: "output", Label: "output", Type: engine.T("object")}},
		DocURL: help + "object/object_process.htm",
		Description: "Calls the helper flow (card.flow) once per key of the object with the item {key, value} (map helper inputs to its `key` and `value` with item mappings; " +
			"other inputs pass unchanged). The helper's Return gives `key` and `value`; each pair becomes a key of the output object. " +
			"A helper that ends without a Return (e.g. at a Continue If) drops that key; a Return without `key` is an error naming the key being processed.",
		Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
			keys, res, err := olCallEachKey(ctx, in)
			if err != nil {
				return nil, err
			}
			out := map[string]any{}
			for i, r := range res {
				if len(r) == 0 {
					continue
				}
				k, ok := r["key"]
				if !ok || k == nil {
					return nil, engine.InputErrorf("object", "key %q: the helper's Return has no `key` output", keys[i])
				}
				out[engine.ToText(k)] = r["value"]
			}
			return one("output", out), nil
		}})
}

// valueKind names a JSON value's kind for messages.
func valueKind(v any) string {
	switch v.(type) {
	case string:
		return "text"
	case float64:
		return "a number"
	case bool:
		return "true/false"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "empty"
}

func init() {
	engine.Register(&engine.Spec{ID: "url.parse", Okta: []string{"url:parse"}, Title: "Parse", Category: "URL", Kind: engine.KindFunction,
		Inputs: []engine.FieldSpec{{Key: "url", Label: "url", Type: engine.T("string"), Required: true}},
		Outputs: []engine.FieldSpec{{Key: "protocol", Label: "protocol", Type: engine.T("string")}, {Key: "host", Label: "host", Type: engine.T("string")},
			{Key: "port", Label: "port", Type: engine.T("number")}, {Key: "path", Label: "path", Type: engine.T("string")},
			{Key: "query", Label: "query", Type: engine.T("string")}},
		DocURL: help + "URL/url_parse.htm",
		Description: "Splits a URL into protocol (lower case, with the colon: \"http:\"), host (lower case, without the port), port (a number, empty when the URL names none), " +
			"path (percent-encoded: \"/test%20url\") and query (without the ?). Text that is not an absolute URL is an error naming `url`.",
		Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
			raw := strings.TrimSpace(str(in, "url"))
			u, err := url.Parse(raw)
			if err != nil || u.Scheme == "" || u.Host == "" {
				return nil, engine.InputErrorf("url", "%q is not an absolute URL (like https://www.example.com/path?x=1)", raw)
			}
			var port any
			if p := u.Port(); p != "" {
				n, err := strconv.Atoi(p)
				if err != nil {
					return nil, engine.InputErrorf("url", "port %q is not a number", p)
				}
				port = float64(n)
			}
			return engine.Outputs{"protocol": strings.ToLower(u.Scheme) + ":", "host": strings.ToLower(u.Hostname()), "port": port,
				"path": u.EscapedPath(), "query": u.RawQuery}, nil
		}})
}

func init() {
	engine.Register(&engine.Spec{ID: "url.format", Okta: []string{"url:format"}, Title: "Format", Category: "URL", Kind: engine.KindFunction,
		Inputs: []engine.FieldSpec{{Key: "protocol", Label: "protocol", Type: engine.T("string")}, {Key: "host", Label: "host", Type: engine.T("string"), Required: true},
			{Key: "port", Label: "port", Type: engine.T("number")}, {Key: "path", Label: "path", Type: engine.T("string")},
			{Key: "query", Label: "query", Type: engine.T("string")}},
		Outputs: []engine.FieldSpec{{Key: "url", Label: "url", Type: engine.T("string")}},
		DocURL:  help + "URL/url_format.htm",
		Description: "Builds a URL from its parts: protocol (http or https, with or without the colon; https when empty), host, optional port, path (percent-encoded as needed) " +
			"and query (without the ?). A host with a scheme, path or spaces, or a port outside 1–65535, is an error naming the field.",
		Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
			proto := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(str(in, "protocol"))), ":")
			proto = strings.TrimSuffix(proto, "//")
			proto = strings.TrimSuffix(proto, ":")
			if proto == "" {
				proto = "https"
			}
			host := strings.TrimSpace(str(in, "host"))
			if host == "" || strings.ContainsAny(host, "/ ?#") {
				return nil, engine.InputErrorf("host", "%q is not a host name (like www.example.com)", host)
			}
			if p, ok := in.Values["port"].(float64); ok {
				if p != float64(int(p)) || p < 1 || p > 65535 {
					return nil, engine.InputErrorf("port", "%v is not a port (1–65535)", p)
				}
				host += ":" + strconv.Itoa(int(p))
			}
			path := str(in, "path")
			if path != "" && !strings.HasPrefix(path, "/") {
				path = "/" + path
			}
			if unescaped, err := url.PathUnescape(path); err == nil {
				path = unescaped // encoded once below, whether it came encoded or not
			}
			u := url.URL{Scheme: proto, Host: host, Path: path, RawQuery: strings.TrimPrefix(str(in, "query"), "?")}
			return one("url", u.String()), nil
		}})
}
