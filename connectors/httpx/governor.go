package httpx

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Governor paces requests per (key, bucket) from the X-Rate-Limit-Limit,
// X-Rate-Limit-Remaining and X-Rate-Limit-Reset headers the server returns,
// and caps in-flight requests per key (Okta's org concurrency limit).
//
// Within a rate window it spreads the remaining quota evenly over the time
// left before the reset, so that many concurrent callers finish close to the
// limit without a burst of 429s at the window start. When the quota is spent
// it holds callers until the reset. While it knows nothing about a bucket
// (first use, or a new window) it lets one probe request through and holds
// the rest until the probe's headers arrive.
//
// Clock skew is estimated from the Date header (a lower bound of server minus
// local time), so resets are honoured on the server's clock.
type Governor struct {
	mu      sync.Mutex
	buckets map[string]*bucketState
	orgs    map[string]*orgState
	// Pace spreads the quota over the window (default true via NewGovernor).
	Pace bool
}

// NewGovernor returns an empty governor.
func NewGovernor() *Governor {
	return &Governor{buckets: map[string]*bucketState{}, orgs: map[string]*orgState{}, Pace: true}
}

// DefaultGovernor is shared by clients that do not bring their own.
var DefaultGovernor = NewGovernor()

type bucketState struct {
	mu        sync.Mutex
	known     bool
	limit     int
	remaining int
	resetAt   time.Time // local time the current window ends
	next      time.Time // earliest start of the next request (pacing)
	probing   bool
	probeAt   time.Time
	unlimited bool          // learnt from a response without rate headers
	changed   chan struct{} // closed when state learns something
	skew      time.Duration // lower bound of server clock minus local clock
	skewKnown bool
	lastDate  string // the last Date header read into skew
}

type orgState struct {
	sem chan struct{}
}

func (g *Governor) bucket(key string) *bucketState {
	g.mu.Lock()
	defer g.mu.Unlock()
	b := g.buckets[key]
	if b == nil {
		b = &bucketState{changed: make(chan struct{})}
		g.buckets[key] = b
	}
	return b
}

func (g *Governor) org(key string, n int) *orgState {
	g.mu.Lock()
	defer g.mu.Unlock()
	o := g.orgs[key]
	if o == nil || cap(o.sem) != n {
		o = &orgState{sem: make(chan struct{}, n)}
		g.orgs[key] = o
	}
	return o
}

// probeTimeout bounds how long callers wait for a probe's answer before
// letting another probe through (the probe may hang or fail without headers).
const probeTimeout = 2 * time.Second

// Acquire waits until a request on (key, bucket) may start and until an
// in-flight slot of key is free (maxInFlight > 0). It returns the release
// function of the slot and how long it waited.
func (g *Governor) Acquire(ctx context.Context, key, bucket string, maxInFlight int) (release func(), waited time.Duration, err error) {
	start := time.Now()
	b := g.bucket(key + "\x00" + bucket)
	for {
		wait, ch, ok := b.try(g.Pace)
		if ok {
			break
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, time.Since(start), ctx.Err()
		case <-t.C:
		case <-ch:
			t.Stop()
		}
	}
	release = func() {}
	if maxInFlight > 0 {
		o := g.org(key, maxInFlight)
		select {
		case o.sem <- struct{}{}:
		case <-ctx.Done():
			return nil, time.Since(start), ctx.Err()
		}
		var once sync.Once
		release = func() { once.Do(func() { <-o.sem }) }
	}
	return release, time.Since(start), nil
}

// try reserves one request if allowed; otherwise it says how long to wait
// (and a channel closed when new information arrives).
func (b *bucketState) try(pace bool) (time.Duration, <-chan struct{}, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	if b.known && !now.Before(b.resetAt) {
		// The window ended: learn the new one from a probe.
		b.known = false
	}
	if !b.known {
		if !b.probing || now.Sub(b.probeAt) > probeTimeout {
			b.probing, b.probeAt = true, now
			return 0, nil, true
		}
		return probeTimeout - now.Sub(b.probeAt), b.changed, false
	}
	if b.remaining <= 0 {
		return b.resetAt.Sub(now), b.changed, false
	}
	if pace && now.Before(b.next) {
		return b.next.Sub(now), nil, false
	}
	b.remaining--
	if pace && b.remaining > 0 {
		b.next = now.Add(b.resetAt.Sub(now) / time.Duration(b.remaining+1))
	}
	return 0, nil, true
}

