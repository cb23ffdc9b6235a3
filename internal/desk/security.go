package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Security cases (issue 14). A ticket flagged Security has deny-by-default
// visibility:
//
//   - the members of a security group (Group.Security) see every security
//     case; the people named on a case (Ticket.SecurityMembers) see that
//     case; its requester sees it as any requester sees their own ticket
//     (public comments only);
//   - nobody else does, administrators included: canSee and the store's
//     visibility conditions (Visibility.AllSecurity, SecurityMember) apply
//     it to every read path, and the zero Visibility shows no security case;
//   - an administrator may grant themselves access with a reason
//     (GrantSecurityAccess): a 'granted' member row and an internal event,
//     and the case's owners are told by mail;
//   - mail about a security case is only "a security case was opened" and
//     "access was granted", to its owners (the assignee, else the security
//     group), naming the number and nothing of its content;
//   - a security case stays in security groups: it is never reassigned,
//     escalated or auto-escalated to another group, and its SLA sweeps
//     record events but send no mail and page nobody (the breach clocks of
//     internal/breach page the security on-call instead).
//
// Group administration is no back door: only the system (the local command
// line) or a member of a security group may flag a group as security or
// change who is in one, and an administrator may not set the password of,
// or issue a token for, a member of a security group.

// SecurityMemberKind says how a person came to be named on a case.
type SecurityMemberKind string

const (
	SecurityNamed   SecurityMemberKind = "named"   // named by a case member
	SecurityGranted SecurityMemberKind = "granted" // an administrator's own access, with a reason
)

// SecurityMember is a person named on a security case.
type SecurityMember struct {
	UserID  int64              `json:"user_id"`
	Name    string             `json:"name"` // filled on read
	Kind    SecurityMemberKind `json:"kind"`
	Reason  string             `json:"reason"`
	AddedBy int64              `json:"added_by"`
	AddedAt time.Time          `json:"added_at"`
}

// Notification kinds of security cases; both are mandatory and carry the
// case number only.
const (
	OutboxSecurityOpened OutboxKind = "security_opened" // to the owners: a security case was opened
	OutboxSecurityAccess OutboxKind = "security_access" // to the owners: an administrator granted themselves access
)

// inSecurityGroup reports whether u is a member of a security group.
func inSecurityGroup(u *User) bool {
	return slices.ContainsFunc(u.Groups, func(g GroupRef) bool { return g.Security })
}

// securityAdmin reports whether u may administer security groups: the
// system itself (the command line) or a member of a security group.
func securityAdmin(u *User) bool { return u.ID == 0 || inSecurityGroup(u) }

// namedOn reports whether u is named on the case.
func namedOn(u *User, t *Ticket) bool {
	return slices.ContainsFunc(t.SecurityMembers, func(m SecurityMember) bool { return m.UserID == u.ID })
}

// seesSecurityCase is canSee for a staff member and a security case.
func seesSecurityCase(u *User, t *Ticket) bool {
	return u.ID == 0 || inSecurityGroup(u) || namedOn(u, t)
}

// securityVisibility adds the security rule to a staff member's visibility.
func securityVisibility(u *User, v Visibility) Visibility {
	v.AllSecurity = u.ID == 0 || inSecurityGroup(u)
	v.SecurityMember = u.ID
	return v
}

// securityGroup is the active security group with the lowest id, or nil.
func (s *Desk) securityGroup(ctx context.Context) (*Group, error) {
	all, err := s.store.ListGroups(ctx)
	if err != nil {
		return nil, err
	}
	var out *Group
	for _, g := range all {
		if g.Active && g.Security && (out == nil || g.ID < out.ID) {
			out = g
		}
	}
	return out, nil
}

// checkSecurityMove refuses to move a security case to a group that is not
// a security group.
func checkSecurityMove(t *Ticket, g *Group) error {
	if t.Security && !g.Security {
		return Refusef(ECONFLICT, RuleSecurityCase, nil, "ticket %s is a security case: it stays with a security group", t.Number)
	}
	return nil
}

