package telemetry

import (
	"context"
	"errors"
	"os"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"
)

const instrumentation = "github.com/flowbench/flowbench"

// tracer follows the global provider: spans are no-ops until one is set.
func tracer() trace.Tracer { return otel.Tracer(instrumentation) }

// tracing says whether spans go anywhere: an SDK tracer provider is set
// (SetupTracing with an exporter, or a test's provider).
func tracing() bool {
	_, ok := otel.GetTracerProvider().(*sdktrace.TracerProvider)
	return ok
}

func setPropagator() {
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
}

// SetupTracing exports spans over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT
// (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; the exporter reads the
// other OTEL_EXPORTER_OTLP_* variables (headers, timeout, insecure) itself.
// Without them it does nothing. The returned func flushes and stops.
func SetupTracing(ctx context.Context) (func(context.Context) error, error) {
	Install()
	if os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "" {
		return func(context.Context) error { return nil }, nil
	}
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, errors.New("OTLP trace exporter: " + err.Error())
	}
	tp := NewTracerProvider(sdktrace.WithBatcher(exp))
	otel.SetTracerProvider(tp)
	return tp.Shutdown, nil
}

// NewTracerProvider is an SDK provider with Flowbench's resource (service
// name and version); tests pass a syncer with an in-memory exporter.
func NewTracerProvider(opts ...sdktrace.TracerProviderOption) *sdktrace.TracerProvider {
	res, _ := resource.Merge(resource.Default(), resource.NewWithAttributes(semconv.SchemaURL,
		semconv.ServiceName("flowbench"), semconv.ServiceVersion(serviceVersion)))
	return sdktrace.NewTracerProvider(append([]sdktrace.TracerProviderOption{sdktrace.WithResource(res)}, opts...)...)
}

// serviceVersion is set by the CLI before tracing starts.
var serviceVersion = "dev"

// SetVersion names the version in exported spans.
func SetVersion(v string) { serviceVersion = v }
