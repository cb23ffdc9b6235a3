package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
)

// SetPasswordHash implements desk.AuthStore.
func (s *Store) SetPasswordHash(ctx context.Context, userID int64, hash string, at time.Time) error {
	return s.inAuditedTx(ctx, entry("user.password", about("user", &userID)), func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM users WHERE id = $1", userID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("user", userID)
		}
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_passwords (user_id, hash, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at`,
			userID, hash, micros(at)); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM web_sessions WHERE user_id = $1", userID); err != nil {
			return fmt.Errorf("set password: end sessions: %w", err)
		}
		return nil
	})
}

// PasswordHash implements desk.AuthStore.
func (s *Store) PasswordHash(ctx context.Context, userID int64) (string, error) {
	var hash string
	err := s.rdb.QueryRowContext(ctx, "SELECT hash FROM user_passwords WHERE user_id = $1", userID).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", desk.Errorf(desk.ENOTFOUND, "user %d has no password", userID)
	}
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	return hash, nil
}

// CreateSession implements desk.AuthStore.
func (s *Store) CreateSession(ctx context.Context, sess *desk.Session, tokenHash []byte) error {
	signIn := func() audit.Entry {
		return audit.Entry{ActorID: sess.UserID, Kind: "auth.signin", Subject: audit.Subject("user", sess.UserID), Detail: "{}"}
	}
	err := s.inAuditedTx(ctx, signIn, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO web_sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ends_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, tokenHash, sess.UserID, micros(sess.CreatedAt),
			micros(sess.LastSeenAt), micros(sess.ExpiresAt), microsOrZero(sess.EndsAt)).Scan(&sess.ID)
	})
	if err != nil && s.dialect.IsUniqueViolation(err) {
		return s.uniqueError("create session", err, "token")
	}
	if err != nil {
		return s.refError(ctx, "create session", err, ref{"user", "users", sess.UserID})
	}
	return nil
}

// SessionByTokenHash implements desk.AuthStore.
func (s *Store) SessionByTokenHash(ctx context.Context, tokenHash []byte, now time.Time) (*desk.Session, *desk.User, error) {
	var sess desk.Session
	var created, seen, expires, ends int64
	err := s.rdb.QueryRowContext(ctx, `SELECT w.id, w.user_id, w.created_at, w.last_seen_at, w.expires_at, w.ends_at
		FROM web_sessions w JOIN users u ON u.id = w.user_id
		WHERE w.token_hash = $1 AND w.expires_at > $2 AND u.active`, tokenHash, micros(now)).
		Scan(&sess.ID, &sess.UserID, &created, &seen, &expires, &ends)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, desk.Errorf(desk.ENOTFOUND, "no live session")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read session: %w", err)
	}
	sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt = fromMicros(created), fromMicros(seen), fromMicros(expires)
	if ends != 0 {
		sess.EndsAt = fromMicros(ends)
	}
	u, err := s.GetUser(ctx, sess.UserID)
	if err != nil {
		return nil, nil, err
	}
	return &sess, u, nil
}

// TouchSession implements desk.AuthStore.
func (s *Store) TouchSession(ctx context.Context, id int64, seen, expires time.Time) error {
	_, err := s.db.ExecContext(ctx, "UPDATE web_sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3",
		micros(seen), micros(expires), id)
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession implements desk.AuthStore.
func (s *Store) DeleteSession(ctx context.Context, tokenHash []byte) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var userID int64
		err := tx.QueryRowContext(ctx, "DELETE FROM web_sessions WHERE token_hash = $1 RETURNING user_id", tokenHash).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		return s.Audit(ctx, tx, audit.Entry{ActorID: userID, Kind: "auth.signout", Subject: audit.Subject("user", userID), Detail: "{}"})
	})
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions implements desk.AuthStore.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.inAuditedTx(ctx, entry("auth.signout", about("user", &userID), "sessions", "all"), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM web_sessions WHERE user_id = $1", userID)
		if err != nil {
			return err
		}
		m, err := res.RowsAffected()
		n = int(m)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return n, nil
}

// DeleteExpiredSessions implements desk.AuthStore.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, "DELETE FROM web_sessions WHERE expires_at <= $1", micros(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// RecordLoginFailure implements desk.AuthStore.
func (s *Store) RecordLoginFailure(ctx context.Context, key string, at, pruneBefore time.Time) error {
	return s.inAuditedTx(ctx, entry("auth.failure", func() string { return key }), func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE key = $1 AND at < $2",
			key, micros(pruneBefore)); err != nil {
			return fmt.Errorf("record login failure: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO login_failures (key, at) VALUES ($1, $2)",
			key, micros(at)); err != nil {
			return fmt.Errorf("record login failure: %w", err)
		}
		return nil
	})
}

// LoginFailures implements desk.AuthStore.
func (s *Store) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := s.rdb.QueryRowContext(ctx, "SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2",
		key, micros(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count login failures: %w", err)
	}
	return n, nil
}

// ClearLoginFailures implements desk.AuthStore.
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM login_failures WHERE key = $1", key); err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	return nil
}
