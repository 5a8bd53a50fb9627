package engine

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestValidateProblemKinds(t *testing.T) {
	helperA := newFlow("A", Card{ID: "h", Type: "flow.helper"}, Card{ID: "c", Type: "flow.call", Flow: "B"})
	helperB := newFlow("B", Card{ID: "h", Type: "flow.helper"}, Card{ID: "c", Type: "flow.call", Flow: "A"})
	cases := []struct {
		name    string
		cards   []Card
		kind    string
		card    string
		input   string
		pointer string
	}{
		{"unknown card type", []Card{{ID: "x", Type: "nope.nope"}}, "unknown-card", "x", "", "/cards/0/type"},
		{"binding to later card", []Card{
			{ID: "a", Type: "test.upper", Inputs: []Field{{Key: "text", From: bind("b", "output")}}},
			{ID: "b", Type: "test.upper", Inputs: []Field{{Key: "text", Value: "x"}}}}, "bad-binding", "a", "text", "/cards/0/inputs/0/from/card"},
		{"binding to missing card", []Card{{ID: "a", Type: "test.upper", Inputs: []Field{{Key: "text", From: bind("ghost", "output")}}}},
			"bad-binding", "a", "text", "/cards/0/inputs/0/from/card"},
		{"binding to missing output field", []Card{
			{ID: "a", Type: "test.upper", Inputs: []Field{{Key: "text", Value: "x"}}},
			{ID: "b", Type: "test.upper", Inputs: []Field{{Key: "text", From: bind("a", "nope")}}}}, "missing-field", "b", "text", "/cards/1/inputs/0/from/path/0"},
		{"binding to missing nested field", []Card{
			{ID: "u", Type: "test.user", Inputs: []Field{{Key: "id", Value: "1"}}},
			{ID: "b", Type: "test.upper", Inputs: []Field{{Key: "text", From: bind("u", "user", "profile", "phone")}}}}, "missing-field", "b", "text", "/cards/1/inputs/0/from/path"},
		{"type mismatch", []Card{
			{ID: "u", Type: "test.user", Inputs: []Field{{Key: "id", Value: "1"}}},
			{ID: "n", Type: "test.add", Inputs: []Field{{Key: "a", From: bind("u", "user")}}}}, "type-mismatch", "n", "a", "/cards/1/inputs/0/from"},
		{"static value of wrong type", []Card{{ID: "n", Type: "test.add", Inputs: []Field{{Key: "a", Value: "eleven"}}}}, "type-mismatch", "n", "a", "/cards/0/inputs/0/value"},
		{"missing required input", []Card{{ID: "a", Type: "test.upper"}}, "missing-input", "a", "text", "/cards/0/inputs"},
		{"unresolved helper flow", []Card{{ID: "c", Type: "flow.call", Flow: "nowhere"}}, "missing-flow", "c", "", "/cards/0/flow"},
		{"helper flow cycle", []Card{{ID: "c", Type: "flow.call", Flow: "A"}}, "flow-cycle", "", "", "/cards"},
		{"unknown connection", []Card{{ID: "k", Type: "test.needsConn2", Connection: "ghost"}}, "missing-connection", "k", "", "/cards/0/connection"},
		{"duplicate id", []Card{{ID: "a", Type: "test.upper", Inputs: []Field{{Key: "text", Value: "x"}}}, {ID: "a", Type: "test.upper", Inputs: []Field{{Key: "text", Value: "y"}}}},
			"duplicate-id", "a", "", "/cards/1/id"},
		{"unknown error handling action", []Card{{ID: "a", Type: "test.upper", Inputs: []Field{{Key: "text", Value: "x"}}, OnError: &ErrorPolicy{Action: "halt"}}}, "bad-error-policy", "a", "", "/cards/0/onError/action"},
		{"error helper flow not chosen", []Card{{ID: "a", Type: "test.upper", Inputs: []Field{{Key: "text", Value: "x"}}, OnError: &ErrorPolicy{Action: "flow"}}}, "bad-error-policy", "a", "", "/cards/0/onError/flow"},
		{"negative retries", []Card{{ID: "a", Type: "test.upper", Inputs: []Field{{Key: "text", Value: "x"}}, OnError: &ErrorPolicy{Action: "continue", Retries: -2}}}, "bad-error-policy", "a", "", "/cards/0/onError/retries"},
		{"unknown input on fixed card", []Card{{ID: "a", Type: "test.upper", Inputs: []Field{{Key: "text", Value: "x"}, {Key: "txet", Value: "y"}}}}, "unknown-input", "a", "txet", "/cards/0/inputs/1/key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFlow("f", manual(), tc.cards...)
			probs := Validate(f, &ValidateEnv{Flows: map[string]*Flow{"A": helperA, "B": helperB}, Connections: map[string]bool{"real": true}})
			for _, p := range probs {
				if p.Kind == tc.kind {
					if p.Card != tc.card || p.Input != tc.input || p.Pointer != tc.pointer || p.Flow != "f" {
						t.Fatalf("problem %+v, want card %q input %q pointer %q", p, tc.card, tc.input, tc.pointer)
					}
					if p.Message == "" || !strings.Contains(p.String(), "flow f") {
						t.Fatalf("unhelpful message %q", p.String())
					}
					return
				}
			}
			t.Fatalf("no %s problem in %+v", tc.kind, probs)
		})
	}
}

