package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// Local fakes of the apps' APIs (connectors/<app>/fake, registered through
// connectors/kit) run in-process beside the sandbox Okta tenant, in the
// window and in serve, each with a ready connection (id sandbox-<app>), so
// flows that use Slack, Google Workspace or Microsoft 365 cards run with no
// account. Like the sandbox, each keeps its address in the data folder; its
// data is a fresh seed on every start. Fakes that deliver events (Slack's
// Events API) send them to the app's signed-webhook route through a
// loopback relay.
func init() {
	RegisterHook(Hook{Name: "sandbox", Start: startFakes})
	RegisterHook(Hook{Name: "event samples", Start: func(context.Context, *App) (func(), error) {
		kitSamples.Do(func() {
			// connectors' sample events (kit.RegisterSample) fill the Run panel
			for typ, fn := range kit.Samples() {
				if SampleInputs[typ] == nil {
					SampleInputs[typ] = func(*engine.Flow) map[string]any { return fn() }
				}
			}
		})
		return nil, nil
	}})
	RegisterRoute(Route{Pattern: "/webhooks/", Handler: func(a *App) http.Handler {
		h := hostOf(a)
		if h == nil {
			return http.NotFoundHandler()
		}
		h.start(a)
		inner := h.rt.SignedHookHandler()
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.noteBase(r)
			inner.ServeHTTP(w, r)
		})
	}})
}

var kitSamples sync.Once

// EventFake is a fake that calls Flowbench back with vendor events.
type EventFake interface {
	// DeliverEventsTo sets where its events go ("" stops them).
	DeliverEventsTo(url string)
}

func fakeAddrMeta(app string) string { return "fake." + app + ".addr" }

// relayAddrMeta keeps the event relay's address in the data folder.
const relayAddrMeta = "fake.relay.addr"

// fakeServer is the running fakes of an app (the app's Services["fakes"]).
type fakeServer struct {
	running map[string]*kit.RunningFake
	relay   string // the event relay's base URL (subscriptions.go)
}

// Fake returns the running fake of an app.
func (f *fakeServer) Fake(app string) (*kit.RunningFake, bool) {
	r, ok := f.running[app]
	return r, ok
}

// Fakes returns the running fakes (tests, sandbox fixups).
func Fakes(a *App) map[string]*kit.RunningFake {
	if fs, ok := a.Exec.Services["fakes"].(*fakeServer); ok {
		return fs.running
	}
	return nil
}

func startFakes(ctx context.Context, a *App) (func(), error) {
	fs := &fakeServer{running: map[string]*kit.RunningFake{}}
	closeAll := func() {
		for _, r := range fs.running {
			_ = r.Close()
		}
	}
	for _, name := range kit.Fakes() {
		f, err := kit.NewFake(name)
		if err != nil {
			closeAll()
			return nil, err
		}
		prev, _ := a.Store.GetMeta(fakeAddrMeta(name))
		want := prev
		if want == "" {
			want = "127.0.0.1:0"
		}
		r, err := kit.Serve(name, f, want)
		if err != nil && want != "127.0.0.1:0" {
			r, err = kit.Serve(name, f, "127.0.0.1:0")
		}
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("%s fake: %w", name, err)
		}
		fs.running[name] = r
		if addr := strings.TrimPrefix(r.URL, "http://"); addr != prev {
			if err := a.Store.SetMeta(fakeAddrMeta(name), addr); err != nil {
				closeAll()
				return nil, err
			}
		}
		for _, c := range r.Connections() {
			if old, err := a.Store.Connection(ctx, c.ID); err == nil {
				c.Created = old.Created
			} else {
				c.Created = time.Now().UTC()
			}
			c.Updated = time.Now().UTC()
			if err := a.Store.PutConnection(c); err != nil {
				closeAll()
				return nil, err
			}
		}
	}
	if len(fs.running) == 0 {
		return nil, nil
	}
	relay, err := a.startEventRelay(fs)
	if err != nil {
		closeAll()
		return nil, err
	}
	a.Exec.Services["fakes"] = fs
	return func() { relay(); closeAll() }, nil
}

// startEventRelay serves the trigger runtime's signed-webhook route on a
// loopback port for the fakes' event deliveries: the fakes need a URL, and
// the window has no fixed address. Deliveries wait for the trigger runtime
// (503 until it runs: the fakes retry as the vendors do).
func (a *App) startEventRelay(fs *fakeServer) (func(), error) {
	// the same address as last time where it is free: subscriptions the
	// flows made (notification URLs) stay valid across restarts
	prev, _ := a.Store.GetMeta(relayAddrMeta)
	ln, err := net.Listen("tcp", prev)
	if prev == "" || err != nil {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return nil, err
	}
	if addr := ln.Addr().String(); addr != prev {
		_ = a.Store.SetMeta(relayAddrMeta, addr)
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := hostOf(a)
		if h == nil || !h.rt.Listening() { // listening while it starts: vendor subscriptions' validation calls
			http.Error(w, "triggers are not running", http.StatusServiceUnavailable)
			return
		}
		h.rt.SignedHookHandler().ServeHTTP(w, r)
	})}
	go func() { _ = srv.Serve(ln) }()
	base := "http://" + ln.Addr().String()
	fs.relay = base
	for name, r := range fs.running {
		if subscribes(name) {
			continue // its event flows subscribe their own URLs when switched on
		}
		if ef, ok := r.Fake.(EventFake); ok {
			ef.DeliverEventsTo(base + "/webhooks/" + name + "/connection/" + kit.SandboxID(name))
		}
	}
	return func() { _ = srv.Close() }, nil
}

// runFake serves one app's fake until ctx ends (flowbench sandbox --app).
func runFake(ctx context.Context, name, addr string, out io.Writer) error {
	r, err := kit.StartFake(name, addr)
	if err != nil {
		return usagef("sandbox: %v", err)
	}
	defer r.Close()
	fmt.Fprintf(out, "%s fake listening on %s\n", name, r.URL)
	for _, c := range r.Connections() {
		fmt.Fprintf(out, "Connection %s (%s): config %s\n", c.ID, c.Kind, jsonText(c.Config))
		for k, v := range c.Secrets {
			fmt.Fprintf(out, "  secret %s: %s\n", k, v)
		}
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	fmt.Fprintf(out, "%s fake: shutting down\n", name)
	return nil
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
