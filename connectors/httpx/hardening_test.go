package httpx

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// headerLog records the headers every request to a server carried.
type headerLog struct {
	mu sync.Mutex
	h  []http.Header
}

func (l *headerLog) add(h http.Header) { l.mu.Lock(); l.h = append(l.h, h.Clone()); l.mu.Unlock() }
func (l *headerLog) all() []http.Header {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]http.Header(nil), l.h...)
}

// Issue 15 point 4: credentials added by the connection's Auth (re-applied
// on every attempt) and secret headers the caller set never reach a host the
// connection does not belong to, on any redirect hop.
func TestCredentialsNeverFollowRedirectsToOtherHosts(t *testing.T) {
	var foreign headerLog
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreign.add(r.Header)
		w.WriteHeader(200)
	}))
	defer evil.Close()
	var own headerLog
	var home *httptest.Server
	home = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		own.add(r.Header)
		switch r.URL.Path {
		case "/same":
			http.Redirect(w, r, home.URL+"/final", http.StatusFound)
		case "/final":
			w.WriteHeader(200)
		default: // /away/<status>
			code, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/away/"))
			// the second hop goes to another host by name (localhost vs 127.0.0.1)
			http.Redirect(w, r, evil.URL+"/hop?to="+strconv.Itoa(code), code)
		}
	}))
	defer home.Close()
	auth := func(r *http.Request) error {
		r.Header.Set("Authorization", "SSWS tok-secret-1")
		r.Header.Set("X-API-Key", "key-secret-2")
		return nil
	}
	for _, base := range []string{home.URL, ""} {
		c := New(Options{BaseURL: base, NoGovernor: true, Policy: fast, Auth: auth})
		for _, code := range []int{301, 302, 303, 307, 308} {
			u := "/away/" + strconv.Itoa(code)
			if base == "" {
				u = home.URL + u
			}
			hdr := http.Header{"X-Auth-Token": {"caller-secret-3"}, "Cookie": {"sid=caller-secret-4"}}
			resp, err := c.Do(context.Background(), &Request{Method: "GET", URL: u, Header: hdr})
			if err != nil || resp.Status != 200 {
				t.Fatalf("base %q %d: %v %+v", base, code, err, resp)
			}
		}
	}
	hops := foreign.all()
	if len(hops) != 10 {
		t.Fatalf("the foreign host saw %d requests, want 10", len(hops))
	}
	leaked := 0
	for _, h := range hops {
		for _, k := range []string{"Authorization", "X-Api-Key", "X-Auth-Token", "Cookie"} {
			if h.Get(k) != "" {
				leaked++
				t.Errorf("foreign host received %s: %q", k, h.Get(k))
			}
		}
	}
	t.Logf("credentials leaked to the foreign host: %d of %d hops", leaked, len(hops))
	// the connection's own host still gets its credentials, on every hop
	c := New(Options{BaseURL: home.URL, NoGovernor: true, Policy: fast, Auth: auth})
	if _, err := c.Do(context.Background(), &Request{Method: "GET", URL: "/same"}); err != nil {
		t.Fatal(err)
	}
	hs := own.all()
	for _, h := range hs[len(hs)-2:] {
		if h.Get("Authorization") != "SSWS tok-secret-1" {
			t.Fatalf("same-host hop lost its credentials: %v", h)
		}
	}
}

// A base URL pins credentials to its host: an absolute URL to another host
// made through the same client carries none.
func TestCredentialsPinnedToBaseHost(t *testing.T) {
	var seen headerLog
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen.add(r.Header) }))
	defer other.Close()
	c := New(Options{BaseURL: "https://tenant.example.com", NoGovernor: true, Policy: fast,
		Auth: func(r *http.Request) error { r.Header.Set("Authorization", "Basic c2VjcmV0"); return nil }})
	if _, err := c.Do(context.Background(), &Request{Method: "GET", URL: other.URL + "/x"}); err != nil {
		t.Fatal(err)
	}
	if h := seen.all()[0].Get("Authorization"); h != "" {
		t.Fatalf("credentials sent to a host that is not the base URL's: %q", h)
	}
}

