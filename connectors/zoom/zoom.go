// Package zoom is the Zoom connector, built on connectors/kit: the "zoom"
// connection kind (a Server-to-Server OAuth app: account ID, client ID and
// secret, grant_type=account_credentials), user cards after Okta's Zoom
// connector (Create, Read, Update — the user type is the license —,
// Activate, Deactivate, Delete User), a Custom API Action, and the local
// fake account (connectors/zoom/fake).
//
// Zoom is not in the template corpus, so the card kinds and field keys
// follow Okta's Zoom connector reference (help.okta.com …/zoom/actions/):
// e.g. Create User takes Profile › Username, First Name, Last Name,
// Department, User Type, Login Using SSO?, Login Using Work Email? and
// gives User › User ID, Username.
package zoom

import (
	"context"
	"net/http"
	"net/url"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/zoom/fake"
	"github.com/flowbench/flowbench/engine"
)

// NS is Okta's namespace of the Zoom cards.
const NS = "zoom"

func s2s() *kit.AuthMethod {
	m := kit.ClientCredentials("Server-to-Server OAuth app", "https://zoom.us/oauth/token")
	m.TokenParams = map[string]string{"grant_type": "account_credentials", "account_id": "{accountId}"}
	return m
}

// Connector is Zoom's declaration.
var Connector = &kit.Connector{
	ID:      "zoom",
	Title:   "Zoom",
	DocBase: "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/zoom/actions/",
	Fields: []engine.FieldSpec{{Key: "accountId", Label: "Account ID", Type: engine.T("string"), Required: true,
		Description: "the Server-to-Server OAuth app's Account ID (App Credentials page)"}},
	Auth:    []*kit.AuthMethod{s2s()},
	BaseURL: "https://api.zoom.us/v2",
	Errors:  ZoomErrors,
	Ladder: &kit.Ladder{
		Identity: kit.Call{Path: "/users", Query: url.Values{"page_size": {"1"}}},
		Describe: func(r *kit.Result) (string, map[string]any) {
			n := r.Object()["total_records"]
			return "reads the account's users (" + engine.ToText(n) + " active)", map[string]any{"users": n}
		},
		Fixes: map[string]string{
			"124":  "Zoom refused the token: check the app is activated and its client secret is current, then test again.",
			"4700": "The app lacks a scope: add user:read:admin and user:write:admin to the Server-to-Server OAuth app.",
		},
	},
	CustomAPI: NS + ":customApiAction",
	Fake:      func() (kit.Fake, error) { return fake.New(fake.Config{}), nil },
}

func init() {
	Connector.Cards = cards()
	kit.Register(Connector)
}

// ZoomErrors maps {"code","message"}.
func ZoomErrors(r *kit.Result) *engine.HTTPError {
	if r.Status < 400 {
		return nil
	}
	if m := r.Object(); m != nil && m["message"] != nil {
		return &engine.HTTPError{Status: r.Status, Code: engine.ToText(m["code"]), Summary: engine.ToText(m["message"])}
	}
	return kit.StatusErrors(r)
}

// User types (Zoom's numbers; Licensed is a paid license).
var userTypes = map[string]float64{"Basic": 1, "Licensed": 2, "On-Prem": 3, "Pro": 2, "Corp": 3}

func typeName(v any) string {
	switch engine.ToText(v) {
	case "1":
		return "Basic"
	case "2":
		return "Licensed"
	case "3":
		return "On-Prem"
	case "99":
		return "None"
	}
	return engine.ToText(v)
}

func in(group, key, typ string, req bool) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: group, Type: engine.T(typ), Required: req, Label: key}
}

func out(group, key, typ string) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: group, Type: engine.T(typ), Label: key}
}

func typeField(req bool) engine.FieldSpec {
	f := in("Profile", "User Type", "string", req)
	f.Choices = []engine.Choice{{Value: "Basic", Label: "Basic"}, {Value: "Licensed", Label: "Licensed"}, {Value: "On-Prem", Label: "On-Prem"}}
	if req {
		f.Default = "Basic"
	}
	return f
}

var statusOut = []engine.FieldSpec{out("Response", "Status Code", "number")}

func userPath(in *kit.In) (string, error) {
	id, err := in.Required("ID or Email")
	if err != nil {
		return "", err
	}
	return "/users/" + url.PathEscape(id), nil
}

