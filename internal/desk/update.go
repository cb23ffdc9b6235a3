package desk

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// TicketPatch changes a ticket's fields; nil leaves a field alone, and 0 in
// an id clears the reference.
type TicketPatch struct {
	Type          *TicketType
	Title         *string
	Description   *string
	Symptoms      *string
	Impact        *Level
	Urgency       *Level
	CategoryID    *int64
	SubcategoryID *int64
	ServiceID     *int64
	GroupID       *int64 // same or lower line; a higher line is an escalation
	AssigneeID    *int64
	Restricted    *bool
	// Reason is required when type, impact, urgency or group changes.
	Reason string
	// IfVersion, when non-zero, refuses the change with ESTALE unless the
	// ticket is still at that version.
	IfVersion int
}

// changeSet collects field changes for one history event.
type changeSet []Change

func (c *changeSet) add(field, old, new string) {
	if old != new {
		*c = append(*c, Change{Field: field, Old: old, New: new})
	}
}

func refName(r *Ref) string {
	if r == nil {
		return ""
	}
	return r.Name
}

func (c changeSet) has(field string) bool {
	for _, ch := range c {
		if ch.Field == field {
			return true
		}
	}
	return false
}

// UpdateTicket applies a patch. Staff only; closed and canceled tickets are
// final.
func (s *Desk) UpdateTicket(ctx context.Context, ref string, p TicketPatch) (*Ticket, error) {
	return retryStale(p.IfVersion, func() (*Ticket, error) { return s.updateTicket(ctx, ref, p) })
}

func (s *Desk) updateTicket(ctx context.Context, ref string, p TicketPatch) (*Ticket, error) {
	u, t, err := s.forChange(ctx, ref, p.IfVersion, requireStaff)
	if err != nil {
		return nil, err
	}
	if t.State.IsFinal() {
		return nil, Refusef(ECONFLICT, RuleNotOpen, Params{"state": string(t.State)}, "ticket %s is %s and cannot change", t.Number, t.State)
	}
	var ch changeSet
	if err := s.patchFields(ctx, t, p, &ch); err != nil {
		return nil, err
	}
	kind, err := s.patchRouting(ctx, t, p, &ch)
	if err != nil {
		return nil, err
	}
	if len(ch) == 0 {
		return t, nil
	}
	if needsReason(ch) && strings.TrimSpace(p.Reason) == "" {
		return nil, fieldError("reason", RuleRequired, nil, "is required when changing type, impact, urgency or group")
	}
	if err := s.save(ctx, t, u, Event{Kind: kind, Public: true, Reason: p.Reason, Changes: ch}); err != nil {
		return nil, fmt.Errorf("update ticket %s: %w", t.Number, err)
	}
	return t, nil
}

func needsReason(ch changeSet) bool {
	return ch.has("type") || ch.has("impact") || ch.has("urgency") || ch.has("group")
}

// forChange authorises the actor in ctx with who (actor, requireStaff), loads
// the ticket they want to change and checks the version they last saw.
func (s *Desk) forChange(ctx context.Context, ref string, ifVersion int,
	who func(context.Context) (*User, error)) (*User, *Ticket, error) {
	u, err := who(ctx)
	if err != nil {
		return nil, nil, err
	}
	t, err := s.loadTicket(ctx, u, ref)
	if err != nil {
		return nil, nil, err
	}
	if err := checkVersion(t, ifVersion); err != nil {
		return nil, nil, err
	}
	return u, t, nil
}

func checkVersion(t *Ticket, want int) error {
	if want != 0 && want != t.Version {
		return Errorf(ESTALE, "ticket %s changed since version %d (now %d): reload it", t.Number, want, t.Version)
	}
	return nil
}

// patchFields applies the descriptive fields and the priority inputs.
func (s *Desk) patchFields(ctx context.Context, t *Ticket, p TicketPatch, ch *changeSet) error {
	var v validation
	if p.Type != nil {
		v.enum("type", string(*p.Type), names(TicketTypes), true)
	}
	if p.Title != nil {
		v.text("title", *p.Title, MaxTitleLen, true)
	}
	if p.Description != nil {
		v.text("description", *p.Description, MaxTextLen, false)
	}
	if p.Symptoms != nil {
		v.text("symptoms", *p.Symptoms, MaxTextLen, false)
	}
	if p.Impact != nil {
		v.enum("impact", string(*p.Impact), names(Levels), true)
	}
	if p.Urgency != nil {
		v.enum("urgency", string(*p.Urgency), names(Levels), true)
	}
	v.text("reason", p.Reason, MaxReason, false)
	if err := v.err(); err != nil {
		return err
	}
	setString(ch, "type", (*string)(&t.Type), (*string)(p.Type))
	setString(ch, "title", &t.Title, trimmed(p.Title))
	setString(ch, "description", &t.Description, p.Description)
	setString(ch, "symptoms", &t.Symptoms, p.Symptoms)
	setString(ch, "impact", (*string)(&t.Impact), (*string)(p.Impact))
	setString(ch, "urgency", (*string)(&t.Urgency), (*string)(p.Urgency))
	// Priority follows the matrix of the moment impact or urgency changes; an
	// edit that changes neither leaves it alone even if the matrix changed.
	if ch.has("impact") || ch.has("urgency") {
		m, err := s.store.GetMatrix(ctx)
		if err != nil {
			return err
		}
		prio := string(m.Priority(t.Impact, t.Urgency))
		setString(ch, "priority", (*string)(&t.Priority), &prio)
	}
	if p.Restricted != nil && !*p.Restricted && t.Security {
		return Refusef(ECONFLICT, RuleSecurityCase, nil, "ticket %s is a security case and stays restricted", t.Number)
	}
	if p.Restricted != nil && *p.Restricted != t.Restricted {
		ch.add("restricted", fmt.Sprint(t.Restricted), fmt.Sprint(*p.Restricted))
		t.Restricted = *p.Restricted
	}
	return s.patchClassification(ctx, t, p, ch)
}

