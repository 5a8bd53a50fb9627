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

func TestObjectMap(t *testing.T) {
	// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/object/object_process.htm
	// The helper prefixes each key, and drops the key "skip" with a Continue If.
	helper := &engine.Flow{Format: engine.FlowFormat, ID: "h", Name: "prefix",
		Trigger: engine.Card{ID: "trigger", Type: "flow.helper", Outputs: []engine.Field{{Key: "k"}, {Key: "v"}, {Key: "prefix"}}},
		Cards: []engine.Card{
			{ID: "ci", Type: "flow.continueIf", Inputs: []engine.Field{{Key: "left-operand", From: &engine.Binding{Card: "trigger", Path: []string{"k"}}},
				{Key: "operator", Value: "!="}, {Key: "right-operand", Value: "skip"}}},
			{ID: "cat", Type: "text.concat", Inputs: []engine.Field{{Key: "string 1", From: &engine.Binding{Card: "trigger", Path: []string{"prefix"}}},
				{Key: "string 2", From: &engine.Binding{Card: "trigger", Path: []string{"k"}}}}},
			{ID: "r", Type: "flow.return", Inputs: []engine.Field{
				{Key: "key", From: &engine.Binding{Card: "cat", Path: []string{"output"}}},
				{Key: "value", From: &engine.Binding{Card: "trigger", Path: []string{"v"}}}}}}}
	noKey := &engine.Flow{Format: engine.FlowFormat, ID: "nokey", Name: "nokey",
		Trigger: engine.Card{ID: "trigger", Type: "flow.helper", Outputs: []engine.Field{{Key: "v"}}},
		Cards:   []engine.Card{{ID: "r", Type: "flow.return", Inputs: []engine.Field{{Key: "value", From: &engine.Binding{Card: "trigger", Path: []string{"v"}}}}}}}
	ex := engine.NewExecutor(olFlows{"h": helper, "nokey": noKey}, nil, nil)
	items := []engine.Field{{Key: "k", Item: &engine.ItemMapping{Path: "key"}}, {Key: "v", Item: &engine.ItemMapping{Path: "value"}}}
	if _, ok := engine.Default().ByOkta("object:process"); !ok {
		t.Fatal("object:process not registered")
	}
	olCheck(t, ex, []olCase{
		{name: "keys renamed, one dropped", card: "object.map", flow: "h",
			in:   append([]engine.Field{ov("object", map[string]any{"this": "that", "up": "down", "skip": 1.0}), ov("prefix", "custom:")}, items...),
			want: map[string]any{"output": map[string]any{"custom:this": "that", "custom:up": "down"}}},
		{name: "empty object", card: "object.map", flow: "h", in: []engine.Field{ov("object", map[string]any{})}, want: map[string]any{"output": map[string]any{}}},
		{name: "return without key", card: "object.map", flow: "nokey", in: append([]engine.Field{ov("object", map[string]any{"a": 1.0})}, items...), errIn: "object"},
		{name: "no helper chosen", card: "object.map", in: []engine.Field{ov("object", map[string]any{"x": 1.0})}, errIn: "flo"},
	})
}

func TestURLParse(t *testing.T) {
	// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/URL/url_parse.htm
	runCases(t, []cardCase{
		{name: "doc example", card: "url:parse", in: []engine.Field{v("url", "http://www.test.com:8080/test url?value=example&value2=URL")},
			want: map[string]any{"protocol": "http:", "host": "www.test.com", "port": 8080.0, "path": "/test%20url", "query": "value=example&value2=URL"}},
		{name: "no port, upper case", card: "url.parse", in: []engine.Field{v("url", "HTTPS://Example.COM/a/b")},
			want: map[string]any{"protocol": "https:", "host": "example.com", "port": nil, "path": "/a/b", "query": ""}},
		{name: "not a URL", card: "url.parse", in: []engine.Field{v("url", "just text")}, errIn: "url"},
	})
}

func TestURLFormat(t *testing.T) {
	// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/URL/url_format.htm
	runCases(t, []cardCase{
		{name: "all parts", card: "url:format", in: []engine.Field{v("protocol", "http:"), v("host", "www.test.com"), vt("port", "number", 8080.0), v("path", "/test url"), v("query", "value=example&value2=URL")},
			want: map[string]any{"url": "http://www.test.com:8080/test%20url?value=example&value2=URL"}},
		{name: "host only", card: "url.format", in: []engine.Field{v("host", "example.com")}, want: map[string]any{"url": "https://example.com"}},
		{name: "round trip of Parse's encoded path", card: "url.format", in: []engine.Field{v("protocol", "https"), v("host", "a.example"), v("path", "test%20url")},
			want: map[string]any{"url": "https://a.example/test%20url"}},
		{name: "bad host", card: "url.format", in: []engine.Field{v("host", "https://x.example")}, errIn: "host"},
		{name: "bad port", card: "url.format", in: []engine.Field{v("host", "x.example"), vt("port", "number", 70000.0)}, errIn: "port"},
	})
}
