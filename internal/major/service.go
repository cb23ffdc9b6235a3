package major

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Config holds the major-incident rules an installation may change.
type Config struct {
	// ReviewGate keeps a resolved major incident from closing until its
	// review is published (default on).
	ReviewGate bool
	// MaxChildren bounds one attach (default 500).
	MaxChildren int
	// Language is the installation's (en, ru): a review's prefilled
	// timeline is written in it (default en).
	Language string
}

// DefaultConfig is the configuration of a fresh installation.
var DefaultConfig = Config{ReviewGate: true, MaxChildren: 500}

// Service applies the major-incident rules. Tickets are read and changed
// through the desk (its authorisation and state machine); users, events
// and escalation policies are read from the desk's store.
type Service struct {
	desk  *desk.Desk
	st    desk.Store
	ms    Store
	clock desk.Clock
	cfg   Config
	// components names the status-page components of a major incident's
	// service, for the review's impact (nil: none).
	components func(ctx context.Context, m *Incident) ([]string, error)
}

// SetComponents tells the service how to name a major incident's affected
// components (the status page's, when it is wired).
func (s *Service) SetComponents(fn func(ctx context.Context, m *Incident) ([]string, error)) {
	s.components = fn
}

// New returns a Service.
func New(d *desk.Desk, st desk.Store, ms Store, clock desk.Clock, cfg Config) *Service {
	if cfg.MaxChildren <= 0 {
		cfg.MaxChildren = DefaultConfig.MaxChildren
	}
	return &Service{desk: d, st: st, ms: ms, clock: clock, cfg: cfg}
}

// Config returns the rules the service runs with.
func (s *Service) Config() Config { return s.cfg }

// staff returns the acting staff member.
func staff(ctx context.Context) (*desk.User, error) {
	u := desk.ActorFrom(ctx)
	if u == nil || !u.Active {
		return nil, desk.Errorf(desk.EUNAUTHENTICATED, "authentication required")
	}
	if !u.Role.IsStaff() {
		return nil, desk.Errorf(desk.EFORBIDDEN, "only service-desk staff may work major incidents")
	}
	return u, nil
}

// DeclareInput is a declaration from a person (button, API, CLI).
type DeclareInput struct {
	CommanderID int64
	CommsLeadID int64
	Responders  []int64
	BridgeURL   string
	// Cadence, when zero, is DefaultCadence of the parent's priority.
	Cadence  time.Duration
	Children []string // ticket numbers or ids attached at once
}

// Declare makes the incident ref the parent of a new major incident.
func (s *Service) Declare(ctx context.Context, ref string, in DeclareInput) (*Incident, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	parent, err := s.desk.Ticket(ctx, ref)
	if err != nil {
		return nil, err
	}
	if err := s.checkDeclare(ctx, parent, in); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	m, entries, err := s.newIncident(ctx, parent, in, u.ID, now)
	if err != nil {
		return nil, err
	}
	kids, err := s.loadChildren(ctx, m, in.Children)
	if err != nil {
		return nil, err
	}
	sv := Save{Incident: m, Entries: entries}
	s.attach(&sv, kids, u.ID, now)
	if sv.Outbox, err = s.declaredNotice(ctx, m); err != nil {
		return nil, err
	}
	if err := s.pageStakeholders(ctx, &sv, m, desk.ReasonMajorPageDeclared, desk.ReasonParams{"major": m.Number, "title": m.Title}, now); err != nil {
		return nil, err
	}
	if err := s.ms.SaveMajor(ctx, sv); err != nil {
		return nil, fmt.Errorf("declare major incident on %s: %w", parent.Number, err)
	}
	return m, nil
}

