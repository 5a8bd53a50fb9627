// Package fakeapi holds what the local fakes of vendor APIs
// (connectors/<app>/fake) share: fault injection with the same rules as the
// Okta sandbox (status, latency, connection reset, every Nth request),
// request counting, and JSON helpers. A fake is a plain http.Handler; the
// fault middleware runs before the vendor's own auth and routing.
package fakeapi

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Fault injects failures into matching requests (the Okta sandbox's rules).
type Fault struct {
	PathPrefix string        // empty matches every path
	Method     string        // empty matches every method
	Every      int           // fail every Nth matching request (0 or 1: every one)
	Status     int           // 500, 503, 429… (0 with Latency: only delay)
	Latency    time.Duration // sleep before answering
	Reset      bool          // close the connection without a response
	// RetryAfter, on a 429, is sent as Retry-After (seconds; default 1).
	RetryAfter int
}

// ErrorWriter writes a fault's error in the vendor's error shape.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, status int)

// Faults is the fault table of one fake, replaceable at run time.
type Faults struct {
	mu      sync.Mutex
	rules   []Fault
	counts  []int64
	injects atomic.Int64
	write   ErrorWriter
}

// NewFaults returns an empty table whose injected errors are written by w.
func NewFaults(w ErrorWriter) *Faults { return &Faults{write: w} }

// Set replaces the rules (and restarts their counters).
func (f *Faults) Set(rules []Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = append([]Fault(nil), rules...)
	f.counts = make([]int64, len(rules))
}

// Injected is how many faults were injected so far.
func (f *Faults) Injected() int64 { return f.injects.Load() }

func (f *Faults) match(r *http.Request) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, rule := range f.rules {
		if rule.PathPrefix != "" && !strings.HasPrefix(r.URL.Path, rule.PathPrefix) {
			continue
		}
		if rule.Method != "" && !strings.EqualFold(rule.Method, r.Method) {
			continue
		}
		f.counts[i]++
		if rule.Every > 1 && f.counts[i]%int64(rule.Every) != 0 {
			continue
		}
		return rule, true
	}
	return Fault{}, false
}

// Wrap runs the fault table before next.
func (f *Faults) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rule, ok := f.match(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if rule.Latency > 0 {
			select {
			case <-time.After(rule.Latency):
			case <-r.Context().Done():
				return
			}
		}
		switch {
		case rule.Reset:
			f.injects.Add(1)
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					if tc, ok := conn.(*net.TCPConn); ok {
						_ = tc.SetLinger(0)
					}
					_ = conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		case rule.Status >= 400:
			f.injects.Add(1)
			if rule.Status == http.StatusTooManyRequests {
				ra := rule.RetryAfter
				if ra <= 0 {
					ra = 1
				}
				w.Header().Set("Retry-After", itoa(ra))
			}
			f.write(w, r, rule.Status)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// JSON writes v with the status and a JSON content type.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
}

// Decode reads a JSON request body into v (a nil body leaves v as is).
func Decode(r *http.Request, v any) error {
	if r.Body == nil {
		return nil
	}
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 8<<20))
	if err := dec.Decode(v); err != nil && err.Error() != "EOF" {
		return err
	}
	return nil
}

// Bearer returns the token of an "Authorization: Bearer …" header.
func Bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// Seq hands out increasing ids.
type Seq struct{ n atomic.Int64 }

// Next returns the next id, starting at start+1.
func (s *Seq) Next(start int64) int64 {
	return start + s.n.Add(1)
}
