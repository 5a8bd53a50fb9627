package functions

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// List cards (Okta kernel module "list"). For Each, Map, Reduce and Filter
// Custom are engine control cards (engine/control.go).

func init() {
	for _, s := range listCards() {
		engine.Register(s)
	}
}

// olFindOperators are the operators of Find and Filter (Okta's choices on
// those cards: the comparison operators plus === and !==; Filter adds the
// unary is empty / is not empty).
var olFindOperators = func() []engine.Choice {
	var out []engine.Choice
	for _, c := range engine.Operators {
		out = append(out, c)
	}
	return out
}()

func listCards() []*engine.Spec {
	list := engine.T("any[]")
	anyT := engine.T("any")
	str := engine.T("string")
	num := engine.T("number")
	reqList := engine.FieldSpec{Key: "list", Type: list, Required: true}
	two := []engine.FieldSpec{{Key: "list1", Type: list}, {Key: "list2", Type: list}}
	matchInputs := []engine.FieldSpec{reqList,
		{Key: "operator", Type: str, Required: true, Choices: olFindOperators},
		{Key: "path", Type: str, Description: "key or dot path inside each item; empty for a list of plain values"},
		{Key: "comparison", Type: anyT}}
	return []*engine.Spec{
		{ID: "list.construct", Okta: []string{"list:construct"}, Title: "Construct", Category: "List", Kind: engine.KindFunction,
			ExtensibleInputs: true, Outputs: []engine.FieldSpec{{Key: "list", Type: list}},
			DocURL:      olHelp + "list/list_construct.htm",
			Description: "A new list of the inputs you add, in card order (an unset input gives a null item).",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				out := make([]any, 0, len(in.Card.Inputs))
				seen := map[string]bool{}
				for i := range in.Card.Inputs {
					k := in.Card.Inputs[i].Key
					if !seen[k] {
						seen[k] = true
						out = append(out, in.Values[k])
					}
				}
				return engine.Outputs{"list": out}, nil
			}},
		{ID: "list.at", Okta: []string{"list:at"}, Title: "At", Category: "List", Kind: engine.KindFunction,
			Inputs:  []engine.FieldSpec{reqList, {Key: "index", Type: num, Required: true}},
			Outputs: []engine.FieldSpec{{Key: "item", Type: anyT}},
			DocURL:  olHelp + "list/list_at.htm",
			Description: "The item at a position counted from 0. A negative index counts from the end (-1 is the last item); " +
				"a fractional index is truncated; an index outside the list gives null.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				l := in.Values["list"].([]any)
				i := int(math.Trunc(in.Values["index"].(float64)))
				if i < 0 {
					i += len(l)
				}
				if i < 0 || i >= len(l) {
					return engine.Outputs{"item": nil}, nil
				}
				return engine.Outputs{"item": l[i]}, nil
			}},
		{ID: "list.length", Okta: []string{"list:length"}, Title: "Length", Category: "List", Kind: engine.KindFunction,
			Inputs: []engine.FieldSpec{reqList}, Outputs: []engine.FieldSpec{{Key: "length", Type: num}},
			DocURL:      olHelp + "list/list_length.htm",
			Description: "The number of items in the list.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				return engine.Outputs{"length": float64(len(in.Values["list"].([]any)))}, nil
			}},
		{ID: "list.pluck", Okta: []string{"list:pluck"}, Title: "Pluck", Category: "List", Kind: engine.KindFunction,
			Inputs:  []engine.FieldSpec{reqList, {Key: "key", Type: str, Required: true}},
			Outputs: []engine.FieldSpec{{Key: "values", Type: list}},
			DocURL:  olHelp + "list/list_pluck.htm",
			Description: "For a list of objects, the value at a key or dot path of each item, in order. " +
				"An item without that key gives null, so the result has as many items as the list.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				l := in.Values["list"].([]any)
				k, _ := in.Values["key"].(string)
				out := make([]any, len(l))
				for i, item := range l {
					out[i] = olLookup(item, k)
				}
				return engine.Outputs{"values": out}, nil
			}},
		{ID: "list.find", Okta: []string{"list:findBy"}, Title: "Find", Category: "List", Kind: engine.KindFunction,
			Inputs:  matchInputs,
			Outputs: []engine.FieldSpec{{Key: "item", Type: anyT}, {Key: "index", Type: num}},
			DocURL:  olHelp + "list/list_findby.htm",
			Description: "The first item for which `item[path] <operator> comparison` holds, and its index (from 0). When nothing matches, item is null and index is -1. " +
				"The comparison follows the declared type of the comparison field (number: numerically; text: alphabetically); `in` tests whether the item's value is part of the comparison " +
				"(text contained in it, or a member of a list); === and !== also require the same type. An item whose value cannot be compared does not match.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				l := in.Values["list"].([]any)
				for i, item := range l {
					ok, err := olMatch(in, item)
					if err != nil {
						return nil, err
					}
					if ok {
						return engine.Outputs{"item": item, "index": float64(i)}, nil
					}
				}
				return engine.Outputs{"item": nil, "index": float64(-1)}, nil
			}},
		{ID: "list.filter", Okta: []string{"list:filterBy"}, Title: "Filter", Category: "List", Kind: engine.KindFunction,
			Inputs:  matchInputs,
			Outputs: []engine.FieldSpec{{Key: "list", Type: list}},
			DocURL:  olHelp + "List/list_filterby.htm",
			Description: "The items for which `item[path] <operator> comparison` holds, in order (same comparison rules as Find). " +
				"With `in`, each item's value is looked up in the comparison (\"No\" in \"No-code\" holds), not the reverse — use Filter Custom for \"contains\".",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				l := in.Values["list"].([]any)
				out := []any{}
				for _, item := range l {
					ok, err := olMatch(in, item)
					if err != nil {
						return nil, err
					}
					if ok {
						out = append(out, item)
					}
				}
				return engine.Outputs{"list": out}, nil
			}},
		{ID: "list.sort", Okta: []string{"list:sortBy"}, Title: "Sort", Category: "List", Kind: engine.KindFunction,
			Inputs:  []engine.FieldSpec{reqList, {Key: "path", Type: str}},
			Outputs: []engine.FieldSpec{{Key: "sorted list", Type: list}},
			DocURL:  olHelp + "list/list_sortby.htm",
			Description: "The list in ascending order of each item (or of the value at path in each item). Numbers sort numerically, true/false as false < true, " +
				"everything else as text (dates in ISO form sort chronologically). Items without a value go last; equal items keep their order.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				l := in.Values["list"].([]any)
				p, _ := in.Values["path"].(string)
				keys := make([]any, len(l))
				idx := make([]int, len(l))
				for i, item := range l {
					keys[i], idx[i] = olLookup(item, p), i
				}
				sort.SliceStable(idx, func(a, b int) bool { return olLess(keys[idx[a]], keys[idx[b]]) })
				out := make([]any, len(l))
				for i, j := range idx {
					out[i] = l[j]
				}
				return engine.Outputs{"sorted list": out}, nil
			}},
		{ID: "list.removeDuplicates", Okta: []string{"list:uniqueBy"}, Title: "Remove Duplicates", Category: "List", Kind: engine.KindFunction,
			Inputs:  []engine.FieldSpec{reqList, {Key: "path", Type: str}},
			Outputs: []engine.FieldSpec{{Key: "unique list", Type: list}},
			DocURL:  olHelp + "List/list_uniqueby.htm",
			Description: "The list keeping only the first item for each distinct value at path (the whole item when path is empty or the items are not objects). " +
				"Values are equal when they have the same type and content (1 and \"1\" differ; objects compare by content).",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				l := in.Values["list"].([]any)
				p, _ := in.Values["path"].(string)
				seen := map[string]bool{}
				out := []any{}
				for _, item := range l {
					k := item
					if _, isObj := item.(map[string]any); isObj && p != "" {
						k = olLookup(item, p)
					}
					if key := olKey(k); !seen[key] {
						seen[key] = true
						out = append(out, item)
					}
				}
				return engine.Outputs{"unique list": out}, nil
			}},
		{ID: "list.flatten", Okta: []string{"list:flatten"}, Title: "Flatten", Category: "List", Kind: engine.KindFunction,
			Inputs:      []engine.FieldSpec{{Key: "lists", Type: list, Required: true}},
			Outputs:     []engine.FieldSpec{{Key: "list", Type: list}},
			DocURL:      olHelp + "list/list_flatten.htm",
			Description: "Joins a list of lists into one list, one level deep ([[1,2],[3,[4]]] gives [1,2,3,[4]]); items that are not lists are kept as they are.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				out := []any{}
				for _, item := range in.Values["lists"].([]any) {
					if sub, ok := item.([]any); ok {
						out = append(out, sub...)
					} else {
						out = append(out, item)
					}
				}
				return engine.Outputs{"list": out}, nil
			}},
		{ID: "list.includes", Okta: []string{"list:includes"}, Title: "Includes", Category: "List", Kind: engine.KindFunction,
			Inputs:  []engine.FieldSpec{reqList, {Key: "value", Type: anyT}},
			Outputs: []engine.FieldSpec{{Key: "result", Type: engine.T("boolean")}},
			DocURL:  olHelp + "list/list_includes.htm",
			Description: "True when an item of the list equals the value. Plain values compare as text (5 and \"5\" are equal, matching how the value field converts), " +
				"objects and lists by content.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				v := in.Values["value"]
				for _, item := range in.Values["list"].([]any) {
					if olLooseEqual(item, v) {
						return engine.Outputs{"result": true}, nil
					}
				}
				return engine.Outputs{"result": false}, nil
			}},
		{ID: "list.intersection", Okta: []string{"list:intersection"}, Title: "Intersection", Category: "List", Kind: engine.KindFunction,
			Inputs: two, Outputs: []engine.FieldSpec{{Key: "list", Type: list}},
			DocURL:      olHelp + "list/list_intersection.htm",
			Description: "The distinct items of list 1 that are also in list 2, in list 1's order. Items are equal when they have the same type and content.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				in2 := olSet2(in.Values["list2"])
				seen := map[string]bool{}
				out := []any{}
				for _, item := range olList(in.Values["list1"]) {
					if k := olKey(item); in2[k] && !seen[k] {
						seen[k] = true
						out = append(out, item)
					}
				}
				return engine.Outputs{"list": out}, nil
			}},
		{ID: "list.union", Okta: []string{"list:union"}, Title: "Union (Combine Unique)", Category: "List", Kind: engine.KindFunction,
			Inputs: two, Outputs: []engine.FieldSpec{{Key: "union", Type: list}},
			DocURL:      olHelp + "list/list_union.htm",
			Description: "The distinct items of both lists: list 1's then list 2's, first occurrence kept. Items are equal when they have the same type and content.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				seen := map[string]bool{}
				out := []any{}
				for _, l := range []any{in.Values["list1"], in.Values["list2"]} {
					for _, item := range olList(l) {
						if k := olKey(item); !seen[k] {
							seen[k] = true
							out = append(out, item)
						}
					}
				}
				return engine.Outputs{"union": out}, nil
			}},
		{ID: "list.difference", Okta: []string{"list:difference"}, Title: "Difference", Category: "List", Kind: engine.KindFunction,
			Inputs: two, Outputs: []engine.FieldSpec{{Key: "list", Type: list}},
			DocURL:      olHelp + "list/list_difference.htm",
			Description: "The items of list 1 that are not in list 2, in list 1's order (duplicates in list 1 are kept). Items are equal when they have the same type and content.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				in2 := olSet2(in.Values["list2"])
				out := []any{}
				for _, item := range olList(in.Values["list1"]) {
					if !in2[olKey(item)] {
						out = append(out, item)
					}
				}
				return engine.Outputs{"list": out}, nil
			}},
		{ID: "list.toText", Okta: []string{"list:join"}, Title: "List to Text", Category: "List", Kind: engine.KindFunction,
			Inputs:  []engine.FieldSpec{reqList, {Key: "delimiter", Label: "separator", Type: str}},
			Outputs: []engine.FieldSpec{{Key: "string", Type: str}},
			DocURL:  olHelp + "List/list_join.htm",
			Description: "Joins the items into one text with the separator between them (none when empty). Works for text, numbers, true/false and dates; " +
				"null items give empty text; a list of objects or lists is an error (Pluck a key first).",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				l := in.Values["list"].([]any)
				sep, _ := in.Values["delimiter"].(string)
				parts := make([]string, len(l))
				for i, item := range l {
					switch item.(type) {
					case map[string]any, []any:
						return nil, engine.InputErrorf("list", "item %d is an object or list; List to Text joins text, numbers, true/false and dates (use Pluck first)", i)
					}
					parts[i] = engine.ToText(item)
				}
				return engine.Outputs{"string": strings.Join(parts, sep)}, nil
			}},
		{ID: "list.first", Okta: []string{"list:shift"}, Title: "Get First Item", Category: "List", Kind: engine.KindFunction,
			Inputs:      []engine.FieldSpec{reqList},
			Outputs:     []engine.FieldSpec{{Key: "item", Type: anyT}, {Key: "list", Type: list}},
			DocURL:      olHelp + "list/list_shift.htm",
			Description: "The first item, and the list without it. An empty list gives null and an empty list.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				l := in.Values["list"].([]any)
				if len(l) == 0 {
					return engine.Outputs{"item": nil, "list": []any{}}, nil
				}
				return engine.Outputs{"item": l[0], "list": append([]any{}, l[1:]...)}, nil
			}},
		{ID: "list.last", Okta: []string{"list:pop"}, Title: "Get Last Item", Category: "List", Kind: engine.KindFunction,
			Inputs:      []engine.FieldSpec{reqList},
			Outputs:     []engine.FieldSpec{{Key: "item", Type: anyT}, {Key: "list", Type: list}},
			DocURL:      olHelp + "list/list_pop.htm",
			Description: "The last item, and the list without it. An empty list gives null and an empty list.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				l := in.Values["list"].([]any)
				if len(l) == 0 {
					return engine.Outputs{"item": nil, "list": []any{}}, nil
				}
				return engine.Outputs{"item": l[len(l)-1], "list": append([]any{}, l[:len(l)-1]...)}, nil
			}},
		{ID: "list.addToEnd", Okta: []string{"list:push"}, Title: "Add to End", Category: "List", Kind: engine.KindFunction,
			Inputs:      []engine.FieldSpec{{Key: "list", Type: list}, {Key: "item", Type: anyT}},
			Outputs:     []engine.FieldSpec{{Key: "list", Type: list}},
			DocURL:      olHelp + "list/list_push.htm",
			Description: "A new list: the list (empty when unset) with the item added at the end (a list item is added as one item, not spread).",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				l := olList(in.Values["list"])
				out := make([]any, len(l), len(l)+1)
				copy(out, l)
				return engine.Outputs{"list": append(out, in.Values["item"])}, nil
			}},
		{ID: "list.sample", Okta: []string{"list:sample"}, Title: "Sample", Category: "List", Kind: engine.KindFunction,
			Inputs:  []engine.FieldSpec{reqList, {Key: "amount", Type: num, Required: true}},
			Outputs: []engine.FieldSpec{{Key: "samples", Type: list}},
			DocURL:  olHelp + "list/list_sample.htm",
			Description: "Up to amount items picked at random, each position at most once, in random order. An amount larger than the list gives the whole list shuffled; " +
				"a negative amount is an error.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				l := in.Values["list"].([]any)
				n := int(in.Values["amount"].(float64))
				if n < 0 {
					return nil, engine.InputErrorf("amount", "must be 0 or more, got %d", n)
				}
				n = min(n, len(l))
				perm := rand.Perm(len(l))
				out := make([]any, n)
				for i := 0; i < n; i++ {
					out[i] = l[perm[i]]
				}
				return engine.Outputs{"samples": out}, nil
			}},
	}
}

