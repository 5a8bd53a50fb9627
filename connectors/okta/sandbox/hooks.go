package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// EventHookPayload is the body Okta POSTs to an event hook.
type EventHookPayload struct {
	EventType          string        `json:"eventType"`
	EventTypeVersion   string        `json:"eventTypeVersion"`
	CloudEventsVersion string        `json:"cloudEventsVersion"`
	Source             string        `json:"source"`
	EventID            string        `json:"eventId"`
	Data               EventHookData `json:"data"`
	EventTime          string        `json:"eventTime"`
	ContentType        string        `json:"contentType"`
}

// EventHookData wraps the delivered System Log events.
type EventHookData struct {
	Events []LogEvent `json:"events"`
}

type hookReg struct {
	EventHook
	id    string
	types map[string]bool
}

type hookJob struct {
	hook *hookReg
	ev   LogEvent
}

type hookDispatcher struct {
	s       *Server
	mu      sync.RWMutex
	hooks   []*hookReg
	queue   chan hookJob
	client  *http.Client
	backoff time.Duration
	wg      sync.WaitGroup
	once    sync.Once
	startMu sync.Once
	done    chan struct{}

	delivered atomic.Int64
	failed    atomic.Int64
	dropped   atomic.Int64
}

func newHookDispatcher(s *Server, cfg Config) *hookDispatcher {
	q := cfg.HookQueueSize
	if q <= 0 {
		q = 1024
	}
	to := cfg.HookTimeout
	if to <= 0 {
		to = 3 * time.Second
	}
	bo := cfg.HookRetryBackoff
	if bo <= 0 {
		bo = time.Second
	}
	return &hookDispatcher{
		s: s, queue: make(chan hookJob, q), backoff: bo, done: make(chan struct{}),
		client: &http.Client{Timeout: to},
	}
}

func (d *hookDispatcher) start() {
	d.startMu.Do(func() {
		for i := 0; i < 2; i++ {
			d.wg.Add(1)
			go d.worker()
		}
	})
}

func (d *hookDispatcher) add(h EventHook) {
	r := &hookReg{EventHook: h, id: randID("who", 17), types: setOf(h.EventTypes)}
	d.mu.Lock()
	d.hooks = append(d.hooks, r)
	d.mu.Unlock()
	d.start()
}

// enqueue is called with s.mu held; it never blocks.
func (d *hookDispatcher) enqueue(e *LogEvent) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	for _, h := range d.hooks {
		if len(h.types) > 0 && !h.types[e.EventType] {
			continue
		}
		select {
		case <-d.done:
			return
		default:
		}
		select {
		case d.queue <- hookJob{hook: h, ev: *e}:
		default:
			d.dropped.Add(1)
		}
	}
}

func (d *hookDispatcher) close() {
	d.once.Do(func() { close(d.done) })
	ch := make(chan struct{})
	go func() { d.wg.Wait(); close(ch) }()
	select {
	case <-ch:
	case <-time.After(3 * time.Second):
	}
}

func (d *hookDispatcher) worker() {
	defer d.wg.Done()
	for {
		select {
		case <-d.done:
			return
		case j := <-d.queue:
			d.deliver(j)
		}
	}
}

func (d *hookDispatcher) logf(format string, args ...any) {
	if d.s.cfg.Logf != nil {
		d.s.cfg.Logf(format, args...)
	}
}

func (d *hookDispatcher) deliver(j hookJob) {
	base := d.s.URL()
	if base == "" {
		base = "http://" + d.s.cfg.Subdomain + ".okta.local"
	}
	p := EventHookPayload{
		EventType: "com.okta.event_hook", EventTypeVersion: "1.0", CloudEventsVersion: "0.1",
		Source:  base + "/api/v1/eventHooks/" + j.hook.id,
		EventID: uuid4(), Data: EventHookData{Events: []LogEvent{j.ev}},
		EventTime: fmtTime(time.Now()), ContentType: "application/json",
	}
	body, _ := json.Marshal(p)
	// Okta: one retry after a failed delivery (timeout or non-2xx).
	for attempt := 0; attempt < 2; attempt++ {
		if attempt > 0 {
			select {
			case <-d.done:
				return
			case <-time.After(d.backoff):
			}
		}
		err := d.post(j.hook, body)
		if err == nil {
			d.delivered.Add(1)
			return
		}
		d.failed.Add(1)
		d.logf("sandbox: event hook %s attempt %d: %v", j.hook.URL, attempt+1, err)
	}
}

func (d *hookDispatcher) post(h *hookReg, body []byte) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-d.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Okta-Integrations")
	if h.AuthHeader != "" {
		req.Header.Set(h.AuthHeader, h.AuthValue)
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// AddEventHook registers an event hook at runtime.
func (s *Server) AddEventHook(h EventHook) { s.hooks.add(h) }

// VerifyEventHook performs Okta's one-time verification: a GET carrying the
// x-okta-verification-challenge header, expecting {"verification": value}.
// The hook's auth header is sent when url belongs to a registered hook.
func (s *Server) VerifyEventHook(url string) error {
	challenge := randID("", 40)
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("x-okta-verification-challenge", challenge)
	req.Header.Set("User-Agent", "Okta-Integrations")
	s.hooks.mu.RLock()
	for _, h := range s.hooks.hooks {
		if h.URL == url && h.AuthHeader != "" {
			req.Header.Set(h.AuthHeader, h.AuthValue)
		}
	}
	s.hooks.mu.RUnlock()
	resp, err := s.hooks.client.Do(req)
	if err != nil {
		return fmt.Errorf("sandbox: event hook verification: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("sandbox: event hook verification: status %d", resp.StatusCode)
	}
	var v struct {
		Verification string `json:"verification"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&v); err != nil {
		return fmt.Errorf("sandbox: event hook verification: bad body: %w", err)
	}
	if v.Verification != challenge {
		return fmt.Errorf("sandbox: event hook verification: challenge mismatch")
	}
	return nil
}
