package httpx

import (
	"strings"
	"testing"
)

func TestRedactJSONSecrets(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"status":"ok","listening":1}`, `{"status":"ok","listening":1}`}, // no secret-like name: as is
		{`{"access_token":"abc","n":1}`, `REDACTED`},
		{`{"user":{"Password":"hunter2"}}`, `REDACTED`},
		{`{"\u0074oken":"abc"}`, `REDACTED`}, // escaped name
		{`{"items":[{"apiKey":"k1"}]}`, `REDACTED`},
		{`not json with token`, `not json with token`},
	} {
		got := string(redactJSONSecrets([]byte(c.in)))
		if c.want == "REDACTED" {
			if !strings.Contains(got, "REDACTED") || strings.Contains(got, "abc") || strings.Contains(got, "hunter2") || strings.Contains(got, "k1") {
				t.Errorf("%s → %s: secret kept", c.in, got)
			}
			continue
		}
		if got != c.want {
			t.Errorf("%s → %s, want %s", c.in, got, c.want)
		}
	}
}
