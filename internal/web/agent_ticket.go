package web

import (
	"encoding/json"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// agentTicketView is the agent's ticket page: the full timeline, the
// requester and their other tickets, and every action the state allows.
type agentTicketView struct {
	*ticketState
	Result       *actionResult
	Requester    *desk.User
	Others       []*desk.Ticket
	Members      []*desk.User
	Escalate     []*desk.Group // groups on a higher line
	Reassign     []*desk.Group // other groups on the same or a lower line
	Categories   []*desk.Category
	Services     []*desk.Service
	MatrixJSON   string // impact → urgency → priority, for the live preview
	Levels       []desk.Level
	Types        []desk.TicketType
	HoldReasons  []desk.HoldReason
	Resolutions  []desk.ResolutionCode
	Can          map[string]bool // allowed transitions, by target state
	CanTake      bool            // "take it and start work" would change something
	OpenForm     string          // the action form to show open
	ManagerGroup bool            // the ticket's group has a manager
	Links        []desk.LinkedTicket
	LinkKinds    []desk.LinkKind
	Zone         string                    // the time zone call times are entered in
	Paging       []desk.PageWithDeliveries // pages in progress on the ticket
	Similar      []desk.SimilarTicket      // resolved tickets like this one
	Reused       []desk.ResolutionReuse    // the tickets whose resolution this one copied
	KB           *kbTicket                 // articles linked and matching (knowledge_ticket.go); nil: no knowledge base
	Triage       *triagePanel              // the model's decisions and suggestions (triage_ticket.go); nil: none
	Problem      *prbTicket                // the linked problem, known errors, create and link (problem_ticket.go); nil: none
	Evidence     *evidencePanel            // a security case's evidence (evidence.go); nil: not one
	Breach       *breachPanel              // a security case's regulatory clocks (security_time.go); nil: not one
	Playbook     *playbookPanel            // a security case's playbook (playbook.go); nil: not one or not a member
	Diagnosis    *dxPanel                  // line 1's checklist and its answers (diagnosis_ticket.go); nil: none
	Diagnoses    map[int64]*dxAnswered     // the answers by timeline entry
}

func (s *server) renderAgentTicket(rq *request, status int, t *desk.Ticket, back *formState) error {
	// The ticket is read once for the page's many calls; an action has
	// written before its page is rendered, so what is read here is fresh.
	rq.ctx = desk.WithTicketMemo(rq.ctx)
	st, err := s.loadTicketState(rq, t)
	if err != nil {
		return err
	}
	v := &agentTicketView{ticketState: st, Levels: desk.Levels, Types: desk.TicketTypes,
		HoldReasons: desk.HoldReasons, Resolutions: desk.ResolutionCodes, Can: map[string]bool{}}
	for _, to := range desk.States {
		v.Can[string(to)] = desk.CanTransition(t.State, to)
	}
	mine := t.Assignee != nil && t.Assignee.ID == rq.user.ID
	v.CanTake = t.State.IsOpen() && !(t.State == desk.StateInProgress && mine)
	if err := s.loadAgentContext(rq, t, v); err != nil {
		return err
	}
	if back == nil {
		return rq.render(status, "agent_ticket", v)
	}
	v.Result, v.OpenForm = back.result, back.result.Form
	return rq.renderForm(status, "agent_ticket", v, back.input, back.errs)
}

// loadAgentContext reads what the actions offer: members, groups,
// categories, services, the priority matrix, the requester's record.
func (s *server) loadAgentContext(rq *request, t *desk.Ticket, v *agentTicketView) error {
	var err error
	if v.Requester, err = s.desk.User(rq.ctx, t.Requester.ID); err != nil {
		return err
	}
	rid := t.Requester.ID
	others, err := s.desk.ListTickets(rq.ctx, desk.TicketFilter{RequesterID: &rid, Sort: desk.SortUpdated,
		Desc: true, Limit: 6})
	if err != nil {
		return err
	}
	for _, o := range others.Tickets {
		if o.ID != t.ID && len(v.Others) < 5 {
			v.Others = append(v.Others, o)
		}
	}
	if v.Members, err = s.desk.GroupMembers(rq.ctx, t.Group.ID); err != nil {
		return err
	}
	groups, err := s.desk.Groups(rq.ctx)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if g.Active && g.Line > t.Group.Line {
			v.Escalate = append(v.Escalate, g)
		}
		if g.Active && g.Line <= t.Group.Line && g.ID != t.Group.ID {
			v.Reassign = append(v.Reassign, g)
		}
		if g.ID == t.Group.ID && g.Manager != nil {
			v.ManagerGroup = true
		}
	}
	if v.Links, err = s.desk.LinksFor(rq.ctx, t); err != nil {
		return err
	}
	if v.Similar, err = s.desk.SimilarTickets(rq.ctx, t.Number); err != nil {
		return err
	}
	if !t.State.IsOpen() {
		if v.Reused, err = s.desk.ResolutionReuses(rq.ctx, t.Number); err != nil {
			return err
		}
	}
	if v.KB, err = s.kbTicketPanel(rq, t); err != nil {
		return err
	}
	if v.Triage, err = s.triageTicketPanel(rq, t); err != nil {
		return err
	}
	if v.Problem, err = s.prbTicketPanel(rq, t); err != nil {
		return err
	}
	if v.Evidence, err = s.evidenceTicketPanel(rq, t); err != nil {
		return err
	}
	if v.Breach, err = s.breachTicketPanel(rq, t); err != nil {
		return err
	}
	if v.Playbook, err = s.playbookTicketPanel(rq, t); err != nil {
		return err
	}
	if v.Diagnosis, v.Diagnoses, err = s.dxTicketPanel(rq, t); err != nil {
		return err
	}
	v.LinkKinds, v.Zone = desk.LinkKinds, rq.loc.String()
	if v.Paging, err = s.activeTicketPages(rq, t); err != nil {
		return err
	}
	_, err = s.ticketChoices(rq, &v.Categories, &v.Services, &v.MatrixJSON)
	return err
}

