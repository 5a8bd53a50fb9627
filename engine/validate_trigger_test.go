package engine

import (
	"context"
	"testing"
)

// A binding to an output the (replaced) trigger does not have is a problem
// on that input; a trigger whose outputs are all user-declared (Manual Run)
// keeps them open until some are declared.
func TestValidateBindingToOutputTheTriggerLacks(t *testing.T) {
	run := func(context.Context, Inputs) (Outputs, error) { return nil, nil }
	reg := NewRegistry()
	reg.MustAdd(&Spec{ID: "test.sched", Title: "Scheduled", Kind: KindTrigger, ExtensibleOutputs: true,
		Outputs: []FieldSpec{{Key: "scheduledTime", Type: T("date")}}, Run: run})
	reg.MustAdd(&Spec{ID: "test.open", Title: "Open", Kind: KindTrigger, ExtensibleOutputs: true, Run: run})
	reg.MustAdd(&Spec{ID: "test.echo", Title: "Echo", Kind: KindFunction, Inputs: []FieldSpec{{Key: "text", Type: T("string")}},
		Outputs: []FieldSpec{{Key: "output", Type: T("string")}}, Run: run})
	use := func(trigger, key string) []Problem {
		f := &Flow{ID: "f", Trigger: Card{ID: "t", Type: trigger}, Cards: []Card{{ID: "e", Type: "test.echo",
			Inputs: []Field{{Key: "text", From: &Binding{Card: "t", Path: []string{key}}}}}}}
		return Validate(f, &ValidateEnv{Registry: reg})
	}
	if ps := use("test.sched", "first"); len(ps) != 1 || ps[0].Kind != "missing-field" || ps[0].Card != "e" || ps[0].Input != "text" {
		t.Fatalf("binding to a missing trigger output: %+v", ps)
	}
	if ps := use("test.sched", "context"); len(ps) != 0 {
		t.Fatalf("context is always there: %+v", ps)
	}
	if ps := use("test.open", "first"); len(ps) != 0 {
		t.Fatalf("an open trigger without declared outputs: %+v", ps)
	}
}
