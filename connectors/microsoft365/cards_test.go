package microsoft365

import (
	"slices"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/microsoft365/fake"
	"github.com/flowbench/flowbench/engine"
)

const alice = "alice.nguyen@example.com"

func TestReadUserByEmailAndID(t *testing.T) {
	tn := newTenant(t, fake.Config{})
	out := tn.must(t, "office365admin:readUser", map[string]any{"ID or Email": alice})
	if out["displayName"] != "Alice Nguyen" || out["userPrincipalName"] != alice || out["accountEnabled"] != true {
		t.Fatalf("read by email: %s", asJSON(out))
	}
	lic, _ := out["licenseDetails"].([]any)
	if len(lic) != 1 || !strings.Contains(asJSON(lic), "ENTERPRISEPACK") {
		t.Errorf("licenseDetails = %s, want Alice's E3", asJSON(lic))
	}
	id, _ := out["id"].(string)
	again := tn.must(t, "office365admin:readUser", map[string]any{"ID or Email": id})
	if again["mail"] != alice {
		t.Errorf("read by id: %s", asJSON(again))
	}
	// every declared output is there (nil when Graph has no value)
	spec, _ := engine.Default().ByOkta("office365admin:readUser")
	for _, o := range spec.Outputs {
		if _, ok := out[o.Key]; !ok {
			t.Errorf("output %q missing", o.Key)
		}
	}
}

func TestReadUserNotFoundIsGraphError(t *testing.T) {
	tn := newTenant(t, fake.Config{})
	_, _, err := tn.card(t, "office365admin:readUser", map[string]any{"ID or Email": "nobody@example.com"})
	he := httpErr(t, err)
	if he.Status != 404 || he.Code != "Request_ResourceNotFound" || !strings.Contains(he.Summary, "nobody@example.com") {
		t.Fatalf("got %+v", he)
	}
	_, _, err = tn.card(t, "office365admin:readUser", map[string]any{"ID or Email": ""})
	if err == nil || !strings.Contains(err.Error(), "ID or Email") {
		t.Fatalf("empty input: %v", err)
	}
}

func TestLicenses(t *testing.T) {
	tn := newTenant(t, fake.Config{})
	out := tn.must(t, "office365admin:getLicenses", nil)
	list, _ := out["Licenses"].([]any)
	if len(list) != 3 {
		t.Fatalf("licenses: %s", asJSON(out))
	}
	e3 := list[0].(map[string]any)
	if e3["SKU Part Number"] != "ENTERPRISEPACK" || e3["Name"] != "Office 365 E3" || e3["Consumed Units"] != 2.0 || e3["SKU Id"] != fake.SkuE3 {
		t.Errorf("E3 = %s", asJSON(e3))
	}
	bob := "bob.martinez@example.com"
	u := tn.must(t, "office365admin:assignLicenseToUser", map[string]any{"id": bob, "skuId": fake.SkuE3,
		"disabledPlans": []any{"57ff2da0-773e-42df-b2af-ffb7a2317929"}})
	al, _ := u["assignedLicenses"].([]any)
	if len(al) != 1 || !strings.Contains(asJSON(al), fake.SkuE3) || !strings.Contains(asJSON(al), "57ff2da0") {
		t.Fatalf("assign: %s", asJSON(u["assignedLicenses"]))
	}
	plans := asJSON(u["assignedPlans"])
	if strings.Contains(plans, "TEAMS1") || !strings.Contains(plans, "EXCHANGE_S_ENTERPRISE") {
		t.Errorf("assignedPlans keep the disabled plan out: %s", plans)
	}
	if k, _ := tn.fake.SKU("ENTERPRISEPACK"); k["consumedUnits"] != 3.0 {
		t.Errorf("consumed units after assign = %v", k["consumedUnits"])
	}
	u = tn.must(t, "office365admin:removeLicenseFromUser", map[string]any{"id": bob, "skuId": fake.SkuE3})
	if al, _ := u["assignedLicenses"].([]any); len(al) != 0 {
		t.Fatalf("remove: %s", asJSON(u))
	}
	// a part number where the SKU id goes: the field is named
	_, _, err := tn.card(t, "office365admin:assignLicenseToUser", map[string]any{"id": bob, "skuId": "ENTERPRISEPACK"})
	if err == nil || !strings.Contains(err.Error(), "skuId") || !strings.Contains(err.Error(), "not a SKU id") {
		t.Errorf("part number: %v", err)
	}
	_, _, err = tn.card(t, "office365admin:assignLicenseToUser", map[string]any{"id": bob, "skuId": fake.SkuE3, "disabledPlans": []any{"TEAMS1"}})
	if err == nil || !strings.Contains(err.Error(), "disabledPlans") {
		t.Errorf("plan name: %v", err)
	}
	// Graph's own refusals come back with its code and message
	_, _, err = tn.card(t, "office365admin:assignLicenseToUser", map[string]any{"id": "david.kim@example.com", "skuId": fake.SkuE3})
	if he := httpErr(t, err); he.Status != 400 || !strings.Contains(he.Summary, "usage location") {
		t.Errorf("no usage location: %+v", he)
	}
	tn.must(t, "office365admin:assignLicenseToUser", map[string]any{"id": bob, "skuId": fake.SkuEMS})
	_, _, err = tn.card(t, "office365admin:assignLicenseToUser", map[string]any{"id": "emma.schmidt@example.com", "skuId": fake.SkuEMS})
	if he := httpErr(t, err); !strings.Contains(he.Summary, "does not have any available licenses") {
		t.Errorf("EMS has one seat: %+v", he)
	}
}

