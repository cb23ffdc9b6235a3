package desk

import "time"

// Ref names another record by id, with its display name filled by the store
// when read.
type Ref struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Gender is the person's grammatical gender where the reader needs it
	// (an event's actor, for the verb after the name); "" when unknown or
	// not read.
	Gender Gender `json:"-"`
}

// Person is a requester as seen on a ticket. Organization and VIP are
// the user's as read with the ticket, not a copy taken when it was filed.
type Person struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	Phone        string `json:"phone"`
	Organization string `json:"organization"`
	VIP          bool   `json:"vip"`
}

// GroupRef names a support group and its line.
type GroupRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Line Line   `json:"line"`
	// Security is set on a user's memberships of security groups (see
	// security.go); tickets' group refs leave it false.
	Security bool `json:"-"`
}

// Ticket is an incident or a service request.
type Ticket struct {
	ID          int64
	Number      string // INC-000123 / REQ-000045; assigned by the store on create
	Type        TicketType
	Title       string
	Description string
	Symptoms    string
	State       State
	HoldReason  HoldReason // set only while on hold
	Impact      Level
	Urgency     Level
	Priority    Priority
	Category    *Ref
	Subcategory *Ref
	Service     *Ref
	Group       GroupRef
	Assignee    *Ref
	Requester   Person
	Channel     Channel
	Restricted  bool // visible only to its group's members, managers and admins
	// Security marks a security case: deny-by-default visibility (see
	// security.go). SecurityMembers are the people named on the case, read
	// with the ticket; the store adds rows missing from its table and never
	// removes one.
	Security        bool
	SecurityMembers []SecurityMember
	// Breach is a security case's regulatory record (breach_case.go), read
	// with the ticket; nil until its owner records awareness or regimes.
	Breach *BreachCase

	ReportedAt      time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
	FirstResponseAt *time.Time
	ResolvedAt      *time.Time
	ClosedAt        *time.Time
	CanceledAt      *time.Time
	ManagerFlagAt   *time.Time // last hierarchical escalation

	ResolutionCode  ResolutionCode
	ResolutionNotes string

	ReopenCount       int
	ReassignmentCount int
	EscalationCount   int

	// SLA is the ticket's SLA position as the desk last computed it.
	SLA SLAStatus

	CreatedBy int64
	// Version increases by one on every stored change; it is the ETag and the
	// optimistic-concurrency token.
	Version int
}

// Line is the support line the ticket sits on (its group's line).
func (t *Ticket) Line() Line { return t.Group.Line }

// EventKind classifies a history entry.
type EventKind string

const (
	EventCreated        EventKind = "created"
	EventUpdated        EventKind = "updated"         // field changes
	EventTransition     EventKind = "transition"      // state change
	EventComment        EventKind = "comment"         // public
	EventWorkNote       EventKind = "work_note"       // internal
	EventReassigned     EventKind = "reassigned"      // group changed within or down a line
	EventEscalated      EventKind = "escalated"       // functional: to a higher line
	EventManagerFlagged EventKind = "manager_flagged" // hierarchical
	// EventSLAWarning and EventSLABreached are internal events recorded by
	// the job runner, with the clock kind and percent in Changes.
	EventSLAWarning  EventKind = "sla_warning"
	EventSLABreached EventKind = "sla_breached"
)

