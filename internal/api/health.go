package api

import (
	"context"
	_ "embed"
	"fmt"
	"net/http"
	"time"
)

// healthz answers 200 while the process serves requests.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// readyz answers 200 when the database is reachable and migrated, else 503.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := s.desk.Ready(ctx); err != nil {
		return &transportError{status: http.StatusServiceUnavailable, detail: "not ready: the database is unreachable or not migrated",
			cause: fmt.Errorf("readiness: %w", err)}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}

//go:embed openapi.json
var openapiJSON []byte

// openapi serves the OpenAPI 3.1 document of this API.
func (s *server) openapi(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openapiJSON)
	return nil
}
