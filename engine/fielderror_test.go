package engine

import (
	"errors"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Schema failures name fields as typed, not as URL-escaped JSON pointer
// tokens ("ID%20or%20Login").
func TestValidateNamesFieldsAsTyped(t *testing.T) {
	s := jsonschema.MustCompileString("fields.json", `{"type":"object","properties":{
		"ID or Login":{"type":"string"},
		"a/b ~c":{"type":"number"},
		"Profile":{"type":"object","properties":{"cost center":{"type":"number"}}}}}`)
	cases := []struct {
		in      map[string]any
		key     string
		message string
	}{
		{map[string]any{"ID or Login": 5.0}, "ID or Login", ""},
		{map[string]any{"a/b ~c": "x"}, "a/b ~c", ""},
		{map[string]any{"Profile": map[string]any{"cost center": "x"}}, "Profile", "at /cost center: "},
	}
	cs := &cardSchema{}
	cs.once.Do(func() { cs.full = s })
	for _, c := range cases {
		err := validate(cs, c.in)
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Fatalf("%v: error %v, want a FieldError", c.in, err)
		}
		if fe.Key != c.key {
			t.Errorf("%v: key %q, want %q", c.in, fe.Key, c.key)
		}
		if msg := fe.Err.Error(); c.message != "" && (len(msg) < len(c.message) || msg[:len(c.message)] != c.message) {
			t.Errorf("%v: message %q, want prefix %q", c.in, msg, c.message)
		}
	}
}
