package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

const groupSelect = `SELECT g.id, g.name, g.line, g.manager_id, m.name, g.is_default, g.active, g.created_at, g.security
FROM support_groups g LEFT JOIN users m ON m.id = g.manager_id`

func scanGroup(sc scanner) (*desk.Group, error) {
	var g desk.Group
	var manager nullRef
	var created int64
	if err := sc.Scan(&g.ID, &g.Name, &g.Line, &manager.id, &manager.name, &g.Default, &g.Active, &created, &g.Security); err != nil {
		return nil, err
	}
	g.Manager, g.CreatedAt = manager.ref(), fromMicros(created)
	return &g, nil
}

// CreateGroup implements desk.DirectoryStore; it also sets g.CreatedAt.
func (s *Store) CreateGroup(ctx context.Context, g *desk.Group) error {
	if !g.Line.Valid() {
		return fieldError(desk.EINVALID, "line", desk.RuleOneOf, desk.Params{"allowed": []string{"1", "2", "3"}}, "must be 1, 2 or 3")
	}
	now := s.now()
	err := s.inAuditedTx(ctx, entry("group.create", about("group", &g.ID), "name", g.Name, "line", int(g.Line)), func(tx *sql.Tx) error {
		if err := clearDefault(ctx, tx, g); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO support_groups (name, line, manager_id, is_default, active, created_at, security)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			g.Name, int64(g.Line), refID(g.Manager), g.Default, g.Active, now, g.Security).Scan(&g.ID)
	})
	if err != nil {
		return s.groupError(ctx, "create group", err, g)
	}
	g.CreatedAt = fromMicros(now)
	return nil
}

// clearDefault takes the default mark off every other group when g is to
// be the default, so that at most one group is (a partial unique index
// enforces it).
func clearDefault(ctx context.Context, tx *sql.Tx, g *desk.Group) error {
	if !g.Default {
		return nil
	}
	_, err := tx.ExecContext(ctx, "UPDATE support_groups SET is_default = FALSE WHERE is_default AND id <> $1", g.ID)
	if err != nil {
		return fmt.Errorf("clear default group: %w", err)
	}
	return nil
}

func (s *Store) groupError(ctx context.Context, op string, err error, g *desk.Group) error {
	if s.dialect.IsUniqueViolation(err) {
		return s.uniqueError(op, err, "name")
	}
	return s.refError(ctx, op, err, ref{"manager", "users", refID(g.Manager)})
}

// UpdateGroup implements desk.DirectoryStore. A changed line is copied to
// the group's tickets in the same transaction (tickets carry it for their
// queue indexes).
func (s *Store) UpdateGroup(ctx context.Context, g *desk.Group) error {
	if !g.Line.Valid() {
		return fieldError(desk.EINVALID, "line", desk.RuleOneOf, desk.Params{"allowed": []string{"1", "2", "3"}}, "must be 1, 2 or 3")
	}
	err := s.inAuditedTx(ctx, entry("group.update", about("group", &g.ID), "name", g.Name, "line", int(g.Line), "active", g.Active), func(tx *sql.Tx) error {
		if err := clearDefault(ctx, tx, g); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE support_groups SET name = $1, line = $2, manager_id = $3,
			is_default = $4, active = $5, security = $7 WHERE id = $6`,
			g.Name, int64(g.Line), refID(g.Manager), g.Default, g.Active, g.ID, g.Security)
		if err != nil {
			return err
		}
		if err := oneRow(res, "group", g.ID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE tickets SET line = $1 WHERE group_id = $2 AND line <> $1",
			int64(g.Line), g.ID)
		return err
	})
	if err != nil {
		return s.groupError(ctx, fmt.Sprintf("update group %d", g.ID), err, g)
	}
	return nil
}

// GetGroup implements desk.DirectoryStore.
func (s *Store) GetGroup(ctx context.Context, id int64) (*desk.Group, error) {
	return s.readGroup(ctx, "g.id = $1", id)
}

// DefaultGroup implements desk.DirectoryStore.
func (s *Store) DefaultGroup(ctx context.Context) (*desk.Group, error) {
	g, err := s.readGroup(ctx, "g.is_default = $1", true)
	if desk.ErrorCode(err) == desk.ENOTFOUND {
		return nil, desk.Errorf(desk.ENOTFOUND, "no default group")
	}
	return g, err
}

func (s *Store) readGroup(ctx context.Context, cond string, arg any) (*desk.Group, error) {
	g, err := scanGroup(s.rdb.QueryRowContext(ctx, groupSelect+" WHERE "+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("group", arg)
	}
	if err != nil {
		return nil, fmt.Errorf("read group %v: %w", arg, err)
	}
	return g, nil
}

// ListGroups implements desk.DirectoryStore, ordered by line, then name.
func (s *Store) ListGroups(ctx context.Context) ([]*desk.Group, error) {
	rows, err := s.rdb.QueryContext(ctx, groupSelect+" ORDER BY g.line, g.name, g.id")
	if err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	defer rows.Close()
	var groups []*desk.Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, fmt.Errorf("list groups: %w", err)
		}
		groups = append(groups, g)
	}
	return groups, rows.Err()
}

// GroupMembers implements desk.DirectoryStore, ordered by user id; an
// unknown group is ENOTFOUND.
func (s *Store) GroupMembers(ctx context.Context, groupID int64) ([]*desk.User, error) {
	users, err := s.queryUsers(ctx, userSelect+
		" JOIN group_members m ON m.user_id = u.id WHERE m.group_id = $1 ORDER BY u.id", groupID)
	if err != nil {
		return nil, fmt.Errorf("group %d members: %w", groupID, err)
	}
	if len(users) == 0 {
		if _, err := s.GetGroup(ctx, groupID); err != nil {
			return nil, err
		}
	}
	return users, nil
}
