package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/postgres"
	"github.com/tierdesk/tierdesk/internal/store/sqlite"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// dbFlags selects the database: the embedded SQLite file under --data, or
// PostgreSQL when --database is a postgres:// URL.
type dbFlags struct {
	data     string
	database string
	language string // the installation's: a new desk's built-in names
	// options are given to the store when it opens (serve's tracing).
	options []sqlstore.Option
}

func (f *dbFlags) register(c *cobra.Command) {
	c.Flags().StringVar(&f.data, "data", envOr("TIERDESK_DATA", "./tierdesk-data"),
		"directory of the embedded SQLite database (env TIERDESK_DATA)")
	c.Flags().StringVar(&f.database, "database", os.Getenv("TIERDESK_DATABASE"),
		"postgres:// URL to use PostgreSQL instead of SQLite (env TIERDESK_DATABASE)")
	c.Flags().StringVar(&f.language, "language", envOr("TIERDESK_LANGUAGE", "en"),
		"language of the installation: a new desk's built-in group and SLA policies are named in it, en or ru; an existing desk keeps its names (env TIERDESK_LANGUAGE)")
	c.PreRunE = chainPreRun(c.PreRunE, func(*cobra.Command, []string) error {
		if !slices.Contains(desk.Languages, f.language) {
			return usagef("--language %q: one of %s", f.language, strings.Join(desk.Languages, ", "))
		}
		return nil
	})
}

// open opens the selected database, applying migrations when migrate is set.
func (f *dbFlags) open(ctx context.Context, migrate bool) (*sqlstore.Store, error) {
	var (
		db  *sqlstore.Store
		err error
	)
	switch {
	case f.database == "":
		if err := os.MkdirAll(f.data, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		db, err = sqlite.Open(ctx, filepath.Join(f.data, "tierdesk.db"), append([]sqlstore.Option{sqlstore.WithLanguage(f.language)}, f.options...)...)
	case strings.HasPrefix(f.database, "postgres://"), strings.HasPrefix(f.database, "postgresql://"):
		db, err = postgres.Open(ctx, f.database, append([]sqlstore.Option{sqlstore.WithLanguage(f.language)}, f.options...)...)
	default:
		return nil, usagef("--database must be a postgres:// URL (leave it empty for the embedded SQLite)")
	}
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if migrate {
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("migrate database: %w", err)
		}
	}
	return db, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// durationFlag is a duration flag whose default may come from the
// environment; a malformed variable is a usage error, never silently ignored.
func durationFlag(c *cobra.Command, dst *time.Duration, name, env string, def time.Duration, usage string) {
	c.Flags().DurationVar(dst, name, def, usage+" (env "+env+")")
	c.PreRunE = chainPreRun(c.PreRunE, func(cmd *cobra.Command, _ []string) error {
		v := os.Getenv(env)
		if v == "" || cmd.Flags().Changed(name) {
			return nil
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return usagef("%s=%q is not a positive duration such as 168h", env, v)
		}
		*dst = d
		return nil
	})
}

func chainPreRun(a, b func(*cobra.Command, []string) error) func(*cobra.Command, []string) error {
	if a == nil {
		return b
	}
	return func(c *cobra.Command, args []string) error {
		if err := a(c, args); err != nil {
			return err
		}
		return b(c, args)
	}
}

// describe names the database without its credentials, for logs.
func (f *dbFlags) describe() string {
	if f.database == "" {
		return "sqlite:" + filepath.Join(f.data, "tierdesk.db")
	}
	u, err := url.Parse(f.database)
	if err != nil {
		return "postgres"
	}
	return "postgres://" + u.Host + u.Path
}

// deskFlags are the desk rules that the server and the local tools must
// agree on (the timers they compute depend on them).
type deskFlags struct {
	reopenWindow time.Duration
	warnAt       []int
}

func (f *deskFlags) register(c *cobra.Command) {
	durationFlag(c, &f.reopenWindow, "reopen-window", "TIERDESK_REOPEN_WINDOW", desk.DefaultConfig.ReopenWindow,
		"how long a resolved ticket may be reopened")
	c.Flags().IntSliceVar(&f.warnAt, "sla-warn-at", desk.DefaultConfig.WarnAt,
		"percentages of an SLA target at which to warn, e.g. 75,90 (env TIERDESK_SLA_WARN_AT)")
	c.PreRunE = chainPreRun(c.PreRunE, func(cmd *cobra.Command, _ []string) error {
		if v := os.Getenv("TIERDESK_SLA_WARN_AT"); v != "" && !cmd.Flags().Changed("sla-warn-at") {
			if err := cmd.Flags().Set("sla-warn-at", v); err != nil {
				return usagef("TIERDESK_SLA_WARN_AT=%q is not a list of percentages such as 75,90", v)
			}
		}
		for _, p := range f.warnAt {
			if p <= 0 || p >= 100 {
				return usagef("--sla-warn-at takes percentages between 1 and 99, not %d", p)
			}
		}
		return nil
	})
}

// config is the desk configuration the flags describe.
func (f *deskFlags) config() desk.Config {
	cfg := desk.DefaultConfig
	cfg.ReopenWindow = f.reopenWindow
	cfg.WarnAt = f.warnAt
	return cfg
}
