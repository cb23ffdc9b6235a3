package main

import (
	"log/slog"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/mailin"
)

// mailFlags configure the inbound SMTP listener of serve.
type mailFlags struct {
	addr           string
	domain         string
	maxBytes       int64
	unknownSenders string
	ticketsPerHour int
}

func (f *mailFlags) register(c *cobra.Command) {
	fl := c.Flags()
	fl.StringVar(&f.addr, "smtp-addr", os.Getenv("TIERDESK_SMTP_ADDR"),
		"address of the inbound SMTP listener, e.g. 127.0.0.1:2525; off when empty (env TIERDESK_SMTP_ADDR)")
	fl.StringVar(&f.domain, "smtp-domain", envOr("TIERDESK_SMTP_DOMAIN", "localhost"),
		"name the SMTP listener greets with (env TIERDESK_SMTP_DOMAIN)")
	fl.Int64Var(&f.maxBytes, "smtp-max-bytes", mailin.DefaultMaxBytes,
		"largest message accepted; larger ones get 552 (env TIERDESK_SMTP_MAX_BYTES)")
	fl.StringVar(&f.unknownSenders, "smtp-unknown-senders", envOr("TIERDESK_SMTP_UNKNOWN_SENDERS", "accept"),
		"accept: register unknown senders as requesters; reject: refuse their mail with 550 (env TIERDESK_SMTP_UNKNOWN_SENDERS)")
	fl.IntVar(&f.ticketsPerHour, "smtp-tickets-per-hour", 20,
		"new tickets one sender may open by mail per hour (per instance); 0: no limit (env TIERDESK_SMTP_TICKETS_PER_HOUR)")
	c.PreRunE = chainPreRun(c.PreRunE, func(cmd *cobra.Command, _ []string) error {
		for _, e := range []struct{ flag, env string }{
			{"smtp-max-bytes", "TIERDESK_SMTP_MAX_BYTES"}, {"smtp-tickets-per-hour", "TIERDESK_SMTP_TICKETS_PER_HOUR"},
		} {
			if v := os.Getenv(e.env); v != "" && !cmd.Flags().Changed(e.flag) {
				if _, err := strconv.ParseInt(v, 10, 64); err != nil {
					return usagef("%s=%q is not a number", e.env, v)
				}
				if err := cmd.Flags().Set(e.flag, v); err != nil {
					return usagef("%s=%q: %v", e.env, v, err)
				}
			}
		}
		if f.unknownSenders != "accept" && f.unknownSenders != "reject" {
			return usagef("--smtp-unknown-senders is accept or reject, not %q", f.unknownSenders)
		}
		if f.maxBytes <= 0 || f.ticketsPerHour < 0 {
			return usagef("--smtp-max-bytes must be positive and --smtp-tickets-per-hour not negative")
		}
		return nil
	})
}

// apply sets the desk rules the mail flags decide.
func (f *mailFlags) apply(cfg *desk.Config) { cfg.MailRejectUnknown = f.unknownSenders == "reject" }

// listen starts the SMTP listener, or returns nil when it is off.
func (f *mailFlags) listen(d *desk.Desk, log *slog.Logger) (*mailin.Server, error) {
	if f.addr == "" {
		return nil, nil
	}
	srv, err := mailin.Listen(mailin.Config{Addr: f.addr, Domain: f.domain, MaxBytes: f.maxBytes,
		MaxTicketsPerHour: f.ticketsPerHour, Logger: log.With("component", "smtp")}, d)
	if err != nil {
		return nil, err
	}
	srv.Start()
	log.Info("smtp listening", "listen", srv.Addr().String())
	return srv, nil
}
