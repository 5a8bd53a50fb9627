package all

import (
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// TestOktaConnectorEventsCoverage: every event card of Okta's Okta and Okta
// Devices connector references, listed in testdata/okta-connector-events.tsv
// (kind, title, System Log event type, help page), is registered as a
// trigger under its kind with Okta's title, and its flows subscribe to that
// System Log event type (event hooks and polling).
func TestOktaConnectorEventsCoverage(t *testing.T) {
	reg := engine.Default()
	n, devices := 0, 0
	seen := map[string]bool{}
	for _, cells := range tsvRows(t, "testdata/okta-connector-events.tsv", "kind", "title", "event type", "page") {
		kind, title, eventType, page := cells[0], cells[1], cells[2], cells[3]
		if seen[kind] {
			t.Errorf("%s listed twice", kind)
		}
		seen[kind] = true
		n++
		if strings.HasPrefix(kind, "oktadevices:") {
			devices++
		}
		if !strings.HasPrefix(page, "https://help.okta.com/") {
			t.Errorf("%s: page %q is not Okta's help", kind, page)
		}
		spec, ok := reg.ByOkta(kind)
		if !ok {
			t.Errorf("%s (%s) of Okta's connector reference is not registered", kind, title)
			continue
		}
		if spec.Kind != engine.KindTrigger {
			t.Errorf("%s (%s) is a %s, not an event card", kind, spec.ID, spec.Kind)
		}
		if spec.Title != title {
			t.Errorf("%s is titled %q, Okta calls it %q", kind, spec.Title, title)
		}
		if spec.Connection != "okta" {
			t.Errorf("%s takes connection %q, want okta", kind, spec.Connection)
		}
		p := trigger.ProviderFor(spec.ID)
		if p == nil {
			t.Errorf("%s (%s) has no event provider", kind, spec.ID)
			continue
		}
		if got := p.EventType(spec.ID); got != eventType {
			t.Errorf("%s subscribes to %q, Okta's card uses %q", kind, got, eventType)
		}
		if p.Poll == nil || p.Verify == nil || p.Parse == nil {
			t.Errorf("%s: its provider lacks polling or event hook verification", kind)
		}
		if !strings.Contains(spec.Description, eventType) {
			t.Errorf("%s: description does not name %s", kind, eventType)
		}
	}
	if n < 80 || devices < 19 {
		t.Fatalf("only %d event cards read (%d Okta Devices)", n, devices)
	}
}
