package storetest

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testSessions covers desk.AuthStore: passwords, web sessions and failed
// sign-ins.
func testSessions(t *testing.T, open Opener) {
	f := newFixture(t, open)
	t.Run("Passwords", func(t *testing.T) { passwords(t, f) })
	t.Run("Sessions", func(t *testing.T) { sessions(t, f) })
	t.Run("LoginFailures", func(t *testing.T) { loginFailures(t, f) })
}

func passwords(t *testing.T, f *fixture) {
	_, err := f.s.PasswordHash(ctx(t), f.agent.ID)
	wantCode(t, "no password yet", err, desk.ENOTFOUND)
	wantCode(t, "unknown user", f.s.SetPasswordHash(ctx(t), 987654, "$x", base), desk.ENOTFOUND)
	must(t, f.s.SetPasswordHash(ctx(t), f.agent.ID, "$argon2id$first", base))
	must(t, f.s.SetPasswordHash(ctx(t), f.agent.ID, "$argon2id$second", base.Add(time.Hour)))
	got, err := f.s.PasswordHash(ctx(t), f.agent.ID)
	must(t, err)
	diff(t, "hash after replace", "$argon2id$second", got)
	_, err = f.s.PasswordHash(ctx(t), f.req1.ID)
	wantCode(t, "another user's password", err, desk.ENOTFOUND)
}

func sessions(t *testing.T, f *fixture) {
	now := base
	s1 := &desk.Session{UserID: f.req2.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	must(t, f.s.CreateSession(ctx(t), s1, []byte("hash-one")))
	if s1.ID == 0 {
		t.Fatal("CreateSession left ID 0")
	}
	wantCode(t, "same token twice", f.s.CreateSession(ctx(t), &desk.Session{UserID: f.req2.ID, CreatedAt: now,
		LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}, []byte("hash-one")), desk.ECONFLICT)
	got, u, err := f.s.SessionByTokenHash(ctx(t), []byte("hash-one"), now.Add(time.Minute))
	must(t, err)
	diff(t, "session", s1, got)
	diff(t, "session user", f.req2.ID, u.ID)
	_, _, err = f.s.SessionByTokenHash(ctx(t), []byte("hash-one"), now.Add(time.Hour))
	wantCode(t, "expired session", err, desk.ENOTFOUND)
	_, _, err = f.s.SessionByTokenHash(ctx(t), []byte("nope"), now)
	wantCode(t, "unknown token", err, desk.ENOTFOUND)

	must(t, f.s.TouchSession(ctx(t), s1.ID, now.Add(50*time.Minute), now.Add(3*time.Hour)))
	got, _, err = f.s.SessionByTokenHash(ctx(t), []byte("hash-one"), now.Add(2*time.Hour))
	must(t, err)
	diff(t, "touched expiry", now.Add(3*time.Hour), got.ExpiresAt)

	s2 := &desk.Session{UserID: f.req2.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Minute)}
	must(t, f.s.CreateSession(ctx(t), s2, []byte("hash-two")))
	n, err := f.s.DeleteExpiredSessions(ctx(t), now.Add(2*time.Minute))
	must(t, err)
	diff(t, "expired sessions deleted", 1, n)

	must(t, f.s.DeleteSession(ctx(t), []byte("hash-one")))
	must(t, f.s.DeleteSession(ctx(t), []byte("hash-one"))) // twice is harmless
	_, _, err = f.s.SessionByTokenHash(ctx(t), []byte("hash-one"), now)
	wantCode(t, "signed out", err, desk.ENOTFOUND)

	// A new password ends every session of the user, and an inactive user
	// has none.
	s3 := &desk.Session{UserID: f.req2.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	must(t, f.s.CreateSession(ctx(t), s3, []byte("hash-three")))
	must(t, f.s.SetPasswordHash(ctx(t), f.req2.ID, "$argon2id$new", now))
	_, _, err = f.s.SessionByTokenHash(ctx(t), []byte("hash-three"), now)
	wantCode(t, "session after password change", err, desk.ENOTFOUND)
	s4 := &desk.Session{UserID: f.req2.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	must(t, f.s.CreateSession(ctx(t), s4, []byte("hash-four")))
	inactive := *f.req2
	inactive.Active = false
	must(t, f.s.UpdateUser(ctx(t), &inactive, nil))
	_, _, err = f.s.SessionByTokenHash(ctx(t), []byte("hash-four"), now)
	wantCode(t, "session of an inactive user", err, desk.ENOTFOUND)
}

func loginFailures(t *testing.T, f *fixture) {
	key, other := "email:anna@example.com", "client:10.0.0.1"
	for i := range 3 {
		must(t, f.s.RecordLoginFailure(ctx(t), key, base.Add(time.Duration(i)*time.Minute), base.Add(-time.Hour)))
	}
	must(t, f.s.RecordLoginFailure(ctx(t), other, base, base.Add(-time.Hour)))
	n, err := f.s.LoginFailures(ctx(t), key, base.Add(time.Minute))
	must(t, err)
	diff(t, "failures since the second", 2, n)
	// A later failure prunes the key's old rows.
	must(t, f.s.RecordLoginFailure(ctx(t), key, base.Add(time.Hour), base.Add(90*time.Second)))
	n, err = f.s.LoginFailures(ctx(t), key, base.Add(-time.Hour))
	must(t, err)
	diff(t, "failures left after pruning", 2, n)
	must(t, f.s.ClearLoginFailures(ctx(t), key))
	n, err = f.s.LoginFailures(ctx(t), key, base.Add(-time.Hour))
	must(t, err)
	diff(t, "failures after clear", 0, n)
	n, err = f.s.LoginFailures(ctx(t), other, base.Add(-time.Hour))
	must(t, err)
	diff(t, "other key untouched", 1, n)
}
