package backup_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/tierdesk/tierdesk/internal/backup"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestBackup_PostgresArchive backs up a PostgreSQL desk (rows archive),
// restores it into PostgreSQL and SQLite, and compares both with the desk.
func TestBackup_PostgresArchive(t *testing.T) {
	ctx := context.Background()
	first := backup.ParseEndpoint(showcaseDir(t))
	pg := backup.ParseEndpoint(testdb.PostgresSchema(t))
	if _, err := copyDesk(t, first, pg, backup.Options{}); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(t.TempDir(), "pg.tdbk")
	m, err := backup.Backup(ctx, pg, archive, "test")
	if err != nil {
		t.Fatal(err)
	}
	if m.Digests["attachments"].Rows == 0 || m.Digests["tickets"].Rows == 0 {
		t.Fatalf("archive without tickets or attachments: %+v", m.Digests)
	}
	if _, err := backup.VerifyArchive(ctx, archive); err != nil {
		t.Fatalf("verify: %v", err)
	}
	for _, dst := range []backup.Endpoint{
		backup.ParseEndpoint(filepath.Join(t.TempDir(), "sqlite")),
		backup.ParseEndpoint(testdb.PostgresSchema(t)),
	} {
		if _, err := backup.Restore(ctx, archive, dst, backup.Options{}); err != nil {
			t.Fatalf("restore into %s: %v", dst, err)
		}
		src, err := backup.OpenSource(ctx, first)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := backup.Verify(ctx, src, dst); err != nil {
			t.Errorf("%s restored from PostgreSQL's archive differs from the desk: %v", dst, err)
		}
		src.Close()
		if _, err := backup.Restore(ctx, archive, dst, backup.Options{}); !errors.Is(err, backup.ErrNotEmpty) {
			t.Errorf("second restore into %s: %v, want refused as not empty", dst, err)
		}
	}
}

// TestBackup_SQLiteArchiveIntoPostgres restores a SQLite archive into
// PostgreSQL: the move to PostgreSQL from a backup.
func TestBackup_SQLiteArchiveIntoPostgres(t *testing.T) {
	ctx := context.Background()
	first := backup.ParseEndpoint(showcaseDir(t))
	archive := filepath.Join(t.TempDir(), "sqlite.tdbk")
	if _, err := backup.Backup(ctx, first, archive, "test"); err != nil {
		t.Fatal(err)
	}
	pg := backup.ParseEndpoint(testdb.PostgresSchema(t))
	if _, err := backup.Restore(ctx, archive, pg, backup.Options{}); err != nil {
		t.Fatal(err)
	}
	checkUsable(t, pg)
}
