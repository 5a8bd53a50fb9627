package engine

import (
	"math"
	"reflect"
	"testing"
)

func TestConvertCoerce(t *testing.T) {
	for _, c := range []struct {
		v    any
		typ  string
		want any
		err  bool
	}{
		{"12.5", "number", 12.5, false},
		{" 1,000 ", "number", 1000.0, false},
		{true, "number", 1.0, false},
		{"", "number", nil, true},
		{"abc", "number", nil, true},
		{"NaN", "number", nil, true},
		{map[string]any{}, "number", nil, true},
		{"3", "integer", 3.0, false},
		{"3.5", "integer", nil, true},
		{12.0, "string", "12", false},
		{1e21, "string", "1e+21", false},
		{0.1, "string", "0.1", false},
		{[]any{"a", 1.0}, "string", `["a",1]`, false},
		{map[string]any{"a": true}, "string", `{"a":true}`, false},
		{"yes", "boolean", true, false},
		{"0", "boolean", false, false},
		{2.0, "boolean", true, false},
		{"maybe", "boolean", nil, true},
		{"2016-09-07T16:55:25.670Z", "date", "2016-09-07T16:55:25.670Z", false},
		{"2016-09-07T18:55:25.670+0200", "date", "2016-09-07T16:55:25.670Z", false},
		{"2016-09-07", "date", "2016-09-07T00:00:00.000Z", false},
		{1473267325670.0, "date", "2016-09-07T16:55:25.670Z", false},
		{1e300, "date", nil, true},
		{"soon", "date", nil, true},
		{`{"a":1}`, "object", map[string]any{"a": 1.0}, false},
		{"", "object", nil, false},
		{"[1]", "object", nil, true},
		{[]any{}, "object", nil, true},
		{`["a","b"]`, "string[]", []any{"a", "b"}, false},
		{"a", "string[]", []any{"a"}, false},
		{[]any{"1", 2.0}, "number[]", []any{1.0, 2.0}, false},
		{[]any{"x"}, "number[]", nil, true},
		{[]string{"a"}, "string[]", []any{"a"}, false},
		{nil, "number", nil, false},
		{int64(7), "any", 7.0, false},
	} {
		got, err := Coerce(c.v, T(c.typ))
		if (err != nil) != c.err {
			t.Errorf("Coerce(%#v, %s) error = %v, want error %v", c.v, c.typ, err, c.err)
			continue
		}
		if !c.err && !reflect.DeepEqual(got, c.want) {
			t.Errorf("Coerce(%#v, %s) = %#v, want %#v", c.v, c.typ, got, c.want)
		}
	}
}

func TestConvertTransform(t *testing.T) {
	for _, c := range []struct {
		name string
		v    any
		want any
		err  bool
	}{
		{"toString", 12.0, "12", false},
		{"booleanToString", false, "false", false},
		{"stringify", map[string]any{"a": 1.0}, `{"a":1}`, false},
		{"stringify", "as is", "as is", false},
		{"parse", `{"a":[1]}`, map[string]any{"a": []any{1.0}}, false},
		{"parse", `{`, nil, true},
		{"parse", 5.0, 5.0, false},
		{"parseFloat", "2.5", 2.5, false},
		{"parseFloat", "x", nil, true},
		{"dateTime", "2016-09-07", "2016-09-07T00:00:00.000Z", false},
		{"wrapArray", "a", []any{"a"}, false},
		{"wrapArray", []any{"a"}, []any{"a"}, false},
		{"wrapArray", nil, []any{}, false},
		{"nope", 1.0, nil, true},
	} {
		got, err := Transform(c.name, c.v)
		if (err != nil) != c.err || !c.err && !reflect.DeepEqual(got, c.want) {
			t.Errorf("Transform(%s, %#v) = %#v, %v; want %#v (error %v)", c.name, c.v, got, err, c.want, c.err)
		}
	}
}

func TestConvertFormatNumberRoundTrip(t *testing.T) {
	for _, f := range []float64{0, -0.5, 1, 123456789, 1e20, 1e21, 1.5e300, 5e-324, math.MaxFloat64, 0.1 + 0.2} {
		back, err := ToNumber(FormatNumber(f))
		if err != nil || back != f {
			t.Errorf("%v: %q read back as %v, %v", f, FormatNumber(f), back, err)
		}
	}
}

func TestConvertGet(t *testing.T) {
	v := map[string]any{"a": []any{map[string]any{"b": 1.0}, 2.0}}
	for _, c := range []struct {
		path []string
		want any
		ok   bool
	}{
		{[]string{"a", "0", "b"}, 1.0, true},
		{[]string{"a", "-1"}, 2.0, true},
		{[]string{"a", "5"}, nil, false},
		{[]string{"a", "x"}, nil, false},
		{[]string{"z"}, nil, false},
		{nil, v, true},
	} {
		got, ok := Get(v, c.path)
		if ok != c.ok || !reflect.DeepEqual(got, c.want) {
			t.Errorf("Get(%v) = %v, %v", c.path, got, ok)
		}
	}
}