// SecurityInput marks a ticket as a security case, or names or grants a
// member.
type SecurityInput struct {
	Reason string `json:"reason"`
	// UserID names a person on the case (NameSecurityMember).
	UserID    int64 `json:"user_id,omitempty"`
	IfVersion int   `json:"-"`
}

func checkSecurityReason(reason string) error {
	var v validation
	v.text("reason", reason, MaxReason, true)
	return v.err()
}

// MarkSecurity makes a ticket a security case (staff who can see it): it
// moves to the security group, unassigned, restricted, and leaves the
// sight of everyone but the security group and the people named on it,
// the marker included. A reason is required.
func (s *Desk) MarkSecurity(ctx context.Context, ref string, in SecurityInput) (*Ticket, error) {
	if err := checkSecurityReason(in.Reason); err != nil {
		return nil, err
	}
	u, t, err := s.forChange(ctx, ref, in.IfVersion, requireStaff)
	if err != nil {
		return nil, err
	}
	if t.Security {
		return nil, Refusef(ECONFLICT, RuleSecurityCase, nil, "ticket %s is already a security case", t.Number)
	}
	if t.State.IsFinal() {
		return nil, Refusef(ECONFLICT, RuleNotOpen, Params{"state": string(t.State)}, "ticket %s is %s and cannot change", t.Number, t.State)
	}
	g, err := s.securityGroup(ctx)
	if err != nil {
		return nil, err
	}
	if g == nil {
		return nil, Refusef(ECONFLICT, RuleSecurityCase, nil, "there is no active security group: ask an administrator to create one with `tierdesk group security`")
	}
	var ch changeSet
	ch.add("security", "false", "true")
	if !t.Restricted {
		ch.add("restricted", "false", "true")
		t.Restricted = true
	}
	t.Security = true
	if t.Group.ID != g.ID {
		moveToGroup(t, g, &ch)
	}
	ev := Event{Kind: EventUpdated, Public: false, Reason: strings.TrimSpace(in.Reason), Changes: ch}
	if err := s.save(ctx, t, u, ev); err != nil {
		return nil, fmt.Errorf("mark ticket %s as a security case: %w", t.Number, err)
	}
	return t, nil
}

// GrantSecurityAccess lets an administrator who is not a member see a
// security case: it names them on it with the reason, records an internal
// event and tells the case's owners. The ticket is found by number or id
// without the visibility rule (which would hide it); anything but a
// security case is refused.
func (s *Desk) GrantSecurityAccess(ctx context.Context, ref string, in SecurityInput) (*Ticket, error) {
	u, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkSecurityReason(in.Reason); err != nil {
		return nil, err
	}
	t, err := s.ticketByRef(ctx, ref)
	if err != nil {
		return nil, err
	}
	if !t.Security {
		return nil, Refusef(ECONFLICT, RuleSecurityCase, nil, "ticket %s is not a security case", t.Number)
	}
	if seesSecurityCase(u, t) {
		return t, nil
	}
	return t, s.addSecurityMember(ctx, t, u, u, SecurityGranted, in.Reason)
}

// NameSecurityMember names a person (active staff) on a security case; only
// someone who sees the case may.
func (s *Desk) NameSecurityMember(ctx context.Context, ref string, in SecurityInput) (*Ticket, error) {
	if err := checkSecurityReason(in.Reason); err != nil {
		return nil, err
	}
	u, t, err := s.forChange(ctx, ref, in.IfVersion, requireStaff)
	if err != nil {
		return nil, err
	}
	if !t.Security {
		return nil, Refusef(ECONFLICT, RuleSecurityCase, nil, "ticket %s is not a security case", t.Number)
	}
	m, err := s.store.GetUser(ctx, in.UserID)
	if ErrorCode(err) == ENOTFOUND || err == nil && (!m.Active || !m.Role.IsStaff()) {
		return nil, fieldError("user_id", RuleUnknown, nil, "no active staff member %d", in.UserID)
	}
	if err != nil {
		return nil, err
	}
	if seesSecurityCase(m, t) {
		return t, nil
	}
	return t, s.addSecurityMember(ctx, t, u, m, SecurityNamed, in.Reason)
}

