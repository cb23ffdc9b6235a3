package sqlstore

import (
	"context"
	"database/sql"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/sso"
)

// The audit entries of the desk's writes (see Audit). Details name what
// changed, never a secret and never a comment's or description's text.

func (s *Store) auditTicketCreate(ctx context.Context, tx *sql.Tx, id int64, number string, t *desk.Ticket, events []desk.Event) error {
	return s.Audit(ctx, tx, audit.Entry{
		ActorID: eventsActor(events), Kind: "ticket.create", Subject: audit.Subject("ticket", id),
		Detail: audit.Detail("number", number, "type", string(t.Type), "priority", string(t.Priority),
			"group", t.Group.ID, "channel", string(t.Channel), "events", eventKinds(events)),
	})
}

func (s *Store) auditEvents(ctx context.Context, tx *sql.Tx, ticketID int64, events []desk.Event) error {
	if len(events) == 0 {
		return nil
	}
	var fields []string
	for _, e := range events {
		for _, c := range e.Changes {
			fields = append(fields, c.Field)
		}
	}
	return s.Audit(ctx, tx, audit.Entry{
		ActorID: eventsActor(events), Kind: "ticket.update", Subject: audit.Subject("ticket", ticketID),
		Detail: audit.Detail("events", eventKinds(events), "fields", fields),
	})
}

// eventsActor is the first event's actor (0 for the desk itself, then the
// signed-in user in ctx is taken).
func eventsActor(events []desk.Event) int64 {
	for _, e := range events {
		if e.Actor != nil {
			return e.Actor.ID
		}
	}
	return 0
}

func eventKinds(events []desk.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = string(e.Kind)
	}
	return out
}

func (s *Store) auditUser(ctx context.Context, tx *sql.Tx, kind string, u *desk.User, groups []int64) error {
	return s.audit(ctx, tx, kind, audit.Subject("user", u.ID), audit.Detail(
		"email", u.Email, "role", string(u.Role), "active", u.Active, "vip", u.VIP, "groups", groups))
}

// inAuditedTx is inTx with the write's audit entry appended after fn
// succeeded, in its transaction (entry may read what fn set, such as a new
// row's id).
func (s *Store) inAuditedTx(ctx context.Context, entry func() audit.Entry, fn func(tx *sql.Tx) error) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return s.Audit(ctx, tx, entry())
	})
}

// entry is an audit entry of the actor in ctx, made when it is appended.
func entry(kind string, subject func() string, kv ...any) func() audit.Entry {
	return func() audit.Entry { return audit.Entry{Kind: kind, Subject: subject(), Detail: audit.Detail(kv...)} }
}

// about returns the subject of record kind with the id *id holds when the
// entry is made.
func about(kind string, id *int64) func() string {
	return func() string { return audit.Subject(kind, *id) }
}

// named returns a subject that is a name rather than an id.
func named(kind, name string) func() string { return func() string { return kind + "/" + name } }

// importedTickets is the one entry of a bulk import of tickets: how many,
// and the first and last numbers.
func importedTickets(tickets []*desk.Ticket) func() audit.Entry {
	return func() audit.Entry {
		d := audit.Detail("count", len(tickets))
		if len(tickets) > 0 {
			d = audit.Detail("count", len(tickets), "first", tickets[0].Number, "last", tickets[len(tickets)-1].Number)
		}
		return audit.Entry{Kind: "import.tickets", Subject: "import/tickets", Detail: d}
	}
}

// deleteAudited is deleteByID in a transaction with the entry kind about
// subject appended.
func (s *Store) deleteAudited(ctx context.Context, kind string, subject func() string, what, q string, args ...any) error {
	return s.inAuditedTx(ctx, entry(kind, subject), func(tx *sql.Tx) error { return deleteByID(ctx, tx, what, q, args...) })
}

// auditMajor is the entry of a major incident's save: its ticket, state
// and what the save carried (no text of updates or entries).
func (s *Store) auditMajor(ctx context.Context, tx *sql.Tx, sv major.Save, insert bool) error {
	m := sv.Incident
	kind := "major.update"
	if insert {
		kind = "major.create"
	}
	return s.audit(ctx, tx, kind, audit.Subject("major", m.ID), audit.Detail("ticket", m.TicketID,
		"entries", len(sv.Entries), "children", len(sv.Children), "update", sv.Update != nil, "pages", len(sv.Pages)))
}

// fixed is an entry made before the write (its subject known already).
func fixed(e audit.Entry) func() audit.Entry { return func() audit.Entry { return e } }

func ssoRuleEntry(kind string, r *sso.Rule) func() audit.Entry {
	return entry(kind, about("sso_rule", &r.ID), "claim", r.Claim, "role", string(r.Role), "group", r.GroupID)
}
