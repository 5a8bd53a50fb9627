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
			apiErrorCode(w, status, "", http.StatusText(status))
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

// Connection implements kit.Fake: a machine-to-machine application's
// connection to the tenant.
func (s *Server) Connection(base string) *engine.Connection {
	return &engine.Connection{ID: kit.SandboxID("auth0"), Name: "Sandbox Auth0 tenant", Kind: "auth0",
		Config: map[string]any{kit.CfgAuthMethod: kit.AuthClientCredentials, kit.CfgBaseURL: base + "/api/v2", "domain": strings.TrimPrefix(base, "http://"),
			kit.CfgTokenURL: base + "/oauth/token", kit.CfgClientID: s.cfg.ClientID},
		Secrets: map[string]string{kit.SecClientSecret: s.cfg.ClientSecret}}
}
