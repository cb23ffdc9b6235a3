package sso

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// DefaultSessionMax is how long a session opened by single sign-on lasts
// at most, unless SetSessionMax says otherwise: a working day. Then the
// browser goes back to the provider, which says again who the user is and
// in which groups, and the rules apply again.
const DefaultSessionMax = 8 * time.Hour

// Service applies the mapping rules and signs identities in.
type Service struct {
	desk       *desk.Desk
	store      Store
	clock      desk.Clock
	log        *slog.Logger
	sessionMax time.Duration
}

// New returns a Service; it makes the desk ask it whether a local password
// may still sign in (Settings.StaffPasswordsOff).
func New(d *desk.Desk, st Store, clock desk.Clock, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	s := &Service{desk: d, store: st, clock: clock, log: log, sessionMax: DefaultSessionMax}
	d.RefusePasswords(s.passwordRefused)
	return s
}

// SetSessionMax sets how long a session opened by single sign-on lasts at
// most, however it is used (serve --sso-session-max): a user whom the
// provider takes out of a mapped group, or disables, keeps what the
// mapping gave no longer than that. Call it before serving.
func (s *Service) SetSessionMax(d time.Duration) { s.sessionMax = d }

func (s *Service) passwordRefused(ctx context.Context, u *desk.User) (bool, error) {
	if !u.Role.IsStaff() {
		return false, nil
	}
	set, err := s.store.SSOSettings(ctx)
	return set.StaffPasswordsOff, err
}

// Rules lists the mapping rules (administrators only).
func (s *Service) Rules(ctx context.Context) ([]*Rule, error) {
	if err := desk.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.store.ListSSORules(ctx)
}

// CreateRule adds a mapping rule (administrators only).
func (s *Service) CreateRule(ctx context.Context, in RuleInput) (*Rule, error) {
	if err := desk.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	if err := validateRule(&in); err != nil {
		return nil, err
	}
	r := &Rule{Claim: in.Claim, Value: in.Value, Role: in.Role, GroupID: in.GroupID}
	if err := s.store.CreateSSORule(ctx, r); err != nil {
		return nil, err
	}
	return s.rule(ctx, r.ID)
}

// UpdateRule replaces a mapping rule (administrators only).
func (s *Service) UpdateRule(ctx context.Context, id int64, in RuleInput) (*Rule, error) {
	if err := desk.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	if err := validateRule(&in); err != nil {
		return nil, err
	}
	r := &Rule{ID: id, Claim: in.Claim, Value: in.Value, Role: in.Role, GroupID: in.GroupID}
	if err := s.store.UpdateSSORule(ctx, r); err != nil {
		return nil, err
	}
	return s.rule(ctx, id)
}

// DeleteRule removes a mapping rule (administrators only).
func (s *Service) DeleteRule(ctx context.Context, id int64) error {
	if err := desk.RequireAdmin(ctx); err != nil {
		return err
	}
	return s.store.DeleteSSORule(ctx, id)
}

// Rule returns one mapping rule (administrators only).
func (s *Service) Rule(ctx context.Context, id int64) (*Rule, error) {
	if err := desk.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.rule(ctx, id)
}

func (s *Service) rule(ctx context.Context, id int64) (*Rule, error) {
	rules, err := s.store.ListSSORules(ctx)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(rules, func(r *Rule) bool { return r.ID == id })
	if i < 0 {
		return nil, desk.Errorf(desk.ENOTFOUND, "no sign-on rule %d", id)
	}
	return rules[i], nil
}

// Settings returns the sign-on settings (administrators only).
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	if err := desk.RequireAdmin(ctx); err != nil {
		return Settings{}, err
	}
	return s.store.SSOSettings(ctx)
}

// SetSettings changes the sign-on settings (administrators only).
func (s *Service) SetSettings(ctx context.Context, set Settings) (Settings, error) {
	if err := desk.RequireAdmin(ctx); err != nil {
		return Settings{}, err
	}
	if err := s.store.SetSSOSettings(ctx, set); err != nil {
		return Settings{}, err
	}
	return set, nil
}

// Sweep forgets the OpenID Connect sign-ins that expired unfinished; the
// server runs it in the background, so that abandoned ones do not stay.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	return s.store.ForgetSSOLogins(ctx, s.clock.Now())
}

// SignIn provisions or updates the user of an identity the provider has
// vouched for and opens a web session: on first sign-in the identity is
// linked to the account with its e-mail address (only when the provider
// says the address is verified) or a new account is created; at every
// sign-in the rules set the role and the groups they manage again, so a
// user taken out of a mapped group loses what it gave. It returns the
// session token. Refusals are *Error with a Reason.
func (s *Service) SignIn(ctx context.Context, p Profile) (string, *desk.User, error) {
	return s.signIn(ctx, p, "")
}

