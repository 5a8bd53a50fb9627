package slack

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// NSAdmin is Okta's Slack Admin connector: user lifecycle through Slack's
// SCIM API (Business+ and Enterprise Grid), with an Owner's or Admin's
// user token.
const NSAdmin = "slackadmin"

// SCIMErrors maps Slack's SCIM errors {"Errors":{"description","code"}}.
func SCIMErrors(r *kit.Result) *engine.HTTPError {
	if r.Status < 400 {
		return nil
	}
	if e, ok := kit.Dig(r.Body, "Errors").(map[string]any); ok {
		desc, _ := e["description"].(string)
		code, _, _ := strings.Cut(desc, ":")
		return &engine.HTTPError{Status: r.Status, Code: strings.TrimSpace(code), Summary: desc}
	}
	return kit.StatusErrors(r)
}

// Admin is the Slack Admin connector.
var Admin = &kit.Connector{
	ID:      NSAdmin,
	Title:   "Slack Admin",
	DocBase: "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/slackadmin/actions/",
	Auth: []*kit.AuthMethod{
		kit.APIToken("Admin user token (xoxp-…)", "User OAuth Token of an Owner or Admin", "Authorization", "Bearer "),
		kit.OAuth2Code("OAuth 2.0 (install as an Owner or Admin)", "https://slack.com/oauth/v2/authorize", "https://slack.com/api/oauth.v2.access", "admin"),
	},
	BaseURL:   "https://api.slack.com",
	Errors:    SCIMErrors,
	RateLimit: kit.RetryAfterWindow,
	Ladder: &kit.Ladder{
		Identity: kit.Call{Path: "/scim/v1/Users", Query: url.Values{"count": {"1"}}},
		Describe: func(r *kit.Result) (string, map[string]any) {
			return fmt.Sprintf("SCIM API reachable: %v users", kit.Dig(r.Body, "totalResults")), map[string]any{"users": kit.Dig(r.Body, "totalResults")}
		},
		Fixes: map[string]string{
			"token_revoked":          "token revoked: reconnect the Slack Admin connection with a current Owner or Admin token.",
			"invalid_authentication": "Slack does not know this token: paste the User OAuth Token (xoxp-…) of an Owner or Admin.",
			"missing_scope":          "The token lacks the admin scope: reinstall the app as an Owner or Admin with the admin scope.",
		},
	},
	CustomAPI: NSAdmin + ":customApiAction",
}

func adminCards() []*kit.Card {
	userOut := []engine.FieldSpec{out("User", "ID", "string"), out("User", "Username", "string"), out("User", "Full Name", "string"),
		out("User", "Email", "string"), out("User", "Title", "string"), {Key: "Active", Group: "User", Label: "Active", Type: engine.T("boolean")}}
	return []*kit.Card{
		{Okta: NSAdmin + ":searchUsers", Title: "Search Users", Doc: "searchusers.htm",
			Description: "Finds a Slack user by email or username (SCIM filter).",
			Inputs: []engine.FieldSpec{param("searchBy", "Search By", "Email", "Email", "Username"),
				in("User", "Email", "string", false, "Email"), in("User", "Username", "string", false, "Username")},
			Outputs: userOut, Run: searchUsers},
		{Okta: NSAdmin + ":readUser", Title: "Read User", Doc: "readuser.htm", Description: "Reads a Slack user by ID (SCIM).",
			Inputs: []engine.FieldSpec{in("User", "ID", "string", true, "User ID")}, Outputs: userOut,
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				return scimUser(ctx, in, http.MethodGet, nil)
			}},
		{Okta: NSAdmin + ":deactivateUser", Title: "Deactivate User", Doc: "deactivateuser.htm",
			Description: "Deactivates a Slack user (SCIM DELETE): they are signed out and removed from channels; the account stays for reactivation.",
			Inputs:      []engine.FieldSpec{in("User", "ID", "string", true, "User ID")}, Outputs: userOut,
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				id, err := in.Required("ID")
				if err != nil {
					return nil, err
				}
				if _, err := in.Do(ctx, &kit.Call{Method: http.MethodDelete, Path: "/scim/v1/Users/" + url.PathEscape(id)}); err != nil {
					return nil, err
				}
				return scimUser(ctx, in, http.MethodGet, nil)
			}},
		{Okta: NSAdmin + ":activateUser", Title: "Activate User", Doc: "activateuser.htm",
			Description: "Reactivates a deactivated Slack user (SCIM PATCH active=true).",
			Inputs:      []engine.FieldSpec{in("User", "ID", "string", true, "User ID")}, Outputs: userOut,
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				return scimUser(ctx, in, http.MethodPatch, map[string]any{"schemas": []any{"urn:scim:schemas:core:1.0"}, "active": true})
			}},
	}
}

func scimUser(ctx context.Context, in *kit.In, method string, body any) (engine.Outputs, error) {
	id, err := in.Required("ID")
	if err != nil {
		return nil, err
	}
	r, err := in.Do(ctx, &kit.Call{Method: method, Path: "/scim/v1/Users/" + url.PathEscape(id), JSON: body})
	if err != nil {
		return nil, err
	}
	return scimOutputs(r.Object()), nil
}

func scimOutputs(u map[string]any) engine.Outputs {
	email := ""
	if l, ok := u["emails"].([]any); ok && len(l) > 0 {
		email = engine.ToText(kit.Dig(l[0], "value"))
	}
	full := strings.TrimSpace(engine.ToText(kit.Dig(u, "name", "givenName")) + " " + engine.ToText(kit.Dig(u, "name", "familyName")))
	return engine.Outputs{"ID": u["id"], "Username": u["userName"], "Full Name": full, "Email": email, "Title": u["title"], "Active": u["active"]}
}

func searchUsers(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	attr, key := "email", "Email"
	if in.Text("searchBy") == "Username" {
		attr, key = "userName", "Username"
	}
	v, err := in.Required(key)
	if err != nil {
		return nil, err
	}
	r, err := in.Do(ctx, &kit.Call{Path: "/scim/v1/Users", Query: url.Values{"filter": {fmt.Sprintf("%s eq %q", attr, v)}}})
	if err != nil {
		return nil, err
	}
	list, _ := kit.Dig(r.Body, "Resources").([]any)
	if len(list) == 0 {
		return nil, &engine.HTTPError{Status: 404, Code: "user_not_found", Summary: "no Slack user with " + strings.ToLower(key) + " " + v}
	}
	u, _ := list[0].(map[string]any)
	return scimOutputs(u), nil
}
