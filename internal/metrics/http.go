package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/httplog"
)

// HTTP times every request of next by the pattern that routed it (set on
// the request by the API's and the web UI's http.ServeMux, which serve the
// request they are given) and its status code; requests no pattern matched
// count as route "unmatched", so that scanners' paths never become labels.
func (m *Metrics) HTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &httplog.StatusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		m.httpDuration.WithLabelValues(route, strconv.Itoa(sw.Status())).Observe(time.Since(start).Seconds())
	})
}
