package okta

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// Assign User to Application for SSO and Provisioning against the sandbox
// (every exchange checked against Okta's OpenAPI spec): the app's user
// schema gains a custom attribute, the card assigns a user with credentials
// and that profile property, and bad input fails naming the field.
func TestAssignUserToApplicationForSSOAndProvisioning(t *testing.T) {
	tn := startTenant(t, sandbox.Config{}, true)
	app, _ := mustCard(t, tn, "okta.searchApplications", map[string]any{"Query": "GitHub", "resultSet": FirstMatch})["ID"].(string)
	uid, _ := mustCard(t, tn, "okta.readUser", map[string]any{"ID or Login": "carol.okafor@example.com"})["ID"].(string)
	if app == "" || uid == "" {
		t.Fatalf("app %q, user %q", app, uid)
	}
	// the app's user profile gets costCenter (Okta's schema API, through the Custom API Action)
	mustCard(t, tn, "okta.customApiAction", map[string]any{"requestType": "POST", "Relative URL": "/api/v1/meta/schemas/apps/" + app + "/default",
		"Body": map[string]any{"definitions": map[string]any{"custom": map[string]any{"id": "#custom", "type": "object",
			"properties": map[string]any{"costCenter": map[string]any{"title": "Cost center", "type": "string"}}}}}})

	const kind = "okta.assignUserToApplicationForSSOAndProvisioning"
	for _, c := range []struct {
		name    string
		in      map[string]any
		wantErr string         // substring of the error; "" = success
		want    map[string]any // outputs that must hold
	}{
		{name: "profile and credentials", in: map[string]any{"application": enterAppID, "applicationID": app, "User/id": uid,
			"Username": "carol.gh", "costCenter": "CC-42"},
			want: map[string]any{"User ID": uid, "Scope": "USER", "costCenter": "CC-42"}},
		{name: "no profile properties", in: map[string]any{"applicationID": app, "User/id": uid, "User/Scope": "USER"},
			want: map[string]any{"User ID": uid, "Scope": "USER"}},
		{name: "property the app does not define", in: map[string]any{"applicationID": app, "User/id": uid, "department": "Sales"},
			wantErr: `input "department": is not an attribute of application ` + app + `'s user profile (it has: costCenter, userName)`},
		{name: "scope", in: map[string]any{"applicationID": app, "User/id": uid, "User/Scope": "ADMIN"}, wantErr: `User/Scope`},
		{name: "no application", in: map[string]any{"application": enterAppID, "User/id": uid}, wantErr: `choose an application`},
		{name: "no user", in: map[string]any{"applicationID": app}, wantErr: `User/id`},
		{name: "unknown user", in: map[string]any{"applicationID": app, "User/id": "00unotthere0000000000"}, wantErr: "E0000007"},
		{name: "unknown app", in: map[string]any{"applicationID": "0oanotthere000000000", "User/id": uid, "costCenter": "x"}, wantErr: "E0000007"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tn.rec.reset()
			out, _, err := tn.card(t, kind, c.in)
			if c.wantErr != "" {
				if err == nil || !contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want it to say %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range c.want {
				if out[k] != v {
					t.Fatalf("%s = %v, want %v (outputs %s)", k, out[k], v, asJSON(out))
				}
			}
			var post *exchange
			for _, e := range tn.rec.exchanges() {
				if e.Method == "POST" && strings.HasSuffix(strings.SplitN(e.URL, "?", 2)[0], "/api/v1/apps/"+app+"/users") {
					e := e
					post = &e
				}
			}
			if post == nil {
				t.Fatal("no POST /api/v1/apps/{appId}/users")
			}
			var body map[string]any
			if err := json.Unmarshal(post.ReqBody, &body); err != nil {
				t.Fatal(err)
			}
			if body["id"] != uid || body["scope"] != "USER" {
				t.Fatalf("request body %s", post.ReqBody)
			}
			if u, ok := c.in["Username"]; ok && at(body, "credentials", "userName") != u {
				t.Fatalf("credentials not sent: %s", post.ReqBody)
			}
		})
	}
	// the assignment is Okta's: Get Assigned User for Application reads the profile back
	got := mustCard(t, tn, "okta.getAssignedUserForApplication", map[string]any{"applicationID": app, "id": uid})
	if !contains(asJSON(got), "carol.gh") {
		t.Fatalf("assigned user: %s", asJSON(got))
	}
}