func trimmed(s *string) *string {
	if s == nil {
		return nil
	}
	return ptr(strings.TrimSpace(*s))
}

func setString(ch *changeSet, field string, dst, src *string) {
	if src == nil {
		return
	}
	ch.add(field, *dst, *src)
	*dst = *src
}

func (s *Desk) patchClassification(ctx context.Context, t *Ticket, p TicketPatch, ch *changeSet) error {
	if p.CategoryID == nil && p.SubcategoryID == nil && p.ServiceID == nil {
		return nil
	}
	before := *t
	cat, sub, svc := refID(t.Category), refID(t.Subcategory), refID(t.Service)
	if p.CategoryID != nil {
		cat = *p.CategoryID
		if p.SubcategoryID == nil && sub != 0 && cat != refID(t.Category) {
			sub = 0 // a new category invalidates the old subcategory
		}
	}
	if p.SubcategoryID != nil {
		sub = *p.SubcategoryID
	}
	if p.ServiceID != nil {
		svc = *p.ServiceID
	}
	if err := s.setClassification(ctx, t, cat, sub, svc); err != nil {
		return err
	}
	ch.add("category", refName(before.Category), refName(t.Category))
	ch.add("subcategory", refName(before.Subcategory), refName(t.Subcategory))
	ch.add("service", refName(before.Service), refName(t.Service))
	return nil
}

func refID(r *Ref) int64 {
	if r == nil {
		return 0
	}
	return r.ID
}

// patchRouting applies group and assignee changes. Moving to another group
// of the same or a lower line is a reassignment (counted); the ticket then
// waits in the new group as "assigned". A higher line needs Escalate.
func (s *Desk) patchRouting(ctx context.Context, t *Ticket, p TicketPatch, ch *changeSet) (EventKind, error) {
	kind := EventUpdated
	if p.GroupID == nil && p.AssigneeID == nil {
		return kind, nil
	}
	if t.State == StateResolved {
		return "", Refusef(ECONFLICT, RuleReopenFirst, nil, "ticket %s is resolved: reopen it before reassigning", t.Number)
	}
	oldAssignee := refName(t.Assignee)
	if p.GroupID != nil && *p.GroupID != t.Group.ID {
		g, err := s.activeGroup(ctx, "group_id", *p.GroupID)
		if err != nil {
			return "", err
		}
		if err := checkSecurityMove(t, g); err != nil {
			return "", err
		}
		if g.Line > t.Group.Line {
			return "", Refusef(ECONFLICT, RuleEscalate, nil, "group %s is on line %d, above line %d: escalate instead", g.Name, g.Line, t.Group.Line)
		}
		moveToGroup(t, g, ch)
		kind = EventReassigned
	}
	if p.AssigneeID != nil {
		if *p.AssigneeID == 0 {
			t.Assignee = nil
		} else if err := s.setAssignee(ctx, t, *p.AssigneeID); err != nil {
			return "", err
		}
	}
	ch.add("assignee", oldAssignee, refName(t.Assignee))
	if t.State == StateNew && t.Assignee != nil {
		ch.add("state", string(t.State), string(StateAssigned))
		t.State = StateAssigned
	}
	return kind, nil
}

// moveToGroup hands the ticket to another group: the assignee is cleared
// (they may not be a member) and the ticket waits there to be picked up.
func moveToGroup(t *Ticket, g *Group, ch *changeSet) {
	ch.add("group", t.Group.Name, g.Name)
	if g.Line != t.Group.Line {
		ch.add("line", fmt.Sprint(t.Group.Line), fmt.Sprint(g.Line))
	}
	t.Group = GroupRef{ID: g.ID, Name: g.Name, Line: g.Line}
	t.Assignee = nil
	t.ReassignmentCount++
	if t.State != StateAssigned {
		ch.add("state", string(t.State), string(StateAssigned))
		t.State = StateAssigned
		t.HoldReason = ""
	}
}

// retryStale runs a read-modify-write again when another writer got in
// between the read and the write. A caller that named the version it saw
// (If-Match) gets ESTALE instead: it must look at the new state first.
func retryStale[T any](ifVersion int, fn func() (T, error)) (T, error) {
	for attempt := 1; ; attempt++ {
		v, err := fn()
		if ifVersion != 0 || attempt == 10 || ErrorCode(err) != ESTALE {
			return v, err
		}
	}
}

// save stamps the change and stores it with its event and the ticket's
// recomputed SLA timers, in one transaction.
func (s *Desk) save(ctx context.Context, t *Ticket, u *User, events ...Event) error {
	now := s.clock.Now()
	t.UpdatedAt = now
	stamp(events, u, now)
	if err := s.notify(ctx, t, u, events); err != nil {
		return err
	}
	timers, err := s.timersAfter(ctx, t, true, events)
	if err != nil {
		return err
	}
	if err := s.store.UpdateTicket(ctx, t, events, timers...); err != nil {
		return err
	}
	s.pagesAfterSave(ctx, t, u)
	return nil
}

// stamp dates events and attributes them to u (nil: the system).
func stamp(events []Event, u *User, now time.Time) {
	for i := range events {
		events[i].At = now
		if u != nil {
			events[i].Actor = &Ref{ID: u.ID, Name: u.Name}
		}
	}
}
