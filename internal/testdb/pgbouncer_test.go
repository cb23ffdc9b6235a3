package testdb

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childEnv makes this test binary a child that starts PgBouncer and exits:
// "main" ends through Main, "nostop" skips it (only Pdeathsig is left).
const childEnv = "TIERDESK_TESTDB_PGBOUNCER_CHILD"

func TestMain(m *testing.M) {
	mode := os.Getenv(childEnv)
	if mode == "nostop" {
		os.Exit(m.Run())
	}
	pid := 0
	code := Main(m)
	if mode == "main" {
		pid = lastPID
		fmt.Printf("PGBOUNCER_RUNNING_AFTER_MAIN=%v\n", pid != 0 && alive(pid))
	}
	os.Exit(code)
}

// lastPID is the child's PgBouncer, kept for TestMain once Main has stopped it.
var lastPID int

// TestPgBouncer_StoppedWhenTestsEnd starts a child test process that reaches
// PostgreSQL through PgBouncer and exits: no PgBouncer may outlive it, whether
// the package calls Main (it is stopped before the process exits) or forgets
// to (it exits with the process).
func TestPgBouncer_StoppedWhenTestsEnd(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		PgBouncerDatabase(t)
		lastPID = PgBouncerPID()
		fmt.Printf("PGBOUNCER_PID=%d\n", lastPID)
		return
	}
	PostgresServer(t)
	pgBouncerBinary(t)
	for _, mode := range []string{"main", "nostop"} {
		t.Run(mode, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestPgBouncer_StoppedWhenTestsEnd$", "-test.count=1")
			cmd.Env = append(os.Environ(), childEnv+"="+mode)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			m := regexp.MustCompile(`PGBOUNCER_PID=(\d+)`).FindSubmatch(out)
			if m == nil {
				t.Fatalf("child printed no PgBouncer pid:\n%s", out)
			}
			pid, _ := strconv.Atoi(string(m[1]))
			if pid == 0 {
				t.Fatalf("child started no PgBouncer:\n%s", out)
			}
			if mode == "main" && !strings.Contains(string(out), "PGBOUNCER_RUNNING_AFTER_MAIN=false") {
				t.Errorf("PgBouncer %d still ran when Main returned:\n%s", pid, out)
			}
			deadline := time.Now().Add(5 * time.Second)
			for alive(pid) && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
			}
			if alive(pid) {
				syscall.Kill(pid, syscall.SIGKILL)
				t.Fatalf("PgBouncer %d outlived the test process that started it (%s)", pid, mode)
			}
		})
	}
}

// alive reports whether pid is a running process (not gone, not a zombie).
func alive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// TestPgBouncer_ReplacedWhenItExits: a PgBouncer that exits between two tests
// (SIGTERM: it exits 1, as CI saw) is replaced by the next test that asks for
// a database through it, which then reaches PostgreSQL.
func TestPgBouncer_ReplacedWhenItExits(t *testing.T) {
	first := PgBouncerDatabase(t)
	pid := PgBouncerPID()
	pgbouncer.mu.Lock()
	done, restarts := pgbouncer.done, pgbouncer.restarts
	pgbouncer.mu.Unlock()
	syscall.Kill(pid, syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("PgBouncer %d did not exit on SIGTERM", pid)
	}
	second := PgBouncerDatabase(t)
	if PgBouncerPID() == pid || PgBouncerPID() == 0 || !strings.Contains(second, portOf(first)) {
		t.Fatalf("PgBouncer %d was not replaced (now %d)", pid, PgBouncerPID())
	}
	pgbouncer.mu.Lock()
	if pgbouncer.restarts != restarts+1 {
		t.Errorf("restarts = %d, want %d", pgbouncer.restarts, restarts+1)
	}
	pgbouncer.restarts = restarts // the bound stays for the tests after this one
	pgbouncer.mu.Unlock()
	for _, u := range []string{first, second} {
		db, err := sql.Open("pgx", u)
		if err != nil {
			t.Fatal(err)
		}
		var one int
		if err := db.QueryRow("SELECT 1").Scan(&one); err != nil || one != 1 {
			t.Errorf("through the new PgBouncer (%s): %v", u, err)
		}
		db.Close()
	}
}

func portOf(u string) string {
	return u[strings.LastIndex(u[:strings.LastIndex(u, "/")], ":"):strings.LastIndex(u, "/")]
}