// Okta Devices' Custom API Action reaches any endpoint of the org: a user's
// factors and admin roles (the endpoints imported flows call), devices, and
// Okta's error for an unknown user.
func TestDevicesCustomAPIAction(t *testing.T) {
	tn := startTenant(t, sandbox.Config{}, true)
	uid, _ := mustCard(t, tn, "okta.readUser", map[string]any{"ID or Login": "alice.nguyen@example.com"})["ID"].(string)
	for _, c := range []struct {
		name    string
		in      map[string]any
		status  float64
		body    string // substring of the JSON body
		wantErr string
	}{
		{name: "list factors", in: map[string]any{"Relative URL": "/api/v1/users/" + uid + "/factors"}, status: 200, body: `"factorType":"email"`},
		{name: "assign role", in: map[string]any{"requestType": "POST", "Relative URL": "/api/v1/users/" + uid + "/roles",
			"Body": map[string]any{"type": "HELP_DESK_ADMIN"}}, status: 201, body: `"type":"HELP_DESK_ADMIN"`},
		{name: "list roles", in: map[string]any{"Relative URL": "/api/v1/users/" + uid + "/roles"}, status: 200, body: `"label":"Help Desk Administrator"`},
		{name: "devices by search, encoded like Okta", in: map[string]any{"Relative URL": `/api/v1/devices?search=profile.platform eq "MACOS"`},
			status: 200, body: `"platform":"MACOS"`},
		{name: "unknown user", in: map[string]any{"Relative URL": "/api/v1/users/00unotthere0000000000/factors"}, wantErr: "E0000007"},
		{name: "no URL", in: map[string]any{"requestType": "GET"}, wantErr: "Relative URL"},
		{name: "another host", in: map[string]any{"Relative URL": "https://evil.example.com/api/v1/users"}, wantErr: "not another host"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, _, err := tn.card(t, "oktadevices.customApiAction", c.in)
			if c.wantErr != "" {
				if err == nil || !contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want it to say %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if out["Status Code"] != c.status || !contains(asJSON(out["Body"]), c.body) {
				t.Fatalf("status %v, body %s; want %v with %s", out["Status Code"], asJSON(out["Body"]), c.status, c.body)
			}
		})
	}

	// GET(Streaming): each device goes to the helper flow (the sandbox has 3), up to Record Limit
	tn.flows["count"] = &engine.Flow{Format: engine.FlowFormat, ID: "count", Name: "count",
		Trigger: engine.Card{ID: "trigger", Type: "flow.helper", Outputs: []engine.Field{{Key: "Record", Type: engine.T("object")}, {Key: "State", Type: engine.T("any")}}},
		Cards:   []engine.Card{{ID: "c", Type: "test.count"}}}
	withFlow := func(c *engine.Card) { c.Flow = "count" }
	for _, c := range []struct {
		limit any
		want  int32
	}{{nil, 3}, {2.0, 2}} {
		before := streamCount.Load()
		in := map[string]any{"requestType": "GET(Streaming)", "Relative URL": "/api/v1/devices"}
		if c.limit != nil {
			in["Limit"] = c.limit
		}
		out := mustCard(t, tn, "oktadevices.customApiAction", in, withFlow)
		if got := streamCount.Load() - before; got != c.want || out["Records Streamed"] != float64(c.want) {
			t.Fatalf("limit %v: helper ran %d times, Records Streamed %v; want %d", c.limit, got, out["Records Streamed"], c.want)
		}
	}
	if _, _, err := tn.card(t, "oktadevices.customApiAction", map[string]any{"requestType": "GET(Streaming)", "Relative URL": "/api/v1/devices"}); err == nil || !contains(err.Error(), "helper flow") {
		t.Fatalf("streaming without a helper flow: %v", err)
	}
}
