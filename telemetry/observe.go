package telemetry

import (
	"context"
	"log/slog"
	"strconv"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/flowbench/flowbench/engine"
)

var installOnce sync.Once

// Install makes telemetry observe every execution of this process (logs,
// metrics, spans) and sets the W3C trace-context propagator, so outside HTTP
// calls carry traceparent. Idempotent.
func Install() {
	installOnce.Do(func() {
		setPropagator()
		engine.SetObserver(Observer{})
	})
}

// Observer is the engine.Observer of this package.
type Observer struct{}

// StartExecution opens the execution's span and tags its context for logs.
func (Observer) StartExecution(ctx context.Context, ex *engine.Execution) context.Context {
	ctx = WithRun(ctx, ex.ID, ex.Flow)
	if !tracing() {
		// no SDK tracer provider (no exporter): the span would be a no-op
		// that still costs its attributes on every run; outside calls
		// carry the caller's trace context, if any, as they would through
		// a no-op span
		if slog.Default().Enabled(ctx, slog.LevelDebug) {
			slog.DebugContext(ctx, "execution started", "flow", ex.FlowName, "trigger", ex.Trigger)
		}
		return ctx
	}
	ctx, _ = tracer().Start(ctx, "execution "+ex.FlowName, trace.WithTimestamp(ex.Started),
		trace.WithAttributes(
			attribute.String("flowbench.execution.id", ex.ID),
			attribute.String("flowbench.flow.id", ex.Flow),
			attribute.String("flowbench.flow.name", ex.FlowName),
			attribute.String("flowbench.trigger", ex.Trigger),
			attribute.String("flowbench.execution.parent", ex.Parent),
		))
	slog.DebugContext(ctx, "execution started", "flow", ex.FlowName, "trigger", ex.Trigger)
	return ctx
}

// EndExecution records the duration, logs the outcome and ends the span.
func (Observer) EndExecution(ctx context.Context, ex *engine.Execution) {
	d := ex.Duration()
	executionObserver(ex.Flow, ex.Status).Observe(d.Seconds())
	span := trace.SpanFromContext(ctx)
	span.SetAttributes(attribute.String("flowbench.status", ex.Status))
	// typed attributes (LogAttrs): no boxing on every execution
	l := slog.Default()
	attrs := [6]slog.Attr{slog.String("flow", ex.FlowName), slog.String("trigger", ex.Trigger),
		slog.String("status", ex.Status), slog.Float64("duration_ms", float64(d.Microseconds())/1000)}
	if ex.Error != nil {
		span.SetStatus(codes.Error, ex.Error.Error())
		attrs[4], attrs[5] = slog.String("card", ex.Error.Card), slog.String("error", ex.Error.Error())
		l.LogAttrs(ctx, slog.LevelWarn, "execution failed", attrs[:]...)
	} else if l.Enabled(ctx, slog.LevelInfo) {
		l.LogAttrs(ctx, slog.LevelInfo, "execution finished", attrs[:4]...)
	}
	span.End(trace.WithTimestamp(ex.Ended))
}

// StartCard opens the card's span (a child of the execution's). When the
// execution's span is not recorded (no exporter configured, or not sampled)
// the card gets none either: a card span would be a no-op that costs
// allocations on every card, and the context already carries the
// execution's span context for traceparent on outside calls.
func (Observer) StartCard(ctx context.Context, ex *engine.Execution, c *engine.Card) context.Context {
	if !trace.SpanFromContext(ctx).IsRecording() {
		return ctx
	}
	ctx, _ = tracer().Start(ctx, "card "+c.Type, trace.WithAttributes(
		attribute.String("flowbench.card.id", c.ID),
		attribute.String("flowbench.card.type", c.Type),
		attribute.String("flowbench.card.title", c.Title),
	))
	return ctx
}

// EndCard records the card's duration and its outside calls, and ends the span.
func (Observer) EndCard(ctx context.Context, ex *engine.Execution, rec engine.CardRecord) {
	if !rec.Ended.IsZero() {
		cardObserver(rec.Type, rec.Status).Observe(rec.Ended.Sub(rec.Started).Seconds())
	}
	if len(rec.Attempts) > 0 {
		connector := "unknown"
		if s, ok := engine.Default().Card(rec.Type); ok && s.App != "" {
			connector = s.App
		}
		for _, a := range rec.Attempts {
			if a.Duration == 0 && a.Status == 0 {
				continue // a card-level retry note, not an outside call
			}
			st := "error"
			if a.Status > 0 {
				st = strconv.Itoa(a.Status)
			}
			outsideCall.WithLabelValues(connector, st).Observe(a.Duration.Seconds())
		}
	}
	// the per-card log lines are debug: build their arguments only when
	// they are written
	if l := slog.Default(); l.Enabled(ctx, slog.LevelDebug) {
		if rec.Error != nil {
			l.DebugContext(ctx, "card failed", "card", rec.ID, "type", rec.Type, "status", rec.Status, "error", rec.Error.Error())
		} else {
			l.DebugContext(ctx, "card finished", "card", rec.ID, "type", rec.Type, "status", rec.Status)
		}
	}
	// StartCard opened no span when the execution's is not recorded: then
	// this is the execution's span, which the card must not touch
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	span.SetAttributes(attribute.String("flowbench.status", rec.Status), attribute.Int("flowbench.card.attempts", len(rec.Attempts)))
	if rec.Error != nil {
		span.SetStatus(codes.Error, rec.Error.Error())
	}
	if rec.Ended.IsZero() {
		span.End()
	} else {
		span.End(trace.WithTimestamp(rec.Ended))
	}
}
