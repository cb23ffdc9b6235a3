package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/textan"
)

// Similar tickets are found from the search index, never by reading every
// ticket, in two steps. First, the first similarTerms distinct terms of the
// text are weighed by how rare they are (IDF, with document frequencies
// counted up to similarDFCap, or estimated, and remembered a while, see
// dfCache; an estimate above the cap weighs as the cap does), and the
// newest similarPerTerm documents holding each are read from the index
// alone; a document scores the weights of the terms it was found by, as a
// share of all the weights. Then the best similarPool of them are looked
// up: those q allows (resolved, no security case, visible) have their
// score divided by the square root of their length (a long ticket shares
// words with everything) and multiplied by a bonus for a shared category
// and service, and the best of those are the answer. Looking up every
// candidate (4,800 of them, the newest 300 resolved per term) cost ~30 ms
// of CPU a request on a 1M desk; the index alone reads them in a few.
// For a common term only its newest matches count, which is where this
// differs from an exhaustive comparison; docs/benchmarks.md has
// precision@5 of both on real tickets.
const (
	similarTerms      = 16    // distinct terms read from the text, first ones first
	similarDFCap      = 20000 // document frequencies counted up to this
	similarPerTerm    = 300   // newest matches read per term
	similarPool       = 100   // best candidates looked up at a time
	similarRounds     = 5     // pools looked up at most while too few pass
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
	id    int64
	score float64
}

// SimilarTickets implements desk.SimilarStore.
func (s *Store) SimilarTickets(ctx context.Context, q desk.SimilarQuery) ([]desk.SimilarTicket, error) {
	terms := textan.Distinct(append(textan.Terms(q.Title), textan.Terms(q.Description)...))
	if len(terms) > similarTerms {
		terms = terms[:similarTerms]
	}
	weighted, n, err := s.weighTerms(ctx, terms)
	if err != nil || len(weighted) == 0 {
		return nil, err
	}
	found, err := s.similarFound(ctx, weighted, n, q.ExcludeID)
	if err != nil {
		return nil, err
	}
	var ranked []*similarCandidate
	for round := 0; round < similarRounds && len(found) > 0 && len(ranked) < q.Limit; round++ {
		pool := found[:min(similarPool, len(found))]
		found = found[len(pool):]
		passed, err := s.similarLookup(ctx, q, pool)
		if err != nil {
			return nil, err
		}
		ranked = append(ranked, passed...)
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
// found at all, and the desk's highest ticket id.
func (s *Store) weighTerms(ctx context.Context, terms []string) ([]weightedTerm, int, error) {
	var n int
	if err := s.rdb.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM tickets").Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("similar: count tickets: %w", err)
	}
	var out []weightedTerm
	for _, t := range terms {
		df, err := s.documentFrequency(ctx, t, n)
		if err != nil {
			return nil, 0, err
		}
		if df > 0 { // weighed as counted up to the cap on both databases, whatever an estimate says
			out = append(out, weightedTerm{term: t, df: df, idf: textan.IDF(n, min(df, similarDFCap))})
		}
	}
	return out, n, nil
}

func (s *Store) termQuery(term string) string {
	return s.dialect.SearchQuery(textan.Query{Clauses: []textan.Clause{{Terms: []string{term}}}})
}

// similarFound reads the newest similarPerTerm documents of each term from
// the index and returns them (but exclude) best first, scored by the
// terms' weights as a share of all of them.
func (s *Store) similarFound(ctx context.Context, weighted []weightedTerm, n int, exclude int64) ([]*similarCandidate, error) {
	var total float64
	for _, w := range weighted {
		total += w.idf
	}
	queries, dfs := make([]string, len(weighted)), make([]int, len(weighted))
	for i, w := range weighted {
		queries[i], dfs[i] = s.termQuery(w.term), w.df
		if w.df == similarDFCap { // counted up to the cap: maybe far more common (PostgreSQL reads ranges by it)
			dfs[i] = n
		}
	}
	matches, err := s.dialect.NewestMatchIDs(ctx, s.rdb, queries, dfs, n, similarPerTerm)
	if err != nil {
		return nil, fmt.Errorf("similar: tickets with the text's terms: %w", err)
	}
	byID := map[int64]*similarCandidate{}
	for i, w := range weighted {
		for _, id := range matches[i] {
			c := byID[id]
			if c == nil {
				c = &similarCandidate{id: id}
				byID[id] = c
			}
			c.score += w.idf / total
		}
	}
	delete(byID, exclude)
	found := make([]*similarCandidate, 0, len(byID))
	for _, c := range byID {
		found = append(found, c)
	}
	slices.SortFunc(found, func(a, b *similarCandidate) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(b.id, a.id))
	})
	return found, nil
}

// similarLookup returns the candidates of pool that q allows, their score
// times their length norm and bonuses.
func (s *Store) similarLookup(ctx context.Context, q desk.SimilarQuery, pool []*similarCandidate) ([]*similarCandidate, error) {
	var a args
	ids := make([]any, len(pool))
	byID := make(map[int64]*similarCandidate, len(pool))
	for i, c := range pool {
		ids[i], byID[c.id] = c.id, c
	}
	states := similarClosed
	if q.Open {
		states = similarNotVoid
	}
	where := append([]string{"t.id IN (" + a.addAll(ids...) + ")", states, similarNoSecurity}, visibilityConds(q.Visibility, &a)...)
	bonus := "0"
	if q.CategoryID > 0 {
		ph := a.add(q.CategoryID)
		bonus += " + CASE WHEN t.category_id = " + ph + " OR t.subcategory_id = " + ph + " THEN 1 ELSE 0 END"
	}
	if q.ServiceID > 0 {
		bonus += " + CASE WHEN t.service_id = " + a.add(q.ServiceID) + " THEN 2 ELSE 0 END"
	}
	rows, err := s.rdb.QueryContext(ctx, "SELECT t.id, "+bonus+", LENGTH(t.title) + LENGTH(t.description) FROM tickets t"+whereClause(where), a...)
	if err != nil {
		return nil, fmt.Errorf("similar: %w", err)
	}
	defer rows.Close()
	var out []*similarCandidate
	for rows.Next() {
		var id int64
		var shared, chars int
		if err := rows.Scan(&id, &shared, &chars); err != nil {
			return nil, fmt.Errorf("similar: %w", err)
		}
		c := byID[id]
		c.score *= textan.LengthNorm(chars)
		if shared&1 != 0 {
			c.score *= similarCategoryUp
		}
		if shared&2 != 0 {
			c.score *= similarServiceUp
		}
		out = append(out, c)
	}
	return out, rows.Err()
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
