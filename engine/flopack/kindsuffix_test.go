package flopack

import (
	"context"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// Okta's product connectors (Okta Realms, partner connectors) export kinds
// with generated suffixes (oktarealms:listRealmUsers_tmcXa7PfAt) that differ
// per connector build. A kind <ns>:<method>_<suffix> that is not registered
// maps to a registered <ns>:<method>; an exact registration wins; the card
// keeps the exported address, so its native export names the same kind.

// realmsPack is the corpus's Okta Realms template with its Search Realms card
// renamed to method (a kind no template uses).
func realmsPack(t *testing.T, method string) []byte {
	m := smallPack(t, "generate_reports_for_okta_realms")
	found := false
	for _, f := range flos(m) {
		for _, x := range f.(map[string]any)["data"].(map[string]any)["methods"].([]any) {
			mt := x.(map[string]any)
			if a, _ := mt["address"].(string); strings.HasSuffix(a, ":searchRealms_P4iAKL5cJ") {
				mt["address"] = strings.TrimSuffix(a, "searchRealms_P4iAKL5cJ") + method
				node := mt["node"].(map[string]any)
				node["key"] = method
				node["model"].(map[string]any)["key"] = method
				found = true
			}
		}
	}
	if !found {
		t.Fatal("the realms template has no Search Realms card")
	}
	return encode(t, m)
}

// cardsByAddress lists the imported cards whose Okta address ends with suffix.
func cardsByAddress(res *Result, suffix string) []engine.Card {
	var out []engine.Card
	for _, f := range res.Flows {
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			if c.Origin != nil && strings.HasSuffix(c.Origin.Address, suffix) {
				out = append(out, *c)
			}
			return true
		})
	}
	return out
}

func TestKindSuffixMapsToCleanKind(t *testing.T) {
	// the corpus's suffixed Realms kinds map to their cards
	res, err := Import("realms.flopack", template1(t, "generate_reports_for_okta_realms").data, registry(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for suffix, want := range map[string]string{":listRealmUsers_tmcXa7PfAt": "oktarealms.listRealmUsers", ":searchRealms_P4iAKL5cJ": "oktarealms.searchRealms"} {
		cs := cardsByAddress(res, suffix)
		if len(cs) != 1 || cs[0].Type != want {
			t.Errorf("%s: cards %+v, want one %s", suffix, cs, want)
		}
	}

	// a suffix no export used before: the clean kind's card, the address kept
	// through export → import
	const addr = ":createRealm_Zx81Qa0LmN"
	res, err = Import("synthetic.flopack", realmsPack(t, "createRealm_Zx81Qa0LmN"), registry(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	cs := cardsByAddress(res, addr)
	if len(cs) != 1 || cs[0].Type != "oktarealms.createRealm" {
		t.Fatalf("synthetic createRealm_<suffix>: %+v", cs)
	}
	if res.Report.Counts.Unsupported != 0 {
		t.Errorf("unsupported cards after mapping: %+v", res.Report.Counts)
	}
	for _, f := range res.Flows {
		if len(cardsByAddress(&Result{Flows: []*engine.Flow{f}}, addr)) == 0 {
			continue
		}
		b, err := engine.MarshalFlow(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "root:channels:http:oktarealms:0.31.0:createRealm_Zx81Qa0LmN") {
			t.Fatalf("the export lost the card's Okta kind:\n%s", b)
		}
		back, err := engine.ParseFlow(f.Name, b)
		if err != nil {
			t.Fatal(err)
		}
		if bc := cardsByAddress(&Result{Flows: []*engine.Flow{back}}, addr); len(bc) != 1 || bc[0].Type != "oktarealms.createRealm" {
			t.Fatalf("export → import: %+v", bc)
		}
	}

	// a method the connector lacks stays unsupported, reported by its clean kind
	res, err = Import("unknown.flopack", realmsPack(t, "frobnicateRealm_Zx81Qa0LmN"), registry(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cs := cardsByAddress(res, ":frobnicateRealm_Zx81Qa0LmN"); len(cs) != 1 || cs[0].Type != Unsupported {
		t.Fatalf("unknown method: %+v", cs)
	}
	if res.Report.UnsupportedKinds["oktarealms:frobnicateRealm"] != 1 {
		t.Errorf("the report's unsupported kinds: %v", res.Report.UnsupportedKinds)
	}
}

// An exact registration of the suffixed kind wins over the clean kind.
func TestKindSuffixExactWins(t *testing.T) {
	r := engine.NewRegistry()
	engine.RegisterControlCards(r)
	r.MustAdd(UnsupportedSpec())
	run := func(context.Context, engine.Inputs) (engine.Outputs, error) { return nil, nil }
	r.MustAdd(&engine.Spec{ID: "x.clean", Okta: []string{"oktarealms:searchRealms"}, Title: "Clean", Kind: engine.KindAction, Run: run})
	r.MustAdd(&engine.Spec{ID: "x.exact", Okta: []string{"oktarealms:searchRealms_P4iAKL5cJ"}, Title: "Exact", Kind: engine.KindAction, Run: run})
	r.MustAdd(&engine.Spec{ID: "x.users", Okta: []string{"oktarealms:listRealmUsers"}, Title: "Users", Kind: engine.KindAction, ExtensibleInputs: true, Run: run})
	res, err := Import("realms.flopack", template1(t, "generate_reports_for_okta_realms").data, r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cs := cardsByAddress(res, ":searchRealms_P4iAKL5cJ"); len(cs) != 1 || cs[0].Type != "x.exact" {
		t.Errorf("exact kind: %+v", cs)
	}
	if cs := cardsByAddress(res, ":listRealmUsers_tmcXa7PfAt"); len(cs) != 1 || cs[0].Type != "x.users" {
		t.Errorf("clean kind: %+v", cs)
	}
}
