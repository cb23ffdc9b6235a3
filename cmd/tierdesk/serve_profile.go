package main

import (
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// profileFlags ask serve for a CPU profile from its first instruction
// (start-up included) to its shutdown, and a heap profile at shutdown:
// how the figures in docs/benchmarks.md choose what to change.
type profileFlags struct {
	cpu, heap string
}

func (f *profileFlags) register(c *cobra.Command) {
	c.Flags().StringVar(&f.cpu, "cpu-profile", "", "write a CPU profile of the whole run, start-up included, to this file (go tool pprof)")
	c.Flags().StringVar(&f.heap, "heap-profile", "", "write a heap profile to this file at shutdown (go tool pprof)")
}

// start begins the CPU profile; the returned function ends it and writes
// the heap profile.
func (f *profileFlags) start(log *slog.Logger) (stop func(), err error) {
	var cpu *os.File
	if f.cpu != "" {
		if cpu, err = os.Create(f.cpu); err != nil {
			return nil, fmt.Errorf("cpu profile: %w", err)
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			cpu.Close()
			return nil, fmt.Errorf("cpu profile: %w", err)
		}
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if f.heap == "" {
			return
		}
		h, err := os.Create(f.heap)
		if err == nil {
			err = pprof.Lookup("heap").WriteTo(h, 0)
			h.Close()
		}
		if err != nil {
			log.Error("heap profile", "err", err)
		}
	}, nil
}
