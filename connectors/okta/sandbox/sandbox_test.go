package sandbox

import (
	"context"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var linkRe = regexp.MustCompile(`<([^>]+)>;\s*rel="(\w+)"`)

func links(e *exchange) map[string]string {
	out := map[string]string{}
	for _, l := range e.resp.Header.Values("Link") {
		for _, m := range linkRe.FindAllStringSubmatch(l, -1) {
			out[m[2]] = m[1]
		}
	}
	return out
}

func TestDefaultSeed(t *testing.T) {
	s, base := startServer(t, Config{})
	var users []map[string]any
	call(t, "GET", base+"/api/v1/users?filter="+url.QueryEscape(`status eq "ACTIVE" or status eq "DEPROVISIONED" or status eq "STAGED" or status eq "PROVISIONED" or status eq "SUSPENDED" or status eq "LOCKED_OUT" or status eq "PASSWORD_EXPIRED" or status eq "RECOVERY"`), DefaultAPIToken, nil).want(t, 200).json(t, &users)
	if len(users) != 30 {
		t.Fatalf("seed users = %d, want 30", len(users))
	}
	statuses, nullAttr := map[string]int{}, 0
	idRe := regexp.MustCompile(`^00u[0-9A-Za-z]{17}$`)
	for _, u := range users {
		statuses[u["status"].(string)]++
		if !idRe.MatchString(u["id"].(string)) {
			t.Errorf("user id %q not Okta-like", u["id"])
		}
		p := u["profile"].(map[string]any)
		if v, ok := p["isMemberOfGroup"]; ok && v == nil {
			nullAttr++
		}
	}
	if len(statuses) < 5 || nullAttr == 0 {
		t.Errorf("statuses %v, null isMemberOfGroup %d", statuses, nullAttr)
	}
	var groups, apps []map[string]any
	call(t, "GET", base+"/api/v1/groups", DefaultAPIToken, nil).want(t, 200).json(t, &groups)
	call(t, "GET", base+"/api/v1/apps", DefaultAPIToken, nil).want(t, 200).json(t, &apps)
	if len(groups) != 8 || len(apps) != 5 {
		t.Errorf("groups %d apps %d", len(groups), len(apps))
	}
	if !strings.HasPrefix(groups[0]["id"].(string), "00g") || !strings.HasPrefix(apps[0]["id"].(string), "0oa") {
		t.Errorf("ids: %v %v", groups[0]["id"], apps[0]["id"])
	}
	var me map[string]any
	call(t, "GET", base+"/api/v1/users/me", DefaultAPIToken, nil).want(t, 200).json(t, &me)
	if me["id"] != s.AdminUserID() || me["profile"].(map[string]any)["login"] != "sandbox.admin@example.com" {
		t.Errorf("me = %v", me["profile"])
	}
	var org map[string]any
	e := call(t, "GET", base+"/api/v1/org", DefaultAPIToken, nil).want(t, 200)
	e.json(t, &org)
	if org["companyName"] != "Flowbench Sandbox" || org["subdomain"] != "sandbox" || !strings.HasPrefix(org["id"].(string), "00o") {
		t.Errorf("org = %v", org)
	}
	if e.resp.Header.Get("Date") == "" {
		t.Error("no Date header")
	}
	// Same seed, same ids: stable across runs.
	s2, _ := startServer(t, Config{})
	if userID(t, s, "alice.nguyen@example.com") != userID(t, s2, "alice.nguyen@example.com") {
		t.Error("seed ids not deterministic")
	}
}

func TestSeedFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "seed.json")
	os.WriteFile(f, []byte(`{"org":{"companyName":"Acme"},"users":[
	 {"admin":true,"password":true,"profile":{"login":"root@acme.test","email":"root@acme.test","firstName":"Root","lastName":"Admin"}},
	 {"status":"SUSPENDED","profile":{"login":"x@acme.test","email":"x@acme.test","firstName":"X","lastName":"Y"}}],
	 "groups":[{"name":"Ops","members":["x@acme.test"]}],
	 "apps":[{"name":"wiki","label":"Wiki","users":["root@acme.test"],"groups":["Ops"]}],
	 "apiTokens":[{"name":"ci","token":"ci-token"}]}`), 0o600)
	s, base := startServer(t, Config{SeedFile: f})
	var me map[string]any
	call(t, "GET", base+"/api/v1/users/me", "ci-token", nil).want(t, 200).json(t, &me)
	if me["profile"].(map[string]any)["login"] != "root@acme.test" {
		t.Errorf("me = %v", me)
	}
	if u, ok := s.User("x@acme.test"); !ok || u["status"] != "SUSPENDED" {
		t.Errorf("user x = %v", u)
	}
	var au []map[string]any
	var apps []map[string]any
	call(t, "GET", base+"/api/v1/apps", "ci-token", nil).want(t, 200).json(t, &apps)
	call(t, "GET", base+"/api/v1/apps/"+apps[0]["id"].(string)+"/users", "ci-token", nil).want(t, 200).json(t, &au)
	if len(au) != 2 {
		t.Errorf("app users = %d, want 2 (direct + group)", len(au))
	}
	if _, err := New(Config{SeedFile: filepath.Join(t.TempDir(), "missing.json")}); err == nil {
		t.Error("missing seed accepted")
	}
}

