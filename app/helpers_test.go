package app

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

func TestCreateHelperFlowAndList(t *testing.T) {
	a := testApp(t)
	h, err := a.CreateHelperFlow("Notify user", "Helpers", []engine.Field{
		{Key: "email", Type: engine.T("string")}, {Key: "position", Type: engine.T("number")}, {Key: "anything"}})
	if err != nil {
		t.Fatal(err)
	}
	if h.Trigger.Type != "flow.helper" || len(h.Trigger.Outputs) != 3 || h.Trigger.Outputs[2].Type.String() != "any" {
		t.Fatalf("helper trigger %+v", h.Trigger)
	}
	// a Return at top level is the caller's output; one inside If Error is not
	h.Cards = []engine.Card{
		{ID: "r", Type: "flow.return", Inputs: []engine.Field{{Key: "sent", Type: engine.T("boolean"), Value: true}}},
		{ID: "ie", Type: "flow.ifError", Branches: []engine.Branch{{Name: "try", Cards: []engine.Card{
			{ID: "r2", Type: "flow.return", Inputs: []engine.Field{{Key: "inner", Value: 1.0}}}}}, {Name: "catch", Cards: []engine.Card{}}}},
	}
	if _, err := a.SaveFlow(h); err != nil {
		t.Fatal(err)
	}
	main, err := a.CreateFlow("Main", "")
	if err != nil {
		t.Fatal(err)
	}
	list, err := a.HelperFlows()
	if err != nil {
		t.Fatal(err)
	}
	at := map[string]int{}
	for i, r := range list {
		at[r.ID] = i
	}
	mi, ok1 := at[main.ID]
	hi, ok2 := at[h.ID]
	if !ok1 || !ok2 || mi > hi {
		t.Fatalf("list %+v: want the main flow (no folder) before the helper (folder Helpers)", list)
	}
	got := list[hi]
	if got.Trigger != "flow.helper" || got.Name != "Notify user" || got.Folder != "Helpers" {
		t.Fatalf("helper row %+v", got)
	}
	keys := func(fs []engine.Field) string {
		var k []string
		for _, f := range fs {
			k = append(k, f.Key)
		}
		return strings.Join(k, ",")
	}
	if keys(got.Inputs) != "email,position,anything" || keys(got.Returns) != "sent" {
		t.Fatalf("inputs %s returns %s", keys(got.Inputs), keys(got.Returns))
	}
	if list[mi].Trigger != "flow.manual" || len(list[mi].Inputs) != 0 {
		t.Fatalf("main row %+v", list[mi])
	}
	if len(got.Callers) != 0 {
		t.Fatalf("callers before any call: %v", got.Callers)
	}
	main.Cards = []engine.Card{{ID: "cf", Type: "flow.call", Flow: h.ID}, {ID: "cf2", Type: "flow.callAsync", Flow: h.ID}}
	if _, err := a.SaveFlow(main); err != nil {
		t.Fatal(err)
	}
	list, _ = a.HelperFlows()
	for _, r := range list {
		if r.ID == h.ID && strings.Join(r.Callers, ",") != "Main" {
			t.Fatalf("callers %v, want [Main]", r.Callers)
		}
	}
}

func TestCreateHelperFlowRefusesBadInputs(t *testing.T) {
	a := testApp(t)
	cases := []struct {
		name   string
		flow   string
		inputs []engine.Field
		want   string
	}{
		{"no name", " ", nil, "needs a name"},
		{"empty input name", "H", []engine.Field{{Key: "a"}, {Key: " "}}, "input 2 has no name"},
		{"reserved context", "H", []engine.Field{{Key: "context"}}, `"context" is reserved`},
		{"duplicate", "H", []engine.Field{{Key: "a"}, {Key: "a"}}, `"a" is declared twice`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := a.CreateHelperFlow(tc.flow, "", tc.inputs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
			if st := statusOf(err); st != http.StatusBadRequest {
				t.Fatalf("HTTP status %d, want 400", st)
			}
		})
	}
	fl, _ := a.HelperFlows()
	for _, r := range fl {
		if r.Name == "H" {
			t.Fatalf("a refused helper was stored: %+v", r)
		}
	}
}

// Every card of the imported Okta templates that calls a helper flow (Call
// Flow, For Each, Map, Reduce, Filter, streaming list cards) names a stored
// flow that starts with a Helper Flow card, so the card shows it by name.
func TestImportedCallersNameTheirHelpers(t *testing.T) {
	packs := corpusTemplates(t)
	a := testApp(t)
	for _, p := range packs {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.ImportText(filepath.Base(p), string(data)); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	list, err := a.HelperFlows()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]HelperFlow{}
	for _, h := range list {
		byID[h.ID] = h
	}
	callers := 0
	for _, f := range a.Store.Flows() {
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			s, ok := a.Reg.Card(c.Type)
			if !ok || c.Flow == "" {
				return true
			}
			if !needsHelper(s, c) {
				return true
			}
			callers++
			h, ok := byID[c.Flow]
			switch {
			case !ok:
				t.Errorf("%s: card %q calls %s, which is not listed", f.Name, c.Title, c.Flow)
			case h.Trigger != "flow.helper" || h.Name == "":
				t.Errorf("%s: card %q calls %q, trigger %s", f.Name, c.Title, h.Name, h.Trigger)
			}
			return true
		})
	}
	if callers < 200 {
		t.Fatalf("only %d calling cards in the corpus", callers)
	}
	t.Logf("%d calling cards name their helper", callers)
}

func needsHelper(s *engine.Spec, c *engine.Card) bool {
	switch s.ID {
	case "flow.call", "flow.callAsync", "list.forEach", "list.forEachIgnoreErrors", "list.map", "list.filterCustom", "list.reduce":
		return true
	}
	return engine.Streams(s, c)
}

// A caller whose helper is deleted gets a problem on the calling card.
func TestDeletedHelperIsAProblemOnTheCaller(t *testing.T) {
	a := testApp(t)
	h, err := a.CreateHelperFlow("Greet", "", []engine.Field{{Key: "item", Type: engine.T("string")}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.CreateFlow("Parent", "")
	if err != nil {
		t.Fatal(err)
	}
	p.Cards = []engine.Card{{ID: "fe", Type: "list.forEach", Title: "For Each", Flow: h.ID, Inputs: []engine.Field{
		{Key: "list", Value: []any{"a"}}, {Key: "item", Type: engine.T("string"), Item: &engine.ItemMapping{}}}}}
	res, err := a.SaveFlow(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 0 {
		t.Fatalf("problems before the delete: %v", res.Problems)
	}
	if err := a.DeleteFlow(h.ID); err != nil {
		t.Fatal(err)
	}
	probs, _ := a.ValidateFlow(p)
	if len(probs) != 1 || probs[0].Card != "fe" || probs[0].Kind != "missing-flow" || !strings.Contains(probs[0].Message, "does not exist") {
		t.Fatalf("problems after the delete: %v", probs)
	}
}
