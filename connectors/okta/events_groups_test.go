package okta

import (
	"encoding/json"
	"testing"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// Group Privilege Granted / Revoked: a Custom API Action gives a group an
// admin role and takes it back on the sandbox; the System Log events it
// writes map to the cards' Group and Actor outputs.
func TestGroupPrivilegeEvents(t *testing.T) {
	tn := startTenant(t, sandbox.Config{}, true)
	g := mustCard(t, tn, "okta.createGroup", map[string]any{"Name": "Help desk admins"})
	gid, _ := g["ID"].(string)
	ra := mustCard(t, tn, "okta.customApiAction", map[string]any{"requestType": "POST", "Relative URL": "/api/v1/groups/" + gid + "/roles",
		"Body": map[string]any{"type": "HELP_DESK_ADMIN"}})
	if ra["Status Code"] != 201.0 {
		t.Fatalf("assign role: %s", asJSON(ra))
	}
	rid := engine.ToText(at(ra, "Body", "id"))
	if st := mustCard(t, tn, "okta.customApiAction", map[string]any{"requestType": "DELETE", "Relative URL": "/api/v1/groups/" + gid + "/roles/" + rid}); st["Status Code"] != 204.0 {
		t.Fatalf("unassign role: %s", asJSON(st))
	}
	for _, c := range []struct{ method, eventType string }{{"groupPrivilegeGranted", "group.privilege.grant"}, {"groupPrivilegeRevoked", "group.privilege.revoke"}} {
		if spec, ok := engine.Default().ByOkta("okta:" + c.method); !ok || spec.Kind != engine.KindTrigger {
			t.Fatalf("okta:%s not registered as a trigger", c.method)
		}
		var ev map[string]any
		for _, e := range tn.srv.Events() {
			if e.EventType == c.eventType {
				b, _ := json.Marshal(e)
				_ = json.Unmarshal(b, &ev)
			}
		}
		if ev == nil {
			t.Fatalf("the sandbox wrote no %s event", c.eventType)
		}
		out := MapEvent(c.method, ev, Delivery{})
		if at(out, "Group", "ID") != gid || at(out, "Group", "Display Name") != "Help desk admins" || at(out, "Actor", "ID") == "" || out["Event Type"] != c.eventType {
			t.Fatalf("%s outputs: %s", c.method, asJSON(out))
		}
	}
}