func (s *Desk) addSecurityMember(ctx context.Context, t *Ticket, by, m *User, kind SecurityMemberKind, reason string) error {
	now := s.clock.Now()
	reason = strings.TrimSpace(reason)
	t.SecurityMembers = append(t.SecurityMembers, SecurityMember{UserID: m.ID, Name: m.Name, Kind: kind,
		Reason: reason, AddedBy: by.ID, AddedAt: now})
	ev := Event{Kind: EventUpdated, Public: false, Reason: reason,
		Changes: []Change{{Field: "security_" + string(kind), New: m.Name}}}
	if err := s.save(ctx, t, by, ev); err != nil {
		return fmt.Errorf("security case %s: %w", t.Number, err)
	}
	return nil
}

// ticketByRef reads a ticket by number or id with no visibility check.
func (s *Desk) ticketByRef(ctx context.Context, ref string) (*Ticket, error) {
	id, number, err := ParseTicketRef(ref)
	if err != nil {
		return nil, err
	}
	if number != "" {
		return s.store.GetTicketByNumber(ctx, number)
	}
	return s.store.GetTicket(ctx, id)
}

// securityMessages are the only notifications a security case sends: the
// opening (the flag set at creation or by MarkSecurity) and an
// administrator's grant, to the owners, with the number and nothing more.
func (n *notifier) securityMessages(ctx context.Context, e *Event) ([]OutboxMessage, error) {
	var kind OutboxKind
	for _, c := range e.Changes {
		switch {
		case c.Field == "security" && c.New == "true":
			kind = OutboxSecurityOpened
		case c.Field == "security_"+string(SecurityGranted):
			kind = OutboxSecurityAccess
		}
	}
	if kind == "" {
		return nil, nil
	}
	extra := map[string]string{}
	owners, err := n.securityOwners(ctx, kind, extra)
	if err != nil {
		return nil, err
	}
	if kind == OutboxSecurityAccess {
		extra["reason"] = e.Reason
	}
	seen := n.t
	if extra["no_group"] != "" {
		seen = nil // administrators who do not see the case yet: the notice names its number only
	}
	to, err := n.s.recipients(ctx, owners, kind, seen)
	if err != nil {
		return nil, err
	}
	var out []OutboxMessage
	for _, id := range to {
		if n.actor == nil || n.actor.ID != id {
			out = append(out, OutboxMessage{Kind: kind, UserID: id, Payload: n.securityPayload(extra)})
		}
	}
	return out, nil
}

// securityPayload names the case by number only (and the actor).
func (n *notifier) securityPayload(extra map[string]string) map[string]string {
	p := map[string]string{"ticket": n.t.Number}
	if n.actor != nil {
		p["actor"] = n.actor.Name
	}
	for k, v := range extra {
		if v != "" {
			p[k] = v
		}
	}
	return p
}

// checkSecurityMembership refuses a change of who is in a security group,
// or of a group's security flag, by anyone but a security administrator.
func (s *Desk) checkSecurityMembership(ctx context.Context, actor *User, before, after []GroupRef) error {
	if securityAdmin(actor) {
		return nil
	}
	all, err := s.store.ListGroups(ctx)
	if err != nil {
		return err
	}
	sec := map[int64]bool{}
	for _, g := range all {
		sec[g.ID] = g.Security
	}
	has := func(refs []GroupRef, id int64) bool {
		return slices.ContainsFunc(refs, func(r GroupRef) bool { return r.ID == id })
	}
	for id, isSec := range sec {
		if isSec && has(before, id) != has(after, id) {
			return Errorf(EFORBIDDEN, "only a member of a security group may change who is in one")
		}
	}
	return nil
}