func (s *Service) checkDeclare(ctx context.Context, parent *desk.Ticket, in DeclareInput) error {
	if parent.Security {
		return desk.Refusef(desk.ECONFLICT, desk.RuleSecurityCase, nil, "%s is a security case: never part of a coordinated, public response", parent.Number)
	}
	if parent.Type != desk.TypeIncident || !parent.State.IsOpen() {
		return desk.Refusef(desk.ECONFLICT, desk.RuleNotOpen, desk.Params{"state": string(parent.State)},
			"only an open incident can become a major incident")
	}
	if _, err := s.ms.MajorOfTicket(ctx, parent.ID); err == nil {
		return desk.Refusef(desk.ECONFLICT, desk.RuleTaken, nil, "%s already belongs to a major incident", parent.Number)
	} else if desk.ErrorCode(err) != desk.ENOTFOUND {
		return err
	}
	var fields []desk.FieldError
	if in.CommanderID <= 0 {
		fields = append(fields, desk.Invalid("commander_id", desk.RuleRequired, nil, "is required: a major incident needs a commander"))
	}
	if !checkBridge(in.BridgeURL) {
		fields = append(fields, desk.Invalid("bridge_url", desk.RuleInvalidFmt, desk.Params{"format": "url"}, "must be an http(s), tel or sip link"))
	}
	if in.Cadence != 0 && (in.Cadence < MinCadence || in.Cadence > MaxCadence) {
		fields = append(fields, desk.Invalid("cadence_minutes", desk.RuleOutOfRange, desk.Params{"min": 5, "max": 1440}, "must be between 5 and 1440 minutes"))
	}
	if len(in.Children) > s.cfg.MaxChildren {
		fields = append(fields, desk.Invalid("children", desk.RuleTooMany, desk.Params{"max": s.cfg.MaxChildren}, "at most %d at once", s.cfg.MaxChildren))
	}
	if len(fields) > 0 {
		return desk.InvalidFields(fields...)
	}
	return nil
}

// newIncident builds the major incident over parent and its first entries.
func (s *Service) newIncident(ctx context.Context, parent *desk.Ticket, in DeclareInput, by int64, now time.Time) (*Incident, []Entry, error) {
	cmd, err := s.staffMember(ctx, "commander_id", in.CommanderID)
	if err != nil {
		return nil, nil, err
	}
	m := &Incident{TicketID: parent.ID, Number: parent.Number, Title: parent.Title, Priority: parent.Priority,
		State: StateActive, CommanderID: cmd.ID, CommanderGroupID: commanderGroup(cmd, parent), BridgeURL: in.BridgeURL,
		Cadence: in.Cadence, DeclaredAt: now, DeclaredBy: by, Trigger: "manual", FirstAlertAt: parent.ReportedAt}
	if parent.Service != nil {
		m.ServiceID = parent.Service.ID
	}
	if m.Cadence == 0 {
		m.Cadence = DefaultCadence(parent.Priority)
	}
	m.NextUpdateDue = now.Add(m.Cadence)
	entries := []Entry{said(Entry{At: now, ActorID: by, Kind: EntryDeclared, Key: true}, desk.ReasonMajorDeclared,
		"ticket", parent.Number, "cadence", m.Cadence.String()),
		roleEntry(now, by, RoleCommander, cmd, true)}
	if in.CommsLeadID != 0 {
		lead, err := s.staffMember(ctx, "comms_lead_id", in.CommsLeadID)
		if err != nil {
			return nil, nil, err
		}
		m.CommsLeadID = lead.ID
		entries = append(entries, roleEntry(now, by, RoleCommsLead, lead, true))
	}
	for _, id := range in.Responders {
		r, err := s.staffMember(ctx, "responders", id)
		if err != nil {
			return nil, nil, err
		}
		if !slices.Contains(m.Responders, r.ID) {
			m.Responders = append(m.Responders, r.ID)
			entries = append(entries, roleEntry(now, by, RoleResponder, r, true))
		}
	}
	return m, entries, nil
}

func roleEntry(now time.Time, by int64, role Role, u *desk.User, assigned bool) Entry {
	if !assigned {
		return said(Entry{At: now, ActorID: by, Kind: EntryRoleRemoved}, roleOff[role], "name", u.Name)
	}
	return said(Entry{At: now, ActorID: by, Kind: EntryRoleAssigned}, roleOn[role], "name", u.Name)
}

// The reasons of a role given and taken (a commander is only replaced).
var (
	roleOn = map[Role]desk.ReasonCode{RoleCommander: desk.ReasonMajorCommander, RoleCommsLead: desk.ReasonMajorCommsLead,
		RoleResponder: desk.ReasonMajorResponder}
	roleOff = map[Role]desk.ReasonCode{RoleCommsLead: desk.ReasonMajorCommsLeadOff, RoleResponder: desk.ReasonMajorResponderOff}
)

// commanderGroup is the parent's group if the commander is in it, else the
// commander's first group (0: none).
func commanderGroup(u *desk.User, parent *desk.Ticket) int64 {
	for _, g := range u.Groups {
		if g.ID == parent.Group.ID {
			return g.ID
		}
	}
	if len(u.Groups) > 0 {
		return u.Groups[0].ID
	}
	return 0
}

