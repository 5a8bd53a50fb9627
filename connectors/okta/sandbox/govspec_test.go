package sandbox

import (
	"strings"
	"sync"
	"testing"

	"github.com/flowbench/flowbench/connectors/fakeapi"
)

// Every Identity Governance exchange of this package's tests (call) is
// validated against Okta's Governance OpenAPI description of the operations
// the sandbox serves (testdata/governance-openapi.yaml: campaigns, reviews,
// entitlements, entitlement bundles, v2 request conditions, trimmed from
// okta-governance-sdk-golang's governance/api/openapi.yaml). Refusals are
// checked only where the operation declares their status (the reference
// leaves out some 400s).
var (
	govSpecOnce sync.Once
	govSpec     *fakeapi.Validator
	govSpecErr  error
)

const govSpecFile = "testdata/governance-openapi.yaml"

func checkGovExchange(t testing.TB, e *exchange) {
	t.Helper()
	if !strings.Contains(e.req.URL.Path, "/governance/api/") {
		return
	}
	govSpecOnce.Do(func() { govSpec, govSpecErr = fakeapi.NewValidator(govSpecFile, "") })
	if govSpecErr != nil {
		t.Fatalf("governance spec: %v", govSpecErr)
	}
	err := govSpec.Check(e.req, e.reqBody, e.resp, e.respBody)
	if err == nil {
		return
	}
	if e.resp.StatusCode >= 400 && (strings.Contains(err.Error(), "status code") || strings.Contains(err.Error(), "request ")) {
		return // a refused request: its body is not one the description allows, or the status is one it leaves out
	}
	if strings.Contains(err.Error(), "not described") && e.resp.StatusCode == 405 || e.resp.StatusCode == 404 && strings.Contains(err.Error(), "not described") {
		return // a method or path Okta does not have
	}
	t.Errorf("governance spec: %v", err)
}
