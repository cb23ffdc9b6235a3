package problem

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// BroadcastKind says what a broadcast writes to each incident.
type BroadcastKind string

// Broadcast kinds.
const (
	// BroadcastWorkaround posts the workaround as an internal note (and,
	// with Public, as a public comment to the requester).
	BroadcastWorkaround BroadcastKind = "workaround"
	// BroadcastResolve resolves each incident with the permanent fix.
	BroadcastResolve BroadcastKind = "resolve"
)

// Broadcast is durable work on every open incident of a problem, done in
// batches: each batch writes its incidents and advances After in one
// transaction, so an instance killed mid-way loses nothing and repeats
// nothing (the next claim starts after the last committed batch).
type Broadcast struct {
	ID             int64
	ProblemID      int64
	Number         string // the problem's
	Kind           BroadcastKind
	ByID           int64 // who published it; the entries are theirs
	Public         bool
	Body           string
	ResolutionCode desk.ResolutionCode
	After          int64 // last ticket id done
	Done, Skipped  int
	Batches        int
	MaxTx          time.Duration // the longest batch transaction
	LastTx         time.Duration // the last batch's, on this instance (not stored)
	CreatedAt      time.Time
	FinishedAt     *time.Time
}

// WorkaroundInput publishes or updates a problem's workaround.
type WorkaroundInput struct {
	Text string
	// Public also posts it to each incident's requester as a comment.
	Public    bool
	IfVersion int
}

// PublishWorkaround records the workaround (a new or investigated problem
// becomes a known error) and queues its broadcast to every open linked
// incident (staff).
func (s *Service) PublishWorkaround(ctx context.Context, ref string, in WorkaroundInput) (*Problem, *Broadcast, error) {
	u, p, err := s.forChange(ctx, ref, in.IfVersion)
	if err != nil {
		return nil, nil, err
	}
	var c checks
	c.text("workaround", in.Text, MaxTextLen, true)
	if err := c.err(); err != nil {
		return nil, nil, err
	}
	if p.State == StateResolved {
		return nil, nil, desk.Refusef(desk.ECONFLICT, desk.RuleNotOpen, desk.Params{"state": string(p.State), "problem": p.Number()},
			"problem %s is resolved: its incidents have the fix", p.Number())
	}
	now := s.clock.Now()
	p.Workaround, p.WorkaroundAt = strings.TrimSpace(in.Text), &now
	if p.State != StateKnownError {
		if err := s.enter(p, StateKnownError); err != nil {
			return nil, nil, err
		}
	}
	if err := s.save(ctx, p); err != nil {
		return nil, nil, err
	}
	b := &Broadcast{ProblemID: p.ID, Number: p.Number(), Kind: BroadcastWorkaround, ByID: u.ID, Public: in.Public,
		Body: p.Workaround, CreatedAt: now}
	if err := s.store.CreateBroadcast(ctx, b); err != nil {
		return p, nil, fmt.Errorf("queue the workaround of %s: %w", p.Number(), err)
	}
	return p, b, nil
}

// ResolveInput resolves a problem.
type ResolveInput struct {
	Fix string // the permanent fix; "": the one recorded
	// Incidents also resolves every open linked incident with Code and
	// the fix as its resolution notes (each its own entry and notice).
	Incidents bool
	Code      desk.ResolutionCode // "": solved
	IfVersion int
}

// Resolve resolves a problem (staff), optionally with its incidents.
func (s *Service) Resolve(ctx context.Context, ref string, in ResolveInput) (*Problem, *Broadcast, error) {
	u, p, err := s.forChange(ctx, ref, in.IfVersion)
	if err != nil {
		return nil, nil, err
	}
	var c checks
	c.text("fix", in.Fix, MaxTextLen, false)
	if in.Code == "" {
		in.Code = "solved"
	}
	if !validCode(in.Code) {
		c.add("resolution_code", desk.RuleOneOf, desk.Params{"allowed": codeNames()}, "must be one of %s", codeNames())
	}
	if err := c.err(); err != nil {
		return nil, nil, err
	}
	if strings.TrimSpace(in.Fix) != "" {
		p.Fix = strings.TrimSpace(in.Fix)
	}
	if err := s.enter(p, StateResolved); err != nil {
		return nil, nil, err
	}
	if err := s.save(ctx, p); err != nil {
		return nil, nil, err
	}
	if !in.Incidents {
		return p, nil, nil
	}
	b := &Broadcast{ProblemID: p.ID, Number: p.Number(), Kind: BroadcastResolve, ByID: u.ID, Public: true,
		Body: p.Fix, ResolutionCode: in.Code, CreatedAt: s.clock.Now()}
	if err := s.store.CreateBroadcast(ctx, b); err != nil {
		return p, nil, fmt.Errorf("queue the resolution of %s's incidents: %w", p.Number(), err)
	}
	return p, b, nil
}

func validCode(c desk.ResolutionCode) bool {
	for _, ok := range desk.ResolutionCodes {
		if c == ok {
			return true
		}
	}
	return false
}

func codeNames() string {
	var out []string
	for _, c := range desk.ResolutionCodes {
		out = append(out, string(c))
	}
	return strings.Join(out, ", ")
}

// Broadcasts returns a problem's broadcasts, newest first (staff).
func (s *Service) Broadcasts(ctx context.Context, ref string) ([]*Broadcast, error) {
	p, err := s.Problem(ctx, ref)
	if err != nil {
		return nil, err
	}
	return s.store.Broadcasts(ctx, p.ID)
}
