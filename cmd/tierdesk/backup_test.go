package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBackup_WhileClientsWrite backs up a served SQLite desk while 8
// clients create tickets with attachments through the API, restores the
// archive into an empty data directory and compares: restore verifies every
// table against the snapshot's digests, every ticket acknowledged before the
// backup started is there, and every restored ticket and file is the one
// the live desk holds.
func TestBackup_WhileClientsWrite(t *testing.T) {
	data := t.TempDir()
	e := startServer(t, []string{"--data", data})
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	var acked atomic.Int64 // tickets the API confirmed
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if err := createWithFile(e, admin, c, i); err != nil {
					t.Error(err)
					return
				}
				acked.Add(1)
			}
		}()
	}
	time.Sleep(2 * time.Second)
	before := acked.Load()
	archive := filepath.Join(t.TempDir(), "desk.tdbk")
	out := e.ok("", "backup", "--data", data, "--to", archive)
	after := acked.Load()
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()
	t.Logf("%s(%d tickets acknowledged before the backup, %d when it ended)", out, before, after)

	restored := filepath.Join(t.TempDir(), "restored")
	out = e.ok("", "restore", "--data", restored, "--from", archive)
	if !strings.Contains(out, "all verified") {
		t.Fatalf("restore did not verify:\n%s", out)
	}
	n := compareTickets(t, filepath.Join(data, "tierdesk.db"), filepath.Join(restored, "tierdesk.db"))
	if n < before || n > after {
		t.Errorf("restored %d tickets; the API had acknowledged %d when the backup started and %d when it ended", n, before, after)
	}
}

// createWithFile creates a ticket and attaches a file to every third.
func createWithFile(e *e2e, token string, client, i int) error {
	title := fmt.Sprintf("Client %d ticket %d", client, i)
	b, _ := json.Marshal(map[string]any{"type": "incident", "title": title, "description": "Written during a backup",
		"requester": map[string]any{"name": "Sam Seller", "email": fmt.Sprintf("sam%d@example.com", client)}})
	var tk map[string]any
	if err := send(e.base+"/api/v1/tickets", token, "application/json", bytes.NewReader(b), http.StatusCreated, &tk); err != nil {
		return fmt.Errorf("create %q: %w", title, err)
	}
	if i%3 != 0 {
		return nil
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", fmt.Sprintf("log-%d-%d.txt", client, i))
	fmt.Fprintf(fw, "%s\n%s", title, strings.Repeat("log line\n", 50+i))
	mw.Close()
	url := fmt.Sprintf("%s/api/v1/tickets/%v/attachments", e.base, tk["id"])
	if err := send(url, token, mw.FormDataContentType(), &body, http.StatusCreated, nil); err != nil {
		return fmt.Errorf("attach to %q: %w", title, err)
	}
	return nil
}

func send(url, token, ctype string, body io.Reader, want int, out any) error {
	req, _ := http.NewRequestWithContext(context.Background(), "POST", url, body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", ctype)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		msg, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("status %d: %s", resp.StatusCode, msg)
	}
	if out != nil {
		return json.NewDecoder(resp.Body).Decode(out)
	}
	return nil
}

// compareTickets checks that every ticket, event and attachment of the
// restored desk is, column for column, in the live desk, and returns how
// many tickets were restored.
func compareTickets(t *testing.T, live, restored string) int64 {
	t.Helper()
	queries := map[string]string{
		"tickets":     "SELECT id, number, title, description, requester_id, created_at FROM tickets ORDER BY id",
		"events":      "SELECT id, ticket_id, at, kind, public, body, changes FROM events ORDER BY id",
		"attachments": "SELECT id, ticket_id, file_name, sha256, content FROM attachments ORDER BY id",
	}
	var tickets int64
	for table, q := range queries {
		got := readRows(t, restored, q)
		want := readRows(t, live, q)
		if len(got) == 0 {
			t.Errorf("no %s restored", table)
		}
		for i, row := range got {
			if i >= len(want) || want[i] != row {
				t.Fatalf("restored %s row %d differs from the live desk:\n got %.200s", table, i, row)
			}
		}
		if table == "tickets" {
			tickets = int64(len(got))
		}
	}
	return tickets
}

func readRows(t *testing.T, file, q string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", file+"?_pragma=query_only(1)&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(vals...))
	}
	return out
}

