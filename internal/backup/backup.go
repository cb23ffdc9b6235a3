package backup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Backup writes an archive of the desk at e to out (which must not exist)
// while the desk keeps serving: SQLite copies a consistent snapshot with
// VACUUM INTO, PostgreSQL reads every table in one repeatable-read
// transaction. tierdesk is the binary's version, recorded in the manifest.
func Backup(ctx context.Context, e Endpoint, out, tierdesk string) (*Manifest, error) {
	if _, err := os.Stat(out); err == nil {
		return nil, fmt.Errorf("%s already exists; a backup never overwrites one", out)
	}
	work, err := os.MkdirTemp(filepath.Dir(out), ".tierdesk-backup-*")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(work)
	m := &Manifest{Format: formatName, Dialect: e.Dialect, Created: time.Now().UTC().Truncate(time.Second), Tierdesk: tierdesk}
	var files map[string]string
	if e.Dialect == "sqlite" {
		files, err = snapshotSQLite(ctx, e, work, m)
	} else {
		files, err = dumpRows(ctx, e, work, m)
	}
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := writeArchive(out, m, files); err != nil {
		return nil, err
	}
	return m, nil
}

// snapshotSQLite copies the live database into work with VACUUM INTO (a
// read transaction: writers go on) and describes the copy.
func snapshotSQLite(ctx context.Context, e Endpoint, work string, m *Manifest) (map[string]string, error) {
	db, err := e.openRaw(ctx)
	if err != nil {
		return nil, err
	}
	snap := Endpoint{Dialect: "sqlite", Dir: work}
	_, err = db.ExecContext(ctx, "VACUUM INTO $1", snap.file())
	db.Close()
	if err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", e, err)
	}
	m.Kind = kindSQLite
	if err := describe(ctx, snap, m); err != nil {
		return nil, err
	}
	sum, err := sumFile(snap.file())
	if err != nil {
		return nil, err
	}
	m.Files = map[string]FileSum{DBFile: sum}
	return map[string]string{DBFile: snap.file()}, nil
}

// describe fills the manifest's migrations, tables and digests from the
// snapshot at snap.
func describe(ctx context.Context, snap Endpoint, m *Manifest) error {
	src, err := OpenSource(ctx, snap)
	if err != nil {
		return err
	}
	defer src.Close()
	m.Versions, m.Tables = src.Versions(), src.Tables()
	m.Digests, err = DigestSource(ctx, src)
	return err
}

// dumpRows writes every table of the desk at e, read in one snapshot, as
// JSON lines under work.
func dumpRows(ctx context.Context, e Endpoint, work string, m *Manifest) (map[string]string, error) {
	src, err := OpenSource(ctx, e)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	m.Kind, m.Versions, m.Tables = kindRows, src.Versions(), src.Tables()
	m.Digests, m.Files = map[string]TableDigest{}, map[string]FileSum{}
	files := map[string]string{}
	if err := os.Mkdir(filepath.Join(work, "tables"), 0o700); err != nil {
		return nil, err
	}
	for _, t := range src.Tables() {
		name := rowsFile(t.Name)
		path := filepath.Join(work, filepath.FromSlash(name))
		d, err := dumpTable(ctx, src, t, path)
		if err != nil {
			return nil, err
		}
		if m.Files[name], err = sumFile(path); err != nil {
			return nil, err
		}
		m.Digests[t.Name], files[name] = d.record(), path
	}
	return files, nil
}

// openArchive unpacks the archive into work and checks everything in it:
// each file's checksum, the SQLite database's integrity, every table's
// rows against the manifest. It returns the archived desk as a source.
func openArchive(ctx context.Context, archive, work string) (Source, *Manifest, error) {
	m, err := extract(archive, work)
	if err != nil {
		return nil, nil, err
	}
	var src Source = &archiveSource{dir: work, m: m}
	if m.Kind == kindSQLite {
		snap := Endpoint{Dialect: "sqlite", Dir: work}
		if err := integrityCheck(ctx, snap); err != nil {
			return nil, nil, err
		}
		if src, err = OpenSource(ctx, snap); err != nil {
			return nil, nil, err
		}
	}
	got, err := DigestSource(ctx, src)
	if err == nil {
		_, err = compareDigests(m.Digests, got)
	}
	if err != nil {
		src.Close()
		return nil, nil, damaged("its rows are not those it was made with: %v", err)
	}
	return src, m, nil
}

// integrityCheck runs SQLite's full integrity check.
func integrityCheck(ctx context.Context, e Endpoint) error {
	db, err := e.openRaw(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	msgs, err := queryStrings(ctx, db, "PRAGMA integrity_check")
	if err != nil {
		return damaged("integrity check: %v", err)
	}
	if len(msgs) != 1 || msgs[0] != "ok" {
		return damaged("integrity check: %v", msgs)
	}
	return nil
}

// VerifyArchive checks an archive completely, as a restore would, without
// restoring it.
func VerifyArchive(ctx context.Context, archive string) (*Manifest, error) {
	work, err := os.MkdirTemp(filepath.Dir(archive), ".tierdesk-verify-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	src, m, err := openArchive(ctx, archive, work)
	if err != nil {
		return nil, err
	}
	return m, src.Close()
}

// Restore restores the archive into dst, which must hold no desk, and
// verifies what it restored. An archive from a newer Tierdesk is refused
// before anything is written.
func Restore(ctx context.Context, archive string, dst Endpoint, opts Options) (*Report, error) {
	m, err := ReadManifest(archive)
	if err != nil {
		return nil, err
	}
	if err := checkNewer(ctx, m.Versions); err != nil {
		return nil, err
	}
	if empty, err := dst.isEmpty(ctx); err != nil || !empty {
		return nil, errors.Join(fmt.Errorf("%w: %s already holds a desk; restore needs an empty data directory or database", ErrNotEmpty, dst), err)
	}
	parent := os.TempDir()
	if dst.Dialect == "sqlite" {
		if err := os.MkdirAll(dst.Dir, 0o700); err != nil {
			return nil, err
		}
		parent = dst.Dir // the database file is moved, not copied, into place
	}
	work, err := os.MkdirTemp(parent, ".tierdesk-restore-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	src, m, err := openArchive(ctx, archive, work)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	if m.Kind == kindSQLite && dst.Dialect == "sqlite" {
		return placeSQLite(ctx, src, m, work, dst)
	}
	return Copy(ctx, src, dst, opts)
}

// placeSQLite moves the checked database file into the data directory and
// verifies it there.
func placeSQLite(ctx context.Context, src Source, m *Manifest, work string, dst Endpoint) (*Report, error) {
	src.Close()
	if err := os.Rename(filepath.Join(work, DBFile), dst.file()); err != nil {
		return nil, err
	}
	got, err := OpenSource(ctx, dst)
	if err != nil {
		return nil, err
	}
	defer got.Close()
	have, err := DigestSource(ctx, got)
	if err != nil {
		return nil, err
	}
	r, err := compareDigests(m.Digests, have)
	if err != nil {
		return r, err
	}
	got.Close()
	db, err := dst.openRaw(ctx)
	if err != nil {
		return r, err
	}
	defer db.Close()
	return r, verifyAudit(ctx, db, dst.Dialect, m.Versions, r)
}

// checkNewer refuses migrations this binary does not know.
func checkNewer(ctx context.Context, versions []int64) error {
	err := checkVersions(ctx, versions)
	if errors.Is(err, ErrNewerSchema) {
		return err
	}
	return nil
}
