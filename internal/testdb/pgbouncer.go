package testdb

import (
	"crypto/rand"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// pgbouncer is one PgBouncer in transaction pooling mode in front of the
// test server, started once per test process on a free loopback port and
// stopped by StopPgBouncer (Main calls it when the package's tests end).
var pgbouncer struct {
	once sync.Once
	port int
	err  error
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	dir  string
}

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
	pgbouncer.once.Do(func() { pgbouncer.port, pgbouncer.err = startPgBouncer(bin, server) })
	if pgbouncer.err != nil {
		tb.Fatalf("start PgBouncer: %v", pgbouncer.err)
	}
	select {
	case <-pgbouncer.done: // it ran and has gone: say how, rather than "connection refused" in every test
		log, _ := os.ReadFile(filepath.Join(pgbouncer.dir, "pgbouncer.log"))
		tb.Fatalf("the test process's PgBouncer on port %d has exited (%v); its log:\n%s",
			pgbouncer.port, pgbouncer.cmd.ProcessState, log)
	default:
	}
	name := "test_pgb_" + strings.ToLower(rand.Text()[:12])
	admin, err := sql.Open("pgx", server)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			tb.Errorf("drop database %s: %v", name, err)
		}
	})
	u, _ := url.Parse(server)
	u.Host = fmt.Sprintf("127.0.0.1:%d", pgbouncer.port)
	u.Path = "/" + name
	return u.String()
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
// PgBouncer with it: every database of the test server, reached as the
// connecting user, pooled per transaction. StopPgBouncer stops it; should a
// package forget to call Main, it still exits with the test process
// (Pdeathsig). As root it is started as the postgres user by the kernel
// (Credential) rather than with its own -u, whose setuid would clear the
// parent-death signal and leave one PgBouncer behind per test process.
func startPgBouncer(bin, server string) (int, error) {
	su, err := url.Parse(server)
	if err != nil {
		return 0, err
	}
	port, err := freePort()
	if err != nil {
		return 0, err
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
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
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
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); out.Close(); close(done) }()
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
