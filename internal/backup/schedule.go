package backup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Schedule is serve's scheduled backups: every Every, an archive of the
// desk into Dir, verified as a restore would check it, keeping the newest
// Keep verified archives.
type Schedule struct {
	Desk     Endpoint
	Every    time.Duration
	Keep     int
	Dir      string
	Tierdesk string // version recorded in the manifests
	Log      *slog.Logger

	mu     sync.Mutex
	health desk.BackupHealth
	stop   context.CancelFunc
	done   chan struct{}
}

// archivePrefix and archiveSuffix name scheduled archives, which sort by
// time; a failed verification renames its archive with failedSuffix.
const (
	archivePrefix = "tierdesk-"
	archiveSuffix = ".tdbk"
	failedSuffix  = ".failed"
)

// Start checks the directory and runs the schedule until Stop.
func (s *Schedule) Start(ctx context.Context) error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("backup directory: %w", err)
	}
	ctx, s.stop = context.WithCancel(ctx)
	s.done = make(chan struct{})
	s.health = desk.BackupHealth{Every: s.Every, Keep: s.Keep, Dir: s.Dir, NextAt: time.Now().Add(s.Every)}
	go s.loop(ctx)
	return nil
}

// Stop stops the schedule, waiting for a backup in progress to end (it is
// cancelled).
func (s *Schedule) Stop() {
	if s.stop != nil {
		s.stop()
		<-s.done
	}
}

// Health is the schedule's state (the hook for the admin page and metrics).
func (s *Schedule) Health() desk.BackupHealth {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.health
}

func (s *Schedule) loop(ctx context.Context) {
	defer close(s.done)
	t := time.NewTicker(s.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.RunOnce(ctx)
		}
	}
}

// RunOnce makes, verifies and prunes one scheduled backup now.
func (s *Schedule) RunOnce(ctx context.Context) {
	start := time.Now()
	s.mu.Lock()
	s.health.LastAttempt, s.health.NextAt = start, start.Add(s.Every)
	s.mu.Unlock()
	name := filepath.Join(s.Dir, archivePrefix+start.UTC().Format("20060102T150405.000Z")+archiveSuffix)
	m, size, err := s.make(ctx, name)
	s.mu.Lock()
	defer s.mu.Unlock()
	h := &s.health
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, context.Canceled) {
			return // shutting down: not a failure
		}
		h.LastFailure, h.LastError = time.Now(), err.Error()
		h.Failures++
		h.Failed++
		s.Log.Error("scheduled backup failed", "file", name, "err", err)
		return
	}
	h.LastSuccess, h.LastFile, h.LastBytes, h.LastRows, h.LastTook = time.Now(), name, size, m.Rows(), time.Since(start)
	h.Failures, h.LastError = 0, ""
	h.Succeeded++
	s.Log.Info("scheduled backup written and verified", "file", name, "bytes", size, "rows", m.Rows(), "took", h.LastTook.Round(time.Millisecond))
	if err := s.prune(); err != nil {
		h.LastFailure, h.LastError = time.Now(), "retention: "+err.Error()
		h.Failures++
		s.Log.Error("pruning old backups failed", "dir", s.Dir, "err", err)
	}
}

// make writes one archive and verifies it; an archive that fails its
// verification is renamed so that retention never counts it.
func (s *Schedule) make(ctx context.Context, name string) (*Manifest, int64, error) {
	if _, err := Backup(ctx, s.Desk, name, s.Tierdesk); err != nil {
		return nil, 0, err
	}
	m, err := VerifyArchive(ctx, name)
	if err != nil {
		os.Rename(name, name+failedSuffix)
		return nil, 0, fmt.Errorf("verify %s: %w", name, err)
	}
	st, err := os.Stat(name)
	if err != nil {
		return nil, 0, err
	}
	return m, st.Size(), nil
}

// prune removes the oldest scheduled archives beyond Keep.
func (s *Schedule) prune() error {
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, archivePrefix) && strings.HasSuffix(n, archiveSuffix) && e.Type().IsRegular() {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var errs []error
	for len(names) > s.Keep {
		errs = append(errs, os.Remove(filepath.Join(s.Dir, names[0])))
		names = names[1:]
	}
	return errors.Join(errs...)
}
