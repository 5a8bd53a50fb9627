package all

import (
	"encoding/json"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// sample builds a value that fits a declared type (and a few that do not).
func sample(t *engine.Type, good bool) any {
	if t == nil {
		return "x"
	}
	var v any
	switch t.Kind {
	case engine.KindNumber, engine.KindInteger:
		v = 3.0
		if !good {
			v = "three"
		}
	case engine.KindBoolean:
		v = true
		if !good {
			v = "yes"
		}
	case engine.KindObject:
		m := map[string]any{}
		for k, ft := range t.Fields {
			m[k] = sample(ft, good)
		}
		v = m
		if !good && len(t.Fields) == 0 {
			v = 5.0
		}
	case engine.KindAny:
		v = map[string]any{"any": []any{1.0}}
	default:
		v = "text"
		if !good {
			v = 12.0
		}
	}
	if t.List {
		return []any{v}
	}
	return v
}

// Every registered card's fast schema check must agree with the full JSON
// Schema validator: never accept what it rejects, and accept plain valid values.
func TestFastSchemaAgreesForEveryCard(t *testing.T) {
	for _, s := range engine.Default().Cards() {
		for _, dir := range []struct {
			in     bool
			fields []engine.FieldSpec
		}{{true, s.Inputs}, {false, s.Outputs}} {
			good, bad := map[string]any{}, map[string]any{}
			for _, f := range dir.fields {
				good[f.Key] = sample(f.Type, true)
				if len(f.Choices) > 0 {
					good[f.Key] = f.Choices[0].Value
				}
				bad[f.Key] = sample(f.Type, false)
			}
			for name, v := range map[string]map[string]any{"good": good, "bad": bad, "empty": {}, "extra": {"no such field": 1.0}} {
				has, fastOK, fullOK := engine.SchemaAgreement(s, v, dir.in)
				if !has {
					t.Errorf("%s: no fast check", s.ID)
					continue
				}
				if fastOK && !fullOK {
					b, _ := json.Marshal(v)
					t.Errorf("%s inputs=%v %s: fast check accepts %s, JSON Schema rejects", s.ID, dir.in, name, b)
				}
				if name == "good" && fullOK && !fastOK {
					t.Errorf("%s inputs=%v: fast check rejects a valid value (slow path)", s.ID, dir.in)
				}
			}
		}
	}
}
