package all

import (
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// Every input that takes its choices from a connection names a registered
// choice source that reads the card's own connection kind; and Okta's
// Application dropdowns (the corpus's getAllActiveApplications /
// getCustomIdentitySourceApps options) all use the org's applications.
func TestChoiceSourcesResolve(t *testing.T) {
	apps := 0
	for _, s := range engine.Default().Cards() {
		for _, f := range s.Inputs {
			if f.ChoicesFrom == "" {
				continue
			}
			src, ok := engine.ChoiceSourceNamed(f.ChoicesFrom)
			if !ok {
				t.Errorf("%s input %q: choice source %q is not registered", s.ID, f.Key, f.ChoicesFrom)
				continue
			}
			if src.Connection != s.Connection {
				t.Errorf("%s input %q: source %q reads %s connections, the card runs on %q", s.ID, f.Key, f.ChoicesFrom, src.Connection, s.Connection)
			}
			if f.ChoicesFrom == "okta.apps" {
				apps++
			}
		}
		if s.App == "okta" {
			if f := s.InputSpec("application"); f != nil && f.ChoicesFrom != "okta.apps" {
				t.Errorf("%s: its Application option is not a dropdown of the org's applications", s.ID)
			}
		}
	}
	if apps < 14 {
		t.Errorf("only %d Okta cards offer the org's applications", apps)
	}
}
