// Package breach owns the regulatory clocks of a personal-data breach
// (issue 14): when the organisation became aware of it, which regimes
// apply, and the deadlines that follow on wall-clock time (never business
// calendars, never paused):
//
//   - GDPR Art. 33(1): notify the supervisory authority within 72 hours of
//     becoming aware;
//   - 152-FZ Art. 21 part 3.1: notify Roskomnadzor within 24 hours of
//     detecting the incident, and within 72 hours of the results of the
//     internal investigation.
//
// Warnings fall at 50 % and 80 % of each deadline, a page to the security
// on-call at 90 %, and the deadline itself is recorded as missed at 100 %
// unless the notice was sent. The package is pure arithmetic: no I/O, no
// clock of its own.
package breach

import (
	"errors"
	"slices"
	"time"
)

// Regime is a legal regime whose clocks apply to a breach.
type Regime string

const (
	GDPR  Regime = "gdpr"  // EU General Data Protection Regulation
	FZ152 Regime = "152fz" // Russian Federal Law 152-FZ "On personal data"
	Both  Regime = "both"  // GDPR and 152-FZ
	None  Regime = "none"  // no notification duty (recorded with a reason)
)

// Regimes lists the choices a case owner has.
var Regimes = []Regime{GDPR, FZ152, Both, None}

// Kind names one deadline.
type Kind string

const (
	GDPRAuthority Kind = "gdpr_authority_72h"      // Art. 33(1)
	FZ152First    Kind = "152fz_first_24h"         // Art. 21 part 3.1 (1)
	FZ152Follow   Kind = "152fz_investigation_72h" // Art. 21 part 3.1 (2)
)

// Deadline is one regulatory clock of a breach.
type Deadline struct {
	Kind   Kind
	Regime Regime
	Start  time.Time // awareness
	Due    time.Time // Start + the law's period, wall-clock
}

// Periods of each deadline.
var periods = map[Kind]time.Duration{
	GDPRAuthority: 72 * time.Hour,
	FZ152First:    24 * time.Hour,
	FZ152Follow:   72 * time.Hour,
}

// Thresholds are the percentages at which something happens: warnings at
// 50 and 80, a page at 90, the miss at 100.
var Thresholds = []int{50, 80, 90, 100}

// Errors of Deadlines' input.
var (
	ErrAwarenessFuture = errors.New("awareness must not be in the future")
	ErrAwarenessZero   = errors.New("awareness is required")
	ErrRegime          = errors.New("regime must be gdpr, 152fz, both or none")
)

// Deadlines returns the clocks of a breach the organisation became aware of
// at aware under regime, as of now (aware may not be after now).
func Deadlines(aware time.Time, regime Regime, now time.Time) ([]Deadline, error) {
	switch {
	case aware.IsZero():
		return nil, ErrAwarenessZero
	case aware.After(now):
		return nil, ErrAwarenessFuture
	case !slices.Contains(Regimes, regime):
		return nil, ErrRegime
	}
	var kinds []Kind
	if regime == GDPR || regime == Both {
		kinds = append(kinds, GDPRAuthority)
	}
	if regime == FZ152 || regime == Both {
		kinds = append(kinds, FZ152First, FZ152Follow)
	}
	out := make([]Deadline, 0, len(kinds))
	for _, k := range kinds {
		r := GDPR
		if k != GDPRAuthority {
			r = FZ152
		}
		out = append(out, Deadline{Kind: k, Regime: r, Start: aware.UTC(), Due: aware.UTC().Add(periods[k])})
	}
	return out, nil
}

// Percent is how much of the deadline's period has run at now, floored;
// it grows past 100 once the deadline has passed.
func (d Deadline) Percent(now time.Time) int {
	total := d.Due.Sub(d.Start)
	if total <= 0 || now.Before(d.Start) {
		return 0
	}
	return int(now.Sub(d.Start) * 100 / total)
}

// At is the instant a threshold (a percentage) is reached.
func (d Deadline) At(pct int) time.Time {
	return d.Start.Add(d.Due.Sub(d.Start) * time.Duration(pct) / 100)
}

// Crossed lists the thresholds reached at now that are not yet in done,
// in order: the caller records each once (a warning, the page, the miss).
func (d Deadline) Crossed(now time.Time, done []int) []int {
	var out []int
	for _, p := range Thresholds {
		if !now.Before(d.At(p)) && !slices.Contains(done, p) {
			out = append(out, p)
		}
	}
	return out
}

// Missed reports whether the deadline passed before sent (nil: not sent).
func (d Deadline) Missed(sent *time.Time, now time.Time) bool {
	if sent != nil {
		return sent.After(d.Due)
	}
	return now.After(d.Due)
}

// Late reports whether a notice sent at sent needs reasons for the delay
// (GDPR Art. 33(1): a notice after 72 hours gives them).
func (d Deadline) Late(sent time.Time) bool { return sent.After(d.Due) }
