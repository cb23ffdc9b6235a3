package major

import (
	"context"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// StakeholderAckWindow is how long a stakeholder's page stays open for an
// acknowledgement before it ends: a stakeholder is paged to know at once,
// through every contact method, not escalated to anyone else.
const StakeholderAckWindow = 15 * time.Minute

// EntryStakeholdersPaged is the timeline entry naming the stakeholders paged.
const EntryStakeholdersPaged EntryKind = "stakeholders_paged"

// stakeholderPages returns the pages owed to the stakeholders in holders
// who asked to be paged, for a notice about m (the page's reason: code and
// params), and the timeline entry naming them. Each is one page to one
// staff user through their contact methods (e-mail to their address when
// they have none), keyed by the user (desk.StakeholderPurpose) so that it
// runs beside the group's own page and the missed-update page. Addresses
// that are no user, and users who are not active staff, get the urgent
// e-mail only; a stakeholder whose earlier page still runs is left to it.
func (s *Service) stakeholderPages(ctx context.Context, m *Incident, holders []Stakeholder, code desk.ReasonCode,
	params desk.ReasonParams, now time.Time) ([]desk.Page, []Entry, error) {
	group, err := s.stakeholderGroup(ctx, m)
	if err != nil || group == 0 {
		return nil, nil, err
	}
	running, err := s.runningPurposes(ctx, m.TicketID, group)
	if err != nil {
		return nil, nil, err
	}
	var pages []desk.Page
	var names []string
	for _, h := range holders {
		purpose := desk.StakeholderPurpose(h.UserID)
		if !h.Page || h.UserID == 0 || running[purpose] {
			continue
		}
		running[purpose] = true
		u, err := s.st.GetUser(ctx, h.UserID)
		if desk.ErrorCode(err) == desk.ENOTFOUND || (err == nil && (!u.Active || !u.Role.IsStaff())) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		pol := desk.EscalationPolicy{GroupID: group, Name: m.Number, Active: true, Priorities: []desk.Priority{m.Priority},
			Steps: []desk.EscalationStep{{UserIDs: []int64{u.ID}, Delay: StakeholderAckWindow}}}
		pages = append(pages, desk.Page{TicketID: m.TicketID, GroupID: group, Policy: pol, Purpose: purpose,
			ReasonCode: code, ReasonParams: params, Reason: desk.ReasonText(code, params), State: desk.PageActive,
			StartedAt: now, NextAt: &now})
		names = append(names, u.Name)
	}
	if len(pages) == 0 {
		return nil, nil, nil
	}
	e := said(Entry{At: now, Kind: EntryStakeholdersPaged}, desk.ReasonMajorStakeholdersPaged, "names", strings.Join(names, ", "))
	return pages, []Entry{e}, nil
}

// stakeholderGroup is the group a stakeholder's page runs under (a page
// belongs to a ticket and a group): the commander's group, else the
// parent's; 0 when there is neither (then nobody is paged).
func (s *Service) stakeholderGroup(ctx context.Context, m *Incident) (int64, error) {
	if m.CommanderGroupID != 0 {
		return m.CommanderGroupID, nil
	}
	t, err := s.st.GetTicket(ctx, m.TicketID)
	if err != nil {
		return 0, err
	}
	return t.Group.ID, nil
}

// runningPurposes returns the purposes of the pages active on ticket in
// group.
func (s *Service) runningPurposes(ctx context.Context, ticket, group int64) (map[string]bool, error) {
	pages, err := s.st.TicketPages(ctx, ticket)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, p := range pages {
		if p.GroupID == group && p.State == desk.PageActive {
			out[p.Purpose] = true
		}
	}
	return out, nil
}

// pageStakeholders adds to sv the pages owed to the stakeholders of m (of
// the incident once it is stored, and of its service) who asked to be
// paged, with their timeline entry.
func (s *Service) pageStakeholders(ctx context.Context, sv *Save, m *Incident, code desk.ReasonCode, params desk.ReasonParams,
	now time.Time) error {
	if m.ID == 0 && m.ServiceID == 0 {
		return nil // declared: only a service has stakeholders yet
	}
	holders, err := s.ms.Stakeholders(ctx, m.ID, m.ServiceID)
	if err != nil {
		return err
	}
	pages, entries, err := s.stakeholderPages(ctx, m, holders, code, params, now)
	if err != nil {
		return err
	}
	sv.Pages = append(sv.Pages, pages...)
	sv.Entries = append(sv.Entries, entries...)
	return nil
}
