package httpx

import (
	"net/http"
	"strings"
)

// HeaderMap flattens response headers for card outputs (one value per name,
// joined by ", "), leaving out the names in omit (e.g. Set-Cookie, whose
// session values must not reach history).
func HeaderMap(h http.Header, omit ...string) map[string]any {
	out := make(map[string]any, len(h))
	for k, v := range h {
		skip := false
		for _, o := range omit {
			skip = skip || strings.EqualFold(k, o)
		}
		if !skip {
			out[k] = strings.Join(v, ", ")
		}
	}
	return out
}
