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
			// while editing, the same refusal shows on the same field (it said "No problems")
			var onField []string
			for _, p := range engine.Validate(f, nil) {
				if p.Kind == "bad-trigger-setting" {
					onField = append(onField, p.Input+": "+p.Message)
				}
			}
			switch {
			case tc.field == "" && len(onField) != 0:
				t.Fatalf("switches on, but the designer shows %v", onField)
			case tc.field != "" && (len(onField) != 1 || !strings.HasPrefix(onField[0], tc.field+": ") || !strings.Contains(onField[0], tc.msg)):
				t.Fatalf("refused on %s, the designer shows %v", tc.field, onField)
			}
		})
	}
}

// Poll every and the delivery are checked while editing as switching on
// checks them, on the field the card shows.
func TestEventDeliverySettingsCheckedWhileEditing(t *testing.T) {
	val := func(k string, v any) engine.Field { return engine.Field{Key: k, Value: v} }
	cases := []struct {
		name   string
		conn   string
		inputs []engine.Field
		field  string
		msg    string
	}{
		{"poll every soon", "sandbox", []engine.Field{val("delivery", "poll"), val("pollInterval", "soon")}, "pollInterval", `"soon" is not a duration`},
		{"poll every zero", "sandbox", []engine.Field{val("delivery", "poll"), val("pollInterval", "0")}, "pollInterval", "not a duration"},
		{"poll without a connection", "", []engine.Field{val("delivery", "poll")}, "connection", "polling needs a connection"},
		{"unknown delivery", "sandbox", []engine.Field{val("delivery", "carrier pigeon")}, "delivery", "is not a delivery"},
		{"poll every 2m", "sandbox", []engine.Field{val("delivery", "poll"), val("pollInterval", "2m")}, "", ""},
		{"hook", "", []engine.Field{val("delivery", "hook"), val("pollInterval", "soon")}, "", ""}, // Poll every is not read for hooks
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &engine.Flow{ID: "ev", Name: "User created", Format: engine.FlowFormat,
				Trigger: engine.Card{ID: "trigger", Type: EventCardID("userCreated"), Connection: tc.conn, Inputs: tc.inputs}}
			ps := trigger.CheckSettings(f)
			if tc.field == "" {
				if len(ps) != 0 {
					t.Fatalf("want no problem, got %+v", ps)
				}
				return
			}
			if len(ps) != 1 || ps[0].Input != tc.field || ps[0].Card != "trigger" || !strings.Contains(ps[0].Message, tc.msg) {
				t.Fatalf("want one problem on %s mentioning %q, got %+v", tc.field, tc.msg, ps)
			}
		})
	}
}