func TestPagination(t *testing.T) {
	_, base := startServer(t, Config{})
	for _, tc := range []struct {
		path  string
		limit int
	}{
		{"/api/v1/users", 7},
		{"/api/v1/users", 1},
		{"/api/v1/groups", 3},
		{"/api/v1/apps", 2},
	} {
		t.Run(tc.path+"/"+strconv.Itoa(tc.limit), func(t *testing.T) {
			var all []map[string]any
			call(t, "GET", base+tc.path, DefaultAPIToken, nil).want(t, 200).json(t, &all)
			next := base + tc.path + "?limit=" + strconv.Itoa(tc.limit)
			seen := map[string]bool{}
			pages := 0
			for next != "" {
				e := call(t, "GET", next, DefaultAPIToken, nil).want(t, 200)
				l := links(e)
				if l["self"] == "" {
					t.Fatalf("no self link on %s", next)
				}
				var page []map[string]any
				e.json(t, &page)
				if len(page) > tc.limit {
					t.Fatalf("page of %d > limit %d", len(page), tc.limit)
				}
				for _, it := range page {
					id := it["id"].(string)
					if seen[id] {
						t.Fatalf("duplicate %s", id)
					}
					seen[id] = true
				}
				next = l["next"]
				pages++
				if pages > 100 {
					t.Fatal("runaway pagination")
				}
			}
			if len(seen) != len(all) {
				t.Errorf("paged %d items, unpaged %d", len(seen), len(all))
			}
		})
	}
}

