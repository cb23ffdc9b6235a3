package web

import (
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/problem"
)

// The problem panel of the agent's ticket page: the problem the incident
// is linked to with its known-error workaround, the known errors matching
// its category and service (the workaround before the diagnosis), and,
// for an incident not linked yet, "create a problem from this" and "link
// to an existing problem" with a search of open problems.
func init() {
	registerArea("problem_ticket", func(s *server) {
		if s.opts.Problems == nil {
			return
		}
		s.post("/tickets/{ref}/problem", staffOnly, s.problemFromTicket)
		s.post("/tickets/{ref}/problem/link", staffOnly, s.problemTicketLink)
		s.post("/tickets/{ref}/problem/unlink", staffOnly, s.problemTicketUnlink)
	})
}

// prbTicket is the problem panel.
type prbTicket struct {
	Linked   *problem.Problem
	Known    []*problem.Problem // known errors matching the ticket, the linked one left out
	Q        string             // the panel's search
	Matches  []*problem.Problem // open problems the search found
	CanLink  bool               // an incident that may still be linked
	Security bool               // a security case: nothing of it is copied into a new problem
}

// prbTicketPanel loads the panel; nil without problem management or for a
// service request.
func (s *server) prbTicketPanel(rq *request, t *desk.Ticket) (*prbTicket, error) {
	svc := s.opts.Problems
	if svc == nil || t.Type != desk.TypeIncident {
		return nil, nil
	}
	p := &prbTicket{Q: strings.TrimSpace(rq.r.URL.Query().Get("prbq")), Security: t.Security,
		CanLink: !t.State.IsFinal()}
	var err error
	if p.Linked, err = svc.TicketProblem(rq.ctx, t.Number); err != nil {
		return nil, err
	}
	known, err := svc.KnownErrors(rq.ctx, t)
	if err != nil {
		return nil, err
	}
	for _, k := range known {
		if p.Linked == nil || k.ID != p.Linked.ID {
			p.Known = append(p.Known, k)
		}
	}
	if p.Q != "" && p.Linked == nil {
		page, err := svc.List(rq.ctx, problem.Filter{Text: p.Q, Limit: 10, States: []problem.State{problem.StateNew,
			problem.StateInvestigating, problem.StateKnownError, problem.StateResolved}})
		if err != nil {
			return nil, err
		}
		p.Matches = page.Problems
	}
	return p, nil
}

// problemFromTicket records a problem prefilled from the incident (its
// title unless another is typed, its description, category, service and
// group), links the incident, and opens the problem.
func (s *server) problemFromTicket(rq *request) error {
	if err := rq.r.ParseForm(); err != nil {
		return err
	}
	res, err := s.opts.Problems.CreateFromIncident(rq.ctx, rq.ref(), problem.Input{Title: rq.r.PostFormValue("title")})
	if err == nil {
		return rq.redirect("/problems/" + res.Problem.Number() + "?done=problem_created")
	}
	return s.ticketAction(rq, "problem_new", func(int) error { return err })
}

// problemTicketLink links the incident to the problem named (a number or
// an id); a closed problem is refused with its reason.
func (s *server) problemTicketLink(rq *request) error {
	return s.ticketAction(rq, "problem_link", func(int) error {
		ref := strings.TrimSpace(rq.r.PostFormValue("problem"))
		if ref == "" {
			return desk.InvalidFields(desk.Invalid("problem", desk.RuleRequired, nil, "name the problem"))
		}
		_, err := s.opts.Problems.Link(rq.ctx, ref, []string{rq.ref()})
		if desk.ErrorCode(err) == desk.ENOTFOUND {
			return desk.InvalidFields(desk.Invalid("problem", desk.RuleUnknown, nil, "no problem %q", ref))
		}
		return err
	})
}

// problemTicketUnlink removes the incident's link to its problem.
func (s *server) problemTicketUnlink(rq *request) error {
	return s.ticketAction(rq, "problem_unlink", func(int) error {
		return s.opts.Problems.Unlink(rq.ctx, rq.r.PostFormValue("problem"), rq.ref())
	})
}
