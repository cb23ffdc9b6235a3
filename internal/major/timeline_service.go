package major

import (
	"context"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Timeline returns the merged timeline of a major incident: its own
// entries, and the parent's and children's key events (transitions,
// public comments, escalations, alerts, pages and acknowledgements).
func (s *Service) Timeline(ctx context.Context, id int64) ([]Entry, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	m, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.timeline(ctx, m)
}

func (s *Service) timeline(ctx context.Context, m *Incident) ([]Entry, error) {
	own, err := s.ms.Entries(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	kids, err := s.ms.Children(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	var events []Entry
	for _, c := range append([]Child{{TicketID: m.TicketID, Number: m.Number}}, kids...) {
		evs, err := s.ticketEntries(ctx, c)
		if err != nil {
			return nil, err
		}
		events = append(events, evs...)
	}
	keys, err := s.ms.KeyEvents(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	return Merge(own, events, keys), nil
}

// ticketEntries reads a ticket's events that join the timeline.
func (s *Service) ticketEntries(ctx context.Context, c Child) ([]Entry, error) {
	var out []Entry
	f := desk.EventFilter{Limit: desk.MaxPageSize}
	for {
		page, err := s.st.ListEvents(ctx, c.TicketID, f)
		if err != nil {
			return nil, fmt.Errorf("events of %s: %w", c.Number, err)
		}
		for _, e := range page.Events {
			if !JoinsTimeline(e.Kind) {
				continue
			}
			en := Entry{EventID: e.ID, At: e.At, TicketID: c.TicketID, Number: c.Number, Event: e.Kind, Text: eventText(e)}
			en.Code, en.Params, _ = e.Why()
			if e.Reason != "" && en.Code == "" {
				en.Body = e.Reason // a person's reason, as written
			} else if e.Reason == "" && e.Body != "" && e.Public {
				en.Body = oneLine(e.Body)
			}
			for _, ch := range e.Changes {
				if ch.Field == "state" {
					en.From, en.To = desk.State(ch.Old), desk.State(ch.New)
				}
			}
			if e.Actor != nil {
				en.ActorID, en.Actor = e.Actor.ID, e.Actor.Name
			}
			out = append(out, en)
		}
		if page.NextCursor == "" {
			return out, nil
		}
		f.Cursor = page.NextCursor
	}
}

// eventText says in one line what a ticket event did.
func eventText(e *desk.Event) string {
	text := string(e.Kind)
	for _, c := range e.Changes {
		if c.Field == "state" {
			text = fmt.Sprintf("%s → %s", c.Old, c.New)
		}
	}
	if e.Reason != "" {
		text += ": " + e.Reason
	} else if e.Body != "" && e.Public {
		text += ": " + oneLine(e.Body)
	}
	return text
}

// MarkKey marks a timeline entry (own: entryID, ticket event: eventID) as
// key, or not, for the review.
func (s *Service) MarkKey(ctx context.Context, id, entryID, eventID int64, key bool) error {
	if _, err := s.Get(ctx, id); err != nil {
		return err
	}
	if (entryID == 0) == (eventID == 0) {
		return desk.InvalidFields(desk.Invalid("entry_id", desk.RuleConflicts, desk.Params{"with": "event_id"}, "name either an entry or an event"))
	}
	return s.ms.MarkKey(ctx, id, entryID, eventID, key)
}
