package procstat

import (
	"os"
	"testing"
	"time"
)

func TestCPU_OwnProcessCounts(t *testing.T) {
	before := CPU(os.Getpid())
	deadline := time.Now().Add(150 * time.Millisecond)
	for x := 0; time.Now().Before(deadline); x++ {
		_ = x * x
	}
	if after := CPU(os.Getpid()); after <= before {
		t.Fatalf("CPU after 150 ms of spinning = %s, before %s: want more", after, before)
	}
	if CPU(0) != 0 || CPU(-1) != 0 {
		t.Fatal("CPU of no process must be 0")
	}
}

func TestDatabase(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://postgres@127.0.0.1:5432/bench?sslmode=disable": "bench",
		"postgres://127.0.0.1/test":                                "test",
		"postgres://127.0.0.1":                                     "",
		"::not a url":                                              "",
	} {
		if got := Database(in); got != want {
			t.Errorf("Database(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBackendsCPU_NoDatabaseNoTime(t *testing.T) {
	if got := BackendsCPU(""); got != 0 {
		t.Fatalf("BackendsCPU(\"\") = %s, want 0", got)
	}
	if got := BackendsCPU("no-such-database-here"); got != 0 {
		t.Fatalf("BackendsCPU of a database nobody serves = %s, want 0", got)
	}
}
