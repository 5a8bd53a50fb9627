package okta

import (
	"testing"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
)

// The Okta Devices action cards against the sandbox (OpenAPI-checked).
func TestDeviceCards(t *testing.T) {
	tn := startTenant(t, sandbox.Config{}, true)
	all := mustCard(t, tn, "oktadevices.searchDevices", map[string]any{})
	if all["Count"] != 3.0 {
		t.Fatalf("search: %s", asJSON(all))
	}
	mac := mustCard(t, tn, "oktadevices.searchDevices", map[string]any{"Platform": "MACOS", "Status": "ACTIVE"})
	l, _ := mac["Devices"].([]any)
	if len(l) != 1 || at(l[0], "Platform") != "MACOS" {
		t.Fatalf("search MACOS: %s", asJSON(mac))
	}
	id, _ := at(l[0], "ID").(string)
	if d := mustCard(t, tn, "oktadevices.readDevice", map[string]any{"ID": id}); at(d, "Device", "Manufacturer") != "Apple Inc." {
		t.Fatalf("read: %s", asJSON(d))
	}
	if u := mustCard(t, tn, "oktadevices.listDeviceUsers", map[string]any{"ID": id}); len(u["Users"].([]any)) != 1 {
		t.Fatalf("users: %s", asJSON(u))
	}
	if _, _, err := tn.card(t, "oktadevices.deleteDevice", map[string]any{"ID": id}); err == nil || !contains(err.Error(), "Deactivate the device") {
		t.Fatalf("deleting an active device: %v", err)
	}
	for _, c := range []string{"oktadevices.suspendDevice", "oktadevices.unsuspendDevice", "oktadevices.deactivateDevice", "oktadevices.activateDevice", "oktadevices.deactivateDevice"} {
		if st := mustCard(t, tn, c, map[string]any{"ID": id}); st["Status Code"] != 204.0 {
			t.Fatalf("%s: %s", c, asJSON(st))
		}
	}
	if st := mustCard(t, tn, "oktadevices.deleteDevice", map[string]any{"ID": id}); st["Status Code"] != 204.0 {
		t.Fatalf("delete: %s", asJSON(st))
	}
	if _, _, err := tn.card(t, "oktadevices.readDevice", map[string]any{"ID": id}); err == nil {
		t.Fatal("read after delete succeeded")
	}
}