func TestSearchAndFilter(t *testing.T) {
	s, base := startServer(t, Config{})
	cases := []struct {
		name, param, expr string
		status            int
		check             func(u map[string]any) bool
		min, max          int
	}{
		{"filter status", "filter", `status eq "SUSPENDED"`, 200, func(u map[string]any) bool { return u["status"] == "SUSPENDED" }, 1, 5},
		{"filter login", "filter", `profile.login eq "alice.nguyen@example.com"`, 200, nil, 1, 1},
		{"filter or", "filter", `profile.login eq "alice.nguyen@example.com" or profile.login eq "bob.martinez@example.com"`, 200, nil, 2, 2},
		{"filter lastUpdated", "filter", `lastUpdated gt "2020-01-01T00:00:00.000Z"`, 200, nil, 20, 30},
		{"filter future", "filter", `lastUpdated gt "2099-01-01T00:00:00.000Z"`, 200, nil, 0, 0},
		{"filter deprovisioned", "filter", `status eq "DEPROVISIONED"`, 200, func(u map[string]any) bool { return u["status"] == "DEPROVISIONED" }, 1, 3},
		{"search dept", "search", `profile.department eq "Engineering"`, 200, func(u map[string]any) bool {
			return u["profile"].(map[string]any)["department"] == "Engineering"
		}, 5, 12},
		{"search sw", "search", `profile.firstName sw "A"`, 200, func(u map[string]any) bool {
			return strings.HasPrefix(u["profile"].(map[string]any)["firstName"].(string), "A")
		}, 2, 5},
		{"search co and", "search", `profile.title co "engineer" and profile.department eq "Engineering"`, 200, func(u map[string]any) bool {
			return strings.Contains(strings.ToLower(u["profile"].(map[string]any)["title"].(string)), "engineer")
		}, 3, 12},
		{"search pr", "search", `profile.managerId pr`, 200, nil, 15, 30},
		{"search parens", "search", `(profile.department eq "Sales" or profile.department eq "Legal") and status eq "ACTIVE"`, 200, func(u map[string]any) bool {
			d := u["profile"].(map[string]any)["department"]
			return (d == "Sales" || d == "Legal") && u["status"] == "ACTIVE"
		}, 2, 8},
		{"filter rejects sw", "filter", `profile.firstName sw "A"`, 400, nil, 0, 0},
		{"bad syntax", "search", `profile.firstName eq`, 400, nil, 0, 0},
		{"q", "q", `ali`, 200, nil, 1, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := call(t, "GET", base+"/api/v1/users?"+tc.param+"="+url.QueryEscape(tc.expr), DefaultAPIToken, nil).want(t, tc.status)
			if tc.status != 200 {
				if c := e.errCode(t); c != "E0000031" {
					t.Errorf("errorCode %s", c)
				}
				return
			}
			var us []map[string]any
			e.json(t, &us)
			if len(us) < tc.min || len(us) > tc.max {
				t.Errorf("%d results, want %d..%d", len(us), tc.min, tc.max)
			}
			for _, u := range us {
				if tc.check != nil && !tc.check(u) {
					t.Errorf("unexpected match %v", u["profile"])
				}
			}
		})
	}
	// groups: q and search
	var gs []map[string]any
	call(t, "GET", base+"/api/v1/groups?search="+url.QueryEscape(`profile.name sw "Eng" and type eq "OKTA_GROUP"`), DefaultAPIToken, nil).want(t, 200).json(t, &gs)
	if len(gs) != 1 {
		t.Errorf("group search: %d", len(gs))
	}
	// apps assigned to a user
	alice := userID(t, s, "alice.nguyen@example.com")
	var as []map[string]any
	call(t, "GET", base+"/api/v1/apps?filter="+url.QueryEscape(`user.id eq "`+alice+`"`), DefaultAPIToken, nil).want(t, 200).json(t, &as)
	if len(as) < 2 {
		t.Errorf("alice apps = %d", len(as))
	}
}

func eventTypes(s *Server, since int) []string {
	var out []string
	for _, e := range s.Events()[since:] {
		out = append(out, e.EventType)
	}
	return out
}

