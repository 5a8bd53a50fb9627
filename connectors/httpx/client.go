// Package httpx is the one HTTP client every connector uses. It is built on
// github.com/hashicorp/go-retryablehttp and adds:
//
//   - retries with exponential backoff and jitter on connection errors, 5xx
//     and timeouts for idempotent methods only (a POST is retried only when
//     the connection was refused before anything was sent);
//   - 429 handling for every method (a 429 means the request was not
//     processed): wait until X-Rate-Limit-Reset or Retry-After, then retry;
//   - a rate governor per (connection, bucket) that paces requests from the
//     X-Rate-Limit-* headers, and a cap on in-flight requests per connection;
//   - per-call retry policy overrides;
//   - a report of every attempt (engine.Attempt) with secrets removed.
package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/engine"
	"github.com/hashicorp/go-retryablehttp"
)

// Policy is a retry policy. Zero fields take the defaults.
type Policy struct {
	// Attempts is the total number of tries for retryable failures
	// (connection errors, timeouts, RetryStatuses); default 4. 1 disables retries.
	Attempts int
	// RateLimitAttempts is the total number of tries when the server answers
	// 429; default 10.
	RateLimitAttempts int
	// MinWait and MaxWait bound the exponential backoff (default 250 ms, 10 s).
	MinWait, MaxWait time.Duration
	// MaxRateWait caps one wait for a rate-limit reset (default 2 min).
	MaxRateWait time.Duration
	// RetryStatuses are the statuses retried for idempotent methods
	// (default 500, 502, 503, 504).
	RetryStatuses []int
	// RetryNonIdempotent also retries POST/PATCH on errors and RetryStatuses
	// (only for endpoints known to be safe).
	RetryNonIdempotent bool
	// Timeout bounds the whole call: every attempt, backoff and rate wait
	// (default 2 min). A hanging upstream is cut here, not after Attempts
	// times the per-attempt timeout.
	Timeout time.Duration
}

// CardPolicy turns a card's retry override (engine.Card.Retry) into a
// per-call Policy; nil when the card sets none.
func CardPolicy(c *engine.Card) *Policy {
	if c == nil || c.Retry == nil {
		return nil
	}
	r := c.Retry
	return &Policy{Attempts: r.Attempts, RateLimitAttempts: r.RateLimitAttempts,
		MinWait: time.Duration(r.MinWait), MaxWait: time.Duration(r.MaxWait), RetryStatuses: r.Statuses,
		Timeout: time.Duration(r.Timeout)}
}

// DefaultPolicy is used when neither the client nor the call sets one.
var DefaultPolicy = Policy{Attempts: 4, RateLimitAttempts: 10, MinWait: 250 * time.Millisecond,
	MaxWait: 10 * time.Second, MaxRateWait: 2 * time.Minute, RetryStatuses: []int{500, 502, 503, 504},
	Timeout: 2 * time.Minute}

func (p Policy) merged(over *Policy) Policy {
	out := p
	if over != nil {
		if over.Attempts != 0 {
			out.Attempts = over.Attempts
		}
		if over.RateLimitAttempts != 0 {
			out.RateLimitAttempts = over.RateLimitAttempts
		}
		if over.MinWait != 0 {
			out.MinWait = over.MinWait
		}
		if over.MaxWait != 0 {
			out.MaxWait = over.MaxWait
		}
		if over.MaxRateWait != 0 {
			out.MaxRateWait = over.MaxRateWait
		}
		if over.RetryStatuses != nil {
			out.RetryStatuses = over.RetryStatuses
		}
		if over.RetryNonIdempotent {
			out.RetryNonIdempotent = true
		}
		if over.Timeout != 0 {
			out.Timeout = over.Timeout
		}
	}
	d := DefaultPolicy
	if out.Attempts <= 0 {
		out.Attempts = d.Attempts
	}
	if out.RateLimitAttempts <= 0 {
		out.RateLimitAttempts = d.RateLimitAttempts
	}
	if out.MinWait <= 0 {
		out.MinWait = d.MinWait
	}
	if out.MaxWait < out.MinWait {
		out.MaxWait = max(d.MaxWait, out.MinWait)
	}
	if out.MaxRateWait <= 0 {
		out.MaxRateWait = d.MaxRateWait
	}
	if out.RetryStatuses == nil {
		out.RetryStatuses = d.RetryStatuses
	}
	if out.Timeout <= 0 {
		out.Timeout = d.Timeout
	}
	return out
}

