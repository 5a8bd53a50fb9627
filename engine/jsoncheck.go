package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on the files Flowbench reads (native flow and folder files, Okta
// .flopack exports). Okta's largest exports are under 2 MB and nest a few
// dozen levels; these bounds leave room and keep a hostile file from
// costing minutes or gigabytes.
const (
	// MaxFileBytes bounds one imported file.
	MaxFileBytes = 64 << 20
	// MaxJSONDepth bounds the nesting of objects and arrays in a file.
	MaxJSONDepth = 512
	// MaxCardNesting bounds how deep cards nest in branches (If/Else
	// inside If/Else…).
	MaxCardNesting = 64
)

// JSONTextError is a file that is not acceptable JSON text: invalid UTF-8,
// a duplicate key, too deep or too large. Offset is the byte where it was
// found, Pointer the JSON pointer of the object or array.
type JSONTextError struct {
	Offset  int64
	Pointer string
	Msg     string
}

func (e *JSONTextError) Error() string {
	if p := e.Pointer; p != "" {
		if len(p) > 120 {
			p = p[:60] + "…" + p[len(p)-50:]
		}
		return "at " + p + ": " + e.Msg
	}
	return e.Msg
}

// CheckJSONText checks what encoding/json lets through silently: invalid
// UTF-8 (decoded as U+FFFD), duplicate object keys (the last one wins), and
// nesting deeper than maxDepth; and the size. dupKeys false skips the
// duplicate-key check (Okta exports, whose importer reports its own). It
// runs in time linear in the input. Syntax errors are left to the decoder.
func CheckJSONText(data []byte, maxDepth int, dupKeys bool) error {
	if len(data) > MaxFileBytes {
		return &JSONTextError{Msg: fmt.Sprintf("the file is %.1f MB; at most %d MB can be imported", float64(len(data))/(1<<20), MaxFileBytes>>20)}
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return &JSONTextError{Offset: int64(off), Msg: fmt.Sprintf("the file is not valid UTF-8 (byte 0x%02x)", data[off])}
	}
	type frame struct {
		obj    bool
		keys   map[string]bool
		key    string // current key (objects) or index (arrays)
		idx    int
		expect bool // object: next string token is a key
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var stack []*frame
	pointer := func() string {
		var b strings.Builder
		for _, f := range stack {
			b.WriteByte('/')
			if f.obj {
				b.WriteString(strings.ReplaceAll(strings.ReplaceAll(f.key, "~", "~0"), "/", "~1"))
			} else {
				b.WriteString(strconv.Itoa(f.idx))
			}
		}
		return b.String()
	}
	// value ends a value in the enclosing container
	value := func() {
		if n := len(stack); n > 0 {
			top := stack[n-1]
			if top.obj {
				top.expect = true
			} else {
				top.idx++
			}
		}
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return nil // syntax: the decoder that follows reports it with position
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				if len(stack) >= maxDepth {
					return &JSONTextError{Offset: dec.InputOffset(), Pointer: pointer(),
						Msg: fmt.Sprintf("nested more than %d levels deep", maxDepth)}
				}
				f := &frame{obj: d == '{', expect: d == '{'}
				if f.obj && dupKeys {
					f.keys = map[string]bool{}
				}
				stack = append(stack, f)
			default:
				stack = stack[:len(stack)-1]
				value()
			}
			continue
		}
		if n := len(stack); n > 0 && stack[n-1].obj && stack[n-1].expect {
			top := stack[n-1]
			k, _ := tok.(string)
			if top.keys != nil {
				if top.keys[k] {
					top.key = k
					return &JSONTextError{Offset: dec.InputOffset(), Pointer: pointer(), Msg: fmt.Sprintf("duplicate key %q", k)}
				}
				top.keys[k] = true
			}
			top.key, top.expect = k, false
			continue
		}
		value()
	}
}

// textError turns a CheckJSONText failure into a LoadError with line and
// column.
func textError(name string, data []byte, err error) error {
	var te *JSONTextError
	if !errors.As(err, &te) {
		return &LoadError{File: name, Message: err.Error()}
	}
	le := &LoadError{File: name, Pointer: te.Pointer, Message: te.Msg}
	if te.Offset > 0 {
		le.Line, le.Column = LineCol(data, te.Offset)
	}
	return le
}

// CardNesting is how deep cards nest in branches: 0 for a flow without
// branch cards, 1 when cards sit in an If/Else lane, and so on.
func CardNesting(f *Flow) int {
	var depth func(cards []Card) int
	depth = func(cards []Card) int {
		d := 0
		for i := range cards {
			for j := range cards[i].Branches {
				d = max(d, 1+depth(cards[i].Branches[j].Cards))
			}
		}
		return d
	}
	return depth(f.Cards)
}

// checkNesting refuses flows whose cards nest deeper than MaxCardNesting.
func checkNesting(name, ptr string, f *Flow) error {
	if d := CardNesting(f); d > MaxCardNesting {
		return &LoadError{File: name, Pointer: ptr, Message: fmt.Sprintf("flow %q nests cards %d levels deep (If/Else inside If/Else…); at most %d are allowed", f.ID, d, MaxCardNesting)}
	}
	return nil
}

// MarshalFlowCompact is MarshalFlow without indentation: what the store
// keeps (indentation grows with the square of a value's depth, so a 14 KB
// flow holding a deeply nested value became 98 MB). Exports and the UI
// show flows indented (MarshalFlow).
func MarshalFlowCompact(f *Flow) ([]byte, error) {
	c := *f
	if c.Format == "" {
		c.Format = FlowFormat
	}
	if c.Cards == nil {
		c.Cards = []Card{}
	}
	if hasNilLists(&c) {
		cp, err := deepCopy(&c)
		if err != nil {
			return nil, err
		}
		fillNilLists(cp)
		return MarshalFlowJSON(cp)
	}
	return MarshalFlowJSON(&c)
}

// rawCardNesting is CardNesting on the decoded document, before the schema
// check (whose cost grows with nesting).
func rawCardNesting(doc map[string]any) int {
	var depth func(cards any) int
	depth = func(cards any) int {
		list, _ := cards.([]any)
		d := 0
		for _, c := range list {
			co, _ := c.(map[string]any)
			bs, _ := co["branches"].([]any)
			for _, b := range bs {
				bo, _ := b.(map[string]any)
				d = max(d, 1+depth(bo["cards"]))
			}
		}
		return d
	}
	return depth(doc["cards"])
}

func checkRawNesting(name, ptr string, doc map[string]any) error {
	if d := rawCardNesting(doc); d > MaxCardNesting {
		id, _ := doc["id"].(string)
		return &LoadError{File: name, Pointer: ptr, Message: fmt.Sprintf("flow %q nests cards %d levels deep (If/Else inside If/Else…); at most %d are allowed", id, d, MaxCardNesting)}
	}
	return nil
}

// ReadFileBounded reads a file to import or validate, refusing one larger
// than MaxFileBytes before reading it (a 200 MB file used to cost 1.6 GB
// and end in a raw store error).
func ReadFileBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > MaxFileBytes {
		return nil, fmt.Errorf("%s: the file is %.1f MB; at most %d MB can be imported", path, float64(st.Size())/(1<<20), MaxFileBytes>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("%s: the file is larger than %d MB, the most that can be imported", path, MaxFileBytes>>20)
	}
	return data, nil
}
