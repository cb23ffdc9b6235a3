// Package testbin runs the real tierdesk binary in tests: it builds
// cmd/tierdesk once per test process and starts `tierdesk serve` on a free
// port, stopping it with SIGTERM (and checking that it stopped cleanly)
// when the test ends. The CLI end-to-end tests and the browser tests share
// it.
package testbin

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// Build builds cmd/tierdesk once per test process and returns its path.
func Build(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tierdesk-test-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "tierdesk")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/tierdesk/tierdesk/cmd/tierdesk").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return binPath
}

// CleanEnv is the user's environment without Tierdesk's own variables, so
// that the test alone decides the configuration.
func CleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TIERDESK_") {
			env = append(env, kv)
		}
	}
	return env
}

var addrRE = regexp.MustCompile(`addr=(127\.0\.0\.1:\d+)`)

// Serve starts `bin serve --addr 127.0.0.1:0 args...` with env and returns
// its base URL ("http://127.0.0.1:port", read from its start-up log). The
// server gets SIGTERM when the test ends and must exit cleanly within 20 s.
func Serve(tb testing.TB, bin string, env []string, args ...string) string {
	tb.Helper()
	return Start(tb, bin, env, args...).Base
}

// Server is a running `tierdesk serve` whose log is kept.
type Server struct {
	Base     string // http://127.0.0.1:port
	tb       testing.TB
	cmd      *exec.Cmd
	mu       sync.Mutex
	log      bytes.Buffer
	logDone  chan struct{}
	stopOnce sync.Once
}

// Start is Serve returning the server, for tests that read its log or stop
// it before the end (Stop).
func Start(tb testing.TB, bin string, env []string, args ...string) *Server {
	tb.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	s := &Server{tb: tb, cmd: cmd, logDone: make(chan struct{})}
	lines := bufio.NewScanner(stderr)
	var addr string
	for lines.Scan() {
		s.log.WriteString(lines.Text() + "\n")
		if m := addrRE.FindStringSubmatch(lines.Text()); m != nil {
			addr = m[1]
			break
		}
	}
	if addr == "" {
		cmd.Process.Kill()
		cmd.Wait()
		tb.Fatalf("server did not report its address; log:\n%s", s.log.String())
	}
	go func() {
		defer close(s.logDone)
		for lines.Scan() {
			s.mu.Lock()
			s.log.WriteString(lines.Text() + "\n")
			s.mu.Unlock()
		}
		io.Copy(io.Discard, stderr) // a line too long for the scanner
	}()
	s.Base = "http://" + addr
	tb.Cleanup(s.Stop)
	return s
}

// Stop sends SIGTERM and waits for the server to exit cleanly (once).
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		stop(s.tb, s.cmd)
		<-s.logDone
	})
}

// Log returns what the server logged so far (all of it after Stop).
func (s *Server) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

func stop(tb testing.TB, cmd *exec.Cmd) {
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			tb.Errorf("server exited with %v after SIGTERM", err)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		tb.Error("server did not stop within 20 s of SIGTERM")
	}
}
