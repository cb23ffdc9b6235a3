package desk

import (
	"context"
	"time"
)

// StoredSchedule is a schedule as kept: its document and bookkeeping.
type StoredSchedule struct {
	ID        int64
	Doc       ScheduleDoc
	CreatedAt time.Time
	UpdatedAt time.Time
}

// OnCallStore keeps schedules, escalation policies, contact methods, pages
// and their deliveries (the paging state; see paging.go).
type OnCallStore interface {
	// CreateSchedule assigns s.ID; a taken name is ECONFLICT.
	CreateSchedule(ctx context.Context, s *StoredSchedule) error
	// UpdateSchedule replaces the document (ENOTFOUND if none).
	UpdateSchedule(ctx context.Context, s *StoredSchedule) error
	GetSchedule(ctx context.Context, id int64) (*StoredSchedule, error)
	// ListSchedules returns every schedule by name.
	ListSchedules(ctx context.Context) ([]*StoredSchedule, error)
	DeleteSchedule(ctx context.Context, id int64) error

	// PutEscalationPolicy inserts or replaces the policy of p.GroupID,
	// assigning p.ID; an unknown group is EINVALID on "group_id".
	PutEscalationPolicy(ctx context.Context, p *EscalationPolicy) error
	// EscalationPolicy returns the group's policy (ENOTFOUND if none).
	EscalationPolicy(ctx context.Context, groupID int64) (*EscalationPolicy, error)
	ListEscalationPolicies(ctx context.Context) ([]*EscalationPolicy, error)
	DeleteEscalationPolicy(ctx context.Context, groupID int64) error

	// CreateContactMethod assigns m.ID.
	CreateContactMethod(ctx context.Context, m *ContactMethod) error
	// ContactMethods returns a user's methods by id.
	ContactMethods(ctx context.Context, userID int64) ([]*ContactMethod, error)
	GetContactMethod(ctx context.Context, id int64) (*ContactMethod, error)
	DeleteContactMethod(ctx context.Context, userID, id int64) error

	PagingStore
}

// PageEnd selects the active pages to end and says how.
type PageEnd struct {
	TicketID int64
	PageID   int64 // 0: every active page of the ticket (in GroupID if set)
	GroupID  int64
	// Keep leaves running the pages started for this reason (a page of a
	// breach's regulatory clock is not ended by someone taking the case).
	Keep ReasonCode
	// OwnOnly ends only the group's own escalation (Purpose ""): taking a
	// ticket answers that, not a missed update or a stakeholder's page.
	OwnOnly bool
	// Purpose, when set, ends only the pages run for that purpose (the
	// missed-update page once the update is posted).
	Purpose string
	// KeepStakeholders leaves stakeholders' pages running (Purpose
	// StakeholderPurpose): each is its stakeholder's to acknowledge.
	KeepStakeholders bool
	State            PageState
	By               *Ref
	At               time.Time
	Event            func(*Page) Event // the timeline entry of each page ended
}

// PagingStore keeps pages and their deliveries.
type PagingStore interface {
	// ClaimPages claims up to limit active pages whose next step is due at
	// now and whose claim is absent or expired, oldest due first: each gets
	// claimed_until = now + lease and one more attempt.
	ClaimPages(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*Page, error)
	// StepPage stores the outcome of running a claimed page's step in one
	// transaction: the page's new state, step, round, next_at, ack and end
	// fields, the ticket events and the deliveries. It is conditional on
	// the claim p.ClaimedUntil still holding and the page being active:
	// ECONFLICT otherwise, and nothing is stored.
	StepPage(ctx context.Context, o PageOutcome) error
	// EndPages moves the active pages e selects to e.State (acknowledged
	// or resolved) with e.By and e.At, cancels their queued deliveries and
	// appends e.Event's entry for each to its ticket, in one transaction;
	// it returns the pages ended (none: nothing is stored).
	EndPages(ctx context.Context, e PageEnd) ([]*Page, error)
	// GetPage returns a page (ENOTFOUND if none).
	GetPage(ctx context.Context, id int64) (*Page, error)
	// ActivePages returns up to limit active pages of every ticket, the
	// longest running first.
	ActivePages(ctx context.Context, limit int) ([]*Page, error)
	// TicketPages returns a ticket's pages, oldest first.
	TicketPages(ctx context.Context, ticketID int64) ([]*Page, error)
	// PageDeliveries returns a page's deliveries by id.
	PageDeliveries(ctx context.Context, pageID int64) ([]*PageDelivery, error)
	// ClaimPageDeliveries claims queued deliveries due at now, like
	// ClaimPages.
	ClaimPageDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*PageDelivery, error)
	// PageDelivered marks a claimed delivery sent, and queues mail (if not
	// nil) in the outbox in the same transaction. Conditional on the claim:
	// ECONFLICT otherwise.
	PageDelivered(ctx context.Context, d *PageDelivery, at time.Time, mail *OutboxMessage) error
	// PageDeliveryRetry records a failed attempt: due again at next, or
	// failed for good when next is nil. Conditional like PageDelivered.
	PageDeliveryRetry(ctx context.Context, d *PageDelivery, lastErr string, next *time.Time, at time.Time) error
	// FailedPageDeliveries returns failed deliveries, newest first, with ids
	// below before (0: from the newest), at most limit.
	FailedPageDeliveries(ctx context.Context, before int64, limit int) ([]*PageDelivery, error)
	// PagingSecret returns the stored link-signing key, storing candidate
	// first when there is none yet (so every instance signs alike).
	PagingSecret(ctx context.Context, candidate []byte) ([]byte, error)
}
