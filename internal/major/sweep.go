package major

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// SweepResult counts what one sweep did.
type SweepResult struct {
	Warned, Paged, Declared, Attached int
}

// Sweep gives every active major incident what its cadence owes at now (a
// warning to the comms lead, or a page to the commander's group), and runs
// the rules. It runs as the system and is safe on several instances: each
// change is stored with the incident's version check, so a second
// instance's identical change is refused (ESTALE) and skipped.
func (s *Service) Sweep(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	now := s.clock.Now()
	due, err := s.ms.DueMajors(ctx, now.Add(5*time.Minute))
	if err != nil {
		return res, err
	}
	var errs []error
	for _, m := range due {
		act := DueAction(m, now)
		if act == CadenceNone {
			continue
		}
		err := s.cadence(ctx, m, act, now)
		switch {
		case desk.ErrorCode(err) == desk.ESTALE:
		case err != nil:
			errs = append(errs, fmt.Errorf("cadence of major incident %d: %w", m.ID, err))
		case act == CadenceWarn:
			res.Warned++
		default:
			res.Paged++
		}
	}
	if err := s.runRules(ctx, now, &res); err != nil {
		errs = append(errs, err)
	}
	return res, errors.Join(errs...)
}

func (s *Service) cadence(ctx context.Context, m *Incident, act CadenceAction, now time.Time) error {
	due := m.NextUpdateDue
	p := map[string]string{"major": m.Number, "title": m.Title, "due_at": due.UTC().Format(time.RFC3339)}
	sv := Save{Incident: m}
	if act == CadenceWarn {
		m.WarnedFor = due
		to := m.CommsLeadID
		if to == 0 {
			to = m.CommanderID
		}
		sv.Outbox = []desk.OutboxMessage{{Kind: OutboxCadenceWarning, TicketID: m.TicketID, UserID: to, Payload: p}}
		sv.Entries = []Entry{said(Entry{At: now, Kind: EntryCadenceWarned}, desk.ReasonMajorUpdateDueSoon, "due", hhmm(due))}
		return s.ms.SaveMajor(ctx, sv)
	}
	m.WarnedFor, m.PagedFor = due, due
	e, page, paging, err := s.missedPage(ctx, m, now)
	if err != nil {
		return err
	}
	p["paging"] = paging
	sv.Outbox = []desk.OutboxMessage{{Kind: OutboxCadenceMissed, TicketID: m.TicketID, UserID: m.CommanderID, Payload: p}}
	sv.Entries = []Entry{e}
	if page != nil {
		sv.Pages = []desk.Page{*page}
	}
	return s.ms.SaveMajor(ctx, sv)
}

// Paging outcomes of a missed update, as the commander's mail says them
// (payload "paging").
const (
	PagingStarted = "started" // a page started on the commander's group
	PagingRunning = "running" // that group's page on the parent already runs
	PagingNone    = "none"    // nobody paged: no group, or no active policy
)

// missedPage decides the page a missed update owes: one through the
// commander group's escalation policy; or, when that policy is already
// paging on the parent (a page runs per ticket and group), none, and the
// entry says so and since when; or, without a group or an active policy,
// none, and the entry says why. The store refuses the page if another
// starts meanwhile (ECONFLICT), so a page is never dropped silently.
func (s *Service) missedPage(ctx context.Context, m *Incident, now time.Time) (Entry, *desk.Page, string, error) {
	due := hhmm(m.NextUpdateDue)
	e := Entry{At: now, Kind: EntryCadenceMissed, Key: true}
	if m.CommanderGroupID == 0 {
		return said(e, desk.ReasonMajorUpdateMissed, "due", due), nil, PagingNone, nil
	}
	pol, err := s.st.EscalationPolicy(ctx, m.CommanderGroupID)
	if desk.ErrorCode(err) == desk.ENOTFOUND || err == nil && !pol.Active {
		g, err := s.st.GetGroup(ctx, m.CommanderGroupID)
		if err != nil {
			return e, nil, "", err
		}
		return said(e, desk.ReasonMajorMissedNoPolicy, "due", due, "group", g.Name), nil, PagingNone, nil
	}
	if err != nil {
		return e, nil, "", err
	}
	pages, err := s.st.TicketPages(ctx, m.TicketID)
	if err != nil {
		return e, nil, "", err
	}
	for _, pg := range pages {
		if pg.GroupID == pol.GroupID && pg.State == desk.PageActive && !pg.ForStakeholder() {
			return said(e, desk.ReasonMajorMissedPageOn, "due", due, "policy", pol.Name, "since", hhmm(pg.StartedAt)), nil, PagingRunning, nil
		}
	}
	why := desk.ReasonParams{"major": m.Number}
	page := &desk.Page{TicketID: m.TicketID, GroupID: pol.GroupID, Policy: *pol, Purpose: desk.PurposeMajorUpdate, ReasonCode: desk.ReasonMajorPageUpdateMiss,
		ReasonParams: why, Reason: desk.ReasonText(desk.ReasonMajorPageUpdateMiss, why), State: desk.PageActive, StartedAt: now, NextAt: &now}
	return said(e, desk.ReasonMajorMissedPaging, "due", due, "policy", pol.Name), page, PagingStarted, nil
}

