package okta

import (
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// The Okta Devices event cards register under oktadevices:<method> (and
// okta:<method>, the Okta connector's deprecated copies) and map
// a factor event's Reason and MFA Factor target.
func TestDevicesEvents(t *testing.T) {
	for _, m := range []string{"userMFAFactorActivated", "userMFAFactorDeactivated", "userMFAFactorResetAll", "userMFA", "mfaPreregistrationInitiated"} {
		spec, ok := engine.Default().ByOkta("oktadevices:" + m)
		if !ok || spec.Kind != engine.KindTrigger {
			t.Fatalf("oktadevices:%s not registered as a trigger", m)
		}
		if old, ok := engine.Default().ByOkta("okta:" + m); !ok || old != spec {
			t.Errorf("okta:%s (the Okta connector's deprecated copy) is not the same card", m)
		}
	}
	ev := map[string]any{"eventType": "user.mfa.factor.deactivate", "uuid": "u1",
		"outcome": map[string]any{"result": "SUCCESS", "reason": "User reset FACTOR"},
		"actor":   map[string]any{"id": "00uadmin", "type": "User"},
		"target": []any{map[string]any{"id": "00u1", "type": "User", "alternateId": "jane@example.com", "displayName": "Jane"},
			map[string]any{"id": "fwf1", "type": "Factor", "displayName": "Security Key", "detailEntry": map[string]any{"methodTypeUsed": "webauthn"}}}}
	out := MapEvent("userMFAFactorDeactivated", ev, Delivery{})
	if out["Reason"] != "User reset FACTOR" || at(out, "Okta User", "ID") != "00u1" {
		t.Fatalf("deactivated: %s", asJSON(out))
	}
	if _, has := out["MFA Factor"]; has {
		t.Errorf("User MFA Factor Deactivated has no MFA Factor output: %s", asJSON(out))
	}
	pre := MapEvent("mfaPreregistrationInitiated", ev, Delivery{})
	if at(pre, "MFA Factor", "ID") != "fwf1" || at(pre, "MFA Factor", "Display Name") != "Security Key" {
		t.Fatalf("preregistration: %s", asJSON(pre))
	}
	if d, _ := pre["MFA Factor"].(map[string]any)["Detail"].(map[string]any); d["methodTypeUsed"] != "webauthn" {
		t.Fatalf("MFA Factor detail: %s", asJSON(pre))
	}
	dev := MapEvent("deviceSuspended", map[string]any{"eventType": "device.lifecycle.suspend",
		"target": []any{map[string]any{"id": "guo1", "type": "Device", "displayName": "Jane's MACOS"}}}, Delivery{})
	if at(dev, "Device", "ID") != "guo1" || at(dev, "Device", "Display Name") != "Jane's MACOS" {
		t.Fatalf("device event: %s", asJSON(dev))
	}
	for _, k := range []string{"okta:deviceSuspended", "oktadevices:deviceSuspended", "okta:applicationCreated", "okta:userPrivilegeGranted"} {
		if _, ok := engine.Default().ByOkta(k); !ok {
			t.Errorf("%s not registered", k)
		}
	}
}