// Options configure a Client.
type Options struct {
	// Key identifies the account for the governor (connection id or org URL).
	Key string
	// BaseURL, when set, resolves relative request URLs.
	BaseURL string
	// Classify returns the rate-limit bucket of a request (e.g. OktaBucket).
	// nil: one bucket per host.
	Classify func(method, path string) string
	// Governor paces requests; nil uses DefaultGovernor. NoGovernor disables it.
	Governor   *Governor
	NoGovernor bool
	// MaxInFlight caps concurrent requests for Key (Okta's org concurrency
	// limit); 0 = no cap.
	MaxInFlight int
	// Timeout bounds one attempt (default 60 s).
	Timeout time.Duration
	// Policy is the client's retry policy (zero fields: DefaultPolicy).
	Policy Policy
	// Auth adds credentials to each attempt (called again on every retry, so
	// proofs and refreshed tokens stay fresh). It is called only for the
	// connection's own origin: BaseURL's host when set, else the host the
	// call was made to; a redirect to any other host (or from https to http)
	// carries no credentials.
	Auth func(req *http.Request) error
	// Secrets are scrubbed from errors and attempt reasons.
	Secrets []string
	// Transport is the base round tripper (default: a pooled transport).
	Transport http.RoundTripper
	// OnAttempt receives every attempt of every call (in addition to the
	// call's own OnAttempt).
	OnAttempt func(engine.Attempt)
	// UserAgent header (default "Flowbench/1").
	UserAgent string
}

// Client is safe for concurrent use.
type Client struct {
	o    Options
	base *url.URL
	gov  *Governor
	hc   *http.Client
}

var (
	sharedTransport     http.RoundTripper
	sharedTransportOnce sync.Once
)

// DefaultTransport is the pooled transport shared by clients without their own.
func DefaultTransport() http.RoundTripper {
	sharedTransportOnce.Do(func() {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 100
		t.MaxIdleConns = 200
		sharedTransport = t
	})
	return sharedTransport
}

// New returns a client.
func New(o Options) *Client {
	c := &Client{o: o}
	if o.BaseURL != "" {
		c.base, _ = url.Parse(strings.TrimSuffix(o.BaseURL, "/") + "/")
	}
	if !o.NoGovernor {
		c.gov = o.Governor
		if c.gov == nil {
			c.gov = DefaultGovernor
		}
	}
	if c.o.Timeout <= 0 {
		c.o.Timeout = 60 * time.Second
	}
	if c.o.Transport == nil {
		c.o.Transport = DefaultTransport()
	}
	if c.o.UserAgent == "" {
		c.o.UserAgent = "Flowbench/1"
	}
	c.hc = &http.Client{Transport: &transport{c: c},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			// never forward credentials (the connection's, or secret
			// headers the card set) to another host or over plain http
			if !sameOrigin(req.URL, via[0].URL) {
				// a 307/308 re-sends the body (a token request's client
				// secret or assertion, a card's payload): not to another host;
				// the caller gets the redirect response instead
				if req.Method != http.MethodGet && req.Method != http.MethodHead {
					return http.ErrUseLastResponse
				}
				for k := range req.Header {
					if IsSecretName(k) {
						req.Header.Del(k)
					}
				}
			}
			return nil
		}}
	return c
}

// Request is one call.
type Request struct {
	Method string
	URL    string // absolute, or relative to Options.BaseURL
	Query  url.Values
	Header http.Header
	// Body is sent as is; JSON, when non-nil, is marshalled and sets
	// Content-Type application/json.
	Body []byte
	JSON any
	// Policy overrides the client's retry policy for this call.
	Policy *Policy
	// Idempotent overrides the method's idempotency (e.g. a POST with an
	// idempotency key).
	Idempotent *bool
	// OnAttempt receives this call's attempts (cards pass in.Run.Attempt).
	OnAttempt func(engine.Attempt)
	// Bucket overrides the classification.
	Bucket string
}

// Response is a complete response.
type Response struct {
	Status   int
	Header   http.Header
	Body     []byte
	Attempts int
}