func TestUserLifecycle(t *testing.T) {
	s, base := startServer(t, Config{})
	api := base + "/api/v1/users"
	var u map[string]any
	call(t, "POST", api+"?activate=false", DefaultAPIToken, map[string]any{
		"profile":     map[string]any{"firstName": "Lee", "lastName": "Park", "email": "lee.park@example.com", "login": "lee.park@example.com"},
		"credentials": map[string]any{"password": map[string]any{"value": "Abcd1234!x"}},
	}).want(t, 200).json(t, &u)
	id := u["id"].(string)
	if u["status"] != "STAGED" || u["activated"] != nil || u["credentials"].(map[string]any)["provider"].(map[string]any)["type"] != "OKTA" {
		t.Fatalf("created %v", u)
	}
	steps := []struct {
		op, wantStatus string
		code           int
		errCode        string
		event          string
	}{
		{"suspend", "STAGED", 400, "E0000001", ""},
		{"activate?sendEmail=false", "ACTIVE", 200, "", "user.lifecycle.activate"},
		{"activate", "ACTIVE", 403, "E0000016", ""},
		{"unsuspend", "ACTIVE", 400, "E0000001", ""},
		{"suspend", "SUSPENDED", 200, "", "user.lifecycle.suspend"},
		{"reset_password", "SUSPENDED", 403, "E0000038", ""},
		{"unsuspend", "ACTIVE", 200, "", "user.lifecycle.unsuspend"},
		{"unlock", "ACTIVE", 403, "E0000032", ""},
		{"expire_password", "PASSWORD_EXPIRED", 200, "", "user.account.expire_password"},
		{"reset_password?sendEmail=false", "RECOVERY", 200, "", "user.account.reset_password"},
		{"deactivate", "DEPROVISIONED", 200, "", "user.lifecycle.deactivate"},
		{"deactivate", "DEPROVISIONED", 403, "E0000038", ""},
		{"activate?sendEmail=false", "ACTIVE", 200, "", "user.lifecycle.activate"},
		{"bogus", "ACTIVE", 404, "E0000007", ""},
	}
	for i, st := range steps {
		n := len(s.Events())
		e := call(t, "POST", api+"/"+id+"/lifecycle/"+st.op, DefaultAPIToken, nil)
		if e.resp.StatusCode != st.code {
			t.Fatalf("step %d %s: status %d want %d: %s", i, st.op, e.resp.StatusCode, st.code, e.respBody)
		}
		if st.errCode != "" {
			if c := e.errCode(t); c != st.errCode {
				t.Errorf("step %d %s: errorCode %s want %s", i, st.op, c, st.errCode)
			}
		}
		got, _ := s.User(id)
		if got["status"] != st.wantStatus {
			t.Errorf("step %d %s: status %v want %s", i, st.op, got["status"], st.wantStatus)
		}
		evs := eventTypes(s, n)
		if st.event != "" && (len(evs) != 1 || evs[0] != st.event) {
			t.Errorf("step %d %s: events %v want %s", i, st.op, evs, st.event)
		} else if st.event == "" && len(evs) != 0 {
			t.Errorf("step %d %s: unexpected events %v", i, st.op, evs)
		}
	}
	// partial update keeps other attributes; full replace drops them
	call(t, "POST", api+"/"+id, DefaultAPIToken, map[string]any{"profile": map[string]any{"department": "Ops"}}).want(t, 200).json(t, &u)
	if p := u["profile"].(map[string]any); p["department"] != "Ops" || p["firstName"] != "Lee" {
		t.Errorf("partial update: %v", p)
	}
	call(t, "PUT", api+"/"+id, DefaultAPIToken, map[string]any{"profile": map[string]any{"firstName": "Lee", "lastName": "Park", "email": "lee.park@example.com", "login": "lee.p@example.com"}}).want(t, 200).json(t, &u)
	if p := u["profile"].(map[string]any); p["department"] != nil || p["login"] != "lee.p@example.com" {
		t.Errorf("replace: %v", p)
	}
	call(t, "GET", api+"/lee.p@example.com", DefaultAPIToken, nil).want(t, 200)
	call(t, "PUT", api+"/"+id, DefaultAPIToken, map[string]any{"profile": map[string]any{"firstName": "Lee"}}).want(t, 400)
	// duplicate login
	e := call(t, "POST", api, DefaultAPIToken, map[string]any{"profile": map[string]any{"firstName": "A", "lastName": "B", "email": "alice.nguyen@example.com", "login": "alice.nguyen@example.com"}}).want(t, 400)
	if e.errCode(t) != "E0000001" {
		t.Error("duplicate login code")
	}
	// create without password, activate=true → PROVISIONED; with nextLogin → PASSWORD_EXPIRED
	call(t, "POST", api, DefaultAPIToken, map[string]any{"profile": map[string]any{"firstName": "N", "lastName": "P", "email": "np@example.com", "login": "np@example.com"}}).want(t, 200).json(t, &u)
	if u["status"] != "PROVISIONED" {
		t.Errorf("no-password activate: %v", u["status"])
	}
	// delete: deactivate first, then delete
	n := len(s.Events())
	call(t, "DELETE", api+"/"+id, DefaultAPIToken, nil).want(t, 204)
	if got, _ := s.User(id); got["status"] != "DEPROVISIONED" {
		t.Errorf("after first delete: %v", got["status"])
	}
	call(t, "DELETE", api+"/"+id, DefaultAPIToken, nil).want(t, 204)
	if _, ok := s.User(id); ok {
		t.Error("user still exists")
	}
	call(t, "GET", api+"/"+id, DefaultAPIToken, nil).want(t, 404)
	if got := strings.Join(eventTypes(s, n), ","); got != "user.lifecycle.deactivate,user.lifecycle.delete.initiated,user.lifecycle.delete.completed" {
		t.Errorf("delete events: %s", got)
	}
}

