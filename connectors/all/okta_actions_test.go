package all

import (
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// TestOktaConnectorActionCoverage: every action card of Okta's Okta, Okta
// Devices and Okta Realms connectors listed in testdata/okta-connector-actions.tsv (issue 10
// point 8) is registered under its Okta kind as an action on the Okta
// connection, with Okta's title and a description; and every registered
// okta:/oktadevices:/oktarealms: action is listed there (a card added later joins the list).
func TestOktaConnectorActionCoverage(t *testing.T) {
	reg := engine.Default()
	listed := map[string]bool{}
	for _, cells := range tsvRows(t, "testdata/okta-connector-actions.tsv", "kind", "title", "page") {
		kind, title, page := cells[0], cells[1], cells[2]
		connector, _, _ := strings.Cut(kind, ":")
		if listed[kind] {
			t.Errorf("%s is listed twice", kind)
		}
		listed[kind] = true
		if !strings.HasPrefix(page, connector+"/actions/") || !strings.HasSuffix(page, ".htm") {
			t.Errorf("%s: page %q is not one of the %s connector's action pages", kind, page, connector)
		}
		spec, ok := reg.ByOkta(kind)
		if !ok {
			t.Errorf("%s (%s) of Okta's %s connector is not registered", kind, title, connector)
			continue
		}
		if spec.Kind != engine.KindAction {
			t.Errorf("%s (%s) is a %s card, not an action", kind, spec.ID, spec.Kind)
		}
		if spec.Connection != "okta" {
			t.Errorf("%s (%s) runs on connection kind %q, not an Okta connection", kind, spec.ID, spec.Connection)
		}
		if spec.Description == "" {
			t.Errorf("%s (%s) has no description", kind, spec.ID)
		}
		if !strings.EqualFold(spec.Title, title) {
			t.Errorf("%s is titled %q, Okta calls it %q", kind, spec.Title, title)
		}
		// the card's help link (Designer "Okta help") is the page listed
		if spec.DocURL != "" && !strings.HasSuffix(spec.DocURL, "/"+page) {
			t.Errorf("%s links to %s, Okta's page is %s", kind, spec.DocURL, page)
		}
	}
	if len(listed) < 55 {
		t.Fatalf("only %d action cards read", len(listed))
	}
	for _, s := range reg.Cards() {
		if s.Kind != engine.KindAction {
			continue
		}
		// a card registered under several kinds (Okta Realms: the corpus's
		// suffixed kind and the clean one) is listed under one of them
		anyListed := false
		for _, k := range s.Okta {
			anyListed = anyListed || listed[k]
		}
		for _, k := range s.Okta {
			if (strings.HasPrefix(k, "okta:") || strings.HasPrefix(k, "oktadevices:") || strings.HasPrefix(k, "oktarealms:")) && !anyListed {
				t.Errorf("%s (%s) is registered but not in testdata/okta-connector-actions.tsv", k, s.Title)
			}
		}
	}
}
