package sandbox

import (
	"net/url"
	"testing"
)

// TestGovernanceReviewsOpenAPI: the seeded Semi-Annual campaign's reviews,
// listed, filtered, paged and read; a launched campaign's reviews; a
// reviewer's decision and its System Log event — every Governance exchange
// validated against Okta's description of the Reviews operations, the System
// Log read against the management spec.
func TestGovernanceReviewsOpenAPI(t *testing.T) {
	s, api, chk := specServer(t) // management spec (System Log)
	base := api[:len(api)-len("/api/v1")]
	gov := base + "/governance/api/v1"
	tok := DefaultAPIToken
	get := func(path string, status int) map[string]any {
		t.Helper()
		e := call(t, "GET", gov+path, tok, nil)
		if e.resp.StatusCode != status {
			t.Fatalf("GET %s: status %d, want %d: %s", path, e.resp.StatusCode, status, e.respBody)
		}
		// call validated the exchange against the Governance description (govspec_test.go)
		var m map[string]any
		e.json(t, &m)
		return m
	}
	data := func(m map[string]any) []map[string]any {
		var out []map[string]any
		for _, d := range m["data"].([]any) {
			out = append(out, d.(map[string]any))
		}
		return out
	}
	filter := func(f string) string { return "/reviews?filter=" + url.QueryEscape(f) }
	alice := userID(t, s, "alice.nguyen@example.com")
	william := userID(t, s, "william.chen@example.com")

	// the seed: GitHub Enterprise's users under review, Alice's access revoked
	// (before the System Log's window: the log starts empty)
	if seeded := s.DecisionEvent(); seeded == nil || hasEvent(s, EventReviewDecided, seeded["target"].([]any)[0].(map[string]any)["id"].(string)) {
		t.Fatalf("seeded decision event: %v (in the log: it must not be)", seeded)
	}
	all := data(get("/reviews?limit=200", 200))
	if len(all) < 3 {
		t.Fatalf("seeded reviews: %v", all)
	}
	campaign := all[0]["campaignId"].(string)
	cp := map[string]any{}
	call(t, "GET", gov+"/campaigns/"+campaign, tok, nil).want(t, 200).json(t, &cp)
	if cp["name"] != "Semi-Annual" || cp["status"] != "ACTIVE" {
		t.Fatalf("seeded campaign: %v", cp)
	}
	revoked := data(get(filter(`decision eq "REVOKE"`), 200))
	if len(revoked) != 1 || revoked[0]["principalProfile"].(map[string]any)["id"] != alice ||
		revoked[0]["reviewerProfile"].(map[string]any)["id"] != william || revoked[0]["decided"] == nil {
		t.Fatalf("REVOKE reviews: %v", revoked)
	}
	if _, has := revoked[0]["note"]; has {
		t.Errorf("a listed review is sparse (no note): %v", revoked[0])
	}
	full := get("/reviews/"+revoked[0]["id"].(string), 200)
	if n, _ := full["note"].(map[string]any); n["note"] != "No longer needs GitHub Enterprise" || full["remediationStatus"] != "NONE" {
		t.Fatalf("review: %v", full)
	}
	if n := len(data(get(filter(`campaignId eq "`+campaign+`" and reviewerId eq "`+william+`"`), 200))); n != len(all) {
		t.Errorf("campaign and reviewer filter: %d reviews, want %d", n, len(all))
	}
	page := get("/reviews?limit=1", 200)
	next, _ := page["_links"].(map[string]any)["next"].(map[string]any)
	if len(data(page)) != 1 || next == nil {
		t.Fatalf("limit=1: %v", page)
	}
	nu, _ := url.Parse(next["href"].(string))
	if p2 := data(get("/reviews?"+nu.RawQuery, 200)); len(p2) != 1 || p2[0]["id"] == data(page)[0]["id"] {
		t.Fatalf("second page: %v", p2)
	}
	get("/reviews/icrnotthere000000000", 404)
	get(filter(`owner eq "x"`), 400)

	// a campaign launched through the API gets its reviews
	bob := userID(t, s, "bob.martinez@example.com")
	var apps []map[string]any
	call(t, "GET", api+"/apps?q=Zoom", tok, nil).want(t, 200).json(t, &apps)
	body := campaignBody("Zoom review", apps[0]["id"].(string), alice)
	body["principalScopeSettings"] = map[string]any{"type": "USERS", "userIds": []any{bob}}
	var c map[string]any
	call(t, "POST", gov+"/campaigns", tok, body).want(t, 201).json(t, &c)
	id := c["id"].(string)
	if n := len(data(get(filter(`campaignId eq "`+id+`"`), 200))); n != 0 {
		t.Fatalf("a scheduled campaign has %d reviews", n)
	}
	call(t, "POST", gov+"/campaigns/"+id+"/launch", tok, nil).want(t, 202)
	mine := data(get(filter(`campaignId eq "`+id+`"`), 200))
	if len(mine) != 1 || mine[0]["principalProfile"].(map[string]any)["id"] != bob || mine[0]["decision"] != "UNREVIEWED" ||
		mine[0]["reviewerType"] != "USER" || mine[0]["reviewerProfile"].(map[string]any)["id"] != alice || mine[0]["assignmentType"] != "USER" {
		t.Fatalf("launched campaign's reviews: %v", mine)
	}

	// the reviewer decides: the review and the System Log event
	rid := mine[0]["id"].(string)
	for _, bad := range []struct{ id, decision string }{{rid, "MAYBE"}, {"icrnotthere000000000", DecisionRevoke}} {
		if _, err := s.DecideReview(bad.id, bad.decision, ""); err == nil {
			t.Errorf("DecideReview(%s, %s): no error", bad.id, bad.decision)
		}
	}
	if _, err := s.DecideReview(rid, DecisionRevoke, "left the project"); err != nil {
		t.Fatal(err)
	}
	got := get("/reviews/"+rid, 200)
	if got["decision"] != "REVOKE" || got["remediationStatus"] != "OPEN" || got["lastUpdatedBy"] != alice {
		t.Fatalf("decided review: %v", got)
	}
	if !hasEvent(s, EventReviewDecided, rid) {
		t.Fatalf("no %s event for %s", EventReviewDecided, rid)
	}
	ev := s.DecisionEvent()
	dd := ev["debugContext"].(map[string]any)["debugData"].(map[string]any)
	actor := ev["actor"].(map[string]any)
	if dd["campaignItemId"] != rid || dd["campaignItemDecision"] != "REVOKE" || dd["campaignTemplateId"] != id ||
		dd["campaignTemplateName"] != "Zoom review" || dd["campaignItemResourceName"] != "Zoom" || dd["campaignItemResourceType"] != "APP" || dd["campaignItemPrincipalId"] != bob ||
		dd["campaignItemDecisionNotes"] != "left the project" || actor["id"] != alice {
		t.Fatalf("event: %v", ev)
	}
	chk(call(t, "GET", api+"/logs?filter="+url.QueryEscape(`eventType eq "`+EventReviewDecided+`"`)+"&since=2000-01-01T00:00:00.000Z", tok, nil), 200)

	// an ended campaign takes no decisions
	call(t, "POST", gov+"/campaigns/"+id+"/end", tok, nil).want(t, 202)
	if _, err := s.DecideReview(rid, DecisionApprove, ""); err == nil {
		t.Error("a decision on an ended campaign: no error")
	}
	for _, op := range []string{"GET /governance/api/v1/reviews", "GET /governance/api/v1/reviews/{reviewId}"} {
		if govSpec.Seen[op] == 0 {
			t.Errorf("%s not exercised", op)
		}
	}
}
