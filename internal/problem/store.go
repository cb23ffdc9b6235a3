package problem

import (
	"context"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Store keeps problems, their incident links and broadcasts, and the
// diagnosis checklists.
type Store interface {
	// CreateProblem stores a new problem, setting its ID (version 1).
	CreateProblem(ctx context.Context, p *Problem) error
	// SaveProblem stores p's fields if the stored version is p.Version
	// (else ESTALE), and sets p.Version to the next one.
	SaveProblem(ctx context.Context, p *Problem) error
	// Problem returns one problem with its incident count, ENOTFOUND
	// when there is none.
	Problem(ctx context.Context, id int64) (*Problem, error)
	// ListProblems returns a page of problems, newest first.
	ListProblems(ctx context.Context, f Filter) (*Page, error)
	// KnownErrors returns open problems with a workaround matching the
	// category (or its parent) and, when given, the service, newest first.
	KnownErrors(ctx context.Context, categoryIDs []int64, serviceID int64, limit int) ([]*Problem, error)

	// LinkIncident links a ticket to a problem and stores writes (the
	// ticket's entries saying so, as ApplyBroadcastBatch does: each
	// ticket's version checked, ESTALE else) in the same transaction;
	// ECONFLICT (rule taken, param "problem") when the ticket is linked to
	// a problem already. Nothing is stored when any part fails.
	LinkIncident(ctx context.Context, l Link, writes ...desk.TicketWrite) error
	// UnlinkIncident removes the link, ENOTFOUND when there is none.
	UnlinkIncident(ctx context.Context, problemID, ticketID int64) error
	// ProblemIncidents returns the links of a problem after ticket id
	// after, by ticket id, at most limit.
	ProblemIncidents(ctx context.Context, problemID, after int64, limit int) ([]Link, error)
	// TicketProblem returns the link of a ticket, ENOTFOUND when none.
	TicketProblem(ctx context.Context, ticketID int64) (*Link, error)

	// CreateBroadcast queues a broadcast, setting its ID.
	CreateBroadcast(ctx context.Context, b *Broadcast) error
	// ClaimBroadcast leases the oldest unfinished broadcast whose lease
	// has ended (until now+lease); nil when there is none.
	ClaimBroadcast(ctx context.Context, now time.Time, lease time.Duration) (*Broadcast, error)
	// BroadcastTargets returns the ids of b's problem's linked tickets
	// after b.After that are open, ascending, at most limit.
	BroadcastTargets(ctx context.Context, b *Broadcast, limit int) ([]int64, error)
	// ApplyBroadcastBatch stores writes and advances b (After to next,
	// Done and Skipped by the batch's counts, Finished when last) in one
	// transaction, if b.After is still what was claimed (else ECONFLICT,
	// nothing stored), extending the lease to leaseUntil. It records the
	// transaction's duration (BEGIN to COMMIT, the wait for the writer
	// left out) in b.LastTx, and in b.MaxTx when it is the longest yet.
	ApplyBroadcastBatch(ctx context.Context, b *Broadcast, writes []desk.TicketWrite, next int64, skipped int, last bool, leaseUntil time.Time) error
	// Broadcasts returns a problem's broadcasts, newest first.
	Broadcasts(ctx context.Context, problemID int64) ([]*Broadcast, error)

	// Candidates returns clusters of recent incidents with no problem.
	Candidates(ctx context.Context, q CandidateQuery) ([]Candidate, error)
	// ProblemReport counts problems and their incidents in [from, to).
	ProblemReport(ctx context.Context, from, to time.Time) (*Report, error)
}

// Filter selects problems to list. Empty fields select everything.
type Filter struct {
	States  []State
	GroupID int64
	// Text matches the number or title (case-insensitive substring).
	Text   string
	Cursor string // from Page.Next
	Limit  int    // 0: 50; at most desk.MaxPageSize
}

// Page is one page of problems.
type Page struct {
	Problems []*Problem
	Next     string
}

// Link is an incident linked to a problem.
type Link struct {
	ProblemID int64
	TicketID  int64
	LinkedAt  time.Time
	LinkedBy  int64
}
