package desk

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Sign-in rules.
const (
	// SessionIdle signs a browser out after this long without a request.
	SessionIdle = 12 * time.Hour
	// SessionMaxAge signs it out this long after sign-in whatever happens.
	SessionMaxAge = 7 * 24 * time.Hour
	// LoginWindow is how far back failed sign-ins count.
	LoginWindow = 15 * time.Minute
	// LoginFailuresPerAccount failed sign-ins for one e-mail address within
	// LoginWindow lock that address out until the oldest of them is older.
	LoginFailuresPerAccount = 5
	// LoginFailuresPerClient is the same limit for one client address, over
	// every e-mail it tries.
	LoginFailuresPerClient = 20
)

const sessionPrefix = "tds_"

// ThrottleError refuses a sign-in because of too many recent failures. It
// unwraps to an EFORBIDDEN *Error.
type ThrottleError struct {
	RetryAfter time.Duration
	err        *Error
}

func (e *ThrottleError) Error() string { return e.err.Error() }

// Unwrap returns the *Error that ErrorCode reads.
func (e *ThrottleError) Unwrap() error { return e.err }

var errBadCredentials = Errorf(EUNAUTHENTICATED, "wrong e-mail address or password")

// SignIn checks an e-mail address and password and opens a session. client
// identifies the caller's network address for throttling ("" skips that
// limit). It returns the session token, to be kept by the browser only.
// Unknown addresses, users without a password, inactive users and wrong
// passwords are refused alike and all count as failures.
func (s *Desk) SignIn(ctx context.Context, email, password, client string) (string, *User, error) {
	now := s.clock.Now()
	keys := []string{"email:" + strings.ToLower(strings.TrimSpace(email))}
	if client != "" {
		keys = append(keys, "client:"+client)
	}
	if err := s.checkThrottle(ctx, keys, now); err != nil {
		return "", nil, err
	}
	u, ok, err := s.checkCredentials(ctx, email, password)
	if err != nil {
		return "", nil, err
	}
	if !ok {
		for _, k := range keys {
			if err := s.store.RecordLoginFailure(ctx, k, now, now.Add(-LoginWindow)); err != nil {
				return "", nil, fmt.Errorf("sign in: %w", err)
			}
		}
		return "", nil, errBadCredentials
	}
	if err := s.store.ClearLoginFailures(ctx, keys[0]); err != nil {
		return "", nil, fmt.Errorf("sign in: %w", err)
	}
	if err := s.passwordRefused(ctx, u); err != nil {
		return "", nil, err
	}
	if _, err := s.store.DeleteExpiredSessions(ctx, now); err != nil {
		return "", nil, fmt.Errorf("sign in: %w", err)
	}
	token, err := s.openSession(ctx, u.ID, now, time.Time{})
	return token, u, err
}

func (s *Desk) checkThrottle(ctx context.Context, keys []string, now time.Time) error {
	for i, k := range keys {
		limit := LoginFailuresPerAccount
		if i > 0 {
			limit = LoginFailuresPerClient
		}
		n, err := s.store.LoginFailures(ctx, k, now.Add(-LoginWindow))
		if err != nil {
			return fmt.Errorf("sign in: %w", err)
		}
		if n >= limit {
			return &ThrottleError{RetryAfter: LoginWindow,
				err: Errorf(EFORBIDDEN, "too many failed sign-ins: try again in %s", LoginWindow)}
		}
	}
	return nil
}

var (
	dummyOnce sync.Once
	dummyHash string
)

// checkCredentials verifies the password. When there is no user or no
// hash, it still spends the time of one verification, so that response
// times do not tell which addresses have accounts.
func (s *Desk) checkCredentials(ctx context.Context, email, password string) (*User, bool, error) {
	u, err := s.store.GetUserByEmail(ctx, strings.TrimSpace(email))
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return nil, false, fmt.Errorf("sign in: %w", err)
	}
	hash := ""
	if err == nil {
		hash, err = s.store.PasswordHash(ctx, u.ID)
		if err != nil && ErrorCode(err) != ENOTFOUND {
			return nil, false, fmt.Errorf("sign in: %w", err)
		}
	}
	if hash == "" {
		dummyOnce.Do(func() { dummyHash, _ = HashPassword("not a password of anyone") })
		VerifyPassword(dummyHash, password)
		return nil, false, nil
	}
	if !VerifyPassword(hash, password) || !u.Active {
		return nil, false, nil
	}
	return u, true, nil
}

