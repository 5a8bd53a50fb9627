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
