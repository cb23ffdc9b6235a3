package desk

import (
	"context"
	"strings"
	"time"
)

// Notification kinds written with ticket changes (the SLA runner writes
// OutboxSLAWarning, OutboxSLABreached and OutboxPage).
const (
	// To the requester.
	OutboxRegistered    OutboxKind = "ticket_registered" // number and turnaround promise
	OutboxFirstResponse OutboxKind = "first_response"
	OutboxComment       OutboxKind = "comment" // public comment by staff
	OutboxOnHold        OutboxKind = "on_hold" // awaiting the requester
	OutboxResolved      OutboxKind = "resolved"
	OutboxClosed        OutboxKind = "closed"
	OutboxCallScheduled OutboxKind = "call_scheduled" // with an iCalendar REQUEST
	OutboxCallCanceled  OutboxKind = "call_canceled"  // with an iCalendar CANCEL
	// To staff.
	OutboxRequesterReplied OutboxKind = "requester_replied" // to the assignee, else the group
	OutboxAssigned         OutboxKind = "assigned"          // to you
	OutboxGroupAssigned    OutboxKind = "group_assigned"    // to your group, nobody assigned
	OutboxEscalated        OutboxKind = "escalated"         // to your line, or to you as manager
)

// NotificationKinds lists every kind a user can receive, in the order the
// preferences show them.
var NotificationKinds = []OutboxKind{
	OutboxRegistered, OutboxFirstResponse, OutboxComment, OutboxOnHold, OutboxResolved, OutboxClosed, OutboxMerged,
	OutboxCallScheduled, OutboxCallCanceled,
	OutboxRequesterReplied, OutboxAssigned, OutboxGroupAssigned, OutboxEscalated,
	OutboxSLAWarning, OutboxSLABreached, OutboxPage, OutboxOnCallPage,
}

// MandatoryKind reports whether kind is staff-critical: it cannot be
// turned off, because someone must act on it now.
func MandatoryKind(kind OutboxKind) bool {
	return kind == OutboxSLABreached || kind == OutboxPage || kind == OutboxOnCallPage ||
		kind == OutboxSecurityOpened || kind == OutboxSecurityAccess || kind == OutboxBreachWarning || kind == OutboxBreachMissed ||
		kind == OutboxPlaybookOverdue
}

// notifier collects the notifications of one change. Who is told what:
//
//   - the requester hears of registration (even when they registered it
//     themselves: the number and the promise are news to them), the first
//     response, staff's public comments, a hold awaiting them, the
//     resolution, the closure and calls;
//   - staff hear of a requester's reply (the assignee, else the group), an
//     assignment to them or (nobody assigned) to their group, and an
//     escalation to their line or, hierarchical, to them as the manager.
//
// Nobody is told of a change they made themselves (so mail from the
// requester never echoes back to them), internal notes reach no requester,
// nobody is told of a ticket they may not see, and a kind the recipient
// turned off is not written.
type notifier struct {
	s     *Desk
	t     *Ticket
	actor *User // nil: the system
	now   time.Time
}

// notify attaches to each event the notifications it causes on t (as it is
// after the change).
func (s *Desk) notify(ctx context.Context, t *Ticket, actor *User, events []Event) error {
	n := notifier{s: s, t: t, actor: actor, now: s.clock.Now()}
	for i := range events {
		msgs, err := n.forEvent(ctx, &events[i], events)
		if err != nil {
			return err
		}
		events[i].Notify = append(events[i].Notify, msgs...)
	}
	return nil
}

