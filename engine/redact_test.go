package engine

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const testSecret = "Pa55-word-0f-the-day"

var gotBySink string

func init() {
	Register(&Spec{ID: "test.redact.source", Title: "Secret source", Kind: KindFunction,
		Outputs: []FieldSpec{{Key: "value", Type: T("string")}, {Key: "plain", Type: T("string")}},
		Run: func(context.Context, Inputs) (Outputs, error) {
			return Outputs{"value": testSecret, "plain": "not secret"}, nil
		}})
	Register(&Spec{ID: "test.redact.sink", Title: "Secret sink", Kind: KindAction,
		Inputs:  []FieldSpec{{Key: "text", Type: T("string")}},
		Outputs: []FieldSpec{{Key: "echo", Type: T("string")}},
		Run: func(ctx context.Context, in Inputs) (Outputs, error) {
			s := ToText(in.Values["text"])
			gotBySink = s
			in.Run.Attempt(Attempt{N: 1, Method: "POST", URL: "https://vault.example/items?password=" + s, Status: 200})
			RecordCall(ctx, RecordedCall{Method: "POST", URL: "https://vault.example/items", Status: 200, Body: `{"value":"` + s + `"}`})
			return Outputs{"echo": "stored " + s}, nil
		}})
	Register(&Spec{ID: "test.redact.fail", Title: "Secret failure", Kind: KindAction,
		Inputs: []FieldSpec{{Key: "text", Type: T("string")}},
		Run: func(_ context.Context, in Inputs) (Outputs, error) {
			return nil, &HTTPError{Status: 400, Summary: "vault refused " + ToText(in.Values["text"])}
		}})
}

func redactFlow(secret bool, last string) *Flow {
	return &Flow{Format: FlowFormat, ID: "redact-" + last, Name: "redact", Settings: Settings{History: true},
		Trigger: Card{ID: "trigger", Type: "flow.manual"},
		Cards: []Card{
			{ID: "src", Type: "test.redact.source", Outputs: []Field{{Key: "value", Secret: secret}, {Key: "plain"}}},
			{ID: "sink", Type: last, Inputs: []Field{{Key: "text", From: &Binding{Card: "src", Path: []string{"value"}}}}},
		}}
}

