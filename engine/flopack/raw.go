package flopack

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// obj is a JSON object decoded one level deep, keeping key order (Okta's
// map order is the fallback display order) and noting duplicate keys.
type obj struct {
	keys []string
	vals map[string]json.RawMessage
	dups []string
}

// parseObj decodes b as an object. A JSON null gives an empty object.
// Callers pass slices of a document that json.Valid accepted (checkSyntax),
// so a plain scanner splits keys and values; it still fails cleanly on
// malformed input.
func parseObj(b []byte) (*obj, error) {
	o := &obj{vals: map[string]json.RawMessage{}}
	i := skipWS(b, 0)
	if i >= len(b) || (len(b)-i >= 4 && string(b[i:i+4]) == "null") {
		return o, nil
	}
	if b[i] != '{' {
		return nil, fmt.Errorf("expected a JSON object, found %s", describeJSON(b[i:]))
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return o, nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return nil, errors.New("malformed object: expected a key")
		}
		end, err := skipString(b, i)
		if err != nil {
			return nil, err
		}
		var k string
		if bytes.IndexByte(b[i:end], '\\') >= 0 {
			if err := json.Unmarshal(b[i:end], &k); err != nil {
				return nil, err
			}
		} else {
			k = string(b[i+1 : end-1])
		}
		i = skipWS(b, end)
		if i >= len(b) || b[i] != ':' {
			return nil, fmt.Errorf("malformed object: expected ':' after key %q", k)
		}
		i = skipWS(b, i+1)
		vend, err := skipValue(b, i)
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", k, err)
		}
		if _, seen := o.vals[k]; seen {
			o.dups = append(o.dups, k) // first one wins
		} else {
			o.keys = append(o.keys, k)
			o.vals[k] = b[i:vend:vend]
		}
		i = skipWS(b, vend)
		if i >= len(b) {
			return nil, errors.New("malformed object: unexpected end")
		}
		if b[i] == '}' {
			return o, nil
		}
		if b[i] != ',' {
			return nil, fmt.Errorf("malformed object: expected ',' or '}' after key %q", k)
		}
		i = skipWS(b, i+1)
	}
}

// parseArr splits a JSON list into its elements (null gives none).
func parseArr(b []byte) ([]json.RawMessage, error) {
	i := skipWS(b, 0)
	if i >= len(b) || (len(b)-i >= 4 && string(b[i:i+4]) == "null") {
		return nil, nil
	}
	if b[i] != '[' {
		return nil, fmt.Errorf("expected a JSON list, found %s", describeJSON(b[i:]))
	}
	var out []json.RawMessage
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == ']' {
		return out, nil
	}
	for {
		end, err := skipValue(b, i)
		if err != nil {
			return nil, err
		}
		out = append(out, b[i:end:end])
		i = skipWS(b, end)
		if i >= len(b) {
			return nil, errors.New("malformed list: unexpected end")
		}
		if b[i] == ']' {
			return out, nil
		}
		if b[i] != ',' {
			return nil, errors.New("malformed list: expected ',' or ']'")
		}
		i = skipWS(b, i+1)
	}
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i] == '"'.
func skipString(b []byte, i int) (int, error) {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}
	return 0, errors.New("unterminated string")
}

// skipValue returns the index after the value starting at b[i].
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errors.New("missing value")
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				e, err := skipString(b, j)
				if err != nil {
					return 0, err
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errors.New("unterminated object or list")
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' && b[j] != '\t' && b[j] != '\r' {
		j++
	}
	if j == i {
		return 0, errors.New("missing value")
	}
	return j, nil
}

func (o *obj) has(k string) bool { _, ok := o.vals[k]; return ok }

func (o *obj) raw(k string) json.RawMessage { return o.vals[k] }

func (o *obj) str(k string) string { return jstr(o.vals[k]) }

func (o *obj) bool(k string) bool { return jbool(o.vals[k]) }

// unknown lists keys not in known.
func (o *obj) unknown(known map[string]bool) []string {
	var out []string
	for _, k := range o.keys {
		if !known[k] {
			out = append(out, k)
		}
	}
	return out
}