func (n *notifier) forEvent(ctx context.Context, e *Event, all []Event) ([]OutboxMessage, error) {
	t := n.t
	if t.Security {
		return n.securityMessages(ctx, e)
	}
	var out []OutboxMessage
	add := func(kind OutboxKind, userIDs []int64, extra map[string]string) error {
		msgs, err := n.messages(ctx, kind, userIDs, extra)
		out = append(out, msgs...)
		return err
	}
	staffActor := n.actor != nil && n.actor.Role.IsStaff()
	changed := func(field string) (Change, bool) {
		for _, c := range e.Changes {
			if c.Field == field {
				return c, true
			}
		}
		return Change{}, false
	}
	requester := []int64{t.Requester.ID}
	var err error
	switch e.Kind {
	case EventCreated:
		if resolvedOnCreation(all) {
			// Registered and resolved on first contact: the requester gets
			// one mail, the resolution (it names the ticket, what was done
			// and how to reopen), and no queue hears of a ticket it has
			// nothing to do for.
			break
		}
		promise, perr := n.promise(ctx, all)
		if perr != nil {
			return nil, perr
		}
		err = add(OutboxRegistered, requester, promise)
		if err == nil {
			err = n.routed(ctx, add)
		}
	case EventComment:
		extra := map[string]string{"body": e.Body}
		switch {
		case staffActor:
			kind := OutboxComment
			if _, ok := changed("first_response_at"); ok {
				kind = OutboxFirstResponse
			}
			err = add(kind, requester, extra)
		default:
			var to []int64
			if to, err = n.workers(ctx); err == nil {
				err = add(OutboxRequesterReplied, to, extra)
			}
		}
	case EventTransition:
		st, _ := changed("state")
		switch State(st.New) {
		case StateOnHold:
			if t.HoldReason == HoldAwaitingRequester {
				err = add(OutboxOnHold, requester, withReason(map[string]string{}, e.Reason, e.ReasonCode, e.ReasonParams))
			}
		case StateResolved:
			err = add(OutboxResolved, requester, map[string]string{"resolution_code": string(t.ResolutionCode),
				"resolution": t.ResolutionNotes, "reopen_until": rfc3339After(t.ResolvedAt, n.s.cfg.ReopenWindow)})
		case StateClosed:
			err = add(OutboxClosed, requester, nil)
		case StateInProgress:
			if _, ok := changed("first_response_at"); ok && staffActor {
				err = add(OutboxFirstResponse, requester, nil)
			}
		}
		if a, ok := changed("assignee"); err == nil && ok && a.New != "" {
			err = n.assigned(ctx, add)
		}
	case EventUpdated, EventReassigned:
		if a, ok := changed("assignee"); ok && a.New != "" {
			err = n.assigned(ctx, add)
		} else if _, ok := changed("group"); ok {
			err = n.routed(ctx, add)
		}
	case EventEscalated:
		var to []int64
		if t.Assignee != nil {
			to = []int64{t.Assignee.ID}
		} else if to, err = n.members(ctx, t.Group.ID); err != nil {
			return nil, err
		}
		extra := map[string]string{"line": lineText(t.Group.Line)}
		if e.diagnosis != "" {
			extra["diagnosis"] = e.diagnosis
		}
		err = add(OutboxEscalated, to, withReason(extra, e.Reason, e.ReasonCode, e.ReasonParams))
	case EventManagerFlagged:
		g, gerr := n.s.store.GetGroup(ctx, t.Group.ID)
		if gerr != nil {
			return nil, gerr
		}
		if g.Manager != nil {
			err = add(OutboxEscalated, []int64{g.Manager.ID}, withReason(map[string]string{"manager": "true"}, e.Reason, e.ReasonCode, e.ReasonParams))
		}
	}
	return out, err
}

// resolvedOnCreation reports whether the events of one step register a
// ticket and resolve it on first contact.
func resolvedOnCreation(events []Event) bool {
	for i := range events {
		for _, c := range events[i].Changes {
			if c.Field == FieldFirstContact && c.New == "true" {
				return true
			}
		}
	}
	return false
}

func lineText(l Line) string { return string(rune('0' + int(l))) }

func rfc3339After(t *time.Time, plus time.Duration) string {
	if t == nil {
		return ""
	}
	return t.Add(plus).UTC().Format(time.RFC3339)
}

