package all

import (
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// TestFunctionReferenceCoverage: every card of Okta's function reference
// listed in testdata/okta-function-reference.tsv (kept in the repository,
// so the test never skips) is registered under its Okta kind, with a
// description, and with the reference's title.
func TestFunctionReferenceCoverage(t *testing.T) {
	reg := engine.Default()
	n := 0
	for _, cells := range tsvRows(t, "testdata/okta-function-reference.tsv", "kind", "title", "page") {
		n++
		kind, title := cells[0], cells[1]
		spec, ok := reg.ByOkta(kind)
		if !ok {
			t.Errorf("%s (%s) of Okta's function reference is not registered", kind, title)
			continue
		}
		if spec.Description == "" {
			t.Errorf("%s (%s) has no description", kind, spec.ID)
		}
		if !strings.EqualFold(spec.Title, title) {
			t.Errorf("%s is titled %q, Okta calls it %q", kind, spec.Title, title)
		}
	}
	if n < 120 {
		t.Fatalf("only %d reference cards read", n)
	}
}
