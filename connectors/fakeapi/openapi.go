package fakeapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Validator holds a vendor's OpenAPI description (the operations a fake
// serves, trimmed from the published file) and checks exchanges against it:
// a request that matches no operation, a request or a response that breaks
// its operation's schema, fails.
type Validator struct {
	doc    *openapi3.T
	router routers.Router
	prefix string
	// Rewrite, when set, maps a request path before routing: a parameter
	// that holds slashes (GitHub's contents {path}) is made one segment.
	Rewrite func(path string) string
	// Seen counts the operations exchanged ("GET /user"), so a test can say
	// which it covered.
	mu   sync.Mutex
	Seen map[string]int
}

const specHost = "vendor.spec.test"

// ErrNoOperation reports a request the description does not describe.
var ErrNoOperation = errors.New("request not described by the vendor's API description")

// NewValidator loads a description file. prefix is the path the spec's
// server URL adds (e.g. "/v1" for 1Password Connect; "" for GitHub); the
// request paths checked are those after it.
func NewValidator(specFile, prefix string) (*Validator, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(specFile)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", specFile, err)
	}
	doc.Servers = openapi3.Servers{{URL: "http://" + specHost + prefix}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", specFile, err)
	}
	return &Validator{doc: doc, router: router, prefix: prefix, Seen: map[string]int{}}, nil
}

// Check validates a request with its body and, when resp is non-nil, the
// response with its body.
func (v *Validator) Check(req *http.Request, body []byte, resp *http.Response, respBody []byte) error {
	u := *req.URL
	if v.prefix != "" && !strings.HasPrefix(u.Path, v.prefix) {
		return fmt.Errorf("%w: %s %s (outside %s)", ErrNoOperation, req.Method, req.URL.Path, v.prefix)
	}
	if v.Rewrite != nil {
		u.Path, u.RawPath = v.Rewrite(u.Path), ""
	}
	in, err := RouteRequest(v.router, specHost, req, u, body, ErrNoOperation)
	if err != nil {
		return err
	}
	v.mu.Lock()
	v.Seen[req.Method+" "+in.Route.Path]++
	v.mu.Unlock()
	if err := ValidateRequest(in, req); err != nil {
		return err
	}
	if resp == nil {
		return nil
	}
	return ValidateResponse(in, req, resp, respBody)
}

// RouteRequest matches req, its URL u moved to host (the server URL the
// description was given), to an operation of router; a request that
// matches none fails with noRoute. The input it returns serves
// ValidateRequest and ValidateResponse.
func RouteRequest(router routers.Router, host string, req *http.Request, u url.URL, body []byte, noRoute error) (*openapi3filter.RequestValidationInput, error) {
	r := req.Clone(context.Background())
	u.Scheme, u.Host = "http", host
	r.URL = &u
	r.Host = host
	r.RequestURI = ""
	r.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := router.FindRoute(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: %v", noRoute, req.Method, req.URL.Path, err)
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}
	return &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: opts}, nil
}

// ValidateRequest checks the request RouteRequest matched against its
// operation (req is the original, for the message).
func ValidateRequest(in *openapi3filter.RequestValidationInput, req *http.Request) error {
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		return fmt.Errorf("request %s %s: %w", req.Method, req.URL.RequestURI(), err)
	}
	return nil
}

// ValidateResponse checks a response with its body against the operation
// RouteRequest matched.
func ValidateResponse(in *openapi3filter.RequestValidationInput, req *http.Request, resp *http.Response, respBody []byte) error {
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(respBody)), Options: in.Options}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Errorf("response %d to %s %s: %w", resp.StatusCode, req.Method, req.URL.RequestURI(), err)
	}
	return nil
}

// Operations lists the description's operations ("GET /user").
func (v *Validator) Operations() []string {
	var out []string
	for p, item := range v.doc.Paths.Map() {
		for m := range item.Operations() {
			out = append(out, m+" "+p)
		}
	}
	return out
}

// Transport validates every exchange through base (nil: the default) and
// reports a failure with t.Errorf.
func (v *Validator) Transport(t testing.TB, base http.RoundTripper) http.RoundTripper {
	return CheckTransport(t, base, v, TransportOptions{})
}

// TransportWith is Transport with options; its calls log is readable.
func (v *Validator) TransportWith(t testing.TB, base http.RoundTripper, o TransportOptions) *ValidatingTransport {
	return CheckTransport(t, base, v, o)
}

// Checker validates one exchange (a Validator; the Okta sandbox's own).
type Checker interface {
	Check(req *http.Request, body []byte, resp *http.Response, respBody []byte) error
}

// TransportOptions adjust a validating transport.
type TransportOptions struct {
	// Covers, when set, limits checking to the request paths it accepts;
	// the others pass unchecked (they are still logged).
	Covers func(path string) bool
	// Body, when set, maps the request and the response body before they
	// are checked (what the client and the server see is unchanged).
	Body func([]byte) []byte
	// Label starts each failure ("openapi" when empty).
	Label string
}

// ValidatingTransport checks every exchange through base with a Checker,
// reports a failure with t.Errorf, and logs each call.
type ValidatingTransport struct {
	c    Checker
	t    testing.TB
	base http.RoundTripper
	o    TransportOptions
	mu   sync.Mutex
	log  []string // "METHOD path status"
}

// CheckTransport validates every exchange through base (nil: the default)
// with c and reports a failure with t.Errorf.
func CheckTransport(t testing.TB, base http.RoundTripper, c Checker, o TransportOptions) *ValidatingTransport {
	if base == nil {
		base = http.DefaultTransport
	}
	if o.Label == "" {
		o.Label = "openapi"
	}
	return &ValidatingTransport{c: c, t: t, base: base, o: o}
}

// Capture sends req through base and reads the request and the response
// body, leaving both readable again on req and resp.
func Capture(base http.RoundTripper, req *http.Request) (body []byte, resp *http.Response, respBody []byte, err error) {
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, nil, nil, err
		}
		body = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err = base.RoundTrip(req)
	if err != nil {
		return nil, nil, nil, err
	}
	rb, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, nil, nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(rb))
	return body, resp, rb, nil
}

// RoundTrip implements http.RoundTripper.
func (vt *ValidatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, resp, rb, err := Capture(vt.base, req)
	if err != nil {
		return nil, err
	}
	vt.mu.Lock()
	vt.log = append(vt.log, fmt.Sprintf("%s %s %d", req.Method, req.URL.Path, resp.StatusCode))
	vt.mu.Unlock()
	if vt.o.Covers != nil && !vt.o.Covers(req.URL.Path) {
		return resp, nil
	}
	if f := vt.o.Body; f != nil {
		body, rb = f(body), f(rb)
	}
	if err := vt.c.Check(req, body, resp, rb); err != nil {
		vt.t.Errorf("%s: %v", vt.o.Label, err)
	}
	return resp, nil
}

// Calls lists the exchanges so far ("METHOD path status").
func (vt *ValidatingTransport) Calls() []string {
	vt.mu.Lock()
	defer vt.mu.Unlock()
	return slices.Clone(vt.log)
}
