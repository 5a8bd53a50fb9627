package functions

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// olFlows is a FlowSource over a map (helper flows of tests).
type olFlows map[string]*engine.Flow

func (m olFlows) Flow(_ context.Context, id string) (*engine.Flow, error) {
	if f, ok := m[id]; ok {
		return f, nil
	}
	return nil, fmt.Errorf("flow %q not found", id)
}

// olCase is one row of the object/list/flow card tables.
type olCase struct {
	name  string
	card  string
	in    []engine.Field
	outs  []engine.Field
	flow  string         // helper flow id (card.flow)
	want  map[string]any // checked outputs
	errIn string         // expected error naming this input ("-" = any error)
}

// olRun runs the card as the only card of a Manual Run flow through the
// real executor ex (nil: a fresh one).
func olRun(tb testing.TB, ex *engine.Executor, c olCase) (map[string]any, error) {
	tb.Helper()
	if ex == nil {
		ex = engine.NewExecutor(nil, nil, nil)
	}
	f := &engine.Flow{Format: engine.FlowFormat, ID: "t-" + c.card, Name: "test " + c.card,
		Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards:   []engine.Card{{ID: "c", Type: c.card, Flow: c.flow, Inputs: c.in, Outputs: c.outs}}}
	run, err := ex.Run(context.Background(), f, nil, engine.RunOptions{})
	if err != nil {
		return nil, err
	}
	for _, rec := range run.Cards {
		if rec.ID == "c" {
			return rec.Outputs, nil
		}
	}
	tb.Fatal("card record missing")
	return nil, nil
}

func olCheck(t *testing.T, ex *engine.Executor, cases []olCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := olRun(t, ex, c)
			if c.errIn != "" {
				var ce *engine.CardError
				if !errors.As(err, &ce) {
					t.Fatalf("want a card error on %q, got %v (outputs %v)", c.errIn, err, got)
				}
				if c.errIn != "-" && ce.Input != c.errIn {
					t.Fatalf("error names %q, want %q: %v", ce.Input, c.errIn, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			for k, w := range c.want {
				if g, ok := got[k]; !ok || !reflect.DeepEqual(g, w) {
					t.Errorf("output %q = %#v, want %#v", k, g, w)
				}
			}
		})
	}
}

func ov(key string, val any) engine.Field { return engine.Field{Key: key, Value: val} }
func ot(key, typ string, val any) engine.Field {
	return engine.Field{Key: key, Type: engine.T(typ), Value: val}
}
func oOut(key string) engine.Field { return engine.Field{Key: key} }

var olUser = map[string]any{"name": "Bob", "user.mfa": "dotted", "profile": map[string]any{"login": "bob@x.io", "tags": []any{"a", "b"}},
	"parts": []any{map[string]any{"partno": 1.0}, map[string]any{"partno": 2.0}}}

