// Package telemetry is how a Flowbench process reports on itself: log/slog
// logs that carry the execution and flow id of the run they belong to,
// Prometheus metrics, and OpenTelemetry traces. It plugs into the engine as
// an engine.Observer.
package telemetry

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

type runKey struct{}

type runIDs struct{ execution, flow string }

// WithRun returns a context whose log lines carry execution_id and flow_id.
func WithRun(ctx context.Context, executionID, flowID string) context.Context {
	return context.WithValue(ctx, runKey{}, runIDs{executionID, flowID})
}

// ParseLevel reads debug, info, warn or error.
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.TrimSpace(s))); err != nil {
		return 0, fmt.Errorf("log level %q: want debug, info, warn or error", s)
	}
	return l, nil
}

// NewLogHandler makes the process's handler: text (for a terminal) or json
// (for a log collector), at level, writing to w. Every record logged with a
// context from WithRun gets execution_id and flow_id.
func NewLogHandler(w io.Writer, format, level string) (slog.Handler, error) {
	l, err := ParseLevel(level)
	if err != nil {
		return nil, err
	}
	opt := &slog.HandlerOptions{Level: l}
	var h slog.Handler
	switch strings.ToLower(format) {
	case "", "text":
		h = slog.NewTextHandler(w, opt)
	case "json":
		h = slog.NewJSONHandler(w, opt)
	default:
		return nil, fmt.Errorf("log format %q: want text or json", format)
	}
	rh := runHandler{Handler: h}
	if lb, ok := w.(*LogBuffer); ok {
		rh.buffer = lb
	}
	return rh, nil
}

// SetLogger makes h the default slog handler (and so the log package's).
func SetLogger(h slog.Handler) { slog.SetDefault(slog.New(h)) }

// runHandler adds the run's ids from the context to each record. Over a
// LogBuffer, records of level warn and up are written out at once.
type runHandler struct {
	slog.Handler
	buffer *LogBuffer
}

func (h runHandler) Handle(ctx context.Context, r slog.Record) error {
	if ids, ok := ctx.Value(runKey{}).(runIDs); ok {
		r.AddAttrs(slog.String("execution_id", ids.execution), slog.String("flow_id", ids.flow))
	}
	err := h.Handler.Handle(ctx, r)
	if h.buffer != nil && r.Level >= slog.LevelWarn {
		if ferr := h.buffer.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (h runHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return runHandler{h.Handler.WithAttrs(as), h.buffer}
}

func (h runHandler) WithGroup(name string) slog.Handler {
	return runHandler{h.Handler.WithGroup(name), h.buffer}
}