func TestEnableDisableRevoke(t *testing.T) {
	tn := newTenant(t, fake.Config{})
	out := tn.must(t, "office365admin:disableUserAccount", map[string]any{"id": alice})
	if out["Status Code"] != 204.0 {
		t.Fatalf("disable: %s", asJSON(out))
	}
	if u, _ := tn.fake.User(alice); u["accountEnabled"] != false {
		t.Fatalf("still enabled: %v", u["accountEnabled"])
	}
	tn.must(t, "office365admin:enableUserAccount", map[string]any{"id": alice})
	if u, _ := tn.fake.User(alice); u["accountEnabled"] != true {
		t.Fatalf("not enabled again")
	}
	out = tn.must(t, "office365admin:revokeUserSignInSessions", map[string]any{"userId": alice})
	if out["Are All Sessions Revoked?"] != true || out["Status Code"] != 200.0 {
		t.Fatalf("revoke: %s", asJSON(out))
	}
	if u, _ := tn.fake.User(alice); u["signInSessionsValidFromDateTime"] == nil {
		t.Errorf("sessions not revoked in the tenant")
	}
}

func TestGroupsMembershipSearchDelete(t *testing.T) {
	tn := newTenant(t, fake.Config{PageSize: 1})
	bob, _ := tn.fake.User("bob.martinez@example.com")
	out := tn.must(t, "office365admin:addUserToGroup", map[string]any{"User/id": bob["id"], "Group/id": fake.GroupEngineering})
	if out["Status Code"] != 204.0 || !slices.Contains(tn.fake.Members(fake.GroupEngineering), bob["id"].(string)) {
		t.Fatalf("add: %s %v", asJSON(out), tn.fake.Members(fake.GroupEngineering))
	}
	_, _, err := tn.card(t, "office365admin:addUserToGroup", map[string]any{"User/id": bob["id"], "Group/id": fake.GroupEngineering})
	if he := httpErr(t, err); he.Status != 400 || !strings.Contains(he.Summary, "already exist") {
		t.Errorf("second add: %+v", he)
	}
	tn.must(t, "office365admin:removeUserFromGroup", map[string]any{"User/id": bob["id"], "Group/id": fake.GroupEngineering})
	if slices.Contains(tn.fake.Members(fake.GroupEngineering), bob["id"].(string)) {
		t.Fatal("still a member")
	}
	// search: eq on mail, startswith on the display name; all matches
	// follow @odata.nextLink (page size 1)
	out = tn.must(t, "office365admin:searchGroups", map[string]any{"mail": "ENGINEERING@example.com"})
	g, _ := out["Groups"].([]any)
	if len(g) != 1 || g[0].(map[string]any)["id"] != fake.GroupEngineering {
		t.Fatalf("search by mail: %s", asJSON(out))
	}
	out = tn.must(t, "office365admin:searchGroups", map[string]any{"resultSet": allMatches, "filter_type": "startswith", "displayName": "S"})
	if g, _ := out["Groups"].([]any); len(g) != 1 {
		// "Sales" only: "All Staff Security" starts with A
		t.Fatalf("startswith S: %s", asJSON(out))
	}
	out = tn.must(t, "office365admin:searchGroups", map[string]any{"resultSet": allMatches, "filter_type": "startswith", "mailNickname": "a"})
	if g, _ := out["Groups"].([]any); len(g) != 1 {
		t.Fatalf("startswith a: %s", asJSON(out))
	}
	_, _, err = tn.card(t, "office365admin:searchGroups", map[string]any{"filter_type": "contains", "mail": "x"})
	if err == nil || !strings.Contains(err.Error(), "filter_type") {
		t.Errorf("bad operator: %v", err)
	}
	out = tn.must(t, "office365admin:deleteGroup", map[string]any{"id": fake.GroupSales})
	if out["Status Code"] != 204.0 {
		t.Fatalf("delete: %s", asJSON(out))
	}
	if _, ok := tn.fake.GroupByName("Sales"); ok {
		t.Fatal("group still there")
	}
}

