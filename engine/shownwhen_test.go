package engine

import (
	"context"
	"testing"
)

func init() {
	by := &ShownWhen{Key: "by", Values: []any{"id"}}
	serial := &ShownWhen{Key: "by", Values: []any{"serialNumber"}}
	Register(&Spec{ID: "test.readBy", Title: "Read Computer", Category: "Test", Kind: KindFunction,
		Inputs: []FieldSpec{
			{Key: "by", Label: "Read By", Type: T("string"), Default: "id", Choices: []Choice{{Value: "id", Label: "ID"}, {Value: "serialNumber", Label: "Serial Number"}}},
			{Key: "id", Label: "ID", Type: T("string"), Required: true, ShownWhen: by},
			{Key: "serial", Label: "Serial Number", Type: T("string"), Required: true, ShownWhen: serial},
		},
		Outputs: []FieldSpec{{Key: "found", Type: T("string")}},
		Run: func(_ context.Context, in Inputs) (Outputs, error) {
			if in.Values["by"] == "serialNumber" {
				return Outputs{"found": in.Values["serial"]}, nil
			}
			return Outputs{"found": in.Values["id"]}, nil
		}})
}

func TestShownWhenRequiredOnlyWhenShown(t *testing.T) {
	missing := func(c Card) []string {
		var keys []string
		for _, p := range Validate(newFlow("f", manual(Field{Key: "sel", Type: T("string")}), c), &ValidateEnv{}) {
			if p.Kind == "missing-input" {
				keys = append(keys, p.Input)
			}
		}
		return keys
	}
	cases := []struct {
		name   string
		inputs []Field
		want   []string
	}{
		{"default choice asks for the ID only", nil, []string{"id"}},
		{"serial chosen asks for the serial only", []Field{{Key: "by", Value: "serialNumber"}}, []string{"serial"}},
		{"choice matched case-insensitively (exports)", []Field{{Key: "by", Value: "SERIALNUMBER"}}, []string{"serial"}},
		{"serial chosen and given", []Field{{Key: "by", Value: "serialNumber"}, {Key: "serial", Value: "C02X"}}, nil},
		{"wired choice: known at run time only", []Field{{Key: "by", From: bind("trigger", "sel")}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := missing(Card{ID: "r", Type: "test.readBy", Inputs: tc.inputs})
			if len(got) != len(tc.want) || (len(got) == 1 && got[0] != tc.want[0]) {
				t.Fatalf("missing inputs = %v, want %v", got, tc.want)
			}
		})
	}
	spec, _ := Default().Card("test.readBy")
	if spec.InputSpec("serial").Shown(&Card{Inputs: []Field{{Key: "by", Value: "id"}}}, spec) {
		t.Fatal("serial shown while Read By is ID")
	}
}

func TestShownWhenHiddenRequiredFieldRuns(t *testing.T) {
	// the run-time schema check does not demand the hidden ID
	f := newFlow("f", manual(), Card{ID: "r", Type: "test.readBy", Inputs: []Field{{Key: "by", Value: "serialNumber"}, {Key: "serial", Value: "C02X"}}})
	ex, err := NewExecutor(nil, nil, &memHistory{}).Run(context.Background(), f, map[string]any{}, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r := record(t, ex, "r"); r.Outputs["found"] != "C02X" || r.Error != nil {
		t.Fatalf("record = %+v", r)
	}
}

func TestShownWhenDeclarationChecked(t *testing.T) {
	run := func(_ context.Context, _ Inputs) (Outputs, error) { return Outputs{}, nil }
	sel := FieldSpec{Key: "by", Type: T("string"), Choices: []Choice{{Value: "id", Label: "ID"}}}
	for name, f := range map[string]FieldSpec{
		"unknown selector": {Key: "x", Type: T("string"), ShownWhen: &ShownWhen{Key: "nope", Values: []any{"id"}}},
		"not a choice":     {Key: "x", Type: T("string"), ShownWhen: &ShownWhen{Key: "by", Values: []any{"udid"}}},
		"no value":         {Key: "x", Type: T("string"), ShownWhen: &ShownWhen{Key: "by"}},
	} {
		err := NewRegistry().Add(&Spec{ID: "t.x", Title: "X", Kind: KindFunction, Run: run, Inputs: []FieldSpec{sel, f}})
		if err == nil {
			t.Errorf("%s: registered", name)
		}
	}
}