func (b *bucketState) notify() {
	close(b.changed)
	b.changed = make(chan struct{})
}

// RateInfo is what a response said about its bucket.
type RateInfo struct {
	Limit     int
	Remaining int
	Reset     time.Time // server clock
	OK        bool      // the three headers were present
}

// ParseRate reads the X-Rate-Limit-* headers.
func ParseRate(h http.Header) RateInfo {
	ls := h.Get("X-Rate-Limit-Limit")
	if ls == "" {
		return RateInfo{} // most APIs send none: no parse errors to allocate
	}
	l, e1 := strconv.Atoi(ls)
	r, e2 := strconv.Atoi(h.Get("X-Rate-Limit-Remaining"))
	s, e3 := strconv.ParseInt(h.Get("X-Rate-Limit-Reset"), 10, 64)
	if e1 != nil || e2 != nil || e3 != nil {
		return RateInfo{}
	}
	return RateInfo{Limit: l, Remaining: r, Reset: time.Unix(s, 0), OK: true}
}

// Observe updates a bucket from a response (resp may be nil after a transport
// error). sent is when the request started.
func (g *Governor) Observe(key, bucket string, sent time.Time, resp *http.Response) {
	b := g.bucket(key + "\x00" + bucket)
	now := time.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if resp == nil {
		if b.probing {
			b.probing = false
			b.notify()
		}
		return
	}
	// The same Date again (many responses a second) cannot raise the bound:
	// d - now only falls as now grows, so it is parsed once.
	if date := resp.Header.Get("Date"); date != b.lastDate {
		if d, err := http.ParseTime(date); err == nil {
			b.lastDate = date
			// The server's clock read d..d+1s at some instant between sent and now.
			lo := d.Sub(now)
			if !b.skewKnown || lo > b.skew {
				b.skew, b.skewKnown = lo, true
			}
		}
	}
	ri := ParseRate(resp.Header)
	if !ri.OK || ri.Limit == 0 {
		// No headers, or Okta's concurrency-limit 429 (Limit 0): nothing to learn.
		if b.probing && !b.known {
			b.probing = false
			if !ri.OK {
				// A server without rate headers: stop holding callers until
				// a response says otherwise (any response with headers
				// replaces this assumption at once).
				b.known, b.limit, b.remaining, b.resetAt = true, 1<<30, 1<<30, now.Add(time.Hour)
				b.unlimited = true
			}
			b.notify()
		}
		return
	}
	resetAt := ri.Reset.Add(-b.skew)
	rem := ri.Remaining
	if resp.StatusCode == http.StatusTooManyRequests {
		rem = 0
	}
	switch {
	case !resetAt.After(now):
		// Stale: from a window that has already ended.
		if b.probing && !b.known {
			b.probing = false
			b.notify()
		}
		return
	case !b.known || b.unlimited || resetAt.After(b.resetAt.Add(500*time.Millisecond)) ||
		resetAt.Before(b.resetAt.Add(-2*time.Second)):
		// First sight of this window, or the server now reports a window
		// other than the one assumed (an unlimited tenant that became
		// limited, a shorter window): every response with headers resets it.
		b.known, b.limit, b.remaining, b.resetAt = true, ri.Limit, rem, resetAt
		b.unlimited = false
		b.next = time.Time{}
		b.probing = false
		b.notify()
	default:
		if rem < b.remaining {
			b.remaining = rem
		}
		if ri.Limit != b.limit {
			b.limit = ri.Limit
		}
		if rem == 0 {
			b.notify()
		}
	}
}

// Snapshot reports the governor's view of a bucket: limit, remaining, reset.
func (g *Governor) Snapshot(key, bucket string) (limit, remaining int, reset time.Time, known bool) {
	b := g.bucket(key + "\x00" + bucket)
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.limit, b.remaining, b.resetAt, b.known
}
