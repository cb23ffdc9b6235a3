package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// genProgress draws dev generate's progress: a bar redrawn in place on a
// terminal, otherwise a line every few per cent (a log keeps those).
// After the last ticket it says that the indexes and statistics are being
// finished, which takes minutes at millions of tickets.
type genProgress struct {
	out      io.Writer
	tty      bool
	total    int
	start    time.Time
	lastPct  int
	lastDraw time.Time
}

func newGenProgress(out io.Writer, total int) *genProgress {
	f, ok := out.(*os.File)
	return &genProgress{out: out, tty: ok && term.IsTerminal(int(f.Fd())), total: total, start: time.Now(), lastPct: -1}
}

func (p *genProgress) update(done int) {
	pct := done * 100 / max(p.total, 1)
	if p.tty && time.Since(p.lastDraw) < 200*time.Millisecond && done < p.total {
		return
	}
	if !p.tty && pct < p.lastPct+5 && done < p.total {
		return
	}
	p.lastPct, p.lastDraw = pct, time.Now()
	elapsed := time.Since(p.start)
	rate := float64(done) / max(elapsed.Seconds(), 0.001)
	eta := time.Duration(float64(p.total-done)/max(rate, 1)) * time.Second
	const width = 30
	fill := width * done / max(p.total, 1)
	line := fmt.Sprintf("[%s%s] %3d%% %d/%d tickets %.0f/s elapsed %s ETA %s", strings.Repeat("=", fill),
		strings.Repeat(" ", width-fill), pct, done, p.total, rate, elapsed.Round(time.Second), eta.Round(time.Second))
	if p.tty {
		fmt.Fprint(p.out, "\r"+line)
		if done == p.total {
			fmt.Fprint(p.out, "\n")
		}
	} else {
		fmt.Fprintln(p.out, line)
	}
	if done == p.total {
		fmt.Fprintln(p.out, "counting, indexing and analysing …")
	}
}

func (p *genProgress) finish() {
	fmt.Fprintf(p.out, "done in %s\n", time.Since(p.start).Round(time.Second))
}

// humanBytes is n in the largest binary unit under 1024 of it.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
