package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/backup"
	"github.com/tierdesk/tierdesk/internal/desk"
)

// backupFlags configure serve's scheduled backups (off unless --backup-every).
type backupFlags struct {
	every time.Duration
	keep  int
	dir   string
}

func (f *backupFlags) register(c *cobra.Command) {
	c.Flags().DurationVar(&f.every, "backup-every", 0,
		"make a verified backup this often, e.g. 24h; 0 makes none (env TIERDESK_BACKUP_EVERY). On PostgreSQL, let one instance do it")
	c.Flags().IntVar(&f.keep, "backup-keep", 7, "how many scheduled backups to keep (env TIERDESK_BACKUP_KEEP)")
	c.Flags().StringVar(&f.dir, "backup-dir", os.Getenv("TIERDESK_BACKUP_DIR"),
		"directory of the scheduled backups (env TIERDESK_BACKUP_DIR; default: backups in the data directory, required on PostgreSQL)")
	c.PreRunE = chainPreRun(c.PreRunE, func(cmd *cobra.Command, _ []string) error {
		if v := os.Getenv("TIERDESK_BACKUP_EVERY"); v != "" && !cmd.Flags().Changed("backup-every") {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return usagef("TIERDESK_BACKUP_EVERY=%q is not a duration such as 24h", v)
			}
			f.every = d
		}
		if v := os.Getenv("TIERDESK_BACKUP_KEEP"); v != "" && !cmd.Flags().Changed("backup-keep") {
			n, err := strconv.Atoi(v)
			if err != nil {
				return usagef("TIERDESK_BACKUP_KEEP=%q is not a number", v)
			}
			f.keep = n
		}
		switch {
		case f.every < 0:
			return usagef("--backup-every must not be negative")
		case f.every > 0 && f.every < time.Second:
			return usagef("--backup-every %s is too short", f.every)
		case f.keep < 1:
			return usagef("--backup-keep must be at least 1, not %d", f.keep)
		}
		return nil
	})
}

// start starts the scheduled backups of the desk at db, if any, and tells d
// where to read their state; the returned function stops them.
func (f *backupFlags) start(ctx context.Context, db dbFlags, d *desk.Desk, log *slog.Logger) (func(), error) {
	if f.every == 0 {
		return func() {}, nil
	}
	e, err := db.endpoint()
	if err != nil {
		return nil, err
	}
	dir := f.dir
	if dir == "" {
		if e.Dialect != "sqlite" {
			return nil, usagef("--backup-every on PostgreSQL needs --backup-dir")
		}
		dir = filepath.Join(db.data, "backups")
	}
	s := &backup.Schedule{Desk: e, Every: f.every, Keep: f.keep, Dir: dir, Tierdesk: versionString(), Log: log}
	if err := s.Start(ctx); err != nil {
		return nil, err
	}
	d.WatchBackups(s.Health)
	log.Info("scheduled backups", "every", f.every, "keep", f.keep, "dir", dir)
	return s.Stop, nil
}
