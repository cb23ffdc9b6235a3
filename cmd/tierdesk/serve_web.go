package main

import (
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/api"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// webFlags configure the browser UI served next to the API.
type webFlags struct {
	secureCookies bool
}

func (f *webFlags) register(c *cobra.Command) {
	c.Flags().BoolVar(&f.secureCookies, "secure-cookies", os.Getenv("TIERDESK_SECURE_COOKIES") == "true",
		"mark session cookies Secure although the server speaks plain HTTP (behind a TLS proxy; env TIERDESK_SECURE_COOKIES=true)")
}

// httpHandler serves the REST API under /api/ (and /healthz, /readyz) and
// the web UI everywhere else, on one address.
func (f *webFlags) httpHandler(d *desk.Desk, log *slog.Logger) (http.Handler, error) {
	apiHandler := api.New(d, log, api.Options{})
	ui, err := web.New(d, log, web.Options{SecureCookies: f.secureCookies})
	if err != nil {
		return nil, err
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, "/api/") || p == "/api" || p == "/healthz" || p == "/readyz" {
			apiHandler.ServeHTTP(w, r)
			return
		}
		ui.ServeHTTP(w, r)
	}), nil
}
