package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/statuspage"
)

// SaveIncident implements statuspage.Store.
func (s *Store) SaveIncident(ctx context.Context, in *statuspage.Incident, u *statuspage.IncidentUpdate, statuses map[int64]statuspage.ComponentStatus, q *statuspage.Queue) error {
	insert := in.ID == 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := saveIncidentRow(ctx, tx, in, insert); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, "INSERT INTO status_updates (incident_id, status, body, at) VALUES ($1, $2, $3, $4) RETURNING id",
			in.ID, u.Status, u.Body, micros(u.At)).Scan(&u.ID)
		if err != nil {
			return fmt.Errorf("status update: %w", err)
		}
		u.IncidentID = in.ID
		for id, st := range statuses {
			res, err := tx.ExecContext(ctx, "UPDATE status_components SET status = $1, updated_at = $2 WHERE id = $3 AND deleted_at IS NULL AND status <> $1",
				st, micros(u.At), id)
			if err != nil {
				return fmt.Errorf("component %d: %w", id, err)
			}
			if n, _ := res.RowsAffected(); n == 1 {
				if err := recordChange(ctx, tx, id, st, u.At); err != nil {
					return err
				}
			}
		}
		if q != nil && q.Key == "" {
			q.Key = "update:" + strconv.FormatInt(u.ID, 10)
		}
		if err := s.audit(ctx, tx, "status.incident", audit.Subject("status_incident", in.ID), audit.Detail(
			"major", in.MajorID, "incident_status", string(u.Status), "components", len(statuses))); err != nil {
			return err
		}
		if err := s.queueNotice(ctx, tx, q); err != nil {
			return err
		}
		return bumpStatus(ctx, tx)
	})
	if err != nil && insert {
		in.ID = 0
		if s.dialect.IsUniqueViolation(err) {
			return desk.Refusef(desk.ECONFLICT, desk.RuleTaken, nil, "this major incident is already on the status page")
		}
	}
	return err
}

