package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/statuspage"
)

var _ statuspage.Store = (*Store)(nil)

// bumpStatus raises the page's version inside tx: every instance's
// snapshot poll sees the change.
func bumpStatus(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "UPDATE status_meta SET version = version + 1 WHERE id = 1")
	return err
}

// StatusVersion implements statuspage.Store.
func (s *Store) StatusVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.rdb.QueryRowContext(ctx, "SELECT version FROM status_meta WHERE id = 1").Scan(&v)
	return v, err
}

// SaveComponent implements statuspage.Store.
func (s *Store) SaveComponent(ctx context.Context, c *statuspage.Component) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var old string
		if c.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO status_components (name, description, group_name, position, status,
				service_ids, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
				c.Name, c.Description, c.Group, c.Position, c.Status, jsonIDs(c.ServiceIDs), micros(c.CreatedAt), micros(c.UpdatedAt)).Scan(&c.ID)
			if err != nil {
				return fmt.Errorf("create component: %w", err)
			}
		} else {
			err := tx.QueryRowContext(ctx, "SELECT status FROM status_components WHERE id = $1 AND deleted_at IS NULL"+s.dialect.ForUpdate(), c.ID).Scan(&old)
			if errors.Is(err, sql.ErrNoRows) {
				return notFound("component", c.ID)
			}
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `UPDATE status_components SET name = $1, description = $2, group_name = $3, position = $4,
				status = $5, service_ids = $6, updated_at = $7 WHERE id = $8`,
				c.Name, c.Description, c.Group, c.Position, c.Status, jsonIDs(c.ServiceIDs), micros(c.UpdatedAt), c.ID)
			if err != nil {
				return fmt.Errorf("update component: %w", err)
			}
		}
		if old != string(c.Status) {
			if err := recordChange(ctx, tx, c.ID, c.Status, c.UpdatedAt); err != nil {
				return err
			}
		}
		if err := s.audit(ctx, tx, "status.component", audit.Subject("component", c.ID),
			audit.Detail("name", c.Name, "component_status", string(c.Status))); err != nil {
			return err
		}
		return bumpStatus(ctx, tx)
	})
}

func recordChange(ctx context.Context, tx *sql.Tx, id int64, st statuspage.ComponentStatus, at time.Time) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO status_component_changes (component_id, at, status) VALUES ($1, $2, $3)", id, micros(at), st)
	if err != nil {
		return fmt.Errorf("record component change: %w", err)
	}
	return nil
}

// DeleteComponent implements statuspage.Store.
func (s *Store) DeleteComponent(ctx context.Context, id int64, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE status_components SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL", micros(at), id)
		if err != nil {
			return fmt.Errorf("delete component: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("component", id)
		}
		if err := s.audit(ctx, tx, "status.component_delete", audit.Subject("component", id), ""); err != nil {
			return err
		}
		return bumpStatus(ctx, tx)
	})
}

// Components implements statuspage.Store.
func (s *Store) Components(ctx context.Context, withDeleted bool) ([]statuspage.Component, error) {
	cond := "WHERE deleted_at IS NULL"
	if withDeleted {
		cond = ""
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, name, description, group_name, position, status, service_ids, created_at,
		updated_at, deleted_at FROM status_components `+cond+` ORDER BY group_name, position, id`)
	if err != nil {
		return nil, fmt.Errorf("components: %w", err)
	}
	defer rows.Close()
	var out []statuspage.Component
	for rows.Next() {
		var c statuspage.Component
		var svc string
		var created, updated int64
		var deleted sql.NullInt64
		if err := rows.Scan(&c.ID, &c.Name, &c.Description, &c.Group, &c.Position, &c.Status, &svc, &created, &updated, &deleted); err != nil {
			return nil, err
		}
		if c.ServiceIDs, err = parseIDs(svc); err != nil {
			return nil, err
		}
		c.CreatedAt, c.UpdatedAt, c.DeletedAt = fromMicros(created), fromMicros(updated), timePtr(deleted)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Changes implements statuspage.Store: every change since, and the last
// one before it of each component (its state at since).
func (s *Store) Changes(ctx context.Context, since time.Time) (map[int64][]statuspage.Change, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT component_id, at, status FROM status_component_changes c
		WHERE at >= $1 OR id = (SELECT MAX(id) FROM status_component_changes p WHERE p.component_id = c.component_id AND p.at < $1)
		ORDER BY component_id, at, id`, micros(since))
	if err != nil {
		return nil, fmt.Errorf("component changes: %w", err)
	}
	defer rows.Close()
	out := map[int64][]statuspage.Change{}
	for rows.Next() {
		var c statuspage.Change
		var at int64
		if err := rows.Scan(&c.ComponentID, &at, &c.Status); err != nil {
			return nil, err
		}
		c.At = fromMicros(at)
		out[c.ComponentID] = append(out[c.ComponentID], c)
	}
	return out, rows.Err()
}

