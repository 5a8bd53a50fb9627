package engine

import (
	"math"
	"reflect"
	"strings"
)

// Operators of Okta's comparison cards (stored value → label).
var Operators = []Choice{
	{"==", "equal to"}, {"!=", "not equal"}, {">", "greater than"}, {">=", "greater than or equal to"},
	{"<", "less than"}, {"<=", "less than or equal to"}, {"%", "a multiple of"}, {"in", "in"}, {"not in", "not in"},
	{"has", "has key"}, {"doesn't have", "doesn't have key"}, {"is empty", "is empty"}, {"is not empty", "is not empty"},
	{"===", "equal and same type"}, {"!==", "not equal or not same type"},
}

// Compare evaluates "a op b" with Okta's rules: the declared type of the
// operand decides how values compare (numbers numerically, text
// alphabetically, dates chronologically). typ may be nil to infer from values.
func Compare(a any, op string, b any, typ *Type) (bool, error) {
	a, b = normalize(a), normalize(b)
	switch op {
	case "is empty":
		return IsEmpty(a), nil
	case "is not empty":
		return !IsEmpty(a), nil
	case "has", "doesn't have":
		m, ok := a.(map[string]any)
		has := false
		if ok {
			_, has = m[ToText(b)]
		}
		return has == (op == "has"), nil
	case "in", "not in":
		in := false
		switch x := b.(type) {
		case []any:
			for _, item := range x {
				if eq, _ := Compare(a, "==", item, nil); eq {
					in = true
					break
				}
			}
		case map[string]any:
			_, in = x[ToText(a)]
		default:
			in = strings.Contains(ToText(b), ToText(a))
		}
		return in == (op == "in"), nil
	case "===", "!==":
		same := reflect.TypeOf(a) == reflect.TypeOf(b) && reflect.DeepEqual(a, b)
		return same == (op == "==="), nil
	}
	kind := KindAny
	if typ != nil && !typ.List {
		kind = typ.Kind
	}
	if kind == KindAny {
		kind = inferKind(a, b)
	}
	var c int
	switch kind {
	case KindNumber, KindInteger:
		x, err := ToNumber(a)
		if err != nil {
			return false, InputErrorf("left-operand", "%v", err)
		}
		y, err := ToNumber(b)
		if err != nil {
			return false, InputErrorf("right-operand", "%v", err)
		}
		if op == "%" {
			if y == 0 {
				return false, InputErrorf("right-operand", "a multiple of 0 is undefined")
			}
			return math.Mod(x, y) == 0, nil
		}
		c = cmpFloat(x, y)
	case KindDate:
		x, err := ParseDate(a)
		if err != nil {
			return false, InputErrorf("left-operand", "%v", err)
		}
		y, err := ParseDate(b)
		if err != nil {
			return false, InputErrorf("right-operand", "%v", err)
		}
		c = x.Compare(y)
	case KindBoolean:
		x, err := ToBool(a)
		if err != nil {
			return false, InputErrorf("left-operand", "%v", err)
		}
		y, err := ToBool(b)
		if err != nil {
			return false, InputErrorf("right-operand", "%v", err)
		}
		if x == y {
			c = 0
		} else if !x {
			c = -1
		} else {
			c = 1
		}
	case KindObject:
		if op != "==" && op != "!=" {
			return false, InputErrorf("operator", "operator %q does not apply to objects", op)
		}
		eq := reflect.DeepEqual(a, b)
		return eq == (op == "=="), nil
	default:
		if _, isList := a.([]any); isList && (op == "==" || op == "!=") {
			return reflect.DeepEqual(a, b) == (op == "=="), nil
		}
		c = strings.Compare(ToText(a), ToText(b))
	}
	switch op {
	case "==":
		return c == 0, nil
	case "!=":
		return c != 0, nil
	case ">":
		return c > 0, nil
	case ">=":
		return c >= 0, nil
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case "%":
		return false, InputErrorf("operator", "operator %% (a multiple of) needs numbers")
	}
	return false, InputErrorf("operator", "unknown operator %q", op)
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func inferKind(a, b any) string {
	_, an := a.(float64)
	_, bn := b.(float64)
	if an && bn {
		return KindNumber
	}
	_, ab := a.(bool)
	_, bb := b.(bool)
	if ab || bb {
		return KindBoolean
	}
	if _, ok := a.(map[string]any); ok {
		return KindObject
	}
	return KindString
}

// IsEmpty is Okta's "is empty": null, empty text, empty list or object.
func IsEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}
