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
			if status == http.StatusTooManyRequests {
				w.Header().Set("X-RateLimit-State", "THROTTLED")
			}
			writeJSON(w, status, map[string]any{"message": http.StatusText(status), "took": 0.001, "requestId": "fault"})
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

// Connection implements kit.Fake: the account's API key.
func (s *Server) Connection(base string) *engine.Connection {
	return &engine.Connection{ID: kit.SandboxID("opsgenie"), Name: "Sandbox Opsgenie account", Kind: "opsgenie",
		Config:  map[string]any{kit.CfgAuthMethod: kit.AuthAPIToken, kit.CfgBaseURL: base},
		Secrets: map[string]string{kit.SecToken: s.cfg.APIKey}}
}
