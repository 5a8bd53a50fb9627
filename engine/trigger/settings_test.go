package trigger_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// An API Endpoint setting that switching on refuses shows on its field while
// the flow is edited (engine.Validate, what the designer's Problems panel and
// `flowbench validate` show), with the same field and message; a flow whose
// settings switch on shows none. The designer said "No problems" for a rate
// limit of 0 that switching on then refused.
func TestTriggerSettingsCheckedWhileEditingAsWhenSwitchedOn(t *testing.T) {
	e := newEnv(t, t.TempDir(), trigger.Options{}).start()
	defer e.close()
	cases := []struct {
		name   string
		conn   string
		inputs []engine.Field
		field  string // "" = switches on
		msg    string
	}{
		{"rate limit 0", "", []engine.Field{fld("rateLimit", 0)}, "rateLimit", "must be a positive number"},
		{"rate limit text", "", []engine.Field{fld("rateLimit", "fast")}, "rateLimit", "must be a positive number"},
		{"timeout soon", "", []engine.Field{fld("timeout", "soon")}, "timeout", `"soon" is not a duration`},
		{"unknown security level", "", []engine.Field{fld("security_level", "paranoid")}, "security_level", `"paranoid" is not a security level`},
		{"oauth without a connection", "", []engine.Field{fld("security_level", "oauth2")}, "connection", "needs an Okta connection"},
		{"oauth with a path for a server", "okta", []engine.Field{fld("security_level", "oauth2"), fld("authServer", "a/b")}, "authServer", "not an authorization server id"},
		{"max concurrent 0", "", []engine.Field{fld("maxConcurrent", 0)}, "maxConcurrent", "at least 1"},
		{"rate 5, timeout 30s, hmac", "", []engine.Field{fld("rateLimit", 5), fld("timeout", "30s"), fld("security_level", "hmac")}, "", ""},
		{"defaults", "", nil, "", ""},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := endpoint("set-"+string(rune('a'+i)), tc.inputs)
			f.Trigger.Connection = tc.conn
			f.Format = engine.FlowFormat
			if err := e.st.PutFlow(f); err != nil {
				t.Fatal(err)
			}
			got, _ := e.st.Flow(context.Background(), f.ID)
			err := e.rt.Sync(got)
			var shown []engine.Problem
			for _, p := range engine.Validate(got, nil) {
				if p.Kind == "bad-trigger-setting" {
					shown = append(shown, p)
				}
			}
			if tc.field == "" {
				if err != nil || len(shown) != 0 {
					t.Fatalf("switching on: %v; shown while editing: %+v", err, shown)
				}
				return
			}
			var ce *trigger.ConfigError
			if !errors.As(err, &ce) || ce.Field != tc.field || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("switching on: %v; want a refusal on %s mentioning %q", err, tc.field, tc.msg)
			}
			if len(shown) != 1 || shown[0].Input != tc.field || shown[0].Card != "trigger" || shown[0].Message != ce.Err.Error() {
				t.Fatalf("shown while editing: %+v; want the refusal %q on %s", shown, ce.Err, tc.field)
			}
		})
	}
}
