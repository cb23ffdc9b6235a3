// Package httplog holds the HTTP middleware that the API and the web UI
// share: an access log that records the path only (query strings may carry
// search text, headers carry tokens) and recovery from handler panics.
package httplog

import (
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/tierdesk/tierdesk/internal/clientip"
)

// StatusWriter remembers the status written, for the access log and the
// request metrics (internal/metrics).
type StatusWriter struct {
	http.ResponseWriter
	status int
}

// Status is the status written: 200 if the handler wrote none.
func (w *StatusWriter) Status() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

func (w *StatusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *StatusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *StatusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Access writes one info record named msg per request: the client's
// address (as proxies resolves it), method, path, status and duration, and
// the trace id when the request is traced.
func Access(log *slog.Logger, msg string, proxies clientip.Resolver, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &StatusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		attrs := []slog.Attr{slog.String("client", proxies.Client(r)),
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Duration("duration", time.Since(start))}
		// With tracing on (internal/tracing), the record names the trace
		// so that a slow request in the log leads to its spans.
		if sc := trace.SpanContextFromContext(r.Context()); sc.IsValid() {
			attrs = append(attrs, slog.String("trace_id", sc.TraceID().String()))
		}
		log.LogAttrs(r.Context(), slog.LevelInfo, msg, attrs...)
	})
}

// Recover logs a handler panic (named msg, with its stack) and answers with
// fail. http.ErrAbortHandler passes through, as net/http expects.
func Recover(log *slog.Logger, msg string, fail func(http.ResponseWriter, *http.Request), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			log.Error(msg, "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			fail(w, r)
		}()
		next.ServeHTTP(w, r)
	})
}
