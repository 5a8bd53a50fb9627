package okta

import (
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// streamingShownWhen shows a card's Streaming inputs (State) only while its
// Result Set streams, as Okta's card does: "First 200 Records" has no
// Streaming section.
func streamingShownWhen(s *engine.Spec) {
	var sel *engine.FieldSpec
	for i := range s.Inputs {
		if f := &s.Inputs[i]; f.Group == "parameters" && strings.EqualFold(f.Label, "Result Set") {
			sel = f
		}
	}
	if sel == nil {
		return
	}
	var streams []any
	for _, c := range sel.Choices {
		if strings.HasPrefix(strings.ToLower(engine.ToText(c.Value)), "stream") {
			streams = append(streams, c.Value)
		}
	}
	if len(streams) == 0 {
		return
	}
	for i := range s.Inputs {
		if f := &s.Inputs[i]; f.Group == "Streaming" && f.ShownWhen == nil {
			f.ShownWhen = &engine.ShownWhen{Key: sel.Key, Values: streams}
		}
	}
}

// shownBy asks for f only while input key holds one of values (engine ShownWhen).
func shownBy(f engine.FieldSpec, key string, values ...any) engine.FieldSpec {
	f.ShownWhen = &engine.ShownWhen{Key: key, Values: values}
	return f
}
