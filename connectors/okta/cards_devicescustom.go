package okta

import (
	"github.com/flowbench/flowbench/engine"
)

// Okta Devices' Custom API Action (oktadevices/actions/customapiaction.htm,
// issue 10 point 8): the Okta Devices connector lists a Custom API Action
// among its action cards (its scopes page: "Any scopes required by the API
// endpoint"). It calls any endpoint of the connection's org, as the Okta
// connector's does, so the two share customAction (Request Type, Relative URL
// percent-encoded like Okta, Query, Headers, Body; GET(Streaming) streams a
// list to a helper flow). No corpus template uses it; its kind follows the
// Okta connector's Custom API Action (okta:hTTPRequest): Okta's own connectors
// name the card's method hTTPRequest (jira2, servicenow do too), and Okta
// Devices' methods carry no generated suffix (oktadevices:userMFAFactorResetAll).

func init() {
	s := card("oktadevices.customApiAction", "oktadevices:hTTPRequest", "Custom API Action", "",
		"Calls any Okta API endpoint of the connection's org with its credentials (devices, a user's factors, …). "+
			"GET(Streaming) pages through a list and streams each item to a helper flow.",
		[]engine.FieldSpec{param("requestType", "Request Type", "GET", choices("GET", "GET(Streaming)", "POST", "PUT", "PATCH", "DELETE")),
			in("Request", "Relative URL", "string", true, "Relative URL"), in("Request", "Query", "object", false, "Query"),
			in("Request", "Headers", "object", false, "Headers"), in("Request", "Body", "any", false, "Body"),
			in("Streaming", "State", "any", false, "State"), in("Streaming", "Limit", "number", false, "Record Limit")},
		[]engine.FieldSpec{out("Response", "Status Code", "number"), out("Response", "Headers", "object"), out("Response", "Body", "any"),
			out("Response", "Records Streamed", "number")}, customAction)
	s.DocURL, s.Category = devicesDoc+"customapiaction.htm", "Okta Devices"
	// the Streaming inputs show only with GET(Streaming), as on the Okta connector's card
	for i := range s.Inputs {
		if s.Inputs[i].Group == "Streaming" {
			s.Inputs[i].ShownWhen = &engine.ShownWhen{Key: "requestType", Values: []any{"GET(Streaming)"}}
		}
	}
	s.ExtensibleInputs, s.ExtensibleGroups = true, []string{"Streaming"}
	engine.Register(s)
}
