package major

import (
	"context"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Save is everything one change of a major incident stores, in one
// transaction. Incident is inserted when its ID is 0 (assigning ID and
// Version 1), else stored provided its stored version still equals
// Incident.Version (ESTALE otherwise, storing nothing), which then
// increments.
type Save struct {
	Incident *Incident
	RuleID   int64 // the rule that declared it (insert only)
	// Children are attached; a ticket already the child (or the parent) of
	// a major incident is ECONFLICT and nothing is stored.
	Children []Child
	Entries  []Entry
	Update   *Update // a public update: its ID is assigned
	Outbox   []desk.OutboxMessage
	Pages    []desk.Page // started as the timer engine starts them
	// EndPages ends the pages it selects in the same transaction (a
	// posted update ends the missed-update page it answers).
	EndPages *desk.PageEnd
	Review   *Review // inserted with the change (resolution)
}

// Stakeholder receives a major incident's updates: subscribed to one
// (MajorID) or to every one of a service (ServiceID). UserID is set for
// staff; others are an address only. Page asks for a page as well.
type Stakeholder struct {
	ID        int64
	MajorID   int64
	ServiceID int64
	UserID    int64
	Email     string
	Name      string
	Page      bool
	CreatedAt time.Time
}

// Filter selects major incidents, newest declared first.
type Filter struct {
	States []State
	From   time.Time // declared at or after (zero: no bound)
	To     time.Time // declared before (zero: no bound)
	Limit  int
}

// Store keeps major incidents, their reviews and the rules.
type Store interface {
	SaveMajor(ctx context.Context, s Save) error
	GetMajor(ctx context.Context, id int64) (*Incident, error)
	// MajorOfTicket returns the major incident whose parent or child the
	// ticket is (ENOTFOUND if none).
	MajorOfTicket(ctx context.Context, ticketID int64) (*Incident, error)
	ListMajors(ctx context.Context, f Filter) ([]*Incident, error)
	// DueMajors returns active major incidents whose next update is due
	// at or before until.
	DueMajors(ctx context.Context, until time.Time) ([]*Incident, error)
	Children(ctx context.Context, majorID int64) ([]Child, error)
	Updates(ctx context.Context, majorID int64) ([]Update, error)
	Entries(ctx context.Context, majorID int64) ([]Entry, error)
	// MarkKey marks (or unmarks) an own entry (entryID) or a ticket event
	// (eventID) of the timeline as key.
	MarkKey(ctx context.Context, majorID, entryID, eventID int64, key bool) error
	KeyEvents(ctx context.Context, majorID int64) (map[int64]bool, error)

	AddStakeholder(ctx context.Context, s *Stakeholder) error
	RemoveStakeholder(ctx context.Context, id int64) error
	// Stakeholders returns those of the major incident and of its service.
	Stakeholders(ctx context.Context, majorID, serviceID int64) ([]Stakeholder, error)

	CreateRule(ctx context.Context, r *Rule) error
	ListRules(ctx context.Context) ([]Rule, error)
	DeleteRule(ctx context.Context, id int64) error
	// Unattached returns the open incidents of a service created at or
	// after since that are neither parent nor child of a major incident.
	Unattached(ctx context.Context, serviceID int64, since time.Time) ([]Candidate, error)
	// ActiveByRule returns the active major incident a rule declared on a
	// service (ENOTFOUND if none).
	ActiveByRule(ctx context.Context, ruleID, serviceID int64) (*Incident, error)

	GetReview(ctx context.Context, majorID int64) (*Review, error)
	// SaveReview stores the review's fields with the version check.
	SaveReview(ctx context.Context, r *Review) error
	AddActionItem(ctx context.Context, a *ActionItem) error
	UpdateActionItem(ctx context.Context, a *ActionItem) error
	// OpenActionItems returns every item not done, by due date.
	OpenActionItems(ctx context.Context) ([]ActionItem, error)
}
