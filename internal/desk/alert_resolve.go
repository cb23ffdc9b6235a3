package desk

import (
	"context"
	"fmt"
	"time"
)

// AutoResolveNotes are the resolution notes of an incident the alert
// intake resolved, in English as stored; readers word them in their
// language (internal/reasons.Notes).
const AutoResolveNotes = "Resolved automatically: every alert of the incident resolved."

// clearIncident records on the incident that all its alerts resolved and,
// when the rule says so and no person has taken the incident over,
// resolves it. The usual reopen window then runs before it closes.
func (s *Desk) clearIncident(sys context.Context, ig *Integration, g AlertGroup) error {
	return retryStaleErr(func() error {
		t, err := s.store.GetTicket(sys, g.TicketID)
		if err != nil {
			return err
		}
		if !t.State.IsOpen() {
			return nil // resolved or closed meanwhile: nothing to add
		}
		now := s.clock.Now()
		ev := Event{Kind: EventAlertResolved, Public: false,
			Body:    fmt.Sprintf("All %d alerts of %s resolved at %s.", len(g.Members), g.DedupKey, now.Format(time.RFC3339)),
			Changes: []Change{{Field: "alert_status", Old: string(AlertFiring), New: string(AlertResolved)}}}
		events := []Event{ev}
		if ig.Settings.MatchRule(g.Opening).AutoResolve {
			who, err := s.takenOverBy(sys, t)
			if err != nil {
				return err
			}
			if who != "" {
				events[0].Body += " Not resolved automatically: " + who + " has taken the incident over."
			} else {
				events = append(events, systemResolve(t, now))
			}
		}
		return s.save(sys, t, nil, events...)
	})
}

// takenOverBy names the person who has taken t over — its assignee, or
// anyone who changed or commented on it — or returns "".
func (s *Desk) takenOverBy(ctx context.Context, t *Ticket) (string, error) {
	if t.Assignee != nil {
		return t.Assignee.Name, nil
	}
	events, err := s.allEvents(ctx, t.ID)
	if err != nil {
		return "", err
	}
	for _, e := range events {
		if e.Actor != nil && e.Actor.ID != 0 {
			return e.Actor.Name, nil
		}
	}
	return "", nil
}

// systemResolve resolves an incident nobody has taken over. It is the one
// move the state machine does not offer people (new → resolved): only the
// monitoring system that raised the incident may withdraw it so.
func systemResolve(t *Ticket, now time.Time) Event {
	ch := changeSet{{Field: "state", Old: string(t.State), New: string(StateResolved)}}
	if t.State == StateOnHold {
		ch.add("hold_reason", string(t.HoldReason), "")
		t.HoldReason = ""
	}
	ch.add("resolution_code", string(t.ResolutionCode), "solved")
	t.State, t.ResolutionCode, t.ResolutionNotes, t.ResolvedAt = StateResolved, "solved", AutoResolveNotes, &now
	return Event{Kind: EventTransition, Public: true, Body: AutoResolveNotes, Changes: ch}.because(ReasonAlertsResolved)
}

// reopenForAlert reopens a resolved incident whose alert fired again within
// the flap window: back to new when nobody was assigned (nobody worked
// it), else to in_progress with its assignee, as a person's reopen would.
func (s *Desk) reopenForAlert(sys context.Context, g AlertGroup, now time.Time) error {
	return retryStaleErr(func() error {
		t, err := s.store.GetTicket(sys, g.TicketID)
		if err != nil {
			return err
		}
		if t.State != StateResolved {
			return nil // reopened or closed meanwhile
		}
		back := StateInProgress
		if t.Assignee == nil {
			back = StateNew
		}
		ev := Event{Kind: EventTransition, Public: true}.because(ReasonAlertFlap)
		in := TransitionInput{To: back, Reason: ev.Reason}
		ch := changeSet{{Field: "state", Old: string(t.State), New: string(back)}}
		if err := s.reopen(t, in, s.clock.Now(), &ch); err != nil {
			return err
		}
		t.State, ev.Changes = back, ch
		return s.save(sys, t, nil, ev)
	})
}
