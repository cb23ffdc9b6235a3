package testdb

import (
	"bytes"
	"os/exec"
	"runtime"
	"syscall"
)

// StartChild starts a service a test needs (PgBouncer, slapd) so that it gets
// sig when the test process dies, and returns a channel closed once the
// service has exited and been waited for.
//
// Linux sends the parent-death signal when the thread that forked the child
// exits, not the process; the Go runtime may end an idle thread (and a
// goroutine that locked its thread takes it down when it returns), so a
// service started from an ordinary test goroutine can be told to stop in the
// middle of the run: PgBouncer then exits 1 ("got SIGTERM, fast exit") and
// every later test through it fails. The child is therefore started from a
// goroutine locked to its thread for the child's whole life: that thread
// exits only after the child has.
func StartChild(cmd *exec.Cmd, sig syscall.Signal) (<-chan struct{}, error) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = sig
	started := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with this goroutine, after the child
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		cmd.Wait()
		close(done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return done, nil
}

// LastLines is the end of a service's log: enough to say why it stopped
// without burying the test's own message (CI shows a failure's first and
// last lines only).
func LastLines(log []byte, n int) string {
	log = bytes.TrimRight(log, "\n")
	i := len(log)
	for ; n > 0 && i > 0; n-- {
		j := bytes.LastIndexByte(log[:i], '\n')
		if j < 0 {
			return string(log)
		}
		i = j
	}
	if i == len(log) {
		return ""
	}
	return "…\n" + string(log[i+1:])
}