func TestSearchAllMatchesPages(t *testing.T) {
	tn := newTenant(t, fake.Config{PageSize: 1})
	out := tn.must(t, "office365admin:searchGroups", map[string]any{"resultSet": allMatches, "filter_type": "startswith", "mail": "s"})
	// Sales only has a mail (security groups have none); with page size 1
	// every group matching comes through next links
	if g, _ := out["Groups"].([]any); len(g) != 1 {
		t.Fatalf("%s", asJSON(out))
	}
	pages := 0
	for _, c := range tn.tr.calls() {
		if strings.HasPrefix(c, "GET /v1.0/groups ") {
			pages++
		}
	}
	if pages < 1 {
		t.Fatalf("calls %v", tn.tr.calls())
	}
	tn2 := newTenant(t, fake.Config{PageSize: 2})
	out = tn2.must(t, "microsoftteams:listMembers", map[string]any{"Team ID": fake.GroupEngineering})
	if l, _ := out["Members"].([]any); len(l) != 5 {
		t.Fatalf("paged members: %s", asJSON(out))
	}
	n := 0
	for _, c := range tn2.tr.calls() {
		if strings.HasPrefix(c, "GET /v1.0/teams/"+fake.GroupEngineering+"/members ") {
			n++
		}
	}
	if n != 3 {
		t.Errorf("5 members in pages of 2 want 3 calls, got %d: %v", n, tn2.tr.calls())
	}
}

func TestCreateGuestAndUser(t *testing.T) {
	tn := newTenant(t, fake.Config{})
	out := tn.must(t, "office365admin:createGuestUser", map[string]any{"invitedUserEmailAddress": "pat@partner.example",
		"invitedUserDisplayName": "Pat Partner", "inviteRedirectUrl": "https://myapps.microsoft.com", "sendInvitationMessage": true,
		"customizedMessageBody": "Welcome", "address": "sponsor@example.com", "name": "Sponsor"})
	if out["status"] != "PendingAcceptance" || out["invitedUserType"] != "Guest" || out["customizedMessageBody"] != "Welcome" ||
		!strings.Contains(asJSON(out["ccRecipients"]), "sponsor@example.com") || out["invitedUser"] == nil {
		t.Fatalf("guest: %s", asJSON(out))
	}
	if u, ok := tn.fake.User(out["invitedUser"].(string)); !ok || u["userType"] != "Guest" {
		t.Fatalf("guest user in tenant: %v", u)
	}
	_, _, err := tn.card(t, "office365admin:createGuestUser", map[string]any{"invitedUserEmailAddress": "x@y.z", "inviteRedirectUrl": "myapps"})
	if err == nil || !strings.Contains(err.Error(), "inviteRedirectUrl") {
		t.Errorf("relative redirect: %v", err)
	}
	out = tn.must(t, "office365admin:createUser", map[string]any{"displayName": "New Hire", "userPrincipalName": "new.hire@example.com",
		"password": "Temp#12345", "usageLocation": "US", "department": "Sales"})
	if out["userPrincipalName"] != "new.hire@example.com" || out["department"] != "Sales" || out["id"] == nil {
		t.Fatalf("create: %s", asJSON(out))
	}
	if strings.Contains(asJSON(out), "Temp#12345") {
		t.Error("the password is in the outputs")
	}
}

