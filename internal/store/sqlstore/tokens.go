package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"database/sql"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// CreateToken implements desk.DirectoryStore.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string, hash []byte) (*desk.Token, error) {
	tok := &desk.Token{UserID: userID, Name: name, CreatedAt: fromMicros(s.now())}
	err := s.inAuditedTx(ctx, entry("token.create", about("user", &userID), "token", &tok.ID, "name", name), func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO tokens (user_id, name, hash, created_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, userID, name, hash, micros(tok.CreatedAt)).Scan(&tok.ID)
	})
	if err != nil {
		if s.dialect.IsUniqueViolation(err) {
			return nil, s.uniqueError("create token", err, "token")
		}
		return nil, s.refError(ctx, "create token", err, ref{"user", "users", userID})
	}
	return tok, nil
}

// UserByTokenHash implements desk.DirectoryStore.
func (s *Store) UserByTokenHash(ctx context.Context, hash []byte) (*desk.User, error) {
	u, err := scanUser(s.rdb.QueryRowContext(ctx, userSelect+
		" JOIN tokens k ON k.user_id = u.id WHERE k.hash = $1 AND u.active", hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, desk.Errorf(desk.ENOTFOUND, "no active user has this token")
	}
	if err != nil {
		return nil, fmt.Errorf("user by token: %w", err)
	}
	return u, s.fillGroups(ctx, []*desk.User{u})
}

// ListTokens implements desk.DirectoryStore.
func (s *Store) ListTokens(ctx context.Context, userID int64) ([]*desk.Token, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, user_id, name, created_at FROM tokens
		WHERE user_id = $1 ORDER BY id`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var tokens []*desk.Token
	for rows.Next() {
		var t desk.Token
		var created int64
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &created); err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		t.CreatedAt = fromMicros(created)
		tokens = append(tokens, &t)
	}
	return tokens, rows.Err()
}

// DeleteToken implements desk.DirectoryStore; another user's token is
// ENOTFOUND.
func (s *Store) DeleteToken(ctx context.Context, userID, tokenID int64) error {
	return s.inAuditedTx(ctx, entry("token.delete", about("user", &userID), "token", tokenID), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM tokens WHERE id = $1 AND user_id = $2", tokenID, userID)
		if err != nil {
			return fmt.Errorf("delete token %d: %w", tokenID, err)
		}
		return oneRow(res, "token", tokenID)
	})
}
