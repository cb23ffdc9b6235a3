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

const savedFilterColumns = "f.id, f.user_id, u.name, f.name, f.filter, f.created_at, f.updated_at"

const savedFilterFrom = " FROM saved_filters f JOIN users u ON u.id = f.user_id"

// CreateSavedFilter implements desk.SavedFilterStore.
func (s *Store) CreateSavedFilter(ctx context.Context, f *desk.SavedFilter) error {
	spec, err := json.Marshal(f.Filter)
	if err != nil {
		return fmt.Errorf("saved filter: %w", err)
	}
	err = s.inAuditedTx(ctx, entry("filter.create", about("filter", &f.ID), "name", f.Name), func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO saved_filters (user_id, name, name_key, filter, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, f.UserID, f.Name, strings.ToLower(f.Name), string(spec),
			micros(f.CreatedAt), micros(f.UpdatedAt)).Scan(&f.ID)
		if err != nil {
			return s.uniqueError("create saved filter", err, "name")
		}
		return insertFilterGroups(ctx, tx, f)
	})
	return s.refError(ctx, "create saved filter", err, ref{"user", "users", f.UserID})
}

// insertFilterGroups stores the groups f is shared with.
func insertFilterGroups(ctx context.Context, tx *sql.Tx, f *desk.SavedFilter) error {
	for _, g := range f.SharedWith {
		if _, err := tx.ExecContext(ctx, "INSERT INTO saved_filter_groups (filter_id, group_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
			f.ID, g.ID); err != nil {
			return fmt.Errorf("share saved filter %d with group %d: %w", f.ID, g.ID, err)
		}
	}
	return nil
}

// UpdateSavedFilter implements desk.SavedFilterStore.
func (s *Store) UpdateSavedFilter(ctx context.Context, f *desk.SavedFilter) error {
	spec, err := json.Marshal(f.Filter)
	if err != nil {
		return fmt.Errorf("saved filter: %w", err)
	}
	return s.inAuditedTx(ctx, entry("filter.update", about("filter", &f.ID), "name", f.Name), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE saved_filters SET name = $1, name_key = $2, filter = $3, updated_at = $4
		WHERE id = $5`, f.Name, strings.ToLower(f.Name), string(spec), micros(f.UpdatedAt), f.ID)
		if err != nil {
			return s.uniqueError("update saved filter", err, "name")
		}
		if err := oneRow(res, "saved filter", f.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM saved_filter_groups WHERE filter_id = $1", f.ID); err != nil {
			return fmt.Errorf("update saved filter: %w", err)
		}
		return insertFilterGroups(ctx, tx, f)
	})
}

// DeleteSavedFilter implements desk.SavedFilterStore.
func (s *Store) DeleteSavedFilter(ctx context.Context, id int64) error {
	return s.inAuditedTx(ctx, entry("filter.delete", about("filter", &id)), func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM saved_filter_groups WHERE filter_id = $1", id); err != nil {
			return fmt.Errorf("delete saved filter: %w", err)
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM saved_filters WHERE id = $1", id)
		if err != nil {
			return fmt.Errorf("delete saved filter: %w", err)
		}
		return oneRow(res, "saved filter", id)
	})
}

// GetSavedFilter implements desk.SavedFilterStore.
func (s *Store) GetSavedFilter(ctx context.Context, id int64) (*desk.SavedFilter, error) {
	f, err := scanSavedFilter(s.rdb.QueryRowContext(ctx, "SELECT "+savedFilterColumns+savedFilterFrom+" WHERE f.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("saved filter", id)
	}
	if err != nil {
		return nil, err
	}
	return f, s.loadFilterGroups(ctx, []*desk.SavedFilter{f})
}

// ListSavedFilters implements desk.SavedFilterStore.
func (s *Store) ListSavedFilters(ctx context.Context, userID int64, groupIDs []int64) ([]*desk.SavedFilter, error) {
	var a args
	where := "f.user_id = " + a.add(userID)
	if len(groupIDs) > 0 {
		where = "(" + where + " OR f.id IN (SELECT filter_id FROM saved_filter_groups WHERE " +
			idsIn("group_id", groupIDs, &a) + "))"
	}
	rows, err := s.rdb.QueryContext(ctx, "SELECT "+savedFilterColumns+savedFilterFrom+" WHERE "+where+" ORDER BY f.name_key, f.id", a...)
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
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("saved filters: %w", err)
	}
	return out, s.loadFilterGroups(ctx, out)
}

// loadFilterGroups fills SharedWith of fs, groups by name.
func (s *Store) loadFilterGroups(ctx context.Context, fs []*desk.SavedFilter) error {
	if len(fs) == 0 {
		return nil
	}
	byID := make(map[int64]*desk.SavedFilter, len(fs))
	ids := make([]int64, 0, len(fs))
	for _, f := range fs {
		byID[f.ID], f.SharedWith = f, nil
		ids = append(ids, f.ID)
	}
	var a args
	rows, err := s.rdb.QueryContext(ctx, "SELECT sg.filter_id, g.id, g.name FROM saved_filter_groups sg JOIN support_groups g ON g.id = sg.group_id WHERE "+
		idsIn("sg.filter_id", ids, &a)+" ORDER BY g.name, g.id", a...)
	if err != nil {
		return fmt.Errorf("saved filter groups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var fid int64
		var g desk.Ref
		if err := rows.Scan(&fid, &g.ID, &g.Name); err != nil {
			return fmt.Errorf("saved filter groups: %w", err)
		}
		byID[fid].SharedWith = append(byID[fid].SharedWith, g)
	}
	return rows.Err()
}

func scanSavedFilter(sc scanner) (*desk.SavedFilter, error) {
	var f desk.SavedFilter
	var spec string
	var created, updated int64
	if err := sc.Scan(&f.ID, &f.UserID, &f.OwnerName, &f.Name, &spec, &created, &updated); err != nil {
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
