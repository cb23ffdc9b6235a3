package main

import (
	"log/slog"
	"os"
	"strconv"
	"strings"

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
	attachmentMax  int64
	loopAddresses  []string
	imap           imapFlags
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
		"new tickets one sender may open by mail (SMTP or IMAP) per hour, counted in the database for all instances; over it SMTP answers 450 and IMAP leaves the message for later; 0: no limit (env TIERDESK_SMTP_TICKETS_PER_HOUR)")
	fl.Int64Var(&f.attachmentMax, "attachment-max-bytes", desk.DefaultAttachmentMaxBytes,
		"largest file stored per attachment, uploaded or mailed; larger uploads get 413, larger mailed files are listed but not stored (env TIERDESK_ATTACHMENT_MAX_BYTES)")
	fl.StringSliceVar(&f.loopAddresses, "mail-loop-addresses", splitList(os.Getenv("TIERDESK_MAIL_LOOP_ADDRESSES")),
		"more of our own addresses or @domains whose mail never opens tickets (the --mail-from address always counts) (env TIERDESK_MAIL_LOOP_ADDRESSES)")
	f.imap.register(c)
	c.PreRunE = chainPreRun(c.PreRunE, func(cmd *cobra.Command, _ []string) error {
		for _, e := range []struct{ flag, env string }{
			{"smtp-max-bytes", "TIERDESK_SMTP_MAX_BYTES"}, {"smtp-tickets-per-hour", "TIERDESK_SMTP_TICKETS_PER_HOUR"},
			{"attachment-max-bytes", "TIERDESK_ATTACHMENT_MAX_BYTES"},
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
		if f.maxBytes <= 0 || f.ticketsPerHour < 0 || f.attachmentMax <= 0 {
			return usagef("--smtp-max-bytes and --attachment-max-bytes must be positive and --smtp-tickets-per-hour not negative")
		}
		return nil
	})
}

// apply sets the desk rules the mail flags decide. from and idDomain are
// the notifications' sender and Message-ID domain (--mail-from,
// --mail-domain; empty: their defaults), which the loop guard recognises.
func (f *mailFlags) apply(cfg *desk.Config, from, idDomain string) {
	cfg.MailRejectUnknown = f.unknownSenders == "reject"
	cfg.MailTicketsPerHour = f.ticketsPerHour
	cfg.AttachmentMaxBytes = f.attachmentMax
	if from == "" {
		from = "tierdesk@" + f.domain
	}
	if idDomain == "" {
		idDomain = f.domain
		if i := strings.LastIndex(from, "@"); i >= 0 {
			idDomain = from[i+1:]
		}
	}
	cfg.MailLoopAddresses = append([]string{from}, f.loopAddresses...)
	cfg.MailIDDomain = idDomain
}

// listen starts the SMTP listener, or returns nil when it is off.
func (f *mailFlags) listen(recv mailin.Receiver, log *slog.Logger) (*mailin.Server, error) {
	if f.addr == "" {
		return nil, nil
	}
	srv, err := mailin.Listen(mailin.Config{Addr: f.addr, Domain: f.domain, MaxBytes: f.maxBytes,
		Logger: log.With("component", "smtp")}, recv)
	if err != nil {
		return nil, err
	}
	srv.Start()
	log.Info("smtp listening", "listen", srv.Addr().String())
	return srv, nil
}
