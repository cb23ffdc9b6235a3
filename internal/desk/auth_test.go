package desk_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func TestPassword_HashAndVerify(t *testing.T) {
	h, err := desk.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not a PHC argon2id string", h)
	}
	h2, _ := desk.HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if !desk.VerifyPassword(h, "correct horse battery") {
		t.Error("the right password does not verify")
	}
	for _, bad := range []string{"correct horse batter", "", "Correct horse battery"} {
		if desk.VerifyPassword(h, bad) {
			t.Errorf("%q verifies", bad)
		}
	}
	for _, broken := range []string{"", "$argon2id$v=19$m=0,t=3,p=2$AAAA$AAAA", "$bcrypt$x", h[:len(h)-3] + "!!!"} {
		if desk.VerifyPassword(broken, "correct horse battery") {
			t.Errorf("malformed hash %q verifies", broken)
		}
	}
}

func TestDesk_SignIn(t *testing.T) {
	f := newFixture(t)
	sam := desk.ActorFrom(f.sam)
	err := f.d.SetPassword(f.l1, sam.ID, "sam's long password")
	if desk.ErrorCode(err) != desk.EFORBIDDEN {
		t.Errorf("an agent set a password: %v", err)
	}
	err = f.d.SetPassword(f.admin, sam.ID, "short")
	if desk.ErrorCode(err) != desk.EINVALID {
		t.Errorf("short password accepted: %v", err)
	}
	if err := f.d.SetPassword(f.admin, sam.ID, "sam's long password"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	token, u, err := f.d.SignIn(ctx, " SAM@example.com ", "sam's long password", "10.0.0.1")
	if err != nil || u.ID != sam.ID || !strings.HasPrefix(token, "tds_") {
		t.Fatalf("sign in: %q %v %v", token, u, err)
	}
	got, _, err := f.d.SessionUser(ctx, token)
	if err != nil || got.ID != sam.ID {
		t.Fatalf("session user: %v %v", got, err)
	}
	for _, tc := range []struct{ email, pw string }{
		{"sam@example.com", "wrong password!"}, {"nobody@example.com", "sam's long password"},
		{"kim@example.com", "sam's long password"}, // kim has no password
	} {
		if _, _, err := f.d.SignIn(ctx, tc.email, tc.pw, ""); desk.ErrorCode(err) != desk.EUNAUTHENTICATED {
			t.Errorf("%s / %s: %v, want unauthenticated", tc.email, tc.pw, err)
		}
	}
	t.Run("Idle", func(t *testing.T) {
		f.clock.Advance(desk.SessionIdle + time.Minute)
		if _, _, err := f.d.SessionUser(ctx, token); desk.ErrorCode(err) != desk.EUNAUTHENTICATED {
			t.Errorf("session still live after the idle timeout: %v", err)
		}
	})
	t.Run("SignOut", func(t *testing.T) {
		tok, _, err := f.d.SignIn(ctx, "sam@example.com", "sam's long password", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.d.SignOut(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.d.SessionUser(ctx, tok); desk.ErrorCode(err) != desk.EUNAUTHENTICATED {
			t.Errorf("session live after sign-out: %v", err)
		}
	})
	t.Run("PasswordChangeEndsSessions", func(t *testing.T) {
		tok, _, err := f.d.SignIn(ctx, "sam@example.com", "sam's long password", "")
		if err != nil {
			t.Fatal(err)
		}
		samCtx := desk.WithActor(ctx, sam)
		_, err = f.d.ChangePassword(samCtx, "not the current one", "another long password")
		if desk.ErrorCode(err) != desk.EINVALID {
			t.Errorf("wrong current password accepted: %v", err)
		}
		fresh, err := f.d.ChangePassword(samCtx, "sam's long password", "another long password")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.d.SessionUser(ctx, tok); desk.ErrorCode(err) != desk.EUNAUTHENTICATED {
			t.Errorf("old session live after a password change: %v", err)
		}
		if u, _, err := f.d.SessionUser(ctx, fresh); err != nil || u.ID != sam.ID {
			t.Errorf("the session the change opened: %v %v", u, err)
		}
	})
}

// TestDesk_ChangePasswordThrottle: wrong current passwords count as failed
// sign-ins of the account, so a borrowed session cannot guess the password
// through the change without limit; the lockout then refuses both.
func TestDesk_ChangePasswordThrottle(t *testing.T) {
	f := newFixture(t)
	sam := desk.ActorFrom(f.sam)
	if err := f.d.SetPassword(f.admin, sam.ID, "sam's long password"); err != nil {
		t.Fatal(err)
	}
	for i := range desk.LoginFailuresPerAccount {
		if _, err := f.d.ChangePassword(f.sam, "guess", "another long password"); desk.ErrorCode(err) != desk.EINVALID {
			t.Fatalf("guess %d: %v", i+1, err)
		}
	}
	var te *desk.ThrottleError
	if _, err := f.d.ChangePassword(f.sam, "sam's long password", "another long password"); !errors.As(err, &te) {
		t.Fatalf("a change after %d wrong guesses: %v, want a throttle error", desk.LoginFailuresPerAccount, err)
	}
	if _, _, err := f.d.SignIn(context.Background(), "sam@example.com", "sam's long password", ""); !errors.As(err, &te) {
		t.Errorf("sign-in after the guesses: %v, want a throttle error", err)
	}
	f.clock.Advance(desk.LoginWindow + time.Second)
	if _, err := f.d.ChangePassword(f.sam, "sam's long password", "another long password"); err != nil {
		t.Errorf("a change after the window: %v", err)
	}
}

func TestDesk_SignInThrottle(t *testing.T) {
	f := newFixture(t)
	sam := desk.ActorFrom(f.sam)
	if err := f.d.SetPassword(f.admin, sam.ID, "sam's long password"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range desk.LoginFailuresPerAccount {
		if _, _, err := f.d.SignIn(ctx, "sam@example.com", "guess", ""); desk.ErrorCode(err) != desk.EUNAUTHENTICATED {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	// Locked out now, even with the right password.
	_, _, err := f.d.SignIn(ctx, "sam@example.com", "sam's long password", "")
	var te *desk.ThrottleError
	if !errors.As(err, &te) || desk.ErrorCode(err) != desk.EFORBIDDEN {
		t.Fatalf("sixth attempt: %v, want a throttle error", err)
	}
	// Other accounts are not locked by sam's failures.
	if err := f.d.SetPassword(f.admin, desk.ActorFrom(f.kim).ID, "kim's long password"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.d.SignIn(ctx, "kim@example.com", "kim's long password", ""); err != nil {
		t.Errorf("kim is locked out by sam's failures: %v", err)
	}
	f.clock.Advance(desk.LoginWindow + time.Second)
	if _, _, err := f.d.SignIn(ctx, "sam@example.com", "sam's long password", ""); err != nil {
		t.Errorf("still locked after the window: %v", err)
	}

	t.Run("PerClient", func(t *testing.T) {
		for i := range desk.LoginFailuresPerClient {
			email := "spray" + strings.Repeat("x", i) + "@example.com"
			if _, _, err := f.d.SignIn(ctx, email, "guess", "192.0.2.9"); desk.ErrorCode(err) != desk.EUNAUTHENTICATED {
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}
		_, _, err := f.d.SignIn(ctx, "sam@example.com", "sam's long password", "192.0.2.9")
		if !errors.As(err, &te) {
			t.Errorf("client not throttled after %d failures: %v", desk.LoginFailuresPerClient, err)
		}
		if _, _, err := f.d.SignIn(ctx, "sam@example.com", "sam's long password", "192.0.2.10"); err != nil {
			t.Errorf("another client is throttled: %v", err)
		}
	})
}

// TestDesk_SessionSlides: a session used again after a minute or more is
// touched, so its idle timeout counts from the last use, not from the
// sign-in: two spells of almost the idle timeout, with a request between
// them, leave the session live. (tools/mutate: desk-auth's survivors.)
func TestDesk_SessionSlides(t *testing.T) {
	f := newFixture(t)
	sam := desk.ActorFrom(f.sam)
	if err := f.d.SetPassword(f.admin, sam.ID, "sam's long password"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	token, _, err := f.d.SignIn(ctx, "sam@example.com", "sam's long password", "")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		f.clock.Advance(desk.SessionIdle - time.Minute)
		if u, _, err := f.d.SessionUser(ctx, token); err != nil || u.ID != sam.ID {
			t.Fatalf("request %d, %s after the one before: %v %v", i+1, desk.SessionIdle-time.Minute, u, err)
		}
	}
	f.clock.Advance(desk.SessionIdle + time.Second)
	if _, _, err := f.d.SessionUser(ctx, token); desk.ErrorCode(err) != desk.EUNAUTHENTICATED {
		t.Errorf("session live after the idle timeout since its last use: %v", err)
	}
}

// TestDesk_ChangePasswordWithoutOne: a user who has no password (made by an
// agent, or signing in through single sign-on) is told their current
// password is wrong, as anyone else is, not that something was not found.
func TestDesk_ChangePasswordWithoutOne(t *testing.T) {
	f := newFixture(t)
	_, err := f.d.ChangePassword(f.kim, "anything at all", "another long password")
	var de *desk.Error
	if !errors.As(err, &de) || de.Code != desk.EINVALID || len(de.Fields) != 1 ||
		de.Fields[0].Field != "current_password" || de.Fields[0].Rule != desk.RuleWrongPass {
		t.Fatalf("change without a password: %v, want wrong_password on current_password", err)
	}
}
