package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Values inside the engine are plain decoded JSON: nil, bool, float64,
// string, []any, map[string]any. Dates travel as RFC 3339 text. Coerce
// implements Okta's loose conversions (looseStrings, looseBooleans,
// looseNulls, auto-transform) once, for every card.

// DateLayout is how dates are written (Okta's ISO form with milliseconds).
const DateLayout = "2006-01-02T15:04:05.000Z07:00"

// Coerce converts v to type t, loosely. nil stays nil (looseNulls: a card
// sees a missing value, and required checks decide).
func Coerce(v any, t *Type) (any, error) {
	if v == nil || t == nil || t.Kind == KindAny && !t.List {
		return normalize(v), nil
	}
	if t.List {
		var list []any
		switch x := v.(type) {
		case []any:
			list = x
		case string:
			// a JSON array in text is parsed; other text is wrapped (wrapArray)
			if s := strings.TrimSpace(x); strings.HasPrefix(s, "[") {
				var parsed []any
				if json.Unmarshal([]byte(s), &parsed) == nil {
					list = parsed
					break
				}
			}
			list = []any{x}
		default:
			if l, ok := toAnyList(v); ok {
				list = l
			} else {
				list = []any{v}
			}
		}
		el := t.Elem()
		var out []any
		for i, item := range list {
			c, err := Coerce(item, el)
			if err != nil {
				if el.Kind != KindObject {
					return nil, fmt.Errorf("item %d: %w", i, err)
				}
				// advisory object item type (see Type.Schema): the item stays as is
				c = item
			}
			if out == nil {
				if el.Kind == KindAny || sameScalar(c, item) {
					continue
				}
				out = make([]any, len(list))
				copy(out, list[:i])
			}
			out[i] = c
		}
		if out != nil {
			return out, nil
		}
		return list, nil
	}
	switch t.Kind {
	case KindString, KindFile, KindFlow:
		return ToText(v), nil
	case KindNumber:
		return ToNumber(v)
	case KindInteger:
		n, err := ToNumber(v)
		if err != nil {
			return nil, err
		}
		if n != math.Trunc(n) {
			return nil, fmt.Errorf("%v is not a whole number", n)
		}
		return n, nil
	case KindBoolean:
		return ToBool(v)
	case KindDate:
		return ToDate(v)
	case KindObject:
		switch x := v.(type) {
		case map[string]any:
			return x, nil
		case string:
			s := strings.TrimSpace(x)
			if s == "" {
				return nil, nil
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(s), &m); err != nil {
				return nil, fmt.Errorf("text is not a JSON object: %.40q", x)
			}
			return m, nil
		case []any:
			return nil, fmt.Errorf("expected an object, got a list")
		}
		if m, ok := normalize(v).(map[string]any); ok {
			return m, nil
		}
		return nil, fmt.Errorf("expected an object, got %s", typeName(v))
	}
	return v, nil
}

// sameScalar reports whether a conversion left a scalar unchanged (maps and
// lists are never compared: they are not comparable).
func sameScalar(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	}
	return false
}

