package desk

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config holds the desk's tunable rules.
type Config struct {
	// ReopenWindow is how long after resolution a ticket may be reopened;
	// after it the ticket may only be closed.
	ReopenWindow time.Duration
	// WarnAt are the percentages of an SLA target at which a warning is
	// recorded (the breach at 100 % always is). Empty: 75 and 90.
	WarnAt []int
	// EscalateOn are the priorities whose resolution breach escalates the
	// ticket one line up automatically. Nil: P1 and P2; empty: none.
	EscalateOn []Priority
	// PageOn are the priorities whose response breach pages line 3.
	// Nil: P1; empty: none.
	PageOn []Priority
	// MailRejectUnknown makes ReceiveMail refuse mail from senders who are
	// not users yet (EFORBIDDEN) instead of registering them as requesters.
	MailRejectUnknown bool
	// AttachmentMaxBytes limits one attached file (uploads and e-mail);
	// 0: DefaultAttachmentMaxBytes.
	AttachmentMaxBytes int64
	// MailTicketsPerHour limits the new tickets one sender address opens by
	// e-mail per hour, counted in the database for all instances; 0: none.
	MailTicketsPerHour int
	// MailLoopAddresses are our own sending addresses ("tierdesk@example.com")
	// or domains ("@example.com"): mail from them is never a ticket or a
	// comment. MailIDDomain is the domain of our notifications' Message-IDs
	// (tierdesk.…@MailIDDomain): a message carrying one as its own
	// Message-ID is our own mail come back.
	MailLoopAddresses []string
	MailIDDomain      string
	// CountCap is where a list's count stops (the page then says "N+");
	// 0: CountCap. The console's queues of groups are always exact.
	CountCap int
	// PublicURL is the base of links sent in pages (signed acknowledgement
	// links, the ticket). Empty: http://127.0.0.1:8080.
	PublicURL string
	// PageSecret signs page links; empty: a key stored in the database.
	PageSecret []byte
	// PageLinkTTL is how long page links work; zero: DefaultPageLinkTTL.
	PageLinkTTL time.Duration
	// Language and TimeZone (IANA) are the notification defaults of users
	// who chose none. Empty: "en" and "UTC".
	Language string
	TimeZone string
}

// DefaultConfig is the configuration of a fresh installation.
var DefaultConfig = Config{ReopenWindow: 7 * 24 * time.Hour, WarnAt: []int{75, 90},
	EscalateOn: []Priority{P1, P2}, PageOn: []Priority{P1}}

// Desk is the application layer: it authorises the actor in ctx, applies
// the domain rules and persists through the Store. Adapters call only this.
type Desk struct {
	store Store
	clock Clock
	cfg   Config

	mailboxes atomic.Pointer[func() []MailboxHealth] // see WatchMailboxes
	backups   atomic.Pointer[func() BackupHealth]    // see WatchBackups
	// passwordGate refuses local passwords (see RefusePasswords).
	passwordGate atomic.Pointer[func(context.Context, *User) (bool, error)]
	triager      atomic.Pointer[AutoTriager]    // see SetAutoTriager
	gate         atomic.Pointer[EscalationGate] // see SetEscalationGate
}

// New returns a Desk over store.
func New(store Store, clock Clock, cfg Config) *Desk {
	if cfg.ReopenWindow <= 0 {
		cfg.ReopenWindow = DefaultConfig.ReopenWindow
	}
	if len(cfg.WarnAt) == 0 {
		cfg.WarnAt = DefaultConfig.WarnAt
	}
	if cfg.EscalateOn == nil {
		cfg.EscalateOn = DefaultConfig.EscalateOn
	}
	if cfg.PageOn == nil {
		cfg.PageOn = DefaultConfig.PageOn
	}
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://127.0.0.1:8080"
	}
	if cfg.Language == "" {
		cfg.Language = "en"
	}
	if cfg.TimeZone == "" {
		cfg.TimeZone = "UTC"
	}
	return &Desk{store: store, clock: clock, cfg: cfg}
}

// Config returns the rules the service runs with.
func (s *Desk) Config() Config { return s.cfg }

type actorKey struct{}

// WithActor returns ctx carrying the authenticated user.
func WithActor(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, actorKey{}, u)
}

// ActorFrom returns the authenticated user in ctx, or nil.
func ActorFrom(ctx context.Context) *User {
	u, _ := ctx.Value(actorKey{}).(*User)
	return u
}

// actor returns the authenticated user or EUNAUTHENTICATED.
func actor(ctx context.Context) (*User, error) {
	u := ActorFrom(ctx)
	if u == nil || !u.Active {
		return nil, Errorf(EUNAUTHENTICATED, "authentication required")
	}
	return u, nil
}

func requireStaff(ctx context.Context) (*User, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !u.Role.IsStaff() {
		return nil, Errorf(EFORBIDDEN, "only service-desk staff may do this")
	}
	return u, nil
}

func requireAdmin(ctx context.Context) (*User, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if u.Role != RoleAdmin {
		return nil, Errorf(EFORBIDDEN, "only administrators may do this")
	}
	return u, nil
}

