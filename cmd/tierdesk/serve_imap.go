package main

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/mailin"
)

// imapFlags configure the polled IMAP mailboxes of serve: one URL each,
//
//	imaps://USER@HOST[:993]/FOLDER?password-file=PATH      implicit TLS
//	imap://USER@HOST[:143]/FOLDER?password-env=VARIABLE    STARTTLS (required)
//	imap+plain://USER@127.0.0.1:1143/INBOX?password-env=V  no TLS: localhost only
//
// with optional poll=DURATION (default 1m) and after=seen (default),
// after=move:FOLDER or after=delete. The password never appears in the URL
// (refused there), in flags or in logs.
type imapFlags struct {
	mailboxes []string
	configs   []mailin.MailboxConfig
}

func (f *imapFlags) register(c *cobra.Command) {
	c.Flags().StringArrayVar(&f.mailboxes, "imap-mailbox", strings.Fields(os.Getenv("TIERDESK_IMAP_MAILBOXES")),
		"poll an IMAP mailbox, given as imaps://USER@HOST/FOLDER?password-file=PATH (or imap:// for STARTTLS, password-env=VAR, poll=1m, after=seen|move:FOLDER|delete); repeat for several (env TIERDESK_IMAP_MAILBOXES, space-separated)")
	c.PreRunE = chainPreRun(c.PreRunE, func(*cobra.Command, []string) error {
		f.configs = nil
		for _, raw := range f.mailboxes {
			cfg, err := parseMailboxURL(raw)
			if err != nil {
				return err
			}
			f.configs = append(f.configs, cfg)
		}
		return nil
	})
}

// parseMailboxURL turns one --imap-mailbox value into a configuration,
// reading the password from its file or variable.
func parseMailboxURL(raw string) (mailin.MailboxConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return mailin.MailboxConfig{}, usagef("--imap-mailbox: not a URL (imaps://USER@HOST/FOLDER?password-file=PATH)")
	}
	cfg := mailin.MailboxConfig{After: mailin.AfterSeen, Interval: mailin.DefaultPollInterval}
	port := ""
	switch u.Scheme {
	case "imaps":
		cfg.TLS, port = mailin.TLSImplicit, "993"
	case "imap":
		cfg.TLS, port = mailin.TLSStartTLS, "143"
	case "imap+plain":
		cfg.TLS, port = mailin.TLSNone, "143"
	default:
		return cfg, usagef("--imap-mailbox: scheme %q is not imaps, imap or imap+plain", u.Scheme)
	}
	if u.User == nil || u.User.Username() == "" {
		return cfg, usagef("--imap-mailbox %s: no user (imaps://USER@HOST/…)", u.Redacted())
	}
	if _, set := u.User.Password(); set {
		return cfg, usagef("--imap-mailbox: put the password in a file (password-file=) or a variable (password-env=), not in the URL")
	}
	cfg.User = u.User.Username()
	cfg.Addr = u.Host
	if u.Port() == "" {
		cfg.Addr = net.JoinHostPort(u.Hostname(), port)
	}
	cfg.Folder = strings.TrimPrefix(u.Path, "/")
	name := cfg.Name()
	q := u.Query()
	for k := range q {
		switch k {
		case "password-file", "password-env", "poll", "after":
		default:
			return cfg, usagef("--imap-mailbox %s: unknown parameter %q", name, k)
		}
	}
	if cfg.Password, err = mailboxPassword(name, q.Get("password-file"), q.Get("password-env")); err != nil {
		return cfg, err
	}
	if v := q.Get("poll"); v != "" {
		if cfg.Interval, err = time.ParseDuration(v); err != nil || cfg.Interval < time.Second {
			return cfg, usagef("--imap-mailbox %s: poll=%q is not a duration of at least 1s", name, v)
		}
	}
	switch after := q.Get("after"); {
	case after == "" || after == mailin.AfterSeen || after == mailin.AfterDelete:
		cfg.After = cmp.Or(after, mailin.AfterSeen)
	case strings.HasPrefix(after, "move:"):
		cfg.After, cfg.MoveTo = mailin.AfterMove, strings.TrimPrefix(after, "move:")
	default:
		return cfg, usagef("--imap-mailbox %s: after=%q is not seen, move:FOLDER or delete", name, after)
	}
	if err := cfg.Check(); err != nil {
		return cfg, usagef("--imap-mailbox: %v", err)
	}
	return cfg, nil
}

func mailboxPassword(name, file, env string) (string, error) {
	switch {
	case file != "" && env != "":
		return "", usagef("--imap-mailbox %s: give password-file or password-env, not both", name)
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("imap %s: password file: %w", name, err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	case env != "":
		pw, ok := os.LookupEnv(env)
		if !ok {
			return "", fmt.Errorf("imap %s: the password variable %s is not set", name, env)
		}
		return pw, nil
	}
	return "", usagef("--imap-mailbox %s: needs password-file=PATH or password-env=VARIABLE", name)
}

// start starts a poller per mailbox; the returned function stops them all
// and waits (call it before the database closes).
func (f *imapFlags) start(ctx context.Context, d *desk.Desk, recv mailin.Receiver, maxBytes int64, log *slog.Logger) (stop func(), err error) {
	var pollers []*mailin.Poller
	stop = func() {
		for _, p := range pollers {
			p.Stop()
		}
	}
	for _, cfg := range f.configs {
		cfg.MaxBytes, cfg.Logger = maxBytes, log.With("component", "imap")
		p, err := mailin.NewPoller(cfg, recv)
		if err != nil {
			stop()
			return nil, err
		}
		p.Start(ctx)
		pollers = append(pollers, p)
		log.Info("imap polling", "mailbox", cfg.Name(), "tls", cfg.TLS, "every", cfg.Interval.String(), "after", cfg.After)
	}
	d.WatchMailboxes(func() []desk.MailboxHealth {
		out := make([]desk.MailboxHealth, len(pollers))
		for i, p := range pollers {
			out[i] = p.Health()
		}
		return out
	})
	return stop, nil
}
