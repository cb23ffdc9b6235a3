package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// GetMatrix implements desk.DirectoryStore.
func (s *Store) GetMatrix(ctx context.Context) (desk.Matrix, error) {
	var m desk.Matrix
	rows, err := s.rdb.QueryContext(ctx, "SELECT impact, urgency, priority FROM priority_matrix")
	if err != nil {
		return m, fmt.Errorf("read priority matrix: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var impact, urgency desk.Level
		var p desk.Priority
		if err := rows.Scan(&impact, &urgency, &p); err != nil {
			return m, fmt.Errorf("read priority matrix: %w", err)
		}
		m.Set(impact, urgency, p)
	}
	if err := rows.Err(); err != nil {
		return m, fmt.Errorf("read priority matrix: %w", err)
	}
	return m, m.Validate()
}

// SetMatrix implements desk.DirectoryStore.
func (s *Store) SetMatrix(ctx context.Context, m desk.Matrix) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return s.inAuditedTx(ctx, entry("setting.matrix", named("setting", "matrix")), func(tx *sql.Tx) error {
		for _, impact := range desk.Levels {
			for _, urgency := range desk.Levels {
				_, err := tx.ExecContext(ctx, `INSERT INTO priority_matrix (impact, urgency, priority) VALUES ($1, $2, $3)
					ON CONFLICT (impact, urgency) DO UPDATE SET priority = excluded.priority`,
					string(impact), string(urgency), string(m.Priority(impact, urgency)))
				if err != nil {
					return fmt.Errorf("set priority matrix: %w", err)
				}
			}
		}
		return nil
	})
}
