package engine

import (
	"fmt"
	"strings"
)

// ShownWhen makes an input depend on a choice, as Okta's cards do: a "Read By"
// set to "Serial Number" asks for the serial number only. The field shows (and,
// when Required, must be set) only while the input Key holds one of Values;
// its default counts when the card does not set it. A selector that is wired
// to another card's output is unknown until the run, so every field shows.
type ShownWhen struct {
	Key    string `json:"key"`
	Values []any  `json:"values"`
}

// Shown says whether fs is asked for on card c of spec s.
func (fs *FieldSpec) Shown(c *Card, s *Spec) bool {
	w := fs.ShownWhen
	if w == nil {
		return true
	}
	var cur any
	found := false
	for i := range c.Inputs {
		f := &c.Inputs[i]
		if f.Key != w.Key {
			continue
		}
		if f.From != nil || len(f.Any) > 0 || f.Item != nil {
			return true
		}
		cur, found = f.Value, f.Value != nil
	}
	if !found {
		if sel := s.InputSpec(w.Key); sel != nil {
			cur = sel.Default
		}
	}
	for _, v := range w.Values {
		if sameChoice(v, cur) {
			return true
		}
	}
	return false
}

// RequiredOn says whether a Required field must be set on card c: always
// without ShownWhen; with it, only while shown by a static choice (a wired
// selector is known at run time only, where the card checks its inputs).
func (fs *FieldSpec) RequiredOn(c *Card, s *Spec) bool {
	if !fs.Required {
		return false
	}
	if fs.ShownWhen == nil {
		return true
	}
	for i := range c.Inputs {
		if f := &c.Inputs[i]; f.Key == fs.ShownWhen.Key && (f.From != nil || len(f.Any) > 0 || f.Item != nil) {
			return false
		}
	}
	return fs.Shown(c, s)
}

// sameChoice compares choice values as text, case-insensitively (an
// export's "serialnumber" picks the choice "serialNumber"); nil matches nil.
func sameChoice(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return strings.EqualFold(fmt.Sprint(a), fmt.Sprint(b))
}

// checkShownWhen refuses a spec whose ShownWhen names no input of the card,
// or a value that is not one of that input's choices.
func checkShownWhen(s *Spec) error {
	for _, f := range s.Inputs {
		w := f.ShownWhen
		if w == nil {
			continue
		}
		var sel *FieldSpec
		for i := range s.Inputs {
			if s.Inputs[i].Key == w.Key && w.Key != f.Key {
				sel = &s.Inputs[i]
			}
		}
		if sel == nil {
			return fmt.Errorf("card spec %q: input %q is shown by %q, which is not another input of the card", s.ID, f.Key, w.Key)
		}
		if len(w.Values) == 0 {
			return fmt.Errorf("card spec %q: input %q is shown by %q for no value", s.ID, f.Key, w.Key)
		}
		if len(sel.Choices) == 0 {
			continue
		}
		for _, v := range w.Values {
			ok := false
			for _, c := range sel.Choices {
				ok = ok || sameChoice(c.Value, v)
			}
			if !ok {
				return fmt.Errorf("card spec %q: input %q is shown by %q = %v, which is not one of its choices", s.ID, f.Key, w.Key, v)
			}
		}
	}
	return nil
}
