package desk

import "context"

// EscalationGate is asked before a functional escalation by a person is
// stored (internal/diagnosis: line 1's diagnosis checklist of the
// ticket's category). It refuses the escalation with an error, or returns
// notes to store with it in the same change (why the checklist was not
// answered). t is the ticket as it will be after the escalation.
type EscalationGate interface {
	CheckEscalation(ctx context.Context, t *Ticket, in EscalationInput) ([]SystemNote, error)
}

// SetEscalationGate makes the desk ask g before each functional
// escalation (nil: none).
func (s *Desk) SetEscalationGate(g EscalationGate) {
	if g == nil {
		s.gate.Store(nil)
		return
	}
	s.gate.Store(&g)
}

// gateEscalation returns the events the gate adds to an escalation of t.
func (s *Desk) gateEscalation(ctx context.Context, t *Ticket, in EscalationInput) ([]Event, error) {
	g := s.gate.Load()
	if g == nil {
		return nil, nil
	}
	notes, err := (*g).CheckEscalation(ctx, t, in)
	if err != nil {
		return nil, err
	}
	events := make([]Event, 0, len(notes))
	for _, n := range notes {
		if err := checkNote(n); err != nil {
			return nil, err
		}
		kind := n.Kind
		if kind == "" {
			kind = EventWorkNote
		}
		events = append(events, Event{Kind: kind, Body: n.Body}.because(n.Code, n.Params...))
	}
	return events, nil
}
