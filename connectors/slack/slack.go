// Package slack is the Slack connector, built on connectors/kit: the
// "slack" connection kind (bot token, or OAuth 2.0 with PKCE), the cards of
// Okta's Slack connector under their Okta kinds (slack:sendMessageToChannel2,
// slack:readUser2, …) and of the Slack connector-builder app in the corpus
// (slack_4151667dbd1c434fb0b7dae901b00cc7:…), a Custom API Action, the
// "New Channel Created" event (Events API webhook, signed), and the local
// fake workspace (connectors/slack/fake).
package slack

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/slack/fake"
	"github.com/flowbench/flowbench/engine"
)

// Okta's namespaces of Slack cards.
const (
	NS       = "slack"
	NSPublic = "slack_4151667dbd1c434fb0b7dae901b00cc7" // the Slack app template project's connector
)

// Scopes the cards use (a bot token needs them; the ladder checks).
var Scopes = []string{"chat:write", "chat:write.customize", "channels:read", "groups:read", "channels:manage", "groups:write",
	"im:write", "users:read", "users:read.email"}

// Connector is Slack's declaration.
var Connector = &kit.Connector{
	ID:      "slack",
	Title:   "Slack",
	DocBase: "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/slack/actions/",
	Secrets: []engine.FieldSpec{{Key: SecSigningSecret, Label: "Signing secret", Type: engine.T("string"),
		Description: "for the New Channel Created event: the app's signing secret (Basic Information → App Credentials)"}},
	Auth: []*kit.AuthMethod{
		kit.APIToken("Bot token (xoxb-…)", "Bot User OAuth Token", "Authorization", "Bearer "),
		kit.OAuth2Code("OAuth 2.0 (install the Slack app)", "https://slack.com/oauth/v2/authorize", "https://slack.com/api/oauth.v2.access", Scopes...),
	},
	BaseURL:   "https://slack.com",
	Origins:   map[string]string{"scim": "https://api.slack.com"},
	Errors:    kit.SlackErrors,
	RateLimit: kit.RetryAfterWindow,
	// Slack limits each Web API method separately (tiers).
	Bucket: func(_, path string) string { return path },
	Pages:  kit.SlackCursor,
	Ladder: &kit.Ladder{
		Identity: kit.Call{Method: http.MethodPost, Path: "/api/auth.test"},
		Describe: func(r *kit.Result) (string, map[string]any) {
			m := r.Object()
			team, _ := m["team"].(string)
			user, _ := m["user"].(string)
			return "authenticated as " + user + " in workspace " + team, map[string]any{"team": team, "team_id": m["team_id"], "user": user, "url": m["url"]}
		},
		Granted: func(r *kit.Result) []string {
			var out []string
			for _, s := range strings.Split(r.Header.Get("X-OAuth-Scopes"), ",") {
				if s = strings.TrimSpace(s); s != "" {
					out = append(out, s)
				}
			}
			return out
		},
		Needed: []string{"chat:write", "channels:read", "users:read", "users:read.email"},
		Fixes: map[string]string{
			"token_revoked":    "token revoked: reconnect the Slack connection (reinstall the app to the workspace and paste its new bot token, or authorize again).",
			"invalid_auth":     "Slack does not know this token: copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page.",
			"not_authed":       "No token was sent: paste the bot token.",
			"account_inactive": "The app or user behind the token was deactivated: reinstall the app and use its new token.",
			"missing_scope":    "Add the missing scope under OAuth & Permissions, reinstall the app, and paste the new token.",
		},
	},
	CustomAPI: NS + ":customApiAction",
	Fake:      func() (kit.Fake, error) { return fake.New(fake.Config{}), nil },
}

func init() {
	Connector.Cards = append(append(cards(), channelCards()...), builderCards()...)
	Connector.Events, Connector.Webhook = events(), webhook
	kit.Register(Connector)
	Admin.Cards = adminCards()
	kit.Register(Admin)
}

var channelID = regexp.MustCompile(`^[CGD][A-Z0-9]{6,}$`)

// resolveChannel turns a channel id or name (#name) into an id; types
// narrows a name lookup ("public_channel", "private_channel").
func resolveChannel(ctx ctxT, in *kit.In, key, v, types string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" || strings.HasPrefix(v, "--") {
		return "", kit.Errorf(key, "is required: a channel ID (C…) or name")
	}
	if channelID.MatchString(v) {
		return v, nil
	}
	name := strings.ToLower(strings.TrimPrefix(v, "#"))
	if types == "" {
		types = "public_channel,private_channel"
	}
	found := ""
	err := in.Client.Pages(ctx, &kit.Call{Path: "/api/conversations.list", Query: map[string][]string{"types": {types}, "limit": {"200"},
		"exclude_archived": {"true"}}, OnAttempt: in.Run.Attempt}, nil, 50, []string{"channels"}, func(items []any) bool {
		for _, it := range items {
			m, _ := it.(map[string]any)
			if n, _ := m["name"].(string); n == name {
				found, _ = m["id"].(string)
				return false
			}
		}
		return true
	})
	if err != nil {
		return "", err
	}
	if found == "" {
		return "", &engine.HTTPError{Status: 200, Code: "channel_not_found", Summary: "channel_not_found: no channel named #" + name + " the app can see"}
	}
	return found, nil
}
