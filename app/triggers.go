package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	// the trigger cards must be registered wherever the runtime runs
	_ "github.com/flowbench/flowbench/connectors/api"
	"github.com/flowbench/flowbench/connectors/okta"
	_ "github.com/flowbench/flowbench/connectors/schedule"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// Triggers: the runtime that starts flows by themselves (Okta events,
// schedules, API endpoints) runs while the desktop window or `flowbench
// serve` is open. The start hook builds it with the app; it starts when
// the HTTP routes are mounted (serve) or when the app opens as the desktop
// window, so one-shot CLI commands (run, history…) never fire schedules.
// FLOWBENCH_TRIGGERS=on|off forces it either way.

// TriggerState is what the UI shows about a flow's trigger: listening,
// last event, next run, endpoint URL and its token or hook secret.
type TriggerState = trigger.State

type triggerHost struct {
	rt          *trigger.Runtime
	once        sync.Once
	err         error
	mu          sync.Mutex
	baseURL     string
	startedFlag bool
}

func init() {
	RegisterHook(Hook{Name: "triggers", Start: startTriggerHook})
	for _, p := range []string{"/hooks/", "/api/flows/", "/api/flo/", "/healthz", "/metrics"} {
		RegisterRoute(Route{Pattern: p, Handler: triggerRoute(p)})
	}
	prev := FlowToggled
	FlowToggled = func(a *App, f *engine.Flow) error {
		if h := hostOf(a); h != nil && h.started() {
			if err := h.rt.Sync(f); err != nil {
				fmt.Fprintf(a.opt.Out, "flowbench: %v\n", err)
				return err
			}
		}
		if prev != nil {
			return prev(a, f)
		}
		return nil
	}
	for _, ec := range okta.EventCards {
		id := okta.EventCardID(ec.Method)
		SampleInputs[id] = func(*engine.Flow) map[string]any { return okta.SampleEvent(id) }
	}
	SampleInputs[trigger.TypeAPIEndpoint] = sampleEndpoint
	SampleInputs[trigger.TypeSchedule] = sampleSchedule
}

// sampleSchedule is a Scheduled Flow's test input: Scheduled Time is now,
// as if the schedule fired (the card's own output is not among the flow's
// added outputs, so a test run had it empty and cards using it failed).
func sampleSchedule(f *engine.Flow) map[string]any {
	g := *f
	g.Trigger.Type = "" // the generic sample of the added outputs
	in := SampleFor(&g)
	in["scheduledTime"] = time.Now().UTC().Format(engine.DateLayout)
	return in
}

func sampleEndpoint(f *engine.Flow) map[string]any {
	body := map[string]any{}
	for _, o := range f.Trigger.Outputs {
		if o.Group == "body" {
			body[strings.TrimPrefix(o.Key, "body/")] = sampleValue(o.Key, o.Type)
		}
	}
	raw := "{}"
	if b, err := json.Marshal(body); err == nil {
		raw = string(b)
	}
	in := map[string]any{"headers": map[string]any{"content-type": "application/json", "user-agent": "curl/8.5.0"}, "body": raw, "query": ""}
	for _, o := range f.Trigger.Outputs {
		if o.Group == "body" {
			in[o.Key] = body[strings.TrimPrefix(o.Key, "body/")]
		}
	}
	return in
}

func hostOf(a *App) *triggerHost {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.triggers
}

func (h *triggerHost) started() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.startedFlag
}

func envInt(name string) int {
	n, _ := strconv.Atoi(os.Getenv(name))
	return n
}

// triggerLog sends the trigger runtime's notes to slog: replays and skipped
// schedules as info, refusals and failures as warnings.
func triggerLog(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	level := slog.LevelWarn
	if strings.Contains(format, "replaying") || strings.Contains(format, "skipping runs missed") {
		level = slog.LevelInfo
	}
	slog.Log(context.Background(), level, msg, "component", "triggers")
}

func startTriggerHook(ctx context.Context, a *App) (func(), error) {
	h := &triggerHost{}
	h.rt = trigger.New(a.Exec, a.Store, trigger.Options{
		Workers:   envInt("FLOWBENCH_TRIGGER_WORKERS"),
		QueueSize: envInt("FLOWBENCH_TRIGGER_QUEUE"),
		Logf:      triggerLog,
		BaseURL: func() string {
			h.mu.Lock()
			defer h.mu.Unlock()
			return h.baseURL
		},
		WebhookBase: webhookBase(a),
	})
	a.mu.Lock()
	a.triggers = h
	a.mu.Unlock()
	switch strings.ToLower(os.Getenv("FLOWBENCH_TRIGGERS")) {
	case "on", "1", "true":
		h.start(a)
	case "off", "0", "false":
	default:
		if a.opt.Triggers {
			h.start(a)
		}
	}
	return func() {
		h.rt.Stop()
		a.mu.Lock()
		a.triggers = nil
		a.mu.Unlock()
	}, nil
}

// start starts the runtime once; errors of single flows are logged (the
// flows stay off and report the error in TriggerStatus).
func (h *triggerHost) start(a *App) {
	h.once.Do(func() {
		if err := h.rt.Start(a.ctx); err != nil {
			fmt.Fprintf(a.opt.Out, "flowbench: triggers: %v\n", err)
		}
		h.mu.Lock()
		h.startedFlag = true
		h.mu.Unlock()
	})
}

// StartTriggers starts the trigger runtime of a (idempotent).
func StartTriggers(a *App) error {
	h := hostOf(a)
	if h == nil {
		return fmt.Errorf("triggers are not available")
	}
	h.start(a)
	return nil
}

// Triggers returns the app's trigger runtime (nil before Open).
func Triggers(a *App) *trigger.Runtime {
	if h := hostOf(a); h != nil {
		return h.rt
	}
	return nil
}

func triggerRoute(pattern string) func(a *App) http.Handler {
	return func(a *App) http.Handler {
		h := hostOf(a)
		if h == nil {
			return http.NotFoundHandler()
		}
		h.start(a) // mounting the routes means the app serves: listen
		var inner http.Handler
		switch pattern {
		case "/hooks/":
			inner = h.rt.HookHandler()
		case "/healthz":
			inner = h.rt.Healthz()
		case "/metrics":
			inner = h.rt.Metrics()
		default:
			inner = h.rt.EndpointHandler()
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.noteBase(r)
			inner.ServeHTTP(w, r)
		})
	}
}

// noteBase remembers where the app is reached, for endpoint URLs.
func (h *triggerHost) noteBase(r *http.Request) {
	h.mu.Lock()
	if h.baseURL == "" && r.Host != "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		h.baseURL = scheme + "://" + r.Host
	}
	h.mu.Unlock()
}

// TriggerStatus reports a flow's trigger: whether it listens, its
// endpoint URL and secret, last event, next run, queue and errors.
func (a *App) TriggerStatus(flowID string) (*TriggerState, error) {
	f, err := a.Store.Flow(a.ctx, flowID)
	if err != nil {
		return nil, err
	}
	h := hostOf(a)
	if h == nil {
		return &TriggerState{Flow: f.ID, Kind: trigger.Classify(f), CardType: f.Trigger.Type, Enabled: f.Enabled}, nil
	}
	return h.rt.State(f), nil
}

// RotateTriggerSecret replaces a flow's API client token or event hook
// secret and returns the new one.
func (a *App) RotateTriggerSecret(flowID string) (string, error) {
	h := hostOf(a)
	if h == nil {
		return "", fmt.Errorf("triggers are not available")
	}
	if _, err := a.Store.Flow(a.ctx, flowID); err != nil {
		return "", err
	}
	return h.rt.RotateSecret(flowID)
}
