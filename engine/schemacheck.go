package engine

import (
	"math"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Card schemas are generated from FieldSpecs, so they use a small subset
// of JSON Schema: type (optionally with "null"), properties, required,
// additionalProperties:false, items and enum. fastSchema compiles that
// subset into a direct check. A value the fast check accepts is valid
// under the compiled schema (a fuzz test holds the two to the same
// answers); anything it rejects goes to the full validator, which gives
// the error message. Schemas using other keywords have no fast check.
type fastSchema struct {
	full *jsonschema.Schema
	root *fastNode
}

type fastNode struct {
	types    uint8 // bitmask of jsonTypes; 0 = any
	props    map[string]*fastNode
	required []string
	closed   bool
	items    *fastNode
	enum     []any
}

const (
	tNull uint8 = 1 << iota
	tBool
	tNumber
	tInteger
	tString
	tArray
	tObject
)

var typeBits = map[string]uint8{"null": tNull, "boolean": tBool, "number": tNumber, "integer": tInteger,
	"string": tString, "array": tArray, "object": tObject}

// compileFast returns nil when doc uses keywords outside the subset.
func compileFast(doc map[string]any) *fastNode {
	n := &fastNode{}
	for k, v := range doc {
		switch k {
		case "description", "title":
		case "type":
			switch t := v.(type) {
			case string:
				b, ok := typeBits[t]
				if !ok {
					return nil
				}
				n.types = b
			case []any:
				for _, x := range t {
					s, _ := x.(string)
					b, ok := typeBits[s]
					if !ok {
						return nil
					}
					n.types |= b
				}
			default:
				return nil
			}
		case "properties":
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			n.props = make(map[string]*fastNode, len(m))
			for pk, pv := range m {
				pd, ok := pv.(map[string]any)
				if !ok {
					return nil
				}
				if n.props[pk] = compileFast(pd); n.props[pk] == nil {
					return nil
				}
			}
		case "required":
			list, ok := v.([]any)
			if !ok {
				return nil
			}
			for _, x := range list {
				s, ok := x.(string)
				if !ok {
					return nil
				}
				n.required = append(n.required, s)
			}
		case "additionalProperties":
			b, ok := v.(bool)
			if !ok {
				return nil
			}
			n.closed = !b
		case "items":
			d, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			if n.items = compileFast(d); n.items == nil {
				return nil
			}
		case "enum":
			list, ok := v.([]any)
			if !ok {
				return nil
			}
			for _, x := range list {
				switch x.(type) {
				case nil, string, float64, bool:
				default:
					return nil
				}
			}
			n.enum = list
		default:
			return nil
		}
	}
	return n
}

// ok reports whether v certainly satisfies the schema.
func (n *fastNode) ok(v any) bool {
	if n.types != 0 && !n.typeOK(v) {
		return false
	}
	if n.enum != nil {
		found := false
		for _, e := range n.enum {
			if enumEq(e, v) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	switch x := v.(type) {
	case map[string]any:
		for _, r := range n.required {
			if _, ok := x[r]; !ok {
				return false
			}
		}
		if n.props != nil || n.closed {
			for k, pv := range x {
				p, ok := n.props[k]
				if !ok {
					if n.closed {
						return false
					}
					continue
				}
				if !p.ok(pv) {
					return false
				}
			}
		}
	case []any:
		if n.items != nil {
			for _, it := range x {
				if !n.items.ok(it) {
					return false
				}
			}
		}
	}
	return true
}

func (n *fastNode) typeOK(v any) bool {
	switch x := v.(type) {
	case nil:
		return n.types&tNull != 0
	case bool:
		return n.types&tBool != 0
	case float64:
		return n.types&tNumber != 0 || n.types&tInteger != 0 && x == math.Trunc(x) && !math.IsInf(x, 0)
	case string:
		return n.types&tString != 0
	case []any:
		return n.types&tArray != 0
	case map[string]any:
		return n.types&tObject != 0
	}
	return false // other Go types: let the full validator decide
}

func enumEq(e, v any) bool {
	switch x := e.(type) {
	case nil:
		return v == nil
	case string:
		s, ok := v.(string)
		return ok && s == x
	case float64:
		f, ok := v.(float64)
		return ok && f == x
	case bool:
		b, ok := v.(bool)
		return ok && b == x
	}
	return false
}

// SchemaAgreement reports, for tests, how the fast check and the full
// JSON Schema validator judge v as the spec's inputs (in=true) or outputs.
func SchemaAgreement(s *Spec, v map[string]any, in bool) (hasFast, fastOK, fullOK bool) {
	cs := s.out
	if in {
		cs = s.in
	}
	fast, full, _ := cs.get()
	if fast != nil {
		hasFast, fastOK = true, fast.ok(v)
	}
	fullOK = full.Validate(v) == nil
	return
}
