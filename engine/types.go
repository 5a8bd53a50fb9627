package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Type is a field's data type. It mirrors Okta Workflows' model: a base kind,
// a collection flag, and for objects an optional nested field map, so Okta
// type maps import without loss.
//
// JSON forms: the shorthand "string", "number[]" when there are no nested
// fields, else {"kind":"object","list":true,"fields":{...}}.
type Type struct {
	Kind   string           `json:"kind"`
	List   bool             `json:"list,omitempty"`
	Fields map[string]*Type `json:"fields,omitempty"`
	Label  string           `json:"label,omitempty"` // display name of a nested field
}

// Kinds of Type.
const (
	KindAny     = "any"
	KindString  = "string"
	KindNumber  = "number"
	KindInteger = "integer"
	KindBoolean = "boolean"
	KindDate    = "date"
	KindObject  = "object"
	KindFile    = "file"
	KindFlow    = "flow" // reference to a helper flow by id
)

var knownKinds = map[string]bool{KindAny: true, KindString: true, KindNumber: true, KindInteger: true,
	KindBoolean: true, KindDate: true, KindObject: true, KindFile: true, KindFlow: true}

// T parses a shorthand type ("string", "object[]"); it panics on an unknown
// kind, so it is meant for card declarations.
func T(s string) *Type {
	t, err := ParseType(s)
	if err != nil {
		panic(err)
	}
	return t
}

// ParseType parses the shorthand form.
func ParseType(s string) (*Type, error) {
	t := &Type{Kind: s}
	if strings.HasSuffix(s, "[]") {
		t.Kind, t.List = strings.TrimSuffix(s, "[]"), true
	}
	if !knownKinds[t.Kind] {
		return nil, fmt.Errorf("unknown type %q", s)
	}
	return t, nil
}

// Obj builds an object type with nested fields.
func Obj(fields map[string]*Type) *Type { return &Type{Kind: KindObject, Fields: fields} }

// ListOf returns t as a list.
func ListOf(t *Type) *Type { c := *t; c.List = true; return &c }

// Elem returns the element type of a list type.
func (t *Type) Elem() *Type {
	if t == nil {
		return nil
	}
	c := *t
	c.List = false
	return &c
}

func (t *Type) String() string {
	if t == nil {
		return KindAny
	}
	s := t.Kind
	if t.List {
		s += "[]"
	}
	return s
}

// Field returns the nested type at path, or nil when unknown.
func (t *Type) At(path []string) *Type {
	cur := t
	for _, p := range path {
		if cur == nil {
			return nil
		}
		if cur.List {
			cur = cur.Elem()
			if isIndex(p) {
				continue
			}
		}
		if cur.Kind == KindAny {
			return &Type{Kind: KindAny}
		}
		if cur.Kind != KindObject || cur.Fields == nil {
			if cur.Kind == KindObject {
				return &Type{Kind: KindAny}
			}
			return nil
		}
		cur = cur.Fields[p]
	}
	return cur
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if c == '-' && i == 0 {
			continue
		}
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// MarshalJSON writes the shorthand when it loses nothing.
func (t Type) MarshalJSON() ([]byte, error) {
	if len(t.Fields) == 0 && t.Label == "" {
		return json.Marshal(t.String())
	}
	type plain Type
	return json.Marshal(plain(t))
}

// UnmarshalJSON reads both forms.
func (t *Type) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		p, err := ParseType(s)
		if err != nil {
			return err
		}
		*t = *p
		return nil
	}
	type plain Type
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	if !knownKinds[p.Kind] {
		return fmt.Errorf("unknown type kind %q", p.Kind)
	}
	*t = Type(p)
	return nil
}

// Schema renders the type as a JSON Schema fragment. Dates are RFC 3339 text
// (Okta passes dates as ISO strings). Nested object fields are not required:
// Okta objects routinely omit keys.
func (t *Type) Schema() map[string]any {
	if t == nil {
		return map[string]any{}
	}
	base := map[string]any{}
	switch t.Kind {
	case KindAny, KindFlow:
	case KindString, KindFile:
		base["type"] = "string"
	case KindDate:
		base["type"] = "string"
	case KindNumber:
		base["type"] = "number"
	case KindInteger:
		base["type"] = "integer"
	case KindBoolean:
		base["type"] = "boolean"
	case KindObject:
		base["type"] = "object"
		if len(t.Fields) > 0 {
			props := map[string]any{}
			for k, f := range t.Fields {
				s := f.Schema()
				// nested values may be null in real payloads
				props[k] = nullable(s)
			}
			base["properties"] = props
		}
	}
	if t.List {
		if t.Kind == KindObject {
			// Okta treats a list's declared object item type as advisory: its
			// list cards (Sort, Pop, Shift, Construct…) export lists typed as
			// object that hold text or numbers, and Okta runs them. Object
			// items still follow the declared fields.
			delete(base, "type")
			return map[string]any{"type": "array", "items": base}
		}
		return map[string]any{"type": "array", "items": nullable(base)}
	}
	return base
}

func nullable(s map[string]any) map[string]any {
	typ, ok := s["type"].(string)
	if !ok {
		return s
	}
	c := make(map[string]any, len(s))
	for k, v := range s {
		c[k] = v
	}
	c["type"] = []any{typ, "null"}
	return c
}

// Compatible reports whether a value of type from may flow into an input of
// type to, possibly through the engine's loose conversions.
func Compatible(from, to *Type) bool {
	if from == nil || to == nil || from.Kind == KindAny || to.Kind == KindAny {
		return true
	}
	if from.List != to.List {
		// a list into text is joined; a scalar into a list is wrapped (Okta's wrapArray)
		return to.Kind == KindString && !to.List || to.List
	}
	switch to.Kind {
	case KindString, KindFile:
		return true // everything renders to text
	case KindNumber, KindInteger:
		return from.Kind == KindNumber || from.Kind == KindInteger || from.Kind == KindString || from.Kind == KindBoolean || from.Kind == KindDate
	case KindBoolean:
		return from.Kind == KindBoolean || from.Kind == KindString || from.Kind == KindNumber || from.Kind == KindInteger
	case KindDate:
		return from.Kind == KindDate || from.Kind == KindString || from.Kind == KindNumber || from.Kind == KindInteger
	case KindObject:
		// a list's object item type is advisory (Type.Schema)
		return from.Kind == KindObject || from.Kind == KindString || to.List
	case KindFlow:
		return from.Kind == KindFlow || from.Kind == KindString
	}
	return from.Kind == to.Kind
}
