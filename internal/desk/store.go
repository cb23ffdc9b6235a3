package desk

import (
	"context"
	"time"
)

// Store is everything the Desk needs from storage. Implementations
// (internal/store/sqlite, internal/store/postgres) are tested by one shared
// suite (internal/store/storetest). Every write is durable when the method
// returns. Constraint violations come back as *Error (EINVALID with field
// errors, ECONFLICT for references), missing rows as ENOTFOUND.
type Store interface {
	TicketStore
	DirectoryStore
	SLAStore
	ReportStore
	TimerStore
	OutboxStore
	MailStore
	AttachmentStore
	MailRateStore
	IntegrationStore
	AlertStore
	AuthStore
	LinkStore
	RatingStore
	SavedFilterStore
	DashboardStore
	PromiseStore
	MergeStore
	OnCallStore
	PreferenceStore
	CallStore
	SimilarStore
	ReuseStore
	TriageStore
	BreachNoticeStore
	PlaybookStore
	// Ready returns nil when the database is reachable and fully migrated.
	Ready(ctx context.Context) error
	Close() error
}

// TicketStore keeps tickets and their append-only history.
type TicketStore interface {
	// CreateTicket stores t with events in one transaction, assigning t.ID,
	// t.Number (per-type sequence: INC-000001, REQ-000001), t.Version = 1 and
	// each event's ID and TicketID. Names in refs are filled.
	//
	// With a non-nil key that the same actor already used, nothing is stored
	// and the ticket created then is returned with replayed = true; if the
	// fingerprint differs, an EINVALID error is returned instead.
	//
	// Timers, when passed (a non-nil slice, even empty), become the ticket's
	// pending timers in the same transaction; a timer whose key was already
	// handled (a done row) is not scheduled again. None passed (nil) leaves
	// the timers alone, for tools that load history.
	CreateTicket(ctx context.Context, t *Ticket, events []Event, key *IdempotencyKey, timers ...Timer) (replayed *Ticket, err error)
	// GetTicket returns the ticket by id (ENOTFOUND if none).
	GetTicket(ctx context.Context, id int64) (*Ticket, error)
	// GetTicketByNumber returns the ticket by its human number.
	GetTicketByNumber(ctx context.Context, number string) (*Ticket, error)
	// UpdateTicket stores every field of t and appends events atomically,
	// provided the stored version still equals t.Version; then t.Version is
	// incremented. A different stored version gives ESTALE and stores nothing.
	// Public comment bodies in events are added to the ticket's search text.
	// Timers replace the pending ones as in CreateTicket.
	UpdateTicket(ctx context.Context, t *Ticket, events []Event, timers ...Timer) error
	// ListTickets returns one keyset page of tickets matching f.
	ListTickets(ctx context.Context, f TicketFilter) (*TicketPage, error)
	// ListEvents returns one page of a ticket's history, oldest first.
	ListEvents(ctx context.Context, ticketID int64, f EventFilter) (*EventPage, error)
}

// MailStore looks up the e-mail messages recorded with ticket events (see
// Event.Mail).
type MailStore interface {
	// MailTicket returns the id of the ticket the first of messageIDs that is
	// recorded belongs to (tried in order), or 0 when none is.
	MailTicket(ctx context.Context, messageIDs ...string) (int64, error)
}

