package httpx

import (
	"encoding/base64"
	"net/url"
	"strings"
)

// secretParams are query parameters whose values never reach history or logs.
var secretParams = []string{"token", "key", "secret", "password", "passwd", "signature", "sig", "assertion",
	"code", "auth", "credential", "session"}

// IsSecretName is true for header or parameter names that carry secrets.
func IsSecretName(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "authorization", "proxy-authorization", "cookie", "set-cookie", "dpop", "x-api-key", "x-auth-token":
		return true
	}
	for _, s := range secretParams {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// RedactURL drops user info and masks secret-looking query values.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return redactURL(u)
}

func redactURL(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User("REDACTED")
	}
	if c.RawQuery != "" {
		q := c.Query()
		changed := false
		for k, vs := range q {
			if IsSecretName(k) {
				for i := range vs {
					vs[i] = "REDACTED"
				}
				changed = true
			}
		}
		if changed {
			c.RawQuery = q.Encode()
		}
	}
	c.Fragment = ""
	return c.String()
}

// RedactHeaders returns a copy of h with secret headers masked.
func RedactHeaders(h map[string][]string) map[string][]string {
	out := make(map[string][]string, len(h))
	for k, v := range h {
		if IsSecretName(k) {
			out[k] = []string{"REDACTED"}
			continue
		}
		out[k] = append([]string(nil), v...)
	}
	return out
}

// Scrub replaces every occurrence of each secret in s.
func Scrub(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "REDACTED")
		}
	}
	return s
}

// ScrubValue returns v (a plain JSON value) with every occurrence of each
// secret replaced in every string, map key included; v is not modified.
// Cards pass their outputs and error bodies through it so that a service
// echoing request headers cannot put credentials into history.
func ScrubValue(v any, secrets ...string) any {
	live := secrets[:0:0]
	for _, s := range secrets {
		if len(s) >= 4 {
			live = append(live, s)
		}
	}
	if len(live) == 0 {
		return v
	}
	return scrubValue(v, live)
}

func scrubValue(v any, secrets []string) any {
	switch x := v.(type) {
	case string:
		return Scrub(x, secrets...)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[Scrub(k, secrets...)] = scrubValue(e, secrets)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = scrubValue(e, secrets)
		}
		return out
	}
	return v
}

// CredentialForms returns the ways a secret travels on the wire besides its
// own text: the Basic pair in base64 (standard and URL alphabets) and
// percent-encoded, so an echo of any of them is recognised.
func CredentialForms(user, password string) []string {
	var out []string
	if password != "" || user != "" {
		pair := user + ":" + password
		out = append(out, base64.StdEncoding.EncodeToString([]byte(pair)), base64.RawStdEncoding.EncodeToString([]byte(pair)),
			base64.URLEncoding.EncodeToString([]byte(pair)))
	}
	if password != "" {
		if e := url.QueryEscape(password); e != password {
			out = append(out, e)
		}
		if e := url.PathEscape(password); e != password {
			out = append(out, e)
		}
	}
	return out
}
