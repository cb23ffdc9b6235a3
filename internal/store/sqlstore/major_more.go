package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
)

// AddStakeholder implements major.Store.
func (s *Store) AddStakeholder(ctx context.Context, h *major.Stakeholder) error {
	err := s.inAuditedTx(ctx, entry("major.stakeholder_add", about("stakeholder", &h.ID), "major", h.MajorID,
		"service", h.ServiceID, "user", h.UserID, "page", h.Page), func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO major_stakeholders (major_id, service_id, user_id, email, name, page, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, nullID(h.MajorID), nullID(h.ServiceID), nullID(h.UserID),
			h.Email, h.Name, h.Page, micros(h.CreatedAt)).Scan(&h.ID)
	})
	if err != nil && s.dialect.IsUniqueViolation(err) {
		return fieldError(desk.ECONFLICT, "email", desk.RuleTaken, nil, "this address is already a stakeholder")
	}
	return s.refError(ctx, "add stakeholder", err, ref{"major_id", "major_incidents", h.MajorID},
		ref{"service_id", "services", h.ServiceID}, ref{"user_id", "users", h.UserID})
}

// RemoveStakeholder implements major.Store.
func (s *Store) RemoveStakeholder(ctx context.Context, id int64) error {
	return s.deleteAudited(ctx, "major.stakeholder_remove", about("stakeholder", &id), "stakeholder",
		"DELETE FROM major_stakeholders WHERE id = $1", id)
}

// Stakeholders implements major.Store.
func (s *Store) Stakeholders(ctx context.Context, majorID, serviceID int64) ([]major.Stakeholder, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, COALESCE(major_id, 0), COALESCE(service_id, 0), COALESCE(user_id, 0),
		email, name, page, created_at FROM major_stakeholders
		WHERE major_id = $1 OR (service_id = $2 AND $2 <> 0) ORDER BY id`, majorID, serviceID)
	if err != nil {
		return nil, fmt.Errorf("stakeholders: %w", err)
	}
	defer rows.Close()
	var out []major.Stakeholder
	for rows.Next() {
		var h major.Stakeholder
		var at int64
		if err := rows.Scan(&h.ID, &h.MajorID, &h.ServiceID, &h.UserID, &h.Email, &h.Name, &h.Page, &at); err != nil {
			return nil, err
		}
		h.CreatedAt = fromMicros(at)
		out = append(out, h)
	}
	return out, rows.Err()
}

// CreateRule implements major.Store.
func (s *Store) CreateRule(ctx context.Context, r *major.Rule) error {
	err := s.inAuditedTx(ctx, entry("major.rule_create", about("major_rule", &r.ID), "name", r.Name, "service", r.ServiceID),
		func(tx *sql.Tx) error {
			return tx.QueryRowContext(ctx, `INSERT INTO major_rules (name, service_id, on_p1, count_n, window_seconds, commander_id,
		enabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, r.Name, r.ServiceID, r.OnP1, r.Count,
				int64(r.Window/time.Second), r.CommanderID, r.Enabled, s.now()).Scan(&r.ID)
		})
	return s.refError(ctx, "create rule", err, ref{"service_id", "services", r.ServiceID}, ref{"commander_id", "users", r.CommanderID})
}

// ListRules implements major.Store.
func (s *Store) ListRules(ctx context.Context) ([]major.Rule, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, name, service_id, on_p1, count_n, window_seconds, commander_id, enabled
		FROM major_rules ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	defer rows.Close()
	var out []major.Rule
	for rows.Next() {
		var r major.Rule
		var window int64
		if err := rows.Scan(&r.ID, &r.Name, &r.ServiceID, &r.OnP1, &r.Count, &window, &r.CommanderID, &r.Enabled); err != nil {
			return nil, err
		}
		r.Window = time.Duration(window) * time.Second
		out = append(out, r)
	}
	return out, rows.Err()
}

// DeleteRule implements major.Store.
func (s *Store) DeleteRule(ctx context.Context, id int64) error {
	return s.deleteAudited(ctx, "major.rule_delete", about("major_rule", &id), "rule", "DELETE FROM major_rules WHERE id = $1", id)
}