// signIn is SignIn refusing with unmapped (when not "") an identity whom
// no rule matches, before anything is written.
func (s *Service) signIn(ctx context.Context, p Profile, unmapped Reason) (string, *desk.User, error) {
	p.Email = strings.TrimSpace(p.Email)
	if p.Subject == "" || p.Provider == "" {
		return "", nil, refuse(ReasonAccount, nil, "the provider named no subject")
	}
	if p.Email == "" {
		return "", nil, refuse(ReasonNoEmail, nil, "the provider sent no e-mail address for %s", p.Subject)
	}
	rules, err := s.store.ListSSORules(ctx)
	if err != nil {
		return "", nil, err
	}
	m := Map(rules, p.Claims)
	sys := desk.AsSystem(ctx)
	if unmapped != "" && !m.Matched {
		if err := s.withdraw(sys, p, m); err != nil {
			return "", nil, err
		}
		return "", nil, refuse(unmapped, nil, "%s matches no sign-on rule", p.Subject)
	}
	u, err := s.account(sys, p, m)
	if err != nil {
		return "", nil, err
	}
	if err := s.store.LinkSSOIdentity(ctx, p.Provider, p.Subject, u.ID, s.clock.Now()); err != nil {
		return "", nil, err
	}
	token, u, err := s.desk.OpenExternalSession(sys, u.ID, s.sessionMax)
	if desk.ErrorCode(err) == desk.EFORBIDDEN {
		return "", nil, refuse(ReasonDeactivated, err, "the account of %s is deactivated", p.Email)
	}
	if err != nil {
		return "", nil, err
	}
	s.log.Info("single sign-on", "provider", p.Provider, "user", u.ID, "role", u.Role, "groups", len(u.Groups))
	return token, u, nil
}

// withdraw is what a refused sign-in of an identity no rule matches any
// more does to the account it is linked with, if any: the provider has
// just said the user is in no mapped group, so the rules apply (the role
// and the mapped groups go, as at an allowed sign-in) and every session of
// the user ends, rather than leaving the old role in the browsers already
// signed in.
func (s *Service) withdraw(sys context.Context, p Profile, m Mapping) error {
	id, err := s.store.SSOIdentityUser(sys, p.Provider, p.Subject)
	if desk.ErrorCode(err) == desk.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	u, err := s.desk.User(sys, id)
	if err != nil {
		return err
	}
	if _, err := s.apply(sys, u, p, m); err != nil {
		return err
	}
	n, err := s.desk.EndExternalSessions(sys, id)
	if err != nil {
		return err
	}
	s.log.Info("single sign-on: out of every mapped group; mapping withdrawn and sessions ended",
		"provider", p.Provider, "user", id, "sessions", n)
	return nil
}

// account finds (or creates) the identity's user and applies the mapping.
func (s *Service) account(sys context.Context, p Profile, m Mapping) (*desk.User, error) {
	id, err := s.store.SSOIdentityUser(sys, p.Provider, p.Subject)
	switch desk.ErrorCode(err) {
	case "":
		u, err := s.desk.User(sys, id)
		if err != nil {
			return nil, err
		}
		return s.apply(sys, u, p, m)
	case desk.ENOTFOUND:
	default:
		return nil, err
	}
	u, err := s.store.GetUserByEmail(sys, p.Email)
	switch desk.ErrorCode(err) {
	case "":
		if !p.EmailVerified {
			return nil, refuse(ReasonUnverified, nil, "an account with %s exists, and the provider does not say the address is verified", p.Email)
		}
		return s.apply(sys, u, p, m)
	case desk.ENOTFOUND:
	default:
		return nil, err
	}
	name := strings.TrimSpace(p.Name)
	if name == "" {
		name = p.Email
	}
	u, err = s.desk.CreateUser(sys, desk.UserInput{Email: p.Email, Name: name, Role: m.Role, Groups: m.Groups})
	if err != nil {
		return nil, refuse(ReasonAccount, err, "cannot create an account for %s: %s", p.Email, desk.ErrorMessage(err))
	}
	return u, nil
}

// apply sets the mapped role and groups (and the provider's name) on an
// existing user, writing only when something changes. A mapping that
// would take the last administrator away leaves the role as it was.
func (s *Service) apply(sys context.Context, u *desk.User, p Profile, m Mapping) (*desk.User, error) {
	groups := m.Memberships(u.Groups)
	var patch desk.UserPatch
	if u.Role != m.Role {
		patch.Role = &m.Role
	}
	if !slices.Equal(groupIDs(u.Groups), groups) {
		patch.Groups = &groups
	}
	if name := strings.TrimSpace(p.Name); name != "" && name != u.Name {
		patch.Name = &name
	}
	if patch.Role == nil && patch.Groups == nil && patch.Name == nil {
		return u, nil
	}
	nu, err := s.desk.UpdateUser(sys, u.ID, patch)
	if desk.ErrorCode(err) == desk.ECONFLICT && patch.Role != nil {
		s.log.Warn("single sign-on: the mapping would take the last administrator away; role kept",
			"user", u.ID, "role", u.Role, "mapped", m.Role)
		kept := m
		kept.Role = u.Role
		g := kept.Memberships(u.Groups)
		patch.Role, patch.Groups = nil, &g
		nu, err = s.desk.UpdateUser(sys, u.ID, patch)
	}
	if err != nil {
		return nil, fmt.Errorf("apply sign-on rules to user %d: %w", u.ID, err)
	}
	return nu, nil
}

func groupIDs(refs []desk.GroupRef) []int64 {
	ids := make([]int64, len(refs))
	for i, g := range refs {
		ids[i] = g.ID
	}
	slices.Sort(ids)
	return ids
}
