package functions

import (
	"testing"

	"github.com/flowbench/flowbench/engine"
)

var olPeople = []any{
	map[string]any{"name": "Nicole", "value": 10.0, "tags": map[string]any{"t": "a"}},
	map[string]any{"name": "Sarah", "value": 20.0},
	map[string]any{"name": "Emily", "value": 10.0, "email": ""},
}

func TestListCards(t *testing.T) {
	four := []any{"one", "two", "three", "four"}
	olCheck(t, nil, []olCase{
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/list/list_construct.htm
		{name: "construct in card order", card: "list.construct", in: []engine.Field{ov("qk1", "b"), ot("x2", "number", "1"), ov("z3", nil)},
			want: map[string]any{"list": []any{"b", 1.0, nil}}},
		{name: "construct empty", card: "list.construct", want: map[string]any{"list": []any{}}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/list/list_at.htm
		{name: "at 0 (doc)", card: "list.at", in: []engine.Field{ov("list", four), ov("index", 0.0)}, want: map[string]any{"item": "one"}},
		{name: "at 2 (doc)", card: "list.at", in: []engine.Field{ov("list", []any{1.0, 2.0, 3.0, 4.0, 5.0}), ov("index", "2")}, want: map[string]any{"item": 3.0}},
		{name: "at -1 is last", card: "list.at", in: []engine.Field{ov("list", four), ov("index", -1.0)}, want: map[string]any{"item": "four"}},
		{name: "at -5 out of range", card: "list.at", in: []engine.Field{ov("list", four), ov("index", -5.0)}, want: map[string]any{"item": nil}},
		{name: "at 4 out of range", card: "list.at", in: []engine.Field{ov("list", four), ov("index", 4.0)}, want: map[string]any{"item": nil}},
		{name: "at empty list", card: "list.at", in: []engine.Field{ov("list", []any{}), ov("index", 0.0)}, want: map[string]any{"item": nil}},
		{name: "at JSON text list", card: "list.at", in: []engine.Field{ov("list", `["a","b"]`), ov("index", 1.0)}, want: map[string]any{"item": "b"}},
		{name: "at bad index", card: "list.at", in: []engine.Field{ov("list", four), ov("index", "first")}, errIn: "index"},
		{name: "at missing list", card: "list.at", in: []engine.Field{ov("index", 0.0)}, errIn: "list"},
		// https://help.okta.com/wf/ja-jp/content/topics/workflows/function-reference/list/list_length.htm
		{name: "length", card: "list.length", in: []engine.Field{ov("list", four)}, want: map[string]any{"length": 4.0}},
		{name: "length empty", card: "list.length", in: []engine.Field{ov("list", []any{})}, want: map[string]any{"length": 0.0}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/list/list_pluck.htm
		{name: "pluck (doc)", card: "list.pluck", in: []engine.Field{ov("list", olPeople), ov("key", "name")}, want: map[string]any{"values": []any{"Nicole", "Sarah", "Emily"}}},
		{name: "pluck dot path, missing is null", card: "list.pluck", in: []engine.Field{ov("list", olPeople), ov("key", "tags.t")}, want: map[string]any{"values": []any{"a", nil, nil}}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/list/list_findby.htm
		{name: "find by path", card: "list.find", in: []engine.Field{ov("list", olPeople), ov("operator", "=="), ov("path", "value"), ov("comparison", 10.0)},
			want: map[string]any{"item": olPeople[0], "index": 0.0}},
		{name: "find no match", card: "list.find", in: []engine.Field{ov("list", olPeople), ov("operator", "=="), ov("path", "name"), ov("comparison", "Zed")},
			want: map[string]any{"item": nil, "index": -1.0}},
		{name: "find numeric > with number comparison", card: "list.find", in: []engine.Field{ov("list", []any{9.0, 80.0}), ov("operator", ">"), ot("comparison", "number", "10")},
			want: map[string]any{"item": 80.0, "index": 1.0}},
		{name: "find text > is alphabetical", card: "list.find", in: []engine.Field{ov("list", []any{"80", "9"}), ov("operator", ">"), ot("comparison", "string", "10")},
			want: map[string]any{"item": "80", "index": 0.0}},
		{name: "find === needs same type", card: "list.find", in: []engine.Field{ov("list", []any{"10", 10.0}), ov("operator", "==="), ot("comparison", "number", 10.0)},
			want: map[string]any{"item": 10.0, "index": 1.0}},
		{name: "find has key", card: "list.find", in: []engine.Field{ov("list", olPeople), ov("operator", "has"), ov("comparison", "email")},
			want: map[string]any{"index": 2.0}},
		{name: "find unknown operator", card: "list.find", in: []engine.Field{ov("list", olPeople), ov("operator", "~"), ov("comparison", 1.0)}, errIn: "operator"},
		{name: "find bad comparison for numbers", card: "list.find", in: []engine.Field{ov("list", []any{1.0}), ov("operator", ">"), ot("comparison", "number", 1.0)}, want: map[string]any{"index": -1.0}},
		{name: "find empty list", card: "list.find", in: []engine.Field{ov("list", []any{}), ov("operator", "=="), ov("comparison", 1.0)}, want: map[string]any{"index": -1.0, "item": nil}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/List/list_filterby.htm
		{name: "filter ==", card: "list.filter", in: []engine.Field{ov("list", olPeople), ov("operator", "=="), ov("path", "value"), ot("comparison", "number", 10.0)},
			want: map[string]any{"list": []any{olPeople[0], olPeople[2]}}},
		{name: "filter in: item value within comparison (blog)", card: "list.filter", in: []engine.Field{ov("list", []any{"No", "code", "Yes"}), ov("operator", "in"), ov("comparison", "No-code")},
			want: map[string]any{"list": []any{"No", "code"}}},
		{name: "filter is not empty", card: "list.filter", in: []engine.Field{ov("list", olPeople), ov("operator", "is not empty"), ov("path", "email")},
			want: map[string]any{"list": []any{}}},
		{name: "filter is empty", card: "list.filter", in: []engine.Field{ov("list", olPeople), ov("operator", "is empty"), ov("path", "email")},
			want: map[string]any{"list": olPeople}},
		{name: "filter !==", card: "list.filter", in: []engine.Field{ov("list", []any{"1", 1.0}), ov("operator", "!=="), ov("comparison", "1")},
			want: map[string]any{"list": []any{1.0}}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/list/list_sortby.htm
		{name: "sort numbers", card: "list.sort", in: []engine.Field{ov("list", []any{9.0, 80.0, 1.0, nil, 20.0})}, want: map[string]any{"sorted list": []any{1.0, 9.0, 20.0, 80.0, nil}}},
		{name: "sort by path, stable", card: "list.sort", in: []engine.Field{ov("list", olPeople), ov("path", "value")},
			want: map[string]any{"sorted list": []any{olPeople[0], olPeople[2], olPeople[1]}}},
		{name: "sort text", card: "list.sort", in: []engine.Field{ov("list", []any{"b", "B", "a"})}, want: map[string]any{"sorted list": []any{"B", "a", "b"}}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/List/list_uniqueby.htm
		{name: "remove duplicates numbers (doc)", card: "list.removeDuplicates", in: []engine.Field{ov("list", []any{9.0, 80.0, 1.0, 9.0, 20.0, 1.0}), ov("path", "x")},
			want: map[string]any{"unique list": []any{9.0, 80.0, 1.0, 20.0}}},
		{name: "remove duplicates by value (doc)", card: "list.removeDuplicates", in: []engine.Field{ov("list", olPeople), ov("path", "value")},
			want: map[string]any{"unique list": []any{olPeople[0], olPeople[1]}}},
		{name: "remove duplicates by name (doc)", card: "list.removeDuplicates", in: []engine.Field{ov("list", olPeople), ov("path", "name")},
			want: map[string]any{"unique list": olPeople}},
		{name: "remove duplicates 1 vs \"1\"", card: "list.removeDuplicates", in: []engine.Field{ov("list", []any{1.0, "1", 1.0})},
			want: map[string]any{"unique list": []any{1.0, "1"}}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/list/list_flatten.htm
		{name: "flatten one level", card: "list.flatten", in: []engine.Field{ov("lists", []any{[]any{1.0, 2.0}, []any{3.0, []any{4.0}}, 5.0})},
			want: map[string]any{"list": []any{1.0, 2.0, 3.0, []any{4.0}, 5.0}}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/list/list_includes.htm
		{name: "includes", card: "list.includes", in: []engine.Field{ov("list", []any{"a", "b"}), ov("value", "b")}, want: map[string]any{"result": true}},
		{name: "includes number as text", card: "list.includes", in: []engine.Field{ov("list", []any{5.0}), ot("value", "string", "5")}, want: map[string]any{"result": true}},
		{name: "includes object by content", card: "list.includes", in: []engine.Field{ov("list", olPeople), ov("value", map[string]any{"name": "Sarah", "value": 20.0})}, want: map[string]any{"result": true}},
		{name: "includes not", card: "list.includes", in: []engine.Field{ov("list", []any{}), ov("value", "b")}, want: map[string]any{"result": false}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/list/list_intersection.htm
		{name: "intersection", card: "list.intersection", in: []engine.Field{ov("list1", []any{"a", "b", "b", "c"}), ov("list2", []any{"c", "b"})},
			want: map[string]any{"list": []any{"b", "c"}}},
		{name: "intersection of objects", card: "list.intersection", in: []engine.Field{ov("list1", olPeople), ov("list2", []any{map[string]any{"value": 20.0, "name": "Sarah"}})},
			want: map[string]any{"list": []any{olPeople[1]}}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/list/list_union.htm
		{name: "union", card: "list.union", in: []engine.Field{ov("list1", []any{"a", "b", "a"}), ov("list2", []any{"c", "b"})}, want: map[string]any{"union": []any{"a", "b", "c"}}},
		{name: "union with unset list", card: "list.union", in: []engine.Field{ov("list2", []any{"c"})}, want: map[string]any{"union": []any{"c"}}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/list/list_difference.htm
		{name: "difference keeps list1 duplicates", card: "list.difference", in: []engine.Field{ov("list1", []any{"a", "b", "a", "c"}), ov("list2", []any{"b"})},
			want: map[string]any{"list": []any{"a", "a", "c"}}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/List/list_join.htm
		{name: "list to text", card: "list.toText", in: []engine.Field{ov("list", []any{"a", 1.0, true, nil}), ov("delimiter", ", ")}, want: map[string]any{"string": "a, 1, true, "}},
		{name: "list to text no separator", card: "list.toText", in: []engine.Field{ov("list", []any{"a", "b"})}, want: map[string]any{"string": "ab"}},
		{name: "list to text of objects fails", card: "list.toText", in: []engine.Field{ov("list", olPeople)}, errIn: "list"},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/list/list_shift.htm
		{name: "first item", card: "list.first", in: []engine.Field{ov("list", four)}, want: map[string]any{"item": "one", "list": []any{"two", "three", "four"}}},
		{name: "first of empty", card: "list.first", in: []engine.Field{ov("list", []any{})}, want: map[string]any{"item": nil, "list": []any{}}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/list/list_pop.htm
		{name: "last item", card: "list.last", in: []engine.Field{ov("list", four)}, want: map[string]any{"item": "four", "list": []any{"one", "two", "three"}}},
		{name: "last of empty", card: "list.last", in: []engine.Field{ov("list", []any{})}, want: map[string]any{"item": nil, "list": []any{}}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/list/list_push.htm
		{name: "add to end", card: "list.addToEnd", in: []engine.Field{ov("list", []any{"a"}), ov("item", []any{"b"})}, want: map[string]any{"list": []any{"a", []any{"b"}}}},
		{name: "add to end of unset", card: "list.addToEnd", in: []engine.Field{ov("item", "x")}, want: map[string]any{"list": []any{"x"}}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/list/list_sample.htm
		{name: "sample all", card: "list.sample", in: []engine.Field{ov("list", []any{"a"}), ov("amount", 10.0)}, want: map[string]any{"samples": []any{"a"}}},
		{name: "sample zero", card: "list.sample", in: []engine.Field{ov("list", four), ov("amount", 0.0)}, want: map[string]any{"samples": []any{}}},
		{name: "sample negative", card: "list.sample", in: []engine.Field{ov("list", four), ov("amount", -1.0)}, errIn: "amount"},
	})
}

func TestListSampleDistinct(t *testing.T) {
	l := []any{1.0, 2.0, 3.0, 4.0, 5.0, 6.0}
	for i := 0; i < 20; i++ {
		got, err := olRun(t, nil, olCase{card: "list.sample", in: []engine.Field{ov("list", l), ov("amount", 3.0)}})
		if err != nil {
			t.Fatal(err)
		}
		s := got["samples"].([]any)
		seen := map[any]bool{}
		for _, x := range s {
			if seen[x] {
				t.Fatalf("sample repeats an item: %v", s)
			}
			seen[x] = true
		}
		if len(s) != 3 {
			t.Fatalf("sample size %d", len(s))
		}
	}
}

func BenchmarkListAt(b *testing.B) {
	olBench(b, olCase{card: "list.at", in: []engine.Field{ov("list", olPeople), ov("index", 1.0)}})
}
func BenchmarkListConstruct(b *testing.B) {
	olBench(b, olCase{card: "list.construct", in: []engine.Field{ov("a", "x"), ov("b", "y"), ov("c", olUser)}})
}
func BenchmarkListPluck(b *testing.B) {
	olBench(b, olCase{card: "list.pluck", in: []engine.Field{ov("list", olPeople), ov("key", "name")}})
}
func BenchmarkListLength(b *testing.B) {
	olBench(b, olCase{card: "list.length", in: []engine.Field{ov("list", olPeople)}})
}
func BenchmarkListFind(b *testing.B) {
	olBench(b, olCase{card: "list.find", in: []engine.Field{ov("list", olPeople), ov("operator", "=="), ov("path", "name"), ov("comparison", "Emily")}})
}
