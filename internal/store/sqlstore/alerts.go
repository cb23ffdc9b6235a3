package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// RecordAlerts implements desk.AlertStore. Notifications go through the
// store's group commit (see alertBatcher): with SQLite's one writer and a
// synchronous commit each, one transaction per notification would cap an
// alert storm at the disk's flush rate.
func (s *Store) RecordAlerts(ctx context.Context, b desk.AlertBatch) ([]desk.AlertStep, error) {
	return s.alerts.submit(ctx, s, b)
}

// recordAlerts is one notification's work inside a batch transaction. A
// refusal by the rate limit comes back as refused, with the overflow
// counted (and committed); err is a failure that undoes this work.
func (s *Store) recordAlerts(ctx context.Context, tx *sql.Tx, b desk.AlertBatch) (steps []desk.AlertStep, refused, err error) {
	total := 0
	for _, n := range b.Notices {
		total += len(n.Alerts)
	}
	// The first statement locks the integration's row (PostgreSQL): every
	// notification of an integration then runs one at a time, across
	// instances, so the rate window and the groups never race.
	var start, count int64
	err = tx.QueryRowContext(ctx, `UPDATE integrations SET alerts_received = alerts_received + $1,
		last_alert_at = $2 WHERE id = $3 RETURNING window_start, window_count`,
		total, micros(b.At), b.IntegrationID).Scan(&start, &count)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, notFound("integration", b.IntegrationID)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("record alerts: %w", err)
	}
	ws, wc, ok := desk.RateWindow(fromMicros(start), count, b.RateLimit, total, b.At)
	if !ok {
		_, err = tx.ExecContext(ctx, "UPDATE integrations SET alerts_overflow = alerts_overflow + $1 WHERE id = $2",
			total, b.IntegrationID)
		if err != nil {
			return nil, nil, fmt.Errorf("count overflow: %w", err)
		}
		return nil, desk.Errorf(desk.ELIMIT, "integration %d is over its limit of %d alerts a minute: retry later",
			b.IntegrationID, b.RateLimit), nil
	}
	var repeats int64
	for _, n := range b.Notices {
		st, err := s.foldNotice(ctx, tx, b, n)
		if err != nil {
			return nil, nil, err
		}
		repeats += st.Repeats
		steps = append(steps, st)
	}
	_, err = tx.ExecContext(ctx, `UPDATE integrations SET alerts_deduplicated = alerts_deduplicated + $1,
		window_start = $2, window_count = $3 WHERE id = $4`, repeats, micros(ws), wc, b.IntegrationID)
	if err != nil {
		return nil, nil, fmt.Errorf("count alerts: %w", err)
	}
	return steps, nil, nil
}

// foldNotice reads the notice's group, folds the notice in and stores the
// outcome with its repeat entry.
func (s *Store) foldNotice(ctx context.Context, tx *sql.Tx, b desk.AlertBatch, n desk.AlertNotice) (desk.AlertStep, error) {
	g, err := readAlertGroup(ctx, tx, "g.integration_id = $1 AND g.dedup_key = $2", b.IntegrationID, n.DedupKey)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return desk.AlertStep{}, fmt.Errorf("read alert group: %w", err)
	}
	st := desk.FoldAlert(g, n, b.FlapWindow, b.At)
	if !st.Stored {
		return st, nil
	}
	ng := &st.Group
	ng.IntegrationID = b.IntegrationID
	if st.RepeatEvent != nil && ng.TicketID != 0 {
		if err := s.writeRepeatEvent(ctx, tx, ng, st.RepeatEvent); err != nil {
			return desk.AlertStep{}, err
		}
	}
	if err := writeAlertGroup(ctx, tx, ng); err != nil {
		return desk.AlertStep{}, err
	}
	return st, nil
}

// writeRepeatEvent inserts the incident's aggregated repeat entry, or
// rewrites it in place: one entry however many repeats.
func (s *Store) writeRepeatEvent(ctx context.Context, tx *sql.Tx, g *desk.AlertGroup, ev *desk.Event) error {
	if g.RepeatEventID != 0 {
		changes, err := json.Marshal(ev.Changes)
		if err != nil {
			return fmt.Errorf("encode repeat changes: %w", err)
		}
		_, err = tx.ExecContext(ctx, "UPDATE events SET body = $1, changes = $2 WHERE id = $3 AND ticket_id = $4",
			ev.Body, string(changes), g.RepeatEventID, g.TicketID)
		if err != nil {
			return fmt.Errorf("update repeat event: %w", err)
		}
		return nil
	}
	events := []desk.Event{*ev}
	if err := s.insertEvents(ctx, tx, g.TicketID, events); err != nil {
		return err
	}
	g.RepeatEventID = events[0].ID
	return nil
}

const alertGroupSelect = `SELECT g.id, g.integration_id, g.dedup_key, g.generation, g.ticket_id, g.status,
	g.members, g.opening, g.received, g.repeats, g.first_at, g.last_at, g.resolved_at, g.repeat_event_id,
	t.number, t.state, t.resolved_at
	FROM alert_groups g LEFT JOIN tickets t ON t.id = g.ticket_id`

