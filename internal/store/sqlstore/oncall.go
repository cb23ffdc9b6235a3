package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Schedules are stored in words (desk.ScheduleDoc as JSON); escalation
// policies keep priorities and steps as JSON (delays in seconds).

var _ desk.OnCallStore = (*Store)(nil)

func scanSchedule(sc scanner) (*desk.StoredSchedule, error) {
	var st desk.StoredSchedule
	var doc string
	var created, updated int64
	if err := sc.Scan(&st.ID, &doc, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(doc), &st.Doc); err != nil {
		return nil, fmt.Errorf("schedule %d document: %w", st.ID, err)
	}
	st.CreatedAt, st.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &st, nil
}

const scheduleColumns = "id, doc, created_at, updated_at"

// CreateSchedule implements desk.OnCallStore.
func (s *Store) CreateSchedule(ctx context.Context, st *desk.StoredSchedule) error {
	doc, err := json.Marshal(st.Doc)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.inAuditedTx(ctx, entry("schedule.create", about("schedule", &st.ID), "name", st.Doc.Name), func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO schedules (name, doc, created_at, updated_at) VALUES ($1, $2, $3, $3)
		RETURNING id`, st.Doc.Name, string(doc), now).Scan(&st.ID)
	})
	if err != nil {
		return s.uniqueError("create schedule", err, "name")
	}
	st.CreatedAt, st.UpdatedAt = fromMicros(now), fromMicros(now)
	return nil
}

// UpdateSchedule implements desk.OnCallStore.
func (s *Store) UpdateSchedule(ctx context.Context, st *desk.StoredSchedule) error {
	doc, err := json.Marshal(st.Doc)
	if err != nil {
		return err
	}
	now := s.now()
	var created int64
	err = s.inAuditedTx(ctx, entry("schedule.update", about("schedule", &st.ID), "name", st.Doc.Name), func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `UPDATE schedules SET name = $1, doc = $2, updated_at = $3 WHERE id = $4
		RETURNING created_at`, st.Doc.Name, string(doc), now, st.ID).Scan(&created)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("schedule", st.ID)
	}
	if err != nil {
		return s.uniqueError("update schedule", err, "name")
	}
	st.CreatedAt, st.UpdatedAt = fromMicros(created), fromMicros(now)
	return nil
}

// GetSchedule implements desk.OnCallStore.
func (s *Store) GetSchedule(ctx context.Context, id int64) (*desk.StoredSchedule, error) {
	st, err := scanSchedule(s.rdb.QueryRowContext(ctx, "SELECT "+scheduleColumns+" FROM schedules WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("schedule", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read schedule %d: %w", id, err)
	}
	return st, nil
}

// ListSchedules implements desk.OnCallStore.
func (s *Store) ListSchedules(ctx context.Context) ([]*desk.StoredSchedule, error) {
	return queryAll(ctx, s.rdb, "list schedules", scanSchedule, "SELECT "+scheduleColumns+" FROM schedules ORDER BY name, id")
}

// DeleteSchedule implements desk.OnCallStore.
func (s *Store) DeleteSchedule(ctx context.Context, id int64) error {
	return s.deleteAudited(ctx, "schedule.delete", about("schedule", &id), "schedule", "DELETE FROM schedules WHERE id = $1", id)
}

// deleteByID runs the DELETE q and refuses when it removed nothing (the
// last argument names the record).
func deleteByID(ctx context.Context, tx *sql.Tx, what, q string, args ...any) error {
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("delete %s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return notFound(what, args[len(args)-1])
	}
	return nil
}

// queryAll runs q and scans every row with scan.
func queryAll[T any](ctx context.Context, q queryer, op string, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

const escalationColumns = "id, group_id, name, repeat_count, priorities, steps, active, created_at, updated_at"

// stepJSON is a step as stored: the delay in seconds.
type stepJSON struct {
	ScheduleIDs []int64 `json:"schedule_ids"`
	UserIDs     []int64 `json:"user_ids"`
	DelaySecs   int64   `json:"delay_seconds"`
}

func scanEscalationPolicy(sc scanner) (*desk.EscalationPolicy, error) {
	var p desk.EscalationPolicy
	var prios, steps string
	var created, updated int64
	if err := sc.Scan(&p.ID, &p.GroupID, &p.Name, &p.Repeat, &prios, &steps, &p.Active, &created, &updated); err != nil {
		return nil, err
	}
	if err := unmarshalPolicy(&p, prios, steps); err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &p, nil
}

func unmarshalPolicy(p *desk.EscalationPolicy, prios, steps string) error {
	if err := json.Unmarshal([]byte(prios), &p.Priorities); err != nil {
		return fmt.Errorf("policy %d priorities: %w", p.ID, err)
	}
	var ss []stepJSON
	if err := json.Unmarshal([]byte(steps), &ss); err != nil {
		return fmt.Errorf("policy %d steps: %w", p.ID, err)
	}
	p.Steps = make([]desk.EscalationStep, len(ss))
	for i, st := range ss {
		p.Steps[i] = desk.EscalationStep{ScheduleIDs: st.ScheduleIDs, UserIDs: st.UserIDs, Delay: time.Duration(st.DelaySecs) * time.Second}
	}
	return nil
}

func marshalPolicy(p *desk.EscalationPolicy) (prios, steps string, err error) {
	ss := make([]stepJSON, len(p.Steps))
	for i, st := range p.Steps {
		ss[i] = stepJSON{ScheduleIDs: nonNilIDs(st.ScheduleIDs), UserIDs: nonNilIDs(st.UserIDs), DelaySecs: int64(st.Delay / time.Second)}
	}
	pr := p.Priorities
	if pr == nil {
		pr = []desk.Priority{}
	}
	b1, err := json.Marshal(pr)
	if err != nil {
		return "", "", err
	}
	b2, err := json.Marshal(ss)
	return string(b1), string(b2), err
}

func nonNilIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// PutEscalationPolicy implements desk.OnCallStore.
func (s *Store) PutEscalationPolicy(ctx context.Context, p *desk.EscalationPolicy) error {
	prios, steps, err := marshalPolicy(p)
	if err != nil {
		return err
	}
	now := s.now()
	var created int64
	err = s.inAuditedTx(ctx, entry("escalation.save", about("group", &p.GroupID), "name", p.Name, "active", p.Active,
		"steps", len(p.Steps)), func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO escalation_policies
		(group_id, name, repeat_count, priorities, steps, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
		ON CONFLICT (group_id) DO UPDATE SET name = excluded.name, repeat_count = excluded.repeat_count,
			priorities = excluded.priorities, steps = excluded.steps, active = excluded.active, updated_at = excluded.updated_at
		RETURNING id, created_at`, p.GroupID, p.Name, p.Repeat, prios, steps, p.Active, now).Scan(&p.ID, &created)
	})
	if err != nil {
		return s.refError(ctx, "save escalation policy", err, ref{"group_id", "support_groups", p.GroupID})
	}
	p.CreatedAt, p.UpdatedAt = fromMicros(created), fromMicros(now)
	return nil
}

