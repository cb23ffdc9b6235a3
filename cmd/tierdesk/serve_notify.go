package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/notify"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// notifyFlags configure outbound notification delivery (the SMTP relay).
type notifyFlags struct {
	relay        string
	user         string
	passwordFile string
	tls          string
	from         string
	domain       string
	poll         time.Duration
	language     string
	timeZone     string
	// installation is the installation's language (--language), which
	// --mail-language defaults to when not given.
	installation *string
}

func (f *notifyFlags) register(c *cobra.Command) {
	fl := c.Flags()
	fl.StringVar(&f.relay, "smtp-relay", os.Getenv("TIERDESK_SMTP_RELAY"),
		"host:port of the SMTP relay notifications are sent through; off when empty, and then the outbox stays queued (env TIERDESK_SMTP_RELAY)")
	fl.StringVar(&f.user, "smtp-relay-user", os.Getenv("TIERDESK_SMTP_RELAY_USER"),
		"user to AUTH as at the relay; no AUTH when empty. The password comes from TIERDESK_SMTP_RELAY_PASSWORD or --smtp-relay-password-file (env TIERDESK_SMTP_RELAY_USER)")
	fl.StringVar(&f.passwordFile, "smtp-relay-password-file", os.Getenv("TIERDESK_SMTP_RELAY_PASSWORD_FILE"),
		"file holding the relay password (env TIERDESK_SMTP_RELAY_PASSWORD_FILE)")
	fl.StringVar(&f.tls, "smtp-relay-tls", envOr("TIERDESK_SMTP_RELAY_TLS", string(notify.TLSOpportunistic)),
		"STARTTLS to the relay: opportunistic, required or none (env TIERDESK_SMTP_RELAY_TLS)")
	fl.StringVar(&f.from, "mail-from", os.Getenv("TIERDESK_MAIL_FROM"),
		"sender address of notifications; default tierdesk@<mail domain> (env TIERDESK_MAIL_FROM)")
	fl.StringVar(&f.domain, "mail-domain", os.Getenv("TIERDESK_MAIL_DOMAIN"),
		"domain of the Message-IDs of notifications; default the --mail-from domain, else --smtp-domain (env TIERDESK_MAIL_DOMAIN)")
	durationFlag(c, &f.poll, "smtp-relay-poll", "TIERDESK_SMTP_RELAY_POLL", notify.DefaultPollInterval,
		"how often the outbox is checked for mail to send")
	fl.StringVar(&f.language, "mail-language", os.Getenv("TIERDESK_MAIL_LANGUAGE"),
		"language of notifications for users who chose none: en or ru; default the installation's --language (env TIERDESK_MAIL_LANGUAGE)")
	fl.StringVar(&f.timeZone, "mail-time-zone", envOr("TIERDESK_MAIL_TIME_ZONE", "UTC"),
		"IANA time zone notifications show times in for users who chose none (env TIERDESK_MAIL_TIME_ZONE)")
	c.PreRunE = chainPreRun(c.PreRunE, func(*cobra.Command, []string) error {
		if f.language == "" && f.installation != nil {
			f.language = *f.installation
		}
		if f.language == "" {
			f.language = notify.DefaultLanguage
		}
		if !slices.Contains(desk.Languages, f.language) {
			return usagef("--mail-language %q: one of %s", f.language, strings.Join(desk.Languages, ", "))
		}
		if _, err := time.LoadLocation(f.timeZone); err != nil || f.timeZone == "" || strings.EqualFold(f.timeZone, "local") {
			return usagef("--mail-time-zone %q is not an IANA time zone such as Europe/Moscow", f.timeZone)
		}
		if _, err := notify.ParseTLSMode(f.tls); err != nil {
			return usagef("--smtp-relay-tls: %v", err)
		}
		if f.relay != "" {
			if _, _, err := net.SplitHostPort(f.relay); err != nil {
				return usagef("--smtp-relay %q is not host:port", f.relay)
			}
		}
		return nil
	})
}

// apply sets the desk's notification defaults (shown in preferences).
func (f *notifyFlags) apply(cfg *desk.Config) { cfg.Language, cfg.TimeZone = f.language, f.timeZone }

// password reads the relay password from the file or the environment.
func (f *notifyFlags) password() (string, error) {
	if f.passwordFile == "" {
		return os.Getenv("TIERDESK_SMTP_RELAY_PASSWORD"), nil
	}
	b, err := os.ReadFile(f.passwordFile)
	if err != nil {
		return "", fmt.Errorf("smtp relay password: %w", err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// worker returns the delivery worker, or nil when no relay is configured.
// publicURL is where people reach the desk: every notification links its
// ticket there (/tickets/NUMBER shows requesters the portal page and staff
// the agent page).
func (f *notifyFlags) worker(db *sqlstore.Store, outbox desk.OutboxStore, greetDomain, publicURL string, log *slog.Logger, onRejected func(context.Context, string)) (*notify.Worker, error) {
	if f.relay == "" {
		return nil, nil
	}
	pw, err := f.password()
	if err != nil {
		return nil, err
	}
	mode, _ := notify.ParseTLSMode(f.tls)
	domain := f.domain
	if domain == "" {
		if i := strings.LastIndex(f.from, "@"); i >= 0 {
			domain = f.from[i+1:]
		} else {
			domain = greetDomain
		}
	}
	loc, err := time.LoadLocation(f.timeZone)
	if err != nil {
		return nil, err
	}
	t := &notify.SMTP{Relay: f.relay, User: f.user, Password: pw, TLS: mode}
	log.Info("notifications via smtp relay", "relay", f.relay, "tls", mode, "auth", f.user != "")
	return notify.New(outbox, db, t, desk.SystemClock{}, notify.Config{From: f.from, Domain: domain, PollInterval: f.poll,
		Language: f.language, Location: loc, BaseURL: publicURL, OnRejected: onRejected},
		log.With("component", "notify")), nil
}
