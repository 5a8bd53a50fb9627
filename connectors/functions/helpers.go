package functions

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// help is the root of Okta's Workflows function reference.
const help = "https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/"

var (
	tString  = engine.T("string")
	tNumber  = engine.T("number")
	tBool    = engine.T("boolean")
	tDate    = engine.T("date")
	tAny     = engine.T("any")
	tObject  = engine.T("object")
	tStrings = engine.T("string[]")
)

// fs declares a field.
func fs(key, label string, t *engine.Type) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Label: label, Type: t}
}

// req declares a required field.
func req(key, label string, t *engine.Type) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Label: label, Type: t, Required: true}
}

// def declares a field with a default value.
func def(key, label string, t *engine.Type, d any) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Label: label, Type: t, Default: d}
}

// str reads a text input; a missing (null) value is empty text (Okta's looseNulls).
func str(in engine.Inputs, key string) string {
	switch v := in.Values[key].(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return engine.ToText(v)
	}
}

// num reads a number input and reports whether it was set.
func num(in engine.Inputs, key string) (float64, bool) {
	switch v := in.Values[key].(type) {
	case float64:
		return v, true
	case nil:
		return 0, false
	default:
		f, err := engine.ToNumber(v)
		return f, err == nil
	}
}

// flag reads a true/false input, with d when it is not set.
func flag(in engine.Inputs, key string, d bool) bool {
	switch v := in.Values[key].(type) {
	case bool:
		return v
	case nil:
		return d
	default:
		b, err := engine.ToBool(v)
		if err != nil {
			return d
		}
		return b
	}
}

// integer truncates a position-like number the way JavaScript's ToIntegerOrInfinity does.
func integer(f float64) int {
	if math.IsNaN(f) {
		return 0
	}
	if f > math.MaxInt32 {
		return math.MaxInt32
	}
	if f < math.MinInt32 {
		return math.MinInt32
	}
	return int(f)
}

// jsonText writes v as compact JSON without HTML escaping (like JSON.stringify).
// Object keys come out sorted: the engine's objects do not keep insertion order.
func jsonText(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	b := buf.Bytes()
	return string(b[:len(b)-1]), nil
}

// one returns a single-output result.
func one(key string, v any) engine.Outputs { return engine.Outputs{key: v} }

// slots expands Okta's `{{{KEY}}}` template placeholders (Compose, Formula):
// lit receives literal runs, slot each placeholder key. It reports an
// unterminated placeholder as literal text.
func slots(tmpl string, lit func(string), slot func(string) error) error {
	for {
		i := strings.Index(tmpl, "{{{")
		if i < 0 {
			if tmpl != "" {
				lit(tmpl)
			}
			return nil
		}
		j := strings.Index(tmpl[i+3:], "}}}")
		if j < 0 {
			lit(tmpl)
			return nil
		}
		if i > 0 {
			lit(tmpl[:i])
		}
		if err := slot(tmpl[i+3 : i+3+j]); err != nil {
			return err
		}
		tmpl = tmpl[i+3+j+3:]
	}
}