func saveIncidentRow(ctx context.Context, tx *sql.Tx, in *statuspage.Incident, insert bool) error {
	if insert {
		return tx.QueryRowContext(ctx, `INSERT INTO status_incidents (major_id, name, status, impact, component_ids, created_at,
			updated_at, monitoring_at, resolved_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			nullID(in.MajorID), in.Name, in.Status, in.Impact, jsonIDs(in.ComponentIDs), micros(in.CreatedAt), micros(in.UpdatedAt),
			nullMicros(in.MonitoringAt), nullMicros(in.ResolvedAt)).Scan(&in.ID)
	}
	res, err := tx.ExecContext(ctx, `UPDATE status_incidents SET status = $1, component_ids = $2, updated_at = $3,
		monitoring_at = $4, resolved_at = $5 WHERE id = $6`, in.Status, jsonIDs(in.ComponentIDs), micros(in.UpdatedAt),
		nullMicros(in.MonitoringAt), nullMicros(in.ResolvedAt), in.ID)
	if err != nil {
		return fmt.Errorf("update status incident: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("status incident", in.ID)
	}
	return nil
}

const incidentColumns = "id, COALESCE(major_id, 0), name, status, impact, component_ids, created_at, updated_at, monitoring_at, resolved_at"

func (s *Store) statusIncidents(ctx context.Context, cond string, args ...any) ([]statuspage.Incident, error) {
	rows, err := s.rdb.QueryContext(ctx, "SELECT "+incidentColumns+" FROM status_incidents "+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("status incidents: %w", err)
	}
	var out []statuspage.Incident
	for rows.Next() {
		var in statuspage.Incident
		var comps string
		var created, updated int64
		var mon, res sql.NullInt64
		if err := rows.Scan(&in.ID, &in.MajorID, &in.Name, &in.Status, &in.Impact, &comps, &created, &updated, &mon, &res); err != nil {
			rows.Close()
			return nil, err
		}
		in.ComponentIDs, err = parseIDs(comps)
		if err != nil {
			rows.Close()
			return nil, err
		}
		in.CreatedAt, in.UpdatedAt, in.MonitoringAt, in.ResolvedAt = fromMicros(created), fromMicros(updated), timePtr(mon), timePtr(res)
		out = append(out, in)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Updates, err = s.statusUpdates(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) statusUpdates(ctx context.Context, incidentID int64) ([]statuspage.IncidentUpdate, error) {
	rows, err := s.rdb.QueryContext(ctx, "SELECT id, status, body, at FROM status_updates WHERE incident_id = $1 ORDER BY at DESC, id DESC", incidentID)
	if err != nil {
		return nil, fmt.Errorf("status updates: %w", err)
	}
	defer rows.Close()
	var out []statuspage.IncidentUpdate
	for rows.Next() {
		u := statuspage.IncidentUpdate{IncidentID: incidentID}
		var at int64
		if err := rows.Scan(&u.ID, &u.Status, &u.Body, &at); err != nil {
			return nil, err
		}
		u.At = fromMicros(at)
		out = append(out, u)
	}
	return out, rows.Err()
}

// Incidents implements statuspage.Store.
func (s *Store) Incidents(ctx context.Context, limit int) ([]statuspage.Incident, error) {
	return s.statusIncidents(ctx, fmt.Sprintf("ORDER BY created_at DESC, id DESC LIMIT %d", max(limit, 1)))
}

// GetIncident implements statuspage.Store.
func (s *Store) GetIncident(ctx context.Context, id int64) (*statuspage.Incident, error) {
	return s.oneIncident(ctx, "WHERE id = $1", id)
}

// IncidentOfMajor implements statuspage.Store.
func (s *Store) IncidentOfMajor(ctx context.Context, majorID int64) (*statuspage.Incident, error) {
	return s.oneIncident(ctx, "WHERE major_id = $1", majorID)
}

func (s *Store) oneIncident(ctx context.Context, cond string, arg int64) (*statuspage.Incident, error) {
	list, err := s.statusIncidents(ctx, cond, arg)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, notFound("status incident", arg)
	}
	return &list[0], nil
}

// SaveMaintenance implements statuspage.Store (inserts only).
func (s *Store) SaveMaintenance(ctx context.Context, m *statuspage.Maintenance, q *statuspage.Queue) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO status_maintenances (name, body, starts_at, ends_at, component_ids, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, m.Name, m.Body, micros(m.StartsAt), micros(m.EndsAt),
			jsonIDs(m.ComponentIDs), micros(m.CreatedAt)).Scan(&m.ID)
		if err != nil {
			return fmt.Errorf("schedule maintenance: %w", err)
		}
		if q != nil && q.Key == "" {
			q.Key = "maintenance_scheduled:" + strconv.FormatInt(m.ID, 10)
		}
		if err := s.audit(ctx, tx, "status.maintenance", audit.Subject("maintenance", m.ID), audit.Detail("name", m.Name)); err != nil {
			return err
		}
		if err := s.queueNotice(ctx, tx, q); err != nil {
			return err
		}
		return bumpStatus(ctx, tx)
	})
}

// Maintenances implements statuspage.Store.
func (s *Store) Maintenances(ctx context.Context) ([]statuspage.Maintenance, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, name, body, starts_at, ends_at, component_ids, start_notice_at, end_notice_at,
		created_at, canceled_at FROM status_maintenances ORDER BY starts_at, id`)
	if err != nil {
		return nil, fmt.Errorf("maintenances: %w", err)
	}
	defer rows.Close()
	var out []statuspage.Maintenance
	for rows.Next() {
		var m statuspage.Maintenance
		var comps string
		var starts, ends, created int64
		var sn, en, canceled sql.NullInt64
		if err := rows.Scan(&m.ID, &m.Name, &m.Body, &starts, &ends, &comps, &sn, &en, &created, &canceled); err != nil {
			return nil, err
		}
		if m.ComponentIDs, err = parseIDs(comps); err != nil {
			return nil, err
		}
		m.StartsAt, m.EndsAt, m.CreatedAt = fromMicros(starts), fromMicros(ends), fromMicros(created)
		m.StartNoticeAt, m.EndNoticeAt, m.CanceledAt = timePtr(sn), timePtr(en), timePtr(canceled)
		out = append(out, m)
	}
	return out, rows.Err()
}

// MarkMaintenance implements statuspage.Store.
func (s *Store) MarkMaintenance(ctx context.Context, id int64, which string, at time.Time, q *statuspage.Queue) error {
	col := "start_notice_at"
	if which == "end" {
		col = "end_notice_at"
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE status_maintenances SET "+col+" = $1 WHERE id = $2 AND "+col+" IS NULL", micros(at), id)
		if err != nil {
			return fmt.Errorf("mark maintenance notice: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return desk.Errorf(desk.ECONFLICT, "the %s notice of maintenance %d was already given", which, id)
		}
		if err := s.audit(ctx, tx, "status.maintenance_notice", audit.Subject("maintenance", id), audit.Detail("end", which == "end")); err != nil {
			return err
		}
		if err := s.queueNotice(ctx, tx, q); err != nil {
			return err
		}
		return bumpStatus(ctx, tx)
	})
}

// CreateWebhook implements statuspage.Store.
func (s *Store) CreateWebhook(ctx context.Context, w *statuspage.Webhook) error {
	return s.inAuditedTx(ctx, entry("status.webhook_create", about("webhook", &w.ID), "active", w.Active), func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO status_webhooks (url, secret, component_ids, active, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, w.URL, w.Secret, jsonIDs(w.ComponentIDs), w.Active, micros(w.CreatedAt)).Scan(&w.ID)
	})
}

