package app

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// calledFlows lists the ids of the helper flows f calls (Call Flow, For
// Each, Map, … name one in card.Flow), directly or through the helpers
// load finds, in the order they appear; load answers nil for one it lacks.
func calledFlows(f *engine.Flow, load func(id string) *engine.Flow) []string {
	var out []string
	eachCardWithHelpers(f, load, func(*engine.Card) {}, func(id string) { out = append(out, id) })
	return out
}

// eachCardWithHelpers calls fn for every card of f (its trigger included)
// and of the helper flows its cards call, each flow once, through the ones
// load finds (nil: missing); called gets each helper flow's id as first met.
func eachCardWithHelpers(f *engine.Flow, load func(id string) *engine.Flow, fn func(c *engine.Card), called func(id string)) {
	seen := map[string]bool{f.ID: true}
	var walkFlow func(f *engine.Flow)
	var walk func(cs []engine.Card)
	walk = func(cs []engine.Card) {
		for i := range cs {
			c := &cs[i]
			fn(c)
			if c.Flow != "" && !seen[c.Flow] {
				seen[c.Flow] = true
				called(c.Flow)
				if h := load(c.Flow); h != nil {
					walkFlow(h)
				}
			}
			for j := range c.Branches {
				walk(c.Branches[j].Cards)
			}
		}
	}
	walkFlow = func(f *engine.Flow) {
		walk([]engine.Card{f.Trigger})
		walk(f.Cards)
	}
	walkFlow(f)
}

// storedFlow is the stored flow id, or nil when there is none.
func (a *App) storedFlow(id string) *engine.Flow {
	h, err := a.Store.Flow(a.ctx, id)
	if err != nil {
		return nil
	}
	return h
}

// helperNames names the helper flows f calls (id → name) for its test file.
func (a *App) helperNames(f *engine.Flow) map[string]string {
	load := a.storedFlow
	out := map[string]string{}
	for _, id := range calledFlows(f, load) {
		if h := load(id); h != nil {
			out[id] = h.Name
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// missingHelpers says which helper flows f calls are not among the flow
// files of a `flowbench test` run (names: the test file's record of them),
// with how to add them; "" when none is missing.
func missingHelpers(f *engine.Flow, have engine.FlowMap, names map[string]string, dir string) string {
	var missing []string
	for _, id := range calledFlows(f, func(id string) *engine.Flow { return have[id] }) {
		if have[id] == nil {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	sort.Strings(missing)
	named := make([]string, len(missing))
	for i, id := range missing {
		if n := names[id]; n != "" {
			named[i] = fmt.Sprintf("%q (%s)", n, id)
		} else {
			named[i] = id
		}
	}
	what, it := "helper flow "+named[0], "it"
	if len(named) > 1 {
		what, it = "helper flows "+strings.Join(named, ", "), "them"
	}
	return fmt.Sprintf("flow %q calls %s, not among the *.flow.json files: export %s beside the test (flowbench export %s -o %s)",
		f.Name, what, it, strings.Join(missing, " "), filepath.Clean(dir))
}