func TestSendEmail(t *testing.T) {
	tn := newTenant(t, fake.Config{})
	out := tn.must(t, "office365mail:sendEmail2", map[string]any{"To": []any{alice}, "CC": []any{"bob.martinez@example.com"},
		"Subject": "Welcome", "Body": "<b>Hi</b>", "Message Type": "HTML"})
	id, _ := out["Message ID"].(string)
	sent := tn.fake.SentMail()
	if id == "" || len(sent) != 1 || sent[0]["id"] != id {
		t.Fatalf("sent %s, out %s", asJSON(sent), asJSON(out))
	}
	m := sent[0]
	if m["subject"] != "Welcome" || !strings.Contains(asJSON(m["body"]), `"contentType":"HTML"`) ||
		!strings.Contains(asJSON(m["from"]), fake.SignedInUser) || !strings.Contains(asJSON(m["ccRecipients"]), "bob.martinez") {
		t.Errorf("message %s", asJSON(m))
	}
	_, _, err := tn.card(t, "office365mail:sendEmail2", map[string]any{"Subject": "none"})
	if err == nil || !strings.Contains(err.Error(), "To") {
		t.Errorf("no recipients: %v", err)
	}
	_, _, err = tn.card(t, "office365mail:sendEmail2", map[string]any{"To": []any{"not-an-address"}})
	if err == nil || !strings.Contains(err.Error(), "not an email address") {
		t.Errorf("bad address: %v", err)
	}
	// app-only without a mailbox: the fix is named
	delete(tn.conns["sandbox-office365mail"].Config, CfgMailbox)
	_, _, err = tn.card(t, "office365mail:sendEmail2", map[string]any{"To": []any{alice}})
	if err == nil || !strings.Contains(err.Error(), "Send as (mailbox)") {
		t.Errorf("no mailbox: %v", err)
	}
}

