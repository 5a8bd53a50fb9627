package sandbox

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestOpenAPIFidelity drives every endpoint of the sandbox and validates each
// request and response against Okta's published OpenAPI spec.
func TestOpenAPIFidelity(t *testing.T) {
	v := OpenAPIValidator(t)
	s, base := startServer(t, Config{})
	tok := DefaultAPIToken
	n := 0
	chk := func(e *exchange, status int) *exchange {
		t.Helper()
		n++
		if e.resp.StatusCode != status {
			t.Errorf("%s %s: status %d, want %d: %s", e.req.Method, e.req.URL, e.resp.StatusCode, status, e.respBody)
		}
		if err := v.Check(e.req, e.reqBody, e.resp, e.respBody); err != nil {
			t.Errorf("spec: %v", err)
		}
		return e
	}
	api := base + "/api/v1"
	alice := userID(t, s, "alice.nguyen@example.com")
	eng := groupID(t, base, "Engineering")

	chk(call(t, "GET", api+"/org", tok, nil), 200)
	chk(call(t, "GET", api+"/users?limit=3", tok, nil), 200)
	chk(call(t, "GET", api+"/users?limit=2&after="+alice, tok, nil), 200)
	chk(call(t, "GET", api+"/users?q=ali", tok, nil), 200)
	chk(call(t, "GET", api+"/users?filter="+url.QueryEscape(`status eq "ACTIVE" and lastUpdated gt "2020-01-01T00:00:00.000Z"`), tok, nil), 200)
	chk(call(t, "GET", api+"/users?search="+url.QueryEscape(`profile.department eq "Engineering" or profile.title sw "VP"`), tok, nil), 200)
	chk(call(t, "GET", api+"/users/"+alice, tok, nil), 200)
	chk(call(t, "GET", api+"/users/me", tok, nil), 200)
	chk(call(t, "GET", api+"/users/"+url.PathEscape("bob.martinez@example.com"), tok, nil), 200)
	chk(call(t, "GET", api+"/users/00unotthere000000000", tok, nil), 404)
	chk(call(t, "GET", api+"/users/"+alice+"/groups", tok, nil), 200)
	chk(call(t, "GET", api+"/users/"+alice+"/appLinks", tok, nil), 200)

	var created map[string]any
	chk(call(t, "POST", api+"/users?activate=false", tok, map[string]any{
		"profile":     map[string]any{"firstName": "Test", "lastName": "User", "email": "test.user@example.com", "login": "test.user@example.com", "isMemberOfGroup": nil},
		"credentials": map[string]any{"password": map[string]any{"value": "Sup3rS3cret!"}},
		"groupIds":    []string{eng},
	}), 200).json(t, &created)
	id, _ := created["id"].(string)
	chk(call(t, "POST", api+"/users", tok, map[string]any{"profile": map[string]any{"firstName": "No"}}), 400)
	chk(call(t, "POST", api+"/users/"+id, tok, map[string]any{"profile": map[string]any{"title": "Tester"}}), 200)
	chk(call(t, "PUT", api+"/users/"+id, tok, map[string]any{"profile": map[string]any{"firstName": "Test", "lastName": "User", "email": "test.user@example.com", "login": "test.user@example.com", "title": "QA"}}), 200)
	chk(call(t, "POST", api+"/users/"+id+"/lifecycle/activate?sendEmail=false", tok, nil), 200)
	chk(call(t, "POST", api+"/users/"+id+"/lifecycle/activate?sendEmail=false", tok, nil), 403)
	chk(call(t, "POST", api+"/users/"+id+"/lifecycle/suspend", tok, nil), 200)
	chk(call(t, "POST", api+"/users/"+id+"/lifecycle/suspend", tok, nil), 400)
	chk(call(t, "POST", api+"/users/"+id+"/lifecycle/unsuspend", tok, nil), 200)
	chk(call(t, "POST", api+"/users/"+id+"/lifecycle/unlock", tok, nil), 403)
	chk(call(t, "POST", api+"/users/"+id+"/lifecycle/expire_password", tok, nil), 200)
	chk(call(t, "POST", api+"/users/"+id+"/lifecycle/reset_password?sendEmail=false", tok, nil), 200)
	chk(call(t, "POST", api+"/users/"+id+"/lifecycle/deactivate", tok, nil), 200)
	chk(call(t, "POST", api+"/users/"+id+"/lifecycle/activate?sendEmail=true", tok, nil), 200)

	chk(call(t, "GET", api+"/groups", tok, nil), 200)
	chk(call(t, "GET", api+"/groups?q=Eng&limit=5", tok, nil), 200)
	chk(call(t, "GET", api+"/groups?search="+url.QueryEscape(`profile.name sw "S"`), tok, nil), 200)
	var g map[string]any
	chk(call(t, "POST", api+"/groups", tok, map[string]any{"profile": map[string]any{"name": "Fidelity", "description": "created by test"}}), 200).json(t, &g)
	gid, _ := g["id"].(string)
	chk(call(t, "GET", api+"/groups/"+gid, tok, nil), 200)
	chk(call(t, "GET", api+"/groups/00gnotthere000000000", tok, nil), 404)
	chk(call(t, "PUT", api+"/groups/"+gid+"/users/"+id, tok, nil), 204)
	chk(call(t, "GET", api+"/groups/"+gid+"/users?limit=10", tok, nil), 200)
	chk(call(t, "DELETE", api+"/groups/"+gid+"/users/"+id, tok, nil), 204)

	var apps []map[string]any
	chk(call(t, "GET", api+"/apps?limit=10", tok, nil), 200).json(t, &apps)
	aid := apps[0]["id"].(string)
	chk(call(t, "GET", api+"/apps?filter="+url.QueryEscape(`status eq "ACTIVE"`), tok, nil), 200)
	chk(call(t, "GET", api+"/apps/"+aid, tok, nil), 200)
	chk(call(t, "GET", api+"/apps/"+aid+"/users?limit=5", tok, nil), 200)
	chk(call(t, "POST", api+"/apps/"+aid+"/users", tok, map[string]any{"id": id, "scope": "USER", "credentials": map[string]any{"userName": "test.user@example.com"}}), 200)
	chk(call(t, "GET", api+"/apps/"+aid+"/users/"+id, tok, nil), 200)
	chk(call(t, "DELETE", api+"/apps/"+aid+"/users/"+id, tok, nil), 204)
	chk(call(t, "GET", api+"/apps/"+aid+"/groups", tok, nil), 200)
	chk(call(t, "PUT", api+"/apps/"+aid+"/groups/"+gid, tok, map[string]any{"priority": 5}), 200)
	chk(call(t, "GET", api+"/apps/"+aid+"/groups/"+gid, tok, nil), 200)
	chk(call(t, "DELETE", api+"/apps/"+aid+"/groups/"+gid, tok, nil), 204)

	// group profile replace (custom attributes kept), app group assignment
	var rg map[string]any
	chk(call(t, "PUT", api+"/groups/"+gid, tok, map[string]any{"profile": map[string]any{"name": "Fidelity 2", "description": "", "email": "fid@example.com"}}), 200).json(t, &rg)
	if p, _ := rg["profile"].(map[string]any); p["email"] != "fid@example.com" || p["name"] != "Fidelity 2" {
		t.Errorf("replace group: %v", rg)
	}
	chk(call(t, "PUT", api+"/groups/00gnotthere000000000", tok, map[string]any{"profile": map[string]any{"name": "x"}}), 404)
	chk(call(t, "PUT", api+"/apps/"+aid+"/groups/"+gid, tok, nil), 200)
	chk(call(t, "GET", api+"/apps/"+aid+"/groups?limit=20", tok, nil), 200)
	chk(call(t, "PUT", api+"/apps/"+aid+"/groups/00gnotthere000000000", tok, nil), 404)
	chk(call(t, "GET", api+"/apps/0oanotthere000000000", tok, nil), 404)
	chk(call(t, "GET", api+"/apps?q=sla&limit=2", tok, nil), 200)

	// user sessions
	chk(call(t, "DELETE", api+"/users/"+id+"/sessions", tok, nil), 204)
	chk(call(t, "DELETE", api+"/users/"+id+"/sessions?oauthTokens=true", tok, nil), 204)
	chk(call(t, "DELETE", api+"/users/00unotthere000000000/sessions", tok, nil), 404)
	if !hasEvent(s, "user.session.clear", id) {
		t.Error("no user.session.clear event")
	}

	// identity source sessions (Anything-as-a-Source import)
	isBase := api + "/identity-sources/" + aid + "/sessions"
	var sess map[string]any
	chk(call(t, "POST", isBase, tok, nil), 200).json(t, &sess)
	sid, _ := sess["id"].(string)
	if sess["status"] != "CREATED" || sess["identitySourceId"] != aid {
		t.Errorf("create session: %v", sess)
	}
	chk(call(t, "POST", isBase, tok, nil), 400) // one open session per source
	chk(call(t, "GET", isBase, tok, nil), 200)
	chk(call(t, "GET", isBase+"/"+sid, tok, nil), 200)
	chk(call(t, "POST", isBase+"/"+sid+"/bulk-upsert", tok, map[string]any{"entityType": "USERS", "profiles": []any{
		map[string]any{"externalId": "ext-1", "profile": map[string]any{"userName": "imported.one@example.com", "firstName": "Imported", "lastName": "One", "email": "imported.one@example.com"}},
	}}), 202)
	chk(call(t, "POST", isBase+"/"+sid+"/bulk-upsert", tok, map[string]any{"entityType": "USERS", "profiles": []any{map[string]any{"externalId": ""}}}), 400)
	chk(call(t, "POST", isBase+"/"+sid+"/bulk-delete", tok, map[string]any{"entityType": "USERS", "profiles": []any{map[string]any{"externalId": "ext-none"}}}), 202)
	chk(call(t, "POST", isBase+"/"+sid+"/start-import", tok, nil), 200)
	chk(call(t, "POST", isBase+"/"+sid+"/start-import", tok, nil), 400)
	if _, ok := s.User("imported.one@example.com"); !ok {
		t.Error("import did not create the user")
	}
	chk(call(t, "DELETE", isBase+"/"+sid, tok, nil), 204)
	chk(call(t, "GET", isBase+"/"+sid, tok, nil), 404)
	chk(call(t, "GET", api+"/identity-sources/0oanotthere000000000/sessions", tok, nil), 404)
	chk(call(t, "POST", isBase, s.CreateAPIToken("ro", "okta.identitySources.read"), nil), 403)

	// user schema and types: the seed's custom attributes, a partial update
	// that adds one and removes another, bad definitions
	var sch map[string]any
	chk(call(t, "GET", api+"/meta/schemas/user/default", tok, nil), 200).json(t, &sch)
	custom := func(doc map[string]any) map[string]any {
		d, _ := doc["definitions"].(map[string]any)
		c, _ := d["custom"].(map[string]any)
		p, _ := c["properties"].(map[string]any)
		return p
	}
	if p := custom(sch); p["isMemberOfGroup"] == nil || p["badgeNumber"] == nil {
		t.Errorf("seed custom attributes missing: %v", p)
	}
	chk(call(t, "GET", api+"/meta/schemas/user/osc1sandboxdefault00", tok, nil), 200)
	chk(call(t, "GET", api+"/meta/schemas/user/oscnotthere000000000", tok, nil), 404)
	chk(call(t, "POST", api+"/meta/schemas/user/default", tok, map[string]any{"definitions": map[string]any{"custom": map[string]any{
		"id": "#custom", "type": "object", "properties": map[string]any{
			"twitterUserName": map[string]any{"title": "Twitter username", "type": "string", "minLength": 1, "maxLength": 20,
				"permissions": []any{map[string]any{"principal": "SELF", "action": "READ_WRITE"}}},
		}}}}), 200).json(t, &sch)
	if p := custom(sch); p["twitterUserName"] == nil || p["contractType"] == nil {
		t.Errorf("partial update: %v", p)
	}
	// null removes an attribute (Okta's x-okta-allow-null-property-value-for-updates;
	// the spec's schema does not declare the null, so this one is not checked)
	call(t, "POST", api+"/meta/schemas/user/default", tok, map[string]any{"definitions": map[string]any{"custom": map[string]any{
		"properties": map[string]any{"contractType": nil}}}}).want(t, 200).json(t, &sch)
	if p := custom(sch); p["twitterUserName"] == nil || p["contractType"] != nil {
		t.Errorf("removal: %v", p)
	}
	chk(call(t, "POST", api+"/meta/schemas/user/default", tok, map[string]any{"definitions": map[string]any{"custom": map[string]any{
		"properties": map[string]any{"firstName": map[string]any{"title": "Again", "type": "string"}, "9lives": map[string]any{"title": "Cat", "type": "color"}}}}}), 400)
	chk(call(t, "POST", api+"/meta/schemas/user/default", s.CreateAPIToken("ro", "okta.schemas.read"), map[string]any{"definitions": map[string]any{}}), 403)
	// profile values follow the custom attributes' types
	chk(call(t, "POST", api+"/users/"+id, tok, map[string]any{"profile": map[string]any{"badgeNumber": 4711, "projectCodes": []any{"P1"}, "isMemberOfGroup": true}}), 200)
	bad := chk(call(t, "POST", api+"/users/"+id, tok, map[string]any{"profile": map[string]any{"badgeNumber": "abc", "projectCodes": []any{1}}}), 400)
	if b := string(bad.respBody); !strings.Contains(b, "badgeNumber: Does not match required type integer") || !strings.Contains(b, "projectCodes: Does not match required type array") {
		t.Errorf("type check: %s", b)
	}
	chk(call(t, "POST", api+"/users/"+id, tok, map[string]any{"profile": map[string]any{"badgeNumber": 1.5}}), 400)
	chk(call(t, "POST", api+"/users/"+id, tok, map[string]any{"profile": map[string]any{"badgeNumber": nil}}), 200)
	chk(call(t, "GET", api+"/meta/types/user", tok, nil), 200)
	chk(call(t, "GET", api+"/meta/types/user/default", tok, nil), 200)
	chk(call(t, "GET", api+"/meta/types/user/otynotthere000000000", tok, nil), 404)

	chk(call(t, "DELETE", api+"/users/"+id, tok, nil), 204) // deactivate
	chk(call(t, "DELETE", api+"/users/"+id, tok, nil), 204) // delete
	chk(call(t, "GET", api+"/users/"+id, tok, nil), 404)

	since := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	chk(call(t, "GET", api+"/logs?since="+url.QueryEscape(since)+"&limit=50", tok, nil), 200)
	chk(call(t, "GET", api+"/logs?filter="+url.QueryEscape(`eventType eq "user.lifecycle.create"`)+"&sortOrder=DESCENDING", tok, nil), 200)
	chk(call(t, "GET", api+"/logs?q="+url.QueryEscape("session clear")+"&since="+url.QueryEscape(since)+"&until="+url.QueryEscape(time.Now().Add(time.Minute).UTC().Format(time.RFC3339)), tok, nil), 200)
	chk(call(t, "GET", api+"/users", "SSWS wrong", nil), 401)
	chk(call(t, "GET", api+"/users?limit=1", s.CreateAPIToken("ro", "okta.groups.read"), nil), 403)

	// 429 shapes (rate limit and concurrency limit) are declared by the spec.
	_, base2 := startServer(t, Config{Limits: map[string]int{BucketUsers: 1, BucketLogs: 1}})
	chk(call(t, "GET", base2+"/api/v1/users?limit=1", tok, nil), 200)
	chk(call(t, "GET", base2+"/api/v1/users?limit=1", tok, nil), 429)
	chk(call(t, "GET", base2+"/api/v1/logs", tok, nil), 200)
	chk(call(t, "GET", base2+"/api/v1/logs", tok, nil), 429)
	t.Logf("validated %d exchanges against the Okta spec", n)
}

