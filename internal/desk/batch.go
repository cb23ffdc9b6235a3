package desk

import (
	"context"
	"fmt"
	"strings"
)

// TicketWrite is a ticket's change prepared by Desk.Prepare but not yet
// stored: the ticket as it will be, its new history entries with their
// notifications, and its timers afterwards. A store that writes several
// in one transaction together with records of its own (a workaround's
// broadcast batch, internal/problem) checks each ticket's version as
// UpdateTicket does, and gives each its next version.
type TicketWrite struct {
	Ticket *Ticket
	Events []Event
	Timers []Timer
}

// SystemNote is an entry the desk itself words on a ticket's timeline: a
// reason code with its params, optionally with text (a workaround).
type SystemNote struct {
	Kind   EventKind // EventWorkNote, EventLinked or EventUnlinked
	Body   string
	Code   ReasonCode
	Params []string // name, value pairs
	// Public adds the body as a public comment to the requester as well,
	// as the actor's own (the first public answer is the first response).
	Public bool
}

// Prepare turns notes by u on t (loaded at its current version) into a
// TicketWrite: the events stamped, their notifications queued and the
// ticket's timers planned, as any change is saved, minus the storing.
// Only staff write such notes; closed and canceled tickets take none.
func (s *Desk) Prepare(ctx context.Context, t *Ticket, u *User, notes ...SystemNote) (TicketWrite, error) {
	if u == nil || !u.Role.IsStaff() {
		return TicketWrite{}, Errorf(EFORBIDDEN, "only service-desk staff may do this")
	}
	if t.State.IsFinal() {
		return TicketWrite{}, Refusef(ECONFLICT, RuleNotOpen, Params{"state": string(t.State)}, "ticket %s is %s and cannot change", t.Number, t.State)
	}
	now := s.clock.Now()
	var events []Event
	for _, n := range notes {
		if err := checkNote(n); err != nil {
			return TicketWrite{}, err
		}
		kind := n.Kind
		if kind == "" {
			kind = EventWorkNote
		}
		events = append(events, Event{Kind: kind, Body: n.Body}.because(n.Code, n.Params...))
		if n.Public {
			var ch changeSet
			s.markFirstResponse(t, now, &ch)
			events = append(events, Event{Kind: EventComment, Public: true, Body: n.Body, Changes: ch})
		}
	}
	return s.prepared(ctx, t, u, events)
}

// prepared is save without the storing.
func (s *Desk) prepared(ctx context.Context, t *Ticket, u *User, events []Event) (TicketWrite, error) {
	now := s.clock.Now()
	t.UpdatedAt = now
	stamp(events, u, now)
	if err := s.notify(ctx, t, u, events); err != nil {
		return TicketWrite{}, err
	}
	timers, err := s.timersAfter(ctx, t, true, events)
	if err != nil {
		return TicketWrite{}, err
	}
	return TicketWrite{Ticket: t, Events: events, Timers: timers}, nil
}

func checkNote(n SystemNote) error {
	var v validation
	v.text("body", n.Body, MaxTextLen, n.Public)
	if n.Public && strings.TrimSpace(n.Body) == "" {
		return fieldError("body", RuleRequired, nil, "is required for a public comment")
	}
	return v.err()
}

// Annotate adds one system-worded note by the actor in ctx (staff) to the
// ticket ref and stores it at once.
func (s *Desk) Annotate(ctx context.Context, ref string, n SystemNote) (*Ticket, error) {
	return retryStale(0, func() (*Ticket, error) {
		u, t, err := s.forChange(ctx, ref, 0, requireStaff)
		if err != nil {
			return nil, err
		}
		w, err := s.Prepare(ctx, t, u, n)
		if err != nil {
			return nil, err
		}
		if err := s.store.UpdateTicket(ctx, w.Ticket, w.Events, w.Timers...); err != nil {
			return nil, fmt.Errorf("annotate ticket %s: %w", t.Number, err)
		}
		return w.Ticket, nil
	})
}

// TicketForWrite loads a ticket the actor in ctx may see, for Prepare.
func (s *Desk) TicketForWrite(ctx context.Context, ref string) (*User, *Ticket, error) {
	return s.forChange(ctx, ref, 0, requireStaff)
}

// AfterWrite does what follows a stored change of t by u (paging ends
// when the ticket is taken or resolved), for writes stored by a batch.
func (s *Desk) AfterWrite(ctx context.Context, t *Ticket, u *User) { s.pagesAfterSave(ctx, t, u) }
