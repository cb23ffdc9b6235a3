package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/sso"
)

var _ sso.Store = (*Store)(nil)

// ListSSORules implements sso.Store.
func (s *Store) ListSSORules(ctx context.Context) ([]*sso.Rule, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT r.id, r.claim, r.value, r.role, COALESCE(r.group_id, 0),
		COALESCE(g.name, ''), r.created_at FROM sso_rules r LEFT JOIN support_groups g ON g.id = r.group_id ORDER BY r.id`)
	if err != nil {
		return nil, fmt.Errorf("list sign-on rules: %w", err)
	}
	defer rows.Close()
	out := []*sso.Rule{}
	for rows.Next() {
		var r sso.Rule
		var created int64
		if err := rows.Scan(&r.ID, &r.Claim, &r.Value, &r.Role, &r.GroupID, &r.GroupName, &created); err != nil {
			return nil, err
		}
		r.CreatedAt = fromMicros(created)
		out = append(out, &r)
	}
	return out, rows.Err()
}

// CreateSSORule implements sso.Store.
func (s *Store) CreateSSORule(ctx context.Context, r *sso.Rule) error {
	now := s.now()
	err := s.inAuditedTx(ctx, ssoRuleEntry("sso.rule_create", r), func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO sso_rules (claim, value, role, group_id, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, r.Claim, r.Value, r.Role, nullID(r.GroupID), now).Scan(&r.ID)
	})
	if err != nil {
		return s.refError(ctx, "create sign-on rule", err, ref{"group_id", "support_groups", r.GroupID})
	}
	r.CreatedAt = fromMicros(now)
	return nil
}

// UpdateSSORule implements sso.Store.
func (s *Store) UpdateSSORule(ctx context.Context, r *sso.Rule) error {
	err := s.inAuditedTx(ctx, ssoRuleEntry("sso.rule_update", r), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sso_rules SET claim = $1, value = $2, role = $3, group_id = $4 WHERE id = $5`,
			r.Claim, r.Value, r.Role, nullID(r.GroupID), r.ID)
		if err != nil {
			return err
		}
		return oneRow(res, "sign-on rule", r.ID)
	})
	return s.refError(ctx, "update sign-on rule", err, ref{"group_id", "support_groups", r.GroupID})
}

// DeleteSSORule implements sso.Store.
func (s *Store) DeleteSSORule(ctx context.Context, id int64) error {
	return s.inAuditedTx(ctx, entry("sso.rule_delete", about("sso_rule", &id)), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sso_rules WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("delete sign-on rule %d: %w", id, err)
		}
		return oneRow(res, "sign-on rule", id)
	})
}

// SSOIdentityUser implements sso.Store.
func (s *Store) SSOIdentityUser(ctx context.Context, provider, subject string) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT user_id FROM sso_identities WHERE provider = $1 AND subject = $2`,
		provider, subject).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound("identity", subject)
	}
	return id, err
}

// LinkSSOIdentity implements sso.Store.
func (s *Store) LinkSSOIdentity(ctx context.Context, provider, subject string, userID int64, at time.Time) error {
	err := s.inAuditedTx(ctx, fixed(audit.Entry{ActorID: userID, Kind: "sso.identity", Subject: audit.Subject("user", userID),
		Detail: audit.Detail("provider", provider)}), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sso_identities (provider, subject, user_id, created_at, last_sign_in)
		VALUES ($1, $2, $3, $4, $4) ON CONFLICT (provider, subject) DO UPDATE SET user_id = $3, last_sign_in = $4`,
			provider, subject, userID, micros(at))
		return err
	})
	if err != nil {
		return fmt.Errorf("link identity: %w", err)
	}
	return nil
}

// SaveSSOLogin implements sso.Store: in one transaction it forgets the
// expired sign-ins, counts the live ones of the client and of the whole
// table, and stores l only under both limits. Two instances starting at
// the same instant may both pass the count on PostgreSQL (read committed),
// so the cap can be passed by the starts running at once, never more.
func (s *Store) SaveSSOLogin(ctx context.Context, stateHash string, l sso.Login, now time.Time, lim sso.LoginLimits) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sso_logins WHERE expires_at < $1`, micros(now)); err != nil {
			return fmt.Errorf("forget expired sign-ins: %w", err)
		}
		var client, all int
		err := tx.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM sso_logins WHERE client = $1 AND expires_at >= $2),
			(SELECT COUNT(*) FROM sso_logins)`, l.Client, micros(now)).Scan(&client, &all)
		if err != nil {
			return fmt.Errorf("count sign-ins under way: %w", err)
		}
		if lim.PerClient > 0 && client >= lim.PerClient {
			return sso.ErrClientLimit
		}
		if lim.Total > 0 && all >= lim.Total {
			return sso.ErrTotalLimit
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO sso_logins (state_hash, nonce, verifier, next, expires_at, client)
			VALUES ($1, $2, $3, $4, $5, $6)`, stateHash, l.Nonce, l.Verifier, l.Next, micros(l.ExpiresAt), l.Client)
		if err != nil {
			return fmt.Errorf("save sign-in: %w", err)
		}
		return nil
	})
}

// ForgetSSOLogins implements sso.Store.
func (s *Store) ForgetSSOLogins(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM sso_logins WHERE expires_at < $1`, micros(now))
	if err != nil {
		return 0, fmt.Errorf("forget expired sign-ins: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// SSOLoginsPending implements sso.Store.
func (s *Store) SSOLoginsPending(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sso_logins`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count sign-ins under way: %w", err)
	}
	return n, nil
}

// TakeSSOLogin implements sso.Store: the DELETE … RETURNING gives the row
// to one caller only, whichever instance the browser comes back to.
func (s *Store) TakeSSOLogin(ctx context.Context, stateHash string, now time.Time) (*sso.Login, error) {
	if _, err := s.ForgetSSOLogins(ctx, now); err != nil {
		return nil, err
	}
	var l sso.Login
	var exp int64
	err := s.db.QueryRowContext(ctx, `DELETE FROM sso_logins WHERE state_hash = $1 RETURNING nonce, verifier, next, expires_at, client`,
		stateHash).Scan(&l.Nonce, &l.Verifier, &l.Next, &exp, &l.Client)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("sign-in", "state")
	}
	if err != nil {
		return nil, fmt.Errorf("take sign-in: %w", err)
	}
	l.ExpiresAt = fromMicros(exp)
	if l.ExpiresAt.Before(now) {
		return nil, notFound("sign-in", "state")
	}
	return &l, nil
}

const staffPasswordsOff = "staff_passwords_off"

// SSOSettings implements sso.Store.
func (s *Store) SSOSettings(ctx context.Context) (sso.Settings, error) {
	var v string
	err := s.rdb.QueryRowContext(ctx, `SELECT value FROM sso_settings WHERE name = $1`, staffPasswordsOff).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return sso.Settings{}, fmt.Errorf("sign-on settings: %w", err)
	}
	return sso.Settings{StaffPasswordsOff: v == "true"}, nil
}

// SetSSOSettings implements sso.Store.
func (s *Store) SetSSOSettings(ctx context.Context, set sso.Settings) error {
	err := s.inAuditedTx(ctx, entry("setting.sso", named("setting", "sso"), "staff_passwords_off", set.StaffPasswordsOff),
		func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO sso_settings (name, value) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET value = $2`, staffPasswordsOff, fmt.Sprint(set.StaffPasswordsOff))
			return err
		})
	if err != nil {
		return fmt.Errorf("set sign-on settings: %w", err)
	}
	return nil
}
