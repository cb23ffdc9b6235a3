package problem

import (
	"context"
	"fmt"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Skipped is an incident a request left as it was, and why.
type Skipped struct {
	Ticket string
	Code   string // desk error code
	Reason string
}

// LinkResult says what linking did to each incident.
type LinkResult struct {
	Problem *Problem
	Linked  []string // numbers linked
	Held    []string // of those, put on hold awaiting the problem
	Skipped []Skipped
}

// Link links incidents to an open problem (staff). An incident in
// progress goes on hold awaiting the problem (its resolution clock pauses
// where the SLA policy says so); any other is linked as it is. An
// incident of a known error also gets the workaround as an internal note.
// One ticket that cannot be linked fails the request; of several, each
// that cannot is skipped with its reason.
func (s *Service) Link(ctx context.Context, ref string, tickets []string) (*LinkResult, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.Problem(ctx, ref)
	if err != nil {
		return nil, err
	}
	if !p.State.Open() {
		return nil, desk.Refusef(desk.ECONFLICT, desk.RuleNotOpen, desk.Params{"state": string(p.State), "problem": p.Number()},
			"problem %s is closed: link the incidents to an open problem", p.Number())
	}
	if len(tickets) == 0 {
		return nil, desk.InvalidFields(desk.Invalid("tickets", desk.RuleRequired, nil, "name at least one incident"))
	}
	if len(tickets) > desk.MaxPageSize {
		return nil, desk.InvalidFields(desk.Invalid("tickets", desk.RuleTooMany, desk.Params{"max": desk.MaxPageSize}, "at most %d at a time", desk.MaxPageSize))
	}
	res := &LinkResult{Problem: p}
	for _, ref := range tickets {
		held, number, err := s.linkOne(ctx, u, p, ref)
		if err != nil {
			if len(tickets) == 1 {
				return nil, err
			}
			res.Skipped = append(res.Skipped, Skipped{Ticket: ref, Code: desk.ErrorCode(err), Reason: desk.ErrorMessage(err)})
			continue
		}
		res.Linked = append(res.Linked, number)
		if held {
			res.Held = append(res.Held, number)
		}
	}
	res.Problem, err = s.store.Problem(ctx, p.ID)
	return res, err
}

// linkOne links one incident and writes its entries (on hold awaiting
// the problem, or a linked entry; the workaround) in one transaction,
// reading the ticket again when it changed meanwhile.
func (s *Service) linkOne(ctx context.Context, u *desk.User, p *Problem, ref string) (held bool, number string, err error) {
	for attempt := 1; ; attempt++ {
		held, number, err = s.tryLink(ctx, u, p, ref)
		if attempt == 10 || desk.ErrorCode(err) != desk.ESTALE {
			return held, number, err
		}
	}
}

func (s *Service) tryLink(ctx context.Context, u *desk.User, p *Problem, ref string) (held bool, number string, err error) {
	_, t, err := s.desk.TicketForWrite(ctx, strings.TrimSpace(ref))
	if err != nil {
		return false, "", err
	}
	if t.Type != desk.TypeIncident {
		return false, t.Number, desk.Refusef(desk.EINVALID, desk.RuleNotAllowed, desk.Params{"type": string(t.Type)},
			"%s is a service request: only incidents are linked to problems", t.Number)
	}
	if t.State.IsFinal() {
		return false, t.Number, desk.Refusef(desk.ECONFLICT, desk.RuleNotOpen, desk.Params{"state": string(t.State)},
			"ticket %s is %s", t.Number, t.State)
	}
	held = t.State == desk.StateInProgress
	w, err := s.linkWrite(ctx, u, p, t, held)
	if err != nil {
		return false, t.Number, err
	}
	err = s.store.LinkIncident(ctx, Link{ProblemID: p.ID, TicketID: t.ID, LinkedAt: s.clock.Now(), LinkedBy: u.ID}, w)
	if err != nil {
		return false, t.Number, err
	}
	s.desk.AfterWrite(ctx, w.Ticket, u)
	return held, t.Number, nil
}

// linkWrite prepares a linked incident's entries: on hold awaiting the
// problem (held) or a linked entry, then the workaround of a known error
// as an internal note.
func (s *Service) linkWrite(ctx context.Context, u *desk.User, p *Problem, t *desk.Ticket, held bool) (desk.TicketWrite, error) {
	why := []string{"problem", p.Number()}
	var notes []desk.SystemNote
	if p.IsKnownError() {
		notes = append(notes, desk.SystemNote{Body: p.Workaround, Code: desk.ReasonWorkaround, Params: why})
	}
	if !held {
		return s.desk.Prepare(ctx, t, u, append([]desk.SystemNote{{Kind: desk.EventLinked, Code: desk.ReasonProblemLinked, Params: why}}, notes...)...)
	}
	w, err := s.desk.PrepareTransition(ctx, t, u, desk.TransitionInput{To: desk.StateOnHold, HoldReason: desk.HoldAwaitingProblem,
		Because: desk.ReasonAwaitingProblem, BecauseParams: why})
	if err != nil || len(notes) == 0 {
		return w, err
	}
	n, err := s.desk.Prepare(ctx, w.Ticket, u, notes...)
	if err != nil {
		return w, err
	}
	// The timers after the note are the ticket's from then on, as when the
	// two were saved one after the other.
	if n.Timers != nil {
		w.Timers = n.Timers
	}
	w.Events = append(w.Events, n.Events...)
	return w, nil
}

// Unlink removes an incident's link (staff); one on hold awaiting the
// problem goes back in progress.
func (s *Service) Unlink(ctx context.Context, ref, ticketRef string) error {
	if _, err := staff(ctx); err != nil {
		return err
	}
	p, err := s.Problem(ctx, ref)
	if err != nil {
		return err
	}
	t, err := s.desk.Ticket(ctx, ticketRef)
	if err != nil {
		return err
	}
	if err := s.store.UnlinkIncident(ctx, p.ID, t.ID); err != nil {
		return err
	}
	why := []string{"problem", p.Number()}
	if t.State == desk.StateOnHold && t.HoldReason == desk.HoldAwaitingProblem {
		_, err = s.desk.Transition(ctx, t.Number, desk.TransitionInput{To: desk.StateInProgress,
			AssigneeID: assigneeID(t), Because: desk.ReasonProblemUnlinked, BecauseParams: why})
		if err == nil {
			return nil
		}
	}
	if t.State.IsFinal() {
		return nil
	}
	_, err = s.desk.Annotate(ctx, t.Number, desk.SystemNote{Kind: desk.EventUnlinked, Code: desk.ReasonProblemUnlinked, Params: why})
	return err
}

func assigneeID(t *desk.Ticket) int64 {
	if t.Assignee != nil {
		return t.Assignee.ID
	}
	return 0
}

// Incident is a linked incident as the problem page lists it.
type Incident struct {
	Ticket *desk.Ticket
	Link   Link
}

// IncidentPage is a page of a problem's incidents.
type IncidentPage struct {
	Incidents []Incident
	Hidden    int   // linked incidents on this page the actor may not see, security cases left out
	Next      int64 // ticket id to continue after; 0 on the last page
}

// Incidents returns a page of a problem's incidents the actor may see
// (restricted tickets only to those who may see them), by ticket id.
func (s *Service) Incidents(ctx context.Context, ref string, after int64, limit int) (*IncidentPage, error) {
	p, err := s.Problem(ctx, ref)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > desk.MaxPageSize {
		limit = 100
	}
	links, err := s.store.ProblemIncidents(ctx, p.ID, after, limit+1)
	if err != nil {
		return nil, err
	}
	out := &IncidentPage{}
	if len(links) > limit {
		links = links[:limit]
		out.Next = links[limit-1].TicketID
	}
	for _, l := range links {
		t, err := s.desk.Ticket(ctx, fmt.Sprint(l.TicketID))
		switch desk.ErrorCode(err) {
		case "":
			out.Incidents = append(out.Incidents, Incident{Ticket: t, Link: l})
		case desk.ENOTFOUND, desk.EFORBIDDEN:
			if secret, err := s.securityCase(ctx, l.TicketID); err != nil {
				return nil, err
			} else if !secret {
				out.Hidden++
			}
		default:
			return nil, err
		}
	}
	return out, nil
}

// securityCase reports whether ticket id is a security case, whose
// existence a problem tells nobody outside it (not even as a number of
// hidden incidents).
func (s *Service) securityCase(ctx context.Context, id int64) (bool, error) {
	t, err := s.desk.Ticket(desk.AsSystem(context.WithoutCancel(ctx)), fmt.Sprint(id))
	if err != nil {
		return false, err
	}
	return t.Security, nil
}

// TicketProblem returns the problem a ticket is linked to (staff), nil
// when none.
func (s *Service) TicketProblem(ctx context.Context, ticketRef string) (*Problem, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	t, err := s.desk.Ticket(ctx, ticketRef)
	if err != nil {
		return nil, err
	}
	l, err := s.store.TicketProblem(ctx, t.ID)
	if desk.ErrorCode(err) == desk.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.store.Problem(ctx, l.ProblemID)
}

// CreateFromIncident records a problem prefilled from an incident (its
// title, description, category, service and group where in leaves them
// empty) and links the incident to it (staff).
func (s *Service) CreateFromIncident(ctx context.Context, ticketRef string, in Input) (*LinkResult, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	t, err := s.desk.Ticket(ctx, ticketRef)
	if err != nil {
		return nil, err
	}
	// A security case lends nothing of its text: problems are read by all
	// staff, the case only by its members.
	if strings.TrimSpace(in.Title) == "" && !t.Security {
		in.Title = t.Title
	}
	if in.Description == "" && !t.Security {
		in.Description = strings.TrimSpace(t.Description + "\n\n" + t.Symptoms)
	}
	if in.CategoryID == 0 {
		in.CategoryID = refID(t.Subcategory, t.Category)
	}
	if in.ServiceID == 0 {
		in.ServiceID = refID(t.Service)
	}
	if in.GroupID == 0 {
		in.GroupID = t.Group.ID
	}
	p, err := s.Create(ctx, in)
	if err != nil {
		return nil, err
	}
	return s.Link(ctx, fmt.Sprint(p.ID), []string{t.Number})
}

// refID is the id of the first set ref, 0 when none is.
func refID(refs ...*desk.Ref) int64 {
	for _, r := range refs {
		if r != nil {
			return r.ID
		}
	}
	return 0
}

// KnownErrors returns the known errors matching a ticket's category
// (or its parent) and service: what the agent sees above the checklist.
func (s *Service) KnownErrors(ctx context.Context, t *desk.Ticket) ([]*Problem, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	var cats []int64
	for _, r := range []*desk.Ref{t.Subcategory, t.Category} {
		if r != nil {
			cats = append(cats, r.ID)
		}
	}
	if len(cats) == 0 && t.Service == nil {
		return nil, nil
	}
	return s.store.KnownErrors(ctx, cats, refID(t.Service), 5)
}