// EscalationPolicy implements desk.OnCallStore.
func (s *Store) EscalationPolicy(ctx context.Context, groupID int64) (*desk.EscalationPolicy, error) {
	p, err := scanEscalationPolicy(s.rdb.QueryRowContext(ctx, "SELECT "+escalationColumns+" FROM escalation_policies WHERE group_id = $1", groupID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("escalation policy of group", groupID)
	}
	if err != nil {
		return nil, fmt.Errorf("read escalation policy of group %d: %w", groupID, err)
	}
	return p, nil
}

// ListEscalationPolicies implements desk.OnCallStore.
func (s *Store) ListEscalationPolicies(ctx context.Context) ([]*desk.EscalationPolicy, error) {
	return queryAll(ctx, s.rdb, "list escalation policies", scanEscalationPolicy, "SELECT "+escalationColumns+" FROM escalation_policies ORDER BY group_id")
}

// DeleteEscalationPolicy implements desk.OnCallStore.
func (s *Store) DeleteEscalationPolicy(ctx context.Context, groupID int64) error {
	return s.deleteAudited(ctx, "escalation.delete", about("group", &groupID), "escalation policy of group",
		"DELETE FROM escalation_policies WHERE group_id = $1", groupID)
}

const contactColumns = "id, user_id, kind, target, secret, delay_seconds, created_at"

func scanContact(sc scanner) (*desk.ContactMethod, error) {
	var m desk.ContactMethod
	var delay, created int64
	if err := sc.Scan(&m.ID, &m.UserID, &m.Kind, &m.Target, &m.Secret, &delay, &created); err != nil {
		return nil, err
	}
	m.Delay, m.CreatedAt = time.Duration(delay)*time.Second, fromMicros(created)
	return &m, nil
}

// CreateContactMethod implements desk.OnCallStore.
func (s *Store) CreateContactMethod(ctx context.Context, m *desk.ContactMethod) error {
	now := s.now()
	err := s.inAuditedTx(ctx, entry("contact.create", about("user", &m.UserID), "method", string(m.Kind), "contact", &m.ID), func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO contact_methods (user_id, kind, target, secret, delay_seconds, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, m.UserID, m.Kind, m.Target, m.Secret, int64(m.Delay/time.Second), now).Scan(&m.ID)
	})
	if err != nil {
		return s.refError(ctx, "create contact method", err, ref{"user_id", "users", m.UserID})
	}
	m.CreatedAt = fromMicros(now)
	return nil
}

// ContactMethods implements desk.OnCallStore.
func (s *Store) ContactMethods(ctx context.Context, userID int64) ([]*desk.ContactMethod, error) {
	return queryAll(ctx, s.rdb, "list contact methods", scanContact,
		"SELECT "+contactColumns+" FROM contact_methods WHERE user_id = $1 ORDER BY id", userID)
}

// GetContactMethod implements desk.OnCallStore.
func (s *Store) GetContactMethod(ctx context.Context, id int64) (*desk.ContactMethod, error) {
	m, err := scanContact(s.rdb.QueryRowContext(ctx, "SELECT "+contactColumns+" FROM contact_methods WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("contact method", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read contact method %d: %w", id, err)
	}
	return m, nil
}

// DeleteContactMethod implements desk.OnCallStore.
func (s *Store) DeleteContactMethod(ctx context.Context, userID, id int64) error {
	return s.deleteAudited(ctx, "contact.delete", about("user", &userID), "contact method",
		"DELETE FROM contact_methods WHERE user_id = $1 AND id = $2", userID, id)
}
