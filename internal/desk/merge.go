package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// OutboxMerged tells a requester that their ticket duplicated another and
// was closed into it (once per requester and merge, however many of their
// tickets it took).
const OutboxMerged OutboxKind = "merged"

// TicketRef names a ticket (id or number) and, when not 0, the version the
// caller last saw: a ticket changed since is refused with ESTALE.
type TicketRef struct {
	Ref     string
	Version int
}

// TicketOutcome is what an action on many tickets did to one of them:
// Ticket after the change, or Err, the refusal (a desk error with its code
// and rule).
type TicketOutcome struct {
	Ref    string
	Ticket *Ticket
	Err    error
}

// MergeStore stores a merged duplicate.
type MergeStore interface {
	// MergeTicket stores t and events as UpdateTicket does and, in the same
	// transaction, link (when not nil) as AddLink does: all or nothing.
	MergeTicket(ctx context.Context, t *Ticket, events []Event, link *MergeLink, timers ...Timer) error
}

// MergeLink is a duplicate's link to the ticket it merges into, with the
// events it writes on each.
type MergeLink struct {
	Link               Link
	FromEvent, ToEvent Event
}

// MergeInput merges Duplicates into the ticket Into.
type MergeInput struct {
	Into       string
	Duplicates []TicketRef
}

// MergeTickets closes duplicates into one surviving ticket (staff who may
// see them): each duplicate is linked duplicate_of the survivor, then
// canceled (an open one) or closed (a resolved one) with the survivor
// named in its history (field "merged_into") and the reason; its requester
// is told once per merge (OutboxMerged), however many of their tickets it
// took, instead of the usual closing notice. Each duplicate is its own
// change, under the desk's rules for it: one refused (not visible, already
// closed or canceled, changed since the version given, linked elsewhere)
// leaves the others merged; the outcomes say which. A survivor that is
// closed or canceled refuses the whole merge (rule merge_target).
func (s *Desk) MergeTickets(ctx context.Context, in MergeInput) (*Ticket, []TicketOutcome, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, nil, err
	}
	into, err := s.loadTicket(ctx, u, strings.TrimSpace(in.Into))
	if err != nil {
		return nil, nil, err
	}
	if into.State.IsFinal() {
		return nil, nil, Refusef(ECONFLICT, RuleMergeTarget, Params{"state": string(into.State)}, "ticket %s is %s: merge into an open ticket", into.Number, into.State)
	}
	if len(in.Duplicates) == 0 {
		return nil, nil, fieldErr("duplicates", RuleRequired, nil, "name at least one duplicate")
	}
	out := make([]TicketOutcome, len(in.Duplicates))
	told := map[int64]bool{}
	for i, d := range in.Duplicates {
		out[i].Ref = d.Ref
		out[i].Ticket, out[i].Err = s.mergeOne(ctx, u, into, d, told)
	}
	into, err = s.loadTicket(ctx, u, into.Number)
	return into, out, err
}

// mergeOne merges one duplicate; told holds the requesters already told.
func (s *Desk) mergeOne(ctx context.Context, u *User, into *Ticket, d TicketRef, told map[int64]bool) (*Ticket, error) {
	t, err := s.loadTicket(ctx, u, strings.TrimSpace(d.Ref))
	if err != nil {
		return nil, err
	}
	if err := checkVersion(t, d.Version); err != nil {
		return nil, err
	}
	switch {
	case t.ID == into.ID:
		return nil, Refusef(ECONFLICT, RuleMergeTarget, nil, "ticket %s is the one the others merge into", t.Number)
	case t.State.IsFinal():
		return nil, Refusef(ECONFLICT, RuleNotOpen, Params{"state": string(t.State)}, "ticket %s is %s already", t.Number, t.State)
	case t.Security != into.Security:
		return nil, Refusef(ECONFLICT, RuleSecurityCase, nil, "ticket %s and %s: a security case merges only with another", t.Number, into.Number)
	}
	link, err := s.duplicateLink(ctx, u, t, into)
	if err != nil {
		return nil, err
	}
	to := StateCanceled
	if t.State == StateResolved {
		to = StateClosed
	}
	if !CanTransition(t.State, to) {
		return nil, transitionError(t.State, to)
	}
	ev := Event{Kind: EventTransition, Public: true}.because(ReasonDuplicateOf, "ticket", into.Number)
	ch := changeSet{}
	if err := s.enter(ctx, u, t, TransitionInput{To: to, Reason: ev.Reason}, &ch); err != nil {
		return nil, err
	}
	ch = append(changeSet{{Field: "state", Old: string(t.State), New: string(to)}}, ch...)
	ch.add("merged_into", "", into.Number)
	t.State = to
	ev.Changes = ch
	if err := s.saveMerged(ctx, t, u, into, ev, link, !told[t.Requester.ID]); err != nil {
		return nil, fmt.Errorf("merge ticket %s into %s: %w", t.Number, into.Number, err)
	}
	told[t.Requester.ID] = true
	return t, nil
}

// duplicateLink is the link t duplicate_of into to store with the
// closing, nil when it is there already.
func (s *Desk) duplicateLink(ctx context.Context, u *User, t, into *Ticket) (*MergeLink, error) {
	links, err := s.store.TicketLinks(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(links, func(l Link) bool { return l.FromID == t.ID && l.ToID == into.ID && l.Kind == LinkDuplicateOf }) {
		return nil, nil
	}
	now := s.clock.Now()
	return &MergeLink{Link: Link{FromID: t.ID, ToID: into.ID, Kind: LinkDuplicateOf, CreatedAt: now, CreatedBy: u.ID},
		FromEvent: linkEvent(EventLinked, LinkDuplicateOf, into, t, u, now),
		ToEvent:   linkEvent(EventLinked, LinkDuplicatedBy, t, into, u, now)}, nil
}

// saveMerged stores a duplicate's closing and its link to the survivor in
// one transaction (a merge is one change: never linked but left open, nor
// closed without its link), like save does, with the merge notice to its
// requester (when tell) in place of the usual notifications.
func (s *Desk) saveMerged(ctx context.Context, t *Ticket, u *User, into *Ticket, ev Event, link *MergeLink, tell bool) error {
	now := s.clock.Now()
	t.UpdatedAt = now
	events := []Event{ev}
	stamp(events, u, now)
	if tell {
		n := notifier{s: s, t: t, actor: u, now: now}
		msgs, err := n.messages(ctx, OutboxMerged, []int64{t.Requester.ID},
			map[string]string{"into": into.Number, "into_title": into.Title})
		if err != nil {
			return err
		}
		events[0].Notify = msgs
	}
	timers, err := s.timersAfter(ctx, t, true, events)
	if err != nil {
		return err
	}
	if err := s.store.MergeTicket(ctx, t, events, link, timers...); err != nil {
		return err
	}
	s.pagesAfterSave(ctx, t, u)
	return nil
}
