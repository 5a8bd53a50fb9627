package okta

import (
	"errors"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// TestCardsAgainstSandbox runs every Okta card against the sandbox; every
// request and response is validated against Okta's OpenAPI spec by the
// recorder (a request matching no operation fails the test).
func TestCardsAgainstSandbox(t *testing.T) {
	tn := startTenant(t, sandbox.Config{}, true)

	// helper flow for streaming cards: counts records
	streamed := &streamCount
	tn.flows["count"] = &engine.Flow{Format: engine.FlowFormat, ID: "count", Name: "count",
		Trigger: engine.Card{ID: "trigger", Type: "flow.helper", Outputs: []engine.Field{{Key: "Record", Type: engine.T("object")}, {Key: "State", Type: engine.T("any")}}},
		Cards:   []engine.Card{{ID: "c", Type: "test.count"}}}
	withFlow := func(c *engine.Card) { c.Flow = "count" }

	// Read User
	alice := mustCard(t, tn, "okta.readUser", map[string]any{"ID or Login": "alice.nguyen@example.com"})
	aliceID, _ := alice["ID"].(string)
	if aliceID == "" || alice["Status"] != "ACTIVE" || alice["login"] != "alice.nguyen@example.com" {
		t.Fatalf("read user: %v", asJSON(alice))
	}
	if v, ok := alice["isMemberOfGroup"]; !ok || v != nil {
		t.Fatalf("isMemberOfGroup should be present and null: %v", asJSON(alice))
	}

	// Update User (partial POST)
	up := mustCard(t, tn, "okta.updateUser", map[string]any{"ID": aliceID, "title": "Staff Engineer", "nickName": ""})
	if up["title"] != "Staff Engineer" || up["firstName"] != alice["firstName"] {
		t.Fatalf("update user: %v", asJSON(up))
	}

	// Create User
	nu := mustCard(t, tn, "okta.createUser", map[string]any{"login": "new.person@example.com", "firstName": "New",
		"lastName": "Person", "email": "new.person@example.com", "Activate": true, "Password": "Tr0ub4dor&3-horse", "department": "QA"})
	newID, _ := nu["ID"].(string)
	if newID == "" || nu["Status"] != "ACTIVE" || nu["Activated"] != true {
		t.Fatalf("create user: %v", asJSON(nu))
	}

	// lifecycle
	for _, tc := range []struct {
		typ string
		in  map[string]any
	}{
		{"okta.suspendUser", map[string]any{"id": newID}},
		{"okta.unsuspendUser", map[string]any{"id": newID}},
		{"okta.expirePassword", map[string]any{"id": newID}},
		{"okta.deactivateUser", map[string]any{"id": newID, "sendEmail": "No"}},
		{"okta.activateUser", map[string]any{"id": newID, "sendEmail": "No"}},
	} {
		out := mustCard(t, tn, tc.typ, tc.in)
		if st, _ := out["statusCode"].(float64); st != 200 && st != 204 {
			t.Fatalf("%s: %v", tc.typ, asJSON(out))
		}
	}
	rp := mustCard(t, tn, "okta.resetPassword", map[string]any{"userID": newID, "email": false})
	if rp["Status Code"] != 200.0 || !strings.Contains(engine.ToText(rp["URL"]), "reset") {
		t.Fatalf("reset password: %v", asJSON(rp))
	}

	// groups
	sg := mustCard(t, tn, "okta.searchGroups", map[string]any{"Query": "Engineering", "resultSet": FirstMatch})
	engID, _ := sg["ID"].(string)
	if engID == "" || engine.ToText(at(sg["Profile"], "Name")) != "Engineering" {
		t.Fatalf("search groups: %v", asJSON(sg))
	}
	sg2 := mustCard(t, tn, "okta.searchGroups", map[string]any{"profile.name": "Sales", "type": "OKTA_GROUP", "resultSet": First200})
	if g, _ := sg2["Groups"].([]any); len(g) != 1 {
		t.Fatalf("search groups by name: %v", asJSON(sg2))
	}
	add := mustCard(t, tn, "okta.addUserToGroup", map[string]any{"Group/id": engID, "User/id": newID})
	if add["status"] != 204.0 {
		t.Fatalf("add to group: %v", asJSON(add))
	}
	ug := mustCard(t, tn, "okta.getUsersGroups", map[string]any{"ID": newID})
	if !strings.Contains(asJSON(ug["Groups"]), `"Name":"Engineering"`) {
		t.Fatalf("user's groups: %v", asJSON(ug))
	}
	gm := mustCard(t, tn, "okta.listGroupMembers", map[string]any{"groupId": engID, "resultSet": First200Recs})
	if !strings.Contains(asJSON(gm["Users"]), newID) {
		t.Fatalf("group members: %v", asJSON(gm))
	}
	streamed.Store(0)
	gms := mustCard(t, tn, "okta.listGroupMembers", map[string]any{"groupId": engID, "resultSet": StreamRecs}, withFlow)
	if n := gms["Records Streamed"].(float64); n < 2 || int32(n) != streamed.Load() {
		t.Fatalf("group members streamed %v, helper ran %d", n, streamed.Load())
	}
	rm := mustCard(t, tn, "okta.removeUserFromGroup", map[string]any{"Group/id": engID, "User/id": newID})
	if rm["status"] != 204.0 {
		t.Fatalf("remove from group: %v", asJSON(rm))
	}
	cg := mustCard(t, tn, "okta.createGroup", map[string]any{"Name": "Flowbench Testers", "Description": "made by a test"})
	if cg["ID"] == nil || engine.ToText(at(cg["Profile"], "Name")) != "Flowbench Testers" {
		t.Fatalf("create group: %v", asJSON(cg))
	}

	// search users
	s1 := mustCard(t, tn, "okta.listUsersWithSearch", map[string]any{"status": "ACTIVE", "resultSet": First200})
	all, _ := s1["Users"].([]any)
	if len(all) < 10 {
		t.Fatalf("search users: %d", len(all))
	}
	s2 := mustCard(t, tn, "okta.listUsersWithSearch", map[string]any{"Custom Search Criteria": `profile.department eq "QA"`, "resultSet": FirstMatch})
	if u, _ := s2["Users"].([]any); len(u) != 1 || engine.ToText(at(u[0], "ID")) != newID {
		t.Fatalf("custom search: %v", asJSON(s2))
	}
	streamed.Store(0)
	s3 := mustCard(t, tn, "okta.listUsersWithSearch", map[string]any{"status": "ACTIVE", "resultSet": StreamAll}, withFlow)
	if int(s3["Records Streamed"].(float64)) != len(all) || streamed.Load() != int32(len(all)) {
		t.Fatalf("streamed %v of %d (helper ran %d)", s3["Records Streamed"], len(all), streamed.Load())
	}
	streamed.Store(0)
	s4 := mustCard(t, tn, "okta.listUsersWithSearch", map[string]any{"status": "ACTIVE", "resultSet": StreamAll, "Limit": 3}, withFlow)
	if s4["Records Streamed"] != 3.0 || streamed.Load() != 3 {
		t.Fatalf("max-records bound: %v, helper ran %d", s4["Records Streamed"], streamed.Load())
	}
	f1 := mustCard(t, tn, "okta.listUsersWithFilter", map[string]any{"id": aliceID, "resultSet": First200})
	if u, _ := f1["Users"].([]any); len(u) != 1 {
		t.Fatalf("filter users: %v", asJSON(f1))
	}

	// applications (found with Custom API Action)
	apps := mustCard(t, tn, "okta.customApiAction", map[string]any{"requestType": "GET", "Relative URL": "/api/v1/apps", "Query": map[string]any{"q": "GitHub"}})
	list, _ := apps["Body"].([]any)
	if apps["Status Code"] != 200.0 || len(list) != 1 {
		t.Fatalf("custom GET apps: %v", asJSON(apps))
	}
	appID := engine.ToText(at(list[0], "id"))
	as := mustCard(t, tn, "okta.assignUserToApplication", map[string]any{"application": appID, "User/id": newID})
	if as["User ID"] != newID || as["Scope"] != "USER" {
		t.Fatalf("assign app: %v", asJSON(as))
	}
	au := mustCard(t, tn, "okta.listUsersAssignedToApplication", map[string]any{"applicationID": appID})
	if !strings.Contains(asJSON(au["Users"]), newID) {
		t.Fatalf("app users: %v", asJSON(au))
	}
	un := mustCard(t, tn, "okta.removeUserFromApplication", map[string]any{"applicationID": appID, "id": newID})
	if un["status"] != 204.0 {
		t.Fatalf("unassign: %v", asJSON(un))
	}

	// Custom API Action: POST, and an error
	cp := mustCard(t, tn, "okta.customApiAction", map[string]any{"requestType": "POST", "Relative URL": "/api/v1/users/" + newID,
		"Body": map[string]any{"profile": map[string]any{"nickName": "newbie"}}})
	if engine.ToText(at(cp["Body"], "profile", "nickName")) != "newbie" {
		t.Fatalf("custom POST: %v", asJSON(cp))
	}
	_, _, err := tn.card(t, "okta.customApiAction", map[string]any{"requestType": "GET", "Relative URL": "/api/v1/users/00unotthere"})
	var ce *engine.CardError
	if !errors.As(err, &ce) || ce.Status != 404 || ce.Code != "E0000007" {
		t.Fatalf("custom GET missing user: %v", err)
	}
	_, _, err = tn.card(t, "okta.customApiAction", map[string]any{"requestType": "GET", "Relative URL": "https://evil.example.com/api/v1/users"})
	if !errors.As(err, &ce) || ce.Input != "Relative URL" {
		t.Fatalf("custom action to another host: %v", err)
	}

	// Delete User (deactivates first)
	del := mustCard(t, tn, "okta.deleteUser", map[string]any{"ID": newID})
	if del["Status Code"] != 204.0 {
		t.Fatalf("delete: %v", asJSON(del))
	}
	_, _, err = tn.card(t, "okta.readUser", map[string]any{"ID or Login": newID})
	if !errors.As(err, &ce) || ce.Status != 404 || ce.Code != "E0000007" {
		t.Fatalf("read deleted user: %v", err)
	}
	t.Logf("%d exchanges validated against the OpenAPI spec", len(tn.rec.exchanges()))
}