// openSession opens a session of userID at now; a non-zero endsAt ends it
// then whatever its use (Session.EndsAt).
func (s *Desk) openSession(ctx context.Context, userID int64, now, endsAt time.Time) (string, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", fmt.Errorf("open session: %w", err)
	}
	token := sessionPrefix + base64.RawURLEncoding.EncodeToString(secret)
	sess := &Session{UserID: userID, CreatedAt: now, LastSeenAt: now, EndsAt: endsAt}
	sess.ExpiresAt = sess.expiry(now)
	if err := s.store.CreateSession(ctx, sess, HashToken(token)); err != nil {
		return "", fmt.Errorf("open session: %w", err)
	}
	return token, nil
}

// expiry is the idle deadline at now, capped by the absolute one: the
// session's own end when it has one, else SessionMaxAge after sign-in.
func (sess *Session) expiry(now time.Time) time.Time {
	idle, max := now.Add(SessionIdle), sess.CreatedAt.Add(SessionMaxAge)
	if !sess.EndsAt.IsZero() && sess.EndsAt.Before(max) {
		max = sess.EndsAt
	}
	if idle.After(max) {
		return max
	}
	return idle
}

// SessionUser returns the user of a live session token and extends the
// session's idle deadline (written at most once a minute). An unknown,
// expired or signed-out token, or an inactive user, is EUNAUTHENTICATED.
func (s *Desk) SessionUser(ctx context.Context, token string) (*User, *Session, error) {
	if !strings.HasPrefix(token, sessionPrefix) {
		return nil, nil, Errorf(EUNAUTHENTICATED, "not signed in")
	}
	now := s.clock.Now()
	sess, u, err := s.store.SessionByTokenHash(ctx, HashToken(token), now)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, Errorf(EUNAUTHENTICATED, "not signed in")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("session: %w", err)
	}
	if now.Sub(sess.LastSeenAt) >= time.Minute {
		sess.LastSeenAt, sess.ExpiresAt = now, sess.expiry(now)
		if err := s.store.TouchSession(ctx, sess.ID, sess.LastSeenAt, sess.ExpiresAt); err != nil {
			return nil, nil, fmt.Errorf("session: %w", err)
		}
	}
	return u, sess, nil
}

// SignOut ends the session of token; an unknown token is not an error.
func (s *Desk) SignOut(ctx context.Context, token string) error {
	if !strings.HasPrefix(token, sessionPrefix) {
		return nil
	}
	return s.store.DeleteSession(ctx, HashToken(token))
}

// SetPassword sets a user's password (admins, and the local command line
// acting as the system). Every session of the user ends.
func (s *Desk) SetPassword(ctx context.Context, userID int64, password string) error {
	admin, err := requireAdmin(ctx)
	if err != nil {
		return err
	}
	if err := s.checkSecurityTargetID(ctx, admin, userID); err != nil {
		return err
	}
	return s.setPassword(ctx, userID, password)
}

// ChangePassword lets the signed-in user replace their own password, given
// the current one. Every session of theirs ends, and the token of a new one
// is returned for the browser that asked: the password was just proven, so
// the sign-in throttle of its address (which others' failures may have
// locked) must not leave the user changed and signed out.
// A wrong current password counts as a failed sign-in of the account, and
// the sign-in lockout refuses the change too: a borrowed session cannot
// guess the password here faster than at the sign-in form.
func (s *Desk) ChangePassword(ctx context.Context, current, password string) (string, error) {
	u, err := actor(ctx)
	if err != nil {
		return "", err
	}
	now := s.clock.Now()
	key := "email:" + strings.ToLower(strings.TrimSpace(u.Email))
	if err := s.checkThrottle(ctx, []string{key}, now); err != nil {
		return "", err
	}
	hash, err := s.store.PasswordHash(ctx, u.ID)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return "", err
	}
	if hash == "" || !VerifyPassword(hash, current) {
		if err := s.store.RecordLoginFailure(ctx, key, now, now.Add(-LoginWindow)); err != nil {
			return "", fmt.Errorf("change password: %w", err)
		}
		return "", fieldError("current_password", RuleWrongPass, nil, "is not your current password")
	}
	if err := s.setPassword(ctx, u.ID, password); err != nil {
		return "", err
	}
	return s.openSession(ctx, u.ID, now, time.Time{})
}

func (s *Desk) setPassword(ctx context.Context, userID int64, password string) error {
	var v validation
	v.password("password", password)
	if err := v.err(); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	if err := s.store.SetPasswordHash(ctx, userID, hash, s.clock.Now()); err != nil {
		return fmt.Errorf("set password of user %d: %w", userID, err)
	}
	return nil
}
