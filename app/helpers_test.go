package app

import (
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
			if _, err := a.CreateHelperFlow(tc.flow, "", tc.inputs); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
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
