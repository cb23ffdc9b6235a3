package testdb

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// pgbouncer is one PgBouncer in transaction pooling mode in front of the
// test server, started once per test process on a free loopback port (again
// should it exit in the middle of the run) and stopped by StopPgBouncer (Main
// calls it when the package's tests end).
var pgbouncer struct {
	mu       sync.Mutex
	port     int
	err      error // the first start's failure: later tests fail with it at once
	cmd      *exec.Cmd
	done     <-chan struct{} // closed when the process has exited
	dir      string
	restarts int
}

// maxPgBouncerRestarts bounds the restarts of a PgBouncer that keeps
// exiting: beyond it every test through it fails, with the last log.
const maxPgBouncerRestarts = 2

// Main runs a package's tests and then stops the PgBouncer they started, if
// any. Every test package that reaches PostgreSQL through PgBouncer calls it
// from TestMain: os.Exit(testdb.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	StopPgBouncer()
	return code
}

// StopPgBouncer stops the test process's PgBouncer (SIGTERM, then SIGKILL
// after 5 s), waits for it to exit and removes its directory. It does nothing
// when none was started.
func StopPgBouncer() {
	pgbouncer.mu.Lock()
	defer pgbouncer.mu.Unlock()
	if pgbouncer.cmd == nil {
		return
	}
	StopProcess(pgbouncer.cmd.Process, pgbouncer.done, 5*time.Second)
	os.RemoveAll(pgbouncer.dir)
	pgbouncer.cmd = nil
}

// StopProcess stops a service a test started: SIGTERM, SIGKILL after
// grace, then waits until done (closed when its Wait has returned).
func StopProcess(p *os.Process, done <-chan struct{}, grace time.Duration) {
	p.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(grace):
		p.Kill()
		<-done
	}
}

// PgBouncerPID is the process id of the test process's PgBouncer, 0 when
// none runs (for the test that shows it is stopped).
func PgBouncerPID() int {
	pgbouncer.mu.Lock()
	defer pgbouncer.mu.Unlock()
	if pgbouncer.cmd == nil {
		return 0
	}
	return pgbouncer.cmd.Process.Pid
}

// PgBouncerBinary is where Debian's package installs PgBouncer.
const PgBouncerBinary = "/usr/sbin/pgbouncer"

// PgBouncerDatabase creates an empty database of its own on the test server
// (dropped when the test ends) and returns a URL that reaches it through
// PgBouncer in transaction pooling mode. PgBouncer does not pass search_path
// on, so tests through it get databases, not schemas. Without PgBouncer the
// test skips, and fails under CI=true.
func PgBouncerDatabase(tb testing.TB) string {
	tb.Helper()
	server := PostgresServer(tb)
	bin := pgBouncerBinary(tb)
	port := runningPgBouncer(tb, bin, server)
	u, _ := url.Parse(PostgresDatabase(tb, "test_pgb_"))
	u.Host = fmt.Sprintf("127.0.0.1:%d", port)
	return u.String()
}

// runningPgBouncer returns the port of the test process's PgBouncer,
// starting it on first use. One that ran and has gone (CI has seen it exit
// between two tests, its log cut short) is reported with the end of its log
// and replaced on the same port, rather than failing every later test with
// "connection refused": URLs given out before still work, though a test in
// the middle of a statement through it fails on its own.
func runningPgBouncer(tb testing.TB, bin, server string) int {
	tb.Helper()
	pgbouncer.mu.Lock()
	defer pgbouncer.mu.Unlock()
	if pgbouncer.err != nil {
		tb.Fatalf("start PgBouncer: %v", pgbouncer.err)
	}
	if pgbouncer.cmd != nil {
		select {
		case <-pgbouncer.done:
			log, _ := os.ReadFile(filepath.Join(pgbouncer.dir, "pgbouncer.log"))
			gone := fmt.Sprintf("the test process's PgBouncer on port %d has exited (%v); the end of its log:\n%s",
				pgbouncer.port, pgbouncer.cmd.ProcessState, LastLines(log, 15))
			os.RemoveAll(pgbouncer.dir)
			pgbouncer.cmd = nil
			if pgbouncer.restarts >= maxPgBouncerRestarts {
				pgbouncer.err = fmt.Errorf("it exited %d times; the last time: %s", pgbouncer.restarts+1, gone)
				tb.Fatalf("start PgBouncer: %v", pgbouncer.err)
			}
			pgbouncer.restarts++
			fmt.Fprintf(os.Stderr, "testdb: %s\ntestdb: starting another PgBouncer\n", gone)
			tb.Logf("%s; starting another", gone)
		default:
			return pgbouncer.port
		}
	}
	pgbouncer.port, pgbouncer.err = startPgBouncer(bin, server, pgbouncer.port)
	if pgbouncer.err != nil {
		tb.Fatalf("start PgBouncer: %v", pgbouncer.err)
	}
	return pgbouncer.port
}

