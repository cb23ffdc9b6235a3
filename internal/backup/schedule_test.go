package backup_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/backup"
)

// TestSchedule_KeepsVerifiedArchivesAndReportsFailures runs scheduled
// backups by hand: retention keeps the newest, each kept archive restores,
// and a failure shows in the health the admin page and metrics read, until
// a later backup succeeds.
func TestSchedule_KeepsVerifiedArchivesAndReportsFailures(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "backups")
	s := &backup.Schedule{Desk: backup.ParseEndpoint(showcaseDir(t)), Every: time.Hour, Keep: 2, Dir: dir,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	for range 3 {
		s.RunOnce(ctx)
		time.Sleep(2 * time.Millisecond) // archives are named by the millisecond
	}
	h := s.Health()
	if h.Succeeded != 3 || h.Failures != 0 || h.LastRows == 0 {
		t.Fatalf("after three backups: %+v", h)
	}
	kept, _ := filepath.Glob(filepath.Join(dir, "tierdesk-*.tdbk"))
	if len(kept) != 2 || kept[1] != h.LastFile {
		t.Fatalf("kept %v, want the two newest ending with %s", kept, h.LastFile)
	}
	if _, err := backup.Restore(ctx, kept[0], backup.ParseEndpoint(t.TempDir()), backup.Options{}); err != nil {
		t.Fatalf("restore a kept archive: %v", err)
	}

	os.RemoveAll(dir)
	os.WriteFile(dir, []byte("not a directory"), 0o600)
	s.RunOnce(ctx)
	h = s.Health()
	if h.Failures != 1 || h.Failed != 1 || h.LastError == "" || h.LastFailure.IsZero() || !h.Failing() {
		t.Fatalf("a failed backup does not show: %+v", h)
	}
	t.Logf("failure shown: %s", h.LastError)
	os.Remove(dir)
	os.Mkdir(dir, 0o700)
	s.RunOnce(ctx)
	if h = s.Health(); h.Failures != 0 || h.Succeeded != 4 || !strings.HasPrefix(h.LastFile, dir) {
		t.Fatalf("a backup after the failure: %+v", h)
	}
}