func TestTeams(t *testing.T) {
	tn := newTenant(t, fake.Config{})
	out := tn.must(t, "microsoftteams:addMember", map[string]any{"Team ID": fake.GroupEngineering, "User ID or Email": "zoe.williams@example.com", "Role": "Owner"})
	if out["Display Name"] != "Zoe Williams" || asJSON(out["Roles"]) != `["owner"]` {
		t.Fatalf("add: %s", asJSON(out))
	}
	list := tn.must(t, "microsoftteams:listMembers", map[string]any{"Team ID": fake.GroupEngineering})
	if !strings.Contains(asJSON(list), "Zoe Williams") {
		t.Fatalf("list: %s", asJSON(list))
	}
	tn.must(t, "microsoftteams:removeMember", map[string]any{"Team ID": fake.GroupEngineering, "User ID or Email": "zoe.williams@example.com"})
	list = tn.must(t, "microsoftteams:listMembers", map[string]any{"Team ID": fake.GroupEngineering})
	if strings.Contains(asJSON(list), "Zoe Williams") {
		t.Fatalf("still listed: %s", asJSON(list))
	}
	_, _, err := tn.card(t, "microsoftteams:removeMember", map[string]any{"Team ID": fake.GroupEngineering, "User ID or Email": "zoe.williams@example.com"})
	if err == nil || !strings.Contains(err.Error(), "not a member") {
		t.Errorf("remove twice: %v", err)
	}
	// private channel membership: team members only; a standard channel refuses
	ch := map[string]any{"Team ID": fake.GroupEngineering, "Channel ID": fake.ChannelOncall}
	with := func(k, v string) map[string]any {
		m := map[string]any{k: v}
		for a, b := range ch {
			m[a] = b
		}
		return m
	}
	cm := tn.must(t, "microsoftteams:addMemberToChannel", with("User ID or Email", "priya.patel@example.com"))
	if cm["Display Name"] != "Priya Patel" {
		t.Fatalf("add to channel: %s", asJSON(cm))
	}
	if l := tn.must(t, "microsoftteams:listChannelMembers", ch); !strings.Contains(asJSON(l), "Priya Patel") || strings.Contains(asJSON(l), "Alice") {
		t.Fatalf("channel members: %s", asJSON(l))
	}
	_, _, err = tn.card(t, "microsoftteams:addMemberToChannel", with("User ID or Email", "bob.martinez@example.com"))
	if he := httpErr(t, err); he.Status != 400 || !strings.Contains(he.Summary, "member of the team") {
		t.Errorf("not in the team: %+v", he)
	}
	_, _, err = tn.card(t, "microsoftteams:addMemberToChannel", map[string]any{"Team ID": fake.GroupEngineering, "Channel ID": fake.ChannelGeneral, "User ID or Email": "priya.patel@example.com"})
	if he := httpErr(t, err); he.Status != 400 || !strings.Contains(he.Summary, "standard channel") {
		t.Errorf("standard channel: %+v", he)
	}
	tn.must(t, "microsoftteams:removeMemberFromChannel", with("User ID or Email", "priya.patel@example.com"))
	if l := tn.must(t, "microsoftteams:listChannelMembers", ch); strings.Contains(asJSON(l), "Priya Patel") {
		t.Fatalf("still in the channel: %s", asJSON(l))
	}
	msg := tn.must(t, "microsoftteams:sendMessageToChannel", map[string]any{"Team ID": fake.GroupEngineering, "Channel ID": fake.ChannelGeneral,
		"Message": "Deploy done", "Subject": "CI"})
	if msg["Content"] != "Deploy done" || msg["Message ID"] == nil {
		t.Fatalf("send: %s", asJSON(msg))
	}
	tn.must(t, "microsoftteams:sendMessageToChannel", map[string]any{"Team ID": fake.GroupEngineering, "Channel ID": fake.ChannelGeneral, "Message": "second"})
	msgs := tn.must(t, "microsoftteams:listChannelMessages", map[string]any{"Team ID": fake.GroupEngineering, "Channel ID": fake.ChannelGeneral, "Limit": 1})
	l, _ := msgs["Messages"].([]any)
	if len(l) != 1 || l[0].(map[string]any)["Content"] != "second" {
		t.Fatalf("newest first, limit 1: %s", asJSON(msgs))
	}
	_, _, err = tn.card(t, "microsoftteams:sendMessageToChannel", map[string]any{"Team ID": "nope", "Channel ID": fake.ChannelGeneral, "Message": "x"})
	if he := httpErr(t, err); he.Status != 404 {
		t.Errorf("unknown team: %+v", he)
	}
}

