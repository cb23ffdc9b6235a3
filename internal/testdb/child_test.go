package testdb

import (
	"os/exec"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// The main goroutine keeps the process's first thread, which the Go runtime
// never ends; the test below needs its goroutine on a thread that does end.
func init() { runtime.LockOSThread() }

// TestStartChild_OutlivesTheStartingThread: a service started from a
// goroutine whose thread then ends (here: it locked its thread and returned)
// keeps running; it stops when told to.
func TestStartChild_OutlivesTheStartingThread(t *testing.T) {
	cmd := exec.Command("sleep", "60")
	type result struct {
		done <-chan struct{}
		err  error
	}
	started := make(chan result)
	go func() {
		runtime.LockOSThread() // returning without unlocking ends this thread
		done, err := StartChild(cmd, syscall.SIGTERM)
		started <- result{done, err}
	}()
	r := <-started
	if r.err != nil {
		t.Fatal(r.err)
	}
	select {
	case <-r.done:
		t.Fatalf("the service exited when the thread that started it ended: %v", cmd.ProcessState)
	case <-time.After(500 * time.Millisecond):
	}
	StopProcess(cmd.Process, r.done, 5*time.Second)
	if cmd.ProcessState == nil || cmd.ProcessState.Exited() {
		t.Fatalf("the service was not stopped by a signal: %v", cmd.ProcessState)
	}
}

func TestLastLines(t *testing.T) {
	for _, c := range []struct {
		log  string
		n    int
		want string
	}{
		{"", 3, ""},
		{"one\n", 3, "one"},
		{"a\nb\nc\nd\n", 2, "…\nc\nd"},
		{"a\nb\nc", 3, "a\nb\nc"},
		{"a\nb\nc\nd", 3, "…\nb\nc\nd"},
	} {
		if got := LastLines([]byte(c.log), c.n); got != c.want {
			t.Errorf("LastLines(%q, %d) = %q, want %q", c.log, c.n, got, c.want)
		}
	}
}
