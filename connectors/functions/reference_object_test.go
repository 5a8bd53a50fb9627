package functions

import (
	"reflect"
	"testing"
)

func TestObjectUnset(t *testing.T) {
	// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Object/object_unset.htm
	nested := map[string]any{"a": "one", "b": map[string]any{"foo": 1.0, "bar": 2.0}}
	dotted := map[string]any{"a": "one", "b.foo": map[string]any{"7": "bar", "8": "baz"}}
	listed := map[string]any{"foo": []any{map[string]any{"bar": 1.0, "x": 1.0}, map[string]any{"bar": 2.0, "x": 2.0}}}
	runCases(t, []cardCase{
		{name: "top-level key (Okta's example)", card: "object:unset", in: ins("object", map[string]any{"foo": 1.0, "bar": 2.0}, "path", "foo"),
			want: map[string]any{"output": map[string]any{"bar": 2.0}}},
		{name: "dot path into a sub-object (Okta's example)", card: "object.unset", in: ins("object", nested, "path", "b.foo"),
			want: map[string]any{"output": map[string]any{"a": "one", "b": map[string]any{"bar": 2.0}}}},
		{name: "list path with a dotted and a numeric key (Okta's example)", card: "object.unset", in: ins("object", dotted, "path", []any{"b.foo", "7"}),
			want: map[string]any{"output": map[string]any{"a": "one", "b.foo": map[string]any{"8": "baz"}}}},
		{name: "numeric segment indexes a list", card: "object.unset", in: ins("object", listed, "path", "foo.1.bar"),
			want: map[string]any{"output": map[string]any{"foo": []any{map[string]any{"bar": 1.0, "x": 1.0}, map[string]any{"x": 2.0}}}}},
		{name: "last segment on a list removes the item", card: "object.unset", in: ins("object", listed, "path", "foo.-1"),
			want: map[string]any{"output": map[string]any{"foo": []any{map[string]any{"bar": 1.0, "x": 1.0}}}}},
		{name: "missing path leaves the object", card: "object.unset", in: ins("object", nested, "path", "b.nothing.deeper"),
			want: map[string]any{"output": nested}},
		{name: "object as JSON text", card: "object.unset", in: ins("object", `{"k":1,"m":2}`, "path", "k"),
			want: map[string]any{"output": map[string]any{"m": 2.0}}},
		{name: "empty path", card: "object.unset", in: ins("object", nested, "path", ""), errIn: "path"},
		{name: "no object", card: "object.unset", in: ins("path", "a"), errIn: "object"},
		{name: "path list with an object item", card: "object.unset", in: ins("object", nested, "path", []any{map[string]any{}}), errIn: "path"},
	})
	// the input object is not changed
	if _, err := runCard(t, "object.unset", ins("object", nested, "path", "b.foo")); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(nested, map[string]any{"a": "one", "b": map[string]any{"foo": 1.0, "bar": 2.0}}) {
		t.Fatalf("input changed: %v", nested)
	}
}
