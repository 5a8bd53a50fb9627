package engine

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

var fuzzTypes = []string{"any", "string", "number", "integer", "boolean", "date", "object", "file", "flow",
	"any[]", "string[]", "number[]", "integer[]", "boolean[]", "date[]", "object[]"}

// fuzzValue reads the input as JSON when it is JSON, else uses it as text.
func fuzzValue(data string) any {
	var v any
	if json.Unmarshal([]byte(data), &v) == nil {
		return v
	}
	return data
}

// FuzzCoerce: loose conversion never panics and its results are stable:
// converting a converted value again changes nothing, and numbers survive a
// trip through text.
func FuzzCoerce(f *testing.F) {
	for _, s := range []string{`"12.5"`, `" 1,000 "`, `true`, `null`, `{"a":[1,"x"]}`, `[1,"2",null]`, `"2016-09-07T16:55:25.670Z"`,
		`1473267325670`, `"yes"`, `"[\"a\"]"`, `1e308`, `-0`, `"0x1F"`, `"2016-02-30"`, `not json`, `"{\"a\":1}"`, `""`} {
		for i := range fuzzTypes {
			f.Add(s, uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, data string, k uint8) {
		typ := T(fuzzTypes[int(k)%len(fuzzTypes)])
		v := fuzzValue(data)
		c, err := Coerce(v, typ)
		if err != nil {
			return
		}
		again, err := Coerce(c, typ)
		if err != nil {
			t.Fatalf("Coerce(%#v, %s) = %#v, which then fails: %v", v, typ, c, err)
		}
		if !reflect.DeepEqual(again, c) {
			t.Fatalf("Coerce(%#v, %s) not stable: %#v then %#v", v, typ, c, again)
		}
		if n, ok := c.(float64); ok && !typ.List {
			if math.IsNaN(n) || math.IsInf(n, 0) {
				t.Fatalf("Coerce(%#v, %s) gave %v", v, typ, n)
			}
			back, err := ToNumber(ToText(n))
			if err != nil || back != n {
				t.Fatalf("number %v did not survive text %q: %v, %v", n, ToText(n), back, err)
			}
		}
		_ = ToText(c)
	})
}

// FuzzTransform: wire transforms never panic, and stringify then parse
// gives back the value for everything that is not text.
func FuzzTransform(f *testing.F) {
	names := []string{"", "toString", "booleanToString", "isoString", "stringify", "parse", "parseFloat", "dateTime", "wrapArray", "bogus"}
	for _, s := range []string{`{"a":[1,"x",{"b":null}]}`, `[1,2]`, `"text"`, `12`, `true`, `null`, `"2016-09-07"`, `{`, `"{\"a\":1}"`} {
		for i := range names {
			f.Add(s, uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, data string, k uint8) {
		v := fuzzValue(data)
		_, _ = Transform(names[int(k)%len(names)], v)
		if _, isText := v.(string); isText {
			return
		}
		s, err := Transform("stringify", v)
		if err != nil {
			return
		}
		back, err := Transform("parse", s)
		if err != nil {
			t.Fatalf("parse(stringify(%#v)) failed: %v", v, err)
		}
		if !reflect.DeepEqual(back, v) {
			t.Fatalf("parse(stringify(%#v)) = %#v", v, back)
		}
	})
}
