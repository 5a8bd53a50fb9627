package okta

import (
	"testing"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
)

// The application and group cards against the sandbox (requests checked
// against the OpenAPI spec): deactivate/activate an application, remove a
// group's assignment, delete a group; unknown IDs are Okta's 404.
func TestAppAndGroupCards(t *testing.T) {
	tn := startTenant(t, sandbox.Config{}, true)
	sa := mustCard(t, tn, "okta.searchApplications", map[string]any{"Query": "GitHub", "resultSet": FirstMatch})
	app, _ := sa["ID"].(string)
	appStatus := func() any {
		return mustCard(t, tn, "okta.readApplication", map[string]any{"applicationID": app})["Status"]
	}
	for _, c := range []struct {
		card, want string
	}{{"okta.deactivateApplication", "INACTIVE"}, {"okta:activateApplication", "ACTIVE"}} {
		if st := mustCard(t, tn, c.card, map[string]any{"ID": app}); st["Status Code"] != 200.0 {
			t.Fatalf("%s: %s", c.card, asJSON(st))
		}
		if got := appStatus(); got != c.want {
			t.Fatalf("after %s the app is %v", c.card, got)
		}
	}
	if _, _, err := tn.card(t, "okta.deactivateApplication", map[string]any{"ID": "0oanotthere000000000"}); err == nil || !contains(err.Error(), "E0000007") {
		t.Fatalf("unknown app: %v", err)
	}

	g := mustCard(t, tn, "okta.createGroup", map[string]any{"Name": "Short-lived"})
	gid, _ := g["ID"].(string)
	mustCard(t, tn, "okta.assignGroupToApplication", map[string]any{"applicationID": app, "groupID": gid})
	if st := mustCard(t, tn, "okta.removeGroupFromApplication", map[string]any{"application": enterAppID, "applicationID": app, "groupID": gid}); st["Status"] != 204.0 {
		t.Fatalf("remove group from app: %s", asJSON(st))
	}
	lg := mustCard(t, tn, "okta.listGroupsAssignedToApplication", map[string]any{"applicationID": app})
	if contains(asJSON(lg["Groups"]), gid) {
		t.Fatalf("group still assigned: %s", asJSON(lg))
	}
	if _, _, err := tn.card(t, "okta.removeGroupFromApplication", map[string]any{"applicationID": app}); err == nil || !contains(err.Error(), "groupID") {
		t.Fatalf("no group: %v", err)
	}
	if st := mustCard(t, tn, "okta.deleteGroup", map[string]any{"ID": gid}); st["Status Code"] != 204.0 {
		t.Fatalf("delete group: %s", asJSON(st))
	}
	if _, _, err := tn.card(t, "okta.readGroup", map[string]any{"ID": gid}); err == nil {
		t.Fatal("deleted group still readable")
	}
}