// Webhooks implements statuspage.Store.
func (s *Store) Webhooks(ctx context.Context) ([]statuspage.Webhook, error) {
	rows, err := s.rdb.QueryContext(ctx, "SELECT id, url, secret, component_ids, active, created_at FROM status_webhooks ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("webhooks: %w", err)
	}
	defer rows.Close()
	var out []statuspage.Webhook
	for rows.Next() {
		var w statuspage.Webhook
		var comps string
		var created int64
		if err := rows.Scan(&w.ID, &w.URL, &w.Secret, &comps, &w.Active, &created); err != nil {
			return nil, err
		}
		if w.ComponentIDs, err = parseIDs(comps); err != nil {
			return nil, err
		}
		w.CreatedAt = fromMicros(created)
		out = append(out, w)
	}
	return out, rows.Err()
}

// DeleteWebhook implements statuspage.Store.
func (s *Store) DeleteWebhook(ctx context.Context, id int64) error {
	return s.deleteAudited(ctx, "status.webhook_delete", about("webhook", &id), "webhook", "DELETE FROM status_webhooks WHERE id = $1", id)
}

// ClaimHooks implements statuspage.Store.
func (s *Store) ClaimHooks(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]statuspage.HookDelivery, error) {
	var out []statuspage.HookDelivery
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = nil
		rows, err := tx.QueryContext(ctx, `SELECT d.id FROM status_webhook_deliveries d WHERE d.sent_at IS NULL AND d.failed_at IS NULL
			AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= $1) AND (d.claimed_until IS NULL OR d.claimed_until < $1)
			ORDER BY d.id LIMIT $2`+s.dialect.SkipLocked(), micros(now), limit)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		until := now.Add(lease)
		for _, id := range ids {
			d := statuspage.HookDelivery{ID: id, ClaimedUntil: &until}
			var body string
			err := tx.QueryRowContext(ctx, `UPDATE status_webhook_deliveries SET claimed_until = $1, attempts = attempts + 1
				WHERE id = $2 RETURNING webhook_id, notice_key, body, attempts`, micros(until), id).Scan(&d.WebhookID, &d.Key, &body, &d.Attempts)
			if err != nil {
				return err
			}
			d.Body = []byte(body)
			if err := tx.QueryRowContext(ctx, "SELECT url, secret FROM status_webhooks WHERE id = $1", d.WebhookID).Scan(&d.URL, &d.Secret); err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim webhook deliveries: %w", err)
	}
	return out, nil
}

// HookDone implements statuspage.Store: conditional on the claim.
func (s *Store) HookDone(ctx context.Context, d statuspage.HookDelivery, errText string, next *time.Time, at time.Time) error {
	var res sql.Result
	var err error
	claim := nullMicros(d.ClaimedUntil)
	switch {
	case errText == "":
		res, err = s.db.ExecContext(ctx, "UPDATE status_webhook_deliveries SET sent_at = $1, claimed_until = NULL WHERE id = $2 AND claimed_until = $3", micros(at), d.ID, claim)
	case next != nil:
		res, err = s.db.ExecContext(ctx, "UPDATE status_webhook_deliveries SET last_error = $1, next_attempt_at = $2, claimed_until = NULL WHERE id = $3 AND claimed_until = $4", errText, micros(*next), d.ID, claim)
	default:
		res, err = s.db.ExecContext(ctx, "UPDATE status_webhook_deliveries SET last_error = $1, failed_at = $2, claimed_until = NULL WHERE id = $3 AND claimed_until = $4", errText, micros(at), d.ID, claim)
	}
	if err != nil {
		return fmt.Errorf("mark webhook delivery: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return desk.Errorf(desk.ECONFLICT, "webhook delivery %d: the claim was lost", d.ID)
	}
	return nil
}