func describeJSON(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '[':
		return "a list"
	case '"':
		return "text"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func isNull(b json.RawMessage) bool {
	b = bytes.TrimSpace(b)
	return len(b) == 0 || string(b) == "null"
}

// jstr reads text leniently: a string, or a number's text; "" otherwise.
func jstr(b json.RawMessage) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return ""
	}
	if b[0] == '"' {
		var s string
		if json.Unmarshal(b, &s) == nil {
			return s
		}
		return ""
	}
	if b[0] == '-' || (b[0] >= '0' && b[0] <= '9') {
		return string(b)
	}
	return ""
}

// jbool reads a boolean leniently (true, "true", non-zero numbers).
func jbool(b json.RawMessage) bool {
	b = bytes.TrimSpace(b)
	switch string(b) {
	case "true", `"true"`, "1":
		return true
	}
	return false
}

// jnum reads a number leniently.
func jnum(b json.RawMessage) (float64, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return 0, false
	}
	s := string(b)
	if b[0] == '"' {
		s = jstr(b)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// jany decodes a value into plain JSON values (nil, bool, float64, string, []any, map[string]any).
func jany(b json.RawMessage) (any, error) {
	if isNull(b) {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	return v, nil
}

// syntaxError turns a decoding error of the whole file into one naming the
// byte offset, line and column.
func syntaxError(template string, data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := int64(-1)
	msg := err.Error()
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	case errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(msg, "unexpected end of JSON input"):
		off = int64(len(data))
		msg = "unexpected end of JSON input (the file looks truncated)"
	}
	e := &Error{Template: template, Msg: msg, Err: err, Offset: -1}
	if off >= 0 {
		if off > int64(len(data)) {
			off = int64(len(data))
		}
		e.Offset = off
		e.Line, e.Column = engine.LineCol(data, off)
		if off >= int64(len(data)) && !strings.Contains(msg, "truncated") {
			e.Msg = msg + " (the file looks truncated)"
		}
	}
	return e
}

// Error is an import failure naming where it happened.
type Error struct {
	Template string `json:"template,omitempty"`
	Flow     string `json:"flow,omitempty"`
	Card     string `json:"card,omitempty"`
	Field    string `json:"field,omitempty"`
	Offset   int64  `json:"offset,omitempty"` // byte offset of a JSON syntax error (-1 when unknown)
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	Msg      string `json:"message"`
	Err      error  `json:"-"`
}

func (e *Error) Error() string {
	var parts []string
	if e.Template != "" {
		parts = append(parts, "template "+e.Template)
	}
	if e.Flow != "" {
		parts = append(parts, "flow "+e.Flow)
	}
	if e.Card != "" {
		parts = append(parts, "card "+e.Card)
	}
	if e.Field != "" {
		parts = append(parts, "field "+strconv.Quote(e.Field))
	}
	s := strings.Join(parts, ": ")
	if e.Line > 0 {
		s += fmt.Sprintf(": invalid JSON at line %d, column %d (byte %d)", e.Line, e.Column, e.Offset)
	}
	if s != "" {
		s += ": "
	}
	return s + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// Known keys per level, from the format survey (versions 1.2.0–1.5.0).
// Anything else is reported as a warning (a newer export version).
var (
	knownEnvelope = set("type", "version", "created", "flags", "data", "checksum")
	knownData     = set("flos", "configs", "tables", "groups", "projectOverview")
	knownFlow     = set("id", "name", "description", "data")
	knownBody     = set("id", "uuid", "methods", "orderings", "display", "tree", "model", "scheduled", "cron",
		"security_level", "log", "inheritLog", "group", "templateName", "connector_method_meta", "monitor_flo",
		"actionId", "active_version_external_id", "templateFlowKey", "apiSpecMethod", "apiSpecRoute",
		"projectApiSpecId", "apiSpecFlowType")
	knownMethod = set("uuid", "address", "parents", "node", "pins", "branches", "joins")
	knownModel  = set("type", "_v", "key", "executable", "displayed", "async", "cooperative", "mirrored", "inlined",
		"dependencies", "timeout", "idempotent", "monitor", "webhook", "webhookList", "webhookConditions", "mobile",
		"hooks", "policy", "metadata", "meta", "config", "partnerChannelKeys", "inputs", "outputs", "runtime",
		"compat", "display", "comments", "enableNewMetadata")
	knownPolicy = set("type", "flo", "merge", "delay", "retry", "retryCondition")
)

func set(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}
