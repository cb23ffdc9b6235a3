package desk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// PersonInput identifies a requester; an existing one is matched by e-mail.
type PersonInput struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
	// Organization is stored only when the requester is new (staff
	// registering a caller); an existing requester's is kept.
	Organization string `json:"organization,omitempty"`
}

// NewTicket is what registering a ticket takes. Zero ids mean "none".
type NewTicket struct {
	Type          TicketType  `json:"type"`
	Title         string      `json:"title"`
	Description   string      `json:"description"`
	Symptoms      string      `json:"symptoms"`
	Requester     PersonInput `json:"requester"`
	Channel       Channel     `json:"channel"`
	ReportedAt    *time.Time  `json:"reported_at"`
	Impact        Level       `json:"impact"`  // default medium
	Urgency       Level       `json:"urgency"` // default medium
	CategoryID    int64       `json:"category_id"`
	SubcategoryID int64       `json:"subcategory_id"`
	ServiceID     int64       `json:"service_id"`
	GroupID       int64       `json:"group_id"`    // staff only; default: routing
	AssigneeID    int64       `json:"assignee_id"` // staff only
	Restricted    bool        `json:"restricted"`  // staff only
	// Security opens the ticket as a security case (security.go): the
	// portal's "I think my data or account is compromised", an alert
	// rule's option, or staff. It goes to the security group.
	Security bool `json:"security,omitempty"`
	// FirstContact, when set, resolves the ticket in the same step as it is
	// registered (staff only; see first_contact.go).
	FirstContact *FirstContactResolution `json:"first_contact_resolution,omitempty"`
	// TriageOutcomes are what the agent did with the triage model's
	// suggestions on the register form (staff only; a requester's are
	// dropped). They are written in the ticket's own transaction, so a
	// ticket is never registered without them nor they without it.
	TriageOutcomes []TriageOutcome `json:"-"`

	mail        *MailRecord   // the e-mail the ticket came from (ReceiveMail)
	attachments []*Attachment // the e-mail's files, stored with the creation event
}

// CreateTicket registers a ticket. With a non-empty idempotency key, a retry
// of the same request by the same actor returns the first ticket and
// replayed = true instead of registering a second one.
func (s *Desk) CreateTicket(ctx context.Context, in NewTicket, idempotencyKey string) (t *Ticket, replayed bool, err error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, false, err
	}
	// The fingerprint is of the request as sent: defaults filled in below
	// (reported_at = now) differ between a request and its retry.
	sent := fingerprint(in)
	if err := s.checkNewTicket(u, &in); err != nil {
		return nil, false, err
	}
	t, err = s.buildTicket(ctx, u, in)
	if err != nil {
		return nil, false, err
	}
	var key *IdempotencyKey
	if idempotencyKey != "" {
		if len(idempotencyKey) > 200 {
			return nil, false, &Error{Code: EINVALID, Message: "validation failed",
				Fields: []FieldError{Invalid("idempotency_key", RuleTooLong, Params{"max": 200}, "must be at most 200 characters")}}
		}
		key = &IdempotencyKey{ActorID: u.ID, Key: idempotencyKey, Fingerprint: sent}
	}
	events := []Event{creationEvent(t, u)}
	events = append(events, s.autoTriage(ctx, t, in)...) // after the creation event: its values are the intake's
	events[0].Mail = in.mail
	events[0].Attachments = in.attachments
	events[0].TriageOutcomes = in.TriageOutcomes
	if in.FirstContact != nil {
		var reuse *ResolutionReuse
		if in.FirstContact.ReusedFrom != "" {
			if reuse, err = s.reuseSource(ctx, u, in.FirstContact.ReusedFrom, 0); err != nil {
				return nil, false, err
			}
		}
		events = append(events, s.resolveOnFirstContact(u, t, *in.FirstContact, reuse))
	}
	if err := s.notify(ctx, t, u, events); err != nil {
		return nil, false, fmt.Errorf("register ticket: %w", err)
	}
	timers, err := s.timersAfter(ctx, t, false, events)
	if err != nil {
		return nil, false, fmt.Errorf("register ticket: %w", err)
	}
	prior, err := s.store.CreateTicket(ctx, t, events, key, timers...)
	if err != nil {
		return nil, false, fmt.Errorf("register ticket: %w", err)
	}
	if prior != nil {
		return prior, true, nil
	}
	return t, false, nil
}