func cards() []*kit.Card {
	idIn := []engine.FieldSpec{in("User", "ID or Email", "string", true)}
	status := func(okta, title, doc, desc, action string) *kit.Card {
		return &kit.Card{Okta: NS + ":" + okta, Title: title, Doc: doc, Description: desc, Inputs: idIn, Outputs: statusOut,
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				p, err := userPath(in)
				if err != nil {
					return nil, err
				}
				r, err := in.Do(ctx, &kit.Call{Method: http.MethodPut, Path: p + "/status", JSON: map[string]any{"action": action}})
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"Status Code": float64(r.Status)}, nil
			}}
	}
	del := in("User", "Action", "string", false)
	del.Default = "Delete"
	del.Choices = []engine.Choice{{Value: "Delete", Label: "Delete (remove the user and their data)"},
		{Value: "Disassociate", Label: "Disassociate (the user keeps a free Zoom account of their own)"}}
	return []*kit.Card{
		{Okta: NS + ":createUser", Title: "Create User", Doc: "createuser.htm", Description: "Creates a user in the Zoom account (Licensed takes a paid seat).",
			Inputs: []engine.FieldSpec{in("Profile", "Username", "string", true), in("Profile", "First Name", "string", false),
				in("Profile", "Last Name", "string", false), in("Profile", "Department", "string", false), typeField(true),
				in("Profile", "Login Using SSO?", "boolean", false), in("Profile", "Login Using Work Email?", "boolean", false)},
			Outputs: []engine.FieldSpec{out("User", "User ID", "string"), out("User", "Username", "string")},
			Run:     createUser},
		{Okta: NS + ":readUser", Title: "Read User", Doc: "readuser.htm", Description: "Reads a Zoom user by ID or email.",
			Inputs: idIn,
			Outputs: []engine.FieldSpec{out("User", "User ID", "string"), out("User", "Username", "string"), out("User", "First Name", "string"),
				out("User", "Last Name", "string"), out("User", "Department", "string"), out("User", "User Type", "string"),
				out("User", "Status", "string"), out("User", "Created", "date"), out("User", "Last Login", "date"), out("User", "Raw Output", "object")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				p, err := userPath(in)
				if err != nil {
					return nil, err
				}
				r, err := in.Do(ctx, &kit.Call{Path: p})
				if err != nil {
					return nil, err
				}
				u := r.Object()
				o := engine.Outputs{"User ID": u["id"], "Username": u["email"], "First Name": u["first_name"], "Last Name": u["last_name"],
					"Department": u["dept"], "User Type": typeName(u["type"]), "Status": u["status"], "Raw Output": u}
				for k, f := range map[string]string{"Created": "created_at", "Last Login": "last_login_time"} {
					if d, err := engine.ToDate(u[f]); err == nil && u[f] != nil {
						o[k] = d
					}
				}
				return o, nil
			}},
		{Okta: NS + ":updateUser", Title: "Update User", Doc: "updateuser.htm",
			Description: "Changes a user's profile or type (Basic ↔ Licensed assigns or frees a paid license); empty fields are left alone.",
			Inputs: []engine.FieldSpec{in("User", "ID or Email", "string", true), in("Profile", "First Name", "string", false),
				in("Profile", "Last Name", "string", false), in("Profile", "Department", "string", false), typeField(false)},
			Outputs: statusOut,
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				p, err := userPath(in)
				if err != nil {
					return nil, err
				}
				body := map[string]any{}
				for k, f := range map[string]string{"First Name": "first_name", "Last Name": "last_name", "Department": "dept"} {
					if v := in.Text(k); v != "" {
						body[f] = v
					}
				}
				if t := in.Text("User Type"); t != "" {
					n, ok := userTypes[t]
					if !ok {
						return nil, kit.Errorf("User Type", "%q is not Basic, Licensed or On-Prem", t)
					}
					body["type"] = n
				}
				if len(body) == 0 {
					return nil, kit.Errorf("User Type", "nothing to update: set a profile field or the user type")
				}
				r, err := in.Do(ctx, &kit.Call{Method: http.MethodPatch, Path: p, JSON: body})
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"Status Code": float64(r.Status)}, nil
			}},
		status("activateUser", "Activate User", "activateuser.htm", "Activates a deactivated user (a Licensed user needs a free seat).", "activate"),
		status("deactivateUser", "Deactivate User", "deactivateuser.htm", "Deactivates a user: they can no longer sign in; a paid seat is freed.", "deactivate"),
		{Okta: NS + ":deleteUser", Title: "Delete User", Doc: "deleteuser.htm",
			Description: "Deletes a user, or disassociates them from the account; their meetings and recordings can go to another user.",
			Inputs:      []engine.FieldSpec{in("User", "ID or Email", "string", true), del, in("User", "Transfer To Email", "string", false)},
			Outputs:     statusOut,
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				p, err := userPath(in)
				if err != nil {
					return nil, err
				}
				action := map[string]string{"": "delete", "Delete": "delete", "Disassociate": "disassociate"}[in.Text("Action")]
				if action == "" {
					return nil, kit.Errorf("Action", "%q is not Delete or Disassociate", in.Text("Action"))
				}
				q := url.Values{"action": {action}}
				if t := in.Text("Transfer To Email"); t != "" {
					q.Set("transfer_email", t)
					for _, k := range []string{"transfer_meeting", "transfer_webinar", "transfer_recording"} {
						q.Set(k, "true")
					}
				}
				r, err := in.Do(ctx, &kit.Call{Method: http.MethodDelete, Path: p, Query: q})
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"Status Code": float64(r.Status)}, nil
			}},
	}
}

func createUser(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	email, err := in.Required("Username")
	if err != nil {
		return nil, err
	}
	t := in.Text("User Type")
	if t == "" {
		t = "Basic"
	}
	typ, ok := userTypes[t]
	if !ok {
		return nil, kit.Errorf("User Type", "%q is not Basic, Licensed or On-Prem", t)
	}
	info := map[string]any{"email": email, "type": typ}
	for k, f := range map[string]string{"First Name": "first_name", "Last Name": "last_name"} {
		if v := in.Text(k); v != "" {
			info[f] = v
		}
	}
	// SSO users sign in through the account's identity provider
	// (ssoCreate); a work email on the account's managed domain needs no
	// confirmation (autoCreate); anyone else gets Zoom's invitation email
	// and stays pending until they accept it (create)
	action := "create"
	switch {
	case in.Bool("Login Using SSO?", false):
		action = "ssoCreate"
	case in.Bool("Login Using Work Email?", false):
		action = "autoCreate"
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/users", JSON: map[string]any{"action": action, "user_info": info}})
	if err != nil {
		return nil, err
	}
	u := r.Object()
	if d := in.Text("Department"); d != "" {
		// the department is not part of user_info: set it on the new user
		if _, err := in.Do(ctx, &kit.Call{Method: http.MethodPatch, Path: "/users/" + url.PathEscape(engine.ToText(u["id"])),
			JSON: map[string]any{"dept": d}}); err != nil {
			return nil, err
		}
	}
	return engine.Outputs{"User ID": u["id"], "Username": u["email"]}, nil
}
