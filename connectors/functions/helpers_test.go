package functions

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// runCard builds a one-card flow (Manual Run trigger, then the card with
// static inputs) and runs it through the real executor, so input schemas,
// loose conversion and output schemas are all exercised. It returns the
// card's outputs, or the run's error (a *engine.CardError).
func runCard(tb testing.TB, typ string, inputs []engine.Field, outputs ...engine.Field) (map[string]any, error) {
	tb.Helper()
	f := &engine.Flow{Format: engine.FlowFormat, ID: "t-" + typ, Name: "test " + typ,
		Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards:   []engine.Card{{ID: "c", Type: typ, Inputs: inputs, Outputs: outputs}}}
	ex, err := engine.NewExecutor(nil, nil, nil).Run(context.Background(), f, nil, engine.RunOptions{})
	if err != nil {
		return nil, err
	}
	for _, rec := range ex.Cards {
		if rec.ID == "c" {
			return rec.Outputs, nil
		}
	}
	tb.Fatalf("card record missing")
	return nil, nil
}

// v is a static input; vt a static input with a declared type.
func v(key string, val any) engine.Field { return engine.Field{Key: key, Value: val} }
func vt(key, typ string, val any) engine.Field {
	return engine.Field{Key: key, Type: engine.T(typ), Value: val}
}
func vg(group, key, typ string, val any) engine.Field {
	return engine.Field{Key: key, Group: group, Type: engine.T(typ), Value: val}
}

// ins turns key/value pairs into fields, keeping their order.
func ins(kv ...any) []engine.Field {
	out := make([]engine.Field, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, v(kv[i].(string), kv[i+1]))
	}
	return out
}

// cardCase is one row of a table-driven card test.
type cardCase struct {
	name  string
	card  string
	in    []engine.Field
	outs  []engine.Field              // declared outputs (extensible or typed outputs)
	want  map[string]any              // expected outputs (only these keys are checked)
	check func(map[string]any) string // extra check; returns a problem or ""
	errIn string                      // expected error naming this input ("-" = any error)
}

func runCases(t *testing.T, cases []cardCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := runCard(t, c.card, c.in, c.outs...)
			if c.errIn != "" {
				if err == nil {
					t.Fatalf("want an error on %q, got outputs %v", c.errIn, got)
				}
				var ce *engine.CardError
				if !errors.As(err, &ce) {
					t.Fatalf("error is not a CardError: %v", err)
				}
				if c.errIn != "-" && ce.Input != c.errIn {
					t.Fatalf("error names input %q, want %q: %v", ce.Input, c.errIn, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			for k, w := range c.want {
				if g, ok := got[k]; !ok || !reflect.DeepEqual(g, w) {
					t.Errorf("output %q = %#v, want %#v (all: %v)", k, g, w, got)
				}
			}
			if c.check != nil {
				if p := c.check(got); p != "" {
					t.Error(p)
				}
			}
		})
	}
}

func TestEveryCardDocumented(t *testing.T) {
	n := 0
	for _, s := range engine.Default().Cards() {
		switch s.Category {
		case "Text", "Number", "True/False", "Date & Time", "JSON", "URL", "Encryption", "JWT":
		default:
			continue
		}
		n++
		if s.Description == "" {
			t.Errorf("%s has no description", s.ID)
		}
		if s.DocURL == "" && len(s.Okta) > 0 {
			t.Errorf("%s has no help page", s.ID)
		}
		if s.InputSchema() == nil || s.OutputSchema() == nil {
			t.Errorf("%s has no compiled schema", s.ID)
		}
		for _, o := range s.Okta {
			if got, ok := engine.Default().ByOkta(o); !ok || got != s {
				t.Errorf("okta kind %s does not resolve to %s", o, s.ID)
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d cards registered", n)
	}
}