// ticketChoices loads what a ticket's classification offers, for the agent's
// ticket page and the register form alike: the categories, the services and
// the priority matrix (returned, and as JSON for app.js's live preview).
func (s *server) ticketChoices(rq *request, cats *[]*desk.Category, svcs *[]*desk.Service, matrix *string) (desk.Matrix, error) {
	var err error
	if *cats, err = s.desk.Categories(rq.ctx); err != nil {
		return desk.Matrix{}, err
	}
	if *svcs, err = s.desk.Services(rq.ctx); err != nil {
		return desk.Matrix{}, err
	}
	m, err := s.desk.Matrix(rq.ctx)
	if err != nil {
		return desk.Matrix{}, err
	}
	*matrix = matrixJSON(m)
	return m, nil
}

// matrixJSON is impact → urgency → priority, for app.js's live preview.
func matrixJSON(m desk.Matrix) string {
	mj := map[desk.Level]map[desk.Level]desk.Priority{}
	for _, i := range desk.Levels {
		mj[i] = map[desk.Level]desk.Priority{}
		for _, u := range desk.Levels {
			mj[i][u] = m.Priority(i, u)
		}
	}
	b, _ := json.Marshal(mj) // maps of strings always marshal
	return string(b)
}

func init() {
	registerArea("agent_ticket", func(s *server) {
		for path, h := range map[string]handlerFunc{
			"take": s.agentTake, "assign": s.agentAssign, "priority": s.agentPriority,
			"categorise": s.agentCategorise, "hold": s.agentHold, "escalate": s.agentEscalate,
			"resolve": s.agentResolve, "close": s.agentClose, "cancel": s.agentCancel,
			"reassign": s.agentReassign, "stop": s.agentStop,
		} {
			s.post("/tickets/{ref}/"+path, staffOnly, h)
		}
	})
}

func (rq *request) ref() string { return rq.r.PathValue("ref") }

func (rq *request) formID(name string) int64 {
	id, _ := strconv.ParseInt(rq.r.PostFormValue(name), 10, 64)
	return id
}

// agentTake assigns the ticket to the agent and starts work, from any open
// state (desk.Take).
func (s *server) agentTake(rq *request) error {
	return s.ticketAction(rq, "take", func(version int) error {
		_, err := s.desk.Take(rq.ctx, rq.ref(), version)
		return err
	})
}

// agentStop stops work on a ticket in progress: it stays assigned to its
// assignee, or (to=queue) goes back to its group's unassigned queue.
func (s *server) agentStop(rq *request) error {
	return s.ticketAction(rq, "stop", func(version int) error {
		_, err := s.desk.Transition(rq.ctx, rq.ref(), desk.TransitionInput{To: desk.StateAssigned,
			Unassign: rq.r.PostFormValue("to") == "queue", Reason: rq.r.PostFormValue("reason"), IfVersion: version})
		return err
	})
}

