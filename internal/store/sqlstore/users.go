package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
)

// Users keep email_key, the lower-cased e-mail, under a unique index: Go's
// Unicode case folding makes "one address, any case" hold alike on both
// databases (SQLite's lower() folds ASCII only). search_key holds the
// lower-cased name and e-mail for ListUsers' substring match.

const userSelect = "SELECT u.id, u.email, u.name, u.phone, u.organization, u.vip, u.role, u.active, u.created_at FROM users u"

// scanUser scans userSelect's columns, then any more into more.
func scanUser(sc scanner, more ...any) (*desk.User, error) {
	var u desk.User
	var created int64
	if err := sc.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.Phone, &u.Organization, &u.VIP, &u.Role, &u.Active, &created}, more...)...); err != nil {
		return nil, err
	}
	u.CreatedAt = fromMicros(created)
	return &u, nil
}

func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

func userSearchKey(u *desk.User) string { return strings.ToLower(u.Name + " " + u.Email) }

// oneRow turns an UPDATE or DELETE that touched nothing into ENOTFOUND.
func oneRow(res sql.Result, what string, id any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s %v: %w", what, id, err)
	}
	if n == 0 {
		return notFound(what, id)
	}
	return nil
}

// GetUser implements desk.DirectoryStore.
func (s *Store) GetUser(ctx context.Context, id int64) (*desk.User, error) {
	return s.readUser(ctx, "u.id = $1", id)
}

// GetUserByEmail implements desk.DirectoryStore.
func (s *Store) GetUserByEmail(ctx context.Context, email string) (*desk.User, error) {
	return s.readUser(ctx, "u.email_key = $1", emailKey(email))
}

func (s *Store) readUser(ctx context.Context, cond string, arg any) (*desk.User, error) {
	u, err := scanUser(s.rdb.QueryRowContext(ctx, userSelect+" WHERE "+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user", arg)
	}
	if err != nil {
		return nil, fmt.Errorf("read user %v: %w", arg, err)
	}
	if err := s.fillGroups(ctx, []*desk.User{u}); err != nil {
		return nil, err
	}
	return u, nil
}

// EnsureRequester implements desk.DirectoryStore. A known address is only
// read (most tickets come from people the desk knows: a write transaction
// for nothing queued every creation for the writer once more). Otherwise
// the insert yields to an existing row (or to a racing insert, which
// PostgreSQL waits for), and the row is read afterwards, so concurrent
// calls all return the same user.
func (s *Store) EnsureRequester(ctx context.Context, u *desk.User) (*desk.User, error) {
	if emailKey(u.Email) == "" {
		return nil, fieldError(desk.EINVALID, "email", desk.RuleRequired, nil, "is required")
	}
	if known, err := s.GetUserByEmail(ctx, u.Email); desk.ErrorCode(err) != desk.ENOTFOUND {
		return known, err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO users
			(email, email_key, name, phone, organization, vip, role, active, search_key, created_at, lookup_terms)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (email_key) DO NOTHING RETURNING id`,
			u.Email, emailKey(u.Email), u.Name, u.Phone, u.Organization, u.VIP, string(u.Role), u.Active,
			userSearchKey(u), s.now(), lookupTerms(u)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // someone has the address already
		}
		if err != nil {
			return err
		}
		created := *u
		created.ID = id
		return s.auditUser(ctx, tx, "user.create", &created, nil)
	})
	if err != nil {
		return nil, fmt.Errorf("ensure requester: %w", err)
	}
	return s.GetUserByEmail(ctx, u.Email)
}

// ListUsers implements desk.DirectoryStore.
func (s *Store) ListUsers(ctx context.Context, f desk.UserFilter) (*desk.UserPage, error) {
	limit, err := pageSize(f.Limit)
	if err != nil {
		return nil, err
	}
	after, err := afterID(f.Cursor, "users")
	if err != nil {
		return nil, err
	}
	a := args{after}
	where := []string{"u.id > $1"}
	roles, err := enumIn("u.role", "roles", f.Roles, desk.Roles)
	if err != nil {
		return nil, err
	}
	where = appendNonEmpty(where, roles)
	if len(f.Roles) > 0 && !slices.Contains(f.Roles, desk.RoleRequester) {
		// Staff only: the same term as the partial index users_staff
		// (migration 00062), so the planner reads only the staff.
		where = append(where, "u.role <> 'requester'")
	}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		where = append(where, `u.search_key LIKE `+a.add("%"+escapeLike(q)+"%")+` ESCAPE '\'`)
	}
	users, err := s.queryUsers(ctx, userSelect+whereClause(where)+" ORDER BY u.id LIMIT "+strconv.Itoa(limit+1), a...)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	page := &desk.UserPage{Users: users}
	if len(users) > limit {
		page.Users = users[:limit]
		page.NextCursor = encodeCursor(idCursor{List: "users", ID: users[limit-1].ID})
	}
	return page, nil
}

// escapeLike makes s match literally inside a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// queryUsers reads users and their groups.
func (s *Store) queryUsers(ctx context.Context, q string, a ...any) ([]*desk.User, error) {
	rows, err := s.rdb.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var users []*desk.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return users, s.fillGroups(ctx, users)
}

// fillGroups sets the Groups of users with one query.
func (s *Store) fillGroups(ctx context.Context, users []*desk.User) error {
	if len(users) == 0 {
		return nil
	}
	byID := make(map[int64]*desk.User, len(users))
	ids := make([]int64, len(users))
	for i, u := range users {
		byID[u.ID], ids[i] = u, u.ID
	}
	var a args
	rows, err := s.rdb.QueryContext(ctx, `SELECT m.user_id, g.id, g.name, g.line, g.security
		FROM group_members m JOIN support_groups g ON g.id = m.group_id
		WHERE `+idsIn("m.user_id", ids, &a)+` ORDER BY g.id`, a...)
	if err != nil {
		return fmt.Errorf("read group memberships: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var userID int64
		var g desk.GroupRef
		if err := rows.Scan(&userID, &g.ID, &g.Name, &g.Line, &g.Security); err != nil {
			return fmt.Errorf("read group memberships: %w", err)
		}
		byID[userID].Groups = append(byID[userID].Groups, g)
	}
	return rows.Err()
}

// SetGroupMember implements desk.DirectoryStore.
func (s *Store) SetGroupMember(ctx context.Context, groupID, userID int64, member bool) error {
	q := "DELETE FROM group_members WHERE group_id = $1 AND user_id = $2"
	if member {
		q = "INSERT INTO group_members (group_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, q, groupID, userID); err != nil {
			return err
		}
		return s.audit(ctx, tx, "group.member", audit.Subject("user", userID),
			audit.Detail("group", groupID, "member", member))
	})
	return s.refError(ctx, "set group member", err,
		ref{"group", "support_groups", groupID}, ref{"user", "users", userID})
}