func init() {
	Register(&Spec{ID: "test.eventTrigger", Title: "Event", Category: "Test", Kind: KindTrigger, Connection: "okta", ExtensibleOutputs: true})
	Register(&Spec{ID: "test.needsConn2", Title: "Needs connection", Category: "Test", Kind: KindAction, Connection: "okta",
		Run: func(_ context.Context, _ Inputs) (Outputs, error) { return Outputs{}, nil }})
}

func TestValidateTriggerConnection(t *testing.T) {
	trig := manual()
	trig.Type, trig.Connection = "test.eventTrigger", "placeholder-uuid"
	probs := Validate(newFlow("f", trig), &ValidateEnv{Connections: map[string]bool{"real": true}})
	if len(probs) != 1 || probs[0].Kind != "missing-connection" || probs[0].Pointer != "/trigger/connection" {
		t.Fatalf("dangling trigger connection: %+v", probs)
	}
	trig.Connection = ""
	if probs := Validate(newFlow("f", trig), &ValidateEnv{Connections: map[string]bool{}}); len(probs) != 0 {
		t.Fatalf("a trigger without connection is fine (event hooks): %+v", probs)
	}
}

func TestValidateCleanFlow(t *testing.T) {
	f := newFlow("ok", manual(Field{Key: "id", Type: T("string")}),
		Card{ID: "u", Type: "test.user", Inputs: []Field{{Key: "id", From: bind("trigger", "id")}}},
		Card{ID: "if", Type: "flow.if", Inputs: []Field{{Key: "left-operand", From: bind("u", "user", "profile", "email")}, {Key: "operator", Value: "is not empty"}},
			Branches: []Branch{{Name: "true", Cards: []Card{{ID: "t", Type: "test.upper", Inputs: []Field{{Key: "text", From: bind("u", "user", "id")}}}}},
				{Name: "false", Cards: []Card{{ID: "f2", Type: "test.upper", Inputs: []Field{{Key: "text", Value: "none"}}}}}},
			Outputs: []Field{{Key: "v", Type: T("string"), Any: []Binding{{Card: "t", Path: []string{"output"}}, {Card: "f2", Path: []string{"output"}}}}}},
		Card{ID: "k", Type: "test.needsConn2", Connection: "real"},
		Card{ID: "end", Type: "test.upper", Inputs: []Field{{Key: "text", From: bind("if", "v")}}},
	)
	if probs := Validate(f, &ValidateEnv{Connections: map[string]bool{"real": true}}); len(probs) != 0 {
		t.Fatalf("unexpected problems: %v", probs)
	}
}

func TestFormatSchema(t *testing.T) {
	good := `{"format":"flowbench.flow/v1","id":"f1","name":"F","settings":{"history":true,"timeout":"30s"},
	  "trigger":{"id":"trigger","type":"flow.manual","outputs":[{"key":"n","type":"number"}]},
	  "cards":[{"id":"a","type":"test.add","inputs":[{"key":"a","from":{"card":"trigger","path":["n"]}}],
	    "branches":[{"name":"x","cards":[]}],"onError":{"action":"continue"}}]}`
	cases := []struct {
		name, doc, want string
	}{
		{"accepts a valid flow", good, ""},
		{"rejects wrong format version", strings.Replace(good, "flowbench.flow/v1", "flowbench.flow/v9", 1), "not supported by this version"},
		{"rejects missing format", `{"id":"x"}`, "missing or unknown format"},
		{"rejects malformed JSON with line", "{\"format\":\"flowbench.flow/v1\",\n\"id\": }", ":2:"},
		{"rejects truncated JSON", good[:40], "invalid JSON"},
		{"rejects unknown card key", strings.Replace(good, `"type":"test.add",`, `"type":"test.add","colour":"red",`, 1), "/cards/0"},
		{"names the card", strings.Replace(good, `"from":{"card":"trigger","path":["n"]}`, `"from":{"card":"trigger","path":[]}`, 1), "card a"},
		{"rejects bad type", strings.Replace(good, `"type":"number"`, `"type":"numbr"`, 1), "/trigger/outputs/0/type"},
		{"rejects value and binding together", strings.Replace(good, `"key":"a",`, `"key":"a","value":1,`, 1), "/cards/0/inputs/0"},
		{"rejects bad error policy", strings.Replace(good, `"action":"continue"`, `"action":"explode"`, 1), "/cards/0/onError/action"},
		{"flopack is pointed at the importer", `{"type":"flopack","version":"1.5.0","data":{}}`, "flowbench import"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseFlow("my.flow.json", []byte(tc.doc))
			if tc.want == "" {
				if err != nil || f.ID != "f1" || f.Settings.Timeout.String() != "30s" {
					t.Fatalf("err %v flow %+v", err, f)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "my.flow.json") {
				t.Fatalf("err = %v, want it to name the file and contain %q", err, tc.want)
			}
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("not a LoadError: %T", err)
			}
		})
	}
}

