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

const integrationSelect = `SELECT id, kind, name, settings, created_at, token_rotated_at,
	alerts_received, alerts_deduplicated, alerts_overflow, incidents_opened, last_alert_at FROM integrations`

// CreateIntegration implements desk.IntegrationStore.
func (s *Store) CreateIntegration(ctx context.Context, in *desk.Integration, tokenHash []byte) error {
	settings, err := json.Marshal(in.Settings)
	if err != nil {
		return fmt.Errorf("encode integration settings: %w", err)
	}
	err = s.inAuditedTx(ctx, entry("integration.create", about("integration", &in.ID), "kind", string(in.Kind), "name", in.Name), func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO integrations (kind, name, token_hash, settings, created_at, token_rotated_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, string(in.Kind), in.Name, tokenHash, string(settings),
			micros(in.CreatedAt), micros(in.TokenRotatedAt)).Scan(&in.ID)
	})
	if s.dialect.IsUniqueViolation(err) {
		return fieldError(desk.EINVALID, "name", desk.RuleTaken, nil, "an integration with this name exists")
	}
	if err != nil {
		return fmt.Errorf("create integration: %w", err)
	}
	return nil
}

// GetIntegration implements desk.IntegrationStore.
func (s *Store) GetIntegration(ctx context.Context, id int64) (*desk.Integration, error) {
	ig, err := scanIntegration(s.rdb.QueryRowContext(ctx, integrationSelect+" WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("integration", id)
	}
	return ig, err
}

// IntegrationByTokenHash implements desk.IntegrationStore.
// Every alert notification asks it, so its statement is prepared once.
func (s *Store) IntegrationByTokenHash(ctx context.Context, hash []byte) (*desk.Integration, error) {
	st, err := s.stmts.prepared(ctx, s.rdb, integrationSelect+" WHERE token_hash = $1")
	if err != nil {
		return nil, fmt.Errorf("integration by token: %w", err)
	}
	ig, err := scanIntegration(st.QueryRowContext(ctx, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, desk.Errorf(desk.ENOTFOUND, "no integration has this token")
	}
	return ig, err
}

// ListIntegrations implements desk.IntegrationStore.
func (s *Store) ListIntegrations(ctx context.Context) ([]*desk.Integration, error) {
	rows, err := s.rdb.QueryContext(ctx, integrationSelect+" ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("list integrations: %w", err)
	}
	defer rows.Close()
	var out []*desk.Integration
	for rows.Next() {
		ig, err := scanIntegration(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ig)
	}
	return out, rows.Err()
}

// UpdateIntegration implements desk.IntegrationStore.
func (s *Store) UpdateIntegration(ctx context.Context, in *desk.Integration) error {
	settings, err := json.Marshal(in.Settings)
	if err != nil {
		return fmt.Errorf("encode integration settings: %w", err)
	}
	var res sql.Result
	err = s.inAuditedTx(ctx, entry("integration.update", about("integration", &in.ID), "name", in.Name), func(tx *sql.Tx) error {
		var err error
		res, err = tx.ExecContext(ctx, "UPDATE integrations SET name = $1, settings = $2 WHERE id = $3",
			in.Name, string(settings), in.ID)
		return err
	})
	if s.dialect.IsUniqueViolation(err) {
		return fieldError(desk.EINVALID, "name", desk.RuleTaken, nil, "an integration with this name exists")
	}
	if err != nil {
		return fmt.Errorf("update integration %d: %w", in.ID, err)
	}
	return oneRow(res, "integration", in.ID)
}

// SetIntegrationToken implements desk.IntegrationStore.
func (s *Store) SetIntegrationToken(ctx context.Context, id int64, hash []byte, at time.Time) error {
	var res sql.Result
	err := s.inAuditedTx(ctx, entry("integration.token", about("integration", &id)), func(tx *sql.Tx) error {
		var err error
		res, err = tx.ExecContext(ctx, "UPDATE integrations SET token_hash = $1, token_rotated_at = $2 WHERE id = $3",
			hash, micros(at), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("rotate integration %d token: %w", id, err)
	}
	return oneRow(res, "integration", id)
}

// DeleteIntegration implements desk.IntegrationStore.
func (s *Store) DeleteIntegration(ctx context.Context, id int64) error {
	var res sql.Result
	err := s.inAuditedTx(ctx, entry("integration.delete", about("integration", &id)), func(tx *sql.Tx) error {
		// The integration's row first, as alert batches lock it, so that a
		// delete during a storm waits instead of deadlocking (PostgreSQL).
		if _, err := tx.ExecContext(ctx, "UPDATE integrations SET window_count = window_count WHERE id = $1", id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM alert_groups WHERE integration_id = $1", id); err != nil {
			return err
		}
		var err error
		res, err = tx.ExecContext(ctx, "DELETE FROM integrations WHERE id = $1", id)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete integration %d: %w", id, err)
	}
	return oneRow(res, "integration", id)
}

func scanIntegration(sc scanner) (*desk.Integration, error) {
	var ig desk.Integration
	var settings string
	var created, rotated int64
	var last sql.NullInt64
	st := &ig.Stats
	err := sc.Scan(&ig.ID, &ig.Kind, &ig.Name, &settings, &created, &rotated,
		&st.AlertsReceived, &st.AlertsDeduplicated, &st.AlertsOverflow, &st.IncidentsOpened, &last)
	if err != nil {
		return nil, err
	}
	ig.CreatedAt, ig.TokenRotatedAt, st.LastAlertAt = fromMicros(created), fromMicros(rotated), timePtr(last)
	if err := json.Unmarshal([]byte(settings), &ig.Settings); err != nil {
		return nil, fmt.Errorf("decode settings of integration %d: %w", ig.ID, err)
	}
	return &ig, nil
}