func olList(v any) []any {
	l, _ := v.([]any)
	return l
}

// olKey is a same-type, same-content identity of a value.
func olKey(v any) string {
	switch x := v.(type) {
	case nil:
		return "n"
	case string:
		return "s" + x
	case float64:
		return "f" + engine.FormatNumber(x)
	case bool:
		if x {
			return "bt"
		}
		return "bf"
	}
	b, _ := json.Marshal(v) // maps marshal with sorted keys
	return "j" + string(b)
}

func olSet2(v any) map[string]bool {
	l := olList(v)
	m := make(map[string]bool, len(l))
	for _, item := range l {
		m[olKey(item)] = true
	}
	return m
}

func olLooseEqual(a, b any) bool {
	switch a.(type) {
	case map[string]any, []any:
		return olKey(a) == olKey(b)
	}
	switch b.(type) {
	case map[string]any, []any:
		return false
	}
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return engine.ToText(a) == engine.ToText(b)
}

// olLess orders values for Sort: empty last, numbers numerically, booleans
// false < true, else text.
func olLess(a, b any) bool {
	if a == nil || b == nil {
		return a != nil && b == nil
	}
	if x, ok := a.(float64); ok {
		if y, ok := b.(float64); ok {
			return x < y
		}
	}
	if x, ok := a.(bool); ok {
		if y, ok := b.(bool); ok {
			return !x && y
		}
	}
	return engine.ToText(a) < engine.ToText(b)
}

// olMatch evaluates item[path] <operator> comparison for Find and Filter.
func olMatch(in engine.Inputs, item any) (bool, error) {
	op, _ := in.Values["operator"].(string)
	p, _ := in.Values["path"].(string)
	var typ *engine.Type
	if f := in.Card.Input("comparison"); f != nil && f.Type != nil && f.Type.Kind != engine.KindAny && !f.Type.List {
		typ = f.Type
	}
	v := olLookup(item, p)
	ok, err := engine.Compare(v, op, in.Values["comparison"], typ)
	if err == nil {
		return ok, nil
	}
	var fe *engine.FieldError
	if errors.As(err, &fe) {
		switch fe.Key {
		case "left-operand":
			return false, nil // this item's value cannot be compared: no match
		case "right-operand":
			return false, engine.InputErrorf("comparison", "%v", fe.Err)
		}
		return false, engine.InputErrorf("operator", "%v", fe.Err)
	}
	return false, engine.InputErrorf("operator", "%v", err)
}
