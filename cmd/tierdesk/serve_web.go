package main

import (
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/api"
	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/clientip"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/diagnosis"
	"github.com/tierdesk/tierdesk/internal/evidence"
	"github.com/tierdesk/tierdesk/internal/knowledge"
	prb "github.com/tierdesk/tierdesk/internal/problem"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// webFlags configure the browser UI served next to the API.
type webFlags struct {
	secureCookies  bool
	trustedProxies []string
	proxies        clientip.Resolver
	problems       *prb.Service        // set by serve
	triage         *triagedesk.Service // set by serve
	evidenceMax    int64
	evidence       *evidence.Service  // set by serve
	diagnosis      *diagnosis.Service // set by serve
}

func (f *webFlags) register(c *cobra.Command) {
	c.Flags().BoolVar(&f.secureCookies, "secure-cookies", os.Getenv("TIERDESK_SECURE_COOKIES") == "true",
		"mark session cookies Secure although the server speaks plain HTTP (behind a TLS proxy; env TIERDESK_SECURE_COOKIES=true)")
	c.Flags().StringArrayVar(&f.trustedProxies, "trusted-proxy", nil,
		"IP range (CIDR) or address of a reverse proxy whose X-Forwarded-For names the client, for the sign-in "+
			"throttle and the access log (repeatable; env TIERDESK_TRUSTED_PROXIES, comma-separated); "+
			"without it the header is never believed")
	c.Flags().Int64Var(&f.evidenceMax, "evidence-max-bytes", envInt64("TIERDESK_EVIDENCE_MAX_BYTES", evidence.DefaultMaxBytes),
		"largest evidence file of a security case; larger uploads get 413 (env TIERDESK_EVIDENCE_MAX_BYTES)")
	c.PreRunE = chainPreRun(c.PreRunE, f.parseProxies)
	c.PreRunE = chainPreRun(c.PreRunE, func(*cobra.Command, []string) error {
		if v := os.Getenv("TIERDESK_EVIDENCE_MAX_BYTES"); v != "" && envInt64("TIERDESK_EVIDENCE_MAX_BYTES", 0) <= 0 {
			return usagef("TIERDESK_EVIDENCE_MAX_BYTES=%q is not a positive number", v)
		}
		if f.evidenceMax <= 0 {
			return usagef("--evidence-max-bytes must be positive")
		}
		return nil
	})
}

// envInt64 is the environment variable's number, else def (a value that
// is not a number is left for the flag's check: it gives def).
func envInt64(name string, def int64) int64 {
	if n, err := strconv.ParseInt(os.Getenv(name), 10, 64); err == nil {
		return n
	}
	return def
}

// parseProxies checks the trusted proxies given by flag, else by the
// environment; a bad range is a usage mistake.
func (f *webFlags) parseProxies(cmd *cobra.Command, _ []string) error {
	ranges, from := f.trustedProxies, "--trusted-proxy"
	if env := os.Getenv("TIERDESK_TRUSTED_PROXIES"); env != "" && !cmd.Flags().Changed("trusted-proxy") {
		ranges, from = strings.Split(env, ","), "TIERDESK_TRUSTED_PROXIES"
	}
	r, err := clientip.Parse(ranges)
	if err != nil {
		return usagef("%s: %v", from, err)
	}
	f.proxies = r
	return nil
}

// httpHandler serves the REST API under /api/ (and /healthz, /readyz) and
// the web UI everywhere else, on one address.
func (f *webFlags) httpHandler(d *desk.Desk, kn *knowledge.Service, au *audit.Service, log *slog.Logger, mp *majorParts, sp ssoParts) (http.Handler, error) {
	apiHandler := api.New(d, log, api.Options{Proxies: f.proxies, Major: mp.majors, StatusPage: mp.page, Knowledge: kn,
		Problems: f.problems, Triage: f.triage, SSO: sp.svc, Audit: au, Evidence: f.evidence, Diagnosis: f.diagnosis})
	ui, err := web.New(d, log, web.Options{SecureCookies: f.secureCookies, Proxies: f.proxies, Knowledge: kn, Diagnosis: f.diagnosis,
		Majors: mp.majors, StatusPage: mp.page,
		SSO: sp.svc, OIDC: sp.oidc, LDAP: sp.ldap, Triage: f.triage, Audit: au, Problems: f.problems, Evidence: f.evidence})
	if err != nil {
		return nil, err
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p == "/status" || strings.HasPrefix(p, "/status/") {
			mp.status.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(p, "/api/") || p == "/api" || p == "/healthz" || p == "/readyz" {
			apiHandler.ServeHTTP(w, r)
			return
		}
		ui.ServeHTTP(w, r)
	}), nil
}