func TestRestore_Refuses(t *testing.T) {
	e := &e2e{t: t}
	e.bin = startServer(t, []string{"--data", t.TempDir()}).bin
	data := t.TempDir()
	e.ok("", "migrate", "--data", data)
	archive := filepath.Join(t.TempDir(), "desk.tdbk")
	e.ok("", "backup", "--data", data, "--to", archive)

	t.Run("NewerSchema", func(t *testing.T) {
		newer := rewriteManifest(t, archive, func(m map[string]any) {
			m["migrations"] = append(m["migrations"].([]any), 99999)
		})
		target := filepath.Join(t.TempDir(), "target")
		_, errOut, code := e.cli("", "restore", "--data", target, "--from", newer)
		if code != 1 || !strings.Contains(errOut, "newer Tierdesk") || !strings.Contains(errOut, "99999") {
			t.Fatalf("restore of a newer schema: exit %d, %s", code, errOut)
		}
		noDesk(t, target)
	})
	t.Run("CorruptedArchive", func(t *testing.T) {
		b, err := os.ReadFile(archive)
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)/2] ^= 0x5a
		bad := filepath.Join(t.TempDir(), "bad.tdbk")
		os.WriteFile(bad, b, 0o600)
		target := filepath.Join(t.TempDir(), "target")
		_, errOut, code := e.cli("", "restore", "--data", target, "--from", bad)
		if code != 1 || !strings.Contains(errOut, "damaged") {
			t.Fatalf("restore of a corrupted archive: exit %d, %s", code, errOut)
		}
		noDesk(t, target)
	})
	t.Run("AlteredRows", func(t *testing.T) {
		altered := rewriteManifest(t, archive, func(m map[string]any) {
			d := m["digests"].(map[string]any)["counters"].(map[string]any)
			d["rows"] = d["rows"].(float64) + 1
		})
		target := filepath.Join(t.TempDir(), "target")
		_, errOut, code := e.cli("", "restore", "--data", target, "--from", altered)
		if code != 1 || !strings.Contains(errOut, "damaged") || !strings.Contains(errOut, "counters") {
			t.Fatalf("restore of an archive whose rows differ from its manifest: exit %d, %s", code, errOut)
		}
		noDesk(t, target)
	})
	t.Run("NonEmptyTarget", func(t *testing.T) {
		_, errOut, code := e.cli("", "restore", "--data", data, "--from", archive)
		if code != 1 || !strings.Contains(errOut, "already holds a desk") {
			t.Fatalf("restore over a desk: exit %d, %s", code, errOut)
		}
	})
	t.Run("ExistingArchive", func(t *testing.T) {
		_, errOut, code := e.cli("", "backup", "--data", data, "--to", archive)
		if code != 1 || !strings.Contains(errOut, "already exists") {
			t.Fatalf("backup over an archive: exit %d, %s", code, errOut)
		}
	})
}

func noDesk(t *testing.T, dir string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, "tierdesk.db")); err == nil {
		t.Errorf("a refused restore left a database in %s", dir)
	}
}

// rewriteManifest copies the archive with its manifest changed by edit.
func rewriteManifest(t *testing.T, archive string, edit func(map[string]any)) string {
	t.Helper()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	out := filepath.Join(t.TempDir(), "edited.tdbk")
	o, _ := os.Create(out)
	defer o.Close()
	zw := gzip.NewWriter(o)
	tw := tar.NewWriter(zw)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		if hdr.Name == "manifest.json" {
			var m map[string]any
			json.Unmarshal(body, &m)
			edit(m)
			body, _ = json.Marshal(m)
			hdr.Size = int64(len(body))
		}
		tw.WriteHeader(hdr)
		tw.Write(body)
	}
	tw.Close()
	zw.Close()
	return out
}

// TestServe_ScheduledBackups starts the served binary with scheduled
// backups every second: verified archives appear, the oldest are pruned
// (a new archive is written and verified before an old one goes, so for a
// moment there is one more), and the newest restores.
func TestServe_ScheduledBackups(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "backups")
	e := startServer(t, []string{"--data", t.TempDir(), "--backup-every", "1s", "--backup-keep", "2", "--backup-dir", dir})
	seen := map[string]bool{}
	var kept []string
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		kept, _ = filepath.Glob(filepath.Join(dir, "tierdesk-*.tdbk"))
		for _, k := range kept {
			seen[k] = true
		}
		if len(kept) > 3 {
			t.Fatalf("retention kept %d archives, want at most 2 (3 while a new one is verified): %v", len(kept), kept)
		}
		if len(seen) >= 4 && len(kept) == 2 {
			break
		}
	}
	if len(seen) < 4 || len(kept) != 2 {
		t.Fatalf("after the schedule ran: made %d, kept %v", len(seen), kept)
	}
	out := e.ok("", "restore", "--data", filepath.Join(t.TempDir(), "restored"), "--from", kept[1])
	if !strings.Contains(out, "all verified") {
		t.Fatalf("restore: %s", out)
	}
}