func TestExportRoundTripByteIdentical(t *testing.T) {
	f := newFlow("rt", manual(Field{Key: "user", Type: Obj(map[string]*Type{"id": T("string"), "tags": T("string[]")})}),
		Card{ID: "a", Type: "test.upper", Title: "Upper <b>&", Inputs: []Field{{Key: "text", From: &Binding{Card: "trigger", Path: []string{"user", "id"}, Convert: "toString"}}}},
		Card{ID: "b", Type: "flow.if", Inputs: []Field{{Key: "left-operand", Value: map[string]any{"z": 1.0, "a": []any{true, nil, 2.5}}}, {Key: "operator", Value: "is empty"}},
			Branches: []Branch{{Name: "true", Cards: []Card{{ID: "c", Type: "flow.noop"}}}}, OnError: &ErrorPolicy{Action: "fail", Retries: 2, Delay: Duration(1500000000)}},
	)
	f.Settings.KeepLast = 10
	first, err := MarshalFlow(f)
	if err != nil {
		t.Fatal(err)
	}
	g, err := ParseFlow("rt.flow.json", first)
	if err != nil {
		t.Fatal(err)
	}
	second, err := MarshalFlow(g)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Fatalf("round trip differs:\n%s\n---\n%s", first, second)
	}
	if !bytes.HasSuffix(first, []byte("}\n")) || !bytes.Contains(first, []byte("\n  \"id\": \"rt\"")) || !bytes.Contains(first, []byte("<b>&")) {
		t.Fatalf("not two-space indented with trailing newline and unescaped text:\n%s", first)
	}
}

// Raw Okta JSON, numbers and HTML-ish text survive export → import →
// export byte for byte; flows built in code without card lists still
// export as files that import.
func TestRoundTripKeepsRawAndFillsLists(t *testing.T) {
	f := newFlow("raw", manual(), Card{ID: "u", Type: "flow.noop", Title: "a <b> & c",
		Origin:   &Origin{Source: "okta", Raw: []byte(`{"z":1.50,"a":"<i>","n":12345678901234567891}`)},
		Branches: []Branch{{Name: "x"}}})
	f.Cards = append(f.Cards, Card{ID: "v", Type: "flow.noop"})
	first, err := MarshalFlow(f)
	if err != nil {
		t.Fatal(err)
	}
	g, err := ParseFlow("raw.flow.json", first)
	if err != nil {
		t.Fatalf("export does not import: %v\n%s", err, first)
	}
	second, _ := MarshalFlow(g)
	if !bytes.Equal(first, second) {
		t.Fatalf("differs:\n%s\n---\n%s", first, second)
	}
	if !bytes.Contains(first, []byte(`"z": 1.50`)) || !bytes.Contains(first, []byte(`12345678901234567891`)) || !bytes.Contains(first, []byte(`"<i>"`)) {
		t.Fatalf("raw JSON changed:\n%s", first)
	}
	empty := &Flow{ID: "e", Name: "e", Trigger: Card{ID: "trigger", Type: "flow.manual"}}
	b, _ := MarshalFlow(empty)
	if _, err := ParseFlow("e.flow.json", b); err != nil {
		t.Fatalf("flow without cards: %v\n%s", err, b)
	}
	folder := &Folder{Name: "F", Flows: []*Flow{empty}}
	fb, _ := MarshalFolder(folder)
	if _, err := ParseFile("f.folder.json", fb); err != nil || folder.Flows[0] != empty {
		t.Fatalf("folder: %v", err)
	}
}
