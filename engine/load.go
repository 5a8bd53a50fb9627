package engine

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

//go:embed schema/flow.schema.json
var flowSchemaJSON []byte

// FlowSchemaJSON is the JSON Schema of the native flow format.
func FlowSchemaJSON() []byte { return flowSchemaJSON }

var flowSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	if err := c.AddResource("https://flowbench.dev/schema/flow.schema.json", bytes.NewReader(flowSchemaJSON)); err != nil {
		return nil, err
	}
	return c.Compile("https://flowbench.dev/schema/flow.schema.json")
})

// LoadError is a problem with a file's content, located by JSON pointer
// (and line/column for syntax errors).
type LoadError struct {
	File    string
	Pointer string
	Line    int
	Column  int
	Card    string // card id when the pointer is inside a card
	Message string
}

func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	if e.Card != "" {
		fmt.Fprintf(&b, ": card %s", e.Card)
	}
	if e.Pointer != "" {
		fmt.Fprintf(&b, ": at %s", e.Pointer)
	}
	b.WriteString(": ")
	b.WriteString(e.Message)
	return b.String()
}

// ParseFile reads a native flow or folder file. A single flow comes back
// as a folder of one.
func ParseFile(name string, data []byte) (*Folder, error) {
	if err := CheckJSONText(data, MaxJSONDepth, true); err != nil {
		return nil, textError(name, data, err)
	}
	var doc any
	if err := decodeJSON(data, &doc); err != nil {
		return nil, syntaxError(name, data, err)
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return nil, &LoadError{File: name, Message: "expected a JSON object"}
	}
	format, _ := obj["format"].(string)
	switch {
	case format == FlowFormat:
		f, err := parseFlowDoc(name, data, obj)
		if err != nil {
			return nil, err
		}
		return &Folder{Format: FolderFormat, Name: f.Folder, Flows: []*Flow{f}}, nil
	case format == FolderFormat:
		return parseFolderDoc(name, data, obj)
	case strings.HasPrefix(format, "flowbench.flow/") || strings.HasPrefix(format, "flowbench.folder/"):
		return nil, &LoadError{File: name, Pointer: "/format", Message: fmt.Sprintf("format %q is not supported by this version (it reads %s and %s)", format, FlowFormat, FolderFormat)}
	case obj["type"] == "flopack":
		return nil, &LoadError{File: name, Message: "this is an Okta Workflows export: import it with `flowbench import` (the .flopack importer)"}
	}
	return nil, &LoadError{File: name, Pointer: "/format", Message: fmt.Sprintf("missing or unknown format %q (want %q)", format, FlowFormat)}
}

// ParseFlow reads one native flow file.
func ParseFlow(name string, data []byte) (*Flow, error) {
	b, err := ParseFile(name, data)
	if err != nil {
		return nil, err
	}
	if len(b.Flows) != 1 {
		return nil, &LoadError{File: name, Message: fmt.Sprintf("expected one flow, found a folder of %d", len(b.Flows))}
	}
	return b.Flows[0], nil
}

func parseFolderDoc(name string, data []byte, obj map[string]any) (*Folder, error) {
	flows, _ := obj["flows"].([]any)
	for i, fd := range flows {
		fo, ok := fd.(map[string]any)
		if !ok {
			return nil, &LoadError{File: name, Pointer: fmt.Sprintf("/flows/%d", i), Message: "expected a flow object"}
		}
		if err := checkRawNesting(name, fmt.Sprintf("/flows/%d/cards", i), fo); err != nil {
			return nil, err
		}
		if err := checkFlowSchema(name, fmt.Sprintf("/flows/%d", i), fo); err != nil {
			return nil, err
		}
	}
	var b Folder
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, &LoadError{File: name, Message: err.Error()}
	}
	for i, f := range b.Flows {
		if err := CheckID("flow", f.ID); err != nil {
			return nil, &LoadError{File: name, Pointer: fmt.Sprintf("/flows/%d/id", i), Message: err.Error()}
		}
		if err := checkNesting(name, fmt.Sprintf("/flows/%d/cards", i), f); err != nil {
			return nil, err
		}
	}
	for i, t := range b.Tables {
		if err := CheckID("table", t.ID); err != nil {
			return nil, &LoadError{File: name, Pointer: fmt.Sprintf("/tables/%d/id", i), Message: err.Error()}
		}
	}
	return &b, nil
}

// parseFlowDoc checks the decoded document against the schema, then decodes
// the flow from the original bytes (not a re-encoding of obj, which would
// reformat numbers and raw Okta JSON and break byte-identical round trips).
func parseFlowDoc(name string, data []byte, obj map[string]any) (*Flow, error) {
	if err := checkRawNesting(name, "/cards", obj); err != nil {
		return nil, err
	}
	if err := checkFlowSchema(name, "", obj); err != nil {
		return nil, err
	}
	var f Flow
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, &LoadError{File: name, Message: err.Error()}
	}
	if err := CheckID("flow", f.ID); err != nil {
		return nil, &LoadError{File: name, Pointer: "/id", Message: err.Error()}
	}
	if err := checkNesting(name, "/cards", &f); err != nil {
		return nil, err
	}
	return &f, nil
}

