package desk

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// EventRated is the public timeline entry of a requester's satisfaction
// rating: the score as a change of "rating", the comment as the body.
const EventRated EventKind = "rated"

// MaxRatingComment bounds a rating's comment, in characters.
const MaxRatingComment = 2_000

// Rating is a requester's satisfaction with the support a ticket got: a
// score from 1 (poor) to 5 (excellent) and an optional comment.
//
// The rules: only the ticket's requester rates, and only once the ticket is
// resolved. While it stays resolved they may change their mind (a rating
// given before confirming the resolution may be revised on closing); once
// it is closed, a rating it already has is final, and one it lacks may
// still be given, once.
type Rating struct {
	TicketID int64
	Score    int
	Comment  string
	RatedBy  int64
	RatedAt  time.Time
	GroupID  int64 // the group the ticket was with when rated: who the rating is about
	// GroupName is that group's name as it is now (the store reads it
	// with the rating; it is not stored with it).
	GroupName string
}

// RatingInput is what the requester says.
type RatingInput struct {
	Score   int
	Comment string
}

// RatingStore keeps ratings.
type RatingStore interface {
	// PutRating stores r with ev in one transaction and gives the ticket a
	// new version, provided the ticket's version still equals version
	// (else ESTALE). With replace false an existing rating is ECONFLICT;
	// with replace true it is overwritten.
	PutRating(ctx context.Context, r Rating, version int, replace bool, ev Event) error
	// GetRating returns the ticket's rating (ENOTFOUND if none).
	GetRating(ctx context.Context, ticketID int64) (*Rating, error)
}

// RateTicket records the requester's rating of ticket ref (see Rating for
// the rules).
func (s *Desk) RateTicket(ctx context.Context, ref string, in RatingInput) (*Rating, error) {
	return retryStale(0, func() (*Rating, error) { return s.rate(ctx, ref, in) })
}

func (s *Desk) rate(ctx context.Context, ref string, in RatingInput) (*Rating, error) {
	u, t, err := s.forChange(ctx, ref, 0, actor)
	if err != nil {
		return nil, err
	}
	if t.Requester.ID != u.ID {
		return nil, Errorf(EFORBIDDEN, "only the requester of %s may rate it", t.Number)
	}
	var v validation
	if in.Score < 1 || in.Score > 5 {
		v.add("score", RuleOutOfRange, Params{"min": 1, "max": 5}, "must be from 1 to 5")
	}
	v.text("comment", in.Comment, MaxRatingComment, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	if t.State != StateResolved && t.State != StateClosed {
		return nil, Refusef(ECONFLICT, RuleNotResolved, Params{"state": string(t.State)}, "%s is %s: it can be rated once resolved", t.Number, t.State)
	}
	old, err := s.store.GetRating(ctx, t.ID)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return nil, err
	}
	if old != nil && t.State == StateClosed {
		return nil, Refusef(ECONFLICT, RuleRated, nil, "%s is closed and already rated: the rating is final", t.Number)
	}
	now := s.clock.Now()
	r := Rating{TicketID: t.ID, Score: in.Score, Comment: in.Comment, RatedBy: u.ID, RatedAt: now, GroupID: t.Group.ID,
		GroupName: t.Group.Name}
	ch := Change{Field: "rating", New: strconv.Itoa(in.Score)}
	if old != nil {
		ch.Old = strconv.Itoa(old.Score)
	}
	ev := Event{Kind: EventRated, Public: true, Body: in.Comment, At: now, Actor: &Ref{ID: u.ID, Name: u.Name},
		Changes: []Change{ch}}
	if err := s.store.PutRating(ctx, r, t.Version, old != nil, ev); err != nil {
		return nil, fmt.Errorf("rate %s: %w", t.Number, err)
	}
	return &r, nil
}

// TicketRating returns the rating of ticket ref, or nil when it has none;
// anyone who may see the ticket may read it.
func (s *Desk) TicketRating(ctx context.Context, ref string) (*Rating, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.loadTicket(ctx, u, ref)
	if err != nil {
		return nil, err
	}
	return s.RatingFor(ctx, t)
}

// RatingFor is TicketRating for a ticket the caller has already loaded.
func (s *Desk) RatingFor(ctx context.Context, t *Ticket) (*Rating, error) {
	r, err := s.store.GetRating(ctx, t.ID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil
	}
	return r, err
}
