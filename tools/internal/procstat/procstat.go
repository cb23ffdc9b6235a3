// Package procstat reads what the benchmark tools report beside their
// figures from Linux's /proc: a process's CPU time, the CPU time of the
// PostgreSQL backends serving one database on this machine, and the load
// average. Unlike latency, CPU time a request is hardly moved by other
// processes' load on a shared machine, so the tools compare builds by it.
package procstat

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// tick is one clock tick of /proc/PID/stat (USER_HZ, 1/100 s on Linux).
const tick = 10 * time.Millisecond

// CPU is the user + system time of a process, or 0 when unreadable.
func CPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces; count from its ')'.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * tick
}

// Database is the database named in a postgres:// URL, "" when there is none.
func Database(postgresURL string) string {
	u, err := url.Parse(postgresURL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Path, "/")
}

// BackendsCPU is the user + system time of the PostgreSQL backends now
// serving database db on this machine (the test server runs here), found
// by their process titles ("postgres: [CLUSTER: ]USER DATABASE HOST(PORT)
// STATE"); other databases' backends and the server's shared processes
// (WAL writer, checkpointer) are left out. A backend that ended between
// two readings drops out of the second, so keep connections open (a pool)
// across a measurement.
func BackendsCPU(db string) time.Duration {
	if db == "" {
		return 0
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	var sum time.Duration
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		title, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err != nil {
			continue
		}
		f := strings.Fields(strings.ReplaceAll(string(title), "\x00", " "))
		if len(f) < 3 || f[0] != "postgres:" {
			continue
		}
		if strings.HasSuffix(f[1], ":") {
			f = f[1:]
		}
		if len(f) >= 3 && f[2] == db {
			sum += CPU(pid)
		}
	}
	return sum
}

// LoadAvg is the machine's one-minute load average.
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}
