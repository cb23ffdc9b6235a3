package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/problem"
)

// Candidates implements problem.Store: incidents created since q.Since
// (through the created_at index), neither restricted nor security cases
// (a cluster is read by all staff), with a category, and
// not linked to a problem, grouped by category (the subcategory when
// set) and service.
func (s *Store) Candidates(ctx context.Context, q problem.CandidateQuery) ([]problem.Candidate, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT k.cat, c.name, k.service_id, sv.name, k.n, k.first, k.last FROM (
			SELECT COALESCE(t.subcategory_id, t.category_id) AS cat, t.service_id, COUNT(*) AS n,
				MIN(t.created_at) AS first, MAX(t.created_at) AS last
			FROM tickets t
			WHERE t.created_at >= $1 AND t.type = 'incident' AND t.restricted = $2 AND NOT t.security AND t.category_id IS NOT NULL
				AND NOT EXISTS (SELECT 1 FROM problem_incidents pi WHERE pi.ticket_id = t.id)
			GROUP BY COALESCE(t.subcategory_id, t.category_id), t.service_id
			HAVING COUNT(*) >= $3) k
		JOIN categories c ON c.id = k.cat LEFT JOIN services sv ON sv.id = k.service_id
		ORDER BY k.n DESC, k.last DESC LIMIT $4`, micros(q.Since), false, q.Min, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("problem candidates: %w", err)
	}
	var out []problem.Candidate
	for rows.Next() {
		var c problem.Candidate
		var cat, svc nullRef
		var first, last int64
		if err := rows.Scan(&cat.id, &cat.name, &svc.id, &svc.name, &c.Incidents, &first, &last); err != nil {
			rows.Close()
			return nil, err
		}
		c.Category, c.Service, c.First, c.Last = cat.ref(), svc.ref(), fromMicros(first), fromMicros(last)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Tickets, err = s.candidateTickets(ctx, q.Since, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// candidateTickets are the newest numbers of a cluster, at most 5.
func (s *Store) candidateTickets(ctx context.Context, since time.Time, c *problem.Candidate) ([]string, error) {
	svc := "t.service_id IS NULL AND $3 = 0"
	var svcID int64
	if c.Service != nil {
		svc, svcID = "t.service_id = $3", c.Service.ID
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT t.number FROM tickets t
		WHERE t.created_at >= $1 AND COALESCE(t.subcategory_id, t.category_id) = $2 AND `+svc+`
			AND t.type = 'incident' AND t.restricted = $4 AND NOT t.security
			AND NOT EXISTS (SELECT 1 FROM problem_incidents pi WHERE pi.ticket_id = t.id)
		ORDER BY t.created_at DESC, t.id DESC LIMIT 5`, micros(since), c.Category.ID, svcID, false)
	if err != nil {
		return nil, fmt.Errorf("candidate tickets: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// ProblemReport implements problem.Store.
func (s *Store) ProblemReport(ctx context.Context, from, to time.Time) (*problem.Report, error) {
	f, t := micros(from), micros(to)
	r := &problem.Report{}
	err := s.rdb.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM problems WHERE created_at >= $1 AND created_at < $2),
			(SELECT COUNT(*) FROM problems WHERE known_error_at >= $1 AND known_error_at < $2),
			(SELECT COUNT(*) FROM problems WHERE resolved_at >= $1 AND resolved_at < $2),
			(SELECT COUNT(*) FROM problem_incidents WHERE linked_at >= $1 AND linked_at < $2)`, f, t).
		Scan(&r.Opened, &r.KnownErrors, &r.Resolved, &r.Linked)
	if err != nil {
		return nil, fmt.Errorf("problem report: %w", err)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT p.id, p.title, p.state, p.known_error_at,
			(SELECT COUNT(*) FROM problem_incidents pi JOIN tickets tk ON tk.id = pi.ticket_id WHERE pi.problem_id = p.id AND NOT tk.security),
			(SELECT MIN(tk.created_at) FROM problem_incidents pi JOIN tickets tk ON tk.id = pi.ticket_id WHERE pi.problem_id = p.id AND NOT tk.security)
		FROM problems p
		WHERE (p.created_at >= $1 AND p.created_at < $2) OR (p.known_error_at >= $1 AND p.known_error_at < $2)
			OR (p.resolved_at >= $1 AND p.resolved_at < $2)
		ORDER BY p.id LIMIT 10000`, f, t)
	if err != nil {
		return nil, fmt.Errorf("problem report: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u problem.ProblemUse
		var ke, first sql.NullInt64
		if err := rows.Scan(&u.ID, &u.Title, &u.State, &ke, &u.Incidents, &first); err != nil {
			return nil, err
		}
		u.KnownErrorAt, u.FirstIncidentAt = timePtr(ke), timePtr(first)
		r.Problems = append(r.Problems, u)
	}
	return r, rows.Err()
}
