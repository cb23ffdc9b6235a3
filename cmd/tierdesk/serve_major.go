package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/clientip"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/statuspage"
	"github.com/tierdesk/tierdesk/internal/statusweb"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// majorFlags configure major incidents and the status page.
type majorFlags struct {
	noReviewGate bool
	poll         time.Duration
	pageName     string
	language     string // the installation's (--language), set by serve
}

func (f *majorFlags) register(c *cobra.Command) {
	fl := c.Flags()
	fl.BoolVar(&f.noReviewGate, "no-review-gate", os.Getenv("TIERDESK_NO_REVIEW_GATE") == "true",
		"let a resolved major incident close before its post-incident review is published (env TIERDESK_NO_REVIEW_GATE=true)")
	fl.StringVar(&f.pageName, "status-page-name", envOr("TIERDESK_STATUS_PAGE_NAME", "Tierdesk"),
		"the name the public status page (/status) shows (env TIERDESK_STATUS_PAGE_NAME)")
	durationFlag(c, &f.poll, "major-poll", "TIERDESK_MAJOR_POLL", 15*time.Second,
		"how often update cadences, declaration rules and maintenance notices are looked at, and other instances' status page changes picked up")
}

// majorParts are the major-incident and status-page services of a server.
type majorParts struct {
	majors *major.Service
	page   *statuspage.Service
	status *statusweb.Server
	hooks  *statusweb.HookWorker
	log    *slog.Logger
	loop   jobs.Periodic
	poll   time.Duration
}

func (f *majorFlags) build(db *sqlstore.Store, d *desk.Desk, proxies clientip.Resolver, log *slog.Logger) (*majorParts, error) {
	cfg := major.DefaultConfig
	cfg.ReviewGate = !f.noReviewGate
	cfg.Language = f.language
	p := &majorParts{log: log.With("component", "major"), poll: f.poll}
	p.majors = major.New(d, db, db, desk.SystemClock{}, cfg)
	var srv *statusweb.Server
	p.page = statuspage.New(d, db, db, desk.SystemClock{}, d.Config().PublicURL, func() { srv.Changed() })
	p.majors.SetComponents(p.page.ComponentNames)
	srv, err := statusweb.New(db, p.page, desk.SystemClock{}, p.log, statusweb.Options{Name: f.pageName,
		BaseURL: d.Config().PublicURL, Poll: min(f.poll, 2*time.Second), Proxies: proxies})
	if err != nil {
		return nil, err
	}
	p.status = srv
	p.hooks = statusweb.NewHookWorker(db, desk.SystemClock{}, p.log)
	return p, nil
}

// start serves the snapshot and runs the sweeps until stop.
func (p *majorParts) start(ctx context.Context) (stop func(), err error) {
	if err := p.status.Start(ctx); err != nil {
		return nil, err
	}
	p.hooks.Start(ctx, p.poll)
	p.loop.Start(ctx, p.poll, func(ctx context.Context) {
		if _, err := p.majors.Sweep(ctx); err != nil && ctx.Err() == nil {
			p.log.Warn("major incident sweep", "err", err)
		}
		if _, err := p.page.Sweep(ctx); err != nil && ctx.Err() == nil {
			p.log.Warn("maintenance notices", "err", err)
		}
	})
	return func() {
		p.loop.Stop()
		p.hooks.Stop()
		p.status.Stop()
	}, nil
}

// onRejected counts an outside address the mail relay refused as a bounce.
func (p *majorParts) onRejected(ctx context.Context, addr string) {
	if _, err := p.page.RecordBounce(ctx, addr); err != nil {
		p.log.Warn("record bounce", "err", err)
	}
}
