package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

const timerColumns = "id, ticket_id, kind, percent, cycle, due_at, attempts, done_at IS NOT NULL"

func scanTimer(sc scanner) (desk.Timer, error) {
	var tm desk.Timer
	var cycle, due int64
	err := sc.Scan(&tm.ID, &tm.TicketID, &tm.Kind, &tm.Percent, &cycle, &due, &tm.Attempts, &tm.Done)
	if cycle != 0 {
		tm.Cycle = fromMicros(cycle)
	}
	tm.DueAt = fromMicros(due)
	return tm, err
}

func cycleMicros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return micros(t)
}

// replaceTimers makes timers the ticket's pending timers inside tx. When the
// pending set is already the same (most edits move no deadline) nothing is
// written. A key that was handled before (a done row) is skipped.
//
// A pending timer that a runner has claimed (attempts > 0) is an effect
// already owed — its instant came while a runner was watching — and it is
// kept whatever the new plan says, unless it is the timer being handled
// now (handling, the caller's TimerID); the runner that retries it after
// its lease decides what it still does. Deleting it lost warnings: a
// warning claimed by an instance that died was removed when the next
// threshold fired and rewrote the timers, and the passed threshold was
// never planned again.
func replaceTimers(ctx context.Context, tx *sql.Tx, ticketID, handling int64, timers []desk.Timer) error {
	type key struct {
		kind         desk.TimerKind
		pct          int
		cycle, dueAt int64
	}
	keyOf := func(tm desk.Timer) key {
		return key{tm.Kind, tm.Percent, cycleMicros(tm.Cycle), micros(tm.DueAt)}
	}
	pending, done, err := ticketTimers(ctx, tx, ticketID)
	if err != nil {
		return err
	}
	var owed []desk.Timer
	replaceable := pending[:0:0]
	for _, tm := range pending {
		if tm.Attempts > 0 && tm.ID != handling {
			owed = append(owed, tm)
		} else {
			replaceable = append(replaceable, tm)
		}
	}
	taken := func(tm desk.Timer) bool {
		same := func(d desk.Timer) bool {
			return d.Kind == tm.Kind && d.Percent == tm.Percent && d.Cycle.Equal(tm.Cycle)
		}
		return slices.ContainsFunc(done, same) || slices.ContainsFunc(owed, same)
	}
	var have, want []key
	var fresh []desk.Timer
	for _, tm := range replaceable {
		have = append(have, keyOf(tm))
	}
	for _, tm := range timers {
		if !taken(tm) {
			want = append(want, keyOf(tm))
			fresh = append(fresh, tm)
		}
	}
	cmp := func(a, b key) int {
		if a.kind != b.kind {
			return cmpStr(string(a.kind), string(b.kind))
		}
		if a.pct != b.pct {
			return a.pct - b.pct
		}
		return int(a.cycle - b.cycle)
	}
	slices.SortFunc(have, cmp)
	slices.SortFunc(want, cmp)
	if slices.Equal(have, want) {
		return nil
	}
	if len(replaceable) > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sla_timers
			WHERE ticket_id = $1 AND done_at IS NULL AND (attempts = 0 OR id = $2)`, ticketID, handling); err != nil {
			return fmt.Errorf("clear timers: %w", err)
		}
	}
	return insertTimers(ctx, tx, ticketID, fresh)
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func queryTimers(ctx context.Context, q queryer, cond string, args ...any) ([]desk.Timer, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+timerColumns+" FROM sla_timers WHERE "+cond+" ORDER BY due_at, id", args...)
	if err != nil {
		return nil, fmt.Errorf("read timers: %w", err)
	}
	defer rows.Close()
	var out []desk.Timer
	for rows.Next() {
		tm, err := scanTimer(rows)
		if err != nil {
			return nil, fmt.Errorf("read timer: %w", err)
		}
		out = append(out, tm)
	}
	return out, rows.Err()
}

// ClaimTimers implements desk.TimerStore with one statement: an UPDATE of
// the due rows found through the partial index on due_at, returning them.
// PostgreSQL skips rows another claimer has locked; SQLite has one writer.
func (s *Store) ClaimTimers(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]desk.Timer, error) {
	n := micros(now)
	q := `UPDATE sla_timers SET claimed_until = $1, attempts = attempts + 1
		WHERE id IN (SELECT id FROM sla_timers
			WHERE done_at IS NULL AND due_at <= $2 AND (claimed_until IS NULL OR claimed_until < $2)
			ORDER BY due_at LIMIT $3` + s.dialect.SkipLocked() + `)
		RETURNING ` + timerColumns
	rows, err := s.db.QueryContext(ctx, q, micros(now.Add(lease)), n, limit)
	if err != nil {
		return nil, fmt.Errorf("claim timers: %w", err)
	}
	defer rows.Close()
	var out []desk.Timer
	for rows.Next() {
		tm, err := scanTimer(rows)
		if err != nil {
			return nil, fmt.Errorf("claim timers: %w", err)
		}
		out = append(out, tm)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim timers: %w", err)
	}
	slices.SortFunc(out, func(a, b desk.Timer) int { return a.DueAt.Compare(b.DueAt) })
	return out, nil
}

// HandleTimer implements desk.TimerStore.
func (s *Store) HandleTimer(ctx context.Context, o desk.TimerOutcome) error {
	// Lock order as in UpdateTicket: the ticket row, then its timers, so
	// that runners and ticket changes wait for each other, never deadlock.
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if o.Ticket == nil {
			return markDone(ctx, tx, o.TimerID, s.now())
		}
		t := o.Ticket
		if err := s.writeOrCheck(ctx, tx, t, o.Changed); err != nil {
			return err
		}
		if o.Done {
			if err := markDone(ctx, tx, o.TimerID, s.now()); err != nil {
				return err
			}
		}
		if err := s.insertEvents(ctx, tx, t.ID, o.Events); err != nil {
			return err
		}
		if err := s.insertOutbox(ctx, tx, o.Outbox); err != nil {
			return err
		}
		if err := insertPages(ctx, tx, o.Pages); err != nil {
			return err
		}
		if o.Timers == nil {
			return nil
		}
		if !o.Changed { // a change stored t.SLA with the other fields
			if err := writeSLAStatus(ctx, tx, t); err != nil {
				return err
			}
		}
		return replaceTimers(ctx, tx, t.ID, o.TimerID, o.Timers)
	})
	if err != nil {
		return fmt.Errorf("handle timer %d: %w", o.TimerID, err)
	}
	if o.Changed {
		o.Ticket.Version++
	}
	return nil
}

// markDone marks a pending timer handled; if it is not pending any more
// (another runner handled it, or a ticket change replaced it) the caller's
// transaction must roll back: ECONFLICT.
func markDone(ctx context.Context, tx *sql.Tx, id, now int64) error {
	res, err := tx.ExecContext(ctx, "UPDATE sla_timers SET done_at = $1 WHERE id = $2 AND done_at IS NULL", now, id)
	if err != nil {
		return fmt.Errorf("mark timer done: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return desk.Errorf(desk.ECONFLICT, "timer %d was already handled or replaced", id)
	}
	return nil
}

// writeOrCheck stores t (changed) or only checks that its version is
// current. The no-op UPDATE takes the row lock on PostgreSQL, so a ticket
// change in flight is waited for and then seen.
func (s *Store) writeOrCheck(ctx context.Context, tx *sql.Tx, t *desk.Ticket, changed bool) error {
	if changed {
		_, err := s.writeTicket(ctx, tx, t)
		return err
	}
	res, err := tx.ExecContext(ctx, "UPDATE tickets SET version = version WHERE id = $1 AND version = $2", t.ID, t.Version)
	if err != nil {
		return fmt.Errorf("check ticket version: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return stale(t)
	}
	return nil
}

func (s *Store) insertOutbox(ctx context.Context, tx *sql.Tx, msgs []desk.OutboxMessage) error {
	for _, m := range msgs {
		payload, err := json.Marshal(m.Payload)
		if err != nil {
			return fmt.Errorf("outbox payload: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO outbox (created_at, kind, ticket_id, user_id, group_id, payload)
			VALUES ($1, $2, $3, $4, $5, $6)`, s.now(), m.Kind, nullID(m.TicketID), nullID(m.UserID), nullID(m.GroupID), string(payload))
		if err != nil {
			return fmt.Errorf("queue %s message: %w", m.Kind, err)
		}
	}
	return nil
}

