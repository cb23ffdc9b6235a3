package backup_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/backup"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestRestore_VerifiesAuditChain restores the showcase desk and finds its
// audit chain verified with the tables; an archive of a desk whose chain
// was changed by hand restores rows that all match, and is refused naming
// the entry.
func TestRestore_VerifiesAuditChain(t *testing.T) {
	ctx := context.Background()
	dir := showcaseDir(t)
	archive := filepath.Join(t.TempDir(), "good.tdbk")
	if _, err := backup.Backup(ctx, backup.ParseEndpoint(dir), archive, "test"); err != nil {
		t.Fatal(err)
	}
	r, err := backup.Restore(ctx, archive, backup.ParseEndpoint(testdb.PostgresSchema(t)), backup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Audit == nil || !r.Audit.OK() || r.Audit.Entries < 50 {
		t.Fatalf("restored audit chain: %+v", r.Audit)
	}

	db, err := sql.Open("sqlite", filepath.Join(dir, backup.DBFile)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE audit_log SET detail = '{"role":"admin"}' WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	tampered := filepath.Join(t.TempDir(), "tampered.tdbk")
	if _, err := backup.Backup(ctx, backup.ParseEndpoint(dir), tampered, "test"); err != nil {
		t.Fatal(err)
	}
	r, err = backup.Restore(ctx, tampered, backup.ParseEndpoint(filepath.Join(t.TempDir(), "restored")), backup.Options{})
	if err == nil || !strings.Contains(err.Error(), "audit entry 3") {
		t.Fatalf("restore of a tampered chain: %v", err)
	}
	if r == nil || r.Audit == nil || r.Audit.OK() {
		t.Fatalf("report of the tampered chain: %+v", r)
	}
}
