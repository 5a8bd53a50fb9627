package httpx

import (
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