// DirectoryStore keeps people, groups, categories, services, the priority
// matrix and API tokens.
type DirectoryStore interface {
	// CreateUser assigns u.ID and u.CreatedAt and makes the user a member of
	// u.Groups (by ID) in the same transaction; a taken e-mail is ECONFLICT,
	// a missing group EINVALID on "groups", and then nothing is stored.
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser stores Email, Name, Phone, Organization, VIP, Role and
	// Active of u and, when groups is not nil, makes the user a member of
	// exactly those groups, all in one transaction. Deactivating a user ends
	// their web sessions in it too. A change that would leave no active
	// administrator is ECONFLICT (field "role" or "active") and stores
	// nothing, as do a taken e-mail and a missing group.
	UpdateUser(ctx context.Context, u *User, groups *[]int64) error
	// GetUser and GetUserByEmail fill Groups. E-mail matching ignores case.
	GetUser(ctx context.Context, id int64) (*User, error)
	GetUserByEmail(ctx context.Context, email string) (*User, error)
	ListUsers(ctx context.Context, f UserFilter) (*UserPage, error)
	// LookupUsers returns up to q.Limit active users each of whose words
	// begins one of their LookupTerms (kept up to date on every write of a
	// user; an inactive user has none), ordered by their first matching
	// term, then id.
	LookupUsers(ctx context.Context, q UserLookup) ([]*User, error)
	// EnsureRequester returns the user with u.Email, creating u (as given,
	// normally with RoleRequester) when there is none; safe under concurrency.
	EnsureRequester(ctx context.Context, u *User) (*User, error)
	SetGroupMember(ctx context.Context, groupID, userID int64, member bool) error

	// CreateToken stores the hash of a new API token for the user.
	CreateToken(ctx context.Context, userID int64, name string, hash []byte) (*Token, error)
	// UserByTokenHash returns the active user owning the token (ENOTFOUND if
	// no such token or the user is inactive).
	UserByTokenHash(ctx context.Context, hash []byte) (*User, error)
	ListTokens(ctx context.Context, userID int64) ([]*Token, error)
	DeleteToken(ctx context.Context, userID, tokenID int64) error

	// CreateGroup assigns g.ID. Setting Default on a group (create or update)
	// clears it on every other group in the same transaction.
	CreateGroup(ctx context.Context, g *Group) error
	UpdateGroup(ctx context.Context, g *Group) error
	GetGroup(ctx context.Context, id int64) (*Group, error)
	ListGroups(ctx context.Context) ([]*Group, error)
	// DefaultGroup returns the group marked Default (ENOTFOUND if none).
	DefaultGroup(ctx context.Context) (*Group, error)
	// GroupMembers returns the users in the group.
	GroupMembers(ctx context.Context, groupID int64) ([]*User, error)

	CreateCategory(ctx context.Context, c *Category) error
	UpdateCategory(ctx context.Context, c *Category) error
	GetCategory(ctx context.Context, id int64) (*Category, error)
	ListCategories(ctx context.Context) ([]*Category, error)
	// DeleteCategory refuses with ECONFLICT while a ticket or a subcategory
	// references the category.
	DeleteCategory(ctx context.Context, id int64) error

	CreateService(ctx context.Context, s *Service) error
	UpdateService(ctx context.Context, s *Service) error
	GetService(ctx context.Context, id int64) (*Service, error)
	ListServices(ctx context.Context) ([]*Service, error)
	// DeleteService refuses with ECONFLICT while a ticket references it.
	DeleteService(ctx context.Context, id int64) error

	GetMatrix(ctx context.Context) (Matrix, error)
	SetMatrix(ctx context.Context, m Matrix) error
}

// SLAStore keeps SLA policies and business calendars.
type SLAStore interface {
	// ListSLAPolicies returns every policy, ordered by position, then id.
	ListSLAPolicies(ctx context.Context) ([]*SLAPolicy, error)
	GetSLAPolicy(ctx context.Context, id int64) (*SLAPolicy, error)
	// CreateSLAPolicy assigns p.ID; a calendar name that does not exist
	// (other than the built-in "24x7") is EINVALID on "calendar".
	CreateSLAPolicy(ctx context.Context, p *SLAPolicy) error
	UpdateSLAPolicy(ctx context.Context, p *SLAPolicy) error
	DeleteSLAPolicy(ctx context.Context, id int64) error

	// ListCalendars returns the stored calendars by name (not the built-in
	// 24x7). Specs come back with their Location loaded.
	ListCalendars(ctx context.Context) ([]*CalendarSpec, error)
	GetCalendar(ctx context.Context, name string) (*CalendarSpec, error)
	// PutCalendar inserts or replaces the calendar with spec.Name.
	PutCalendar(ctx context.Context, spec *CalendarSpec) error
	// CreateCalendar inserts a calendar; a taken name is ECONFLICT on "name".
	CreateCalendar(ctx context.Context, spec *CalendarSpec) error
	// DeleteCalendar refuses with ECONFLICT while a policy names it.
	DeleteCalendar(ctx context.Context, name string) error
}

// IdempotencyKey makes ticket creation safe to retry.
type IdempotencyKey struct {
	ActorID     int64
	Key         string
	Fingerprint string // hash of the request; a reused key with another request is refused
}

// TicketSort names a keyset sort order.
type TicketSort string

