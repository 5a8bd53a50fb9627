package app

import (
	"bytes"
	"testing"

	"github.com/flowbench/flowbench/connectors/okta"
	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// The samples of the API token and device event cards name the sandbox
// tenant's own token and device (output and raw event alike), so a Run
// with the sample reads real records.
func TestEventSampleNamesTenantTokenAndDevice(t *testing.T) {
	a, err := Open(t.Context(), Options{DataDir: t.TempDir(), Out: &bytes.Buffer{}, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	sb := a.Exec.Services["sandbox"].(*sandbox.Server)
	ents := sandboxEntities(sb)()
	tok, dev := ents[okta.SampleAPITokenID], ents[okta.SampleDeviceID]
	if tok.id == "" || dev.id == "" {
		t.Fatalf("tenant token %+v, device %+v", tok, dev)
	}
	for method, want := range map[string]struct {
		key string
		e   tenantEntity
	}{"apiTokenRevoked": {"API Token", tok}, "apiTokenCreated": {"API Token", tok}, "deviceEnrolled": {"Device", dev}, "deviceSuspended": {"Device", dev}} {
		f := &engine.Flow{ID: "f", Name: "F", Trigger: engine.Card{ID: "trigger", Type: okta.EventCardID(method)}}
		in := a.sampleFor(f)
		got, _ := in[want.key].(map[string]any)
		if got["ID"] != want.e.id || got["Display Name"] != want.e.name {
			t.Errorf("%s: %s = %v, want %+v", method, want.key, got, want.e)
		}
		raw, _ := in["Event Details"].(map[string]any)
		targets, _ := raw["target"].([]any)
		if len(targets) == 0 || targets[0].(map[string]any)["id"] != want.e.id {
			t.Errorf("%s: raw event targets %v", method, targets)
		}
		if u, _ := in["Actor"].(map[string]any); u != nil && (u["ID"] != sb.AdminUserID() || u["Alternate ID"] != "sandbox.admin@example.com" || u["Display Name"] != "Sandbox Admin") {
			t.Errorf("%s: actor %v is not the tenant's admin", method, u)
		}
	}
}
