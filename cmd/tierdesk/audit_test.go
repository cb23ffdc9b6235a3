package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/testbin"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestAudit_CLI drives the real binary on each database: tickets created
// over HTTP while the server is killed with SIGKILL and started again
// leave a chain that `audit verify` accepts; a row changed by hand makes
// it exit 1 naming the entry; a chain truncated after an exported anchor
// passes alone but fails against the anchor.
func TestAudit_CLI(t *testing.T) {
	bin := testbin.Build(t)
	for _, db := range []struct {
		name  string
		flags func(t *testing.T) []string
		open  func(t *testing.T, flags []string) *sql.DB
	}{
		{"sqlite", func(t *testing.T) []string { return []string{"--data", t.TempDir()} },
			func(t *testing.T, f []string) *sql.DB {
				return openRaw(t, "sqlite", filepath.Join(f[1], "tierdesk.db"))
			}},
		{"postgres", func(t *testing.T) []string { return []string{"--database", testdb.PostgresSchema(t)} },
			func(t *testing.T, f []string) *sql.DB { return openRaw(t, "pgx", f[1]) }},
	} {
		t.Run(db.name, func(t *testing.T) {
			flags := db.flags(t)
			cli := func(wantExit int, args ...string) string {
				t.Helper()
				cmd := exec.Command(bin, append(args, flags...)...)
				cmd.Env = testbin.CleanEnv()
				out, err := cmd.CombinedOutput()
				code := 0
				if ee, ok := err.(*exec.ExitError); ok {
					code = ee.ExitCode()
				} else if err != nil {
					t.Fatal(err)
				}
				if code != wantExit {
					t.Fatalf("tierdesk %s: exit %d, want %d\n%s", strings.Join(args, " "), code, wantExit, out)
				}
				return string(out)
			}
			lines := strings.Split(strings.TrimSpace(cli(0, "user", "add", "--token", "--email", "admin@example.com", "--name", "Admin", "--role", "admin")), "\n")
			token := lines[len(lines)-1]
			created := createWhileKilled(t, bin, flags, token)
			out := cli(0, "audit", "verify")
			if !strings.Contains(out, "audit chain OK") {
				t.Fatalf("verify after kills: %s", out)
			}
			raw := db.open(t, flags)
			var creates, tickets int
			if err := raw.QueryRow("SELECT COUNT(*) FROM audit_log WHERE kind = 'ticket.create'").Scan(&creates); err != nil {
				t.Fatal(err)
			}
			if err := raw.QueryRow("SELECT COUNT(*) FROM tickets").Scan(&tickets); err != nil {
				t.Fatal(err)
			}
			// A kill between the commit and the answer creates a ticket the
			// client never heard of: it is audited too.
			if creates != tickets || tickets < created {
				t.Fatalf("%d ticket.create entries for %d tickets stored, %d answered 201", creates, tickets, created)
			}
			anchorFile := filepath.Join(t.TempDir(), "anchor.json")
			if err := os.WriteFile(anchorFile, []byte(cli(0, "audit", "export-anchor")), 0o600); err != nil {
				t.Fatal(err)
			}
			mustExec(t, raw, `UPDATE audit_log SET detail = '{"role":"admin"}' WHERE seq = 2`)
			out = cli(1, "audit", "verify")
			if !strings.Contains(out, "BROKEN at entry 2") {
				t.Fatalf("verify after a change to entry 2: %s", out)
			}
			mustExec(t, raw, "DELETE FROM audit_log WHERE seq >= 2")
			mustExec(t, raw, "DELETE FROM audit_anchors")
			mustExec(t, raw, "UPDATE audit_head SET seq = 1, hash = (SELECT hash FROM audit_log WHERE seq = 1)")
			cli(0, "audit", "verify") // consistent by itself
			out = cli(1, "audit", "verify", "--anchor", anchorFile, "--json")
			var rep struct {
				OK     bool `json:"ok"`
				Broken struct {
					Seq    int64  `json:"seq"`
					Reason string `json:"reason"`
				} `json:"broken"`
			}
			if err := json.Unmarshal([]byte(out[:strings.Index(out, "\n")]), &rep); err != nil || rep.OK || rep.Broken.Seq != 2 {
				t.Fatalf("verify --anchor after truncation: %s (%v)", out, err)
			}
			cli(2, "audit", "verify", "--anchor", filepath.Join(t.TempDir(), "missing.json"))
		})
	}
}

// createWhileKilled creates tickets from four clients while the server is
// killed (SIGKILL) and started again three times, and returns how many
// were created (201).
func createWhileKilled(t *testing.T, bin string, flags []string, token string) int {
	t.Helper()
	created := 0
	for round := range 3 {
		cmd, base := startServe(t, bin, flags)
		var mu sync.Mutex
		var wg sync.WaitGroup
		for c := range 4 {
			wg.Go(func() {
				for i := 0; ; i++ {
					body, _ := json.Marshal(map[string]any{"type": "incident", "title": fmt.Sprintf("Round %d client %d #%d", round, c, i),
						"impact": "low", "urgency": "low", "requester": map[string]any{"email": "sam@example.com"}})
					req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, base+"/api/v1/tickets", bytes.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+token)
					req.Header.Set("Content-Type", "application/json")
					res, err := http.DefaultClient.Do(req)
					if err != nil {
						return // killed
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode == http.StatusCreated {
						mu.Lock()
						created++
						mu.Unlock()
					}
				}
			})
		}
		time.Sleep(time.Duration(700+round*300) * time.Millisecond)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		wg.Wait()
	}
	if created == 0 {
		t.Fatal("no ticket created")
	}
	return created
}

func startServe(t *testing.T, bin string, flags []string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, flags...)...)
	cmd.Env = testbin.CleanEnv()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if m := chaosAddrRE.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, stderr)
			return cmd, "http://" + m[1]
		}
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	t.Fatal("serve did not report its address")
	return nil, ""
}

func openRaw(t *testing.T, driver, dsn string) *sql.DB {
	t.Helper()
	if driver == "sqlite" {
		dsn += "?_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustExec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