// Change is one field's old and new value, as text.
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Event is one append-only history entry of a ticket.
type Event struct {
	ID       int64
	TicketID int64
	At       time.Time
	Actor    *Ref // nil for the system
	Kind     EventKind
	Public   bool // visible to the requester
	Body     string
	Reason   string
	// ReasonCode and ReasonParams are set when the desk itself gave the
	// reason (Reason then holds it in English); see reason.go.
	ReasonCode   ReasonCode
	ReasonParams ReasonParams
	Changes      []Change
	// Mail, when set, is the e-mail message this event came from (or, for
	// outbound mail, was sent as): the store records it against the ticket
	// in the same transaction, and refuses a Message-ID it already holds
	// with ECONFLICT, so a redelivered message never adds a second event.
	Mail *MailRecord
	// Attachments, when set, are stored with the event in its transaction;
	// the store sets their ids and copies the event's visibility and actor.
	// Events read back leave it empty (see AttachmentStore).
	Attachments []*Attachment
	// Notify are the notifications this event causes (see notifications.go):
	// the store queues them in the outbox in the event's transaction, with
	// TicketID set to the event's ticket.
	Notify []OutboxMessage
	// Reuse, when set on a resolving event, is the resolved ticket whose
	// resolution it copied (see reuse.go): the store records it in the
	// event's transaction.
	Reuse *ResolutionReuse
	// TriageOutcomes, when set on a creation event, are what the agent
	// registered for the fields the triage model suggested on the register
	// form (see NewTicket.TriageOutcomes): the store records them in the
	// event's transaction, against the event's ticket, actor and time.
	TriageOutcomes []TriageOutcome
	// diagnosis, on a functional escalation, is line 1's checklist
	// answers (DiagnosisPayload) for the receiving line's notice; it is
	// not stored with the event (the diagnosis is its own entry).
	diagnosis string
}

// MailRecord ties an e-mail Message-ID to a ticket.
type MailRecord struct {
	MessageID string
	Direction MailDirection
	At        time.Time // received (in) or sent (out)
}

// MailDirection says whether a message came in or went out.
type MailDirection string

// Mail directions.
const (
	MailIn  MailDirection = "in"
	MailOut MailDirection = "out"
)

// User is anyone who appears in the desk: a requester (possibly without a
// login), an agent, a manager or an admin.
type User struct {
	ID    int64
	Email string // unique, compared case-insensitively
	Name  string
	Phone string
	// Organization is free text (a company or department) that SLA
	// policies can match on, case-insensitively.
	Organization string
	VIP          bool // SLA policies can apply to VIP requesters only
	Role         Role
	Active       bool
	Groups       []GroupRef // groups the user is a member of
	CreatedAt    time.Time
}

// Person is how the user appears as a ticket's requester.
func (u *User) Person() Person {
	return Person{ID: u.ID, Name: u.Name, Email: u.Email, Phone: u.Phone, Organization: u.Organization, VIP: u.VIP}
}

// Group is a support group on a line.
type Group struct {
	ID      int64
	Name    string
	Line    Line
	Manager *Ref
	Default bool // the service-desk group new tickets fall back to
	Active  bool
	// Security groups handle security cases; their members see every one.
	Security  bool
	CreatedAt time.Time
}

// Category is a node of the two-level category tree; ParentID is 0 for a
// top-level category.
type Category struct {
	ID       int64
	Name     string
	ParentID int64
	Group    *Ref // line-1 group that takes new tickets of this category
	Retired  bool
}

// Service is an affected business service with the group that owns it.
type Service struct {
	ID          int64
	Name        string
	Description string
	OwnerGroup  *Ref
	Retired     bool
}

// Token is an API token; only its hash is stored.
type Token struct {
	ID        int64
	UserID    int64
	Name      string
	CreatedAt time.Time
}

// SLAStatus is a ticket's SLA position, recomputed by the desk whenever it
// plans the ticket's timers (every change, every fired timer, `sla
// reschedule`) and stored with the ticket, so that queues sort by deadline
// and the dashboard counts outcomes without replaying history.
type SLAStatus struct {
	// DueAt is the earliest deadline of the ticket's still-ticking response
	// and resolution clocks (in the past once breached); nil when none
	// ticks: no policy, the clocks are met or paused, or the ticket is done.
	DueAt *time.Time
	// ResponseMet and ResolutionMet are true when the clock stopped within
	// its target, false once it breached, nil while pending or without a
	// policy.
	ResponseMet   *bool
	ResolutionMet *bool
}