func TestObjectCards(t *testing.T) {
	olCheck(t, nil, []olCase{
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Object/object_construct.htm
		{name: "construct keeps types", card: "object.construct", in: []engine.Field{ot("n", "number", "5"), ov("s", "x"), ov("o", map[string]any{"a": 1.0}), ov("unset", nil)},
			want: map[string]any{"output": map[string]any{"n": 5.0, "s": "x", "o": map[string]any{"a": 1.0}, "unset": nil}}},
		{name: "construct empty", card: "object.construct", want: map[string]any{"output": map[string]any{}}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Object/object_get.htm
		{name: "get key", card: "object.get", in: []engine.Field{ov("object", olUser), ov("path", "name")}, want: map[string]any{"output": "Bob"}},
		{name: "get dot path with list index", card: "object.get", in: []engine.Field{ov("object", olUser), ov("path", "parts.1.partno")}, want: map[string]any{"output": 2.0}},
		{name: "get negative index", card: "object.get", in: []engine.Field{ov("object", olUser), ov("path", "profile.tags.-1")}, want: map[string]any{"output": "b"}},
		{name: "get dotted key as written", card: "object.get", in: []engine.Field{ov("object", olUser), ov("path", "user.mfa")}, want: map[string]any{"output": "dotted"}},
		{name: "get missing is null", card: "object.get", in: []engine.Field{ov("object", olUser), ov("path", "profile.nope.x")}, want: map[string]any{"output": nil}},
		{name: "get out of range is null", card: "object.get", in: []engine.Field{ov("object", olUser), ov("path", "parts.9")}, want: map[string]any{"output": nil}},
		{name: "get from JSON text", card: "object.get", in: []engine.Field{ov("object", `{"all":[{"b":1},{"b":2},{"b":3}]}`), ov("path", "all.2.b")}, want: map[string]any{"output": 3.0}},
		{name: "get from plain text fails", card: "object.get", in: []engine.Field{ov("object", "hello"), ov("path", "a")}, errIn: "object"},
		{name: "get without path fails", card: "object.get", in: []engine.Field{ov("object", olUser)}, errIn: "path"},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Object/object_pick.htm
		{name: "get multiple", card: "object.getMultiple", in: []engine.Field{ov("object", olUser)},
			outs: []engine.Field{oOut("name"), oOut("profile.login"), oOut("parts.1.partno"), oOut("missing.key")},
			want: map[string]any{"name": "Bob", "profile.login": "bob@x.io", "parts.1.partno": 2.0, "missing.key": nil}},
		{name: "get multiple on a list", card: "object.getMultiple", in: []engine.Field{ov("object", []any{map[string]any{"type": "sms"}})},
			outs: []engine.Field{oOut("0.type")}, want: map[string]any{"0.type": "sms"}},
		// format: object:expand (flopack-format.md §4.4)
		{name: "expand JSON path, dot path, key path", card: "object.expand", in: []engine.Field{ov("object", olUser)},
			outs: []engine.Field{{Key: "g1", Group: `["user.mfa"]`}, {Key: "g2", Group: "profile.login"}, {Key: "parts.0.partno"}, {Key: "g2#key", Group: "profile.login"}, {Key: "g3", Group: `["nope","x"]`}},
			want: map[string]any{"g1": "dotted", "g2": "bob@x.io", "parts.0.partno": 1.0, "g2#key": []any{"profile", "login"}, "g3": nil}},
		{name: "expand bad JSON path", card: "object.expand", in: []engine.Field{ov("object", olUser)}, outs: []engine.Field{{Key: "g", Group: `["x"`}}, errIn: "g"},
		{name: "expand null object", card: "object.expand", outs: []engine.Field{{Key: "a"}}, want: map[string]any{"a": nil}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Object/object_set.htm
		{name: "set new nested key", card: "object.set", in: []engine.Field{ov("object", map[string]any{"a": 1.0}), ov("path", "b.c"), ov("value", "x")},
			want: map[string]any{"output": map[string]any{"a": 1.0, "b": map[string]any{"c": "x"}}}},
		{name: "set replaces", card: "object.set", in: []engine.Field{ov("object", map[string]any{"a": 1.0}), ov("path", "a"), ot("value", "number", "2")},
			want: map[string]any{"output": map[string]any{"a": 2.0}}},
		{name: "set list index and append", card: "object.set", in: []engine.Field{ov("object", map[string]any{"l": []any{1.0, 2.0}}), ov("path", "l.2"), ov("value", 3.0)},
			want: map[string]any{"output": map[string]any{"l": []any{1.0, 2.0, 3.0}}}},
		{name: "set on empty object", card: "object.set", in: []engine.Field{ov("path", "k"), ov("value", true)}, want: map[string]any{"output": map[string]any{"k": true}}},
		{name: "set index out of range", card: "object.set", in: []engine.Field{ov("object", map[string]any{"l": []any{1.0}}), ov("path", "l.5"), ov("value", 3.0)}, errIn: "path"},
		{name: "set into text fails", card: "object.set", in: []engine.Field{ov("object", map[string]any{"a": "t"}), ov("path", "a.b"), ov("value", 3.0)}, errIn: "path"},
		{name: "set on a list input fails", card: "object.set", in: []engine.Field{ov("object", []any{1.0}), ov("path", "a"), ov("value", 3.0)}, errIn: "object"},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Object/object_merge.htm
		{name: "merge last wins", card: "object.merge", in: []engine.Field{ov("start", map[string]any{"email": "a@x", "id": 1.0}), ov("sink", map[string]any{"email": "b@x", "n": map[string]any{"z": 1.0}})},
			want: map[string]any{"output": map[string]any{"email": "b@x", "id": 1.0, "n": map[string]any{"z": 1.0}}}},
		{name: "merge swapped order", card: "object.merge", in: []engine.Field{ov("sink", map[string]any{"email": "a@x"}), ov("start", map[string]any{"email": "b@x"})},
			want: map[string]any{"output": map[string]any{"email": "a@x"}}},
		{name: "merge shallow with extra objects", card: "object.merge", in: []engine.Field{ov("start", map[string]any{"n": map[string]any{"a": 1.0}}), ov("sink", nil), ov("third", map[string]any{"n": map[string]any{"b": 2.0}})},
			want: map[string]any{"output": map[string]any{"n": map[string]any{"b": 2.0}}}},
		{name: "merge non-object extra", card: "object.merge", in: []engine.Field{ov("start", map[string]any{}), ov("extra", []any{1.0})}, errIn: "extra"},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Object/object_keys.htm
		{name: "keys sorted", card: "object.keys", in: []engine.Field{ov("object", map[string]any{"b": 1.0, "a": 2.0})}, want: map[string]any{"keys": []any{"a", "b"}}},
		{name: "keys of empty", card: "object.keys", in: []engine.Field{ov("object", map[string]any{})}, want: map[string]any{"keys": []any{}}},
		{name: "keys of text fails", card: "object.keys", in: []engine.Field{ov("object", "nope")}, errIn: "object"},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Object/object_values.htm
		{name: "values in key order", card: "object.values", in: []engine.Field{ov("object", map[string]any{"b": 1.0, "a": "x"})}, want: map[string]any{"values": []any{"x", 1.0}}},
		// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Object/object_clearempty.htm
		{name: "clear empty recursive (doc example)", card: "object.clearEmpty",
			in:   []engine.Field{ov("object", map[string]any{"Name": "Emily", "Age": "", "Settings": map[string]any{"test": map[string]any{}, "test2": "value2"}}), ov("recursive", true)},
			want: map[string]any{"output": map[string]any{"Name": "Emily", "Settings": map[string]any{"test2": "value2"}}}},
		{name: "clear empty top level (doc example)", card: "object.clearEmpty",
			in:   []engine.Field{ov("object", map[string]any{"Name": "Emily", "Age": "", "Settings": map[string]any{"test": map[string]any{}, "test2": "value2"}}), ov("recursive", false)},
			want: map[string]any{"output": map[string]any{"Name": "Emily", "Settings": map[string]any{"test": map[string]any{}, "test2": "value2"}}}},
		{name: "clear empty default recursive, keeps 0/false, drops emptied", card: "object.clearEmpty",
			in:   []engine.Field{ov("object", map[string]any{"z": 0.0, "f": false, "n": nil, "l": []any{}, "o": map[string]any{"x": nil}, "items": []any{map[string]any{"a": "", "b": 1.0}, ""}})},
			want: map[string]any{"output": map[string]any{"z": 0.0, "f": false, "items": []any{map[string]any{"b": 1.0}, ""}}}},
	})
}

func TestObjectMapToList(t *testing.T) {
	// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/object/object_map.htm
	helper := &engine.Flow{Format: engine.FlowFormat, ID: "h", Name: "pair",
		Trigger: engine.Card{ID: "trigger", Type: "flow.helper", Outputs: []engine.Field{{Key: "k"}, {Key: "v"}, {Key: "fail"}}},
		Cards: []engine.Card{
			{ID: "err", Type: "flow.returnErrorIf", Inputs: []engine.Field{{Key: "left-operand", From: &engine.Binding{Card: "trigger", Path: []string{"v"}}},
				{Key: "operator", Value: "=="}, {Key: "right-operand", Value: "boom"}, {Key: "message", Value: "boom"}}},
			{ID: "r", Type: "flow.return", Inputs: []engine.Field{
				{Key: "k", From: &engine.Binding{Card: "trigger", Path: []string{"k"}}},
				{Key: "i", From: &engine.Binding{Card: "trigger", Path: []string{"context", "index"}}}}}}}
	ex := engine.NewExecutor(olFlows{"h": helper}, nil, nil)
	items := []engine.Field{{Key: "k", Item: &engine.ItemMapping{Path: "key"}}, {Key: "v", Item: &engine.ItemMapping{Path: "value"}}}
	olCheck(t, ex, []olCase{
		{name: "one call per key in key order", card: "object.mapToList", flow: "h",
			in:   append([]engine.Field{ov("object", map[string]any{"b": 2.0, "a": 1.0}), ov("concurrency", 2.0)}, items...),
			want: map[string]any{"new list": []any{map[string]any{"k": "a", "i": 0.0}, map[string]any{"k": "b", "i": 1.0}}}},
		{name: "empty object", card: "object.mapToList", flow: "h", in: []engine.Field{ov("object", map[string]any{})}, want: map[string]any{"new list": []any{}}},
		{name: "helper failure fails the card", card: "object.mapToList", flow: "h", in: append([]engine.Field{ov("object", map[string]any{"x": "boom"})}, items...), errIn: "-"},
		{name: "no helper chosen", card: "object.mapToList", in: []engine.Field{ov("object", map[string]any{"x": 1.0})}, errIn: "flo"},
	})
}

var olSink atomic.Value

func BenchmarkObjectConstruct(b *testing.B) {
	olBench(b, olCase{card: "object.construct", in: []engine.Field{ov("a", "x"), ot("n", "number", 5.0), ov("o", olUser)}})
}
func BenchmarkObjectGet(b *testing.B) {
	olBench(b, olCase{card: "object.get", in: []engine.Field{ov("object", olUser), ov("path", "parts.1.partno")}})
}
func BenchmarkObjectGetMultiple(b *testing.B) {
	olBench(b, olCase{card: "object.getMultiple", in: []engine.Field{ov("object", olUser)}, outs: []engine.Field{oOut("name"), oOut("profile.login")}})
}
func BenchmarkObjectExpand(b *testing.B) {
	olBench(b, olCase{card: "object.expand", in: []engine.Field{ov("object", olUser)}, outs: []engine.Field{{Key: "g", Group: `["profile","login"]`}}})
}
func BenchmarkObjectMerge(b *testing.B) {
	olBench(b, olCase{card: "object.merge", in: []engine.Field{ov("start", olUser), ov("sink", map[string]any{"x": 1.0})}})
}

// olBench runs one card per iteration through the executor (plan cached).
func olBench(b *testing.B, c olCase) {
	ex := engine.NewExecutor(nil, nil, nil)
	f := &engine.Flow{Format: engine.FlowFormat, ID: "b-" + c.card, Name: "bench",
		Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards:   []engine.Card{{ID: "c", Type: c.card, Flow: c.flow, Inputs: c.in, Outputs: c.outs}}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		run, err := ex.Run(ctx, f, nil, engine.RunOptions{})
		if err != nil {
			b.Fatal(err)
		}
		olSink.Store(run)
	}
}
