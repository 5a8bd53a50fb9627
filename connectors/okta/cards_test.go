package okta

import (
	"errors"
	"strings"
	"testing"
	"time"

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

	// --- sessions, group profiles, applications, System Log, imports ---
	notFound := func(typ string, in map[string]any) {
		t.Helper()
		_, _, err := tn.card(t, typ, in)
		var he *engine.HTTPError
		if !errors.As(err, &ce) || ce.Status != 404 || ce.Code != "E0000007" || !errors.As(err, &he) {
			t.Fatalf("%s on a missing resource: %v", typ, err)
		}
	}
	cs := mustCard(t, tn, "okta.clearUserSessions", map[string]any{"ID": newID, "Revoke oauthTokens?": true})
	if cs["Status Code"] != 204.0 {
		t.Fatalf("clear sessions: %v", asJSON(cs))
	}
	if !hasEvent(tn, "user.session.clear", newID) {
		t.Fatal("clear sessions: no user.session.clear event")
	}
	notFound("okta.clearUserSessions", map[string]any{"ID": "00unotthere"})

	fu := mustCard(t, tn, "okta.findUsers", map[string]any{"Query": "alice", "resultSet": FirstMatch})
	if fu["ID"] != aliceID || fu["Login"] != "alice.nguyen@example.com" || len(fu["Users"].([]any)) != 1 {
		t.Fatalf("find users: %v", asJSON(fu))
	}
	fu2 := mustCard(t, tn, "okta.findUsers", map[string]any{"Query": "zzzz-nobody", "resultSet": First200})
	if len(fu2["Users"].([]any)) != 0 || fu2["ID"] != nil {
		t.Fatalf("find nobody: %v", asJSON(fu2))
	}

	rg := mustCard(t, tn, "okta.readGroup", map[string]any{"ID": engID})
	if rg["ID"] != engID || engine.ToText(at(rg["Profile"], "Name")) != "Engineering" || rg["Created"] == nil {
		t.Fatalf("read group: %v", asJSON(rg))
	}
	notFound("okta.readGroup", map[string]any{"ID": "00gnotthere"})
	cgID := engine.ToText(cg["ID"])
	ug2 := mustCard(t, tn, "okta.updateGroup", map[string]any{"ID": cgID, "Name": "Flowbench QA", "email": "qa@example.com"})
	if engine.ToText(at(ug2["Profile"], "Name")) != "Flowbench QA" || engine.ToText(at(ug2["Profile"], "Description")) != "made by a test" || ug2["email"] != "qa@example.com" {
		t.Fatalf("update group: %v", asJSON(ug2))
	}
	rg2 := mustCard(t, tn, "okta.readGroup", map[string]any{"ID": cgID})
	if rg2["email"] != "qa@example.com" {
		t.Fatalf("custom group property not read back: %v", asJSON(rg2))
	}
	notFound("okta.updateGroup", map[string]any{"ID": "00gnotthere", "Name": "x"})

	sa := mustCard(t, tn, "okta.searchApplications", map[string]any{"Query": "GitHub", "resultSet": FirstMatch})
	if sa["ID"] != appID || sa["Label"] != "GitHub Enterprise" {
		t.Fatalf("search applications: %v", asJSON(sa))
	}
	sa2 := mustCard(t, tn, "okta.searchApplications", map[string]any{"Filter": `status eq "ACTIVE"`, "resultSet": First200})
	apps2, _ := sa2["Applications"].([]any)
	if len(apps2) < 2 {
		t.Fatalf("search applications by filter: %v", asJSON(sa2))
	}
	streamed.Store(0)
	sa3 := mustCard(t, tn, "okta.searchApplications", map[string]any{"resultSet": StreamAll}, withFlow)
	if n := sa3["Records Streamed"].(float64); n < float64(len(apps2)) || int32(n) != streamed.Load() {
		t.Fatalf("applications streamed %v, helper ran %d", n, streamed.Load())
	}
	ra := mustCard(t, tn, "okta.readApplication", map[string]any{"application": "-- Enter Application ID --", "applicationID": appID})
	if ra["ID"] != appID || ra["Name"] != "bookmark" || ra["Label"] != "GitHub Enterprise" {
		t.Fatalf("read application: %v", asJSON(ra))
	}
	notFound("okta.readApplication", map[string]any{"applicationID": "0oanotthere"})

	ag := mustCard(t, tn, "okta.assignGroupToApplication", map[string]any{"application": "-- Enter Application ID --", "applicationID": appID, "groupID": cgID})
	if ag["ID"] != cgID || ag["Priority"] == nil {
		t.Fatalf("assign group to app: %v", asJSON(ag))
	}
	notFound("okta.assignGroupToApplication", map[string]any{"applicationID": appID, "groupID": "00gnotthere"})
	lg := mustCard(t, tn, "okta.listGroupsAssignedToApplication", map[string]any{"applicationID": appID})
	if !strings.Contains(asJSON(lg["Groups"]), cgID) {
		t.Fatalf("app groups: %v", asJSON(lg))
	}
	streamed.Store(0)
	lgs := mustCard(t, tn, "okta.listGroupsAssignedToApplication", map[string]any{"applicationID": appID, "resultSet": StreamRecs}, withFlow)
	if n := lgs["Records Streamed"].(float64); n != float64(len(lg["Groups"].([]any))) || int32(n) != streamed.Load() {
		t.Fatalf("app groups streamed %v, helper ran %d", n, streamed.Load())
	}
	add2 := mustCard(t, tn, "okta.addUserToGroup", map[string]any{"Group/id": cgID, "User/id": newID})
	if add2["status"] != 204.0 {
		t.Fatalf("add to group: %v", asJSON(add2))
	}
	gau := mustCard(t, tn, "okta.getAssignedUserForApplication", map[string]any{"application": appID, "id": newID})
	if gau["User ID"] != newID || gau["Scope"] != "GROUP" {
		t.Fatalf("assigned user (through group): %v", asJSON(gau))
	}
	notFound("okta.getAssignedUserForApplication", map[string]any{"application": appID, "id": "00unotthere"})

	since := time.Now().Add(-time.Hour).UTC().Format(engine.DateLayout)
	sl := mustCard(t, tn, "okta.searchSystemLogs", map[string]any{"searchBy": "Expression", "Event Type": "user.session.clear", "Target ID": newID,
		"since": since, "resultSet": FirstMatch})
	if sl["Event Type"] != "user.session.clear" || engine.ToText(at(sl["Actor"], "Type")) == "" {
		t.Fatalf("search system logs: %v", asJSON(sl))
	}
	sl2 := mustCard(t, tn, "okta.searchSystemLogs", map[string]any{"searchBy": "Keyword", "Keyword": "session clear", "resultSet": First200})
	if l, _ := sl2["System Logs"].([]any); len(l) != 1 {
		t.Fatalf("search system logs by keyword: %v", asJSON(sl2))
	}
	streamed.Store(0)
	sl3 := mustCard(t, tn, "okta.searchSystemLogs", map[string]any{"Custom Filter": `eventType sw "group."`, "resultSet": StreamAll}, withFlow)
	if n := sl3["Records Streamed"].(float64); n < 3 || int32(n) != streamed.Load() {
		t.Fatalf("logs streamed %v, helper ran %d", n, streamed.Load())
	}
	_, _, err = tn.card(t, "okta.searchSystemLogs", map[string]any{"Custom Filter": `eventType eq`, "resultSet": First200})
	if !errors.As(err, &ce) || ce.Status != 400 {
		t.Fatalf("bad log filter: %v", err)
	}

	// Identity Source import: map, create session, upload, trigger, list, delete
	mp := mustCard(t, tn, "okta.mapProfileSourceAttributes", map[string]any{"applicationID": appID, "importOperation": "UPSERT", "externalIdKey": "empId",
		"users": []any{map[string]any{"empId": "E-1", "firstName": "Ima", "lastName": "Port", "email": "ima.port@example.com"}}})
	mapped, _ := mp["Users"].([]any)
	if len(mapped) != 1 || at(mapped[0], "externalId") != "E-1" || at(mapped[0], "profile", "userName") != "ima.port@example.com" {
		t.Fatalf("map profile attributes: %v", asJSON(mp))
	}
	cis := mustCard(t, tn, "okta.createImportSession", map[string]any{"applicationID": appID})
	sid := engine.ToText(cis["id"])
	if sid == "" || cis["status"] != "CREATED" || cis["identitySourceId"] != appID {
		t.Fatalf("create import session: %v", asJSON(cis))
	}
	li := mustCard(t, tn, "okta.listImportSessions", map[string]any{"applicationID": appID})
	if !strings.Contains(asJSON(li["Sessions"]), sid) {
		t.Fatalf("list import sessions: %v", asJSON(li))
	}
	bi := mustCard(t, tn, "okta.bulkUserImport", map[string]any{"applicationID": appID, "sessionId": sid, "importOperation": "upsert", "Users": mapped})
	if bi["recordsImported"] != 1.0 {
		t.Fatalf("bulk import: %v", asJSON(bi))
	}
	ti := mustCard(t, tn, "okta.triggerImportSession", map[string]any{"applicationID": appID, "sessionId": sid})
	if ti["status"] != "TRIGGERED" {
		t.Fatalf("trigger import: %v", asJSON(ti))
	}
	imp := mustCard(t, tn, "okta.readUser", map[string]any{"ID or Login": "ima.port@example.com"})
	if imp["Status"] != "ACTIVE" || imp["firstName"] != "Ima" {
		t.Fatalf("imported user: %v", asJSON(imp))
	}
	di := mustCard(t, tn, "okta.deleteImportSession", map[string]any{"applicationID": appID, "sessionId": sid})
	if di["statusCode"] != 204.0 {
		t.Fatalf("delete import session: %v", asJSON(di))
	}
	notFound("okta.triggerImportSession", map[string]any{"applicationID": appID, "sessionId": sid})
	notFound("okta.createImportSession", map[string]any{"applicationID": "0oanotthere"})

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

func hasEvent(tn *tenant, typ, target string) bool {
	for _, e := range tn.srv.Events() {
		if e.EventType != typ {
			continue
		}
		for _, tg := range e.Target {
			if tg.ID == target {
				return true
			}
		}
	}
	return false
}