// runRules declares and attaches by the enabled rules.
func (s *Service) runRules(ctx context.Context, now time.Time, res *SweepResult) error {
	rules, err := s.ms.ListRules(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, r := range rules {
		if !r.Enabled {
			continue
		}
		if err := s.runRule(ctx, r, now, res); err != nil && desk.ErrorCode(err) != desk.ESTALE && desk.ErrorCode(err) != desk.ECONFLICT {
			errs = append(errs, fmt.Errorf("major incident rule %q: %w", r.Name, err))
		}
	}
	return errors.Join(errs...)
}

func (s *Service) runRule(ctx context.Context, r Rule, now time.Time, res *SweepResult) error {
	look := max(r.Window, 24*time.Hour)
	m, err := s.ms.ActiveByRule(ctx, r.ID, r.ServiceID)
	if err != nil && desk.ErrorCode(err) != desk.ENOTFOUND {
		return err
	}
	if m != nil { // attach what opened on the service since
		cands, err := s.ms.Unattached(ctx, r.ServiceID, m.DeclaredAt.Add(-look))
		if err != nil || len(cands) == 0 {
			return err
		}
		kids, err := s.ticketsOf(ctx, cands)
		if err != nil || len(kids) == 0 {
			return err
		}
		sv := Save{Incident: m}
		s.attach(&sv, kids, 0, now)
		res.Attached += len(kids)
		return s.ms.SaveMajor(ctx, sv)
	}
	cands, err := s.ms.Unattached(ctx, r.ServiceID, now.Add(-look))
	if err != nil {
		return err
	}
	parentID, childIDs, ok := r.Decide(cands, now)
	if !ok {
		return nil
	}
	return s.declareByRule(ctx, r, parentID, childIDs, now, res)
}

func (s *Service) declareByRule(ctx context.Context, r Rule, parentID int64, childIDs []int64, now time.Time, res *SweepResult) error {
	parent, err := s.st.GetTicket(ctx, parentID)
	if err != nil {
		return err
	}
	m, entries, err := s.newIncident(ctx, parent, DeclareInput{CommanderID: r.CommanderID}, 0, now)
	if err != nil {
		return err
	}
	m.Trigger = "rule: " + r.Name
	entries[0] = said(entries[0], desk.ReasonMajorDeclaredByRule, "ticket", m.Number, "cadence", m.Cadence.String(), "rule", r.Name)
	var kids []*desk.Ticket
	for _, id := range childIDs {
		t, err := s.st.GetTicket(ctx, id)
		if err != nil {
			return err
		}
		kids = append(kids, t)
	}
	sv := Save{Incident: m, Entries: entries, RuleID: r.ID}
	s.attach(&sv, kids, 0, now)
	if sv.Outbox, err = s.declaredNotice(ctx, m); err != nil {
		return err
	}
	if err := s.pageStakeholders(ctx, &sv, m, desk.ReasonMajorPageDeclared, desk.ReasonParams{"major": m.Number, "title": m.Title}, now); err != nil {
		return err
	}
	if err := s.ms.SaveMajor(ctx, sv); err != nil {
		return err
	}
	res.Declared++
	res.Attached += len(kids)
	return nil
}

func (s *Service) ticketsOf(ctx context.Context, cands []Candidate) ([]*desk.Ticket, error) {
	var out []*desk.Ticket
	for _, c := range cands {
		if c.Restricted {
			continue
		}
		t, err := s.st.GetTicket(ctx, c.TicketID)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}