func TestGroupMembershipAndEvents(t *testing.T) {
	s, base := startServer(t, Config{})
	api := base + "/api/v1"
	alice := userID(t, s, "alice.nguyen@example.com")
	var g map[string]any
	n := len(s.Events())
	call(t, "POST", api+"/groups", DefaultAPIToken, map[string]any{"profile": map[string]any{"name": "Pilots", "description": "beta"}}).want(t, 200).json(t, &g)
	gid := g["id"].(string)
	if g["type"] != "OKTA_GROUP" || g["objectClass"].([]any)[0] != "okta:user_group" {
		t.Errorf("group %v", g)
	}
	call(t, "POST", api+"/groups", DefaultAPIToken, map[string]any{"profile": map[string]any{"name": "Pilots"}}).want(t, 400)
	call(t, "PUT", api+"/groups/"+gid+"/users/"+alice, DefaultAPIToken, nil).want(t, 204)
	call(t, "PUT", api+"/groups/"+gid+"/users/"+alice, DefaultAPIToken, nil).want(t, 204) // idempotent, no event
	call(t, "PUT", api+"/groups/"+gid+"/users/00unope", DefaultAPIToken, nil).want(t, 404)
	var members []map[string]any
	call(t, "GET", api+"/groups/"+gid+"/users", DefaultAPIToken, nil).want(t, 200).json(t, &members)
	if len(members) != 1 || members[0]["id"] != alice {
		t.Errorf("members %v", members)
	}
	var ug []map[string]any
	call(t, "GET", api+"/users/"+alice+"/groups", DefaultAPIToken, nil).want(t, 200).json(t, &ug)
	found := false
	for _, x := range ug {
		found = found || x["id"] == gid
	}
	if !found {
		t.Error("user groups lacks new group")
	}
	call(t, "DELETE", api+"/groups/"+gid+"/users/"+alice, DefaultAPIToken, nil).want(t, 204)
	evs := s.Events()[n:]
	if got := strings.Join(eventTypes(s, n), ","); got != "group.lifecycle.create,group.user_membership.add,group.user_membership.remove" {
		t.Fatalf("events %s", got)
	}
	add := evs[1]
	if add.Version != "0" || add.Outcome.Result != "SUCCESS" || len(add.Target) != 2 || add.Target[0].ID != alice || add.Target[1].ID != gid ||
		add.Actor.ID != s.AdminUserID() || add.Actor.Type != "User" || add.UUID == "" || add.Published == "" || add.Severity != "INFO" {
		t.Errorf("membership event %+v", add)
	}
	// app assignments
	var apps []map[string]any
	call(t, "GET", api+"/apps?q=Zoom", DefaultAPIToken, nil).want(t, 200).json(t, &apps)
	if len(apps) != 1 {
		t.Fatalf("zoom: %v", apps)
	}
	aid := apps[0]["id"].(string)
	bob := userID(t, s, "hannah.johansson@example.com")
	n = len(s.Events())
	call(t, "POST", api+"/apps/"+aid+"/users", DefaultAPIToken, map[string]any{"id": bob, "scope": "USER"}).want(t, 200)
	call(t, "GET", api+"/apps/"+aid+"/users/"+bob, DefaultAPIToken, nil).want(t, 200)
	call(t, "DELETE", api+"/apps/"+aid+"/users/"+bob, DefaultAPIToken, nil).want(t, 204)
	call(t, "DELETE", api+"/apps/"+aid+"/users/"+bob, DefaultAPIToken, nil).want(t, 404)
	call(t, "PUT", api+"/apps/"+aid+"/groups/"+gid, DefaultAPIToken, nil).want(t, 200)
	call(t, "DELETE", api+"/apps/"+aid+"/groups/"+gid, DefaultAPIToken, nil).want(t, 204)
	if got := strings.Join(eventTypes(s, n), ","); got != "application.user_membership.add,application.user_membership.remove,group.application_assignment.add,group.application_assignment.remove" {
		t.Errorf("app events %s", got)
	}
}

