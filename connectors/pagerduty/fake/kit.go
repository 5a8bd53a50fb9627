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
			restError(w, status, 2000+status, http.StatusText(status))
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

// Connection implements kit.Fake: the account's REST API key (the fake
// serves the REST and the Events API on one address).
func (s *Server) Connection(base string) *engine.Connection {
	return &engine.Connection{ID: kit.SandboxID("pagerduty"), Name: "Sandbox PagerDuty account", Kind: "pagerduty",
		Config:  map[string]any{kit.CfgAuthMethod: kit.AuthAPIToken, kit.CfgBaseURL: base},
		Secrets: map[string]string{kit.SecToken: s.cfg.APIKey}}
}
