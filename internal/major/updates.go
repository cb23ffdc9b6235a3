package major

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Outbox kinds of major incidents (rendered by internal/notify).
const (
	// OutboxUpdate is a public update to a child's requester (UserID and
	// TicketID set) or a stakeholder (UserID, or the payload's "to").
	OutboxUpdate desk.OutboxKind = "major_update"
	// OutboxCadenceWarning warns the comms lead that an update falls due.
	OutboxCadenceWarning desk.OutboxKind = "major_cadence_warning"
	// OutboxCadenceMissed tells the commander an update was missed (the
	// page goes through the on-call engine as well).
	OutboxCadenceMissed desk.OutboxKind = "major_cadence_missed"
	// OutboxDeclared tells the stakeholders of the service at once that a
	// major incident was declared (urgent for those who asked to be paged).
	OutboxDeclared desk.OutboxKind = "major_declared"
	// OutboxResolved tells stakeholders the major incident is resolved
	// (requesters hear it from their own tickets' resolution).
	OutboxResolved desk.OutboxKind = "major_resolved"
)

// PostUpdate posts a public update: it is stored, the next update falls
// due when it says, it is queued once to each requester of the parent
// and children and to each stakeholder, and a page about a missed update
// ends (the update is what it asked for), all in the same transaction.
func (s *Service) PostUpdate(ctx context.Context, id int64, in UpdateInput) (*Update, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	m, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	up, err := in.Check(m, u.ID, now)
	if err != nil {
		return nil, err
	}
	msgs, err := s.audience(ctx, m, updatePayload(m, &up))
	if err != nil {
		return nil, err
	}
	up.Recipients = len(msgs)
	m.NextUpdateDue = up.NextAt
	e := Entry{At: now, ActorID: u.ID, Kind: EntryUpdatePosted, Key: true}
	if up.OnTime {
		e = said(e, desk.ReasonMajorUpdatePosted, "recipients", strconv.Itoa(len(msgs)), "affected", oneLine(up.Affected), "doing", oneLine(up.Doing))
	} else {
		e = said(e, desk.ReasonMajorUpdateLate, "recipients", strconv.Itoa(len(msgs)), "affected", oneLine(up.Affected),
			"doing", oneLine(up.Doing), "due", hhmm(up.DueAt))
	}
	end := desk.UpdatePostedPageEnd(m.TicketID, &desk.Ref{ID: u.ID, Name: u.Name}, now)
	sv := Save{Incident: m, Update: &up, Entries: []Entry{e}, Outbox: msgs, EndPages: &end}
	err = s.pageStakeholders(ctx, &sv, m, desk.ReasonMajorPageUpdate, desk.ReasonParams{"major": m.Number, "affected": oneLine(up.Affected)}, now)
	if err != nil {
		return nil, err
	}
	if err := s.ms.SaveMajor(ctx, sv); err != nil {
		return nil, err
	}
	return &up, nil
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

func updatePayload(m *Incident, up *Update) map[string]string {
	return map[string]string{"major": m.Number, "affected": up.Affected, "doing": up.Doing,
		"next_at": up.NextAt.UTC().Format(time.RFC3339), "posted_at": up.PostedAt.UTC().Format(time.RFC3339)}
}

// audience returns one message per requester of the parent and children
// (about their own ticket) and per stakeholder, each address once.
func (s *Service) audience(ctx context.Context, m *Incident, payload map[string]string) ([]desk.OutboxMessage, error) {
	kids, err := s.ms.Children(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	tickets := append([]Child{{TicketID: m.TicketID, Number: m.Number, Title: m.Title}}, kids...)
	seen := map[int64]bool{}
	var out []desk.OutboxMessage
	for _, c := range tickets {
		t, err := s.st.GetTicket(ctx, c.TicketID)
		if err != nil {
			return nil, err
		}
		if seen[t.Requester.ID] || t.Requester.ID == 0 || !t.State.IsOpen() && t.State != desk.StateResolved {
			continue
		}
		seen[t.Requester.ID] = true
		p := clone(payload)
		p["ticket"], p["title"] = t.Number, t.Title
		out = append(out, desk.OutboxMessage{Kind: OutboxUpdate, TicketID: t.ID, UserID: t.Requester.ID, Payload: p})
	}
	holders, err := s.ms.Stakeholders(ctx, m.ID, m.ServiceID)
	if err != nil {
		return nil, err
	}
	addrs := map[string]bool{}
	for _, h := range holders {
		if (h.UserID != 0 && seen[h.UserID]) || addrs[strings.ToLower(h.Email)] {
			continue
		}
		p := clone(payload)
		p["title"] = m.Title
		p["stakeholder"] = "true"
		if h.Page {
			p["urgent"] = "true"
		}
		msg := desk.OutboxMessage{Kind: OutboxUpdate, UserID: h.UserID, Payload: p}
		if h.UserID == 0 {
			p["to"] = h.Email
		} else {
			seen[h.UserID] = true
		}
		addrs[strings.ToLower(h.Email)] = true
		out = append(out, msg)
	}
	return out, nil
}

// declaredNotice queues to each stakeholder of m's service, once per
// address, that m was declared: they must not wait for the first update.
func (s *Service) declaredNotice(ctx context.Context, m *Incident) ([]desk.OutboxMessage, error) {
	if m.ServiceID == 0 {
		return nil, nil
	}
	holders, err := s.ms.Stakeholders(ctx, 0, m.ServiceID)
	if err != nil {
		return nil, err
	}
	addrs := map[string]bool{}
	var out []desk.OutboxMessage
	for _, h := range holders {
		if addrs[strings.ToLower(h.Email)] {
			continue
		}
		addrs[strings.ToLower(h.Email)] = true
		p := map[string]string{"major": m.Number, "title": m.Title, "stakeholder": "true",
			"declared_at": m.DeclaredAt.UTC().Format(time.RFC3339), "next_at": m.NextUpdateDue.UTC().Format(time.RFC3339)}
		if h.Page {
			p["urgent"] = "true"
		}
		if h.UserID == 0 {
			p["to"] = h.Email
		}
		out = append(out, desk.OutboxMessage{Kind: OutboxDeclared, UserID: h.UserID, Payload: p})
	}
	return out, nil
}

func clone(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+4)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Updates returns the public updates of a major incident, oldest first.
func (s *Service) Updates(ctx context.Context, id int64) ([]Update, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	return s.ms.Updates(ctx, id)
}

// Children returns the children of a major incident.
func (s *Service) Children(ctx context.Context, id int64) ([]Child, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	return s.ms.Children(ctx, id)
}

// AddStakeholder subscribes a person to a major incident (majorID) or to
// every one of a service (serviceID): a user by id, or an address.
func (s *Service) AddStakeholder(ctx context.Context, h Stakeholder) (*Stakeholder, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if (h.MajorID == 0) == (h.ServiceID == 0) {
		return nil, desk.InvalidFields(desk.Invalid("major_id", desk.RuleConflicts, desk.Params{"with": "service_id"}, "name either a major incident or a service"))
	}
	if h.MajorID != 0 {
		if _, err := s.get(ctx, h.MajorID); err != nil {
			return nil, err
		}
	}
	if h.UserID != 0 {
		u, err := s.st.GetUser(ctx, h.UserID)
		if err != nil {
			return nil, desk.InvalidFields(desk.Invalid("user_id", desk.RuleUnknown, nil, "names no user"))
		}
		h.Email, h.Name = u.Email, u.Name
	}
	addr, ok := plainAddress(h.Email)
	if !ok {
		return nil, desk.InvalidFields(desk.Invalid("email", desk.RuleInvalidEmail, nil, "is not an e-mail address"))
	}
	h.Email, h.CreatedAt = addr, s.clock.Now()
	if err := s.ms.AddStakeholder(ctx, &h); err != nil {
		return nil, err
	}
	return &h, nil
}

// Stakeholders lists the stakeholders of a major incident and its service.
func (s *Service) Stakeholders(ctx context.Context, id int64) ([]Stakeholder, error) {
	m, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.ms.Stakeholders(ctx, m.ID, m.ServiceID)
}

// RemoveStakeholder ends a subscription.
func (s *Service) RemoveStakeholder(ctx context.Context, id int64) error {
	if _, err := staff(ctx); err != nil {
		return err
	}
	return s.ms.RemoveStakeholder(ctx, id)
}

func plainAddress(s string) (string, bool) {
	s = strings.TrimSpace(s)
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || strings.ContainsAny(s, " <>,;\"\r\n") || len(s) > 254 {
		return "", false
	}
	return strings.ToLower(s), true
}

func idRef(id int64) string { return strconv.FormatInt(id, 10) }

// MaxCandidates bounds the incidents Candidates offers.
const MaxCandidates = 200

// Candidates returns the open incidents of a service from the last two
// weeks that belong to no major incident (except the ticket exclude), the
// actor may see, and are not restricted: what a console offers to attach
// in one action. Oldest first, at most MaxCandidates.
func (s *Service) Candidates(ctx context.Context, serviceID, exclude int64) ([]*desk.Ticket, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if serviceID == 0 {
		return nil, nil
	}
	cands, err := s.ms.Unattached(ctx, serviceID, s.clock.Now().Add(-14*24*time.Hour))
	if err != nil {
		return nil, err
	}
	var out []*desk.Ticket
	for _, c := range cands {
		if c.Restricted || c.TicketID == exclude || len(out) == MaxCandidates {
			continue
		}
		t, err := s.desk.Ticket(ctx, idRef(c.TicketID))
		if desk.ErrorCode(err) == desk.ENOTFOUND || desk.ErrorCode(err) == desk.EFORBIDDEN {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// OfTicket returns the major incident whose parent or child the ticket is
// (ENOTFOUND if none), for staff who may see it.
func (s *Service) OfTicket(ctx context.Context, ticketID int64) (*Incident, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	m, err := s.ms.MajorOfTicket(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	return s.get(ctx, m.ID)
}