func (s *server) agentAssign(rq *request) error {
	return s.ticketAction(rq, "assign", func(version int) error {
		id := rq.formID("assignee_id")
		_, err := s.desk.UpdateTicket(rq.ctx, rq.ref(), desk.TicketPatch{AssigneeID: &id, IfVersion: version})
		return err
	})
}

func (s *server) agentPriority(rq *request) error {
	return s.ticketAction(rq, "priority", func(version int) error {
		imp, urg := desk.Level(rq.r.PostFormValue("impact")), desk.Level(rq.r.PostFormValue("urgency"))
		_, err := s.desk.UpdateTicket(rq.ctx, rq.ref(), desk.TicketPatch{Impact: &imp, Urgency: &urg,
			Reason: rq.r.PostFormValue("reason"), IfVersion: version})
		return err
	})
}

func (s *server) agentCategorise(rq *request) error {
	return s.ticketAction(rq, "categorise", func(version int) error {
		typ := desk.TicketType(rq.r.PostFormValue("type"))
		cat, sub, svc := rq.formID("category_id"), rq.formID("subcategory_id"), rq.formID("service_id")
		_, err := s.desk.UpdateTicket(rq.ctx, rq.ref(), desk.TicketPatch{Type: &typ, CategoryID: &cat,
			SubcategoryID: &sub, ServiceID: &svc, Reason: rq.r.PostFormValue("reason"), IfVersion: version})
		return err
	})
}

func (s *server) agentHold(rq *request) error {
	return s.ticketAction(rq, "hold", func(version int) error {
		_, err := s.desk.Transition(rq.ctx, rq.ref(), desk.TransitionInput{To: desk.StateOnHold,
			HoldReason: desk.HoldReason(rq.r.PostFormValue("hold_reason")), Reason: rq.r.PostFormValue("reason"),
			IfVersion: version})
		return err
	})
}

func (s *server) agentEscalate(rq *request) error {
	return s.ticketAction(rq, "escalate", func(version int) error {
		in := desk.EscalationInput{Kind: desk.EscalateFunctional, GroupID: rq.formID("group_id"),
			Reason: rq.r.PostFormValue("reason"), DiagnosisSkipped: rq.r.PostFormValue("diagnosis_skipped"), IfVersion: version}
		if rq.r.PostFormValue("to") == "manager" {
			in.Kind, in.GroupID = desk.EscalateHierarchical, 0
		}
		_, err := s.desk.Escalate(rq.ctx, rq.ref(), in)
		return err
	})
}

// agentReassign hands the ticket to another group on the same or a lower
// line: the desk counts it as a reassignment (a higher line is escalation).
func (s *server) agentReassign(rq *request) error {
	return s.ticketAction(rq, "reassign", func(version int) error {
		id := rq.formID("group_id")
		_, err := s.desk.UpdateTicket(rq.ctx, rq.ref(), desk.TicketPatch{GroupID: &id,
			Reason: rq.r.PostFormValue("reason"), IfVersion: version})
		return err
	})
}

func (s *server) agentResolve(rq *request) error {
	return s.ticketAction(rq, "resolve", func(version int) error {
		_, err := s.desk.Transition(rq.ctx, rq.ref(), desk.TransitionInput{To: desk.StateResolved,
			ResolutionCode:  desk.ResolutionCode(rq.r.PostFormValue("resolution_code")),
			ResolutionNotes: rq.r.PostFormValue("resolution_notes"), ReusedFrom: rq.r.PostFormValue("reused_from"), IfVersion: version})
		return err
	})
}

func (s *server) agentClose(rq *request) error {
	return s.ticketAction(rq, "close", func(version int) error {
		_, err := s.desk.Transition(rq.ctx, rq.ref(), desk.TransitionInput{To: desk.StateClosed, IfVersion: version})
		return err
	})
}

func (s *server) agentCancel(rq *request) error {
	return s.ticketAction(rq, "cancel", func(version int) error {
		_, err := s.desk.Transition(rq.ctx, rq.ref(), desk.TransitionInput{To: desk.StateCanceled,
			Reason: rq.r.PostFormValue("reason"), IfVersion: version})
		return err
	})
}