func TestLogsPolling(t *testing.T) {
	s, base := startServer(t, Config{})
	since := time.Now().Add(-time.Second).UTC().Format(time.RFC3339)
	for i := 0; i < 3; i++ {
		call(t, "POST", base+"/api/v1/groups", DefaultAPIToken, map[string]any{"profile": map[string]any{"name": "G" + strconv.Itoa(i)}}).want(t, 200)
	}
	// page through with limit=2
	next := base + "/api/v1/logs?since=" + url.QueryEscape(since) + "&limit=2"
	var got []LogEvent
	for i := 0; i < 3; i++ {
		e := call(t, "GET", next, DefaultAPIToken, nil).want(t, 200)
		var page []LogEvent
		e.json(t, &page)
		got = append(got, page...)
		next = links(e)["next"]
		if next == "" {
			t.Fatal("polling response without next link")
		}
	}
	if len(got) != 3 || got[0].EventType != "group.lifecycle.create" || got[0].Target[0].DisplayName != "G0" || got[2].Target[0].DisplayName != "G2" {
		t.Fatalf("events %+v", got)
	}
	// caught up: empty page, still a next link
	e := call(t, "GET", next, DefaultAPIToken, nil).want(t, 200)
	var page []LogEvent
	e.json(t, &page)
	if len(page) != 0 || links(e)["next"] == "" {
		t.Fatalf("caught-up poll: %d events, links %v", len(page), links(e))
	}
	next = links(e)["next"]
	// new event shows up on the next poll, exactly once
	alice := userID(t, s, "alice.nguyen@example.com")
	call(t, "POST", base+"/api/v1/users/"+alice+"/lifecycle/suspend", DefaultAPIToken, nil).want(t, 200)
	e = call(t, "GET", next, DefaultAPIToken, nil).want(t, 200)
	e.json(t, &page)
	if len(page) != 1 || page[0].EventType != "user.lifecycle.suspend" || page[0].Target[0].ID != alice {
		t.Fatalf("new poll: %+v", page)
	}
	// filter + bounded window: no next link when complete
	until := time.Now().Add(time.Second).UTC().Format(time.RFC3339)
	e = call(t, "GET", base+"/api/v1/logs?since="+url.QueryEscape(since)+"&until="+url.QueryEscape(until)+"&filter="+url.QueryEscape(`eventType eq "user.lifecycle.suspend"`), DefaultAPIToken, nil).want(t, 200)
	e.json(t, &page)
	if len(page) != 1 || links(e)["next"] != "" {
		t.Errorf("bounded: %d events, links %v", len(page), links(e))
	}
	// descending
	e = call(t, "GET", base+"/api/v1/logs?sortOrder=DESCENDING&limit=1", DefaultAPIToken, nil).want(t, 200)
	e.json(t, &page)
	if len(page) != 1 || page[0].EventType != "user.lifecycle.suspend" {
		t.Errorf("descending: %+v", page)
	}
	call(t, "GET", base+"/api/v1/logs?since=yesterday", DefaultAPIToken, nil).want(t, 400)
}

func TestSSWSAuth(t *testing.T) {
	s, base := startServer(t, Config{})
	for _, tc := range []struct {
		name, auth string
		status     int
		code       string
	}{
		{"none", "", 401, "E0000011"},
		{"wrong token", "SSWS nope", 401, "E0000011"},
		{"wrong scheme", "Basic Zm9vOmJhcg==", 401, "E0000011"},
		{"unknown bearer", "Bearer abc", 401, "E0000011"},
		{"valid", "SSWS " + DefaultAPIToken, 200, ""},
		{"scoped token lacks scope", "SSWS " + s.CreateAPIToken("groups-only", "okta.groups.read"), 403, "E0000006"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := call(t, "GET", base+"/api/v1/users?limit=1", tc.auth, nil).want(t, tc.status)
			if tc.code != "" {
				if c := e.errCode(t); c != tc.code {
					t.Errorf("code %s want %s", c, tc.code)
				}
			}
		})
	}
	tok := s.CreateAPIToken("ci")
	call(t, "GET", base+"/api/v1/users/me", tok, nil).want(t, 200)
	s.RevokeAPIToken(tok)
	call(t, "GET", base+"/api/v1/users/me", tok, nil).want(t, 401)
}

