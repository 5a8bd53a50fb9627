package sandbox

import (
	"strings"
	"testing"
)

// TestGroupRulesOpenAPI drives the group rule endpoints against the OpenAPI
// spec and checks the behaviour: rules start INACTIVE, activation assigns
// matching users (not excluded ones), active rules cannot be replaced,
// delete with removeUsers undoes the rule's assignments, and expressions the
// sandbox cannot evaluate are refused with a message that says so.
func TestGroupRulesOpenAPI(t *testing.T) {
	s, api, chk := specServer(t)
	tok := DefaultAPIToken
	var g map[string]any
	chk(call(t, "POST", api+"/groups", tok, map[string]any{"profile": map[string]any{"name": "Engineers by rule"}}), 200).json(t, &g)
	gid := g["id"].(string)
	alice := userID(t, s, "alice.nguyen@example.com")
	body := func(expr string, exclude ...string) map[string]any {
		if exclude == nil {
			exclude = []string{}
		}
		return map[string]any{"type": "group_rule", "name": "Engineering",
			"conditions": map[string]any{"expression": map[string]any{"type": "urn:okta:expression:1.0", "value": expr},
				"people": map[string]any{"users": map[string]any{"exclude": exclude}}},
			"actions": map[string]any{"assignUserToGroups": map[string]any{"groupIds": []string{gid}}}}
	}
	var rule map[string]any
	chk(call(t, "POST", api+"/groups/rules", tok, body(`user.department == "Engineering" || String.startsWith(user.title, "VP")`, alice)), 200).json(t, &rule)
	rid := rule["id"].(string)
	if rule["status"] != "INACTIVE" {
		t.Fatalf("new rule: %v", rule)
	}
	chk(call(t, "GET", api+"/groups/rules", tok, nil), 200)
	chk(call(t, "GET", api+"/groups/rules/"+rid, tok, nil), 200)
	chk(call(t, "GET", api+"/groups/rules/0prnotthere000000000", tok, nil), 404)
	e := call(t, "POST", api+"/groups/rules", tok, body(`user.getInternalProperty("x") > 3`))
	if e.resp.StatusCode != 400 || !strings.Contains(string(e.respBody), "the sandbox evaluates") {
		t.Fatalf("unsupported expression: %d %s", e.resp.StatusCode, e.respBody)
	}

	chk(call(t, "POST", api+"/groups/rules/"+rid+"/lifecycle/activate", tok, nil), 204)
	var members []map[string]any
	chk(call(t, "GET", api+"/groups/"+gid+"/users", tok, nil), 200).json(t, &members)
	if len(members) == 0 {
		t.Fatal("activation assigned nobody")
	}
	for _, m := range members {
		p, _ := m["profile"].(map[string]any)
		title, _ := p["title"].(string)
		if m["id"] == alice || (p["department"] != "Engineering" && (len(title) < 2 || title[:2] != "VP")) {
			t.Fatalf("rule assigned %v", p)
		}
	}
	if !hasEvent(s, "group.user_membership.add", gid) {
		t.Error("no membership events for the rule's assignments")
	}
	e = call(t, "PUT", api+"/groups/rules/"+rid, tok, body(`user.department == "Sales"`))
	if e.resp.StatusCode != 400 {
		t.Fatalf("replacing an active rule: %d", e.resp.StatusCode)
	}
	chk(call(t, "POST", api+"/groups/rules/"+rid+"/lifecycle/deactivate", tok, nil), 204)
	chk(call(t, "PUT", api+"/groups/rules/"+rid, tok, body(`user.department == "Sales"`)), 200)
	chk(call(t, "DELETE", api+"/groups/rules/"+rid+"?removeUsers=true", tok, nil), 202)
	chk(call(t, "GET", api+"/groups/"+gid+"/users", tok, nil), 200).json(t, &members)
	if len(members) != 0 {
		t.Fatalf("removeUsers left %d members", len(members))
	}
}

func TestRuleExpressions(t *testing.T) {
	u := &user{Profile: map[string]any{"department": "Engineering", "title": "VP Sales", "email": "a@example.com"}, Groups: map[string]bool{"00g1": true}}
	for expr, want := range map[string]bool{
		`user.department == "Engineering"`:                                   true,
		`user.department != "Engineering"`:                                   false,
		`String.stringContains(user.email, "@example.com")`:                  true,
		`String.startsWith(user.title, "VP") && user.department == "Sales"`:  false,
		`(user.department == "Sales" || user.title == "VP Sales") && true_x`: false,
		`isMemberOfAnyGroup("00g9", "00g1")`:                                 true,
		`user.missing == ""`:                                                 true,
	} {
		e, err := parseRuleExpr(expr)
		if expr == `(user.department == "Sales" || user.title == "VP Sales") && true_x` {
			if err == nil {
				t.Errorf("%s: want a parse error", expr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if got := e.eval(u); got != want {
			t.Errorf("%s = %v, want %v", expr, got, want)
		}
	}
}
