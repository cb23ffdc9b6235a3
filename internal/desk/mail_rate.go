package desk

import (
	"context"
	"fmt"
	"time"
)

// MailRateStore counts the new tickets each sender opened by e-mail in
// fixed windows, in the database, so that every instance sees one count.
type MailRateStore interface {
	// AddMailCount adds delta (+1 or -1) to sender's count in the window
	// starting at window, atomically, and returns that window's count after
	// the change and the count of the window starting at prev. Windows
	// before prev are deleted on the way.
	AddMailCount(ctx context.Context, sender string, window, prev time.Time, delta int) (cur, prevCount int, err error)
}

// mailRateWindow is the length of one counting window: the limit is per hour.
const mailRateWindow = time.Hour

// takeMailSlot reserves one of sender's new-ticket slots for this hour, or
// refuses with ELIMIT. The count is a sliding-window estimate: this fixed
// window's count plus the previous window's, weighted by how much of it
// still lies within the last hour. The reservation is made before the
// ticket is stored (so that two instances cannot both take the last slot);
// release gives it back when no ticket was created. A crash in between
// leaves one slot taken until the window passes.
func (s *Desk) takeMailSlot(ctx context.Context, sender string) (release func(), err error) {
	max := s.cfg.MailTicketsPerHour
	if max <= 0 {
		return func() {}, nil
	}
	now := s.clock.Now()
	window := now.Truncate(mailRateWindow)
	prev := window.Add(-mailRateWindow)
	cur, before, err := s.store.AddMailCount(ctx, sender, window, prev, 1)
	if err != nil {
		return nil, fmt.Errorf("mail rate: %w", err)
	}
	undo := func() {
		// Best effort: a failure leaves the slot taken, the safe side.
		s.store.AddMailCount(context.WithoutCancel(ctx), sender, window, prev, -1) //nolint:errcheck
	}
	left := 1 - float64(now.Sub(window))/float64(mailRateWindow)
	if float64(cur)+float64(before)*left > float64(max) {
		undo()
		return nil, Errorf(ELIMIT, "too many new tickets from %s in the last hour (limit %d): try again later", sender, max)
	}
	return undo, nil
}