// JSON decodes the body into plain JSON values (nil for an empty body).
func (r *Response) JSON() (any, error) {
	if len(bytes.TrimSpace(r.Body)) == 0 {
		return nil, nil
	}
	var v any
	d := json.NewDecoder(bytes.NewReader(r.Body))
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// IsJSON reports whether the response declares a JSON body.
func (r *Response) IsJSON() bool {
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	return strings.Contains(ct, "json")
}

// Error is a transport-level failure after retries (no HTTP response).
type Error struct {
	Method, URL string // URL redacted
	Attempts    int
	Err         error
	msg         string
}

func (e *Error) Error() string { return e.msg }
func (e *Error) Unwrap() error { return e.Err }

// Timeout reports whether the final failure was a timeout.
func (e *Error) Timeout() bool {
	var ne net.Error
	return errors.As(e.Err, &ne) && ne.Timeout() || errors.Is(e.Err, context.DeadlineExceeded)
}

type ctxKey struct{}

// call is the per-call state shared by the retry hooks and the transport.
type call struct {
	method     string
	credURL    *url.URL // credentials go only to this origin
	idempotent bool
	pol        Policy
	bucket     string
	onAttempt  func(engine.Attempt)

	mu         sync.Mutex
	n          int
	errRetries int
	rlRetries  int
	nextWait   time.Duration
	nextReason string
	lastReason string
	wire       []string // credentials Auth put on this call's requests, in their wire forms
}

// IdempotentMethod is true for methods that may be repeated safely.
func IdempotentMethod(m string) bool {
	switch strings.ToUpper(m) {
	case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE":
		return true
	}
	return false
}

// Do performs a call with retries and returns the final response. Any HTTP
// status is a response, not an error; err is non-nil only when no response
// came (connection errors, timeouts, cancellation).
func (c *Client) Do(ctx context.Context, r *Request) (*Response, error) {
	method := strings.ToUpper(r.Method)
	if method == "" {
		method = http.MethodGet
	}
	u, err := c.resolve(r.URL)
	if err != nil {
		return nil, err
	}
	if len(r.Query) > 0 {
		q := u.Query()
		for k, vs := range r.Query {
			for _, v := range vs {
				q.Add(k, v)
			}
		}
		u.RawQuery = q.Encode()
	}
	body := r.Body
	hdr := http.Header{}
	for k, v := range r.Header {
		hdr[http.CanonicalHeaderKey(k)] = append([]string(nil), v...)
	}
	if r.JSON != nil {
		if body, err = json.Marshal(r.JSON); err != nil {
			return nil, fmt.Errorf("encoding request body: %w", err)
		}
		if hdr.Get("Content-Type") == "" {
			hdr.Set("Content-Type", "application/json")
		}
	}
	if hdr.Get("Accept") == "" {
		hdr.Set("Accept", "application/json")
	}
	hdr.Set("User-Agent", c.o.UserAgent)
	cl := &call{method: method, idempotent: IdempotentMethod(method), pol: c.o.Policy.merged(r.Policy), credURL: u}
	if c.base != nil {
		cl.credURL = c.base
	}
	if hdr.Get("Idempotency-Key") != "" {
		// the server deduplicates repeats (RFC draft; Stripe, many APIs)
		cl.idempotent = true
	}
	if r.Idempotent != nil {
		cl.idempotent = *r.Idempotent
	}
	if cl.pol.RetryNonIdempotent {
		cl.idempotent = true
	}
	cl.bucket = r.Bucket
	if cl.bucket == "" {
		if c.o.Classify != nil {
			cl.bucket = c.o.Classify(method, u.Path)
		} else {
			cl.bucket = u.Host
		}
	}
	cl.onAttempt = r.OnAttempt

	var rawBody any
	if body != nil {
		rawBody = body
	}
	outer := ctx
	ctx, cancelAll := context.WithTimeout(ctx, cl.pol.Timeout)
	defer cancelAll()
	req, err := retryablehttp.NewRequestWithContext(context.WithValue(ctx, ctxKey{}, cl), method, u.String(), rawBody)
	if err != nil {
		return nil, errors.New(c.scrub(err.Error()))
	}
	req.Header = hdr
	maxTries := max(cl.pol.Attempts, cl.pol.RateLimitAttempts)
	rc := &retryablehttp.Client{
		HTTPClient:   c.hc,
		Logger:       nil,
		RetryWaitMin: cl.pol.MinWait,
		RetryWaitMax: cl.pol.MaxWait,
		RetryMax:     maxTries - 1,
		CheckRetry:   c.checkRetry(cl),
		Backoff:      c.backoff(cl),
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	resp, err := rc.Do(req)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		why := describeErr(err)
		if outer.Err() != nil {
			err = outer.Err()
			why = describeErr(err)
		} else if ctx.Err() != nil {
			err = context.DeadlineExceeded
			why = "timed out: the call ran past its " + cl.pol.Timeout.String() + " limit"
		}
		c.record(outer, cl, method, u, nil, nil, errors.New(why))
		return nil, &Error{Method: method, URL: redactURL(u), Attempts: cl.n, Err: err,
			msg: c.scrubCall(cl, fmt.Sprintf("%s %s: %s (after %d attempt(s))", method, redactURL(u), why, cl.n))}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	c.record(outer, cl, method, u, resp, data, err)
	if err != nil {
		return nil, &Error{Method: method, URL: redactURL(u), Attempts: cl.n, Err: err,
			msg: c.scrubCall(cl, fmt.Sprintf("%s %s: reading response: %v", method, redactURL(u), err))}
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: data, Attempts: cl.n}, nil
}

func (c *Client) resolve(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("bad URL: %v", err)
	}
	if !u.IsAbs() {
		if c.base == nil {
			return nil, fmt.Errorf("URL %q is not absolute", RedactURL(raw))
		}
		rel := strings.TrimPrefix(raw, "/")
		r2, err := url.Parse(rel)
		if err != nil {
			return nil, fmt.Errorf("bad URL: %v", err)
		}
		u = c.base.ResolveReference(r2)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("URL scheme %q is not http or https", u.Scheme)
	}
	return u, nil
}

func (c *Client) scrub(s string) string { return Scrub(s, c.o.Secrets...) }

func describeErr(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timed out"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// notSent is true when the server provably did not process the request:
// it never left (refused, unresolvable), or the server closed the pooled
// connection before reading it, so even a POST may be retried.
func notSent(err error) bool {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return true
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		return true
	}
	// net/http's errServerClosedIdle: the idle connection was closed by the
	// server before our request was written; REFUSED_STREAM: an HTTP/2 server
	// refused the stream before processing it.
	msg := err.Error()
	return strings.Contains(msg, "server closed idle connection") || strings.Contains(msg, "REFUSED_STREAM")
}

// sameOrigin is true when credentials for want may go to u: the same host
// (and port), and no downgrade from https to http.
func sameOrigin(u, want *url.URL) bool {
	if u == nil || want == nil || !strings.EqualFold(u.Host, want.Host) {
		return false
	}
	return !(strings.EqualFold(want.Scheme, "https") && !strings.EqualFold(u.Scheme, "https"))
}

func (c *Client) checkRetry(cl *call) retryablehttp.CheckRetry {
	return func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		cl.mu.Lock()
		defer cl.mu.Unlock()
		if err != nil {
			var ae *authError
			if errors.As(err, &ae) {
				return false, err
			}
			if !(cl.idempotent || notSent(err)) || cl.errRetries+1 >= cl.pol.Attempts {
				return false, err
			}
			cl.errRetries++
			cl.nextReason = "retry after " + c.scrub(describeErr(err))
			return true, nil
		}
		if resp.StatusCode == http.StatusTooManyRequests {
			if cl.rlRetries+1 >= cl.pol.RateLimitAttempts {
				return false, nil
			}
			cl.rlRetries++
			cl.nextReason = "rate limited (429)"
			return true, nil
		}
		if cl.idempotent && slices.Contains(cl.pol.RetryStatuses, resp.StatusCode) {
			if cl.errRetries+1 >= cl.pol.Attempts {
				return false, nil
			}
			cl.errRetries++
			cl.nextReason = "retry after HTTP " + strconv.Itoa(resp.StatusCode)
			return true, nil
		}
		return false, nil
	}
}

