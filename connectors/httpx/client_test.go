package httpx

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flowbench/flowbench/engine"
)

type attempts struct {
	mu sync.Mutex
	a  []engine.Attempt
}

func (r *attempts) add(a engine.Attempt) { r.mu.Lock(); r.a = append(r.a, a); r.mu.Unlock() }
func (r *attempts) list() []engine.Attempt {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]engine.Attempt(nil), r.a...)
}

var fast = Policy{MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}

func TestRetryIdempotentOnly(t *testing.T) {
	for _, tc := range []struct {
		method string
		status int
		tries  int
	}{
		{"GET", 503, 3}, {"PUT", 500, 3}, {"DELETE", 502, 3},
		{"POST", 503, 1}, {"PATCH", 500, 1},
		{"GET", 404, 1}, {"GET", 400, 1}, {"POST", 201, 1},
	} {
		t.Run(tc.method+strconv.Itoa(tc.status), func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				w.WriteHeader(tc.status)
			}))
			defer srv.Close()
			pol := fast
			pol.Attempts = 3
			var rec attempts
			c := New(Options{BaseURL: srv.URL, NoGovernor: true, Policy: pol})
			resp, err := c.Do(context.Background(), &Request{Method: tc.method, URL: "/x", OnAttempt: rec.add})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != tc.status || int(n.Load()) != tc.tries || len(rec.list()) != tc.tries {
				t.Fatalf("status %d, server saw %d, attempts %+v; want %d tries", resp.Status, n.Load(), rec.list(), tc.tries)
			}
			if tc.tries > 1 && !strings.Contains(rec.list()[1].Reason, "HTTP") {
				t.Fatalf("second attempt reason %q", rec.list()[1].Reason)
			}
		})
	}
}

func TestRetryConnectionErrors(t *testing.T) {
	// A closed port: the request is never sent, so even POST is retried.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	for _, m := range []string{"GET", "POST"} {
		var rec attempts
		pol := fast
		pol.Attempts = 3
		c := New(Options{BaseURL: "http://" + addr, NoGovernor: true, Policy: pol})
		_, err := c.Do(context.Background(), &Request{Method: m, URL: "/x", OnAttempt: rec.add})
		if err == nil || len(rec.list()) != 3 {
			t.Fatalf("%s: err %v attempts %d", m, err, len(rec.list()))
		}
	}
	// A server that hangs up after reading the request: POST is not retried.
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	defer srv.Close()
	for _, tc := range []struct {
		m     string
		tries int32
	}{{"GET", 3}, {"POST", 1}} {
		n.Store(0)
		pol := fast
		pol.Attempts = 3
		c := New(Options{BaseURL: srv.URL, NoGovernor: true, Policy: pol})
		_, err := c.Do(context.Background(), &Request{Method: tc.m, URL: "/x"})
		if err == nil || n.Load() != tc.tries {
			t.Fatalf("%s: err %v, server saw %d, want %d", tc.m, err, n.Load(), tc.tries)
		}
	}
}

func TestTimeoutRetried(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
			return
		}
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	var rec attempts
	c := New(Options{BaseURL: srv.URL, NoGovernor: true, Policy: fast, Timeout: 100 * time.Millisecond})
	resp, err := c.Do(context.Background(), &Request{URL: "/x", OnAttempt: rec.add})
	if err != nil || resp.Status != 200 {
		t.Fatal(resp, err)
	}
	if a := rec.list(); len(a) != 2 || !strings.Contains(a[0].Reason, "timed out") {
		t.Fatalf("%+v", a)
	}
}

func TestRateLimitWaitsForReset(t *testing.T) {
	for _, governed := range []bool{true, false} {
		for _, method := range []string{"GET", "POST"} {
			var first atomic.Int64
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				now := time.Now()
				reset := now.Truncate(time.Second).Add(time.Second)
				w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
				w.Header().Set("X-Rate-Limit-Limit", "10")
				w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(reset.Unix(), 10))
				if n.Add(1) == 1 {
					first.Store(reset.UnixNano())
					w.Header().Set("X-Rate-Limit-Remaining", "0")
					w.WriteHeader(429)
					return
				}
				w.Header().Set("X-Rate-Limit-Remaining", "9")
				w.Write([]byte(`{}`))
			}))
			var rec attempts
			c := New(Options{BaseURL: srv.URL, NoGovernor: !governed, Governor: NewGovernor(), Policy: fast, Key: "k"})
			resp, err := c.Do(context.Background(), &Request{Method: method, URL: "/x", OnAttempt: rec.add})
			srv.Close()
			if err != nil || resp.Status != 200 {
				t.Fatal(resp, err)
			}
			a := rec.list()
			if len(a) != 2 || a[0].Status != 429 || !strings.Contains(a[1].Reason, "rate limited") {
				t.Fatalf("%+v", a)
			}
			// the retry went out no earlier than the reset (server clock, 1 s resolution)
			if n.Load() != 2 {
				t.Fatalf("server saw %d", n.Load())
			}
			if a[1].Wait <= 0 {
				t.Fatalf("no wait recorded: %+v", a)
			}
		}
	}
}