// checkSecurityTarget refuses an administrator's password or token change
// for a member of a security group, which would let them act as that
// member and read its cases.
func checkSecurityTarget(actor, target *User) error {
	if actor.ID != target.ID && inSecurityGroup(target) && !securityAdmin(actor) {
		return Errorf(EFORBIDDEN, "only a member of a security group may set the password or tokens of one")
	}
	return nil
}

func (s *Desk) checkSecurityTargetID(ctx context.Context, actor *User, userID int64) error {
	if actor == nil || actor.ID == userID {
		return nil
	}
	target, err := s.store.GetUser(ctx, userID)
	if err != nil {
		return nil // the operation itself reports the missing user
	}
	return checkSecurityTarget(actor, target)
}

// securityRoute makes a new ticket a security case: restricted, in the
// group asked for if it is a security group, else in the security group.
// With no security group the routed group keeps it, where nobody but its
// requester sees it until an administrator grants themselves access.
func (s *Desk) securityRoute(ctx context.Context, t *Ticket, routed *Group, asked int64) (*Group, error) {
	t.Security, t.Restricted = true, true
	if asked != 0 && routed.Security {
		return routed, nil
	}
	if asked != 0 {
		return nil, fieldError("group_id", RuleSecurityCase, nil, "group %s is not a security group", routed.Name)
	}
	g, err := s.securityGroup(ctx)
	if err != nil || g == nil {
		return routed, err
	}
	return g, nil
}

// redactSecurity reduces the payload of outbox messages about security
// cases u may not see to the case number: mail written before a ticket was
// marked names its title.
func (s *Desk) redactSecurity(ctx context.Context, u *User, msgs []Delivery) error {
	hidden := map[int64]string{} // ticket id → number, "" when visible
	for i := range msgs {
		id := msgs[i].TicketID
		if id == 0 {
			continue
		}
		number, seen := hidden[id]
		if !seen {
			t, err := s.store.GetTicket(ctx, id)
			if ErrorCode(err) == ENOTFOUND {
				continue
			}
			if err != nil {
				return err
			}
			if t.Security && !canSee(u, t) {
				number = t.Number
			}
			hidden[id] = number
		}
		if number != "" {
			msgs[i].Payload = map[string]string{"ticket": number}
		}
	}
	return nil
}

// SecurityCaseMask stands for a security case's number in the history of
// a ticket that is not one (a link between them).
const SecurityCaseMask = "(security case)"

// HiddenCases returns which of the tickets ids are security cases the
// actor in ctx does not see: the audit log shows its entries about them
// without their details. Tickets that do not exist are left out.
func (s *Desk) HiddenCases(ctx context.Context, ids []int64) (map[int64]bool, error) {
	u := ActorFrom(ctx)
	out := map[int64]bool{}
	if u != nil && (u.ID == 0 || inSecurityGroup(u)) {
		return out, nil
	}
	for _, id := range ids {
		t, err := s.store.GetTicket(ctx, id)
		if ErrorCode(err) == ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("hidden cases: %w", err)
		}
		if t.Security && (u == nil || !namedOn(u, t)) {
			out[id] = true
		}
	}
	return out, nil
}

// securityOwners are who a security case's notice goes to: the people
// working it. A case opened while the desk has no security group stays in
// a group whose members may not see it, so its opening goes to the active
// administrators instead (the only ones who may grant themselves access,
// which is recorded), saying that no group takes it.
func (n *notifier) securityOwners(ctx context.Context, kind OutboxKind, extra map[string]string) ([]int64, error) {
	g, err := n.s.store.GetGroup(ctx, n.t.Group.ID)
	if err != nil {
		return nil, err
	}
	if g.Security || kind != OutboxSecurityOpened {
		return n.workers(ctx)
	}
	extra["no_group"] = "true"
	var ids []int64
	f := UserFilter{Roles: []Role{RoleAdmin}, Limit: MaxPageSize}
	for {
		page, err := n.s.store.ListUsers(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, u := range page.Users {
			if u.Active {
				ids = append(ids, u.ID)
			}
		}
		if page.NextCursor == "" {
			return ids, nil
		}
		f.Cursor = page.NextCursor
	}
}