func (c *Client) backoff(cl *call) retryablehttp.Backoff {
	return func(minW, maxW time.Duration, _ int, resp *http.Response) time.Duration {
		cl.mu.Lock()
		defer cl.mu.Unlock()
		var wait time.Duration
		if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
			wait = rateWait(resp, cl.pol, c.gov != nil, cl.rlRetries)
		} else {
			// exponential with full jitter over the upper half
			n := cl.errRetries - 1
			d := minW << min(max(n, 0), 20)
			if d > maxW || d <= 0 {
				d = maxW
			}
			wait = d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
		}
		cl.nextWait = wait
		return wait
	}
}

// rateWait is how long to wait after a 429. With a governor and Okta headers
// the governor holds the retry until the reset, so only a short jitter is
// added here; otherwise Retry-After or X-Rate-Limit-Reset decide.
func rateWait(resp *http.Response, pol Policy, governed bool, n int) time.Duration {
	jitter := time.Duration(rand.Int64N(int64(50 * time.Millisecond)))
	ri := ParseRate(resp.Header)
	if ri.OK && ri.Limit == 0 {
		// Okta's org concurrency limit: the reset is an estimate; back off briefly.
		d := min(100*time.Millisecond<<min(n, 6), 5*time.Second)
		return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
	}
	if ri.OK && governed {
		return jitter
	}
	var wait time.Duration
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		if s, err := strconv.Atoi(strings.TrimSpace(ra)); err == nil {
			wait = time.Duration(s) * time.Second
		} else if t, err := http.ParseTime(ra); err == nil {
			wait = time.Until(t)
		}
	} else if ri.OK {
		wait = time.Until(ri.Reset)
		if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
			wait = ri.Reset.Sub(d)
		}
	} else {
		wait = pol.MinWait << min(n, 10)
	}
	wait = max(wait, 0) + jitter
	return min(wait, pol.MaxRateWait)
}

