package sandbox

import (
	"net/url"
	"strings"
	"testing"
)

// campaignBody is a resource campaign as the reference's create example
// writes it, on the sandbox's own app and reviewer.
func campaignBody(name, appID, reviewer string) map[string]any {
	return map[string]any{
		"name": name, "description": "Quarterly review",
		"scheduleSettings":       map[string]any{"type": "ONE_OFF", "startDate": "2030-01-10T00:00:00Z", "durationInDays": 30.0, "timeZone": "America/Vancouver"},
		"resourceSettings":       map[string]any{"type": "APPLICATION", "targetResources": []any{map[string]any{"resourceId": appID, "resourceType": "APPLICATION"}}},
		"principalScopeSettings": map[string]any{"type": "USERS"},
		"reviewerSettings":       map[string]any{"type": "USER", "reviewerId": reviewer},
		"remediationSettings":    map[string]any{"accessApproved": "NO_ACTION", "accessRevoked": "DENY", "noResponse": "NO_ACTION"},
	}
}

// TestGovernanceCampaigns: create (201, SCHEDULED, endDate, links), read,
// list with a filter, launch/end transitions and their 409s, delete rules,
// and the body checks (required fields, enums, unknown reviewer).
func TestGovernanceCampaigns(t *testing.T) {
	s, base := startServer(t, Config{})
	tok := DefaultAPIToken
	gov := base + "/governance/api/v1"
	alice := userID(t, s, "alice.nguyen@example.com")
	var apps []map[string]any
	call(t, "GET", base+"/api/v1/apps?limit=1", tok, nil).want(t, 200).json(t, &apps)
	app := apps[0]["id"].(string)

	var c map[string]any
	call(t, "POST", gov+"/campaigns", tok, campaignBody("Sales review", app, alice)).want(t, 201).json(t, &c)
	id, _ := c["id"].(string)
	sch, _ := c["scheduleSettings"].(map[string]any)
	links, _ := c["_links"].(map[string]any)
	if !strings.HasPrefix(id, "ici") || c["status"] != "SCHEDULED" || c["campaignType"] != "RESOURCE" || c["createdBy"] == "" ||
		sch["endDate"] != "2030-02-09T00:00:00.000Z" || links["launchCampaign"] == nil || links["reviews"] == nil {
		t.Fatalf("created campaign: %v", c)
	}
	call(t, "GET", gov+"/campaigns/"+id, tok, nil).want(t, 200)
	call(t, "GET", gov+"/campaigns/icinotthere000000000", tok, nil).want(t, 404)
	call(t, "POST", gov+"/campaigns", tok, campaignBody("Other", app, alice)).want(t, 201)

	var l map[string]any
	call(t, "GET", gov+"/campaigns?filter="+url.QueryEscape(`name eq "Sales review"`), tok, nil).want(t, 200).json(t, &l)
	if d, _ := l["data"].([]any); len(d) != 1 || d[0].(map[string]any)["id"] != id {
		t.Fatalf("filtered list: %v", l)
	}
	call(t, "GET", gov+"/campaigns?limit=1", tok, nil).want(t, 200).json(t, &l)
	if nx, _ := l["_links"].(map[string]any)["next"].(map[string]any); nx == nil {
		t.Fatalf("no next link with limit=1: %v", l)
	}
	call(t, "GET", gov+"/campaigns?filter="+url.QueryEscape(`owner sw "x"`), tok, nil).want(t, 400)

	call(t, "POST", gov+"/campaigns/"+id+"/end", tok, nil).want(t, 409)
	call(t, "POST", gov+"/campaigns/"+id+"/launch", tok, nil).want(t, 202)
	call(t, "POST", gov+"/campaigns/"+id+"/launch", tok, nil).want(t, 409)
	call(t, "DELETE", gov+"/campaigns/"+id, tok, nil).want(t, 409)
	call(t, "POST", gov+"/campaigns/"+id+"/end", tok, nil).want(t, 202)
	call(t, "GET", gov+"/campaigns/"+id, tok, nil).want(t, 200).json(t, &c)
	if c["status"] != "COMPLETED" {
		t.Fatalf("after end: %v", c["status"])
	}
	call(t, "GET", gov+"/campaigns/"+id+"/launch", tok, nil).want(t, 405)

	for _, tc := range []struct {
		name  string
		edit  func(b map[string]any)
		cause string
	}{
		{"no name", func(b map[string]any) { delete(b, "name") }, "name: The field cannot be left blank"},
		{"no remediation", func(b map[string]any) { delete(b, "remediationSettings") }, "remediationSettings"},
		{"bad schedule type", func(b map[string]any) { b["scheduleSettings"].(map[string]any)["type"] = "WEEKLY" }, "scheduleSettings.type"},
		{"bad start date", func(b map[string]any) { b["scheduleSettings"].(map[string]any)["startDate"] = "next monday" }, "startDate"},
		{"unknown reviewer", func(b map[string]any) { b["reviewerSettings"].(map[string]any)["reviewerId"] = "00unotthere000000000" }, "reviewerId"},
		{"unknown app", func(b map[string]any) {
			b["resourceSettings"].(map[string]any)["targetResources"] = []any{map[string]any{"resourceId": "0oanotthere", "resourceType": "APPLICATION"}}
		}, "targetResources[0].resourceId"},
		{"revoke value", func(b map[string]any) { b["remediationSettings"].(map[string]any)["accessRevoked"] = "REMOVE" }, "accessRevoked"},
		{"recurring without recurrence", func(b map[string]any) { b["scheduleSettings"].(map[string]any)["type"] = "RECURRING" }, "recurrence"},
	} {
		b := campaignBody("x", app, alice)
		tc.edit(b)
		e := call(t, "POST", gov+"/campaigns", tok, b).want(t, 400)
		if e.errCode(t) != "E0000001" || !strings.Contains(string(e.respBody), tc.cause) {
			t.Errorf("%s: %s", tc.name, e.respBody)
		}
	}
	call(t, "POST", gov+"/campaigns", "", campaignBody("x", app, alice)).want(t, 401)
}