func TestCustomAPIAction(t *testing.T) {
	tn := newTenant(t, fake.Config{})
	out := tn.must(t, "office365admin:customAPIAction", map[string]any{"requestType": "GET", "Relative URL": "/users",
		"Query": map[string]any{"$filter": "department eq 'Security'", "$select": "id,displayName"}})
	if out["Status Code"] != 200.0 || !strings.Contains(asJSON(out["Body"]), "Zoe Williams") || strings.Contains(asJSON(out["Body"]), "Alice") {
		t.Fatalf("GET: %s", asJSON(out))
	}
	// every status is a result, not an error
	out = tn.must(t, "office365admin:customAPIAction", map[string]any{"requestType": "GET", "Relative URL": "/users/nobody@example.com"})
	if out["Status Code"] != 404.0 || !strings.Contains(asJSON(out["Body"]), "Request_ResourceNotFound") {
		t.Fatalf("404: %s", asJSON(out))
	}
	out = tn.must(t, "office365admin:customAPIAction", map[string]any{"requestType": "PATCH", "Relative URL": "/users/" + alice,
		"Body": map[string]any{"jobTitle": "Staff Engineer"}})
	if out["Status Code"] != 204.0 {
		t.Fatalf("PATCH: %s", asJSON(out))
	}
	if u, _ := tn.fake.User(alice); u["jobTitle"] != "Staff Engineer" {
		t.Errorf("not updated: %v", u["jobTitle"])
	}
	// the rest of what admins reach for through it
	calls := []struct {
		method, rel string
		body        any
		status      float64
		has         string
	}{
		{"POST", "/groups", map[string]any{"displayName": "Contractors", "mailEnabled": false, "mailNickname": "contractors", "securityEnabled": true}, 201, "Contractors"},
		{"GET", "/groups/" + fake.GroupSales, nil, 200, "sales@example.com"},
		{"GET", "/groups/" + fake.GroupSales + "/members", nil, 200, "Julia Rossi"},
		{"GET", "/users/" + alice + "/memberOf", nil, 200, "Engineering"},
		{"GET", "/teams/" + fake.GroupEngineering + "/channels", nil, 200, "General"},
		{"POST", "/users/" + alice + "/sendMail", map[string]any{"message": map[string]any{"subject": "Hi",
			"toRecipients": []any{map[string]any{"emailAddress": map[string]any{"address": "bob.martinez@example.com"}}}}}, 202, ""},
		{"DELETE", "/users/kenji.tanaka@example.com", nil, 204, ""},
		{"GET", "/organization", nil, 200, "Flowbench Sandbox"},
	}
	for _, c := range calls {
		in := map[string]any{"requestType": c.method, "Relative URL": c.rel}
		if c.body != nil {
			in["Body"] = c.body
		}
		out := tn.must(t, "office365admin:customAPIAction", in)
		if out["Status Code"] != c.status || !strings.Contains(asJSON(out["Body"]), c.has) {
			t.Errorf("%s %s: %s", c.method, c.rel, asJSON(out))
		}
	}
	if _, ok := tn.fake.User("kenji.tanaka@example.com"); ok {
		t.Error("Kenji not deleted")
	}
	if len(tn.fake.SentMail()) != 1 {
		t.Error("sendMail did not send")
	}
	_, _, err := tn.card(t, "office365admin:customAPIAction", map[string]any{"requestType": "GET", "Relative URL": "https://evil.example/users"})
	if err == nil || !strings.Contains(err.Error(), "Relative URL") {
		t.Errorf("absolute URL: %v", err)
	}
}

func TestThrottledCallWaitsForRetryAfter(t *testing.T) {
	tn := newTenant(t, fake.Config{Faults: []fake.Fault{{PathPrefix: "/v1.0/users", Method: "GET", Status: 429, Every: 2, RetryAfter: 1}}})
	var attempts []engine.Attempt
	for i := 0; i < 2; i++ {
		_, ex, err := tn.card(t, "office365admin:readUser", map[string]any{"ID or Email": alice})
		if err != nil {
			t.Fatal(err)
		}
		attempts = append(attempts, ex.Cards[len(ex.Cards)-1].Attempts...)
	}
	// the throttled GET is retried after the Retry-After the fake sent, and
	// the card's history records both tries
	var throttled *engine.Attempt
	for i := range attempts {
		if attempts[i].Status == 429 {
			throttled = &attempts[i]
			if i+1 >= len(attempts) || attempts[i+1].Status != 200 || attempts[i+1].Wait <= 0 || !strings.Contains(attempts[i+1].Reason, "rate governor") {
				t.Fatalf("after the 429: %s", asJSON(attempts))
			}
		}
	}
	if throttled == nil {
		t.Fatalf("no throttled attempt recorded: %s", asJSON(attempts))
	}
}

func TestErrorsAndSecretsAreScrubbed(t *testing.T) {
	tn := newTenant(t, fake.Config{Faults: []fake.Fault{{PathPrefix: "/v1.0/groups", Status: 503}}})
	_, ex, err := tn.card(t, "office365admin:deleteGroup", map[string]any{"id": fake.GroupSales})
	he := httpErr(t, err)
	if he.Status != 503 || he.Code != "serviceNotAvailable" {
		t.Fatalf("got %+v", he)
	}
	if strings.Contains(asJSON(ex), fake.ClientSecret) {
		t.Fatal("the client secret is in the history")
	}
	for _, c := range ex.Cards {
		for _, a := range c.Attempts {
			if strings.Contains(asJSON(a), "eyJ0eXAi") {
				t.Fatalf("an access token is in the attempts: %s", asJSON(a))
			}
		}
	}
}

