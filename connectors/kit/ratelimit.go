package kit

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RateSignals reads a vendor's rate-limit headers from a response and
// returns the limit, remaining calls and reset time of its window (ok=false
// when the response carries none). The kit rewrites them as Okta's
// X-Rate-Limit-* headers, which the httpx governor paces by; Retry-After on
// a 429 is honoured by httpx for every vendor without this.
type RateSignals func(h http.Header, now time.Time) (limit, remaining int, reset time.Time, ok bool)

// XRateLimit reads X-RateLimit-Limit/-Remaining/-Reset with the reset as
// epoch seconds (GitHub, Zoom and many others).
func XRateLimit(h http.Header, _ time.Time) (int, int, time.Time, bool) {
	l, e1 := strconv.Atoi(h.Get("X-RateLimit-Limit"))
	r, e2 := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	s, e3 := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64)
	if e1 != nil || e2 != nil || e3 != nil {
		return 0, 0, time.Time{}, false
	}
	return l, r, time.Unix(s, 0), true
}

// XRateLimitSeconds reads X-RateLimit-* with the reset in seconds from now.
func XRateLimitSeconds(h http.Header, now time.Time) (int, int, time.Time, bool) {
	l, e1 := strconv.Atoi(h.Get("X-RateLimit-Limit"))
	r, e2 := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	s, e3 := strconv.ParseFloat(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 64)
	if e1 != nil || e2 != nil || e3 != nil {
		return 0, 0, time.Time{}, false
	}
	return l, r, now.Add(time.Duration(s * float64(time.Second))), true
}

// RetryAfterWindow: vendors that only say Retry-After on a 429 (Slack's
// tiers, Microsoft Graph): the window is closed until then, so the
// governor holds every call of the bucket, not only the one that hit it.
func RetryAfterWindow(h http.Header, now time.Time) (int, int, time.Time, bool) {
	ra := strings.TrimSpace(h.Get("Retry-After"))
	if ra == "" {
		return 0, 0, time.Time{}, false
	}
	s, err := strconv.Atoi(ra)
	if err != nil {
		t, err := http.ParseTime(ra)
		if err != nil {
			return 0, 0, time.Time{}, false
		}
		return 1, 0, t, true
	}
	return 1, 0, now.Add(time.Duration(s) * time.Second), true
}

// rateTransport rewrites the vendor's rate headers as X-Rate-Limit-*.
type rateTransport struct {
	base http.RoundTripper
	sig  RateSignals
}

func (t *rateTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp == nil || resp.Header.Get("X-Rate-Limit-Limit") != "" {
		return resp, err
	}
	now := time.Now()
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		now = d
	}
	if l, r, reset, ok := t.sig(resp.Header, now); ok {
		// round the reset up: the governor holds until the window ends
		sec := reset.Unix()
		if reset.Nanosecond() > 0 {
			sec++
		}
		resp.Header.Set("X-Rate-Limit-Limit", strconv.Itoa(max(l, 1)))
		resp.Header.Set("X-Rate-Limit-Remaining", strconv.Itoa(max(r, 0)))
		resp.Header.Set("X-Rate-Limit-Reset", strconv.FormatInt(sec, 10))
	}
	return resp, nil
}
