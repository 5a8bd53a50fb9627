// Package onepassword registers the local 1Password Connect fake
// (connectors/onepassword/fake) with the kit's fake registry. There are no
// 1Password cards: flows reach 1Password Connect through the API Connector
// (an "http" connection with the Connect token as a Bearer header and the
// base URL https://connect.example/v1/, so card URLs are "vaults/…"), as
// examples/onboarding-1password.flow.json does; the sandbox connection
// "sandbox-onepassword" is such a connection to the fake.
package onepassword

import (
	httpconn "github.com/flowbench/flowbench/connectors/http"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/onepassword/fake"
	"github.com/flowbench/flowbench/engine"
)

// App is the fake's name in the registry (flowbench sandbox --app onepassword).
const App = "onepassword"

// Fake adapts the fake to kit.Fake: its ready connection is an API
// Connector connection to the Connect API (base URL …/v1, Bearer token).
type Fake struct{ *fake.Server }

// Connection is the API Connector connection to the fake at base.
func (f *Fake) Connection(base string) *engine.Connection {
	return &engine.Connection{ID: kit.SandboxID(App), Kind: httpconn.Kind.ID, Name: "Sandbox 1Password Connect",
		Config: map[string]any{httpconn.CfgAuthType: httpconn.AuthHeader, httpconn.CfgBaseURL: base + "/v1/",
			httpconn.CfgHeaderName: "Authorization", httpconn.CfgHeaderPrefix: "Bearer "},
		Secrets: map[string]string{httpconn.SecHeaderValue: fake.DefaultToken}}
}

// SetFaults replaces the fault rules.
func (f *Fake) SetFaults(fs []kit.Fault) { f.Server.SetFaults(fs) }

func init() {
	kit.RegisterFake(App, func() (kit.Fake, error) { return &Fake{Server: fake.New(fake.Config{})}, nil })
}
