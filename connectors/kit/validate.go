package kit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// SpecValidator checks a fake's exchanges against the vendor's official
// API description (OpenAPI 3, or Swagger 2.0 converted with
// kin-openapi's openapi2conv). A request that matches no operation fails.
type SpecValidator struct {
	doc    *openapi3.T
	router routers.Router
	prefix string // the spec's base path under the fake's address
	// SkipResponse skips response validation for an operation id
	// ("POST /api/chat.postMessage") whose documented schema is known to
	// be wrong; say why next to the entry.
	SkipResponse map[string]string
	// ErrorBody says a response is the vendor's error answer although its
	// status is a success (Slack's HTTP 200 {"ok":false}): it is checked
	// against the operation's "default" response.
	ErrorBody func(status int, body []byte) bool
	// Loose lets a response carry statuses the operation does not document
	// when they are errors (4xx/5xx): many vendor specs list only 200.
	Loose bool
}

// specHost is the server URL the spec is rewritten to.
const specHost = "spec.fake.test"

// NewSpecValidator loads an API description (JSON or YAML bytes). prefix is
// the path the spec's paths live under on the fake ("/api" for Slack's
// Web API whose spec has basePath /api); "" keeps the spec's own.
func NewSpecValidator(data []byte, prefix string) (*SpecValidator, error) {
	var probe map[string]any
	if err := json.Unmarshal(data, &probe); err != nil {
		// YAML: let the loader read it as OpenAPI 3
		probe = map[string]any{}
	}
	var doc *openapi3.T
	if _, v2 := probe["swagger"]; v2 {
		// Schemas written in JSON Schema draft 4's tuple form ("items": [a, b],
		// meaning one of a, b in Slack's description) have no Swagger 2.0
		// equivalent: carried through the conversion as x-anyOf, then anyOf.
		raw, err := json.Marshal(tupleItems(probe, "x-anyOf"))
		if err != nil {
			return nil, err
		}
		var d2 openapi2.T
		if err := json.Unmarshal(raw, &d2); err != nil {
			return nil, fmt.Errorf("reading Swagger 2.0 description: %w", err)
		}
		if prefix == "" {
			prefix = d2.BasePath
		}
		d2.BasePath, d2.Host, d2.Schemes = "", "", nil
		d3, err := openapi2conv.ToV3(&d2)
		if err != nil {
			return nil, fmt.Errorf("converting Swagger 2.0 to OpenAPI 3: %w", err)
		}
		v3, err := json.Marshal(d3)
		if err != nil {
			return nil, err
		}
		var generic any
		if err := json.Unmarshal(v3, &generic); err != nil {
			return nil, err
		}
		v3, err = json.Marshal(renameKey(generic, "x-anyOf", "anyOf"))
		if err != nil {
			return nil, err
		}
		v3 = bytes.ReplaceAll(v3, []byte(`"#/definitions/`), []byte(`"#/components/schemas/`))
		if doc, err = openapi3.NewLoader().LoadFromData(v3); err != nil {
			return nil, fmt.Errorf("reading the converted description: %w", err)
		}
	} else {
		l := openapi3.NewLoader()
		d3, err := l.LoadFromData(data)
		if err != nil {
			return nil, fmt.Errorf("reading OpenAPI description: %w", err)
		}
		doc = d3
		if prefix == "" && len(doc.Servers) > 0 {
			if u, err := url.Parse(doc.Servers[0].URL); err == nil {
				prefix = strings.TrimSuffix(u.Path, "/")
			}
		}
	}
	doc.Servers = openapi3.Servers{{URL: "http://" + specHost}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("routing the description: %w", err)
	}
	return &SpecValidator{doc: doc, router: router, prefix: strings.TrimSuffix(prefix, "/")}, nil
}

// CheckSchema validates a value against one of the description's schemas
// by name (a fake's seed record against "objs_user").
func (v *SpecValidator) CheckSchema(name string, val any) error {
	ref := v.doc.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("the description has no schema %q", name)
	}
	raw, err := json.Marshal(val)
	if err != nil {
		return err
	}
	var plain any
	_ = json.Unmarshal(raw, &plain)
	err = ref.Value.VisitJSON(plain, openapi3.MultiErrors())
	if err != nil && len(ref.Value.AnyOf) > 0 {
		// say why each alternative failed, not only that none matched
		var why []string
		for i, alt := range ref.Value.AnyOf {
			if e := alt.Value.VisitJSON(plain, openapi3.MultiErrors()); e != nil {
				why = append(why, fmt.Sprintf("alternative %d: %s", i+1, shortSchemaErr(e)))
			}
		}
		return fmt.Errorf("%s matches none of its alternatives:\n%s", name, strings.Join(why, "\n"))
	}
	return err
}

// shortSchemaErr keeps the "Error at …" lines of a schema error.
func shortSchemaErr(err error) string {
	var out []string
	for _, l := range strings.Split(err.Error(), "\n") {
		if strings.Contains(l, "Error at") || strings.Contains(l, "property") {
			out = append(out, strings.TrimSpace(l))
		}
	}
	if len(out) == 0 {
		return truncate(err.Error(), 300)
	}
	return strings.Join(out, "; ")
}

