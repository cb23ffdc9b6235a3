package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLI_Evidence drives evidence through the real binary: a security
// group set up on the database, a case marked through the API, a file
// recorded with its SHA-256, a reference, the chain shown, a download
// checked against the recorded hash, a hand-over and a move; then the bad
// input: an empty file, a stated hash that does not match, a re-upload
// that does not match, and a line-1 agent who is no member of the case.
func TestCLI_Evidence(t *testing.T) {
	e, _, sec, agent, num := newSecurityCLICase(t)

	dir := t.TempDir()
	file := filepath.Join(dir, "headers.eml")
	content := []byte("Received: from mx.evil.example\r\n")
	if err := os.WriteFile(file, content, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	hash := hex.EncodeToString(sum[:])
	out := e.ok(sec, "evidence", "add", num, "--title", "Mail headers", "--from", "alice's mailbox", "--file", file, "--sha256", hash)
	if !strings.Contains(out, "evidence 1 recorded: Mail headers") || !strings.Contains(out, hash) {
		t.Errorf("add: %s", out)
	}
	e.ok(sec, "evidence", "add", num, "--title", "Laptop image", "--from", "Alice's laptop", "--location", "s3://forensics/inc/laptop.img")
	if list := e.ok(sec, "evidence", "list", num); !strings.Contains(list, "Mail headers") || !strings.Contains(list, "Laptop image") {
		t.Errorf("list: %s", list)
	}
	got := filepath.Join(dir, "copy.eml")
	if out := e.ok(sec, "evidence", "download", "1", "--output", got); !strings.Contains(out, "matches") {
		t.Errorf("download: %s", out)
	}
	if b, err := os.ReadFile(got); err != nil || string(b) != string(content) {
		t.Errorf("downloaded %q, %v", b, err)
	}
	e.ok(sec, "evidence", "transfer", "1", "--location", "evidence locker 3", "--note", "sealed, bag 17")
	if out := e.ok(sec, "evidence", "handover", "1", "--to-name", "Officer K, badge 4711", "--note", "receipt 118"); !strings.Contains(out, "Officer K") {
		t.Errorf("handover: %s", out)
	}
	if out := e.ok(sec, "evidence", "verify", "1"); !strings.Contains(out, "verified") {
		t.Errorf("verify: %s", out)
	}
	show := e.ok(sec, "evidence", "show", "1")
	for _, want := range []string{hash, "collected", "downloaded", "transferred", "handed_over", "verified", "viewed", "evidence locker 3", "Officer K, badge 4711"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}

	empty := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.txt")
	if err := os.WriteFile(other, []byte("not the same"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"evidence", "add", num, "--title", "x", "--from", "y", "--file", empty}, "422"},
		{[]string{"evidence", "add", num, "--title", "x", "--from", "y", "--file", file, "--sha256", strings.Repeat("0", 64)}, "sha256"},
		{[]string{"evidence", "upload", "1", "--file", other}, "422"},
		{[]string{"evidence", "add", num, "--title", "x"}, "--from"},
		{[]string{"evidence", "show", "one"}, "EVIDENCE_ID"},
	} {
		if _, errOut, code := e.cli(sec, c.args...); code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("tierdesk %s: exit %d, stderr %q, want %q", strings.Join(c.args, " "), code, errOut, c.want)
		}
	}
	if _, errOut, code := e.cli(agent, "evidence", "show", "1"); code == 0 || !strings.Contains(errOut, "404") {
		t.Errorf("a non-member: exit %d %s", code, errOut)
	}
	if list := e.ok(sec, "evidence", "list", num); strings.Count(list, "\n") != 3 {
		t.Errorf("refused uploads stored something:\n%s", list)
	}
}
