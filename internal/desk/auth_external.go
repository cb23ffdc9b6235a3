package desk

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// errPasswordsOff refuses a right password the sign-on settings turn off.
var errPasswordsOff = Refusef(EFORBIDDEN, RulePasswordsOff, nil,
	"password sign-in is turned off for staff: sign in with single sign-on")

// RefusePasswords tells the desk which users may not sign in with a local
// password (internal/sso: staff, when the administrators turn staff
// passwords off). fn is asked only once the password has been found right,
// so the refusal tells nothing to someone who does not know it. nil lets
// every right password in.
func (s *Desk) RefusePasswords(fn func(ctx context.Context, u *User) (bool, error)) {
	if fn == nil {
		s.passwordGate.Store(nil)
		return
	}
	s.passwordGate.Store(&fn)
}

// passwordRefused asks the gate set by RefusePasswords.
func (s *Desk) passwordRefused(ctx context.Context, u *User) error {
	fn := s.passwordGate.Load()
	if fn == nil {
		return nil
	}
	refused, err := (*fn)(ctx, u)
	switch {
	case err != nil:
		return fmt.Errorf("sign in: %w", err)
	case refused:
		return errPasswordsOff
	}
	return nil
}

// OpenExternalSession opens a web session for a user whom an identity
// provider has authenticated (internal/sso). Only the system may call it
// (AsSystem): the sign-on service, never a request's actor. A deactivated
// user is refused (EFORBIDDEN). A positive maxAge ends the session that
// long after sign-in however it is used (Session.EndsAt), so that the user
// goes back to the provider, which says again who they are and in which
// groups; 0 leaves it SessionMaxAge.
func (s *Desk) OpenExternalSession(ctx context.Context, userID int64, maxAge time.Duration) (string, *User, error) {
	if !isSystem(ctx) {
		return "", nil, Errorf(EFORBIDDEN, "only the sign-on service opens sessions for identity providers")
	}
	u, err := s.store.GetUser(ctx, userID)
	if err != nil {
		return "", nil, fmt.Errorf("external session: %w", err)
	}
	if !u.Active {
		return "", nil, Errorf(EFORBIDDEN, "the account of %s is deactivated", u.Email)
	}
	now := s.clock.Now()
	if _, err := s.store.DeleteExpiredSessions(ctx, now); err != nil {
		return "", nil, fmt.Errorf("external session: %w", err)
	}
	var endsAt time.Time
	if maxAge > 0 {
		endsAt = now.Add(maxAge)
	}
	token, err := s.openSession(ctx, u.ID, now, endsAt)
	return token, u, err
}

// EndExternalSessions signs the user out of every browser (internal/sso:
// the provider has just said the user may no longer sign in here). Only
// the system may call it. It returns how many sessions ended.
func (s *Desk) EndExternalSessions(ctx context.Context, userID int64) (int, error) {
	if !isSystem(ctx) {
		return 0, Errorf(EFORBIDDEN, "only the sign-on service ends sessions for identity providers")
	}
	n, err := s.store.DeleteUserSessions(ctx, userID)
	if err != nil {
		return 0, fmt.Errorf("end sessions of user %d: %w", userID, err)
	}
	return n, nil
}

// isSystem reports whether ctx acts as the system (AsSystem).
func isSystem(ctx context.Context) bool {
	a := ActorFrom(ctx)
	return a != nil && a.ID == 0 && a.Role == RoleAdmin
}

// GuardSignIn runs check, a sign-in at an identity provider that takes a
// password (internal/sso: a directory bind), under the sign-in throttle of
// account and client: refused at once with a *ThrottleError when either
// has failed too often within LoginWindow, a failure counted for both when
// check says the credentials are wrong, the account's failures forgotten
// when they are right. check's error (the provider being down) counts as
// no failure and is returned as it is.
func (s *Desk) GuardSignIn(ctx context.Context, account, client string, check func() (bool, error)) error {
	now := s.clock.Now()
	keys := []string{"email:" + strings.ToLower(strings.TrimSpace(account))}
	if client != "" {
		keys = append(keys, "client:"+client)
	}
	if err := s.checkThrottle(ctx, keys, now); err != nil {
		return err
	}
	ok, err := check()
	if err != nil {
		return err
	}
	if !ok {
		for _, k := range keys {
			if err := s.store.RecordLoginFailure(ctx, k, now, now.Add(-LoginWindow)); err != nil {
				return fmt.Errorf("sign in: %w", err)
			}
		}
		return errBadCredentials
	}
	return s.store.ClearLoginFailures(ctx, keys[0])
}
