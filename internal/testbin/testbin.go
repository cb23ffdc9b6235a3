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
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	var addr string
	var log bytes.Buffer
	for lines.Scan() {
		log.WriteString(lines.Text() + "\n")
		if m := addrRE.FindStringSubmatch(lines.Text()); m != nil {
			addr = m[1]
			break
		}
	}
	if addr == "" {
		cmd.Process.Kill()
		cmd.Wait()
		tb.Fatalf("server did not report its address; log:\n%s", log.String())
	}
	go io.Copy(io.Discard, stderr)
	tb.Cleanup(func() { stop(tb, cmd) })
	return "http://" + addr
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
