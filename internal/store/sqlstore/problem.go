package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/problem"
)

var _ problem.Store = (*Store)(nil)

const problemCols = `p.id, p.title, p.description, p.root_cause, p.impact, p.state, p.workaround, p.workaround_at, p.fix, p.refs,
	p.version, p.created_at, p.updated_at, p.known_error_at, p.resolved_at, p.closed_at,
	p.group_id, g.name, p.category_id, c.name, p.service_id, sv.name, p.created_by, u.name,
	(SELECT COUNT(*) FROM problem_incidents pi JOIN tickets t ON t.id = pi.ticket_id WHERE pi.problem_id = p.id AND NOT t.security),
	(SELECT MIN(t.created_at) FROM problem_incidents pi JOIN tickets t ON t.id = pi.ticket_id WHERE pi.problem_id = p.id AND NOT t.security)`

// The counts and times of a problem's incidents leave out security cases:
// problems are read by all staff, a security case's existence only by its
// members (its members see it in the problem's list of incidents).

const problemFrom = ` FROM problems p LEFT JOIN support_groups g ON g.id = p.group_id LEFT JOIN categories c ON c.id = p.category_id
	LEFT JOIN services sv ON sv.id = p.service_id LEFT JOIN users u ON u.id = p.created_by`

func scanProblem(sc scanner) (*problem.Problem, error) {
	var p problem.Problem
	var refs string
	var workAt, keAt, resAt, closedAt, first sql.NullInt64
	var created, updated int64
	var group, cat, svc, by nullRef
	err := sc.Scan(&p.ID, &p.Title, &p.Description, &p.RootCause, &p.Impact, &p.State, &p.Workaround, &workAt, &p.Fix, &refs,
		&p.Version, &created, &updated, &keAt, &resAt, &closedAt, &group.id, &group.name, &cat.id, &cat.name,
		&svc.id, &svc.name, &by.id, &by.name, &p.Incidents, &first)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(refs), &p.References); err != nil {
		return nil, fmt.Errorf("problem %d references: %w", p.ID, err)
	}
	p.WorkaroundAt, p.KnownErrorAt, p.ResolvedAt, p.ClosedAt = timePtr(workAt), timePtr(keAt), timePtr(resAt), timePtr(closedAt)
	p.FirstIncidentAt = timePtr(first)
	p.CreatedAt, p.UpdatedAt = fromMicros(created), fromMicros(updated)
	p.Group, p.Category, p.Service, p.CreatedBy = group.ref(), cat.ref(), svc.ref(), by.ref()
	return &p, nil
}

const problemWriteCols = `title, search, description, root_cause, impact, state, group_id, category_id, service_id, workaround,
	workaround_at, fix, refs, version, updated_at, known_error_at, resolved_at, closed_at`

func problemArgs(p *problem.Problem) []any {
	refs, _ := json.Marshal(p.References) // plain structs always encode
	if p.References == nil {
		refs = []byte("[]")
	}
	return []any{p.Title, problem.SearchText(p), p.Description, p.RootCause, string(p.Impact), string(p.State),
		refID(p.Group), refID(p.Category), refID(p.Service), p.Workaround, nullMicros(p.WorkaroundAt), p.Fix, string(refs),
		p.Version, micros(p.UpdatedAt), nullMicros(p.KnownErrorAt), nullMicros(p.ResolvedAt), nullMicros(p.ClosedAt)}
}

func problemRefs(p *problem.Problem) []ref {
	return []ref{{"group_id", "support_groups", refID(p.Group)}, {"category_id", "categories", refID(p.Category)},
		{"service_id", "services", refID(p.Service)}}
}

