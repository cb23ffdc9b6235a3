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

// writeGroupEvent inserts one of the incident's aggregated entries (the
// repeat count, the table of firing alerts) and sets *id, or rewrites the
// entry *id names in place: one entry however many notifications.
func (s *Store) writeGroupEvent(ctx context.Context, tx *sql.Tx, g *desk.AlertGroup, id *int64, ev *desk.Event) error {
	if *id != 0 {
		changes, err := json.Marshal(ev.Changes)
		if err != nil {
			return fmt.Errorf("encode %s changes: %w", ev.Kind, err)
		}
		_, err = tx.ExecContext(ctx, "UPDATE events SET body = $1, changes = $2 WHERE id = $3 AND ticket_id = $4",
			ev.Body, string(changes), *id, g.TicketID)
		if err != nil {
			return fmt.Errorf("update %s event: %w", ev.Kind, err)
		}
		return nil
	}
	events := []desk.Event{*ev}
	if err := s.insertEvents(ctx, tx, g.TicketID, events); err != nil {
		return err
	}
	*id = events[0].ID
	return nil
}

const alertGroupSelect = `SELECT g.id, g.integration_id, g.dedup_key, g.generation, g.ticket_id, g.status,
	g.members, g.opening, g.received, g.repeats, g.first_at, g.last_at, g.resolved_at, g.repeat_event_id,
	g.labels, g.unstored, g.unstored_firing, g.summary_event_id,
	t.number, t.state, t.resolved_at
	FROM alert_groups g LEFT JOIN tickets t ON t.id = g.ticket_id`

func scanAlertGroup(sc scanner) (*desk.AlertGroup, error) {
	var g desk.AlertGroup
	var ticket, repeatEvent, summaryEvent, resolved, ticketResolved sql.NullInt64
	var members, opening, labels string
	var number, state sql.NullString
	var first, last int64
	err := sc.Scan(&g.ID, &g.IntegrationID, &g.DedupKey, &g.Generation, &ticket, &g.Status,
		&members, &opening, &g.Received, &g.Repeats, &first, &last, &resolved, &repeatEvent,
		&labels, &g.Unstored, &g.UnstoredFiring, &summaryEvent,
		&number, &state, &ticketResolved)
	if err != nil {
		return nil, err
	}
	g.TicketID, g.RepeatEventID, g.SummaryEventID = ticket.Int64, repeatEvent.Int64, summaryEvent.Int64
	if err := json.Unmarshal([]byte(labels), &g.Labels); err != nil {
		return nil, fmt.Errorf("decode alert group %d labels: %w", g.ID, err)
	}
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

// alertGroupValues are g's stored values, in the order of the insert and
// update statements (alertStmts).
func alertGroupValues(g *desk.AlertGroup) ([]any, error) {
	members, err := json.Marshal(g.Members)
	if err != nil {
		return nil, fmt.Errorf("encode alert members: %w", err)
	}
	opening, err := json.Marshal(g.Opening)
	if err != nil {
		return nil, fmt.Errorf("encode opening alert: %w", err)
	}
	labels := []byte("{}")
	if len(g.Labels) > 0 {
		if labels, err = json.Marshal(g.Labels); err != nil {
			return nil, fmt.Errorf("encode alert labels: %w", err)
		}
	}
	return []any{g.Generation, nullID(g.TicketID), string(g.Status), string(members), string(opening),
		g.Received, g.Repeats, micros(g.FirstAt), micros(g.LastAt), nullMicros(g.ResolvedAt), nullID(g.RepeatEventID),
		string(labels), g.Unstored, g.UnstoredFiring, nullID(g.SummaryEventID)}, nil
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
