package desk

import (
	"context"
	"time"
)

// Session is a signed-in browser. Only the SHA-256 of its random token is
// stored, so a copy of the database cannot be used to sign in.
type Session struct {
	ID         int64
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	// EndsAt, when not zero, ends the session then however it is used: a
	// session opened by single sign-on lasts no longer than the sign-on
	// service allows (OpenExternalSession), so what a provider takes away
	// is taken here within that time.
	EndsAt time.Time
}

// AuthStore keeps password hashes, web sessions and failed sign-ins. It is
// part of Store; everything lives in the database so that any instance can
// serve any request.
type AuthStore interface {
	// SetPasswordHash stores (replaces) the user's password hash and deletes
	// every session of the user in the same transaction. An unknown user is
	// ENOTFOUND.
	SetPasswordHash(ctx context.Context, userID int64, hash string, at time.Time) error
	// PasswordHash returns the user's password hash, ENOTFOUND if none is set.
	PasswordHash(ctx context.Context, userID int64) (string, error)

	// CreateSession assigns s.ID and stores the session under tokenHash.
	CreateSession(ctx context.Context, s *Session, tokenHash []byte) error
	// SessionByTokenHash returns the session and its user (with Groups)
	// provided it has not expired at now and the user is active; otherwise
	// ENOTFOUND.
	SessionByTokenHash(ctx context.Context, tokenHash []byte, now time.Time) (*Session, *User, error)
	// TouchSession records activity and moves the expiry.
	TouchSession(ctx context.Context, id int64, seen, expires time.Time) error
	// DeleteSession removes the session with tokenHash (none: no error).
	DeleteSession(ctx context.Context, tokenHash []byte) error
	// DeleteUserSessions removes every session of the user and returns how
	// many there were.
	DeleteUserSessions(ctx context.Context, userID int64) (int, error)
	// DeleteExpiredSessions removes sessions that expired before now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)

	// RecordLoginFailure stores one failed sign-in under key at the time,
	// and forgets the key's failures older than pruneBefore.
	RecordLoginFailure(ctx context.Context, key string, at, pruneBefore time.Time) error
	// LoginFailures counts key's failures at or after since.
	LoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	// ClearLoginFailures forgets every failure of key.
	ClearLoginFailures(ctx context.Context, key string) error
}