// CreateProblem implements problem.Store.
func (s *Store) CreateProblem(ctx context.Context, p *problem.Problem) error {
	err := s.inAuditedTx(ctx, entry("problem.create", about("problem", &p.ID), "group", refID(p.Group)), func(tx *sql.Tx) error {
		args := append(problemArgs(p), refID(p.CreatedBy), micros(p.CreatedAt))
		if err := tx.QueryRowContext(ctx, `INSERT INTO problems (`+problemWriteCols+`, created_by, created_at)
			VALUES (`+placeholders(1, len(args))+`) RETURNING id`, args...).Scan(&p.ID); err != nil {
			return err
		}
		// The search text holds the number, known only now.
		_, err := tx.ExecContext(ctx, "UPDATE problems SET search = $1 WHERE id = $2", problem.SearchText(p), p.ID)
		return err
	})
	if err != nil {
		return s.refError(ctx, "create problem", err, problemRefs(p)...)
	}
	return nil
}

// SaveProblem implements problem.Store.
func (s *Store) SaveProblem(ctx context.Context, p *problem.Problem) error {
	next := *p
	next.Version++
	args := append(problemArgs(&next), p.ID, p.Version)
	sets := strings.Split(problemWriteCols, ",")
	for i := range sets {
		sets[i] = fmt.Sprintf("%s = $%d", strings.TrimSpace(sets[i]), i+1)
	}
	var n int64
	err := s.inAuditedTx(ctx, entry("problem.update", about("problem", &p.ID), "version", next.Version), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE problems SET `+strings.Join(sets, ", ")+
			fmt.Sprintf(" WHERE id = $%d AND version = $%d", len(args)-1, len(args)), args...)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n != 1 {
			return errStale // nothing to audit
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStale) {
		return s.refError(ctx, "save problem", err, problemRefs(p)...)
	}
	if n != 1 {
		cur, err := s.Problem(ctx, p.ID)
		if err != nil {
			return err
		}
		return desk.Errorf(desk.ESTALE, "problem %s is at version %d, not %d: reload it", p.Number(), cur.Version, p.Version)
	}
	p.Version = next.Version
	return nil
}

// Problem implements problem.Store.
func (s *Store) Problem(ctx context.Context, id int64) (*problem.Problem, error) {
	p, err := scanProblem(s.rdb.QueryRowContext(ctx, "SELECT "+problemCols+problemFrom+" WHERE p.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, desk.Errorf(desk.ENOTFOUND, "no problem %s", problem.Number(id))
	}
	return p, err
}

// ListProblems implements problem.Store.
func (s *Store) ListProblems(ctx context.Context, f problem.Filter) (*problem.Page, error) {
	limit, err := pageSize(f.Limit)
	if err != nil {
		return nil, err
	}
	after, err := afterID(f.Cursor, "problems")
	if err != nil {
		return nil, err
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if after > 0 {
		where = append(where, "p.id < "+arg(after))
	}
	if len(f.States) > 0 {
		var ph []string
		for _, st := range f.States {
			ph = append(ph, arg(string(st)))
		}
		where = append(where, "p.state IN ("+strings.Join(ph, ", ")+")")
	}
	if f.GroupID != 0 {
		where = append(where, "p.group_id = "+arg(f.GroupID))
	}
	if f.Text != "" {
		where = append(where, "p.search LIKE "+arg("%"+escapeLike(f.Text)+"%")+` ESCAPE '\'`)
	}
	q := "SELECT " + problemCols + problemFrom
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY p.id DESC LIMIT " + arg(limit+1)
	list, err := s.queryProblems(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	page := &problem.Page{Problems: list}
	if len(list) > limit {
		page.Problems = list[:limit]
		page.Next = encodeCursor(idCursor{List: "problems", ID: list[limit-1].ID})
	}
	return page, nil
}

func (s *Store) queryProblems(ctx context.Context, q string, args ...any) ([]*problem.Problem, error) {
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list problems: %w", err)
	}
	defer rows.Close()
	var out []*problem.Problem
	for rows.Next() {
		p, err := scanProblem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// KnownErrors implements problem.Store.
func (s *Store) KnownErrors(ctx context.Context, categoryIDs []int64, serviceID int64, limit int) ([]*problem.Problem, error) {
	args := []any{}
	var match []string
	for _, id := range categoryIDs {
		args = append(args, id)
		match = append(match, fmt.Sprintf("p.category_id = $%d", len(args)))
	}
	cond := "(" + strings.Join(match, " OR ") + ")"
	if len(match) == 0 {
		cond = "p.category_id IS NULL"
	}
	if serviceID != 0 {
		args = append(args, serviceID)
		cond += fmt.Sprintf(" AND (p.service_id IS NULL OR p.service_id = $%d)", len(args))
		if len(match) == 0 {
			cond = fmt.Sprintf("p.service_id = $%d", len(args))
		}
	}
	args = append(args, limit)
	return s.queryProblems(ctx, "SELECT "+problemCols+problemFrom+" WHERE p.state IN ('investigating', 'known_error') AND p.workaround <> '' AND "+
		cond+fmt.Sprintf(" ORDER BY p.id DESC LIMIT $%d", len(args)), args...)
}

// LinkIncident implements problem.Store: the link, the ticket's entries
// and its audit entry in one transaction.
func (s *Store) LinkIncident(ctx context.Context, l problem.Link, writes ...desk.TicketWrite) error {
	err := s.inAuditedTx(ctx, entry("problem.link", about("problem", &l.ProblemID), "ticket", l.TicketID), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO problem_incidents (problem_id, ticket_id, linked_at, linked_by) VALUES ($1, $2, $3, $4)`,
			l.ProblemID, l.TicketID, micros(l.LinkedAt), nullID(l.LinkedBy))
		if err != nil {
			return err
		}
		return s.applyTicketWrites(ctx, tx, writes)
	})
	if err == nil {
		for _, w := range writes {
			w.Ticket.Version++
		}
	}
	if err != nil && s.dialect.IsUniqueViolation(err) {
		var other int64
		if s.db.QueryRowContext(ctx, "SELECT problem_id FROM problem_incidents WHERE ticket_id = $1", l.TicketID).Scan(&other) == nil {
			return desk.Refusef(desk.ECONFLICT, desk.RuleTaken, desk.Params{"problem": problem.Number(other)},
				"ticket %d is linked to problem %s already", l.TicketID, problem.Number(other))
		}
	}
	if err != nil {
		return s.refError(ctx, "link incident", err, ref{"ticket", "tickets", l.TicketID}, ref{"problem", "problems", l.ProblemID})
	}
	return nil
}

// UnlinkIncident implements problem.Store.
func (s *Store) UnlinkIncident(ctx context.Context, problemID, ticketID int64) error {
	return s.inAuditedTx(ctx, entry("problem.unlink", about("problem", &problemID), "ticket", ticketID), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM problem_incidents WHERE problem_id = $1 AND ticket_id = $2", problemID, ticketID)
		if err != nil {
			return fmt.Errorf("unlink incident: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return desk.Errorf(desk.ENOTFOUND, "ticket %d is not linked to problem %s", ticketID, problem.Number(problemID))
		}
		return nil
	})
}

// ProblemIncidents implements problem.Store.
func (s *Store) ProblemIncidents(ctx context.Context, problemID, after int64, limit int) ([]problem.Link, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT problem_id, ticket_id, linked_at, linked_by FROM problem_incidents
		WHERE problem_id = $1 AND ticket_id > $2 ORDER BY ticket_id LIMIT $3`, problemID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("problem incidents: %w", err)
	}
	defer rows.Close()
	var out []problem.Link
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func scanLink(sc scanner) (problem.Link, error) {
	var l problem.Link
	var at int64
	var by sql.NullInt64
	err := sc.Scan(&l.ProblemID, &l.TicketID, &at, &by)
	l.LinkedAt, l.LinkedBy = fromMicros(at), by.Int64
	return l, err
}

// TicketProblem implements problem.Store.
func (s *Store) TicketProblem(ctx context.Context, ticketID int64) (*problem.Link, error) {
	l, err := scanLink(s.rdb.QueryRowContext(ctx, `SELECT problem_id, ticket_id, linked_at, linked_by FROM problem_incidents
		WHERE ticket_id = $1`, ticketID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, desk.Errorf(desk.ENOTFOUND, "ticket %d has no problem", ticketID)
	}
	if err != nil {
		return nil, err
	}
	return &l, nil
}

// errStale ends a write's transaction when its row is not at the version
// read: the caller words the refusal, nothing is audited.
var errStale = errors.New("stale")
