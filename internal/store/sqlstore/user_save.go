package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// CreateUser implements desk.DirectoryStore: the user and the memberships
// in u.Groups are stored together or not at all.
func (s *Store) CreateUser(ctx context.Context, u *desk.User) error {
	now := s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO users
			(email, email_key, name, phone, organization, vip, role, active, search_key, created_at, lookup_terms)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			u.Email, emailKey(u.Email), u.Name, u.Phone, u.Organization, u.VIP, string(u.Role), u.Active,
			userSearchKey(u), now, lookupTerms(u)).Scan(&u.ID)
		if err != nil {
			return s.uniqueError("create user", err, "email")
		}
		if err := setMemberships(ctx, tx, u.ID, groupIDs(u.Groups)); err != nil {
			return err
		}
		return s.auditUser(ctx, tx, "user.create", u, groupIDs(u.Groups))
	})
	if err != nil {
		u.ID = 0
		return err
	}
	u.CreatedAt = fromMicros(now)
	return nil
}

// UpdateUser implements desk.DirectoryStore: the fields, the memberships
// (when groups is not nil), the end of a deactivated user's sessions and
// the check that an active administrator remains happen in one transaction.
func (s *Store) UpdateUser(ctx context.Context, u *desk.User, groups *[]int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.keepAnAdmin(ctx, tx, u); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE users SET email = $1, email_key = $2, name = $3, phone = $4,
			organization = $5, vip = $6, role = $7, active = $8, search_key = $9, lookup_terms = $10 WHERE id = $11`,
			u.Email, emailKey(u.Email), u.Name, u.Phone, u.Organization, u.VIP, string(u.Role), u.Active,
			userSearchKey(u), lookupTerms(u), u.ID)
		if err != nil {
			return s.uniqueError(fmt.Sprintf("update user %d", u.ID), err, "email")
		}
		if err := oneRow(res, "user", u.ID); err != nil {
			return err
		}
		if groups != nil {
			if _, err := tx.ExecContext(ctx, "DELETE FROM group_members WHERE user_id = $1", u.ID); err != nil {
				return fmt.Errorf("update user %d: memberships: %w", u.ID, err)
			}
			if err := setMemberships(ctx, tx, u.ID, *groups); err != nil {
				return err
			}
		}
		if !u.Active {
			if _, err := tx.ExecContext(ctx, "DELETE FROM web_sessions WHERE user_id = $1", u.ID); err != nil {
				return fmt.Errorf("update user %d: end sessions: %w", u.ID, err)
			}
		}
		var gs []int64
		if groups != nil {
			gs = *groups
		}
		return s.auditUser(ctx, tx, "user.update", u, gs)
	})
}

// keepAnAdmin refuses a change that takes the last active administrator's
// role or activity away. The stored user and every active administrator are
// locked in id order first, so that two administrators demoting each other
// at once on PostgreSQL cannot both see the other one remain (SQLite has a
// single writer already).
func (s *Store) keepAnAdmin(ctx context.Context, tx *sql.Tx, u *desk.User) error {
	if u.Role == desk.RoleAdmin && u.Active {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, role, active FROM users
		WHERE id = $1 OR (role = $2 AND active) ORDER BY id`+s.dialect.ForUpdate(), u.ID, string(desk.RoleAdmin))
	if err != nil {
		return fmt.Errorf("update user %d: lock administrators: %w", u.ID, err)
	}
	defer rows.Close()
	wasAdmin, others := false, 0
	for rows.Next() {
		var id int64
		var role string
		var active bool
		if err := rows.Scan(&id, &role, &active); err != nil {
			return fmt.Errorf("update user %d: lock administrators: %w", u.ID, err)
		}
		isAdmin := desk.Role(role) == desk.RoleAdmin && active
		if id == u.ID {
			wasAdmin = isAdmin
		} else if isAdmin {
			others++
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("update user %d: lock administrators: %w", u.ID, err)
	}
	if wasAdmin && others == 0 {
		field := "role"
		if u.Role == desk.RoleAdmin {
			field = "active"
		}
		return &desk.Error{Code: desk.ECONFLICT, Message: "the last active administrator must stay an active administrator",
			Rule: desk.RuleLastAdmin, Fields: []desk.FieldError{desk.Invalid(field, desk.RuleLastAdmin, nil, "is the last active administrator's")}}
	}
	return nil
}

// setMemberships adds the user to the groups (none removed); a group that
// does not exist is EINVALID naming the field "groups".
func setMemberships(ctx context.Context, tx *sql.Tx, userID int64, groups []int64) error {
	for _, g := range groups {
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM support_groups WHERE id = $1", g).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fieldError(desk.EINVALID, "groups", desk.RuleUnknown, nil, fmt.Sprintf("no group %d", g))
		}
		if err != nil {
			return fmt.Errorf("user %d: memberships: %w", userID, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO group_members (group_id, user_id) VALUES ($1, $2)
			ON CONFLICT DO NOTHING`, g, userID); err != nil {
			return fmt.Errorf("user %d: join group %d: %w", userID, g, err)
		}
	}
	return nil
}

func groupIDs(refs []desk.GroupRef) []int64 {
	ids := make([]int64, 0, len(refs))
	for _, g := range refs {
		if !slices.Contains(ids, g.ID) {
			ids = append(ids, g.ID)
		}
	}
	return ids
}