func fingerprint(in NewTicket) string {
	b, _ := json.Marshal(in) // a struct of plain fields always marshals
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// checkNewTicket validates the input and fills defaults.
func (s *Desk) checkNewTicket(u *User, in *NewTicket) error {
	if u.Role == RoleRequester {
		if in.GroupID != 0 || in.AssigneeID != 0 || in.Restricted || in.FirstContact != nil {
			return Errorf(EFORBIDDEN, "requesters cannot choose the group, the assignee or restriction, nor resolve on first contact")
		}
		if in.Requester.Email != "" && !strings.EqualFold(strings.TrimSpace(in.Requester.Email), u.Email) {
			return Errorf(EFORBIDDEN, "requesters register tickets for themselves only")
		}
		in.Requester = PersonInput{Name: u.Name, Email: u.Email, Phone: u.Phone}
		in.TriageOutcomes = nil
	}
	if in.Impact == "" {
		in.Impact = LevelMedium
	}
	if in.Urgency == "" {
		in.Urgency = LevelMedium
	}
	now := s.clock.Now()
	if in.ReportedAt == nil {
		in.ReportedAt = &now
	}
	var v validation
	v.enum("type", string(in.Type), names(TicketTypes), true)
	v.text("title", in.Title, MaxTitleLen, true)
	v.text("description", in.Description, MaxTextLen, false)
	v.text("symptoms", in.Symptoms, MaxTextLen, false)
	v.enum("channel", string(in.Channel), names(Channels), true)
	v.enum("impact", string(in.Impact), names(Levels), true)
	v.enum("urgency", string(in.Urgency), names(Levels), true)
	in.Requester.Email = v.email("requester.email", in.Requester.Email, true)
	v.text("requester.name", in.Requester.Name, MaxNameLen, false)
	v.text("requester.phone", in.Requester.Phone, MaxPhoneLen, false)
	in.Requester.Organization = strings.TrimSpace(in.Requester.Organization)
	v.text("requester.organization", in.Requester.Organization, MaxNameLen, false)
	v.notFuture("reported_at", *in.ReportedAt, now)
	if in.FirstContact != nil {
		checkFirstContact(&v, in)
	}
	return v.err()
}

// buildTicket resolves references and routing into a ticket ready to store.
func (s *Desk) buildTicket(ctx context.Context, u *User, in NewTicket) (*Ticket, error) {
	now := s.clock.Now()
	m, err := s.store.GetMatrix(ctx)
	if err != nil {
		return nil, fmt.Errorf("register ticket: %w", err)
	}
	t := &Ticket{
		Type: in.Type, Title: strings.TrimSpace(in.Title), Description: in.Description, Symptoms: in.Symptoms,
		State: StateNew, Impact: in.Impact, Urgency: in.Urgency, Priority: m.Priority(in.Impact, in.Urgency),
		Channel: in.Channel, Restricted: in.Restricted,
		ReportedAt: in.ReportedAt.UTC(), CreatedAt: now, UpdatedAt: now, CreatedBy: u.ID,
	}
	if err := s.setClassification(ctx, t, in.CategoryID, in.SubcategoryID, in.ServiceID); err != nil {
		return nil, err
	}
	requester, err := s.store.EnsureRequester(ctx, &User{
		Email: in.Requester.Email, Name: requesterName(in.Requester), Phone: in.Requester.Phone,
		Organization: in.Requester.Organization, Role: RoleRequester, Active: true,
	})
	if err != nil {
		return nil, fmt.Errorf("register ticket: requester: %w", err)
	}
	t.Requester = requester.Person()
	g, err := s.routeGroup(ctx, in.GroupID, t)
	if err != nil {
		return nil, err
	}
	if in.Security {
		if g, err = s.securityRoute(ctx, t, g, in.GroupID); err != nil {
			return nil, err
		}
	}
	t.Group = GroupRef{ID: g.ID, Name: g.Name, Line: g.Line}
	if in.AssigneeID != 0 {
		if err := s.setAssignee(ctx, t, in.AssigneeID); err != nil {
			return nil, err
		}
		t.State = StateAssigned
	}
	return t, nil
}

// requesterName falls back to the mailbox name when none was given, so that
// every requester has something to be addressed by.
func requesterName(p PersonInput) string {
	if n := strings.TrimSpace(p.Name); n != "" {
		return n
	}
	local, _, _ := strings.Cut(p.Email, "@")
	return local
}

// routeGroup picks the group of a new ticket: the one asked for, else the
// line-1 group that the service or the category names, else the default
// service-desk group.
func (s *Desk) routeGroup(ctx context.Context, asked int64, t *Ticket) (*Group, error) {
	if asked != 0 {
		return s.activeGroup(ctx, "group_id", asked)
	}
	var candidates []int64
	if t.Service != nil {
		if svc, err := s.store.GetService(ctx, t.Service.ID); err == nil && svc.OwnerGroup != nil {
			candidates = append(candidates, svc.OwnerGroup.ID)
		}
	}
	for _, ref := range []*Ref{t.Subcategory, t.Category} {
		if ref == nil {
			continue
		}
		if c, err := s.store.GetCategory(ctx, ref.ID); err == nil && c.Group != nil {
			candidates = append(candidates, c.Group.ID)
		}
	}
	for _, id := range candidates {
		g, err := s.store.GetGroup(ctx, id)
		if err == nil && g.Active && g.Line == Line1 {
			return g, nil
		}
	}
	g, err := s.store.DefaultGroup(ctx)
	if err != nil {
		return nil, fmt.Errorf("route ticket: no default service-desk group: %w", err)
	}
	return g, nil
}

func (s *Desk) activeGroup(ctx context.Context, field string, id int64) (*Group, error) {
	g, err := s.store.GetGroup(ctx, id)
	if ErrorCode(err) == ENOTFOUND || (err == nil && !g.Active) {
		return nil, fieldError(field, RuleUnknown, nil, "no active group %d", id)
	}
	return g, err
}

// setAssignee checks that the user is active staff in the ticket's group.
func (s *Desk) setAssignee(ctx context.Context, t *Ticket, userID int64) error {
	a, err := s.store.GetUser(ctx, userID)
	if ErrorCode(err) == ENOTFOUND {
		return fieldError("assignee_id", RuleUnknown, nil, "no user %d", userID)
	}
	if err != nil {
		return err
	}
	if !a.Active || !a.Role.IsStaff() || !memberOf(a, t.Group.ID) {
		return fieldError("assignee_id", RuleNotAllowed, nil, "%s is not an active member of group %s", a.Email, t.Group.Name)
	}
	t.Assignee = &Ref{ID: a.ID, Name: a.Name}
	return nil
}

// setClassification checks and sets category, subcategory and service; 0
// clears each. A subcategory alone implies its parent category.
func (s *Desk) setClassification(ctx context.Context, t *Ticket, catID, subID, svcID int64) error {
	t.Category, t.Subcategory, t.Service = nil, nil, nil
	if subID != 0 {
		sub, err := s.store.GetCategory(ctx, subID)
		switch {
		case ErrorCode(err) == ENOTFOUND || (err == nil && (sub.ParentID == 0 || sub.Retired)):
			return fieldError("subcategory_id", RuleUnknown, nil, "no active subcategory %d", subID)
		case err != nil:
			return err
		case catID != 0 && sub.ParentID != catID:
			return fieldError("subcategory_id", RuleNotAllowed, nil, "subcategory %d is not under category %d", subID, catID)
		}
		catID = sub.ParentID
		t.Subcategory = &Ref{ID: sub.ID, Name: sub.Name}
	}
	if catID != 0 {
		c, err := s.store.GetCategory(ctx, catID)
		switch {
		case ErrorCode(err) == ENOTFOUND || (err == nil && (c.ParentID != 0 || c.Retired)):
			return fieldError("category_id", RuleUnknown, nil, "no active top-level category %d", catID)
		case err != nil:
			return err
		}
		t.Category = &Ref{ID: c.ID, Name: c.Name}
	}
	if svcID != 0 {
		svc, err := s.store.GetService(ctx, svcID)
		switch {
		case ErrorCode(err) == ENOTFOUND || (err == nil && svc.Retired):
			return fieldError("service_id", RuleUnknown, nil, "no active service %d", svcID)
		case err != nil:
			return err
		}
		t.Service = &Ref{ID: svc.ID, Name: svc.Name}
	}
	return nil
}

func fieldError(field string, rule Rule, params Params, format string, args ...any) error {
	return InvalidFields(Invalid(field, rule, params, format, args...))
}

// creationEvent records the ticket's initial values as changes from nothing,
// so that history alone can rebuild every field.
func creationEvent(t *Ticket, u *User) Event {
	ch := []Change{
		{Field: "type", New: string(t.Type)},
		{Field: "state", New: string(t.State)},
		{Field: "impact", New: string(t.Impact)},
		{Field: "urgency", New: string(t.Urgency)},
		{Field: "priority", New: string(t.Priority)},
		{Field: "group", New: t.Group.Name},
		{Field: "channel", New: string(t.Channel)},
	}
	if t.Security {
		ch = append(ch, Change{Field: "security", Old: "false", New: "true"})
	}
	for _, f := range []struct {
		name string
		ref  *Ref
	}{{"assignee", t.Assignee}, {"category", t.Category}, {"subcategory", t.Subcategory}, {"service", t.Service}} {
		if f.ref != nil {
			ch = append(ch, Change{Field: f.name, New: f.ref.Name})
		}
	}
	return Event{At: t.CreatedAt, Actor: &Ref{ID: u.ID, Name: u.Name}, Kind: EventCreated, Public: true,
		Body: t.Description, Changes: ch}
}
