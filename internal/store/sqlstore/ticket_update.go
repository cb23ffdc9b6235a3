package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// ticketUpdate is the UPDATE of every mutable column, guarded by version.
var ticketUpdate = func() string {
	set := make([]string, len(writeColumns))
	for i, c := range writeColumns {
		set[i] = fmt.Sprintf("%s = $%d", c, i+1)
	}
	n := len(writeColumns)
	return fmt.Sprintf("UPDATE tickets SET %s, version = version + 1 WHERE id = $%d AND version = $%d",
		strings.Join(set, ", "), n+1, n+2)
}()

// UpdateTicket implements desk.TicketStore.
func (s *Store) UpdateTicket(ctx context.Context, t *desk.Ticket, events []desk.Event, timers ...desk.Timer) error {
	var updated *desk.Ticket
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		updated, err = s.applyTicketWrite(ctx, tx, desk.TicketWrite{Ticket: t, Events: events, Timers: timers}, true)
		return err
	})
	if err != nil {
		return s.refError(ctx, fmt.Sprintf("update ticket %d", t.ID), err, ticketRefs(t)...)
	}
	*t = *updated
	return nil
}

// applyTicketWrite stores one ticket's change in tx (as UpdateTicket
// does) and, with reread, returns the ticket as stored.
func (s *Store) applyTicketWrite(ctx context.Context, tx *sql.Tx, w desk.TicketWrite, reread bool) (*desk.Ticket, error) {
	t := w.Ticket
	reindex, err := s.writeTicket(ctx, tx, t)
	if err != nil {
		return nil, err
	}
	if err := s.insertEvents(ctx, tx, t.ID, w.Events); err != nil {
		return nil, err
	}
	if err := writeSecurityMembers(ctx, tx, t.ID, t); err != nil {
		return nil, err
	}
	if err := writeBreachCase(ctx, tx, t.ID, t); err != nil {
		return nil, err
	}
	if reindex || hasPublicComment(w.Events) {
		if err := s.indexTicket(ctx, tx, t.ID); err != nil {
			return nil, err
		}
	}
	if w.Timers != nil {
		if err := replaceTimers(ctx, tx, t.ID, 0, w.Timers); err != nil {
			return nil, err
		}
	}
	if !reread {
		return nil, nil
	}
	return readTicket(ctx, tx, "t.id = $1", t.ID)
}

// applyTicketWrites stores writes in tx without reading the tickets back
// (a batch keeps its transaction short); once it commits, each ticket is
// at its next version.
func (s *Store) applyTicketWrites(ctx context.Context, tx *sql.Tx, writes []desk.TicketWrite) error {
	for _, w := range writes {
		if _, err := s.applyTicketWrite(ctx, tx, w, false); err != nil {
			return fmt.Errorf("update ticket %d: %w", w.Ticket.ID, err)
		}
	}
	return nil
}

// writeTicket stores t's fields if its version is current, and reports
// whether the searchable text changed.
func (s *Store) writeTicket(ctx context.Context, tx *sql.Tx, t *desk.Ticket) (bool, error) {
	var version int
	var title, description, symptoms string
	err := tx.QueryRowContext(ctx, "SELECT version, title, description, symptoms FROM tickets WHERE id = $1",
		t.ID).Scan(&version, &title, &description, &symptoms)
	if errors.Is(err, sql.ErrNoRows) {
		return false, notFound("ticket", t.ID)
	}
	if err != nil {
		return false, fmt.Errorf("read ticket version: %w", err)
	}
	if version != t.Version {
		return false, stale(t)
	}
	line, err := groupLine(ctx, tx, t.Group.ID)
	if err != nil {
		return false, err
	}
	res, err := tx.ExecContext(ctx, ticketUpdate, append(ticketValues(t, line), t.ID, t.Version)...)
	if err != nil {
		return false, err
	}
	// A concurrent writer may have won between the read and the update
	// (PostgreSQL re-checks the version after waiting for its row lock).
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("update ticket: %w", err)
	}
	if n != 1 {
		return false, stale(t)
	}
	changed := title != t.Title || description != t.Description || symptoms != t.Symptoms
	return changed, nil
}

func stale(t *desk.Ticket) error {
	return desk.Errorf(desk.ESTALE, "ticket %d was changed by someone else: version %d is out of date", t.ID, t.Version)
}

func hasPublicComment(events []desk.Event) bool {
	for _, e := range events {
		if e.Kind == desk.EventComment && e.Public {
			return true
		}
	}
	return false
}
