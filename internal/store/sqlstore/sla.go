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

const policySelect = `SELECT id, name, position, types, priorities, service_ids, calendar, response_minutes,
	resolution_minutes, next_update_minutes, pause_on, active, organizations, vip_only FROM sla_policies`

// policyRow holds a policy's columns; lists are JSON and durations minutes.
type policyRow struct {
	types, priorities, services, pauseOn, orgs string
	response, resolution, nextUpdate           int64
}

func scanPolicy(sc scanner) (*desk.SLAPolicy, error) {
	var p desk.SLAPolicy
	var r policyRow
	err := sc.Scan(&p.ID, &p.Name, &p.Position, &r.types, &r.priorities, &r.services, &p.Calendar,
		&r.response, &r.resolution, &r.nextUpdate, &r.pauseOn, &p.Active, &r.orgs, &p.VIPOnly)
	if err != nil {
		return nil, err
	}
	for _, l := range []struct {
		text string
		dst  any
	}{{r.types, &p.Types}, {r.priorities, &p.Priorities}, {r.services, &p.ServiceIDs}, {r.pauseOn, &p.PauseOn},
		{r.orgs, &p.Organizations}} {
		if err := json.Unmarshal([]byte(l.text), l.dst); err != nil {
			return nil, fmt.Errorf("policy %d: %w", p.ID, err)
		}
	}
	p.Response = time.Duration(r.response) * time.Minute
	p.Resolution = time.Duration(r.resolution) * time.Minute
	p.NextUpdate = time.Duration(r.nextUpdate) * time.Minute
	return &p, nil
}

// policyArgs are the column values of p after name, in policySelect order.
func policyArgs(p *desk.SLAPolicy) []any {
	js := func(v any) string {
		b, _ := json.Marshal(v) // slices of strings and ints always marshal
		if string(b) == "null" {
			return "[]"
		}
		return string(b)
	}
	return []any{p.Position, js(p.Types), js(p.Priorities), js(p.ServiceIDs), p.Calendar,
		int64(p.Response / time.Minute), int64(p.Resolution / time.Minute), int64(p.NextUpdate / time.Minute),
		js(p.PauseOn), p.Active, js(p.Organizations), p.VIPOnly}
}

// ListSLAPolicies implements desk.SLAStore.
func (s *Store) ListSLAPolicies(ctx context.Context) ([]*desk.SLAPolicy, error) {
	rows, err := s.rdb.QueryContext(ctx, policySelect+" ORDER BY position, id")
	if err != nil {
		return nil, fmt.Errorf("list sla policies: %w", err)
	}
	defer rows.Close()
	var out []*desk.SLAPolicy
	for rows.Next() {
		p, err := scanPolicy(rows)
		if err != nil {
			return nil, fmt.Errorf("list sla policies: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// GetSLAPolicy implements desk.SLAStore.
func (s *Store) GetSLAPolicy(ctx context.Context, id int64) (*desk.SLAPolicy, error) {
	p, err := scanPolicy(s.rdb.QueryRowContext(ctx, policySelect+" WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("sla policy", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read sla policy %d: %w", id, err)
	}
	return p, nil
}

// CreateSLAPolicy implements desk.SLAStore.
func (s *Store) CreateSLAPolicy(ctx context.Context, p *desk.SLAPolicy) error {
	return s.inAuditedTx(ctx, entry("sla.create", about("sla", &p.ID), "name", p.Name), func(tx *sql.Tx) error {
		if err := calendarExists(ctx, tx, p.Calendar); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO sla_policies (name, position, types, priorities, service_ids,
			calendar, response_minutes, resolution_minutes, next_update_minutes, pause_on, active,
			organizations, vip_only)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			append([]any{p.Name}, policyArgs(p)...)...).Scan(&p.ID)
		return s.uniqueError("create sla policy", err, "name")
	})
}

// UpdateSLAPolicy implements desk.SLAStore.
func (s *Store) UpdateSLAPolicy(ctx context.Context, p *desk.SLAPolicy) error {
	return s.inAuditedTx(ctx, entry("sla.update", about("sla", &p.ID), "name", p.Name), func(tx *sql.Tx) error {
		if err := calendarExists(ctx, tx, p.Calendar); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE sla_policies SET name = $1, position = $2, types = $3,
			priorities = $4, service_ids = $5, calendar = $6, response_minutes = $7, resolution_minutes = $8,
			next_update_minutes = $9, pause_on = $10, active = $11, organizations = $12, vip_only = $13
			WHERE id = $14`,
			append(append([]any{p.Name}, policyArgs(p)...), p.ID)...)
		if err != nil {
			return s.uniqueError(fmt.Sprintf("update sla policy %d", p.ID), err, "name")
		}
		return oneRow(res, "sla policy", p.ID)
	})
}

// calendarExists refuses a policy naming an unknown calendar.
func calendarExists(ctx context.Context, q queryer, name string) error {
	if name == desk.Calendar24x7.Name() {
		return nil
	}
	var n int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM calendars WHERE name = $1", name).Scan(&n); err != nil {
		return fmt.Errorf("check calendar %q: %w", name, err)
	}
	if n == 0 {
		return fieldError(desk.EINVALID, "calendar", desk.RuleUnknown, nil, fmt.Sprintf("no calendar named %q", name))
	}
	return nil
}

// DeleteSLAPolicy implements desk.SLAStore.
func (s *Store) DeleteSLAPolicy(ctx context.Context, id int64) error {
	return s.inAuditedTx(ctx, entry("sla.delete", about("sla", &id)), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM sla_policies WHERE id = $1", id)
		if err != nil {
			return fmt.Errorf("delete sla policy %d: %w", id, err)
		}
		return oneRow(res, "sla policy", id)
	})
}
