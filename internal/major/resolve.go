package major

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// ResolveInput resolves a major incident: the parent ticket with Code and
// Notes (the public resolution), and, with Children, every open child with
// the same resolution.
type ResolveInput struct {
	Code     desk.ResolutionCode
	Notes    string
	Children bool
}

// Skipped is a child left as it was, and why.
type Skipped struct {
	Number string
	Reason string
}

// ResolveResult says which tickets were resolved.
type ResolveResult struct {
	Incident *Incident
	Resolved []string
	Skipped  []Skipped
	Review   *Review
}

// Resolve resolves the major incident and its parent ticket (each ticket
// through the desk, so each requester hears of it once, by the desk's own
// resolution notice), optionally its children, and creates the review.
func (s *Service) Resolve(ctx context.Context, id int64, in ResolveInput) (*ResolveResult, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	m, err := s.activeMajor(ctx, id)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Notes) == "" {
		return nil, desk.InvalidFields(desk.Invalid("resolution_notes", desk.RuleRequired, nil, "is required"))
	}
	res := &ResolveResult{Incident: m}
	tickets := []Child{{TicketID: m.TicketID, Number: m.Number}}
	if in.Children {
		kids, err := s.ms.Children(ctx, m.ID)
		if err != nil {
			return nil, err
		}
		tickets = append(tickets, kids...)
	}
	for i, c := range tickets {
		if err := s.resolveTicket(ctx, c.TicketID, in); err != nil {
			if i == 0 && desk.ErrorCode(err) != desk.ECONFLICT {
				return nil, err
			}
			res.Skipped = append(res.Skipped, Skipped{Number: c.Number, Reason: desk.ErrorMessage(err)})
			continue
		}
		res.Resolved = append(res.Resolved, c.Number)
	}
	now := s.clock.Now()
	m.State, m.ResolvedAt, m.Resolution = StateResolved, &now, strings.TrimSpace(in.Notes)
	e := said(Entry{At: now, ActorID: u.ID, Kind: EntryResolved, Key: true}, desk.ReasonMajorResolved,
		"code", string(in.Code), "resolved", strconv.Itoa(len(res.Resolved)), "skipped", strconv.Itoa(len(res.Skipped)))
	review, err := s.prefill(ctx, m, now)
	if err != nil {
		return nil, err
	}
	msgs, err := s.stakeholderNotice(ctx, m)
	if err != nil {
		return nil, err
	}
	if err := s.ms.SaveMajor(ctx, Save{Incident: m, Entries: []Entry{e}, Review: review, Outbox: msgs}); err != nil {
		return nil, err
	}
	res.Review = review
	return res, nil
}

// resolveTicket resolves one ticket through the desk as part of the major
// incident's resolution: the resolver need not be in the ticket's group
// (desk.ResolveAsPart says why).
func (s *Service) resolveTicket(ctx context.Context, ticketID int64, in ResolveInput) error {
	ref := idRef(ticketID)
	t, err := s.desk.Ticket(ctx, ref)
	if err != nil {
		return err
	}
	switch t.State {
	case desk.StateResolved, desk.StateClosed, desk.StateCanceled:
		return desk.Refusef(desk.ECONFLICT, desk.RuleNotOpen, nil, "%s is already %s", t.Number, t.State)
	}
	_, err = s.desk.ResolveAsPart(ctx, ref, desk.TransitionInput{ResolutionCode: in.Code, ResolutionNotes: in.Notes, IfVersion: t.Version})
	return err
}

// stakeholderNotice queues the resolution to the stakeholders.
func (s *Service) stakeholderNotice(ctx context.Context, m *Incident) ([]desk.OutboxMessage, error) {
	holders, err := s.ms.Stakeholders(ctx, m.ID, m.ServiceID)
	if err != nil {
		return nil, err
	}
	var out []desk.OutboxMessage
	for _, h := range holders {
		p := map[string]string{"major": m.Number, "title": m.Title, "resolution": m.Resolution, "stakeholder": "true"}
		if h.UserID == 0 {
			p["to"] = h.Email
		}
		out = append(out, desk.OutboxMessage{Kind: OutboxResolved, UserID: h.UserID, Payload: p})
	}
	return out, nil
}

// prefill builds the review from the key timeline entries and the counts.
func (s *Service) prefill(ctx context.Context, m *Incident, now time.Time) (*Review, error) {
	tl, err := s.timeline(ctx, m)
	if err != nil {
		return nil, err
	}
	kids, err := s.ms.Children(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	parent, err := s.st.GetTicket(ctx, m.TicketID)
	if err != nil {
		return nil, err
	}
	f := ImpactFacts{Children: len(kids), ByAlert: parent.Channel == desk.ChannelMonitoring}
	req := map[int64]bool{parent.Requester.ID: true}
	for _, k := range kids {
		req[k.Requester] = true
		if k.Channel == desk.ChannelMonitoring {
			f.ByAlert = f.ByAlert || k.ReportedAt.Equal(m.FirstAlertAt)
		}
	}
	f.Requesters = len(req)
	if s.components != nil {
		if f.Components, err = s.components(ctx, m); err != nil {
			return nil, err
		}
	}
	for i := range tl { // the review is a document: written in the installation's language
		tl[i].Text = tl[i].Words(s.cfg.Language)
	}
	m2 := *m
	m2.ResolvedAt = &now
	return Prefill(&m2, tl, f, now), nil
}

// Close closes a resolved major incident; with the review gate on, only
// once its review is published.
func (s *Service) Close(ctx context.Context, id int64) (*Incident, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	m, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if m.State != StateResolved {
		return nil, desk.Refusef(desk.ECONFLICT, desk.RuleTransition, desk.Params{"from": string(m.State), "to": "closed"},
			"only a resolved major incident can be closed")
	}
	if s.cfg.ReviewGate {
		r, err := s.ms.GetReview(ctx, id)
		if err != nil && desk.ErrorCode(err) != desk.ENOTFOUND {
			return nil, err
		}
		if r == nil || r.State != ReviewPublished {
			return nil, desk.Refusef(desk.ECONFLICT, desk.RuleNotAllowed, desk.Params{"requires": "published_review"}, "the post-incident review must be published before the major incident closes")
		}
	}
	now := s.clock.Now()
	m.State, m.ClosedAt = StateClosed, &now
	e := said(Entry{At: now, ActorID: u.ID, Kind: EntryClosed}, desk.ReasonMajorClosed)
	return m, s.ms.SaveMajor(ctx, Save{Incident: m, Entries: []Entry{e}})
}