// TestValidatorCatchesDrift proves the validator is not vacuous.
func TestValidatorCatchesDrift(t *testing.T) {
	v := OpenAPIValidator(t)
	s, base := startServer(t, Config{})
	alice := userID(t, s, "alice.nguyen@example.com")
	e := call(t, "GET", base+"/api/v1/users/"+alice, DefaultAPIToken, nil).want(t, 200)
	if err := v.Check(e.req, nil, e.resp, e.respBody); err != nil {
		t.Fatalf("genuine response rejected: %v", err)
	}
	bad := []byte(`{"id":"` + alice + `","status":"ACTIVE","created":12,"profile":{"login":"x@example.com"}}`)
	if err := v.Check(e.req, nil, e.resp, bad); err == nil {
		t.Error("tampered user (created: 12) accepted")
	}
	badErr := []byte(`{"errorCode":5}`)
	e4 := call(t, "POST", base+"/api/v1/users/"+alice+"/lifecycle/unlock", DefaultAPIToken, nil).want(t, 403)
	if err := v.Check(e4.req, nil, e4.resp, badErr); err == nil {
		t.Error("malformed error body accepted")
	}
	e2 := call(t, "GET", base+"/api/v1/users?limit=abc", DefaultAPIToken, nil)
	if err := v.Check(e2.req, nil, e2.resp, e2.respBody); err == nil {
		t.Error("limit=abc request accepted")
	}
	e3 := call(t, "GET", base+"/api/v1/nonsense/thing", DefaultAPIToken, nil)
	if err := v.Check(e3.req, nil, e3.resp, e3.respBody); !errors.Is(err, ErrNoRoute) {
		t.Errorf("unknown path: got %v, want ErrNoRoute", err)
	}
	// Token endpoint and discovery are outside the management spec.
	e5 := call(t, "GET", base+"/.well-known/openid-configuration", "", nil).want(t, 200)
	if err := v.Check(e5.req, nil, e5.resp, e5.respBody); err != nil {
		t.Error(err)
	}
}

func hasEvent(s *Server, typ, target string) bool {
	for _, e := range s.Events() {
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