// promise is the turnaround promise of a new ticket: the deadlines of its
// response and resolution clocks, if an SLA policy applies.
func (n *notifier) promise(ctx context.Context, events []Event) (map[string]string, error) {
	sc, err := n.s.slaFor(ctx, n.t)
	if err != nil || sc.policy == nil {
		return nil, err
	}
	history := make([]*Event, len(events))
	for i := range events {
		history[i] = &events[i]
	}
	out := map[string]string{}
	for _, c := range SLAClocks(n.t, history, sc.policy, sc.cal, n.now) {
		switch c.Kind {
		case SLAResponse:
			out["respond_by"] = rfc3339After(c.Deadline, 0)
		case SLAResolution:
			out["resolve_by"] = rfc3339After(c.Deadline, 0)
		}
	}
	return out, nil
}

// routed tells the assignee, or the group when nobody is assigned.
func (n *notifier) routed(ctx context.Context, add func(OutboxKind, []int64, map[string]string) error) error {
	if n.t.Assignee != nil {
		return n.assigned(ctx, add)
	}
	members, err := n.members(ctx, n.t.Group.ID)
	if err != nil {
		return err
	}
	return add(OutboxGroupAssigned, members, nil)
}

func (n *notifier) assigned(_ context.Context, add func(OutboxKind, []int64, map[string]string) error) error {
	return add(OutboxAssigned, []int64{n.t.Assignee.ID}, nil)
}

// workers are who works the ticket: the assignee, else the group.
func (n *notifier) workers(ctx context.Context) ([]int64, error) {
	if n.t.Assignee != nil {
		return []int64{n.t.Assignee.ID}, nil
	}
	return n.members(ctx, n.t.Group.ID)
}

func (n *notifier) members(ctx context.Context, groupID int64) ([]int64, error) {
	users, err := n.s.store.GroupMembers(ctx, groupID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(users))
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	return ids, nil
}

// messages writes one message of kind to each user that should get it.
func (n *notifier) messages(ctx context.Context, kind OutboxKind, userIDs []int64, extra map[string]string) ([]OutboxMessage, error) {
	ids := make([]int64, 0, len(userIDs))
	seen := map[int64]bool{}
	for _, id := range userIDs {
		self := n.actor != nil && n.actor.ID == id && kind != OutboxRegistered
		if seen[id] || self {
			continue
		}
		seen[id] = true
		ids = append(ids, id)
	}
	to, err := n.s.recipients(ctx, ids, kind, n.t)
	if err != nil {
		return nil, err
	}
	var out []OutboxMessage
	for _, id := range to {
		out = append(out, OutboxMessage{Kind: kind, UserID: id, Payload: n.payload(extra)})
	}
	return out, nil
}

// recipients returns those of ids, in their order, that are active users
// with an address who may see t (nil: whether or not they see it) and have not turned kind off; all of them
// are read at once.
func (s *Desk) recipients(ctx context.Context, ids []int64, kind OutboxKind, t *Ticket) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rs, err := s.store.Recipients(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, id := range ids {
		r, ok := rs[id]
		if !ok {
			continue
		}
		if u := r.User; u.Active && mailable(u.Email) && (t == nil || canSee(u, t)) && r.Preferences.Receives(kind) {
			out = append(out, id)
		}
	}
	return out, nil
}

// payload is what every notification about the ticket carries; extra adds
// the kind's own fields. The number of a ticket being registered is not
// known yet: the sender reads it from the ticket.
func (n *notifier) payload(extra map[string]string) map[string]string {
	t := n.t
	p := map[string]string{"ticket": t.Number, "title": t.Title, "priority": string(t.Priority),
		"state": string(t.State), "group": t.Group.Name}
	if n.actor != nil {
		p["actor"] = n.actor.Name
	}
	if t.Assignee != nil {
		p["assignee"] = t.Assignee.Name
	}
	for k, v := range extra {
		if v != "" {
			p[k] = v
		}
	}
	if p["ticket"] == "" {
		delete(p, "ticket")
	}
	return p
}

// mailable reports whether mail to addr can ever arrive: not empty, and not
// under the .invalid top-level domain (RFC 2606), which stands for the
// requester of alert incidents (IntegrationEmail). Queueing mail for such an
// address would only fill the outbox with failures.
func mailable(addr string) bool {
	return addr != "" && !strings.HasSuffix(strings.ToLower(addr), ".invalid")
}