// readAlertGroup returns the group matching cond, or sql.ErrNoRows.
func readAlertGroup(ctx context.Context, q queryer, cond string, args ...any) (*desk.AlertGroup, error) {
	return scanAlertGroup(q.QueryRowContext(ctx, alertGroupSelect+" WHERE "+cond, args...))
}

func scanAlertGroup(sc scanner) (*desk.AlertGroup, error) {
	var g desk.AlertGroup
	var ticket, repeatEvent, resolved, ticketResolved sql.NullInt64
	var members, opening string
	var number, state sql.NullString
	var first, last int64
	err := sc.Scan(&g.ID, &g.IntegrationID, &g.DedupKey, &g.Generation, &ticket, &g.Status,
		&members, &opening, &g.Received, &g.Repeats, &first, &last, &resolved, &repeatEvent,
		&number, &state, &ticketResolved)
	if err != nil {
		return nil, err
	}
	g.TicketID, g.RepeatEventID = ticket.Int64, repeatEvent.Int64
	g.FirstAt, g.LastAt, g.ResolvedAt = fromMicros(first), fromMicros(last), timePtr(resolved)
	g.TicketNumber, g.TicketState, g.TicketResolvedAt = number.String, desk.State(state.String), timePtr(ticketResolved)
	if err := json.Unmarshal([]byte(members), &g.Members); err != nil {
		return nil, fmt.Errorf("decode alert group %d members: %w", g.ID, err)
	}
	if err := json.Unmarshal([]byte(opening), &g.Opening); err != nil {
		return nil, fmt.Errorf("decode alert group %d opening alert: %w", g.ID, err)
	}
	return &g, nil
}

// writeAlertGroup inserts a new group (g.ID 0, assigning it) or stores g.
func writeAlertGroup(ctx context.Context, tx *sql.Tx, g *desk.AlertGroup) error {
	members, err := json.Marshal(g.Members)
	if err != nil {
		return fmt.Errorf("encode alert members: %w", err)
	}
	opening, err := json.Marshal(g.Opening)
	if err != nil {
		return fmt.Errorf("encode opening alert: %w", err)
	}
	vals := []any{g.Generation, nullID(g.TicketID), string(g.Status), string(members), string(opening),
		g.Received, g.Repeats, micros(g.FirstAt), micros(g.LastAt), nullMicros(g.ResolvedAt), nullID(g.RepeatEventID)}
	if g.ID == 0 {
		err = tx.QueryRowContext(ctx, `INSERT INTO alert_groups (generation, ticket_id, status, members, opening,
			received, repeats, first_at, last_at, resolved_at, repeat_event_id, integration_id, dedup_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			append(vals, g.IntegrationID, g.DedupKey)...).Scan(&g.ID)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE alert_groups SET generation = $1, ticket_id = $2, status = $3,
			members = $4, opening = $5, received = $6, repeats = $7, first_at = $8, last_at = $9,
			resolved_at = $10, repeat_event_id = $11 WHERE id = $12`, append(vals, g.ID)...)
	}
	if err != nil {
		return fmt.Errorf("store alert group: %w", err)
	}
	return nil
}

// LinkAlertIncident implements desk.AlertStore. It locks the integration's
// row before the group's, in the order RecordAlerts takes them, so that the
// two never deadlock on PostgreSQL.
func (s *Store) LinkAlertIncident(ctx context.Context, groupID int64, generation int, ticketID int64) error {
	var integrationID int64
	err := s.db.QueryRowContext(ctx, "SELECT integration_id FROM alert_groups WHERE id = $1", groupID).Scan(&integrationID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // the integration was deleted meanwhile
	}
	if err != nil {
		return fmt.Errorf("link alert incident: %w", err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE integrations SET incidents_opened = incidents_opened + 1 WHERE id = $1",
			integrationID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE alert_groups SET ticket_id = $1
			WHERE id = $2 AND generation = $3 AND ticket_id IS NULL`, ticketID, groupID, generation)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err == nil && n == 0 {
			err = errLinked // linked already, or the key moved on: count nothing
		}
		return err
	})
	if errors.Is(err, errLinked) {
		return nil
	}
	return s.refError(ctx, "link alert incident", err, ref{"ticket", "tickets", ticketID})
}

// errLinked rolls back a link that another caller made first.
var errLinked = errors.New("alert group linked already")

// AlertGroups implements desk.AlertStore.
func (s *Store) AlertGroups(ctx context.Context, ticketID int64) ([]*desk.AlertGroup, error) {
	rows, err := s.rdb.QueryContext(ctx, alertGroupSelect+" WHERE g.ticket_id = $1 ORDER BY g.id", ticketID)
	if err != nil {
		return nil, fmt.Errorf("alert groups of ticket %d: %w", ticketID, err)
	}
	defer rows.Close()
	var out []*desk.AlertGroup
	for rows.Next() {
		g, err := scanAlertGroup(rows)
		if err != nil {
			return nil, fmt.Errorf("alert groups of ticket %d: %w", ticketID, err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
