// Package api holds the cards of flows that start from an HTTP request:
// API Endpoint (Okta http:accept), Delegated Flow (http:delegated), and
// Close (httpfunctions:close), which answers the caller early while the
// flow goes on. The trigger runtime (engine/trigger) serves them at
// /api/flows/{flowID}/invoke.
package api

import (
	"context"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

const help = "https://help.okta.com/wf/en-us/content/topics/workflows/"

func init() {
	for _, s := range Specs() {
		engine.Register(s)
	}
}

var endpointInputs = []engine.FieldSpec{
	{Key: "security_level", Label: "Security", Type: engine.T("string"), Default: trigger.SecurityToken,
		Choices: []engine.Choice{
			{Value: trigger.SecurityToken, Label: "Client token"},
			{Value: trigger.SecurityOpen, Label: "None (public)"},
			{Value: trigger.SecurityHMAC, Label: "HMAC signature"},
			{Value: trigger.SecurityOAuth, Label: "OAuth 2.0 (Okta org)"}},
		Description: "Client token: callers send the flow's client token (header " + trigger.HeaderClientToken + " or ?clientToken=). None: anyone who reaches the URL may call. HMAC signature: callers sign the body with the flow's signing secret (header " + trigger.HeaderSignature + ": sha256=<hex HMAC-SHA256>). OAuth 2.0: callers send Authorization: Bearer <access token> issued by the Okta org of the card's connection; the token's signature (the org's JWKS), issuer, audience, expiry and scope are checked."},
	{Key: "authServer", Label: "Authorization server", Type: engine.T("string"), Default: "org",
		Description: "OAuth 2.0: \"org\" (the org authorization server, keys at /oauth2/v1/keys) or a custom authorization server id such as \"default\" (/oauth2/default/v1/keys)"},
	{Key: "scope", Label: "Required scope", Type: engine.T("string"), Default: trigger.DefaultInvokeScope,
		Description: "OAuth 2.0: the scope the access token must carry"},
	{Key: "audience", Label: "Audience", Type: engine.T("string"),
		Description: "OAuth 2.0: the token's aud claim; the org URL (org server) or api://default (custom server) when empty"},
	{Key: "rateLimit", Label: "Rate limit (requests/s)", Type: engine.T("number"), Description: "per flow; 10 when empty (Okta's limit); more answer 429"},
	{Key: "timeout", Label: "Time limit", Type: engine.T("string"), Description: "how long the caller waits for Return/Close (\"30s\"; 60 s when empty); then 504 and the flow goes on"},
	{Key: "maxConcurrent", Label: "Parallel runs", Type: engine.T("number"), Description: "queued runs of this flow at once"},
}

// Specs are the cards of this package.
func Specs() []*engine.Spec {
	return []*engine.Spec{
		{ID: trigger.TypeAPIEndpoint, Okta: []string{"http:accept"}, Title: "API Endpoint", Category: "Triggers", Kind: engine.KindTrigger,
			ExtensibleOutputs: true, Inputs: endpointInputs, DocURL: help + "build-flows/api-endpoint-flows.htm",
			Outputs: []engine.FieldSpec{
				{Key: "headers", Group: "raw", Label: "headers", Type: engine.T("object"), Description: "request headers by lower-case name (tokens removed)"},
				{Key: "body", Group: "raw", Label: "body", Type: engine.T("any"), Description: "the raw request body (text)"},
				{Key: "query", Group: "raw", Label: "query", Type: engine.T("string"), Description: "the query string"},
			},
			Description: "Starts the flow from an HTTP request to /api/flows/{flowID}/invoke (GET or POST). Add typed outputs in the groups body (JSON or form fields), query and headers to read request fields by name; raw body, headers and query stay available. Return answers 200 with its values as JSON; Return Raw sets status, headers and body; Close answers early and the flow goes on."},
		{ID: trigger.TypeDelegated, Okta: []string{"http:delegated"}, Title: "Delegated Flow", Category: "Triggers", Kind: engine.KindTrigger,
			ExtensibleOutputs: true, Inputs: endpointInputs, DocURL: help + "build-flows/delegated-flows.htm",
			Outputs: []engine.FieldSpec{
				{Key: "okta-user-id", Group: "user context", Label: "okta-user-id", Type: engine.T("string"), Description: "the Okta user who ran the flow (header x-okta-user-id)"},
			},
			Description: "A flow an admin runs on demand, like an API Endpoint: the JSON body's keys become the outputs declared in the group inputs."},
		{ID: "api.close", Okta: []string{"httpfunctions:close"}, Title: "Close", Category: "API Endpoint", Kind: engine.KindAction,
			App: "api", DocURL: help + "connector-reference/httpfunctions/actions/close.htm",
			Inputs: []engine.FieldSpec{
				{Key: "statusCode", Group: "Response", Label: "Status Code", Type: engine.T("number"), Default: float64(200)},
				{Key: "headers", Group: "Response", Label: "Headers", Type: engine.T("object")},
				{Key: "body", Group: "Response", Label: "Body", Type: engine.T("any")},
			},
			Outputs:     []engine.FieldSpec{{Key: "sent", Label: "Sent", Type: engine.T("boolean"), Description: "false when there was no caller waiting (manual run, already answered)"}},
			Description: "Answers the waiting API caller now with this status, headers and body; the flow goes on. Later Close/Return cards no longer change the answer.",
			Run:         closeRun},
	}
}

func closeRun(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	status := 200
	if n, ok := in.Values["statusCode"].(float64); ok && n > 0 {
		status = int(n)
	}
	hdr, _ := in.Values["headers"].(map[string]any)
	sent := false
	if rs, ok := in.Run.Service(trigger.ServiceResponse).(trigger.Responder); ok {
		sent = rs.Respond(in.Run.ExecutionID(), status, hdr, in.Values["body"])
	}
	return engine.Outputs{"sent": sent}, nil
}
