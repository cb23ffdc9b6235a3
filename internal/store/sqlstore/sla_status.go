package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// noDeadline is the sla_due_at of a ticket without a ticking SLA clock: the
// largest BIGINT, so that such tickets sort last and keyset cursors need no
// NULL handling.
const noDeadline = math.MaxInt64

// slaDue is the sla_due_at column value of a deadline.
func slaDue(t *time.Time) int64 {
	if t == nil {
		return noDeadline
	}
	return micros(*t)
}

func nullBool(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}

// slaColumns scans sla_due_at, sla_response_met and sla_resolution_met.
type slaColumns struct {
	due                        int64
	responseMet, resolutionMet sql.NullBool
}

func (c slaColumns) status() desk.SLAStatus {
	var st desk.SLAStatus
	if c.due != noDeadline {
		d := fromMicros(c.due)
		st.DueAt = &d
	}
	st.ResponseMet, st.ResolutionMet = boolPtr(c.responseMet), boolPtr(c.resolutionMet)
	return st
}

func boolPtr(b sql.NullBool) *bool {
	if !b.Valid {
		return nil
	}
	return &b.Bool
}

// writeSLAStatus stores t.SLA alone, without a new version: it is derived
// from the ticket and the clock, and a fired timer or a reschedule that
// changes nothing else must not make an agent's ETag stale.
func writeSLAStatus(ctx context.Context, tx *sql.Tx, t *desk.Ticket) error {
	_, err := tx.ExecContext(ctx, `UPDATE tickets SET sla_due_at = $1, sla_response_met = $2,
		sla_resolution_met = $3 WHERE id = $4`,
		slaDue(t.SLA.DueAt), nullBool(t.SLA.ResponseMet), nullBool(t.SLA.ResolutionMet), t.ID)
	if err != nil {
		return fmt.Errorf("store sla status of ticket %d: %w", t.ID, err)
	}
	return nil
}

// slaDueConds bound the next SLA deadline; tickets without one (noDeadline)
// never match a bound.
func slaDueConds(f *desk.TicketFilter, a *args) []string {
	var w []string
	if f.SLADueFrom != nil {
		w = append(w, "t.sla_due_at >= "+a.add(micros(*f.SLADueFrom)), "t.sla_due_at < "+a.add(int64(noDeadline)))
	}
	if f.SLADueTo != nil {
		w = append(w, "t.sla_due_at < "+a.add(min(micros(*f.SLADueTo), noDeadline)))
	}
	return w
}
