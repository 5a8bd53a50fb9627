package fake

import (
	"net/http"
	"strings"

	"github.com/flowbench/flowbench/connectors/fakeapi"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

func (s *Server) setup() {
	s.once.Do(func() {
		s.faults = fakeapi.NewFaults(func(w http.ResponseWriter, _ *http.Request, status int) {
			classicError(w, status, http.StatusText(status))
		})
		s.handler = s.faults.Wrap(http.HandlerFunc(s.serve))
	})
}

// ServeHTTP implements kit.Fake (fault injection first).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.setup()
	s.handler.ServeHTTP(w, r)
}

// SetFaults implements kit.Fake.
func (s *Server) SetFaults(f []kit.Fault) {
	s.setup()
	s.faults.Set(f)
}

// Injected is how many faults were injected.
func (s *Server) Injected() int64 {
	s.setup()
	return s.faults.Injected()
}

// Connection implements kit.Fake: the API account's username and password
// (exchanged for a bearer token); an API client connection is the same
// with authMethod oauth2ClientCredentials, tokenUrl BASE/api/oauth/token,
// clientId DefaultClientID and the client secret.
func (s *Server) Connection(base string) *engine.Connection {
	return &engine.Connection{ID: kit.SandboxID("jamf"), Name: "Sandbox Jamf Pro", Kind: "jamf",
		Config: map[string]any{kit.CfgAuthMethod: "basicToken", kit.CfgBaseURL: base, "domain": strings.TrimPrefix(base, "http://"),
			kit.CfgUsername: s.cfg.Username, kit.CfgTokenURL: base + "/api/oauth/token", kit.CfgClientID: s.cfg.ClientID},
		Secrets: map[string]string{kit.SecPassword: s.cfg.Password, kit.SecClientSecret: s.cfg.ClientSecret}}
}