func TestSecretOutputsAreRedactedInHistory(t *testing.T) {
	e := NewExecutor(FlowMap{}, nil, nil)
	ex, err := e.Run(context.Background(), redactFlow(true, "test.redact.sink"), nil, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if gotBySink != testSecret {
		t.Fatalf("the next card got %q, want the secret itself", gotBySink)
	}
	b, _ := json.Marshal(ex)
	if strings.Contains(string(b), testSecret) {
		t.Fatalf("secret in the execution record: %s", b)
	}
	var src, sink CardRecord
	for _, c := range ex.Cards {
		switch c.ID {
		case "src":
			src = c
		case "sink":
			sink = c
		}
	}
	if src.Outputs["value"] != Redacted || src.Outputs["plain"] != "not secret" {
		t.Fatalf("source outputs: %v", src.Outputs)
	}
	if sink.Inputs["text"] != Redacted || sink.Outputs["echo"] != "stored "+Redacted {
		t.Fatalf("sink record: in %v out %v", sink.Inputs, sink.Outputs)
	}
	if len(sink.Attempts) != 1 || !strings.Contains(sink.Attempts[0].URL, Redacted) {
		t.Fatalf("attempts: %+v", sink.Attempts)
	}
	if len(sink.Calls) != 1 || !strings.Contains(sink.Calls[0].Body, Redacted) {
		t.Fatalf("calls: %+v", sink.Calls)
	}
	// an error naming the secret is redacted too
	_, err = e.Run(context.Background(), redactFlow(true, "test.redact.fail"), nil, RunOptions{})
	var ce *CardError
	if !errors.As(err, &ce) || strings.Contains(ce.Error(), testSecret) || !strings.Contains(ce.Error(), Redacted) {
		t.Fatalf("error: %v", err)
	}
	// without Secret the value is recorded as before
	ex, err = e.Run(context.Background(), redactFlow(false, "test.redact.sink"), nil, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(ex); !strings.Contains(string(b), testSecret) {
		t.Fatal("a value not marked secret should be recorded")
	}
}

func TestSecretSetLeavesValuesAlone(t *testing.T) {
	var s secretSet
	s.add("topsecret")
	in := map[string]any{"a": []any{"x topsecret y", map[string]any{"k": "topsecret"}}, "b": 3.0}
	out := s.record(in)
	if in["a"].([]any)[0] != "x topsecret y" || in["a"].([]any)[1].(map[string]any)["k"] != "topsecret" {
		t.Fatalf("the run's own value was changed: %v", in)
	}
	if out["a"].([]any)[0] != "x "+Redacted+" y" || out["a"].([]any)[1].(map[string]any)["k"] != Redacted || out["b"] != 3.0 {
		t.Fatalf("record: %v", out)
	}
	s.add("ab") // too short to be a secret? add keeps it; note ignores it
	c := &Card{Outputs: []Field{{Key: "v", Secret: true}}}
	var t2 secretSet
	t2.note(c, map[string]any{"v": "ab"})
	if len(t2.list()) != 0 {
		t.Fatal("a 2-character value should not become a secret")
	}
}

// A secret passed to a helper flow is redacted in the helper's record too
// (its input, its trigger outputs, its cards), and the helper gets the value.
func TestSecretsReachHelperRecordsRedacted(t *testing.T) {
	hist := &memHistory{}
	helper := newFlow("redact-helper", Card{ID: "h", Type: "flow.helper", Outputs: []Field{{Key: "pw", Type: T("string")}}},
		Card{ID: "use", Type: "test.redact.sink", Inputs: []Field{{Key: "text", From: &Binding{Card: "h", Path: []string{"pw"}}}}})
	parent := newFlow("redact-parent", manual(),
		Card{ID: "src", Type: "test.redact.source", Outputs: []Field{{Key: "value", Secret: true}}},
		Card{ID: "call", Type: "flow.call", Flow: "redact-helper", Inputs: []Field{{Key: "pw", From: &Binding{Card: "src", Path: []string{"value"}}}}})
	e := NewExecutor(FlowMap{"redact-helper": helper}, nil, hist)
	gotBySink = ""
	if _, err := e.Run(context.Background(), parent, nil, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if gotBySink != testSecret {
		t.Fatalf("the helper's card got %q", gotBySink)
	}
	if len(hist.runs) != 2 {
		t.Fatalf("%d runs recorded, want parent and helper", len(hist.runs))
	}
	for _, ex := range hist.runs {
		b, _ := json.Marshal(ex)
		if strings.Contains(string(b), testSecret) {
			t.Fatalf("secret in the record of %s: %s", ex.Flow, b)
		}
	}
}

// A JSON-valued connection secret (a stored OAuth token, a service account
// key file) adds its secret fields, not the settings beside them that
// records show as they are.
func TestConnectionSecretFormsOfJSONSecrets(t *testing.T) {
	c := &Connection{ID: "g", Secrets: map[string]string{
		"token":             `{"access_token":"at-123456789","refresh_token":"rt-987654321","token_type":"Bearer","expiry":"2026-12-01T00:00:00Z"}`,
		"serviceAccountKey": `{"type":"service_account","private_key_id":"abc123","private_key":"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n","client_email":"sa@p.iam.gserviceaccount.com","token_uri":"https://oauth2.googleapis.com/token"}`}}
	forms := ConnectionSecretForms(c)
	has := func(v string) bool {
		for _, f := range forms {
			if f == v {
				return true
			}
		}
		return false
	}
	for _, want := range []string{"at-123456789", "rt-987654321", "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
		`-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n`} {
		if !has(want) {
			t.Errorf("forms lack %q", want)
		}
	}
	for _, plain := range []string{"Bearer", "service_account", "sa@p.iam.gserviceaccount.com", "https://oauth2.googleapis.com/token", "2026-12-01T00:00:00Z", "abc123"} {
		if has(plain) {
			t.Errorf("forms hold the setting %q: history would show it redacted", plain)
		}
	}
}
