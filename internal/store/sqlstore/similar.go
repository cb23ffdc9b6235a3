package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/textan"
)

// Similar tickets are found from the search index, never by reading every
// ticket: the first similarTerms distinct terms of the text are weighed by
// how rare they are (IDF, with document frequencies counted up to
// similarDFCap and remembered a while, see dfCache), and for each the
// newest similarPerTerm resolved tickets holding it are read. A candidate
// scores the weights of the terms it was found by, as a share of all the
// weights, divided by the square root of its length (a long ticket shares
// words with everything), times a bonus for a shared category and service.
// For a common term only its newest matches count, which is where this
// differs from an exhaustive comparison; docs/benchmarks.md has
// precision@5 of both on real tickets.
const (
	similarTerms      = 16    // distinct terms read from the text, first ones first
	similarDFCap      = 20000 // document frequencies counted up to this
	similarPerTerm    = 300   // newest resolved matches read per term
	similarCategoryUp = 1.2   // bonus factor for a shared category or subcategory
	similarServiceUp  = 1.1   // bonus factor for a shared service
	similarClosed     = "t.state IN ('resolved', 'closed')"
	similarNotVoid    = "t.state <> 'canceled'"
	// Security cases are never similar tickets, whoever asks.
	similarNoSecurity = "NOT t.security"
)

// weightedTerm is a term of the text with its weight.
type weightedTerm struct {
	term string
	df   int
	idf  float64
}

// similarCandidate is a ticket found by some of the terms.
type similarCandidate struct {
	id     int64
	score  float64
	factor float64 // length norm and bonuses
}

// SimilarTickets implements desk.SimilarStore.
func (s *Store) SimilarTickets(ctx context.Context, q desk.SimilarQuery) ([]desk.SimilarTicket, error) {
	terms := textan.Distinct(append(textan.Terms(q.Title), textan.Terms(q.Description)...))
	if len(terms) > similarTerms {
		terms = terms[:similarTerms]
	}
	weighted, err := s.weighTerms(ctx, terms)
	if err != nil || len(weighted) == 0 {
		return nil, err
	}
	var total float64
	for _, w := range weighted {
		total += w.idf
	}
	cands := map[int64]*similarCandidate{}
	for _, w := range weighted {
		if err := s.similarByTerm(ctx, q, w, total, cands); err != nil {
			return nil, err
		}
	}
	ranked := make([]*similarCandidate, 0, len(cands))
	for _, c := range cands {
		ranked = append(ranked, c)
	}
	slices.SortFunc(ranked, func(a, b *similarCandidate) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(b.id, a.id))
	})
	if len(ranked) > q.Limit {
		ranked = ranked[:q.Limit]
	}
	return s.similarTickets(ctx, ranked)
}

// weighTerms counts each term's documents (see dfCache) and returns those
// found at all.
func (s *Store) weighTerms(ctx context.Context, terms []string) ([]weightedTerm, error) {
	var n int
	if err := s.rdb.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM tickets").Scan(&n); err != nil {
		return nil, fmt.Errorf("similar: count tickets: %w", err)
	}
	var out []weightedTerm
	for _, t := range terms {
		df, err := s.documentFrequency(ctx, t, n)
		if err != nil {
			return nil, err
		}
		if df > 0 {
			out = append(out, weightedTerm{term: t, df: df, idf: textan.IDF(n, df)})
		}
	}
	return out, nil
}

func (s *Store) termQuery(term string) string {
	return s.dialect.SearchQuery(textan.Query{Clauses: []textan.Clause{{Terms: []string{term}}}})
}

// similarByTerm adds the weight of w, as a share of total and times the
// ticket's factor (length, category, service), to the newest resolved
// tickets holding it that q allows.
func (s *Store) similarByTerm(ctx context.Context, q desk.SimilarQuery, w weightedTerm, total float64, cands map[int64]*similarCandidate) error {
	var a args
	from, match, order := s.dialect.NewestMatches(a.add(s.termQuery(w.term)), w.df)
	states := similarClosed
	if q.Open {
		states = similarNotVoid
	}
	where := append([]string{match, states, similarNoSecurity}, visibilityConds(q.Visibility, &a)...)
	if q.ExcludeID > 0 {
		where = append(where, "t.id <> "+a.add(q.ExcludeID))
	}
	bonus := "0"
	if q.CategoryID > 0 {
		ph := a.add(q.CategoryID)
		bonus += " + CASE WHEN t.category_id = " + ph + " OR t.subcategory_id = " + ph + " THEN 1 ELSE 0 END"
	}
	if q.ServiceID > 0 {
		bonus += " + CASE WHEN t.service_id = " + a.add(q.ServiceID) + " THEN 2 ELSE 0 END"
	}
	rows, err := s.rdb.QueryContext(ctx, "SELECT t.id, "+bonus+", LENGTH(t.title) + LENGTH(t.description) FROM "+from+whereClause(where)+
		" ORDER BY "+order+" LIMIT "+strconv.Itoa(similarPerTerm), a...)
	if err != nil {
		return fmt.Errorf("similar: tickets with %q: %w", w.term, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var shared, chars int
		if err := rows.Scan(&id, &shared, &chars); err != nil {
			return fmt.Errorf("similar: %w", err)
		}
		c := cands[id]
		if c == nil {
			c = &similarCandidate{id: id, factor: textan.LengthNorm(chars)}
			if shared&1 != 0 {
				c.factor *= similarCategoryUp
			}
			if shared&2 != 0 {
				c.factor *= similarServiceUp
			}
			cands[id] = c
		}
		c.score += w.idf / total * c.factor
	}
	return rows.Err()
}

// similarTickets reads the ranked candidates' tickets, in rank order.
func (s *Store) similarTickets(ctx context.Context, ranked []*similarCandidate) ([]desk.SimilarTicket, error) {
	if len(ranked) == 0 {
		return nil, nil
	}
	var a args
	ids := make([]any, len(ranked))
	for i, c := range ranked {
		ids[i] = c.id
	}
	where := []string{"t.id IN (" + a.addAll(ids...) + ")"}
	tickets, err := s.queryTickets(ctx, where, a, []string{"t.id"}, true, len(ranked))
	if err != nil {
		return nil, fmt.Errorf("similar: %w", err)
	}
	byID := make(map[int64]*desk.Ticket, len(tickets))
	for _, t := range tickets {
		byID[t.ID] = t
	}
	out := make([]desk.SimilarTicket, 0, len(ranked))
	for _, c := range ranked {
		if t := byID[c.id]; t != nil {
			out = append(out, desk.SimilarTicket{Ticket: t, Score: c.score})
		}
	}
	return out, nil
}
