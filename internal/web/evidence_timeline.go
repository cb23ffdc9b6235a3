package web

import (
	"slices"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Evidence on a security case's timeline (issue 14): what was done with
// the case's evidence (recorded, viewed, downloaded, moved, handed over,
// checked) is an internal entry among the ticket's own, in time order,
// for the staff who see the case (the evidence service answers only its
// members; the requester's page never gets them). The entries are read
// from the chain of custody, not stored twice: kind "evidence", the
// item's title (field evidence_item), the action (evidence_action) and,
// for a hand-over or move, where it went (evidence_to); their ids are the
// custody entries' negated, so they never collide with events'.

// EventEvidence is the kind of a timeline entry drawn from the chain of
// custody.
const EventEvidence desk.EventKind = "evidence"

// withEvidenceEvents merges the case's custody entries into events.
func (s *server) withEvidenceEvents(rq *request, t *desk.Ticket, events []*desk.Event) ([]*desk.Event, error) {
	if s.opts.Evidence == nil || !t.Security || !rq.user.Role.IsStaff() {
		return events, nil
	}
	custody, err := s.opts.Evidence.CaseCustody(rq.ctx, t.Number)
	if err != nil {
		return nil, err
	}
	if len(custody) == 0 {
		return events, nil
	}
	out := slices.Clone(events)
	for _, c := range custody {
		ch := []desk.Change{{Field: "evidence_item", New: c.ItemTitle}, {Field: "evidence_action", New: string(c.Action)}}
		if c.To != "" {
			ch = append(ch, desk.Change{Field: "evidence_to", Old: c.From, New: c.To})
		}
		out = append(out, &desk.Event{ID: -c.ID, TicketID: t.ID, At: c.At, Actor: c.Actor, Kind: EventEvidence, Changes: ch})
	}
	slices.SortStableFunc(out, func(a, b *desk.Event) int { return a.At.Compare(b.At) })
	return out, nil
}