func TestCardsDeclareOktaKeys(t *testing.T) {
	// the corpus's field keys (read from the templates' flopacks)
	want := map[string][]string{
		"office365admin:addUserToGroup":           {"User/id", "Group/id"},
		"office365admin:removeUserFromGroup":      {"User/id", "Group/id"},
		"office365admin:assignLicenseToUser":      {"id", "skuId", "disabledPlans"},
		"office365admin:removeLicenseFromUser":    {"id", "skuId"},
		"office365admin:createGuestUser":          {"invitedUserDisplayName", "address", "invitedUserEmailAddress", "name", "sendInvitationMessage", "customizedMessageBody", "inviteRedirectUrl", "messageLanguage", "invitedUserType"},
		"office365admin:deleteGroup":              {"id"},
		"office365admin:disableUserAccount":       {"id"},
		"office365admin:enableUserAccount":        {"id"},
		"office365admin:readUser":                 {"ID or Email"},
		"office365admin:revokeUserSignInSessions": {"userId"},
		"office365admin:searchGroups":             {"resultSet", "filter_type", "mail"},
		"office365admin:customAPIAction":          {"requestType", "Relative URL", "Query", "Headers", "Body"},
		"office365mail:sendEmail2":                {"To", "CC", "BCC", "Subject", "Body", "Message Type", "Attachments"},
	}
	for kind, keys := range want {
		s, ok := engine.Default().ByOkta(kind)
		if !ok {
			t.Errorf("%s not registered", kind)
			continue
		}
		for _, k := range keys {
			if s.InputSpec(k) == nil {
				t.Errorf("%s: no input %q", kind, k)
			}
		}
	}
	outs := map[string][]string{
		"office365admin:readUser":                 {"aboutMe", "accountEnabled", "ageGroup", "id", "licenseAssignmentStates", "userType", "drives", "licenseDetails", "department", "displayName", "mail", "userPrincipalName"},
		"office365admin:assignLicenseToUser":      {"aboutMe", "accountEnabled", "ageGroup", "assignedLicenses", "assignedPlans"},
		"office365admin:getLicenses":              {"Licenses"},
		"office365admin:searchGroups":             {"Groups"},
		"office365admin:revokeUserSignInSessions": {"Are All Sessions Revoked?", "Status Code"},
		"office365admin:createGuestUser":          {"invitedUser", "ccRecipients", "id", "customizedMessageBody", "inviteRedeemUrl", "messageLanguage", "status", "invitedUserMessageInfo"},
		"office365mail:sendEmail2":                {"Message ID"},
	}
	for kind, keys := range outs {
		s, _ := engine.Default().ByOkta(kind)
		for _, k := range keys {
			if s == nil || s.OutputSpec(k) == nil {
				t.Errorf("%s: no output %q", kind, k)
			}
		}
	}
	if s, _ := engine.Default().ByOkta("office365mail:sendEmail2"); s.Connection != KindMail {
		t.Errorf("Send Email's connection kind = %q", s.Connection)
	}
	if _, ok := kit.Lookup(KindTeams); !ok {
		t.Error("no Teams connector")
	}
	// a Custom API Action per connection kind, and the cards per app
	count := map[string]int{}
	for _, s := range engine.Default().Cards() {
		count[s.Connection]++
	}
	for kind, n := range map[string]int{KindAdmin: 16, KindMail: 2, KindTeams: 10} {
		if count[kind] != n {
			t.Errorf("%s has %d cards, want %d", kind, count[kind], n)
		}
		if s, ok := engine.Default().ByOkta(kind + ":customAPIAction"); !ok || s.Connection != kind {
			t.Errorf("%s: no Custom API Action", kind)
		}
	}
}
