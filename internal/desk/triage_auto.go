package desk

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// TriageFields are the ticket fields the triage model suggests.
var TriageFields = []string{"type", "category", "group", "service"}

// TriageChoice is a value the triage model chose for a field of a new
// ticket, confidently enough for the desk to set it by itself.
type TriageChoice struct {
	Field        string // one of TriageFields
	ID           int64  // the category, group or service; 0 for the type
	Value        string // the type, or the name of the category, group or service
	Confidence   float64
	ModelVersion int64
}

// TriageOutcome is one field the triage model suggested on the register
// form, with the value the agent registered for it.
type TriageOutcome struct {
	Field        string
	Suggested    string // the suggestion's value as the form holds it
	Chosen       string // the value registered; "": none
	Accepted     bool   // Chosen is Suggested
	Confidence   float64
	ModelVersion int64
}

// AutoTriager chooses the fields the desk sets by itself on a ticket from
// e-mail, alerts or the portal: the triage model's suggestions at or above
// the confidence the administrators set, none when there is no model.
type AutoTriager interface {
	AutoTriage(ctx context.Context, title, description string) ([]TriageChoice, error)
}

// SetAutoTriager makes the desk apply t's choices to new tickets from
// e-mail, alerts and the portal (nil: none).
func (s *Desk) SetAutoTriager(t AutoTriager) {
	if t == nil {
		s.triager.Store(nil)
		return
	}
	s.triager.Store(&t)
}

// autoTriaged are the channels whose tickets nobody classified by hand.
var autoTriaged = []Channel{ChannelEmail, ChannelMonitoring, ChannelPortal}

// TriageDecision is a field the desk set by itself, and what people did
// with it since.
type TriageDecision struct {
	TicketID     int64
	Field        string
	Value        string
	Confidence   float64
	ModelVersion int64
	DecidedAt    time.Time
	ConfirmedAt  *time.Time
	CorrectedAt  *time.Time
	CorrectedTo  string
}

// ResolvesAsPerson reports whether e is a person resolving a ticket by
// their own choice (not a resolution the desk gave a reason for, such as
// an alert's recovery or a problem's broadcast): such a resolution
// confirms the ticket's triage decisions still unsettled.
func ResolvesAsPerson(e *Event) bool {
	if e.Actor == nil || e.Kind != EventTransition || e.ReasonCode != "" {
		return false
	}
	for _, c := range e.Changes {
		if c.Field == "state" && c.New == string(StateResolved) {
			return true
		}
	}
	return false
}

// Settled reports whether a person confirmed or corrected the decision.
func (d *TriageDecision) Settled() bool { return d.ConfirmedAt != nil || d.CorrectedAt != nil }

// autoTriage sets the fields of a new ticket that its intake left to the
// desk (the type of an e-mail, a category, a service, the group when
// nothing routed it) from the triager's choices, and returns one history
// event a field, the system's decision with its reason. A failing triager
// leaves the ticket as it came: intake never waits on triage.
func (s *Desk) autoTriage(ctx context.Context, t *Ticket, in NewTicket) []Event {
	p := s.triager.Load()
	if p == nil || !slices.Contains(autoTriaged, t.Channel) {
		return nil
	}
	choices, err := (*p).AutoTriage(ctx, t.Title, t.Description)
	if err != nil {
		return nil
	}
	var events []Event
	for _, c := range choices {
		old, ok := s.applyChoice(ctx, t, in, c)
		if !ok {
			continue
		}
		pct := strconv.Itoa(int(math.Round(c.Confidence * 100)))
		e := Event{At: t.CreatedAt, Kind: EventUpdated, Changes: []Change{{Field: c.Field, Old: old, New: c.Value}}}
		events = append(events, e.because(ReasonTriageApplied, "field", c.Field, "value", c.Value,
			"confidence", pct, "version", strconv.FormatInt(c.ModelVersion, 10)))
	}
	return events
}

// applyChoice sets one chosen field if the intake left it to the desk and
// the value is still valid, returning the value it replaced.
func (s *Desk) applyChoice(ctx context.Context, t *Ticket, in NewTicket, c TriageChoice) (string, bool) {
	switch c.Field {
	case "type":
		if t.Channel != ChannelEmail || !slices.Contains(TicketTypes, TicketType(c.Value)) || string(t.Type) == c.Value {
			return "", false
		}
		old := string(t.Type)
		t.Type = TicketType(c.Value)
		return old, true
	case "category":
		if t.Category != nil {
			return "", false
		}
		cat, err := s.store.GetCategory(ctx, c.ID)
		if err != nil || cat.ParentID != 0 || cat.Retired {
			return "", false
		}
		t.Category = &Ref{ID: cat.ID, Name: cat.Name}
		return "", true
	case "service":
		if t.Service != nil {
			return "", false
		}
		svc, err := s.store.GetService(ctx, c.ID)
		if err != nil || svc.Retired {
			return "", false
		}
		t.Service = &Ref{ID: svc.ID, Name: svc.Name}
		return "", true
	case "group":
		return s.applyGroup(ctx, t, in, c)
	}
	return "", false
}

// applyGroup routes a ticket nothing else routed (no group asked for, no
// assignee, still in the default group) to the chosen active group.
func (s *Desk) applyGroup(ctx context.Context, t *Ticket, in NewTicket, c TriageChoice) (string, bool) {
	if in.GroupID != 0 || t.Assignee != nil || t.Group.ID == c.ID {
		return "", false
	}
	def, err := s.store.DefaultGroup(ctx)
	if err != nil || def.ID != t.Group.ID {
		return "", false
	}
	g, err := s.store.GetGroup(ctx, c.ID)
	if err != nil || !g.Active {
		return "", false
	}
	old := t.Group.Name
	t.Group = GroupRef{ID: g.ID, Name: g.Name, Line: g.Line}
	return old, true
}

// TriageDecisions returns the fields of ticket ref the desk set by itself,
// with what people did with them since. Staff who may see the ticket.
func (s *Desk) TriageDecisions(ctx context.Context, ref string) ([]TriageDecision, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.loadTicket(ctx, u, ref)
	if err != nil {
		return nil, err
	}
	return s.store.TriageDecisions(ctx, t.ID)
}

// ConfirmTriage records that the actor checked the fields of ticket ref
// the desk set by itself and keeps them as they are (fields empty: every
// unsettled one), so that they are learnt from. Staff only.
func (s *Desk) ConfirmTriage(ctx context.Context, ref string, fields []string) (*Ticket, error) {
	u, t, err := s.forChange(ctx, ref, 0, requireStaff)
	if err != nil {
		return nil, err
	}
	ds, err := s.store.TriageDecisions(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	for _, f := range fields {
		if !slices.Contains(TriageFields, f) {
			return nil, fieldError("fields", RuleUnknown, nil, "no triage field %q", f)
		}
	}
	var events []Event
	for _, d := range ds {
		if d.Settled() || (len(fields) > 0 && !slices.Contains(fields, d.Field)) {
			continue
		}
		events = append(events, Event{Kind: EventUpdated}.because(ReasonTriageConfirmed, "field", d.Field, "value", d.Value))
	}
	if len(events) == 0 {
		return nil, Refusef(ECONFLICT, RuleTaken, nil, "ticket %s has no field set by the triage model left to confirm", t.Number)
	}
	if err := s.save(ctx, t, u, events...); err != nil {
		return nil, fmt.Errorf("confirm triage of %s: %w", t.Number, err)
	}
	return t, nil
}