func toAnyList(v any) ([]any, bool) {
	switch x := v.(type) {
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, true
	case []map[string]any:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, true
	case []float64:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

// normalize turns Go numeric types and typed slices into the engine's plain forms.
func normalize(v any) any {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case int32:
		return float64(x)
	case float32:
		return float64(x)
	case json.Number:
		f, _ := x.Float64()
		return f
	case time.Time:
		return x.UTC().Format(DateLayout)
	case []string, []map[string]any, []float64:
		l, _ := toAnyList(x)
		return l
	}
	return v
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "text"
	case float64, int, int64, json.Number:
		return "number"
	case bool:
		return "true/false"
	case []any:
		return "list"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// ToText renders any value as text: numbers without trailing zeros, objects
// and lists as JSON.
func ToText(v any) string {
	switch x := normalize(v).(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return FormatNumber(x)
	case bool:
		if x {
			return "true"
		}
		return "false"
	default:
		return string(AppendText(nil, x)) // text as Okta renders it: no HTML escaping
	}
}

// FormatNumber writes integers without a fraction and others in shortest form.
func FormatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// ToNumber converts loosely: numeric text, true/false as 1/0.
func ToNumber(v any) (float64, error) {
	switch x := normalize(v).(type) {
	case float64:
		return x, nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return 0, fmt.Errorf("empty text is not a number")
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, fmt.Errorf("%.40q is not a number", x)
		}
		return f, nil
	case nil:
		return 0, fmt.Errorf("no value")
	}
	return 0, fmt.Errorf("expected a number, got %s", typeName(v))
}

// ToBool converts loosely: "true"/"false"/"yes"/"no"/"1"/"0", numbers (non-zero is true).
func ToBool(v any) (bool, error) {
	switch x := normalize(v).(type) {
	case bool:
		return x, nil
	case float64:
		return x != 0, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "yes", "1", "y", "on":
			return true, nil
		case "false", "no", "0", "n", "off", "":
			return false, nil
		}
		return false, fmt.Errorf("%.40q is not true or false", x)
	}
	return false, fmt.Errorf("expected true/false, got %s", typeName(v))
}

var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04Z07:00",
	"2006-01-02", time.RFC1123Z, time.RFC1123, "01/02/2006", "2006/01/02"}

// ParseDate reads ISO-8601 text (and a few common layouts) or a UNIX time in
// milliseconds (number).
func ParseDate(v any) (time.Time, error) {
	switch x := normalize(v).(type) {
	case string:
		s := strings.TrimSpace(x)
		for _, l := range dateLayouts {
			if t, err := time.Parse(l, s); err == nil {
				return t, nil
			}
		}
		return time.Time{}, fmt.Errorf("%.40q is not a date", x)
	case float64:
		// years 0000-9999: what ISO text (and so a date value) can hold
		if math.IsNaN(x) || x < -62167219200000 || x > 253402300799999 {
			return time.Time{}, fmt.Errorf("%v is out of the range of dates", FormatNumber(x))
		}
		return time.UnixMilli(int64(x)).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("expected a date, got %s", typeName(v))
}

// ToDate normalises a date to DateLayout text in UTC.
func ToDate(v any) (string, error) {
	t, err := ParseDate(v)
	if err != nil {
		return "", err
	}
	return t.UTC().Format(DateLayout), nil
}

// Transform applies an Okta wire transform ("convert" on a pin).
func Transform(name string, v any) (any, error) {
	switch name {
	case "":
		return v, nil
	case "toString", "booleanToString", "isoString":
		return ToText(v), nil
	case "stringify":
		if s, ok := v.(string); ok {
			return s, nil
		}
		b, err := MarshalFlowJSON(normalize(v))
		return string(b), err
	case "parse":
		s, ok := v.(string)
		if !ok {
			return v, nil
		}
		var out any
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			return nil, fmt.Errorf("parse: text is not JSON: %.40q", s)
		}
		return out, nil
	case "parseFloat":
		return ToNumber(v)
	case "dateTime":
		return ToDate(v)
	case "wrapArray":
		if l, ok := v.([]any); ok {
			return l, nil
		}
		if v == nil {
			return []any{}, nil
		}
		return []any{v}, nil
	}
	return nil, fmt.Errorf("unknown conversion %q", name)
}

// Get walks a path into a value: object keys, list indexes ("0", "-1" from the end).
func Get(v any, path []string) (any, bool) {
	cur := v
	for _, p := range path {
		switch x := cur.(type) {
		case map[string]any:
			n, ok := x[p]
			if !ok {
				return nil, false
			}
			cur = n
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil {
				return nil, false
			}
			if i < 0 {
				i += len(x)
			}
			if i < 0 || i >= len(x) {
				return nil, false
			}
			cur = x[i]
		default:
			return nil, false
		}
	}
	return cur, true
}
