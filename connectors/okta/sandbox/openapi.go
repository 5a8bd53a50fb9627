package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/fakeapi"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// OktaSDKModule is the module whose bundled OpenAPI spec is Okta's
// authoritative management API description.
const OktaSDKModule = "github.com/okta/okta-sdk-golang/v5@v5.0.2"

// OktaSpecPath is the spec's path inside OktaSDKModule.
const OktaSpecPath = ".generator/okta-management-APIs-oasv3-noEnums-inheritance.yaml"

// specHost is the server URL the loaded spec is rewritten to; Check
// rewrites each request to it so one router serves every sandbox port.
const specHost = "okta.sandbox.test"

// Validator checks requests/responses against Okta's OpenAPI spec.
type Validator struct {
	doc    *openapi3.T
	router routers.Router
	errSch *openapi3.Schema
}

var (
	specOnce sync.Once
	specVal  *Validator
	specErr  error
	specSkip string
)

// OpenAPIValidator returns the shared validator, loading the spec once per
// test binary (a few seconds: the spec is ~1.7 MB). It calls t.Skip when
// the Okta SDK module cannot be downloaded (no network / no module cache),
// and t.Fatal when the spec is present but does not load.
func OpenAPIValidator(t testing.TB) *Validator {
	t.Helper()
	specOnce.Do(loadSpec)
	if specSkip != "" {
		t.Skip(specSkip)
	}
	if specErr != nil {
		t.Fatalf("sandbox: loading Okta OpenAPI spec: %v", specErr)
	}
	return specVal
}

func loadSpec() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", OktaSDKModule)
	// Run outside the main module so go.mod/go.sum stay untouched.
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	var info struct {
		Dir   string
		Error string
	}
	_ = json.Unmarshal(out, &info)
	if err != nil || info.Dir == "" {
		msg := info.Error
		if msg == "" && err != nil {
			msg = err.Error()
			if ee, ok := err.(*exec.ExitError); ok {
				msg += ": " + strings.TrimSpace(string(ee.Stderr))
			}
		}
		specSkip = "Okta SDK module (OpenAPI spec) not downloadable: " + msg
		return
	}
	v, err := NewValidator(filepath.Join(info.Dir, OktaSpecPath))
	if err != nil {
		specErr = err
		return
	}
	specVal = v
}

// NewValidator loads an Okta OpenAPI spec file.
func NewValidator(specFile string) (*Validator, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	doc, err := loader.LoadFromFile(specFile)
	if err != nil {
		return nil, err
	}
	doc.Servers = openapi3.Servers{{URL: "http://" + specHost}}
	// Correction: the spec marks AuthenticationProvider's name and type
	// readOnly, but Okta's Create User with Authentication Provider
	// (POST /api/v1/users?provider=true) takes credentials.provider in the
	// request (Users API reference, "Create a user with authentication provider").
	if ap := doc.Components.Schemas["AuthenticationProvider"]; ap != nil && ap.Value != nil {
		for _, k := range []string{"name", "type"} {
			if p := ap.Value.Properties[k]; p != nil && p.Value != nil {
				p.Value.ReadOnly = false
			}
		}
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	v := &Validator{doc: doc, router: router}
	if ref := doc.Components.Schemas["Error"]; ref != nil {
		v.errSch = ref.Value
	}
	return v, nil
}

// ErrNoRoute reports a request whose path/method the management spec does
// not describe.
var ErrNoRoute = errors.New("sandbox: request not described by the Okta management API spec")

// Check validates a request (with its body) and, when resp is non-nil, the
// response (with its body) against the spec. Notes:
//   - Paths outside /api/v1 (the org authorization server /oauth2/v1/* and
//     /.well-known/*) are not part of the management spec and pass unchecked.
//   - An error response whose status the operation does not declare (Okta
//     documents only some of them, e.g. 401/400 on lifecycle operations) is
//     checked against the spec's Error schema instead of failing.
func (v *Validator) Check(req *http.Request, body []byte, resp *http.Response, respBody []byte) error {
	if !strings.HasPrefix(req.URL.Path, "/api/v1/") {
		return nil
	}
	in, err := fakeapi.RouteRequest(v.router, specHost, req, *req.URL, body, ErrNoRoute)
	if err != nil {
		return err
	}
	if err := fakeapi.ValidateRequest(in, req); err != nil {
		return err
	}
	if resp == nil {
		return nil
	}
	if route := in.Route; resp.StatusCode >= 400 && route.Operation.Responses.Status(resp.StatusCode) == nil && route.Operation.Responses.Default() == nil {
		return v.checkErrorBody(req, resp, respBody)
	}
	return fakeapi.ValidateResponse(in, req, resp, respBody)
}

func (v *Validator) checkErrorBody(req *http.Request, resp *http.Response, body []byte) error {
	if v.errSch == nil {
		return nil
	}
	var val any
	if err := json.Unmarshal(body, &val); err != nil {
		return fmt.Errorf("response %d to %s %s: error body is not JSON: %v", resp.StatusCode, req.Method, req.URL.Path, err)
	}
	if err := v.errSch.VisitJSON(val); err != nil {
		return fmt.Errorf("response %d to %s %s: error body does not match Error schema: %w", resp.StatusCode, req.Method, req.URL.Path, err)
	}
	m, _ := val.(map[string]any)
	for _, k := range []string{"errorCode", "errorSummary", "errorLink", "errorId", "errorCauses"} {
		if _, ok := m[k]; !ok {
			return fmt.Errorf("response %d to %s %s: Okta error body lacks %q", resp.StatusCode, req.Method, req.URL.Path, k)
		}
	}
	return nil
}

// Transport returns an http.RoundTripper that validates every exchange with
// Check and reports failures through t.Errorf; handy for connector tests:
//
//	client := &http.Client{Transport: sandbox.OpenAPIValidator(t).Transport(t, nil)}
func (v *Validator) Transport(t testing.TB, base http.RoundTripper) http.RoundTripper {
	return fakeapi.CheckTransport(t, base, v, fakeapi.TransportOptions{Label: "okta openapi"})
}