// queueNotice stores q once under its key: a key already queued stores
// nothing more.
func (s *Store) queueNotice(ctx context.Context, tx *sql.Tx, q *statuspage.Queue) error {
	if q == nil {
		return nil
	}
	if q.Key != "" {
		res, err := tx.ExecContext(ctx, `INSERT INTO status_notices (notice_key, queued_at, recipients) VALUES ($1, $2, $3)
			ON CONFLICT (notice_key) DO NOTHING`, q.Key, s.now(), len(q.Outbox)+len(q.Hooks))
		if err != nil {
			return fmt.Errorf("queue notice: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
	}
	if err := s.insertOutbox(ctx, tx, q.Outbox); err != nil {
		return err
	}
	for _, h := range q.Hooks {
		_, err := tx.ExecContext(ctx, `INSERT INTO status_webhook_deliveries (webhook_id, notice_key, body, created_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (webhook_id, notice_key) DO NOTHING`, h.WebhookID, q.Key, string(h.Body), s.now())
		if err != nil {
			return fmt.Errorf("queue webhook: %w", err)
		}
	}
	return nil
}

// SubscriberByEmail implements statuspage.Store.
func (s *Store) SubscriberByEmail(ctx context.Context, email string) (*statuspage.Subscriber, error) {
	return s.subscriber(ctx, "email = $1", email)
}

// SubscriberByToken implements statuspage.Store.
func (s *Store) SubscriberByToken(ctx context.Context, token string) (*statuspage.Subscriber, error) {
	if token == "" {
		return nil, notFound("subscription", "")
	}
	return s.subscriber(ctx, "token = $1", token)
}

const subscriberColumns = "id, email, token, language, component_ids, created_at, confirmed_at, unsubscribed_at, reason, bounces"

func scanSubscriber(sc scanner) (*statuspage.Subscriber, error) {
	var sub statuspage.Subscriber
	var comps string
	var created int64
	var confirmed, unsub sql.NullInt64
	if err := sc.Scan(&sub.ID, &sub.Email, &sub.Token, &sub.Language, &comps, &created, &confirmed, &unsub, &sub.Reason, &sub.Bounces); err != nil {
		return nil, err
	}
	ids, err := parseIDs(comps)
	sub.ComponentIDs, sub.CreatedAt, sub.ConfirmedAt, sub.UnsubscribedAt = ids, fromMicros(created), timePtr(confirmed), timePtr(unsub)
	return &sub, err
}

func (s *Store) subscriber(ctx context.Context, cond string, arg any) (*statuspage.Subscriber, error) {
	sub, err := scanSubscriber(s.rdb.QueryRowContext(ctx, "SELECT "+subscriberColumns+" FROM status_subscribers WHERE "+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("subscription", "")
	}
	return sub, err
}

// SaveSubscriber implements statuspage.Store.
func (s *Store) SaveSubscriber(ctx context.Context, sub *statuspage.Subscriber, q *statuspage.Queue) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if sub.ID == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO status_subscribers (email, token, language, component_ids, created_at,
				confirmed_at, unsubscribed_at, reason, bounces) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
				sub.Email, sub.Token, sub.Language, jsonIDs(sub.ComponentIDs), micros(sub.CreatedAt), nullMicros(sub.ConfirmedAt),
				nullMicros(sub.UnsubscribedAt), sub.Reason, sub.Bounces).Scan(&sub.ID)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE status_subscribers SET token = $1, language = $2, component_ids = $3,
				created_at = $4, confirmed_at = $5, unsubscribed_at = $6, reason = $7, bounces = $8 WHERE id = $9`,
				sub.Token, sub.Language, jsonIDs(sub.ComponentIDs), micros(sub.CreatedAt), nullMicros(sub.ConfirmedAt),
				nullMicros(sub.UnsubscribedAt), sub.Reason, sub.Bounces, sub.ID)
		}
		if err != nil {
			return err
		}
		if err := s.audit(ctx, tx, "status.subscriber", audit.Subject("subscriber", sub.ID), audit.Detail(
			"confirmed", sub.ConfirmedAt != nil, "unsubscribed", sub.UnsubscribedAt != nil, "components", len(sub.ComponentIDs))); err != nil {
			return err
		}
		return s.queueNotice(ctx, tx, q)
	})
	if err != nil {
		if sub.ID != 0 && s.dialect.IsUniqueViolation(err) {
			return desk.Errorf(desk.ECONFLICT, "the subscription changed meanwhile: try again")
		}
		return s.uniqueError("save subscriber", err, "email")
	}
	return nil
}

// Subscribers implements statuspage.Store.
func (s *Store) Subscribers(ctx context.Context) ([]statuspage.Subscriber, error) {
	rows, err := s.rdb.QueryContext(ctx, "SELECT "+subscriberColumns+" FROM status_subscribers ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("subscribers: %w", err)
	}
	defer rows.Close()
	var out []statuspage.Subscriber
	for rows.Next() {
		sub, err := scanSubscriber(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *sub)
	}
	return out, rows.Err()
}

// CountRequest implements statuspage.Store.
func (s *Store) CountRequest(ctx context.Context, client string, hour time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `INSERT INTO status_request_counts (client, hour, n) VALUES ($1, $2, 1)
		ON CONFLICT (client, hour) DO UPDATE SET n = status_request_counts.n + 1 RETURNING n`, client, micros(hour)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count subscription request: %w", err)
	}
	return n, nil
}

// ExpireRequestCounts implements statuspage.Store. One DELETE: run by
// several instances at once, each row goes once and the others find it
// gone (PostgreSQL re-checks a row locked by a concurrent delete).
func (s *Store) ExpireRequestCounts(ctx context.Context, before time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, "DELETE FROM status_request_counts WHERE hour < $1", micros(before))
	if err != nil {
		return 0, fmt.Errorf("expire subscription request counts: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
