package pager_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// Each step waits its own delay after the step before it, in every round:
// with Ann (5 min), Bob (10 min) and Cid (3 min), Bob is paged at 5, Cid at
// 15, and the second round starts at 18, not as soon as the time since the
// page's start has passed each delay.
func TestEscalation_EachStepWaitsItsDelayFromThePreviousStep(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		f.policy(1, desk.EscalationStep{UserIDs: []int64{f.ann.ID}, Delay: 5 * time.Minute},
			desk.EscalationStep{UserIDs: []int64{f.bob.ID}, Delay: 10 * time.Minute},
			desk.EscalationStep{UserIDs: []int64{f.cid.ID}, Delay: 3 * time.Minute})
		tk := f.incident("Payments down")
		names := map[int64]string{f.ann.ID: "Ann", f.bob.ID: "Bob", f.cid.ID: "Cid"}
		var got []string
		seen := 0
		for minute := range 45 {
			f.sweep()
			mails := f.mails(tk)
			for _, id := range mails[seen:] {
				got = append(got, fmt.Sprintf("%d min: %s", minute, names[id]))
			}
			seen = len(mails)
			f.clock.Advance(time.Minute)
		}
		diff(t, "who is paged when", []string{
			"0 min: Ann", "5 min: Bob", "15 min: Cid",
			"18 min: Ann", "23 min: Bob", "33 min: Cid",
		}, got)
		diff(t, "timeline", []string{
			"page_started: P1 incident in Core",
			"paged: step 1, round 1: paged Ann",
			"paged: step 2, round 1: paged Bob",
			"paged: step 3, round 1: paged Cid",
			"paged: step 1, round 2: paged Ann",
			"paged: step 2, round 2: paged Bob",
			"paged: step 3, round 2: paged Cid",
			"page_exhausted: nobody acknowledged after 2 round(s)",
		}, f.paged(tk))
	})
}
