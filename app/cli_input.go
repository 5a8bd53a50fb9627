package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// inputExample is what the --input errors show as the expected form.
const inputExample = `'{"name": "Ann"}' or @FILE`

// inputObject reads a command's --input (JSON text, or @FILE) as a JSON
// object. Every way it can be wrong is a usage error that names the flag
// and says what was given, in the user's terms rather than Go's ("cannot
// unmarshal array into Go value of type map[string]interface {}").
func inputObject(flag, arg string) (map[string]any, error) {
	b, err := readArg(arg)
	if err != nil {
		return nil, usagef("%s %s: %v", flag, arg, err)
	}
	if strings.HasPrefix(arg, "@") {
		flag += " " + arg // name the file
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a BOM some editors write
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, usagef("%s: empty; give a JSON object, e.g. %s", flag, inputExample)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			line, col := engine.LineCol(b, syn.Offset-1) // the offset is just after the offending byte: point at it
			msg := fmt.Sprintf("%s: not valid JSON (line %d, column %d: %s)", flag, line, col, syn.Error())
			if t := strings.TrimSpace(string(b)); !strings.HasPrefix(t, "{") && strings.Contains(t, "=") {
				msg += fmt.Sprintf("; --input takes a JSON object, not KEY=VALUE: give %s", inputExample)
			} else {
				msg += fmt.Sprintf("; give a JSON object, e.g. %s", inputExample)
			}
			return nil, usageError{msg}
		}
		return nil, usagef("%s: not valid JSON: %v", flag, err)
	}
	in, ok := v.(map[string]any)
	if !ok {
		return nil, usagef("%s: %s, not a JSON object of field names and values; give %s", flag, jsonKind(v), inputExample)
	}
	return in, nil
}

// jsonKind names a decoded JSON value's kind with an article.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "a list (array)"
	}
	return "a JSON value"
}

// unknownInputKeys lists the keys of a run's --input that are no field of
// the flow's trigger (its card type's outputs and the fields added to it),
// with the fields it has: a typo ("nmae") otherwise ran the flow with the
// field's default and no word about it. Nil when all are known, or when
// the trigger's type is not registered (nothing to compare with).
func unknownInputKeys(f *engine.Flow, in map[string]any) (unknown, known []string) {
	spec, ok := engine.Default().Card(f.Trigger.Type)
	if !ok {
		return nil, nil
	}
	fields := map[string]bool{}
	for _, o := range spec.Outputs {
		fields[o.Key] = true
	}
	for _, o := range f.Trigger.Outputs {
		fields[o.Key] = true
	}
	if spec.ExtensibleOutputs && len(f.Trigger.Outputs) == 0 && len(spec.Outputs) == 0 {
		return nil, nil // a trigger whose fields are whatever it is given
	}
	for k := range in {
		if !fields[k] && k != "context" {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil, nil
	}
	for k := range fields {
		if k != "context" {
			known = append(known, k)
		}
	}
	sort.Strings(unknown)
	sort.Strings(known)
	return unknown, known
}

// quoteList is `"a" is` or `"a", "b" are` for a sentence.
func quoteList(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = fmt.Sprintf("%q", k)
	}
	if len(q) == 1 {
		return q[0] + " is"
	}
	return strings.Join(q, ", ") + " are"
}
