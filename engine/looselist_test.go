package engine

import (
	"context"
	"reflect"
	"testing"
)

// Okta's list item types: a list typed as object may hold text, numbers or
// lists (Okta's own list cards export such lists and Okta runs them); item
// types of text, number, true/false and date still convert and reject.
func TestLooseListItemTypes(t *testing.T) {
	objs := T("object[]")
	shaped := ListOf(Obj(map[string]*Type{"id": T("string")}))
	cases := []struct {
		v       any
		typ     *Type
		want    any
		wantErr bool
	}{
		{[]any{"firstName", "lastName"}, objs, []any{"firstName", "lastName"}, false},
		{[]any{float64(86400), "x"}, objs, []any{float64(86400), "x"}, false},
		{[]any{`{"a":1}`, "plain"}, objs, []any{map[string]any{"a": float64(1)}, "plain"}, false},
		{[]any{"00g1", map[string]any{"id": "00g2"}}, shaped, []any{"00g1", map[string]any{"id": "00g2"}}, false},
		{[]any{"abc"}, T("number[]"), nil, true},
		{[]any{"yes?"}, T("boolean[]"), nil, true},
		{"not json", T("object"), nil, true}, // a single object field still needs an object
	}
	for _, c := range cases {
		got, err := Coerce(c.v, c.typ)
		if (err != nil) != c.wantErr {
			t.Errorf("Coerce(%v, %s): err %v, want error %v", c.v, c.typ, err, c.wantErr)
			continue
		}
		if !c.wantErr && !reflect.DeepEqual(got, c.want) {
			t.Errorf("Coerce(%v, %s) = %#v, want %#v", c.v, c.typ, got, c.want)
		}
	}
	// the card schemas agree: a Return of list-of-object outputs holding text passes
	r := NewRegistry()
	spec := &Spec{ID: "test.loose", Title: "Loose", Kind: KindFunction,
		Inputs: []FieldSpec{{Key: "keys", Type: objs}, {Key: "groups", Type: shaped}, {Key: "one", Type: T("object")}},
		Run:    func(context.Context, Inputs) (Outputs, error) { return nil, nil }}
	if err := r.Add(spec); err != nil {
		t.Fatal(err)
	}
	ok := map[string]any{"keys": []any{"firstName", 3.0}, "groups": []any{"00g1", map[string]any{"id": "00g2"}}}
	if _, fastOK, fullOK := SchemaAgreement(spec, ok, true); !fastOK || !fullOK {
		t.Errorf("loose list items rejected: fast %v full %v", fastOK, fullOK)
	}
	for _, bad := range []map[string]any{
		{"groups": []any{map[string]any{"id": 5.0}}}, // an object item follows its declared fields
		{"one": "text"},
	} {
		if _, fastOK, fullOK := SchemaAgreement(spec, bad, true); fastOK || fullOK {
			t.Errorf("%v accepted", bad)
		}
	}
	if !Compatible(T("string[]"), objs) || !Compatible(T("number[]"), objs) || Compatible(T("number"), T("object")) {
		t.Error("Compatible: list items of object are advisory, a single object is not")
	}
}

// A card that takes any value keeps an instance's declared type (an Okta
// export's "object") advisory: a list passes as it is; a helper flow's
// declared input types are advisory too.
func TestAdvisoryDeclaredTypes(t *testing.T) {
	r := NewRegistry()
	for _, s := range Default().Cards() {
		if s.ID == "flow.manual" || s.ID == "flow.helper" || s.ID == "flow.call" || s.ID == "flow.return" {
			r.MustAdd(s)
		}
	}
	r.MustAdd(&Spec{ID: "test.echo", Title: "Echo", Kind: KindFunction,
		Inputs:  []FieldSpec{{Key: "object", Type: T("any")}, {Key: "n", Type: T("number")}},
		Outputs: []FieldSpec{{Key: "output", Type: T("any")}},
		Run: func(_ context.Context, in Inputs) (Outputs, error) {
			return Outputs{"output": in.Values["object"]}, nil
		}})
	list := []any{map[string]any{"factorType": "push"}}
	f := &Flow{Format: FlowFormat, ID: "m", Name: "M", Trigger: Card{ID: TriggerID, Type: "flow.manual"},
		Cards: []Card{{ID: "e", Type: "test.echo", Inputs: []Field{{Key: "object", Type: T("object"), Value: list}}}}}
	e := NewExecutor(nil, nil, nil)
	e.Registry = r
	ex, err := e.Run(context.Background(), f, nil, RunOptions{})
	if err != nil || ex.Status != StatusSuccess || !reflect.DeepEqual(ex.Cards[1].Outputs["output"], list) {
		t.Fatalf("declared object given a list: %v %+v %v", err, ex.Error, ex.Cards)
	}
	// a number-typed spec input still rejects text that is not a number
	f.Cards[0].Inputs = append(f.Cards[0].Inputs, Field{Key: "n", Value: "abc"})
	e.Invalidate(f.ID)
	if ex, _ := e.Run(context.Background(), f, nil, RunOptions{}); ex.Status != StatusFailed || ex.Error == nil || ex.Error.Input != "n" {
		t.Errorf("number input given text: %+v", ex.Error)
	}
	// helper input typed number, caller passes text: it arrives as text
	h := &Flow{Format: FlowFormat, ID: "h", Name: "H", Trigger: Card{ID: TriggerID, Type: "flow.helper",
		Outputs: []Field{{Key: "IPAddress", Type: T("number")}}},
		Cards: []Card{{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "ip", Type: T("string"), From: &Binding{Card: TriggerID, Path: []string{"IPAddress"}}}}}}}
	m := &Flow{Format: FlowFormat, ID: "m2", Name: "M2", Trigger: Card{ID: TriggerID, Type: "flow.manual"},
		Cards: []Card{{ID: "call", Type: "flow.call", Flow: "h", Inputs: []Field{{Key: "IPAddress", Value: "69.173.127.24"}},
			Outputs: []Field{{Key: "ip", Type: T("string")}}}}}
	e2 := NewExecutor(FlowMap{"h": h}, nil, nil)
	e2.Registry = r
	ex, err = e2.Run(context.Background(), m, nil, RunOptions{})
	if err != nil || ex.Status != StatusSuccess || ex.Cards[1].Outputs["ip"] != "69.173.127.24" {
		t.Fatalf("helper input: %v %+v %v", err, ex.Error, ex.Cards)
	}
}
