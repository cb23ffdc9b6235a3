package main

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/tracing"
)

// tracingFlags turn on OpenTelemetry traces (off by default).
type tracingFlags struct {
	endpoint string
	ratio    float64
}

func (f *tracingFlags) register(c *cobra.Command) {
	c.Flags().StringVar(&f.endpoint, "otlp-endpoint", os.Getenv("TIERDESK_OTLP_ENDPOINT"),
		"send traces of HTTP requests and database calls to this OTLP/HTTP collector, e.g. http://127.0.0.1:4318 "+
			"(env TIERDESK_OTLP_ENDPOINT; empty: no tracing)")
	ratio := 1.0
	if v, err := strconv.ParseFloat(os.Getenv("TIERDESK_TRACE_SAMPLE_RATIO"), 64); err == nil {
		ratio = v
	}
	c.Flags().Float64Var(&f.ratio, "trace-sample-ratio", ratio,
		"share of new traces recorded, 0 < r <= 1; a client's sampled traceparent is always followed (env TIERDESK_TRACE_SAMPLE_RATIO)")
	c.PreRunE = chainPreRun(c.PreRunE, func(*cobra.Command, []string) error {
		if f.ratio <= 0 || f.ratio > 1 {
			return usagef("--trace-sample-ratio must be above 0 and at most 1, not %v", f.ratio)
		}
		return nil
	})
}

// start starts the trace pipeline (nil when off) and makes db open its
// pools through the statement tracer; stop flushes what is buffered.
func (f *tracingFlags) start(ctx context.Context, db *dbFlags, log *slog.Logger) (*tracing.Tracer, func(), error) {
	t, err := tracing.Start(ctx, tracing.Config{Endpoint: f.endpoint, SampleRatio: f.ratio})
	if err != nil || t == nil {
		return nil, func() {}, err
	}
	system := "sqlite"
	if db.database != "" {
		system = "postgresql"
	}
	db.options = append(db.options, sqlstore.WithConnWrapper(t.Connector(system)))
	log.Info("tracing", "otlp", f.endpoint, "sample_ratio", f.ratio)
	return t, func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := t.Shutdown(sctx); err != nil {
			log.Warn("tracing shutdown", "err", err)
		}
	}, nil
}
