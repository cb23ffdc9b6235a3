// Package tracing sends OpenTelemetry traces of HTTP requests and database
// calls over OTLP/HTTP when an endpoint is configured. Off (the default),
// nothing of it is on the request path: Handler and the connector wrapper
// are simply not installed.
package tracing

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"runtime/debug"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

const scope = "github.com/tierdesk/tierdesk"

// Config says where traces go.
type Config struct {
	// Endpoint is the OTLP/HTTP base URL of a collector, e.g.
	// http://127.0.0.1:4318 (traces are POSTed to /v1/traces); empty: off.
	Endpoint string
	// SampleRatio is the share of new traces recorded (0 < r <= 1); a
	// request carrying a sampled traceparent is always recorded.
	SampleRatio float64
	Service     string // service.name; empty: tierdesk
	Version     string // service.version; empty: the module's version
}

// Tracer is a running trace pipeline.
type Tracer struct {
	provider *sdktrace.TracerProvider
	tracer   trace.Tracer
}

// Start builds the exporter and the provider; nil when cfg.Endpoint is empty.
func Start(ctx context.Context, cfg Config) (*Tracer, error) {
	if cfg.Endpoint == "" {
		return nil, nil
	}
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("tracing endpoint %q is not an http(s) URL", cfg.Endpoint)
	}
	opts := []otlptracehttp.Option{otlptracehttp.WithEndpointURL(u.JoinPath("/v1/traces").String())}
	exp, err := otlptracehttp.New(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("tracing exporter: %w", err)
	}
	if cfg.Service == "" {
		cfg.Service = "tierdesk"
	}
	if bi, ok := debug.ReadBuildInfo(); ok && cfg.Version == "" {
		cfg.Version = bi.Main.Version
	}
	if cfg.SampleRatio <= 0 || cfg.SampleRatio > 1 {
		cfg.SampleRatio = 1
	}
	res := resource.NewSchemaless(attribute.String("service.name", cfg.Service),
		attribute.String("service.version", cfg.Version))
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp, sdktrace.WithBatchTimeout(2*time.Second)),
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(cfg.SampleRatio))))
	// otelhttp reads the global propagator for incoming traceparent headers.
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return &Tracer{provider: tp, tracer: tp.Tracer(scope)}, nil
}

// Shutdown sends what is buffered and stops.
func (t *Tracer) Shutdown(ctx context.Context) error {
	if t == nil {
		return nil
	}
	return t.provider.Shutdown(ctx)
}

// Handler traces every request of next as a server span named after the
// route pattern that served it ("POST /api/v1/tickets"), continuing a
// trace the client started (traceparent).
func (t *Tracer) Handler(next http.Handler) http.Handler {
	if t == nil {
		return next
	}
	named := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		// The mux set the pattern on the request it was given (this one).
		if r.Pattern != "" {
			span := trace.SpanFromContext(r.Context())
			span.SetName(r.Pattern)
			span.SetAttributes(attribute.String("http.route", r.Pattern))
		}
	})
	return otelhttp.NewHandler(named, "HTTP", otelhttp.WithTracerProvider(t.provider),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
			// Called again when the request ends, by then with the pattern.
			if r.Pattern != "" {
				return r.Pattern
			}
			return r.Method
		}))
}
