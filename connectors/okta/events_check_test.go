package okta

import (
	"errors"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// An app instance event card that says an instance is given but names none
// is refused when the flow is switched on, naming the field, instead of
// running for every app's events.
func TestAppInstanceEventOptionsCheckedWhenSwitchedOn(t *testing.T) {
	e := newEvEnv(t)
	defer e.stop()
	val := func(k string, v any) engine.Field { return engine.Field{Key: k, Value: v} }
	cases := []struct {
		name   string
		inputs []engine.Field
		field  string // "" = switched on
		msg    string
	}{
		{"yes without an id", []engine.Field{val("useId", "Yes")}, "appId", "App Instance ID is empty while Use App Instance ID? is Yes"},
		{"yes with a blank id", []engine.Field{val("useId", "Yes"), val("appId", "  ")}, "appId", "App Instance ID is empty"},
		{"enter-id choice without yes", []engine.Field{val("useId", "No"), val("instance", enterInstanceID)}, "instance", "choose Yes in Use App Instance ID?"},
		{"yes with an id", []engine.Field{val("useId", "Yes"), val("appId", "0oa1qnkh2nUxWHIBK1d7")}, "", ""},
		{"yes with the template's leftover choices", []engine.Field{val("useId", "Yes"), val("app", enterInstanceID), val("instance", enterInstanceID), val("appId", "0oa1qnkh2nUxWHIBK1d7")}, "", ""},
		{"yes with a wired id", []engine.Field{val("useId", "Yes"), {Key: "appId", From: &engine.Binding{Card: "x", Path: []string{"id"}}}}, "", ""},
		{"every instance", []engine.Field{val("useId", "No"), val("instance", allInstances)}, "", ""},
		{"no options", nil, "", ""},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &engine.Flow{ID: "appinst-" + string(rune('a'+i)), Name: "App assigned " + tc.name, Enabled: true, Format: engine.FlowFormat,
				Trigger: engine.Card{ID: "trigger", Type: EventCardID("userAddedToApplicationMembership"), Connection: "sandbox",
					Inputs: append(tc.inputs, val("delivery", "poll"))}}
			if err := e.st.PutFlow(f); err != nil {
				t.Fatal(err)
			}
			err := e.rt.Sync(f)
			var ce *trigger.ConfigError
			switch {
			case tc.field == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.field != "" && !errors.As(err, &ce):
				t.Fatalf("switched on (err %v), want a ConfigError on %s", err, tc.field)
			case tc.field != "" && (ce.Field != tc.field || !strings.Contains(err.Error(), tc.msg)):
				t.Fatalf("error on %q: %v; want %q mentioning %q", ce.Field, err, tc.field, tc.msg)
			}
		})
	}
}
