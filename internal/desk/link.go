package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// LinkKind says how a ticket relates to another, as seen from the first.
type LinkKind string

// Link kinds. Each has an inverse seen from the other ticket: related is
// its own; duplicate_of ↔ duplicated_by; child_of ↔ parent_of.
const (
	LinkRelated      LinkKind = "related"
	LinkDuplicateOf  LinkKind = "duplicate_of"  // this ticket reports the same thing as the other
	LinkDuplicatedBy LinkKind = "duplicated_by" // the other is a duplicate of this one
	LinkChildOf      LinkKind = "child_of"      // this ticket is part of the other
	LinkParentOf     LinkKind = "parent_of"     // the other is part of this one
)

// LinkKinds lists every kind a caller may name.
var LinkKinds = []LinkKind{LinkRelated, LinkDuplicateOf, LinkDuplicatedBy, LinkChildOf, LinkParentOf}

// Inverse is the kind as seen from the other ticket.
func (k LinkKind) Inverse() LinkKind {
	switch k {
	case LinkDuplicateOf:
		return LinkDuplicatedBy
	case LinkDuplicatedBy:
		return LinkDuplicateOf
	case LinkChildOf:
		return LinkParentOf
	case LinkParentOf:
		return LinkChildOf
	}
	return k
}

// stored reports whether k is stored as named (related, duplicate_of,
// child_of) or from the other ticket's side.
func (k LinkKind) stored() bool {
	return k == LinkRelated || k == LinkDuplicateOf || k == LinkChildOf
}

// Link is a link as stored: Kind is related, duplicate_of or child_of, read
// from FromID to ToID. A pair of tickets has at most one link; a ticket
// duplicates at most one ticket and has at most one parent, and parents
// never form a cycle.
type Link struct {
	FromID, ToID int64
	Kind         LinkKind
	CreatedAt    time.Time
	CreatedBy    int64
}

// Of returns the link as seen from ticket id: its kind from that side and
// the other ticket's id.
func (l Link) Of(id int64) (LinkKind, int64) {
	if l.FromID == id {
		return l.Kind, l.ToID
	}
	return l.Kind.Inverse(), l.FromID
}

// LinkStore keeps links between tickets. Adding or removing one records an
// internal event on both tickets and gives both a new version, in one
// transaction.
type LinkStore interface {
	// AddLink stores l with evFrom on l.FromID and evTo on l.ToID. A link
	// between the same two tickets either way round, a second original or a
	// second parent is ECONFLICT; a self-link, or a child_of that would make
	// a ticket its own ancestor, is EINVALID on "ticket"; a missing ticket
	// is ENOTFOUND.
	AddLink(ctx context.Context, l Link, evFrom, evTo Event) error
	// RemoveLink deletes exactly l with the two events; ENOTFOUND if it is
	// not stored (any more).
	RemoveLink(ctx context.Context, l Link, evFrom, evTo Event) error
	// TicketLinks returns the links of a ticket in either direction, oldest
	// first.
	TicketLinks(ctx context.Context, ticketID int64) ([]Link, error)
}

// LinkedTicket is one link of a ticket as a person reads it.
type LinkedTicket struct {
	Kind      LinkKind
	ID        int64
	Number    string
	Title     string
	State     State
	Priority  Priority
	CreatedAt time.Time
}

// LinkInput names the other ticket and how the first relates to it.
type LinkInput struct {
	Kind   LinkKind
	Ticket string // id or number of the other ticket
}

// LinkTickets links ticket ref to in.Ticket (staff who may see both). The
// link shows on both tickets and on both timelines.
func (s *Desk) LinkTickets(ctx context.Context, ref string, in LinkInput) (*LinkedTicket, error) {
	u, t, other, err := s.linkPair(ctx, ref, in)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(LinkKinds, in.Kind) {
		return nil, fieldErr("kind", RuleOneOf, Params{"allowed": names(LinkKinds)}, "must be one of %s", strings.Join(names(LinkKinds), ", "))
	}
	if t.ID == other.ID {
		return nil, fieldErr("ticket", RuleNotAllowed, nil, "a ticket cannot be linked to itself")
	}
	now := s.clock.Now()
	l := Link{FromID: t.ID, ToID: other.ID, Kind: in.Kind, CreatedAt: now, CreatedBy: u.ID}
	if !in.Kind.stored() {
		l = Link{FromID: other.ID, ToID: t.ID, Kind: in.Kind.Inverse(), CreatedAt: now, CreatedBy: u.ID}
	}
	evT, evOther := linkEvent(EventLinked, in.Kind, other, t, u, now), linkEvent(EventLinked, in.Kind.Inverse(), t, other, u, now)
	if l.FromID != t.ID {
		evT, evOther = evOther, evT // events go with From, To
	}
	if err := s.store.AddLink(ctx, l, evT, evOther); err != nil {
		return nil, fmt.Errorf("link %s to %s: %w", t.Number, other.Number, err)
	}
	return linkedTicket(in.Kind, other, now), nil
}