func TestRateLimit(t *testing.T) {
	window := time.Second
	_, base := startServer(t, Config{RateWindow: window, Limits: map[string]int{BucketUsers: 3}})
	// Start right after a window boundary so the burst fits in one window.
	now := time.Now()
	time.Sleep(now.Truncate(window).Add(window).Sub(now) + 20*time.Millisecond)
	for i := 1; i <= 4; i++ {
		e := call(t, "GET", base+"/api/v1/users?limit=1", DefaultAPIToken, nil)
		h := e.resp.Header
		reset, _ := strconv.ParseInt(h.Get("X-Rate-Limit-Reset"), 10, 64)
		if h.Get("X-Rate-Limit-Limit") != "3" || reset < time.Now().Unix() || reset > time.Now().Add(2*window).Unix()+1 {
			t.Errorf("req %d headers %v", i, h)
		}
		wantRem := strconv.Itoa(max(3-i, 0))
		if h.Get("X-Rate-Limit-Remaining") != wantRem {
			t.Errorf("req %d remaining %s want %s", i, h.Get("X-Rate-Limit-Remaining"), wantRem)
		}
		if i <= 3 {
			e.want(t, 200)
		} else {
			e.want(t, 429)
			if e.errCode(t) != "E0000047" {
				t.Errorf("429 body %s", e.respBody)
			}
		}
	}
	// other buckets are independent
	e := call(t, "GET", base+"/api/v1/groups", DefaultAPIToken, nil).want(t, 200)
	if e.resp.Header.Get("X-Rate-Limit-Limit") != "500" {
		t.Errorf("groups limit %s", e.resp.Header.Get("X-Rate-Limit-Limit"))
	}
	// recovery after the window
	time.Sleep(window)
	call(t, "GET", base+"/api/v1/users?limit=1", DefaultAPIToken, nil).want(t, 200)
}

func TestLimitScaleAndStats(t *testing.T) {
	s, base := startServer(t, Config{LimitScale: 0.01})
	e := call(t, "GET", base+"/api/v1/logs", DefaultAPIToken, nil).want(t, 200)
	if e.resp.Header.Get("X-Rate-Limit-Limit") != "1" {
		t.Errorf("scaled logs limit %s", e.resp.Header.Get("X-Rate-Limit-Limit"))
	}
	call(t, "GET", base+"/api/v1/logs", DefaultAPIToken, nil).want(t, 429)
	st := s.Stats()
	if st.Requests[BucketLogs] != 2 || st.RateLimited != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestConcurrencyLimit(t *testing.T) {
	s, base := startServer(t, Config{ConcurrencyLimit: 2, Faults: []Fault{{PathPrefix: "/api/v1/users", Latency: 300 * time.Millisecond}}})
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := call(t, "GET", base+"/api/v1/users?limit=1", DefaultAPIToken, nil)
			mu.Lock()
			codes[e.resp.StatusCode]++
			mu.Unlock()
			if e.resp.StatusCode == 429 {
				h := e.resp.Header
				if h.Get("X-Rate-Limit-Limit") != "0" || h.Get("X-Rate-Limit-Remaining") != "0" || h.Get("X-Rate-Limit-Reset") == "" {
					t.Errorf("concurrency 429 headers %v", h)
				}
			}
		}()
	}
	wg.Wait()
	if codes[200] < 1 || codes[429] < 1 || codes[200]+codes[429] != 6 {
		t.Errorf("codes %v", codes)
	}
	if s.Stats().ConcurrencyRejected == 0 {
		t.Error("stats: no concurrency rejections")
	}
	found := false
	for _, e := range s.Events() {
		found = found || e.EventType == "core.concurrency.org.limit.violation"
	}
	if !found {
		t.Error("no core.concurrency.org.limit.violation event")
	}
}

