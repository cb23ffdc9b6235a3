package web

import (
	"slices"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
)

// The triage panel of the agent's ticket page (issue 13): the fields the
// desk set by itself that nobody confirmed or corrected yet, with Confirm;
// and the model's suggestions of category and service where they differ
// from the ticket's, with the words that weighed most and Accept.
func init() {
	registerArea("triage_ticket", func(s *server) {
		if s.opts.Triage == nil {
			return
		}
		s.post("/tickets/{ref}/triage/confirm", staffOnly, s.triageConfirm)
		s.post("/tickets/{ref}/triage/accept", staffOnly, s.triageAccept)
	})
}

type triagePanel struct {
	Pending     []desk.TriageDecision
	Suggestions []triageSuggestion
	Status      triagedesk.Status
}

type triageSuggestion struct {
	triagedesk.FieldSuggestion
	Pct string
}

// acceptable are the fields a suggestion may be accepted for on the page.
var acceptable = []string{"category", "service"}

func (s *server) triageTicketPanel(rq *request, t *desk.Ticket) (*triagePanel, error) {
	if s.opts.Triage == nil || t.State.IsFinal() {
		return nil, nil
	}
	p := &triagePanel{}
	ds, err := s.desk.TriageDecisions(rq.ctx, t.Number)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if !d.Settled() {
			p.Pending = append(p.Pending, d)
		}
	}
	sg, err := s.opts.Triage.Suggest(rq.ctx, t.Title, t.Description)
	if desk.ErrorCode(err) == desk.EINVALID {
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	p.Status = sg.Status
	for _, f := range sg.Fields {
		cur := t.Category
		if f.Field == "service" {
			cur = t.Service
		}
		if slices.Contains(acceptable, f.Field) && (cur == nil || cur.ID != f.ID) {
			p.Suggestions = append(p.Suggestions, triageSuggestion{f, pct(f.Confidence)})
		}
	}
	return p, nil
}

func (s *server) triageConfirm(rq *request) error {
	return s.ticketAction(rq, "triage_confirm", func(int) error {
		_, err := s.desk.ConfirmTriage(rq.ctx, rq.ref(), nil)
		return err
	})
}

// triageAccept sets a field to the model's current suggestion for it.
func (s *server) triageAccept(rq *request) error {
	return s.ticketAction(rq, "triage_accept", func(version int) error {
		field := rq.r.PostFormValue("field")
		if !slices.Contains(acceptable, field) {
			return desk.InvalidFields(desk.Invalid("field", desk.RuleOneOf, desk.Params{"values": "category, service"}, "must be category or service"))
		}
		t, err := s.desk.Ticket(rq.ctx, rq.ref())
		if err != nil {
			return err
		}
		sg, err := s.opts.Triage.Suggest(rq.ctx, t.Title, t.Description)
		if err != nil {
			return err
		}
		for _, f := range sg.Fields {
			if f.Field == field {
				p := desk.TicketPatch{IfVersion: version}
				if field == "category" {
					p.CategoryID = &f.ID
				} else {
					p.ServiceID = &f.ID
				}
				_, err = s.desk.UpdateTicket(rq.ctx, t.Number, p)
				return err
			}
		}
		return desk.Refusef(desk.ECONFLICT, desk.RuleTaken, nil, "the model no longer suggests a %s for this ticket", field)
	})
}