// Issue 15 point 5: a response without rate headers (an unlimited tenant, a
// proxy) must not pin the bucket to an hour-long window; the first response
// with headers replaces it.
func TestGovernorUnlimitedThenLimited(t *testing.T) {
	var limited atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if limited.Load() {
			w.Header().Set("X-Rate-Limit-Limit", "600")
			w.Header().Set("X-Rate-Limit-Remaining", "590")
			w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(time.Now().Add(60*time.Second).Unix(), 10))
		}
		w.WriteHeader(200)
	}))
	defer srv.Close()
	g := NewGovernor()
	c := New(Options{BaseURL: srv.URL, Governor: g, Key: "org", Policy: fast})
	get := func() {
		if _, err := c.Do(context.Background(), &Request{Method: "GET", URL: "/api/v1/users"}); err != nil {
			t.Fatal(err)
		}
	}
	get()
	limited.Store(true)
	get()
	limit, remaining, reset, known := g.Snapshot("org", "127.0.0.1"+strings.TrimPrefix(srv.URL, "http://127.0.0.1"))
	window := time.Until(reset)
	t.Logf("after the first limited response: limit %d remaining %d window %s", limit, remaining, window.Round(time.Second))
	if !known || limit != 600 || remaining > 590 || window > 61*time.Second {
		t.Fatalf("governor kept the unlimited window: limit %d remaining %d reset in %s", limit, remaining, window)
	}
	// pacing now spreads the remaining quota over the real window: the next
	// request is due in about 60 s / 590, not an hour / 590
	_, gap, err := g.Acquire(context.Background(), "org", "127.0.0.1"+strings.TrimPrefix(srv.URL, "http://127.0.0.1"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if gap > 2*time.Second {
		t.Fatalf("paced %s apart", gap)
	}
}

// Issue 15 point 6: a hanging upstream is cut at the call's (card's)
// timeout, after one attempt, not after Attempts × the per-attempt timeout.
func TestHangingUpstreamCutAtCallTimeout(t *testing.T) {
	release := make(chan struct{})
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	pol := fast
	pol.Attempts = 4
	pol.Timeout = 300 * time.Millisecond
	c := New(Options{BaseURL: srv.URL, NoGovernor: true, Policy: pol, Timeout: time.Minute})
	_, err := c.Do(context.Background(), &Request{Method: "GET", URL: "/slow"})
	var he *Error
	if !errors.As(err, &he) || !he.Timeout() {
		t.Fatalf("want a timeout error, got %v", err)
	}
	if !strings.Contains(err.Error(), "limit") {
		t.Fatalf("error does not say the call's limit was reached: %v", err)
	}
	if n.Load() != 1 {
		t.Fatalf("server saw %d attempts", n.Load())
	}
}

// Issue 15 point 6: a POST carrying an Idempotency-Key is safe to repeat and
// is retried on 5xx; a POST without one is not.
func TestIdempotencyKeyMakesPostRetryable(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%2 == 1 {
			w.WriteHeader(503)
			return
		}
		w.WriteHeader(201)
	}))
	defer srv.Close()
	c := New(Options{BaseURL: srv.URL, NoGovernor: true, Policy: fast})
	resp, err := c.Do(context.Background(), &Request{Method: "POST", URL: "/items", Header: http.Header{"Idempotency-Key": {"k1"}}})
	if err != nil || resp.Status != 201 {
		t.Fatalf("keyed POST: %v %+v", err, resp)
	}
	resp, err = c.Do(context.Background(), &Request{Method: "POST", URL: "/items"})
	if err != nil || resp.Status != 503 {
		t.Fatalf("unkeyed POST should not be retried: %v %+v", err, resp)
	}
}

// A 307/308 re-sends the request body; to another host it is not followed
// (a token request's client secret or a card's payload stays home).
func TestBodyNotResentToOtherHost(t *testing.T) {
	var got atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got.Add(1) }))
	defer evil.Close()
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, evil.URL+"/token", http.StatusTemporaryRedirect)
	}))
	defer home.Close()
	c := New(Options{BaseURL: home.URL, NoGovernor: true, Policy: fast})
	resp, err := c.Do(context.Background(), &Request{Method: "POST", URL: "/oauth2/v1/token", Body: []byte("client_secret=s3cr3t-value")})
	if err != nil || resp.Status != http.StatusTemporaryRedirect || got.Load() != 0 {
		t.Fatalf("status %v err %v; the other host got %d requests", resp, err, got.Load())
	}
}
