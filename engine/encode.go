package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// History is written for every execution, so its encoding is on the hot
// path: AppendJSON writes an Execution without reflection. The output is
// what encoding/json would produce for the same struct (same field names,
// omitempty rules, sorted map keys), so readers use json.Unmarshal.

// AppendJSON appends the execution's JSON encoding to buf.
func (e *Execution) AppendJSON(buf []byte) []byte {
	buf = append(buf, `{"id":`...)
	buf = appendString(buf, e.ID)
	buf = append(buf, `,"flow":`...)
	buf = appendString(buf, e.Flow)
	if e.FlowName != "" {
		buf = append(buf, `,"flowName":`...)
		buf = appendString(buf, e.FlowName)
	}
	buf = append(buf, `,"status":`...)
	buf = appendString(buf, e.Status)
	buf = append(buf, `,"started":`...)
	buf = appendTime(buf, e.Started)
	buf = append(buf, `,"ended":`...)
	buf = appendTime(buf, e.Ended)
	buf = appendOptString(buf, "trigger", e.Trigger)
	if len(e.Input) > 0 {
		buf = append(buf, `,"input":`...)
		buf = AppendValue(buf, e.Input)
	}
	if len(e.Outputs) > 0 {
		buf = append(buf, `,"outputs":`...)
		buf = AppendValue(buf, e.Outputs)
	}
	if e.Error != nil {
		buf = append(buf, `,"error":`...)
		buf = e.Error.appendJSON(buf)
	}
	buf = appendOptString(buf, "halted", e.Halted)
	buf = appendOptString(buf, "parent", e.Parent)
	buf = appendOptString(buf, "parentCard", e.ParentCard)
	buf = appendOptString(buf, "link", e.Link)
	if e.Resumed != 0 {
		buf = append(buf, `,"resumed":`...)
		buf = strconv.AppendInt(buf, int64(e.Resumed), 10)
	}
	if len(e.Repeats) > 0 {
		buf = append(buf, `,"repeats":[`...)
		for i, c := range e.Repeats {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendString(buf, c)
		}
		buf = append(buf, ']')
	}
	if e.FlowRevision != 0 {
		buf = append(buf, `,"flowRevision":`...)
		buf = strconv.AppendInt(buf, e.FlowRevision, 10)
	}
	buf = appendOptString(buf, "attemptOf", e.AttemptOf)
	buf = appendOptString(buf, "attemptKind", e.AttemptKind)
	if len(e.Reused) > 0 {
		buf = append(buf, `,"reused":[`...)
		for i, c := range e.Reused {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendString(buf, c)
		}
		buf = append(buf, ']')
	}
	buf = appendOptString(buf, "environment", e.Environment)
	if len(e.Tenants) > 0 {
		buf = append(buf, `,"tenants":[`...)
		for i, c := range e.Tenants {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendString(buf, c)
		}
		buf = append(buf, ']')
	}
	buf = append(buf, `,"cards":`...)
	if e.Cards == nil {
		buf = append(buf, "null"...)
	} else {
		buf = append(buf, '[')
		for i := range e.Cards {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = e.Cards[i].appendJSON(buf)
		}
		buf = append(buf, ']')
	}
	return append(buf, '}')
}

func (r *CardRecord) appendJSON(buf []byte) []byte {
	buf = append(buf, `{"id":`...)
	buf = appendString(buf, r.ID)
	buf = append(buf, `,"type":`...)
	buf = appendString(buf, r.Type)
	buf = appendOptString(buf, "title", r.Title)
	buf = append(buf, `,"status":`...)
	buf = appendString(buf, r.Status)
	buf = appendOptString(buf, "parent", r.Parent)
	buf = appendOptString(buf, "branch", r.Branch)
	if len(r.Inputs) > 0 {
		buf = append(buf, `,"inputs":`...)
		buf = AppendValue(buf, r.Inputs)
	}
	if len(r.Outputs) > 0 {
		buf = append(buf, `,"outputs":`...)
		buf = AppendValue(buf, r.Outputs)
	}
	if r.Error != nil {
		buf = append(buf, `,"error":`...)
		buf = r.Error.appendJSON(buf)
	}
	buf = append(buf, `,"started":`...)
	buf = appendTime(buf, r.Started)
	buf = append(buf, `,"ended":`...)
	buf = appendTime(buf, r.Ended)
	if len(r.Attempts) > 0 {
		b, _ := json.Marshal(r.Attempts) // rare: outside calls only
		buf = append(buf, `,"attempts":`...)
		buf = append(buf, b...)
	}
	if len(r.Children) > 0 {
		buf = append(buf, `,"children":[`...)
		for i, c := range r.Children {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendString(buf, c)
		}
		buf = append(buf, ']')
	}
	if len(r.Calls) > 0 {
		b, _ := json.Marshal(r.Calls) // outside calls only
		buf = append(buf, `,"calls":`...)
		buf = append(buf, b...)
	}
	return append(buf, '}')
}

