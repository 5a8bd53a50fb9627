// Package kit is the one way to write an app connector (in the spirit of
// Airbyte's low-code manifests: requester, authenticator, paginator, error
// handler). A connector is one package connectors/<app>/ that declares a
// *kit.Connector and registers it in init(); connectors/all blank-imports
// the package. connectors/slack is the worked example.
//
// # 1. Declare the connector
//
//	var Connector = &kit.Connector{
//		ID:      "slack",                  // connection kind id (and native card id prefix)
//		Title:   "Slack",
//		DocBase: "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/slack/actions/",
//		Fields:  nil,                      // the app's own settings (a domain, a tenant id), every method
//		Auth: []*kit.AuthMethod{           // the vendor's real methods; the first is the default
//			kit.APIToken("Bot token (xoxb-…)", "Bot User OAuth Token", "Authorization", "Bearer "),
//			kit.OAuth2Code("OAuth 2.0", authURL, tokenURL, scopes...),
//			// kit.ClientCredentials(label, "https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token", scopes...)
//			// kit.ServiceAccount(label, scopes...)   (Google: JWT + domain-wide delegation, CfgSubject)
//			// kit.Basic(label)
//		},
//		BaseURL:   "https://slack.com",     // {field} placeholders come from the connection's config
//		Origins:   map[string]string{"scim": "https://api.slack.com"}, // other API hosts (Call.Origin)
//		Errors:    kit.SlackErrors,         // or kit.GraphErrors, kit.GoogleErrors, kit.StatusErrors, your own
//		RateLimit: kit.RetryAfterWindow,    // or kit.XRateLimit (epoch reset), kit.XRateLimitSeconds, your own
//		Bucket:    func(method, path string) string { return path }, // rate-limit buckets
//		Pages:     kit.SlackCursor,         // or kit.PageToken, kit.ODataNextLink, kit.LinkHeader, kit.OffsetLimit(…)
//		Ladder:    &kit.Ladder{Identity: kit.Call{Method: "POST", Path: "/api/auth.test"}, Needed: scopes, …},
//		CustomAPI: "slack:customApiAction", // the Custom API Action card under Okta's kind
//		Fake:      func() (kit.Fake, error) { return fake.New(fake.Config{}), nil },
//	}
//	func init() { Connector.Cards = cards(); kit.Register(Connector) }
//
// Register makes the engine connection kind (the auth method selector
// "authMethod" first; each method's fields carry Group = the method id, so
// the connection form shows only the chosen method's fields), registers
// every card and the Custom API Action, and the fake.
//
// Auth methods store config under CfgClientID, CfgScopes, CfgSubject,
// CfgUsername… and secrets under SecToken ("apiToken"), SecClientSecret,
// SecOAuthToken, SecServiceAccount, SecPassword. OAuth 2.0 authorization code
// runs through Connector.Authorize (PKCE, loopback redirect of the API
// Connector); refreshed tokens are written back to the encrypted store
// through the executor's "connections" service. A connection config
// "baseUrl" (CfgBaseURL) overrides BaseURL and every Origin: the ready
// connections to the fakes use it.
//
// # 2. Declare cards as data, with hooks where the API is odd
//
// Each card is a *kit.Card under Okta's kind with Okta's export field keys
// (read them from the corpus flopacks: group "parameters" holds the card's
// dropdown options), so imported cards map with no renaming:
//
//	{Okta: "slack:readUser2", Title: "Read User", Doc: "readuser.htm",
//		Inputs:  []engine.FieldSpec{kit.Param("fieldType", "Field Type", "Email", "User ID", "Username", "Email"),
//			kit.Input("User", "Email", "string", false, "Email")},
//		Outputs: []engine.FieldSpec{kit.Output("User", "User ID", "string")},
//		Method: "GET", Path: "/api/users.lookupByEmail", Query: map[string]string{"email": "Email"},
//		Out: map[string]string{"User ID": "user.id"}}
//
// Path placeholders {key} are required inputs (path-escaped); Query and
// Body map API parameters to input keys (Form: true sends a form); Out maps
// output keys to dotted paths of the response body. Where that is not
// enough, Request builds the *kit.Call, Output maps the *kit.Result, or Run
// does everything with an *kit.In: in.Text / in.Required / in.Bool read
// inputs (errors name the field: kit.Errorf(key, …)); in.Do(ctx, call) sends
// through the connection's client with the card's attempts recorded in
// history and its retry override applied; in.Client.Pages walks pages.
//
// # 3. The requester
//
// Client.Do sends every call through connectors/httpx (retries, the rate
// governor, attempts in history, credentials only on the connection's own
// origin) and then applies Errors: the vendor's error body becomes an
// *engine.HTTPError with Status, Code (vendor code) and Summary (vendor
// message); Call.Raw keeps every status as a result (Custom API Action).
// Bodies are decoded JSON with every wire form of the secrets scrubbed.
// RateLimit rewrites the vendor's headers as X-Rate-Limit-*, which the
// governor paces by; Retry-After on a 429 is always honoured.
//
// # 4. Test ladder
//
// Connector.Test (the connection kind's Test) walks settings → token (OAuth
// methods) → Ladder.Identity → Ladder.Granted scopes vs Ladder.Needed, each
// failing rung with its fix; Ladder.Fixes maps vendor codes to fixes
// ("token_revoked" → "token revoked: reconnect …").
//
// # 5. Fakes
//
// connectors/<app>/fake is an http.Handler implementing kit.Fake
// (Connection(base) returns the ready connection, id SandboxID(app) =
// "sandbox-<app>"; SetFaults takes connectors/fakeapi fault rules). The app
// runs every registered fake in-process beside the Okta sandbox (window and
// serve) and alone with `flowbench sandbox --app NAME`.
//
// # 6. Tests
//
// kit/kittest starts a fake and runs cards against it; kit.SpecValidator
// (OpenAPI 3, or Swagger 2.0 converted) checks every exchange through
// kit.Recorder, and a request matching no operation fails the test.
// SpecValidator.CheckSchema checks a fake's seed records against the
// description's schemas. Commit only the operations used, trimmed, with a
// README naming the source, the licence and every correction.
package kit