func TestSecretsRedacted(t *testing.T) {
	const secret = "sUpErSeCrEtToKeN123"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "SSWS "+secret {
			w.WriteHeader(401)
			return
		}
		w.WriteHeader(503)
	}))
	defer srv.Close()
	var rec attempts
	c := New(Options{BaseURL: srv.URL, NoGovernor: true, Policy: fast, Secrets: []string{secret},
		Auth: func(r *http.Request) error { r.Header.Set("Authorization", "SSWS "+secret); return nil }})
	_, err := c.Do(context.Background(), &Request{URL: "/x?api_key=" + secret + "&q=1", OnAttempt: rec.add})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(rec.list())
	if strings.Contains(string(b), secret) {
		t.Fatalf("secret in attempts: %s", b)
	}
	// errors
	c2 := New(Options{BaseURL: "http://127.0.0.1:1", NoGovernor: true, Policy: Policy{Attempts: 1}, Secrets: []string{secret}})
	_, err = c2.Do(context.Background(), &Request{URL: "/x?token=" + secret})
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Fatalf("error leaks or missing: %v", err)
	}
	if got := RedactURL("https://u:p@h/x?client_secret=abc&x=1"); strings.Contains(got, "abc") || strings.Contains(got, ":p@") {
		t.Fatal(got)
	}
}

func TestOktaBucket(t *testing.T) {
	for _, tc := range []struct{ m, p, want string }{
		{"GET", "/api/v1/users", OktaUsers}, {"POST", "/api/v1/users", OktaUsers},
		{"GET", "/api/v1/users/00u1", OktaUser}, {"POST", "/api/v1/users/00u1", OktaUserWrite},
		{"POST", "/api/v1/users/00u1/lifecycle/activate", OktaUserWrite}, {"DELETE", "/api/v1/users/00u1", OktaUserWrite},
		{"GET", "/api/v1/groups", OktaGroups}, {"PUT", "/api/v1/groups/00g/users/00u", OktaGroup},
		{"GET", "/api/v1/apps", OktaApps}, {"POST", "/api/v1/apps/0oa/users", OktaApp},
		{"GET", "/api/v1/logs", OktaLogs}, {"POST", "/oauth2/v1/token", OktaOAuth}, {"GET", "/oauth2/v1/clients", OktaOAuthClient},
		{"GET", "/api/v1/org", OktaOther},
	} {
		if got := OktaBucket(tc.m, tc.p); got != tc.want {
			t.Errorf("%s %s = %s, want %s", tc.m, tc.p, got, tc.want)
		}
	}
}

// A fixed-window server (limit per window) hit by many concurrent callers:
// the governor keeps 429s to a handful and uses the whole quota.
func TestGovernorFixedWindow(t *testing.T) {
	const limit, window, callers, calls = 50, 500 * time.Millisecond, 20, 150
	var mu sync.Mutex
	var win int64
	var count, rejected int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		cur := now.UnixNano() / int64(window)
		mu.Lock()
		if cur != win {
			win, count = cur, 0
		}
		count++
		c := count
		if c > limit {
			rejected++
		}
		mu.Unlock()
		end := time.Unix(0, (cur+1)*int64(window))
		w.Header().Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
		w.Header().Set("X-Rate-Limit-Remaining", strconv.Itoa(max(limit-c, 0)))
		w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt((end.UnixNano()+int64(time.Second)-1)/int64(time.Second), 10))
		if c > limit {
			w.WriteHeader(429)
			return
		}
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c := New(Options{BaseURL: srv.URL, Governor: NewGovernor(), Key: "org", Policy: fast, MaxInFlight: 10})
	var wg sync.WaitGroup
	var failed atomic.Int32
	jobs := make(chan int)
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				resp, err := c.Do(context.Background(), &Request{URL: "/x"})
				if err != nil || resp.Status != 200 {
					failed.Add(1)
				}
			}
		}()
	}
	for i := range calls {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if failed.Load() != 0 {
		t.Fatalf("%d calls failed", failed.Load())
	}
	// The reset header has 1 s resolution while the window is 0.5 s, so the
	// governor may overshoot in the windows it cannot see; bound the storm.
	if rejected > calls/5 {
		t.Fatalf("%d 429s for %d calls", rejected, calls)
	}
	t.Logf("429s: %d", rejected)
}
