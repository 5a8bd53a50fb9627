package engine

import (
	"context"
	"testing"
)

// A field whose choices come from a connection keeps its static entries as
// offers only: any other value (an app id) passes the input schema and the
// validator; a field with only static Choices stays closed.
func TestChoicesFromIsOpen(t *testing.T) {
	r := NewRegistry()
	run := func(context.Context, Inputs) (Outputs, error) { return nil, nil }
	all := Choice{Value: "-- All --", Label: "-- All --"}
	r.MustAdd(&Spec{ID: "t.pick", Title: "Pick", Kind: KindAction, Run: run, Inputs: []FieldSpec{
		{Key: "open", Type: T("string"), Choices: []Choice{all}, ChoicesFrom: "test.apps"},
		{Key: "closed", Type: T("string"), Choices: []Choice{all}},
	}})
	s, _ := r.Card("t.pick")
	if !s.InputSpec("closed").ClosedChoices() || s.InputSpec("open").ClosedChoices() {
		t.Fatal("ClosedChoices")
	}
	sch := s.InputSchema()
	if err := sch.Validate(map[string]any{"open": "0oa123", "closed": "-- All --"}); err != nil {
		t.Errorf("an id in the open field: %v", err)
	}
	if err := sch.Validate(map[string]any{"closed": "0oa123"}); err == nil {
		t.Error("an id outside the closed field's choices passed")
	}
	f := &Flow{Format: FlowFormat, ID: "f", Name: "f", Trigger: Card{ID: "trigger", Type: "flow.manual"},
		Cards: []Card{{ID: "c", Type: "t.pick", Inputs: []Field{{Key: "open", Value: "0oa123"}, {Key: "closed", Value: "0oa123"}}}}}
	RegisterControlCards(r)
	var got []string
	for _, p := range Validate(f, &ValidateEnv{Registry: r}) {
		if p.Kind == "bad-choice" {
			got = append(got, p.Input)
		}
	}
	if len(got) != 1 || got[0] != "closed" {
		t.Errorf("bad-choice problems on %v, want only closed", got)
	}
}
