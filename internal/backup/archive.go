package backup

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"time"
)

// An archive is a gzip-compressed tar file: manifest.json first, then the
// files it lists with their sizes and SHA-256. A SQLite desk is archived as
// its database file (kind "sqlite"), made by VACUUM INTO; a PostgreSQL desk
// as one JSON-lines file of rows per table (kind "rows"). Either restores
// into either database.
const (
	manifestName = "manifest.json"
	formatName   = "tierdesk-backup/1"
	kindSQLite   = "sqlite"
	kindRows     = "rows"
)

// Manifest describes an archive.
type Manifest struct {
	Format   string                 `json:"format"`
	Kind     string                 `json:"kind"`
	Dialect  string                 `json:"dialect"`
	Created  time.Time              `json:"created"`
	Tierdesk string                 `json:"tierdesk_version,omitempty"`
	Versions []int64                `json:"migrations"`
	Tables   []Table                `json:"tables"`
	Digests  map[string]TableDigest `json:"digests"`
	Files    map[string]FileSum     `json:"files"`
}

// FileSum is one archived file's size and SHA-256.
type FileSum struct {
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Rows is the number of rows in the archived tables.
func (m *Manifest) Rows() int64 {
	var n int64
	for _, d := range m.Digests {
		n += d.Rows
	}
	return n
}

// ErrDamaged is returned for an archive that is not what its manifest says.
var ErrDamaged = errors.New("the archive is damaged")

func damaged(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrDamaged, fmt.Sprintf(format, args...))
}

// sumFile returns a file's size and SHA-256.
func sumFile(name string) (FileSum, error) {
	f, err := os.Open(name)
	if err != nil {
		return FileSum{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return FileSum{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, err
}

// writeArchive writes the manifest and the files (archive name → path on
// disk) to out, through a temporary file renamed into place once complete
// and on disk.
func writeArchive(out string, m *Manifest, files map[string]string) error {
	tmp := out + ".partial"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write the archive: %w", err)
	}
	err = writeTar(f, m, files)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, out)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write the archive: %w", err)
	}
	return nil
}

func writeTar(w io.Writer, m *Manifest, files map[string]string) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(zw)
	man, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	hdr := &tar.Header{Name: manifestName, Mode: 0o600, Size: int64(len(man)), ModTime: m.Created}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if _, err := tw.Write(man); err != nil {
		return err
	}
	for _, name := range sortedKeys(m.Files) {
		if err := addFile(tw, name, files[name], m.Files[name].Size, m.Created); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

func addFile(tw *tar.Writer, name, src string, size int64, at time.Time) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: at}); err != nil {
		return err
	}
	_, err = io.CopyN(tw, f, size)
	return err
}

// ReadManifest reads an archive's manifest only.
func ReadManifest(archive string) (*Manifest, error) {
	f, err := os.Open(archive)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	_, m, err := openTar(f)
	return m, err
}

func openTar(r io.Reader) (*tar.Reader, *Manifest, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, nil, damaged("not a Tierdesk backup (%v)", err)
	}
	tr := tar.NewReader(zr)
	hdr, err := tr.Next()
	if err != nil || hdr.Name != manifestName {
		return nil, nil, damaged("no manifest at its start")
	}
	var m Manifest
	if err := json.NewDecoder(io.LimitReader(tr, 64<<20)).Decode(&m); err != nil {
		return nil, nil, damaged("unreadable manifest: %v", err)
	}
	if m.Format != formatName {
		return nil, nil, damaged("format %q, not %q", m.Format, formatName)
	}
	for i := range m.Tables {
		for j := range m.Tables[i].Columns {
			m.Tables[i].Columns[j].kind = kindOf(m.Tables[i].Columns[j].Type)
		}
	}
	return tr, &m, nil
}

// extract unpacks the archive's files into dir, checking each against the
// manifest (size, SHA-256) and that none is missing or extra.
func extract(archive, dir string) (*Manifest, error) {
	f, err := os.Open(archive)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tr, m, err := openTar(f)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, damaged("%v", err)
		}
		want, ok := m.Files[hdr.Name]
		if !ok || seen[hdr.Name] || hdr.Name != path.Clean(hdr.Name) || path.IsAbs(hdr.Name) || hdr.Name[0] == '.' {
			return nil, damaged("unexpected file %q", hdr.Name)
		}
		seen[hdr.Name] = true
		if err := extractFile(tr, filepath.Join(dir, filepath.FromSlash(hdr.Name)), want); err != nil {
			return nil, fmt.Errorf("%s: %w", hdr.Name, err)
		}
	}
	for name := range m.Files {
		if !seen[name] {
			return nil, damaged("%s is missing", name)
		}
	}
	return m, nil
}

func extractFile(r io.Reader, dst string, want FileSum) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return damaged("%v", err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); n != want.Size || got != want.SHA256 {
		return damaged("its content is not what was archived (%d bytes, sha256 %s…; archived %d bytes, %s…)",
			n, got[:12], want.Size, want.SHA256[:min(12, len(want.SHA256))])
	}
	return nil
}