// Timers implements desk.TimerStore.
func (s *Store) Timers(ctx context.Context, ticketID int64) (pending, done []desk.Timer, err error) {
	return ticketTimers(ctx, s.rdb, ticketID)
}

// ticketTimers reads a ticket's timers in one query and splits them.
func ticketTimers(ctx context.Context, q queryer, ticketID int64) (pending, done []desk.Timer, err error) {
	all, err := queryTimers(ctx, q, "ticket_id = $1", ticketID)
	if err != nil {
		return nil, nil, err
	}
	for _, tm := range all {
		if tm.Done {
			done = append(done, tm)
		} else {
			pending = append(pending, tm)
		}
	}
	return pending, done, nil
}

// Outbox implements desk.TimerStore.
func (s *Store) Outbox(ctx context.Context, ticketID int64) ([]desk.OutboxMessage, error) {
	q := "SELECT id, created_at, kind, ticket_id, user_id, group_id, payload, sent_at FROM outbox"
	var args []any
	if ticketID != 0 {
		q += " WHERE ticket_id = $1"
		args = append(args, ticketID)
	}
	rows, err := s.rdb.QueryContext(ctx, q+" ORDER BY id", args...)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []desk.OutboxMessage
	for rows.Next() {
		var m desk.OutboxMessage
		var created int64
		var tid, uid, gid, sent sql.NullInt64
		var payload string
		if err := rows.Scan(&m.ID, &created, &m.Kind, &tid, &uid, &gid, &payload, &sent); err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		m.CreatedAt, m.TicketID, m.UserID, m.GroupID, m.SentAt = fromMicros(created), tid.Int64, uid.Int64, gid.Int64, timePtr(sent)
		if err := json.Unmarshal([]byte(payload), &m.Payload); err != nil {
			return nil, fmt.Errorf("outbox %d payload: %w", m.ID, err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// insertTimers schedules timers with one multi-row INSERT; keys that exist
// already (handled ones) are skipped.
func insertTimers(ctx context.Context, tx *sql.Tx, ticketID int64, timers []desk.Timer) error {
	if len(timers) == 0 {
		return nil
	}
	var a args
	rows := make([]string, len(timers))
	for i, tm := range timers {
		rows[i] = "(" + a.add(ticketID) + ", " + a.add(string(tm.Kind)) + ", " + a.add(tm.Percent) + ", " +
			a.add(cycleMicros(tm.Cycle)) + ", " + a.add(micros(tm.DueAt)) + ")"
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO sla_timers (ticket_id, kind, percent, cycle, due_at) VALUES "+
		strings.Join(rows, ", ")+" ON CONFLICT (ticket_id, kind, percent, cycle) DO NOTHING", a...)
	if err != nil {
		return fmt.Errorf("schedule timers: %w", err)
	}
	return nil
}
