package okta

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// Assign User to Application for SSO and Provisioning
// (assignusertoapplicationforssoandprovisioning.htm, issue 10 point 8):
// assigns a user to an application with credentials and an app-specific
// profile; Okta applies the app's profile mappings first, then the given
// Profile Properties. Okta's card builds the Profile Properties inputs from
// the app's user schema; here they are the inputs the user adds to the card,
// checked against that schema
// (GET /api/v1/meta/schemas/apps/{appId}/default) before the assignment, so a
// property the application does not define is an error naming the field.
// No corpus template uses the card: its kind is the camelCase of its title,
// like Assign User to Application for SSO's (okta:assignUserToApplicationForSSO),
// and its keys are that card's.

func init() {
	s := card("okta.assignUserToApplicationForSSOAndProvisioning", "okta:assignUserToApplicationForSSOAndProvisioning",
		"Assign User to Application for SSO and Provisioning", "assignusertoapplicationforssoandprovisioning.htm",
		"Assigns a user to an application with credentials and an app-specific profile: Okta applies the app's profile mappings, "+
			"then the Profile Properties you add (each must be an attribute of the app's user profile).",
		[]engine.FieldSpec{appParam(), appIDInput(), in("User", "User/id", "string", true, "User ID"),
			{Key: "User/Scope", Group: "User", Label: "Scope", Type: engine.T("string"), Default: "USER", Choices: choices("USER", "GROUP")},
			in("Credentials", "Username", "string", false, "Username"), in("Credentials", "Password", "string", false, "Password")},
		append([]engine.FieldSpec(nil), appUserSystemFields...), assignAppProvisioning)
	s.ExtensibleInputs, s.ExtensibleOutputs = true, true
	engine.Register(s)
}

// assignOwn are the inputs of the two Assign User to Application cards;
// every other input is a profile property.
var assignOwn = map[string]bool{"application": true, "applicationID": true, "User/id": true, "User/Scope": true,
	"Username": true, "Password": true}

func assignAppProvisioning(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	return assignAppUser(ctx, in, true)
}

// assignAppUser assigns a user to an application (POST
// /api/v1/apps/{appId}/users) with the card's credentials and profile
// properties. For SSO and Provisioning (provisioning), the scope defaults to
// USER and must be USER or GROUP, and the profile properties are checked
// against the app's user schema first.
func assignAppUser(ctx context.Context, in engine.Inputs, provisioning bool) (engine.Outputs, error) {
	app, err := appID(in)
	if err != nil {
		return nil, err
	}
	uid, err := required(in, "User/id")
	if err != nil {
		return nil, err
	}
	body := map[string]any{"id": uid}
	scope := text(in, "User/Scope")
	if provisioning {
		body["scope"] = "USER"
		if scope = strings.ToUpper(scope); scope != "" && scope != "USER" && scope != "GROUP" {
			return nil, engine.InputErrorf("User/Scope", "must be USER or GROUP, not %q", scope)
		}
	}
	if scope != "" {
		body["scope"] = scope
	}
	creds := map[string]any{}
	if s := text(in, "Username"); s != "" {
		creds["userName"] = s
	}
	if s := text(in, "Password"); s != "" {
		creds["password"] = map[string]any{"value": s}
	}
	if len(creds) > 0 {
		body["credentials"] = creds
	}
	if prof := profileInputs(in, assignOwn, true); len(prof) > 0 {
		if provisioning {
			if err := checkAppProfile(ctx, in, app, prof); err != nil {
				return nil, err
			}
		}
		body["profile"] = prof
	}
	au, _, err := do(ctx, in, "POST", "/api/v1/apps/"+seg(app)+"/users", nil, body)
	if err != nil {
		return nil, err
	}
	return appUserOutputs(au), nil
}

// checkAppProfile refuses profile properties the application's user schema
// does not define (Okta answers them with E0000001 after the fact).
func checkAppProfile(ctx context.Context, in engine.Inputs, app string, prof map[string]any) error {
	sch, _, err := do(ctx, in, "GET", "/api/v1/meta/schemas/apps/"+seg(app)+"/default", nil, nil)
	if err != nil {
		return err
	}
	var names []string
	for _, part := range []string{"base", "custom"} {
		if props, ok := get(sch, "definitions", part, "properties").(map[string]any); ok {
			for k := range props {
				names = append(names, k)
			}
		}
	}
	sort.Strings(names)
	keys := make([]string, 0, len(prof))
	for k := range prof {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(names, k) {
			return engine.InputErrorf(k, "is not an attribute of application %s's user profile (it has: %s)", app, strings.Join(names, ", "))
		}
	}
	return nil
}
