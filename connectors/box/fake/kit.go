package fake

import (
	"net/http"

	"github.com/flowbench/flowbench/connectors/fakeapi"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

func (s *Server) setup() {
	s.once.Do(func() {
		s.faults = fakeapi.NewFaults(func(w http.ResponseWriter, _ *http.Request, status int) {
			boxError(w, status, codeFor(status), http.StatusText(status))
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

// Connection implements kit.Fake: the client credentials grant of the
// enterprise's Platform app (a developer-token connection is authMethod
// token with DeveloperToken).
func (s *Server) Connection(base string) *engine.Connection {
	return &engine.Connection{ID: kit.SandboxID("box"), Name: "Sandbox Box enterprise", Kind: "box",
		Config: map[string]any{kit.CfgAuthMethod: kit.AuthClientCredentials, kit.CfgBaseURL: base + "/2.0",
			kit.CfgTokenURL: base + "/oauth2/token", kit.CfgClientID: s.cfg.ClientID, "enterpriseId": s.cfg.EnterpriseID},
		Secrets: map[string]string{kit.SecClientSecret: s.cfg.ClientSecret}}
}
