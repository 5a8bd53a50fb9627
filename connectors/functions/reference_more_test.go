package functions

import (
	"errors"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

func TestCollapse(t *testing.T) {
	// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/List/list_collapse.htm
	runCases(t, []cardCase{
		{name: "later wins", card: "list:collapse", in: []engine.Field{v("list", []any{map[string]any{"item": 1.0}, map[string]any{"item": 2.0}})},
			want: map[string]any{"output": map[string]any{"item": 2.0}}},
		{name: "keys merge", card: "list.collapse", in: []engine.Field{v("list", []any{map[string]any{"valueA": "a"}, nil, map[string]any{"valueB": "b"}})},
			want: map[string]any{"output": map[string]any{"valueA": "a", "valueB": "b"}}},
		{name: "empty list", card: "list.collapse", in: []engine.Field{v("list", []any{})}, want: map[string]any{"output": map[string]any{}}},
		{name: "missing list", card: "list.collapse", in: nil, errIn: "list"},
	})
}

func TestCollapseRejectsNonObjects(t *testing.T) {
	_, err := runCard(t, "list.collapse", []engine.Field{vt("list", "any", []any{map[string]any{"a": 1.0}, 5.0})})
	var ce *engine.CardError
	if err == nil || !errors.As(err, &ce) || ce.Input != "list" || !strings.Contains(err.Error(), "item 1 is a number, not an object") {
		t.Fatalf("err = %v", err)
	}
}
