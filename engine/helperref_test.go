package engine

import (
	"context"
	"strings"
	"testing"
)

func TestItemArgsMapsItemPathIndexAndConstants(t *testing.T) {
	c := &Card{ID: "fe", Type: "list.forEach", Inputs: []Field{
		{Key: "list"},
		{Key: "whole", Item: &ItemMapping{}},
		{Key: "email", Item: &ItemMapping{Path: "profile.email"}},
		{Key: "pos", Type: T("number"), Item: &ItemMapping{Index: true}},
		{Key: "tag", Value: "static"},
	}}
	item := map[string]any{"profile": map[string]any{"email": "a@example.com"}}
	got := itemArgs(c, map[string]any{"tag": "static"}, item, 3)
	if got["email"] != "a@example.com" || got["pos"] != 3.0 || got["tag"] != "static" {
		t.Fatalf("args %v", got)
	}
	if w, ok := got["whole"].(map[string]any); !ok || w["profile"] == nil {
		t.Fatalf("whole item %v", got["whole"])
	}
	if ctx, _ := got["context"].(map[string]any); ctx["index"] != 3.0 {
		t.Fatalf("context %v", got["context"])
	}
}

func TestValidateHelperReferences(t *testing.T) {
	reg := NewRegistry()
	RegisterControlCards(reg)
	noop := func(context.Context, Inputs) (Outputs, error) { return Outputs{}, nil }
	reg.MustAdd(&Spec{ID: "test.listUsers", Title: "List Users", Kind: KindAction, Run: noop, ExtensibleInputs: true, Inputs: []FieldSpec{
		{Key: "resultSet", Type: T("string"), Default: "First 200 Matching Records", Choices: []Choice{{Value: "First 200 Matching Records", Label: "First 200"}, {Value: "Stream Matching Records", Label: "Stream"}}},
		{Key: "State", Group: "Streaming", Type: T("any")}}})
	// the function cards that call a helper per key or per round (registered by connectors/functions)
	for _, id := range []string{"object.map", "object.mapToList", "flow.repeat"} {
		reg.MustAdd(&Spec{ID: id, Title: id, Kind: KindFunction, Run: noop, ExtensibleInputs: true, Helper: HelperWaits})
	}
	helper := newFlow("h", Card{ID: "trigger", Type: "flow.helper"})
	plain := newFlow("p", manual())
	plain.Name = "Plain flow"
	stream := []Field{{Key: "resultSet", Value: "Stream Matching Records"}}
	cases := []struct {
		name string
		card Card
		want string // "" = no missing-flow problem
	}{
		{"call flow without helper", Card{ID: "c", Type: "flow.call"}, "no helper flow chosen"},
		{"for each with deleted helper", Card{ID: "c", Type: "list.forEach", Flow: "gone", Inputs: []Field{{Key: "list", Value: []any{}}}}, `helper flow "gone" does not exist`},
		{"call flow of a non-helper flow", Card{ID: "c", Type: "flow.call", Flow: "p"}, `flow "Plain flow" is not a helper flow`},
		{"call flow async with helper", Card{ID: "c", Type: "flow.callAsync", Flow: "h"}, ""},
		{"streaming card without helper", Card{ID: "c", Type: "test.listUsers", Inputs: stream}, "no helper flow chosen"},
		{"streaming card with deleted helper", Card{ID: "c", Type: "test.listUsers", Flow: "gone", Inputs: stream}, "does not exist"},
		{"streaming card with helper", Card{ID: "c", Type: "test.listUsers", Flow: "h", Inputs: stream}, ""},
		{"streaming card with a wired Flow input", Card{ID: "c", Type: "test.listUsers", Inputs: append([]Field{{Key: "Flow", From: &Binding{Card: "trigger", Path: []string{"helper"}}}}, stream...)}, ""},
		{"list card not streaming", Card{ID: "c", Type: "test.listUsers"}, ""},
		{"object Map without helper", Card{ID: "c", Type: "object.map"}, "no helper flow chosen"},
		{"object Map to List with deleted helper", Card{ID: "c", Type: "object.mapToList", Flow: "gone"}, "does not exist"},
		{"Repeat of a non-helper flow", Card{ID: "c", Type: "flow.repeat", Flow: "p"}, "is not a helper flow"},
		{"Repeat with helper", Card{ID: "c", Type: "flow.repeat", Flow: "h"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFlow("f", manual(), tc.card)
			var got []Problem
			for _, p := range Validate(f, &ValidateEnv{Registry: reg, Flows: map[string]*Flow{"h": helper, "p": plain}}) {
				if p.Kind == "missing-flow" {
					got = append(got, p)
				}
			}
			if tc.want == "" {
				if len(got) != 0 {
					t.Fatalf("unexpected problems %v", got)
				}
				return
			}
			if len(got) != 1 || !strings.Contains(got[0].Message, tc.want) || got[0].Card != "c" || got[0].Pointer != "/cards/0/flow" {
				t.Fatalf("problems %v, want one on card c saying %q", got, tc.want)
			}
		})
	}
}

func TestIndexMappingFitsTheFileFormat(t *testing.T) {
	f := newFlow("f", manual(), Card{ID: "fe", Type: "list.forEach", Flow: "h", Inputs: []Field{
		{Key: "list", Value: []any{"a"}}, {Key: "pos", Item: &ItemMapping{Index: true}}}})
	data, err := MarshalFlow(f)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseFlow("f.flow.json", data)
	if err != nil {
		t.Fatalf("an index mapping is refused: %v", err)
	}
	if m := back.Cards[0].Inputs[1].Item; m == nil || !m.Index {
		t.Fatalf("index mapping lost: %+v", back.Cards[0].Inputs[1])
	}
}

func TestRunWithoutHelperNamesTheCard(t *testing.T) {
	f := newFlow("f", manual(), Card{ID: "fe", Type: "list.forEach", Title: "For Each", Inputs: []Field{{Key: "list", Value: []any{1.0}}}})
	ex, err := NewExecutor(nil, nil, nil).Run(context.Background(), f, nil, RunOptions{})
	if err == nil || ex.Error == nil {
		t.Fatalf("run without a helper: err %v", err)
	}
	if ex.Error.Card != "fe" || !strings.Contains(ex.Error.Message, "no helper flow chosen") {
		t.Fatalf("error %+v", ex.Error)
	}
}
