package httplog_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/clientip"
	"github.com/tierdesk/tierdesk/internal/httplog"
)

// TestAccess_PathStatusNoQuery: the record names the status written
// (200 when only a body is written) and the path without its query string.
func TestAccess_PathStatusNoQuery(t *testing.T) {
	for _, tc := range []struct {
		name   string
		h      http.HandlerFunc
		status string
	}{
		{"explicit", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) }, "status=418"},
		{"body only", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("x")) }, "status=200"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			h := httplog.Access(slog.New(slog.NewTextHandler(&buf, nil)), "req", clientip.Resolver{}, tc.h)
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/tickets?q=secret", nil))
			got := buf.String()
			if !strings.Contains(got, tc.status) || !strings.Contains(got, "path=/tickets") || strings.Contains(got, "secret") {
				t.Errorf("log %q: want %s, path=/tickets and no query", got, tc.status)
			}
		})
	}
}

// TestRecover: a panic is logged with its stack and answered by fail; an
// aborted handler's panic goes on to net/http.
func TestRecover(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	fail := func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) }
	rec := httptest.NewRecorder()
	httplog.Recover(log, "panicked", fail, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })).
		ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(buf.String(), "boom") || !strings.Contains(buf.String(), "stack=") {
		t.Errorf("status %d, log %q", rec.Code, buf.String())
	}
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler", v)
		}
	}()
	httplog.Recover(log, "panicked", fail, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) })).
		ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
	t.Error("ErrAbortHandler was swallowed")
}

// TestAccess_Client: the record names the client, read from
// X-Forwarded-For only when the peer is a trusted proxy.
func TestAccess_Client(t *testing.T) {
	proxies, err := clientip.Parse([]string{"10.0.0.0/8"})
	if err != nil {
		t.Fatal(err)
	}
	for peer, want := range map[string]string{"10.1.1.1:443": "client=198.51.100.9", "203.0.113.4:5000": "client=203.0.113.4"} {
		var buf bytes.Buffer
		h := httplog.Access(slog.New(slog.NewTextHandler(&buf, nil)), "req", proxies, http.NotFoundHandler())
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = peer
		r.Header.Set("X-Forwarded-For", "198.51.100.9")
		h.ServeHTTP(httptest.NewRecorder(), r)
		if !strings.Contains(buf.String(), want) {
			t.Errorf("peer %s: log %q, want %s", peer, buf.String(), want)
		}
	}
}