// ErrNoOperation reports a request the description does not describe.
var ErrNoOperation = errors.New("request matches no operation of the vendor's API description")

// Covers says whether a path is under the description's prefix.
func (v *SpecValidator) Covers(path string) bool {
	return v.prefix == "" || strings.HasPrefix(path, v.prefix+"/")
}

// Check validates a request with its body and, when resp is non-nil, the
// response with its body.
func (v *SpecValidator) Check(req *http.Request, body []byte, resp *http.Response, respBody []byte) error {
	r := req.Clone(context.Background())
	u := *req.URL
	u.Scheme, u.Host = "http", specHost
	u.Path = strings.TrimPrefix(u.Path, v.prefix)
	u.RawPath = ""
	r.URL, r.Host, r.RequestURI = &u, specHost, ""
	r.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := v.router.FindRoute(r)
	if err != nil {
		return fmt.Errorf("%w: %s %s: %v", ErrNoOperation, req.Method, req.URL.Path, err)
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: !v.Loose, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: opts}
	ctx := context.Background()
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		return fmt.Errorf("request %s %s does not match the description: %w", req.Method, req.URL.Path, err)
	}
	if resp == nil {
		return nil
	}
	if _, skip := v.SkipResponse[req.Method+" "+req.URL.Path]; skip {
		return nil
	}
	if v.Loose && resp.StatusCode >= 400 && route.Operation.Responses.Status(resp.StatusCode) == nil {
		return nil
	}
	if v.ErrorBody != nil && v.ErrorBody(resp.StatusCode, respBody) {
		def := route.Operation.Responses.Default()
		if def == nil || def.Value == nil || def.Value.Content.Get("application/json") == nil {
			return fmt.Errorf("response %d to %s %s is an error the description does not describe", resp.StatusCode, req.Method, req.URL.Path)
		}
		var val any
		if err := json.Unmarshal(respBody, &val); err != nil {
			return fmt.Errorf("error response to %s %s is not JSON: %v", req.Method, req.URL.Path, err)
		}
		if err := def.Value.Content.Get("application/json").Schema.Value.VisitJSON(val); err != nil {
			return fmt.Errorf("error response to %s %s does not match the description: %w", req.Method, req.URL.Path, err)
		}
		return nil
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(respBody)), Options: opts}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("response %d to %s %s does not match the description: %w", resp.StatusCode, req.Method, req.URL.Path, err)
	}
	return nil
}

// Exchange is one recorded request and response.
type Exchange struct {
	Method, Path string
	Query        url.Values
	ReqHeader    http.Header
	ReqBody      []byte
	Status       int
	RespHeader   http.Header
	RespBody     []byte
}

// Recorder is a RoundTripper that records every exchange and, with a
// validator, checks each one whose path the description covers (others:
// Uncovered lists them; a test decides). Errors go to Fail (t.Errorf).
type Recorder struct {
	Base      http.RoundTripper
	Validator *SpecValidator
	Fail      func(format string, args ...any)
	// Strict fails requests outside the description's prefix too.
	Strict bool

	mu        sync.Mutex
	exchanges []Exchange
}

// RoundTrip implements http.RoundTripper.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	base := r.Base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	rb, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(rb))
	if v := r.Validator; v != nil && resp.StatusCode != http.StatusTooManyRequests && r.Fail != nil {
		if v.Covers(req.URL.Path) || r.Strict {
			vreq := req.Clone(context.Background())
			if err := v.Check(vreq, body, resp, rb); err != nil {
				r.Fail("API description fidelity: %v", err)
			}
		}
	}
	r.mu.Lock()
	r.exchanges = append(r.exchanges, Exchange{Method: req.Method, Path: req.URL.Path, Query: req.URL.Query(), ReqHeader: req.Header.Clone(),
		ReqBody: body, Status: resp.StatusCode, RespHeader: resp.Header.Clone(), RespBody: rb})
	r.mu.Unlock()
	return resp, nil
}

// Exchanges returns the recorded exchanges.
func (r *Recorder) Exchanges() []Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Exchange(nil), r.exchanges...)
}

// Reset forgets the recorded exchanges.
func (r *Recorder) Reset() {
	r.mu.Lock()
	r.exchanges = nil
	r.mu.Unlock()
}

// tupleItems moves every tuple "items" (a list) to key.
func tupleItems(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if l, ok := e.([]any); ok && k == "items" {
				out[key] = tupleItems(l, key)
				continue
			}
			out[k] = tupleItems(e, key)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = tupleItems(e, key)
		}
		return out
	}
	return v
}

// renameKey renames an object key everywhere.
func renameKey(v any, from, to string) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if k == from {
				k = to
			}
			out[k] = renameKey(e, from, to)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = renameKey(e, from, to)
		}
		return out
	}
	return v
}