func checkFlowSchema(name, prefix string, obj map[string]any) error {
	s, err := flowSchema()
	if err != nil {
		return fmt.Errorf("flow schema: %w", err)
	}
	err = s.Validate(obj)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return &LoadError{File: name, Pointer: prefix, Message: err.Error()}
	}
	leaf := deepest(ve)
	le := &LoadError{File: name, Pointer: prefix + leaf.InstanceLocation, Message: leaf.Message}
	le.Card = cardAt(obj, leaf.InstanceLocation)
	return le
}

// deepest picks the most specific cause, preferring the longest instance path.
func deepest(ve *jsonschema.ValidationError) *jsonschema.ValidationError {
	best := ve
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			if len(e.InstanceLocation) > len(best.InstanceLocation) || best == ve {
				best = e
			}
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return best
}

// cardAt finds the id of the innermost card containing a JSON pointer.
func cardAt(doc any, ptr string) string {
	parts := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	cur := doc
	id := ""
	for _, p := range parts {
		switch x := cur.(type) {
		case map[string]any:
			cur = x[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(x) {
				return id
			}
			cur = x[i]
		default:
			return id
		}
		if m, ok := cur.(map[string]any); ok {
			if cid, ok := m["id"].(string); ok && m["type"] != nil {
				id = cid
			}
		}
	}
	return id
}

func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return &json.SyntaxError{Offset: dec.InputOffset()}
	}
	return nil
}

func syntaxError(name string, data []byte, err error) error {
	off := int64(-1)
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		off = int64(len(data)) // truncated: the end of the file is where it broke
	}
	le := &LoadError{File: name, Message: "invalid JSON: " + err.Error()}
	if off >= 0 {
		le.Line, le.Column = LineCol(data, off)
	}
	return le
}

// LineCol is the 1-based line and column just after the first off bytes of
// data (off is clamped to data): where a JSON decoder's error offset points.
func LineCol(data []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(data)))
	line, col := 1, 1
	for _, c := range data[:off] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// MarshalFlow writes a flow deterministically: struct field order, sorted
// map keys, two-space indent, trailing newline — so export → import →
// export is byte-identical and diffs stay small.
func MarshalFlow(f *Flow) ([]byte, error) {
	c := *f
	if c.Format == "" {
		c.Format = FlowFormat
	}
	if c.Cards == nil {
		c.Cards = []Card{} // the format requires the list, even empty
	}
	if hasNilLists(&c) {
		cp, err := deepCopy(&c)
		if err != nil {
			return nil, err
		}
		fillNilLists(cp)
		return marshalIndent(cp)
	}
	return marshalIndent(&c)
}

// hasNilLists reports lists the schema requires but Go left nil (branch
// card lists, binding paths) — flows built in code, not read from files.
func hasNilLists(f *Flow) bool {
	found := false
	f.Walk(func(c *Card, _ *Card) bool {
		for i := range c.Branches {
			if c.Branches[i].Cards == nil {
				found = true
			}
		}
		return !found
	})
	return found
}

func fillNilLists(f *Flow) {
	f.Walk(func(c *Card, _ *Card) bool {
		for i := range c.Branches {
			if c.Branches[i].Cards == nil {
				c.Branches[i].Cards = []Card{}
			}
		}
		return true
	})
}

func deepCopy(f *Flow) (*Flow, error) {
	b, err := MarshalFlowJSON(f) // no HTML escaping of raw JSON
	if err != nil {
		return nil, err
	}
	var c Flow
	return &c, json.Unmarshal(b, &c)
}

// MarshalFolder writes a folder deterministically.
func MarshalFolder(b *Folder) ([]byte, error) {
	c := *b
	if c.Format == "" {
		c.Format = FolderFormat
	}
	c.Flows = append([]*Flow(nil), b.Flows...) // never replace the caller's pointers
	for i, f := range c.Flows {
		if f.Format == "" || f.Cards == nil || hasNilLists(f) {
			cp, err := deepCopy(f)
			if err != nil {
				return nil, err
			}
			if cp.Format == "" {
				cp.Format = FlowFormat
			}
			if cp.Cards == nil {
				cp.Cards = []Card{}
			}
			fillNilLists(cp)
			c.Flows[i] = cp
		}
	}
	return marshalIndent(&c)
}

func marshalIndent(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// MarshalFlowJSON writes any value as compact JSON without HTML escaping.
func MarshalFlowJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
