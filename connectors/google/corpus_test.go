package google_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// TestCorpusFieldKeys: every Google card of Okta's template corpus is
// declared under its Okta kind with every export field key the corpus
// uses (testdata/corpus-fields.json, extracted from the corpus flopacks:
// "Group/Key" where the key occurs in several groups), so imported cards
// map with no renaming.
func TestCorpusFieldKeys(t *testing.T) {
	b, err := os.ReadFile("testdata/corpus-fields.json")
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]struct{ Inputs, Outputs []string }
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != 29 {
		t.Errorf("corpus has %d Google card kinds, want 29", len(want))
	}
	for kind, w := range want {
		spec, ok := engine.Default().Card(kind)
		if !ok {
			t.Errorf("%s: no card", kind)
			continue
		}
		for _, k := range w.Inputs {
			if spec.InputSpec(k) == nil {
				t.Errorf("%s (%s): input %q not declared", kind, spec.ID, k)
			}
		}
		for _, k := range w.Outputs {
			if spec.OutputSpec(k) == nil {
				t.Errorf("%s (%s): output %q not declared", kind, spec.ID, k)
			}
		}
	}
}
