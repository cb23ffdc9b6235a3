package desk

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// SimilarLimit is how many similar tickets are suggested.
const SimilarLimit = 5

// maxSimilarText bounds each text compared (title, description) in runes: the
// first words say what a ticket is about, and a pasted log must not make
// the lookup slow.
const maxSimilarText = 4000

// SimilarQuery asks for the resolved tickets most like a text.
type SimilarQuery struct {
	Title, Description string
	CategoryID         int64 // 0: none; a shared category or subcategory ranks higher
	ServiceID          int64 // 0: none; a shared service ranks higher
	ExcludeID          int64 // the ticket itself
	// Open asks for tickets not yet resolved too (never canceled ones):
	// while a call is registered, an open ticket about the same thing
	// is as worth seeing as a resolved one. Resolved ones come first.
	Open       bool
	Limit      int
	Visibility Visibility // set by the Desk from the actor
}

// SimilarTicket is a ticket like the one asked about: resolved or closed
// ones with their resolution and how long they took. Security cases are
// never similar tickets, whoever asks: what they hold must not be
// suggested beside another ticket (deny by default, see security.go).
type SimilarTicket struct {
	Ticket *Ticket
	Score  float64 // higher is more similar; comparable within one answer only
}

// TimeTaken is how long the ticket took from report to resolution.
func (s SimilarTicket) TimeTaken() time.Duration {
	if s.Ticket.ResolvedAt == nil {
		return 0
	}
	return s.Ticket.ResolvedAt.Sub(s.Ticket.ReportedAt)
}

// SimilarStore finds similar resolved tickets.
type SimilarStore interface {
	// SimilarTickets returns up to q.Limit resolved or closed tickets (with
	// q.Open, any but canceled ones) that q.Visibility allows, never a
	// security case, most similar first: by the words they share
	// with q's text (rarer words weigh more), then a shared category or
	// service. A text without words gives none.
	SimilarTickets(ctx context.Context, q SimilarQuery) ([]SimilarTicket, error)
}

// SimilarTickets returns the resolved tickets most like ticket ref, among
// those the actor may see.
func (s *Desk) SimilarTickets(ctx context.Context, ref string) ([]SimilarTicket, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.loadTicket(ctx, u, ref)
	if err != nil {
		return nil, err
	}
	q := SimilarQuery{Title: t.Title, Description: t.Description, ExcludeID: t.ID}
	if t.Subcategory != nil {
		q.CategoryID = t.Subcategory.ID
	} else if t.Category != nil {
		q.CategoryID = t.Category.ID
	}
	if t.Service != nil {
		q.ServiceID = t.Service.ID
	}
	return s.similar(ctx, u, q)
}

// SimilarToText returns the resolved tickets most like a ticket being
// registered, among those the actor may see. Title and description are
// free text; an empty one finds nothing, never an error.
func (s *Desk) SimilarToText(ctx context.Context, q SimilarQuery) ([]SimilarTicket, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	q.ExcludeID = 0
	return s.similar(ctx, u, q)
}

func (s *Desk) similar(ctx context.Context, u *User, q SimilarQuery) ([]SimilarTicket, error) {
	q.Title = clipRunes(q.Title, maxSimilarText)
	q.Description = clipRunes(q.Description, maxSimilarText)
	if strings.TrimSpace(q.Title+q.Description) == "" {
		return nil, nil
	}
	q.Limit = SimilarLimit
	q.Visibility = visibility(u)
	out, err := s.store.SimilarTickets(ctx, q)
	// Resolved ones first, with their resolution: the most useful to see.
	slices.SortStableFunc(out, func(a, b SimilarTicket) int {
		return cmp.Compare(openRank(a), openRank(b))
	})
	return out, err
}

func openRank(s SimilarTicket) int {
	if s.Ticket.State.IsOpen() {
		return 1
	}
	return 0
}