// staffMember returns the active staff user id, or EINVALID on field.
func (s *Service) staffMember(ctx context.Context, field string, id int64) (*desk.User, error) {
	u, err := s.st.GetUser(ctx, id)
	if desk.ErrorCode(err) == desk.ENOTFOUND || (err == nil && (!u.Active || !u.Role.IsStaff())) {
		return nil, desk.InvalidFields(desk.Invalid(field, desk.RuleUnknown, nil, "names no active staff member"))
	}
	return u, err
}

// loadChildren reads the tickets refs through the desk (so the actor must
// see them) and checks each may become a child of m.
func (s *Service) loadChildren(ctx context.Context, m *Incident, refs []string) ([]*desk.Ticket, error) {
	var out []*desk.Ticket
	seen := map[int64]bool{m.TicketID: true}
	for i, ref := range refs {
		t, err := s.desk.Ticket(ctx, ref)
		if desk.ErrorCode(err) == desk.ENOTFOUND {
			return nil, desk.InvalidFields(desk.Invalid("children["+strconv.Itoa(i)+"]", desk.RuleUnknown, nil, "%s: no such ticket", ref))
		}
		if err != nil {
			return nil, err
		}
		if seen[t.ID] {
			continue
		}
		seen[t.ID] = true
		if t.Type != desk.TypeIncident || !t.State.IsOpen() {
			return nil, desk.InvalidFields(desk.Invalid("children["+strconv.Itoa(i)+"]", desk.RuleNotAllowed, nil, "%s is not an open incident", t.Number))
		}
		if t.Restricted { // security cases are restricted: never part of a coordinated, public response
			return nil, desk.InvalidFields(desk.Invalid("children["+strconv.Itoa(i)+"]", desk.RuleNotAllowed, nil, "%s is restricted and cannot be attached", t.Number))
		}
		if other, err := s.ms.MajorOfTicket(ctx, t.ID); err == nil && other.ID != m.ID {
			return nil, desk.InvalidFields(desk.Invalid("children["+strconv.Itoa(i)+"]", desk.RuleTaken, nil, "%s already belongs to a major incident", t.Number))
		} else if err == nil {
			continue // already ours
		} else if desk.ErrorCode(err) != desk.ENOTFOUND {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// attach adds kids to sv as children with their timeline entries, and
// moves the first alert back to the earliest report among them.
func (s *Service) attach(sv *Save, kids []*desk.Ticket, by int64, now time.Time) {
	for _, t := range kids {
		sv.Children = append(sv.Children, Child{TicketID: t.ID, Number: t.Number, AttachedAt: now, AttachedBy: by})
		sv.Entries = append(sv.Entries, said(Entry{At: now, ActorID: by, Kind: EntryChildAttached, TicketID: t.ID, Number: t.Number},
			desk.ReasonMajorChildAttached, "ticket", t.Number, "title", t.Title))
		if t.ReportedAt.Before(sv.Incident.FirstAlertAt) {
			sv.Incident.FirstAlertAt = t.ReportedAt
		}
	}
}

// Attach makes the incidents refs children of the major incident id in one
// action.
func (s *Service) Attach(ctx context.Context, id int64, refs []string) (*Incident, int, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, 0, err
	}
	if len(refs) == 0 || len(refs) > s.cfg.MaxChildren {
		return nil, 0, desk.InvalidFields(desk.Invalid("children", desk.RuleOutOfRange, desk.Params{"min": 1, "max": s.cfg.MaxChildren}, "name 1 to %d incidents", s.cfg.MaxChildren))
	}
	m, err := s.get(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	if m.State != StateActive {
		return nil, 0, desk.Refusef(desk.ECONFLICT, desk.RuleNotOpen, desk.Params{"state": string(m.State)}, "the major incident is %s", m.State)
	}
	kids, err := s.loadChildren(ctx, m, refs)
	if err != nil {
		return nil, 0, err
	}
	sv := Save{Incident: m}
	s.attach(&sv, kids, u.ID, s.clock.Now())
	if len(kids) == 0 {
		return m, 0, nil
	}
	return m, len(kids), s.ms.SaveMajor(ctx, sv)
}

// get reads a major incident for a staff member who may see its parent.
func (s *Service) get(ctx context.Context, id int64) (*Incident, error) {
	m, err := s.ms.GetMajor(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.desk.Ticket(ctx, strconv.FormatInt(m.TicketID, 10)); err != nil {
		return nil, err // a restricted parent hides its major incident too
	}
	return m, nil
}

// Get returns the major incident id.
func (s *Service) Get(ctx context.Context, id int64) (*Incident, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return s.get(ctx, id)
}
