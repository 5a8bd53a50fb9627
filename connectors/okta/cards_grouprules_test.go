package okta

import (
	"testing"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
)

// The group rule cards against the sandbox (requests checked against the
// OpenAPI spec): create, activate (members appear), deactivate, update,
// delete with Remove Users; bad input names its field.
func TestGroupRuleCards(t *testing.T) {
	tn := startTenant(t, sandbox.Config{}, true)
	g := mustCard(t, tn, "okta.createGroup", map[string]any{"Name": "Rule target"})
	gid, _ := g["ID"].(string)
	r := mustCard(t, tn, "okta.createGroupRule", map[string]any{"Name": "Engineers", "Expression Conditions": `user.department == "Engineering"`,
		"Assign to Groups": []any{gid}})
	rid, _ := r["ID"].(string)
	if rid == "" || r["Status"] != "INACTIVE" || r["Expression Conditions"] != `user.department == "Engineering"` {
		t.Fatalf("create: %s", asJSON(r))
	}
	if st := mustCard(t, tn, "okta.activateGroupRule", map[string]any{"ID": rid}); st["Status Code"] != 204.0 {
		t.Fatalf("activate: %s", asJSON(st))
	}
	members := mustCard(t, tn, "okta.listGroupMembers", map[string]any{"groupId": gid, "resultSet": First200Recs})
	if l, _ := members["Users"].([]any); len(l) == 0 {
		t.Fatalf("no members after activation: %s", asJSON(members))
	}
	if _, _, err := tn.card(t, "okta.updateGroupRule", map[string]any{"ID": rid, "Name": "x", "Expression Conditions": `user.department == "Sales"`,
		"Assign to Groups": []any{gid}, "Exclude Users": []any{}}); err == nil {
		t.Fatal("updating an active rule succeeded")
	}
	mustCard(t, tn, "okta.deactivateGroupRule", map[string]any{"ID": rid})
	up := mustCard(t, tn, "okta.updateGroupRule", map[string]any{"ID": rid, "Name": "Sales", "Expression Conditions": `user.department == "Sales"`,
		"Assign to Groups": []any{gid}, "Exclude Users": []any{}})
	if up["Name"] != "Sales" {
		t.Fatalf("update: %s", asJSON(up))
	}
	if st := mustCard(t, tn, "okta.deleteGroupRule", map[string]any{"ID": rid, "Remove Users": true}); st["Status Code"] != 202.0 {
		t.Fatalf("delete: %s", asJSON(st))
	}
	if _, _, err := tn.card(t, "okta.createGroupRule", map[string]any{"Name": "x", "Expression Conditions": `user.a == "b"`, "Assign to Groups": []any{}}); err == nil || !contains(err.Error(), "Assign to Groups") {
		t.Fatalf("no groups: %v", err)
	}
}