// memberOf reports whether u belongs to the group.
func memberOf(u *User, groupID int64) bool {
	for _, g := range u.Groups {
		if g.ID == groupID {
			return true
		}
	}
	return false
}

// canSee reports whether u may see ticket t at all. Invisible tickets are
// reported as not found, so that their existence does not leak.
func canSee(u *User, t *Ticket) bool {
	switch {
	case u.Role == RoleRequester:
		return t.Requester.ID == u.ID // restricted or not: they reported it
	case t.Security:
		return seesSecurityCase(u, t) // deny by default, admins included
	case u.Role == RoleAdmin, !t.Restricted:
		return true
	default:
		return memberOf(u, t.Group.ID)
	}
}

// CanSee reports whether the actor in ctx may read ticket t. A staff
// member who registers a restricted ticket for a group they are not in
// created it but may not read it: adapters answer them with a receipt
// (its number, type and group) instead of the ticket.
func (s *Desk) CanSee(ctx context.Context, t *Ticket) bool {
	u, err := actor(ctx)
	return err == nil && canSee(u, t)
}

// visibility is the query-side form of canSee.
func visibility(u *User) Visibility {
	switch u.Role {
	case RoleRequester:
		return Visibility{RequesterID: u.ID, AllRestricted: true, AllSecurity: true}
	case RoleAdmin:
		return securityVisibility(u, Visibility{AllRestricted: true})
	}
	v := Visibility{}
	for _, g := range u.Groups {
		v.RestrictedGroups = append(v.RestrictedGroups, g.ID)
	}
	return securityVisibility(u, v)
}

// ParseTicketRef accepts a numeric id or a ticket number (case-insensitive,
// returned upper-case) and returns exactly one of them. Numbers are ours,
// such as INC-000123 and REQ-000045, or an imported ServiceNow incident's,
// which keeps its source number: INC followed directly by digits, such as
// INC0000045.
func ParseTicketRef(ref string) (id int64, number string, err error) {
	ref = strings.TrimSpace(ref)
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil && n > 0 {
		return n, "", nil
	}
	up := strings.ToUpper(ref)
	for _, t := range TicketTypes {
		rest, ok := strings.CutPrefix(up, t.NumberPrefix()+"-")
		if ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
			return 0, up, nil
		}
	}
	if rest, ok := strings.CutPrefix(up, "INC"); ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
		return 0, up, nil // ServiceNow
	}
	return 0, "", Errorf(ENOTFOUND, "no ticket %q: give an id or a number like INC-000123 or INC0000045", ref)
}

// loadTicket finds a ticket the actor may see.
func (s *Desk) loadTicket(ctx context.Context, u *User, ref string) (*Ticket, error) {
	id, number, err := ParseTicketRef(ref)
	if err != nil {
		return nil, err
	}
	memo, _ := ctx.Value(ticketMemoKey{}).(*ticketMemo)
	t := memo.get(number, id)
	if t == nil {
		if number != "" {
			t, err = s.store.GetTicketByNumber(ctx, number)
		} else {
			t, err = s.store.GetTicket(ctx, id)
		}
		if err != nil {
			return nil, err
		}
		memo.put(t)
	}
	if !canSee(u, t) {
		return nil, Errorf(ENOTFOUND, "no ticket %q", ref)
	}
	return t, nil
}

type ticketMemoKey struct{}

// ticketMemo is the tickets read under a context of WithTicketMemo, by
// number and by id; a nil memo keeps nothing.
type ticketMemo struct {
	mu       sync.Mutex
	byNumber map[string]Ticket
	byID     map[int64]Ticket
}

// WithTicketMemo returns a context under which the desk reads each ticket
// from the store once, however many of its calls name it, and hands each
// call a copy of what it read. A page showing one ticket reads it through
// several calls (the ticket, its events, attachments, pages, similar
// tickets, triage decisions …): six reads of the same row per agent's
// ticket page (issue 17, session 12). Only for reading: a change made
// under such a context is not seen by later calls under it.
func WithTicketMemo(ctx context.Context) context.Context {
	if _, ok := ctx.Value(ticketMemoKey{}).(*ticketMemo); ok {
		return ctx
	}
	return context.WithValue(ctx, ticketMemoKey{}, &ticketMemo{byNumber: map[string]Ticket{}, byID: map[int64]Ticket{}})
}

// get returns a copy of the ticket read by number (or else id), or nil.
func (m *ticketMemo) get(number string, id int64) *Ticket {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.byNumber[number]
	if number == "" {
		t, ok = m.byID[id]
	}
	if !ok {
		return nil
	}
	return &t
}

// put keeps a copy of t.
func (m *ticketMemo) put(t *Ticket) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.byNumber[t.Number], m.byID[t.ID] = *t, *t
}

// Ready reports whether the store is usable.
func (s *Desk) Ready(ctx context.Context) error { return s.store.Ready(ctx) }

func ptr[T any](v T) *T { return &v }