// pgBouncerBinary finds PgBouncer, or skips the test (fails under CI=true).
func pgBouncerBinary(tb testing.TB) string {
	tb.Helper()
	bin, err := exec.LookPath("pgbouncer")
	if err != nil {
		bin = PgBouncerBinary
	}
	if _, err := os.Stat(bin); err != nil {
		Unavailable(tb, "PgBouncer is not installed (apt-get install pgbouncer)")
	}
	return bin
}

// startPgBouncer writes a configuration in a directory of its own and starts
// PgBouncer with it on port (a free one when 0): every database of the test server, reached as the
// connecting user, pooled per transaction. StopPgBouncer stops it; should a
// package forget to call Main, it still exits with the test process
// (Pdeathsig). As root it is started as the postgres user by the kernel
// (Credential) rather than with its own -u, whose setuid would clear the
// parent-death signal and leave one PgBouncer behind per test process.
func startPgBouncer(bin, server string, port int) (int, error) {
	su, err := url.Parse(server)
	if err != nil {
		return 0, err
	}
	if port == 0 {
		if port, err = freePort(); err != nil {
			return 0, err
		}
	}
	dir, err := os.MkdirTemp("", "tierdesk-pgbouncer-")
	if err != nil {
		return 0, err
	}
	os.Chmod(dir, 0o755)
	usr := su.User.Username()
	conf := fmt.Sprintf(`[databases]
* = host=%s port=%s
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
auth_type = trust
auth_file = %s
pool_mode = transaction
max_client_conn = 500
default_pool_size = 10
ignore_startup_parameters = extra_float_digits
server_reset_query =
logfile = %s
pidfile = %s
`, su.Hostname(), su.Port(), port, filepath.Join(dir, "users.txt"), filepath.Join(dir, "pgbouncer.log"), filepath.Join(dir, "pgbouncer.pid"))
	files := map[string]string{"pgbouncer.ini": conf, "users.txt": fmt.Sprintf("%q \"\"\n", usr)}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			return 0, err
		}
	}
	cmd := exec.Command(bin, filepath.Join(dir, "pgbouncer.ini"))
	cmd.SysProcAttr = &syscall.SysProcAttr{}
	if os.Geteuid() == 0 { // PgBouncer refuses to run as root
		u, err := user.Lookup("postgres")
		if err != nil {
			return 0, fmt.Errorf("PgBouncer cannot run as root and there is no postgres user: %w", err)
		}
		uid, gid := atoi(u.Uid), atoi(u.Gid)
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		chownAll(dir, uid, gid)
	}
	out, _ := os.Create(filepath.Join(dir, "stdout.txt"))
	cmd.Stdout, cmd.Stderr = out, out
	done, err := StartChild(cmd, syscall.SIGTERM)
	if err != nil {
		out.Close()
		return 0, err
	}
	go func() { <-done; out.Close() }()
	pgbouncer.cmd, pgbouncer.done, pgbouncer.dir = cmd, done, dir
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			return port, nil
		}
	}
	log, _ := os.ReadFile(filepath.Join(dir, "pgbouncer.log"))
	so, _ := os.ReadFile(filepath.Join(dir, "stdout.txt"))
	return 0, fmt.Errorf("PgBouncer did not listen on %d:\n%s%s", port, log, so)
}

// chownAll gives dir and the files in it to uid:gid.
func chownAll(dir string, uid, gid int) {
	os.Chown(dir, uid, gid)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		os.Chown(filepath.Join(dir, e.Name()), uid, gid)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func atoi(s string) int {
	n := 0
	fmt.Sscan(s, &n)
	return n
}