func TestFaults(t *testing.T) {
	s, base := startServer(t, Config{Faults: []Fault{{PathPrefix: "/api/v1/groups", Every: 2, Status: 503}}})
	var got []int
	for i := 0; i < 4; i++ {
		got = append(got, call(t, "GET", base+"/api/v1/groups", DefaultAPIToken, nil).resp.StatusCode)
	}
	if got[0] != 200 || got[1] != 503 || got[2] != 200 || got[3] != 503 {
		t.Errorf("every-2 codes %v", got)
	}
	call(t, "GET", base+"/api/v1/users", DefaultAPIToken, nil).want(t, 200) // other paths unaffected

	s.SetFaults([]Fault{{PathPrefix: "/api/v1/users", Method: "GET", Reset: true}})
	req, _ := newReq("GET", base+"/api/v1/users", DefaultAPIToken)
	if resp, err := testClient.Do(req); err == nil {
		resp.Body.Close()
		t.Error("connection reset fault: request succeeded")
	}
	s.SetFaults([]Fault{{Status: 500}})
	e := call(t, "GET", base+"/api/v1/org", DefaultAPIToken, nil).want(t, 500)
	if e.errCode(t) != "E0000009" {
		t.Error("500 code")
	}
	s.SetFaults([]Fault{{PathPrefix: "/api/v1/org", Latency: 150 * time.Millisecond}})
	start := time.Now()
	call(t, "GET", base+"/api/v1/org", DefaultAPIToken, nil).want(t, 200)
	if time.Since(start) < 150*time.Millisecond {
		t.Error("latency fault not applied")
	}
	s.SetFaults([]Fault{{PathPrefix: "/api/v1/groups", Status: 429}})
	e = call(t, "GET", base+"/api/v1/groups", DefaultAPIToken, nil).want(t, 429)
	if e.errCode(t) != "E0000047" || e.resp.Header.Get("X-Rate-Limit-Remaining") != "0" || e.resp.Header.Get("X-Rate-Limit-Reset") == "" {
		t.Errorf("429 fault: %s %v", e.respBody, e.resp.Header)
	}
	s.SetFaults(nil)
	call(t, "GET", base+"/api/v1/users", DefaultAPIToken, nil).want(t, 200)
	if s.Stats().Faults < 4 {
		t.Errorf("fault stats %d", s.Stats().Faults)
	}
}

func TestMainCLI(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuf{}
	done := make(chan error, 1)
	go func() { done <- Main(ctx, []string{"--addr", "127.0.0.1:0"}, out) }()
	deadline := time.Now().Add(5 * time.Second)
	re := regexp.MustCompile(`listening on (http://\S+)`)
	var base string
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if base == "" || !strings.Contains(out.String(), DefaultAPIToken) {
		t.Fatalf("output %q", out.String())
	}
	call(t, "GET", base+"/api/v1/users/me", DefaultAPIToken, nil).want(t, 200)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Main did not return after cancel")
	}
	if err := Main(context.Background(), []string{"--bogus"}, &syncBuf{}); err == nil {
		t.Error("bad flag accepted")
	}
}

type syncBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func BenchmarkGetUser(b *testing.B) {
	s, base := startServer(b, Config{DisableRateLimit: true, ConcurrencyLimit: -1})
	u := base + "/api/v1/users/" + userID(b, s, "alice.nguyen@example.com")
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := newReq("GET", u, DefaultAPIToken)
			resp, err := testClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}

func BenchmarkListUsersSearch(b *testing.B) {
	_, base := startServer(b, Config{DisableRateLimit: true, ConcurrencyLimit: -1})
	u := base + "/api/v1/users?limit=20&search=" + url.QueryEscape(`profile.department eq "Engineering" and status eq "ACTIVE"`)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := newReq("GET", u, DefaultAPIToken)
			resp, err := testClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}
