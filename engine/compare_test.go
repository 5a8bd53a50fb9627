package engine

import (
	"errors"
	"testing"
)

// Okta's comparison rules: the declared type decides.
// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Branching/branching_if.htm
func TestCompare(t *testing.T) {
	obj := map[string]any{"id": "1"}
	for _, c := range []struct {
		a    any
		op   string
		b    any
		typ  string
		want bool
		err  string // input key the error names
	}{
		{80.0, ">", 9.0, "number", true, ""},
		{"80", ">", "9", "string", false, ""},
		{"80", ">", "9", "number", true, ""},
		{80.0, ">", 9.0, "", true, ""},
		{12.0, "%", 4.0, "number", true, ""},
		{0.0, "%", 4.0, "number", true, ""},
		{-4.0, "%", 4.0, "number", true, ""},
		{5.0, "%", 0.0, "number", false, "right-operand"},
		{"a", "%", "b", "string", false, "operator"},
		{"2020-01-02", ">", "2020-01-01T23:59:59Z", "date", true, ""},
		{"2020-01-02", ">", "later", "date", false, "right-operand"},
		{"x", "<", 1.0, "number", false, "left-operand"},
		{true, "==", "true", "boolean", true, ""},
		{"test", "in", "this is a test", "", true, ""},
		{"b", "in", []any{"a", "b"}, "", true, ""},
		{2.0, "in", []any{"1", "2"}, "", true, ""},
		{"id", "in", obj, "", true, ""},
		{"c", "not in", []any{"a"}, "", true, ""},
		{obj, "has", "id", "", true, ""},
		{obj, "doesn't have", "name", "", true, ""},
		{"", "is empty", nil, "", true, ""},
		{[]any{}, "is empty", nil, "", true, ""},
		{map[string]any{}, "is not empty", nil, "", false, ""},
		{0.0, "is empty", nil, "", false, ""},
		{obj, "==", map[string]any{"id": "1"}, "object", true, ""},
		{obj, ">", obj, "object", false, "operator"},
		{[]any{"a"}, "==", []any{"a"}, "", true, ""},
		{1.0, "===", "1", "", false, ""},
		{1.0, "!==", "1", "", true, ""},
		{"a", "~", "a", "", false, "operator"},
	} {
		var typ *Type
		if c.typ != "" {
			typ = T(c.typ)
		}
		got, err := Compare(c.a, c.op, c.b, typ)
		if c.err != "" {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Key != c.err {
				t.Errorf("%v %s %v (%s): error %v, want one naming %q", c.a, c.op, c.b, c.typ, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%v %s %v (%s) = %v, %v; want %v", c.a, c.op, c.b, c.typ, got, err, c.want)
		}
	}
}

func TestIsEmpty(t *testing.T) {
	for v, want := range map[any]bool{nil: true, "": true, " ": false, 0.0: false, false: false} {
		if IsEmpty(v) != want {
			t.Errorf("IsEmpty(%#v) != %v", v, want)
		}
	}
}
