// Package microsoft365 is the Microsoft 365 connector on the connector kit:
// Office 365 Admin (users, guest users, enable/disable, licenses, groups,
// sign-in sessions), Office 365 Mail (send email) and Microsoft Teams (team
// membership, channel messages), all through Microsoft Graph v1.0, plus a
// Custom API Action per app and the User Created / Group Changed triggers
// (Graph change notifications to the webhook route, or delta-query polling).
//
// Okta splits Microsoft 365 into connectors with their own connections
// (namespaces office365admin, office365mail; Teams), so this package
// registers one kit.Connector per namespace. They share everything else:
//   - auth: OAuth 2.0 client credentials (app-only: tenant id, client id,
//     secret; token from login.microsoftonline.com/{tenant}/oauth2/v2.0/token,
//     scope https://graph.microsoft.com/.default) or authorization code +
//     PKCE (delegated, over the loopback redirect);
//   - base URL https://graph.microsoft.com/v1.0 (a connection's baseUrl
//     points it at the fake);
//   - errors: Graph's {"error":{"code","message"}} → engine.HTTPError;
//   - rate limits: 429 with Retry-After holds the whole bucket (governor);
//   - paging by @odata.nextLink;
//   - the test ladder: settings → token → GET /organization → the token's
//     roles/scopes, with the fix named (a revoked token is explained).
//
// The fake tenant is in ./fake; the Graph operations the cards use, taken
// from Microsoft's OpenAPI description, are in testdata/.
package microsoft365

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/microsoft365/fake"
	"github.com/flowbench/flowbench/engine"
	"golang.org/x/oauth2"
)

// Connection kinds (Okta's namespaces).
const (
	KindAdmin = "office365admin"
	KindMail  = "office365mail"
	KindTeams = "microsoftteams"
)

// Connection settings beyond the kit's.
const (
	CfgTenantID = "tenantId"
	CfgMailbox  = "mailbox" // Office 365 Mail with app-only auth: the mailbox that sends
)

// GraphBase is Microsoft Graph v1.0.
const GraphBase = "https://graph.microsoft.com/v1.0"

const loginBase = "https://login.microsoftonline.com/{tenantId}/oauth2/v2.0"

// GraphDefaultScope is the client credentials scope (the app's granted
// application permissions).
const GraphDefaultScope = "https://graph.microsoft.com/.default"

const docBase = "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/"

func tenantField() engine.FieldSpec {
	return engine.FieldSpec{Key: CfgTenantID, Label: "Tenant ID", Type: engine.T("string"), Required: true,
		Description: "Directory (tenant) ID or primary domain, from the app registration's Overview in Microsoft Entra"}
}

func authMethods(delegated ...string) []*kit.AuthMethod {
	cc := kit.ClientCredentials("OAuth 2.0 client credentials (application permissions)", loginBase+"/token", GraphDefaultScope)
	cc.AuthStyle = oauth2.AuthStyleInParams // Microsoft's documented form: client_id and client_secret in the body
	code := kit.OAuth2Code("OAuth 2.0 authorization code with PKCE (delegated, signed-in admin)", loginBase+"/authorize",
		loginBase+"/token", append([]string{"offline_access"}, delegated...)...)
	code.AuthStyle = oauth2.AuthStyleInParams
	return []*kit.AuthMethod{cc, code}
}

// ladder is the connection test: GET /organization proves the credentials
// and names the tenant; the token's roles (app-only) or scp (delegated)
// are compared with the permissions the kind's cards need.
func ladder() *kit.Ladder {
	return &kit.Ladder{
		Identity: kit.Call{Method: http.MethodGet, Path: "/organization", Query: map[string][]string{"$select": {"id,displayName,verifiedDomains"}}},
		Describe: func(r *kit.Result) (string, map[string]any) {
			list, _ := kit.Dig(r.Body, "value").([]any)
			if len(list) == 0 {
				return "", nil
			}
			org, _ := list[0].(map[string]any)
			name, _ := org["displayName"].(string)
			id, _ := org["id"].(string)
			info := map[string]any{"tenant": name, "tenantId": id}
			if doms, ok := org["verifiedDomains"].([]any); ok {
				for _, d := range doms {
					if dm, ok := d.(map[string]any); ok && dm["isDefault"] == true {
						info["domain"] = dm["name"]
					}
				}
			}
			return "tenant " + name + " (" + id + ")", info
		},
		Fixes: map[string]string{
			"InvalidAuthenticationToken":  "The access token was refused (revoked, expired or for another tenant): token revoked or expired — reconnect the connection (for client credentials check the tenant ID and create a new client secret; for authorization code press Authorize again).",
			"Authorization_RequestDenied": "The app registration lacks an application permission GET /organization needs (Organization.Read.All): add it under API permissions and grant admin consent.",
		},
	}
}

// tokenPermissions reads the roles (application permissions) or scp
// (delegated scopes) claim of a Graph access token (a JWT).
func tokenPermissions(tok string) []string {
	parts := strings.Split(tok, ".")
	if len(parts) < 2 {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil
	}
	var claims struct {
		Roles []string `json:"roles"`
		Scp   string   `json:"scp"`
	}
	if json.Unmarshal(raw, &claims) != nil {
		return nil
	}
	return append(claims.Roles, strings.Fields(claims.Scp)...)
}

func newFake() (kit.Fake, error) { return fake.New(fake.Config{}), nil }

