package major

import (
	"cmp"
	"slices"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// EntryKind classifies a major incident's own timeline entries.
type EntryKind string

// Entry kinds the major incident records itself.
const (
	EntryDeclared      EntryKind = "declared"
	EntryRoleAssigned  EntryKind = "role_assigned"
	EntryRoleRemoved   EntryKind = "role_removed"
	EntryChildAttached EntryKind = "child_attached"
	EntryUpdatePosted  EntryKind = "update_posted"
	EntryCadenceSet    EntryKind = "cadence_set"
	EntryCadenceWarned EntryKind = "cadence_warned"
	EntryCadenceMissed EntryKind = "cadence_missed"
	EntryBridgeSet     EntryKind = "bridge_set"
	EntryPublished     EntryKind = "published"
	EntryResolved      EntryKind = "resolved"
	EntryClosed        EntryKind = "closed"
	EntryNote          EntryKind = "note"
	// Entries from the tickets (see Merge): the parent's and children's key
	// events, alerts, pages and acknowledgements.
	EntryTicketEvent EntryKind = "ticket_event"
)

// Entry is one line of the merged timeline.
type Entry struct {
	ID      int64 // the major incident's own entry; 0 for ticket events
	EventID int64 // the ticket event; 0 for own entries
	MajorID int64
	At      time.Time
	ActorID int64 // 0: the system
	Actor   string
	Kind    EntryKind
	// TicketID and Number name the ticket a ticket event is from.
	TicketID int64
	Number   string
	// Event is the ticket event's kind; Text says what happened, in
	// English (for clients that show text as it is).
	Event desk.EventKind
	Text  string
	// Code and Params say what happened for readers to word in their own
	// language (internal/reasons): an own entry's reason, or a ticket
	// event's reason. Old own entries without a code are read back from
	// their English (desk.ParseReason).
	Code   desk.ReasonCode
	Params desk.ReasonParams
	// From and To are a ticket event's state change; Body its public
	// comment on one line.
	From, To desk.State
	Body     string
	Key      bool // marked key: it goes into the review
}

// said is e with its reason: code and params (name, value pairs), and the
// English sentence in Text.
func said(e Entry, code desk.ReasonCode, kv ...string) Entry {
	p := desk.ReasonParams{}
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i]] = kv[i+1]
	}
	if len(p) == 0 {
		p = nil
	}
	e.Code, e.Params, e.Text = code, p, desk.ReasonText(code, p)
	return e
}

// Why returns the entry's reason code and params: the stored ones, else
// those of English written before codes existed; ok is false for text a
// person wrote (or a ticket event without a reason).
func (e *Entry) Why() (desk.ReasonCode, desk.ReasonParams, bool) {
	if e.Code != "" {
		return e.Code, e.Params, true
	}
	if e.EventID != 0 {
		return "", nil, false
	}
	return desk.ParseReason(e.Text)
}

// hhmm is how a reason names an instant: its time of day in UTC.
func hhmm(t time.Time) string { return t.UTC().Format("15:04 MST") }

// keyTicketEvents are the ticket events that join the merged timeline:
// what changes the state of the response, not every field edit.
var keyTicketEvents = map[desk.EventKind]bool{
	desk.EventCreated: true, desk.EventTransition: true, desk.EventEscalated: true,
	desk.EventComment: true, desk.EventSLABreached: true,
	desk.EventPageStarted: true, desk.EventPageAcknowledged: true, desk.EventPageResolved: true,
	desk.EventPageExhausted: true, desk.EventAlertFiring: true, desk.EventAlertResolved: true,
}

// JoinsTimeline reports whether a ticket event of kind joins the merged
// timeline; work notes and field edits stay on the ticket.
func JoinsTimeline(k desk.EventKind) bool { return keyTicketEvents[k] }

// Merge returns own entries and the tickets' events in one timeline, by
// time (own entries first at the same instant), with each ticket event
// marked key when keyEvents holds its id.
func Merge(own []Entry, events []Entry, keyEvents map[int64]bool) []Entry {
	out := make([]Entry, 0, len(own)+len(events))
	out = append(out, own...)
	for _, e := range events {
		e.Kind = EntryTicketEvent
		e.Key = keyEvents[e.EventID]
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b Entry) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.EventID, b.EventID) // own entries (0) first
	})
	return out
}