// Unattached implements major.Store.
func (s *Store) Unattached(ctx context.Context, serviceID int64, since time.Time) ([]major.Candidate, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT t.id, t.priority, t.created_at, t.restricted FROM tickets t
		WHERE t.service_id = $1 AND t.type = 'incident' AND NOT t.security AND t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		AND t.created_at >= $2
		AND NOT EXISTS (SELECT 1 FROM major_incidents m WHERE m.ticket_id = t.id)
		AND NOT EXISTS (SELECT 1 FROM major_children c WHERE c.ticket_id = t.id)
		ORDER BY t.created_at, t.id LIMIT 1000`, serviceID, micros(since))
	if err != nil {
		return nil, fmt.Errorf("unattached incidents: %w", err)
	}
	defer rows.Close()
	var out []major.Candidate
	for rows.Next() {
		var c major.Candidate
		var at int64
		if err := rows.Scan(&c.TicketID, &c.Priority, &at, &c.Restricted); err != nil {
			return nil, err
		}
		c.CreatedAt = fromMicros(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

const reviewColumns = `id, major_id, state, summary, components, duration_seconds, children, requesters, detected_by,
	declare_seconds, timeline, causes, went_well, went_badly, created_at, published_at, version`

func (s *Store) insertReview(ctx context.Context, tx *sql.Tx, r *major.Review) error {
	comps, _ := json.Marshal(nonNilStrings(r.Components))
	tl, err := json.Marshal(r.Timeline)
	if err != nil {
		return err
	}
	if r.Timeline == nil {
		tl = []byte("[]")
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO incident_reviews (major_id, state, summary, components, duration_seconds,
		children, requesters, detected_by, declare_seconds, timeline, causes, went_well, went_badly, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		r.MajorID, r.State, r.Summary, string(comps), int64(r.Duration/time.Second), r.Children, r.Requesters, r.DetectedBy,
		int64(r.TimeToDeclare/time.Second), string(tl), r.Causes, r.WentWell, r.WentBadly, micros(r.CreatedAt)).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("create review: %w", err)
	}
	r.Version = 1
	return nil
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// GetReview implements major.Store.
func (s *Store) GetReview(ctx context.Context, majorID int64) (*major.Review, error) {
	var r major.Review
	var comps, tl string
	var dur, declare, created int64
	var published sql.NullInt64
	err := s.rdb.QueryRowContext(ctx, "SELECT "+reviewColumns+" FROM incident_reviews WHERE major_id = $1", majorID).Scan(
		&r.ID, &r.MajorID, &r.State, &r.Summary, &comps, &dur, &r.Children, &r.Requesters, &r.DetectedBy, &declare, &tl,
		&r.Causes, &r.WentWell, &r.WentBadly, &created, &published, &r.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("review of major incident", majorID)
	}
	if err != nil {
		return nil, fmt.Errorf("review: %w", err)
	}
	if err := json.Unmarshal([]byte(comps), &r.Components); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(tl), &r.Timeline); err != nil {
		return nil, err
	}
	r.Duration, r.TimeToDeclare = time.Duration(dur)*time.Second, time.Duration(declare)*time.Second
	r.CreatedAt, r.PublishedAt = fromMicros(created), timePtr(published)
	r.Items, err = s.actionItems(ctx, "WHERE a.review_id = $1 ORDER BY a.due_on, a.id", r.ID)
	return &r, err
}

// SaveReview implements major.Store.
func (s *Store) SaveReview(ctx context.Context, r *major.Review) error {
	err := s.inAuditedTx(ctx, entry("major.review", about("major", &r.MajorID), "review", r.ID, "version", r.Version+1),
		func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE incident_reviews SET state = $1, summary = $2, causes = $3, went_well = $4,
		went_badly = $5, published_at = $6, version = version + 1 WHERE id = $7 AND version = $8`,
				r.State, r.Summary, r.Causes, r.WentWell, r.WentBadly, nullMicros(r.PublishedAt), r.ID, r.Version)
			if err != nil {
				return fmt.Errorf("save review: %w", err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return desk.Errorf(desk.ESTALE, "the review changed since it was read")
			}
			return nil
		})
	if err != nil {
		return err
	}
	r.Version++
	return nil
}

// AddActionItem implements major.Store.
func (s *Store) AddActionItem(ctx context.Context, a *major.ActionItem) error {
	err := s.inAuditedTx(ctx, entry("major.action_add", about("action_item", &a.ID), "review", a.ReviewID, "owner", a.OwnerID),
		func(tx *sql.Tx) error {
			return tx.QueryRowContext(ctx, `INSERT INTO review_action_items (review_id, text, owner_id, due_on, ticket_id)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, a.ReviewID, a.Text, a.OwnerID, micros(a.DueOn), nullID(a.TicketID)).Scan(&a.ID)
		})
	return s.refError(ctx, "add action item", err, ref{"owner_id", "users", a.OwnerID}, ref{"ticket", "tickets", a.TicketID})
}

// UpdateActionItem implements major.Store.
func (s *Store) UpdateActionItem(ctx context.Context, a *major.ActionItem) error {
	err := s.inAuditedTx(ctx, entry("major.action_update", about("action_item", &a.ID), "owner", a.OwnerID, "done", a.DoneAt != nil),
		func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE review_action_items SET text = $1, owner_id = $2, due_on = $3, done_at = $4,
		ticket_id = $5 WHERE id = $6`, a.Text, a.OwnerID, micros(a.DueOn), nullMicros(a.DoneAt), nullID(a.TicketID), a.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return notFound("action item", a.ID)
			}
			return nil
		})
	return s.refError(ctx, "update action item", err, ref{"owner_id", "users", a.OwnerID}, ref{"ticket", "tickets", a.TicketID})
}

// OpenActionItems implements major.Store.
func (s *Store) OpenActionItems(ctx context.Context) ([]major.ActionItem, error) {
	return s.actionItems(ctx, "WHERE a.done_at IS NULL ORDER BY a.due_on, a.id")
}

func (s *Store) actionItems(ctx context.Context, cond string, args ...any) ([]major.ActionItem, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT a.id, a.review_id, a.text, a.owner_id, u.name, a.due_on, a.done_at,
		COALESCE(a.ticket_id, 0) FROM review_action_items a JOIN users u ON u.id = a.owner_id `+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("action items: %w", err)
	}
	defer rows.Close()
	var out []major.ActionItem
	for rows.Next() {
		var a major.ActionItem
		var due int64
		var done sql.NullInt64
		if err := rows.Scan(&a.ID, &a.ReviewID, &a.Text, &a.OwnerID, &a.Owner, &due, &done, &a.TicketID); err != nil {
			return nil, err
		}
		a.DueOn, a.DoneAt = fromMicros(due), timePtr(done)
		out = append(out, a)
	}
	return out, rows.Err()
}