// isAdmin marks Office 365 Admin: it registers the shared fake tenant (one
// fake serves every kind, kit.MultiFake, so a user the admin cards create is
// the one Mail and Teams see) and the User Created / Group Changed triggers.
const isAdmin = true

func connector(id, title, custom string, delegated []string, cards []*kit.Card, admin bool, more ...engine.FieldSpec) *kit.Connector {
	var ff kit.FakeFactory
	auth := authMethods(delegated...)
	var evs []*kit.EventCard
	var wh *kit.Webhook
	var pl *kit.Poll
	if admin {
		ff = newFake
		evs, wh, pl = events(), webhook, poll
		for _, m := range auth {
			m.Secrets = append(m.Secrets, clientStateSecret())
		}
	}
	return &kit.Connector{
		Fake:    ff,
		Events:  evs,
		Webhook: wh,
		Poll:    pl,
		ID:      id, Title: title, Category: title, DocBase: docBase,
		Fields:    append([]engine.FieldSpec{tenantField()}, more...),
		Auth:      auth,
		BaseURL:   GraphBase,
		Errors:    kit.GraphErrors,
		RateLimit: kit.RetryAfterWindow, // Graph throttles with 429 + Retry-After: the governor holds the bucket until then
		Pages:     kit.ODataNextLink,
		Ladder:    ladder(),
		Cards:     cards,
		CustomAPI: custom,
	}
}

// register declares a connector and puts the permissions rung on its test.
func register(c *kit.Connector, needed, delegatedNeeded []string) {
	kit.Register(c)
	c.Kind().Test = func(ctx context.Context, conn *engine.Connection) *engine.TestReport {
		return testConnection(ctx, c, conn, kit.ClientOptions{}, needed, delegatedNeeded)
	}
}

// testConnection is the kit's ladder (settings → token → GET
// /organization) and then the permissions rung: the access token's roles
// (client credentials: application permissions) or scp (authorization
// code: delegated scopes) must hold what the kind's cards use.
func testConnection(ctx context.Context, c *kit.Connector, conn *engine.Connection, o kit.ClientOptions, needed, delegatedNeeded []string) *engine.TestReport {
	rep := c.TestWith(ctx, conn, o)
	if !rep.OK {
		return rep
	}
	cl, err := c.NewClient(conn, o)
	if err != nil {
		return rep
	}
	tok, err := cl.AccessToken()
	if err != nil || tok == "" {
		return rep
	}
	want, kind := needed, "application permissions"
	if m, _ := c.Method(conn); m != nil && m.ID == kit.AuthOAuth2Code {
		want, kind = delegatedNeeded, "delegated permissions"
	}
	got := tokenPermissions(tok)
	rep.Info["permissions"] = strings.Join(got, " ")
	var miss []string
	for _, p := range want {
		if !slices.Contains(got, p) && !(strings.HasSuffix(p, ".Read.All") && slices.Contains(got, strings.Replace(p, ".Read.", ".ReadWrite.", 1))) {
			miss = append(miss, p)
		}
	}
	if len(miss) > 0 {
		rep.OK = false
		rep.Steps = append(rep.Steps, engine.TestStep{Name: kit.StepScopes, Message: "the token lacks " + kind + ": " + strings.Join(miss, ", "),
			Hint: "In Microsoft Entra admin center → App registrations → your app → API permissions, add these Microsoft Graph " + kind + " and grant admin consent, then test again."})
		return rep
	}
	rep.Steps = append(rep.Steps, engine.TestStep{Name: kit.StepScopes, OK: true, Message: fmt.Sprintf("all %d %s the cards use are granted", len(want), kind)})
	return rep
}

// Microsoft Graph permissions each kind's cards use: application
// permissions (client credentials) and delegated scopes (authorization code).
var (
	adminApp       = []string{"User.ReadWrite.All", "Group.ReadWrite.All", "Organization.Read.All", "User.Invite.All"}
	adminDelegated = []string{"User.ReadWrite.All", "Group.ReadWrite.All", "Organization.Read.All", "User.Invite.All"}
	mailApp        = []string{"Mail.Send", "Organization.Read.All"}
	mailDelegated  = []string{"Mail.Send", "Mail.ReadWrite", "User.Read"}
	teamsApp       = []string{"TeamMember.ReadWrite.All", "ChannelMember.ReadWrite.All", "ChannelMessage.Read.All", "Channel.ReadBasic.All", "Organization.Read.All"}
	teamsDelegated = []string{"TeamMember.ReadWrite.All", "ChannelMember.ReadWrite.All", "ChannelMessage.Send", "ChannelMessage.Read.All", "Channel.ReadBasic.All", "ChatMessage.Send"}
)

func init() {
	register(connector(KindAdmin, "Office 365 Admin", "office365admin:customAPIAction", adminDelegated,
		adminCards(), isAdmin), adminApp, adminDelegated)
	register(connector(KindMail, "Office 365 Mail", "office365mail:customAPIAction", mailDelegated,
		mailCards(), false,
		engine.FieldSpec{Key: CfgMailbox, Label: "Send as (mailbox)", Type: engine.T("string"),
			Description: "with client credentials: the user principal name of the mailbox the cards send from; authorization code sends as the signed-in user"}),
		mailApp, mailDelegated)
	register(connector(KindTeams, "Microsoft Teams", "microsoftteams:customAPIAction", teamsDelegated,
		teamsCards(), false), teamsApp, teamsDelegated)
}