// TestGovernanceRequestConditions: create on an app (by id and by ORN),
// list in priority order, activate/deactivate, patch, delete; unknown
// resources are 404 and bad bodies 400.
func TestGovernanceRequestConditions(t *testing.T) {
	s, base := startServer(t, Config{})
	tok := DefaultAPIToken
	eng := groupID(t, base, "Engineering")
	var apps []map[string]any
	call(t, "GET", base+"/api/v1/apps?limit=1", tok, nil).want(t, 200).json(t, &apps)
	app := apps[0]["id"].(string)
	rc := base + "/governance/api/v2/resources/" + app + "/request-conditions"
	body := func(name string) map[string]any {
		return map[string]any{"name": name, "approvalSequenceId": "61eb0f06c462d20007f051ac",
			"requesterSettings":      map[string]any{"type": "GROUPS", "groups": []any{map[string]any{"id": eng}}},
			"accessScopeSettings":    map[string]any{"type": "RESOURCE_DEFAULT"},
			"accessDurationSettings": map[string]any{"type": "ADMIN_FIXED_DURATION", "duration": "P30D"}}
	}
	var first, second map[string]any
	call(t, "POST", rc, tok, body("Engineers, 30 days")).want(t, 201).json(t, &first)
	id, _ := first["id"].(string)
	if !strings.HasPrefix(id, "rco") || first["status"] != "INACTIVE" || first["priority"] != 0.0 || first["_links"] == nil {
		t.Fatalf("created condition: %v", first)
	}
	orn := "orn:okta:idp:" + s.orgID + ":apps:bookmark:" + app
	b2 := body("Everyone")
	b2["requesterSettings"], b2["priority"] = map[string]any{"type": "EVERYONE"}, 0.0
	call(t, "POST", base+"/governance/api/v2/resources/"+url.PathEscape(orn)+"/request-conditions", tok, b2).want(t, 201).json(t, &second)
	var l map[string]any
	call(t, "GET", rc, tok, nil).want(t, 200).json(t, &l)
	if d, _ := l["data"].([]any); len(d) != 2 {
		t.Fatalf("conditions of the app: %v", l)
	}
	var got map[string]any
	call(t, "POST", rc+"/"+id+"/activate", tok, nil).want(t, 200).json(t, &got)
	if got["status"] != "ACTIVE" {
		t.Fatalf("activate: %v", got)
	}
	call(t, "PATCH", rc+"/"+id, tok, map[string]any{"name": "Engineers, 2 weeks", "accessDurationSettings": map[string]any{"type": "ADMIN_FIXED_DURATION", "duration": "P2W"}}).want(t, 200).json(t, &got)
	if got["name"] != "Engineers, 2 weeks" || got["accessDurationSettings"].(map[string]any)["duration"] != "P2W" || got["status"] != "ACTIVE" {
		t.Fatalf("patch: %v", got)
	}
	call(t, "POST", rc+"/"+id+"/deactivate", tok, nil).want(t, 200).json(t, &got)
	if got["status"] != "INACTIVE" {
		t.Fatalf("deactivate: %v", got)
	}
	call(t, "DELETE", rc+"/"+id, tok, nil).want(t, 204)
	call(t, "GET", rc+"/"+id, tok, nil).want(t, 404)
	call(t, "GET", base+"/governance/api/v2/resources/0oanotthere000000000/request-conditions", tok, nil).want(t, 404)

	for _, tc := range []struct {
		name  string
		edit  func(b map[string]any)
		cause string
	}{
		{"short sequence id", func(b map[string]any) { b["approvalSequenceId"] = "seq1" }, "approvalSequenceId"},
		{"no requesters", func(b map[string]any) { delete(b, "requesterSettings") }, "requesterSettings"},
		{"unknown group", func(b map[string]any) {
			b["requesterSettings"] = map[string]any{"type": "GROUPS", "groups": []any{map[string]any{"id": "00gnotthere000000000"}}}
		}, "requesterSettings.groups[0].id"},
		{"bad duration", func(b map[string]any) {
			b["accessDurationSettings"] = map[string]any{"type": "ADMIN_FIXED_DURATION", "duration": "30 days"}
		}, "accessDurationSettings.duration"},
		{"bad scope", func(b map[string]any) { b["accessScopeSettings"] = map[string]any{"type": "EVERYTHING"} }, "accessScopeSettings.type"},
	} {
		b := body("x")
		tc.edit(b)
		e := call(t, "POST", rc, tok, b).want(t, 400)
		if !strings.Contains(string(e.respBody), tc.cause) {
			t.Errorf("%s: %s", tc.name, e.respBody)
		}
	}
}
