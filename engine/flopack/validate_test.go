package flopack

import (
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// TestCorpusValidates runs engine.Validate on every imported flow: the only
// problems allowed are those of unsupported cards (which lose nothing and
// are reported on the canvas). Run with -v for the problem counts by kind.
func TestCorpusValidates(t *testing.T) {
	reg := registry()
	byKind := map[string]int{}
	examples := map[string]string{}
	bad := 0
	reportedGaps := map[string]int{}
	gapExample := map[string]string{}
	for _, tp := range templates(t) {
		res, err := Import(tp.name, tp.data, reg, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tp.name, err)
		}
		env := &engine.ValidateEnv{Registry: reg, Flows: map[string]*engine.Flow{}}
		for _, f := range res.Flows {
			env.Flows[f.ID] = f
		}
		for _, f := range res.Flows {
			for _, p := range engine.Validate(f, env) {
				if allowedProblem(f, p) {
					continue
				}
				if w, ok := reported(res.Report, p); ok {
					reportedGaps[p.Kind]++
					if _, ok := gapExample[p.Kind]; !ok {
						gapExample[p.Kind] = w.String()
					}
					continue
				}
				byKind[p.Kind]++
				if _, ok := examples[p.Kind]; !ok {
					examples[p.Kind] = tp.name + ": " + p.String()
				}
				bad++
				if bad <= 40 {
					t.Errorf("%s: %s [%s]", tp.name, p, p.Kind)
				}
			}
		}
	}
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		t.Logf("%d %s, e.g. %s", byKind[k], k, examples[k])
	}
	for _, k := range slices.Sorted(maps.Keys(reportedGaps)) {
		t.Logf("%d %s problems the importer reported as warnings, e.g. %s", reportedGaps[k], k, gapExample[k])
	}
	if bad > 40 {
		t.Errorf("%d problems in all", bad)
	}
}

// reported finds the import warning about the problem's card and field:
// gaps between an export and a native card (fields the card does not
// declare, template values that do not fit their own type) are reported
// by the importer and need a card or template change, not an importer one.
func reported(r *Report, p engine.Problem) (Warning, bool) {
	if p.Card == "" || p.Input == "" {
		return Warning{}, false
	}
	for _, w := range r.Warnings {
		if strings.Contains(w.Card, "("+p.Card+")") && (w.Field == p.Input || strings.HasSuffix(w.Field, "/"+p.Input)) {
			return w, true
		}
	}
	return Warning{}, false
}

// allowedProblem: problems that come from unsupported cards — the card
// itself, and bindings to outputs of an unsupported trigger or card whose
// outputs only the missing implementation would declare.
func allowedProblem(f *engine.Flow, p engine.Problem) bool {
	if p.Kind == "unsupported" || p.Kind == "missing-connection" { // templates leave connections to choose
		return true
	}
	var c *engine.Card
	f.Walk(func(x *engine.Card, _ *engine.Card) bool {
		if x.ID == p.Card {
			c = x
			return false
		}
		return true
	})
	if c != nil && c.Type == Unsupported {
		return true
	}
	return false
}
