package desk

import (
	"context"
	"time"
)

// BackupHealth is the state of the scheduled backups this instance makes
// (serve --backup-every): what administrators see, and what metrics
// export (BackupStatus).
type BackupHealth struct {
	Every       time.Duration `json:"every"`
	Keep        int           `json:"keep"`
	Dir         string        `json:"dir"`
	NextAt      time.Time     `json:"next_at"`
	LastAttempt time.Time     `json:"last_attempt"`
	LastSuccess time.Time     `json:"last_success"` // written and verified
	LastFile    string        `json:"last_file,omitempty"`
	LastBytes   int64         `json:"last_bytes"`
	LastRows    int64         `json:"last_rows"`
	LastTook    time.Duration `json:"last_took"`
	LastFailure time.Time     `json:"last_failure"`
	LastError   string        `json:"last_error,omitempty"`
	Failures    int           `json:"failures"`  // attempts failed in a row
	Succeeded   int64         `json:"succeeded"` // since the instance started
	Failed      int64         `json:"failed"`    // since the instance started
}

// Failing reports whether the latest attempt failed.
func (h BackupHealth) Failing() bool { return h.Failures > 0 }

// WatchBackups tells the desk where to read the state of this instance's
// scheduled backups (nil: it makes none).
func (s *Desk) WatchBackups(fn func() BackupHealth) {
	if fn == nil {
		s.backups.Store(nil)
		return
	}
	s.backups.Store(&fn)
}

// BackupStatus returns the state of the scheduled backups, and false when
// this instance makes none. It names no person or ticket: metrics exporters
// call it without an actor.
func (s *Desk) BackupStatus() (BackupHealth, bool) {
	fn := s.backups.Load()
	if fn == nil {
		return BackupHealth{}, false
	}
	return (*fn)(), true
}

// Backups returns the state of the scheduled backups, for administrators
// only (it names the backup directory).
func (s *Desk) Backups(ctx context.Context) (BackupHealth, bool, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return BackupHealth{}, false, err
	}
	h, ok := s.BackupStatus()
	return h, ok, nil
}