const (
	// SortCreated orders by created_at, then id.
	SortCreated TicketSort = "created"
	// SortUpdated orders by updated_at, then id.
	SortUpdated TicketSort = "updated"
	// SortPriority orders by priority, then created_at (age), then id: with
	// Desc false, P1 first and the oldest first within a priority.
	SortPriority TicketSort = "priority"
	// SortSLA orders by the next SLA deadline (Ticket.SLA.DueAt), then id:
	// with Desc false the most urgent first, tickets without one last.
	SortSLA TicketSort = "sla"
)

// TicketSorts lists every sort.
var TicketSorts = []TicketSort{SortCreated, SortUpdated, SortPriority, SortSLA}

// TicketFilter selects tickets. Empty slices and nil pointers do not filter.
type TicketFilter struct {
	States      []State
	Types       []TicketType
	Priorities  []Priority
	GroupIDs    []int64
	AssigneeID  *int64 // 0 selects unassigned tickets
	RequesterID *int64
	CategoryID  *int64 // matches category or subcategory
	ServiceID   *int64
	Lines       []Line
	Channels    []Channel
	CreatedFrom *time.Time // inclusive
	CreatedTo   *time.Time // exclusive
	UpdatedFrom *time.Time
	UpdatedTo   *time.Time
	// SLADueFrom (inclusive) and SLADueTo (exclusive) bound the next SLA
	// deadline (Ticket.SLA.DueAt); tickets without one never match either.
	SLADueFrom *time.Time
	SLADueTo   *time.Time
	Query      string // free text over title, description, symptoms and public comments

	Sort   TicketSort
	Desc   bool
	Cursor string // opaque, from TicketPage.NextCursor; must come with the same filter and sort
	Limit  int    // 1..MaxPageSize
	Total  bool   // also count every match
	// TotalMax, when positive with Total, stops counting after that many
	// matches: Total is then TotalMax and TotalCapped is set. The Desk
	// never counts past CountCap.
	TotalMax int

	// Visibility is set by the Desk from the actor, never by callers.
	Visibility Visibility
}

// Visibility limits a ticket query to what an actor may see.
type Visibility struct {
	// RequesterID > 0 restricts to tickets of that requester.
	RequesterID int64
	// Restricted tickets are visible when AllRestricted, or when their group
	// is one of RestrictedGroups.
	AllRestricted    bool
	RestrictedGroups []int64
	// Security cases are visible when AllSecurity, or when SecurityMember
	// (a user id) is named on the case: the zero value shows none (see
	// security.go).
	AllSecurity    bool
	SecurityMember int64
}

// CountCap is by default (Config.CountCap) where every count of a list stops (the Tickets page, a
// queue of one's own or a saved filter, the API's total=true): beyond it a
// page says "1,000+" (TicketPage.TotalCapped), so that a count costs at
// most CountCap index entries, not a scan of a desk of millions. It was
// 10,000 until session 11: at 10M tickets a filtered Tickets page spent
// most of its 60-450 ms reading those 10,001 rows (the visibility terms
// need each row), a tenth of that at 1,000. The console's queues of
// groups are counted exactly from the dashboard's counters instead (see
// Desk.Queue).
const CountCap = 1000

// Page size limits for every list.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// TicketPage is one page of tickets.
type TicketPage struct {
	Tickets    []*Ticket
	NextCursor string // empty on the last page
	Total      *int   // set when the filter asked for it
	// TotalCapped says that more than *Total tickets match (TotalMax, or a
	// windowed search).
	TotalCapped bool
	// Windowed is set when a search (Query) matched SearchWindow tickets or
	// more: only the newest SearchWindow matching tickets (by number) were
	// filtered, sorted and counted, and TotalCapped is set with Total.
	Windowed bool
}

// SearchWindow is how many of a search's matching tickets, newest first, a
// list looks at: a word in a third of a million tickets is listed from its
// newest matches in milliseconds instead of sorting all of them, and the
// page says that it did (TicketPage.Windowed).
const SearchWindow = 2000

// EventFilter pages a ticket's history.
type EventFilter struct {
	PublicOnly bool
	Cursor     string
	Limit      int
}

// EventPage is one page of history.
type EventPage struct {
	Events     []*Event
	NextCursor string
}

// UserFilter selects users.
type UserFilter struct {
	Roles  []Role
	Query  string // substring of name or e-mail, case-insensitive
	Cursor string
	Limit  int
}

// UserPage is one page of users, ordered by id.
type UserPage struct {
	Users      []*User
	NextCursor string
}
