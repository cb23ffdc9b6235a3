package main

import (
	"context"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/pager"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// pagerFlags configure paging: the base of the links sent in pages, the
// key that signs them, and how often due pages and messages are looked for.
type pagerFlags struct {
	publicURL  string
	secretFile string
	poll       time.Duration
}

func (f *pagerFlags) register(c *cobra.Command) {
	fl := c.Flags()
	fl.StringVar(&f.publicURL, "public-url", os.Getenv("TIERDESK_PUBLIC_URL"),
		"URL at which people reach this desk, the base of links in pages; default http://<addr> (env TIERDESK_PUBLIC_URL)")
	fl.StringVar(&f.secretFile, "page-secret-file", os.Getenv("TIERDESK_PAGE_SECRET_FILE"),
		"file holding the key that signs acknowledgement links in pages; default a random key kept in the database (env TIERDESK_PAGE_SECRET_FILE, or the key itself in TIERDESK_PAGE_SECRET)")
	durationFlag(c, &f.poll, "page-poll", "TIERDESK_PAGE_POLL", pager.DefaultPollInterval,
		"how often due escalation steps and page messages are looked for")
	c.PreRunE = chainPreRun(c.PreRunE, func(*cobra.Command, []string) error {
		if f.publicURL == "" {
			return nil
		}
		if u, err := url.Parse(f.publicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usagef("--public-url %q is not an http(s) URL", f.publicURL)
		}
		return nil
	})
}

// apply puts the link base and key into cfg; addr is the listen address,
// the base when no public URL is given.
func (f *pagerFlags) apply(cfg *desk.Config, addr string) error {
	cfg.PublicURL = f.publicURL
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://" + addr
	}
	key := os.Getenv("TIERDESK_PAGE_SECRET")
	if f.secretFile != "" {
		b, err := os.ReadFile(f.secretFile)
		if err != nil {
			return usagef("--page-secret-file: %v", err)
		}
		key = strings.TrimSpace(string(b))
	}
	if key != "" {
		cfg.PageSecret = []byte(key)
	}
	return nil
}

// start runs the paging engine and the delivery worker until stop.
func (f *pagerFlags) start(ctx context.Context, db *sqlstore.Store, d *desk.Desk, log *slog.Logger) (stop func()) {
	cfg := pager.Config{PollInterval: f.poll}
	engine := pager.NewEngine(db, d, desk.SystemClock{}, cfg, log)
	worker := pager.NewWorker(db, desk.SystemClock{}, cfg, nil, log)
	engine.Start(ctx)
	worker.Start(ctx)
	return func() {
		engine.Stop()
		worker.Stop()
	}
}
