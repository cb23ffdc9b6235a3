package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/diagnosis"
	"github.com/tierdesk/tierdesk/internal/evidence"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/knowledge"
)

type serveFlags struct {
	db        dbFlags
	addr      string
	noMigrate bool
	rules     deskFlags
	slaPoll   time.Duration
	slaLease  time.Duration
	mail      mailFlags
	notify    notifyFlags
	web       webFlags
	pager     pagerFlags
	metrics   metricsFlags
	major     majorFlags
	tracing   tracingFlags
	backups   backupFlags
	problem   problemFlags
	sso       ssoFlags
	profile   profileFlags
}

func newServeCmd() *cobra.Command {
	var f serveFlags
	c := &cobra.Command{
		Use:   "serve",
		Short: "Run the service desk (web UI and REST API) on the embedded SQLite or on PostgreSQL",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(cmd.Context(), f, cmd.ErrOrStderr())
		},
	}
	f.db.register(c)
	c.Flags().StringVar(&f.addr, "addr", envOr("TIERDESK_ADDR", "127.0.0.1:8080"), "address to listen on (env TIERDESK_ADDR)")
	c.Flags().BoolVar(&f.noMigrate, "no-migrate", false, "do not apply database migrations on start")
	f.rules.register(c)
	f.mail.register(c)
	f.notify.installation = &f.db.language
	f.notify.register(c)
	f.web.register(c)
	f.pager.register(c)
	f.metrics.register(c)
	f.major.register(c)
	f.tracing.register(c)
	f.backups.register(c)
	f.problem.register(c)
	f.sso.register(c)
	f.profile.register(c)
	durationFlag(c, &f.slaPoll, "sla-poll", "TIERDESK_SLA_POLL", jobs.DefaultPollInterval,
		"how often the job runner looks for due SLA timers and auto-closes")
	durationFlag(c, &f.slaLease, "sla-lease", "TIERDESK_SLA_LEASE", jobs.DefaultLease,
		"how long a claimed SLA timer waits before another instance takes it again (the delay of an effect when an instance dies)")
	return c
}

func serve(ctx context.Context, f serveFlags, logOut interface{ Write([]byte) (int, error) }) error {
	log := slog.New(slog.NewTextHandler(logOut, nil))
	stopProfile, err := f.profile.start(log)
	if err != nil {
		return err
	}
	defer stopProfile()
	tracer, stopTracing, err := f.tracing.start(ctx, &f.db, log)
	if err != nil {
		return err
	}
	defer stopTracing() // after the server and the database: the last spans are sent
	db, err := f.db.open(ctx, !f.noMigrate)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Ready(ctx); err != nil {
		return fmt.Errorf("database not ready (run 'tierdesk migrate'?): %w", err)
	}
	cfg := f.rules.config()
	f.mail.apply(&cfg, f.notify.from, f.notify.domain)
	if err := f.pager.apply(&cfg, f.addr); err != nil {
		return err
	}
	f.notify.apply(&cfg)
	var d *desk.Desk
	var backups func() (desk.BackupHealth, bool)
	if f.backups.every > 0 {
		backups = func() (desk.BackupHealth, bool) { return d.BackupStatus() }
	}
	m, store := f.metrics.setup(db, backups, log)
	d = desk.New(store, desk.SystemClock{}, cfg)
	runner := jobs.New(db, d, desk.SystemClock{}, jobs.Config{PollInterval: f.slaPoll, Lease: f.slaLease}, log)
	runner.Start(ctx)
	defer runner.Stop()                // before db.Close: the sweep in progress finishes first
	defer startReindex(ctx, db, log)() // likewise
	defer startSearchMerge(ctx, db, log)()
	defer startAuditSealer(ctx, db, log)()
	defer f.pager.start(ctx, db, d, log)()
	f.major.language = f.db.language
	mp, err := f.major.build(db, d, f.web.proxies, log)
	if err != nil {
		return err
	}
	stopMajor, err := mp.start(ctx)
	if err != nil {
		return err
	}
	defer stopMajor() // before db.Close, like the runner
	stopBackups, err := f.backups.start(ctx, f.db, d, log)
	if err != nil {
		return err
	}
	defer stopBackups() // before db.Close, like the runner
	worker, err := f.notify.worker(db, store, f.mail.domain, cfg.PublicURL, log, mp.onRejected)
	if err != nil {
		return err
	}
	if worker != nil {
		worker.Start(ctx)
		defer worker.Stop() // before db.Close, like the runner
	}
	pm, stopProblems := f.problem.start(ctx, db, d, log)
	defer stopProblems() // before db.Close, like the runner
	f.web.problems = pm
	f.web.diagnosis = diagnosis.New(db, d, desk.SystemClock{})
	f.web.diagnosis.Guard() // escalations check line 1's diagnosis checklist
	tri, stopTriage := startTriage(ctx, db, d, log)
	defer stopTriage() // before db.Close, like the runner
	f.web.triage = tri
	f.web.evidence = evidence.New(db, d, desk.SystemClock{}, f.web.evidenceMax)
	sp, err := f.sso.build(db, d, log)
	if err != nil {
		return err
	}
	defer sp.start(ctx, log)() // before db.Close, like the runner
	handler, err := f.web.httpHandler(d, knowledge.New(db, d, desk.SystemClock{}), audit.NewService(db, d), log, mp, sp)
	if err != nil {
		return err
	}
	if m != nil {
		handler = f.metrics.guard(m, m.HTTP(handler))
	}
	handler = tracer.Handler(handler) // outermost: the metrics and the access log see its span
	stopIMAP, err := f.mail.imap.start(ctx, d, mailReceiver(m, d), f.mail.maxBytes, log)
	if err != nil {
		return err
	}
	defer stopIMAP() // before db.Close: the poll in progress finishes first
	if m != nil {
		m.WatchMailboxes(func() []desk.MailboxHealth {
			h, _ := d.Mailboxes(desk.AsSystem(ctx))
			return h
		})
	}
	stopMetrics, err := f.metrics.listen(m, log)
	if err != nil {
		return err
	}
	defer stopMetrics()
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	smtpSrv, err := f.mail.listen(mailReceiver(m, d), log)
	if err != nil {
		ln.Close()
		return err
	}
	log.Info("tierdesk serving", "addr", ln.Addr().String(), "database", f.db.describe())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if smtpSrv != nil {
			smtpSrv.Shutdown(context.Background())
		}
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if smtpSrv != nil {
		// Before the database closes: a message being stored is finished
		// (or the sender gets no 250 and retries).
		if err := smtpSrv.Shutdown(shutCtx); err != nil {
			log.Warn("smtp shutdown", "err", err)
		}
	}
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func newMigrateCmd() *cobra.Command {
	var f dbFlags
	c := &cobra.Command{
		Use:   "migrate",
		Short: "Apply database migrations and exit",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := f.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer db.Close()
			fmt.Fprintln(cmd.OutOrStdout(), "migrations applied to", f.describe())
			return nil
		},
	}
	f.register(c)
	return c
}
