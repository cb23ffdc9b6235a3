package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

var _ desk.SavedFilterStore = (*Store)(nil)

const savedFilterColumns = "id, user_id, name, filter, created_at, updated_at"

// CreateSavedFilter implements desk.SavedFilterStore.
func (s *Store) CreateSavedFilter(ctx context.Context, f *desk.SavedFilter) error {
	spec, err := json.Marshal(f.Filter)
	if err != nil {
		return fmt.Errorf("saved filter: %w", err)
	}
	err = s.db.QueryRowContext(ctx, `INSERT INTO saved_filters (user_id, name, name_key, filter, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, f.UserID, f.Name, strings.ToLower(f.Name), string(spec),
		micros(f.CreatedAt), micros(f.UpdatedAt)).Scan(&f.ID)
	return s.refError(ctx, "create saved filter", s.uniqueError("create saved filter", err, "name"),
		ref{"user", "users", f.UserID})
}

// UpdateSavedFilter implements desk.SavedFilterStore.
func (s *Store) UpdateSavedFilter(ctx context.Context, f *desk.SavedFilter) error {
	spec, err := json.Marshal(f.Filter)
	if err != nil {
		return fmt.Errorf("saved filter: %w", err)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE saved_filters SET name = $1, name_key = $2, filter = $3, updated_at = $4
		WHERE id = $5`, f.Name, strings.ToLower(f.Name), string(spec), micros(f.UpdatedAt), f.ID)
	if err != nil {
		return s.uniqueError("update saved filter", err, "name")
	}
	return oneRow(res, "saved filter", f.ID)
}

// DeleteSavedFilter implements desk.SavedFilterStore.
func (s *Store) DeleteSavedFilter(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM saved_filters WHERE id = $1", id)
	if err != nil {
		return fmt.Errorf("delete saved filter: %w", err)
	}
	return oneRow(res, "saved filter", id)
}

// GetSavedFilter implements desk.SavedFilterStore.
func (s *Store) GetSavedFilter(ctx context.Context, id int64) (*desk.SavedFilter, error) {
	f, err := scanSavedFilter(s.rdb.QueryRowContext(ctx, "SELECT "+savedFilterColumns+" FROM saved_filters WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("saved filter", id)
	}
	return f, err
}

// ListSavedFilters implements desk.SavedFilterStore.
func (s *Store) ListSavedFilters(ctx context.Context, userID int64) ([]*desk.SavedFilter, error) {
	rows, err := s.rdb.QueryContext(ctx, "SELECT "+savedFilterColumns+" FROM saved_filters WHERE user_id = $1 ORDER BY name_key, id", userID)
	if err != nil {
		return nil, fmt.Errorf("saved filters: %w", err)
	}
	defer rows.Close()
	var out []*desk.SavedFilter
	for rows.Next() {
		f, err := scanSavedFilter(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func scanSavedFilter(sc scanner) (*desk.SavedFilter, error) {
	var f desk.SavedFilter
	var spec string
	var created, updated int64
	if err := sc.Scan(&f.ID, &f.UserID, &f.Name, &spec, &created, &updated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, fmt.Errorf("saved filter: %w", err)
	}
	if err := json.Unmarshal([]byte(spec), &f.Filter); err != nil {
		return nil, fmt.Errorf("saved filter %d: stored filter unreadable: %w", f.ID, err)
	}
	f.CreatedAt, f.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &f, nil
}
