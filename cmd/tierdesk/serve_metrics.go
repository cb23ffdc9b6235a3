package main

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/mailin"
	"github.com/tierdesk/tierdesk/internal/metrics"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// metricsFlags say where GET /metrics is served: on an address of its own
// (--metrics-addr, for a scraper on a private network) and/or on the main
// address behind a bearer token (--metrics-token-file). With neither,
// nothing is measured or served: metrics are never public by default.
type metricsFlags struct {
	addr      string
	tokenFile string
	token     string
}

func (f *metricsFlags) register(c *cobra.Command) {
	c.Flags().StringVar(&f.addr, "metrics-addr", os.Getenv("TIERDESK_METRICS_ADDR"),
		"serve Prometheus metrics at /metrics on this address of their own, e.g. 127.0.0.1:9464 (env TIERDESK_METRICS_ADDR; empty: off)")
	c.Flags().StringVar(&f.tokenFile, "metrics-token-file", os.Getenv("TIERDESK_METRICS_TOKEN_FILE"),
		"also serve /metrics on --addr to requests with 'Authorization: Bearer' and the token in this file "+
			"(env TIERDESK_METRICS_TOKEN_FILE)")
	c.PreRunE = chainPreRun(c.PreRunE, func(*cobra.Command, []string) error {
		if f.tokenFile == "" {
			return nil
		}
		b, err := os.ReadFile(f.tokenFile)
		if err != nil {
			return usagef("--metrics-token-file: %v", err)
		}
		if f.token = strings.TrimSpace(string(b)); len(f.token) < 16 {
			return usagef("--metrics-token-file: the token must have at least 16 characters")
		}
		return nil
	})
}

func (f *metricsFlags) enabled() bool { return f.addr != "" || f.token != "" }

// setup returns the metrics (nil when off) and the store the desk should
// write through: db itself, or db counting what is written.
//
// backups, when not nil, reads the scheduled backups' state; it is called
// at scrape time, after the desk exists.
func (f *metricsFlags) setup(db *sqlstore.Store, backups func() (desk.BackupHealth, bool), log *slog.Logger) (*metrics.Metrics, desk.Store) {
	if !f.enabled() {
		return nil, db
	}
	src := metrics.Sources{Ops: db, Pools: db}
	if backups != nil {
		src.Backups = func(context.Context) (metrics.BackupState, error) {
			h, _ := backups()
			return metrics.BackupState{LastSuccess: h.LastSuccess, LastFailure: h.LastFailure}, nil
		}
	}
	m := metrics.New(src, log.With("component", "metrics"))
	return m, m.Store(db)
}

// guard serves /metrics on the main address to the token's holders and
// passes everything else to next.
func (f *metricsFlags) guard(m *metrics.Metrics, next http.Handler) http.Handler {
	if m == nil || f.token == "" {
		return next
	}
	h := m.Handler()
	want := []byte("Bearer " + f.token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" {
			next.ServeHTTP(w, r)
			return
		}
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics need a bearer token", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// listen serves /metrics on --metrics-addr; the returned function stops it.
func (f *metricsFlags) listen(m *metrics.Metrics, log *slog.Logger) (stop func(), err error) {
	if m == nil || f.addr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return nil, fmt.Errorf("metrics listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server", "err", err)
		}
	}()
	log.Info("metrics serving", "listen", ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
	}, nil
}

// mailReceiver is what the mail listeners hand messages to: the desk,
// counted when metrics are on.
func mailReceiver(m *metrics.Metrics, d *desk.Desk) mailin.Receiver {
	if m == nil {
		return d
	}
	return m.Mail(d)
}