func (e *CardError) appendJSON(buf []byte) []byte {
	buf = append(buf, `{"message":`...)
	buf = appendString(buf, e.Message)
	buf = appendOptString(buf, "card", e.Card)
	buf = appendOptString(buf, "title", e.Title)
	buf = appendOptString(buf, "type", e.Type)
	buf = appendOptString(buf, "input", e.Input)
	if e.Status != 0 {
		buf = append(buf, `,"status":`...)
		buf = strconv.AppendInt(buf, int64(e.Status), 10)
	}
	buf = appendOptString(buf, "code", e.Code)
	buf = appendOptString(buf, "flow", e.Flow)
	return append(buf, '}')
}

func appendOptString(buf []byte, key, v string) []byte {
	if v == "" {
		return buf
	}
	buf = append(buf, ',', '"')
	buf = append(buf, key...)
	buf = append(buf, '"', ':')
	return appendString(buf, v)
}

func appendTime(buf []byte, t time.Time) []byte {
	buf = append(buf, '"')
	buf = t.AppendFormat(buf, time.RFC3339Nano)
	return append(buf, '"')
}

// AppendValue appends a plain JSON value (nil, bool, float64, string,
// []any, map[string]any); other types fall back to encoding/json.
func AppendValue(buf []byte, v any) []byte { return appendValue(buf, v, true) }

// AppendText is AppendValue without HTML escaping: values rendered as text
// for people and APIs (Okta's "object to text"), not embedded in HTML.
func AppendText(buf []byte, v any) []byte { return appendValue(buf, v, false) }

func appendValue(buf []byte, v any, html bool) []byte {
	switch x := v.(type) {
	case nil:
		return append(buf, "null"...)
	case string:
		return appendStr(buf, x, html)
	case float64:
		return appendFloat(buf, x)
	case bool:
		if x {
			return append(buf, "true"...)
		}
		return append(buf, "false"...)
	case map[string]any:
		buf = append(buf, '{')
		if len(x) == 1 {
			for k, val := range x {
				buf = appendStr(buf, k, html)
				buf = append(buf, ':')
				buf = appendValue(buf, val, html)
			}
			return append(buf, '}')
		}
		var arr [16]string
		keys := arr[:0]
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendStr(buf, k, html)
			buf = append(buf, ':')
			buf = appendValue(buf, x[k], html)
		}
		return append(buf, '}')
	case []any:
		buf = append(buf, '[')
		for i, item := range x {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendValue(buf, item, html)
		}
		return append(buf, ']')
	}
	var b []byte
	var err error
	if html {
		b, err = json.Marshal(v)
	} else {
		b, err = MarshalFlowJSON(v)
	}
	if err != nil {
		return appendStr(buf, fmt.Sprint(v), html)
	}
	return append(buf, b...)
}

// appendFloat formats like encoding/json.
func appendFloat(buf []byte, f float64) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return append(buf, "null"...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	buf = strconv.AppendFloat(buf, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		n := len(buf)
		if n >= 4 && buf[n-4] == 'e' && buf[n-3] == '-' && buf[n-2] == '0' {
			buf[n-2] = buf[n-1]
			buf = buf[:n-1]
		}
	}
	return buf
}

const hexDigits = "0123456789abcdef"

func appendString(buf []byte, s string) []byte { return appendStr(buf, s, true) }

// appendStr writes a JSON string; like encoding/json it replaces invalid
// UTF-8 and escapes the line separators U+2028/9, and <, > and & when html.
func appendStr(buf []byte, s string, html bool) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!html || c != '<' && c != '>' && c != '&') {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			case '\b':
				buf = append(buf, '\\', 'b')
			case '\f':
				buf = append(buf, '\\', 'f')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			buf = append(buf, s[start:i]...)
			buf = append(buf, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}