// UnlinkTickets removes the link between ticket ref and other, whichever
// way it was made.
func (s *Desk) UnlinkTickets(ctx context.Context, ref, otherRef string) error {
	u, t, other, err := s.linkPair(ctx, ref, LinkInput{Ticket: otherRef})
	if err != nil {
		return err
	}
	links, err := s.store.TicketLinks(ctx, t.ID)
	if err != nil {
		return err
	}
	for _, l := range links {
		kind, id := l.Of(t.ID)
		if id != other.ID {
			continue
		}
		now := s.clock.Now()
		evFrom, evTo := linkEvent(EventUnlinked, kind, other, t, u, now), linkEvent(EventUnlinked, kind.Inverse(), t, other, u, now)
		if l.FromID != t.ID {
			evFrom, evTo = evTo, evFrom
		}
		return s.store.RemoveLink(ctx, l, evFrom, evTo)
	}
	return Errorf(ENOTFOUND, "%s is not linked to %s", t.Number, other.Number)
}

// linkPair loads both tickets for a staff actor who may see them.
func (s *Desk) linkPair(ctx context.Context, ref string, in LinkInput) (*User, *Ticket, *Ticket, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	t, err := s.loadTicket(ctx, u, ref)
	if err != nil {
		return nil, nil, nil, err
	}
	if strings.TrimSpace(in.Ticket) == "" {
		return nil, nil, nil, fieldErr("ticket", RuleRequired, nil, "is required: the id or number of the other ticket")
	}
	other, err := s.loadTicket(ctx, u, in.Ticket)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, nil, fieldErr("ticket", RuleUnknown, nil, "no ticket %q", in.Ticket)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	return u, t, other, nil
}

// TicketLinks returns the links of ticket ref that the actor (staff) may
// see, oldest first; links to tickets hidden from the actor are left out.
func (s *Desk) TicketLinks(ctx context.Context, ref string) ([]LinkedTicket, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.loadTicket(ctx, u, ref)
	if err != nil {
		return nil, err
	}
	return s.linksOf(ctx, u, t)
}

// LinksFor is TicketLinks for a ticket already loaded by the actor;
// requesters get none (links name other people's tickets).
func (s *Desk) LinksFor(ctx context.Context, t *Ticket) ([]LinkedTicket, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !u.Role.IsStaff() {
		return nil, nil
	}
	return s.linksOf(ctx, u, t)
}

func (s *Desk) linksOf(ctx context.Context, u *User, t *Ticket) ([]LinkedTicket, error) {
	links, err := s.store.TicketLinks(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	out := []LinkedTicket{}
	for _, l := range links {
		kind, id := l.Of(t.ID)
		other, err := s.store.GetTicket(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("linked ticket %d: %w", id, err)
		}
		if canSee(u, other) {
			out = append(out, *linkedTicket(kind, other, l.CreatedAt))
		}
	}
	return out, nil
}

func linkedTicket(kind LinkKind, t *Ticket, at time.Time) *LinkedTicket {
	return &LinkedTicket{Kind: kind, ID: t.ID, Number: t.Number, Title: t.Title, State: t.State,
		Priority: t.Priority, CreatedAt: at}
}

// linkEvent is the internal timeline entry of a link on one ticket: the
// change names the kind and the other ticket ("duplicate_of INC-000002").
// linkEvent is the entry on ticket on naming other; a security case is not
// named on a ticket that is not one (security.go).
func linkEvent(kind EventKind, lk LinkKind, other, on *Ticket, u *User, now time.Time) Event {
	number := other.Number
	if other.Security && !on.Security {
		number = SecurityCaseMask
	}
	ch := Change{Field: "link", New: string(lk) + " " + number}
	if kind == EventUnlinked {
		ch = Change{Field: "link", Old: ch.New}
	}
	return Event{Kind: kind, At: now, Actor: &Ref{ID: u.ID, Name: u.Name}, Changes: []Change{ch}}
}

// Timeline entries of links: internal, on both tickets.
const (
	EventLinked   EventKind = "linked"
	EventUnlinked EventKind = "unlinked"
)