// authError marks a failure to add credentials (never retried).
type authError struct {
	err error
	msg string
}

func (e *authError) Error() string { return e.msg }
func (e *authError) Unwrap() error { return e.err }

// transport runs one attempt: governor, credentials, timeout, report.
type transport struct{ c *Client }

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	c := t.c
	cl, _ := req.Context().Value(ctxKey{}).(*call)
	if cl == nil {
		cl = &call{method: req.Method, bucket: req.URL.Host, credURL: req.URL}
	}
	cl.mu.Lock()
	cl.n++
	n := cl.n
	wait, reason := cl.nextWait, cl.nextReason
	cl.nextWait, cl.nextReason = 0, ""
	cl.mu.Unlock()

	release := func() {}
	if c.gov != nil {
		rel, gw, err := c.gov.Acquire(req.Context(), c.o.Key, cl.bucket, c.o.MaxInFlight)
		if err != nil {
			c.report(cl, engine.Attempt{N: n, Method: cl.method, URL: redactURL(req.URL), Wait: wait + gw,
				Reason: joinReason(reason, "canceled while waiting for the rate governor")})
			return nil, err
		}
		release = rel
		if gw > time.Millisecond {
			wait += gw
			if reason == "" || strings.HasPrefix(reason, "rate limited") {
				reason = joinReason(reason, "paced by rate governor ("+cl.bucket+")")
			}
		}
	}
	out := req.Clone(req.Context())
	// W3C traceparent of the card's span (telemetry sets the propagator)
	otel.GetTextMapPropagator().Inject(out.Context(), propagation.HeaderCarrier(out.Header))
	if c.o.Auth != nil && sameOrigin(out.URL, cl.credURL) {
		if err := c.o.Auth(out); err != nil {
			release()
			err = &authError{err: err, msg: c.scrub(err.Error())}
			c.report(cl, engine.Attempt{N: n, Method: cl.method, URL: redactURL(req.URL), Wait: wait, Reason: joinReason(reason, err.Error())})
			return nil, err
		}
		cl.noteWire(req, out)
	}
	ctx, cancel := context.WithTimeout(out.Context(), c.o.Timeout) // capped by the call's deadline
	out = out.WithContext(ctx)
	start := time.Now()
	resp, err := c.baseTransport(out.Context()).RoundTrip(out)
	dur := time.Since(start)
	if c.gov != nil {
		c.gov.Observe(c.o.Key, cl.bucket, start, resp)
	}
	a := engine.Attempt{N: n, Method: cl.method, URL: redactURL(req.URL), Wait: wait, Reason: reason, Duration: dur}
	if err != nil {
		cancel()
		release()
		a.Reason = joinReason(reason, c.scrub(describeErr(err)))
		c.report(cl, a)
		return nil, err
	}
	a.Status = resp.StatusCode
	if resp.StatusCode == http.StatusTooManyRequests {
		ri := ParseRate(resp.Header)
		if ri.OK && ri.Limit == 0 {
			a.Reason = joinReason(reason, "429: org concurrency limit")
		} else {
			a.Reason = joinReason(reason, "429: rate limit reached")
		}
	}
	c.report(cl, a)
	resp.Body = &releaseBody{ReadCloser: resp.Body, release: func() { cancel(); release() }}
	return resp, nil
}

func joinReason(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + "; " + b
}

func (c *Client) report(cl *call, a engine.Attempt) {
	if cl.onAttempt != nil {
		cl.onAttempt(a)
	}
	if c.o.OnAttempt != nil {
		c.o.OnAttempt(a)
	}
}

type releaseBody struct {
	io.ReadCloser
	release func()
	once    sync.Once
}

func (b *releaseBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.once.Do(b.release)
	}
	return n, err
}

func (b *releaseBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}
