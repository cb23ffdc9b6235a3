// Package sso owns single sign-on: signing in with an OpenID Connect
// provider (authorisation code flow with PKCE) or with a directory password
// over LDAP / Active Directory, provisioning the user on first sign-in, and
// the administrators' mapping rules that turn the provider's claims or the
// directory's groups into a role and support groups, applied again at every
// sign-in.
//
// The package holds the rules and the Service that applies them; storage is
// behind Store (internal/store/sqlstore implements it), and users and
// sessions are created through desk.Desk, so the desk's validation and its
// protection of the last administrator apply.
package sso

import (
	"context"
	"errors"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Rule maps one claim value to a role, a support group, or both: a user
// whose claim Claim holds Value (a "groups" claim holding "helpdesk", or for
// a directory sign-in the group "cn=helpdesk,ou=groups,dc=example,dc=com"
// or just "helpdesk") gets Role and joins GroupID.
type Rule struct {
	ID        int64
	Claim     string
	Value     string
	Role      desk.Role // "" gives no role
	GroupID   int64     // 0 joins no group
	GroupName string    // filled on read
	CreatedAt time.Time
}

// RuleInput creates or replaces a rule.
type RuleInput struct {
	Claim   string
	Value   string
	Role    desk.Role
	GroupID int64
}

// Settings are the administrators' sign-on settings.
type Settings struct {
	// StaffPasswordsOff refuses local passwords of agents, managers and
	// administrators: staff sign in with single sign-on only. Requesters
	// keep theirs.
	StaffPasswordsOff bool
}

// Claims are the values of an identity's claims (or directory attributes),
// each as a list of strings: a single string claim is a list of one.
type Claims map[string][]string

// Profile is an identity a provider has vouched for.
type Profile struct {
	Provider      string // "oidc:<issuer>" or "ldap:<host>"
	Subject       string // stable id at the provider (sub, or the entry's DN)
	Email         string
	EmailVerified bool // the provider vouches for the address
	Name          string
	Claims        Claims
}

// Login is an OpenID Connect sign-in under way, stored under the hash of
// its state until the provider sends the browser back.
type Login struct {
	Nonce     string
	Verifier  string // the PKCE code verifier
	Next      string // the local page to go to afterwards
	ExpiresAt time.Time
	Client    string // who started it: ClientKey of the caller's address
}

// LoginLimits bound the sign-ins under way, which anyone may start: a
// client may have PerClient of them at once, the desk Total (0: no limit).
// A sign-in leaves the count when its browser comes back or LoginTTL ends.
type LoginLimits struct {
	PerClient int
	Total     int
}

// Default limits of the sign-ins under way: an office behind one address
// starts a few at once (each waits at the provider for seconds; abandoned
// ones count until they expire), a flood from one address stops at 30, and
// a flood from many at 10,000 rows (each a few hundred bytes).
const (
	DefaultLoginsPerClient = 30
	DefaultLoginsTotal     = 10_000
)

// Errors of Store.SaveSSOLogin when a limit is reached.
var (
	ErrClientLimit = errors.New("too many sign-ins under way from this client")
	ErrTotalLimit  = errors.New("too many sign-ins under way")
)

// Store keeps the rules, linked identities, sign-ins under way and settings.
type Store interface {
	// ListSSORules returns every rule, oldest first, with GroupName.
	ListSSORules(ctx context.Context) ([]*Rule, error)
	// CreateSSORule assigns r.ID and r.CreatedAt; an unknown group is
	// EINVALID on "group_id".
	CreateSSORule(ctx context.Context, r *Rule) error
	// UpdateSSORule replaces the rule's claim, value, role and group;
	// ENOTFOUND when there is none.
	UpdateSSORule(ctx context.Context, r *Rule) error
	// DeleteSSORule removes a rule; ENOTFOUND when there is none.
	DeleteSSORule(ctx context.Context, id int64) error

	// SSOIdentityUser returns the user linked to the identity, ENOTFOUND
	// when none is.
	SSOIdentityUser(ctx context.Context, provider, subject string) (int64, error)
	// LinkSSOIdentity links the identity to the user (or records another
	// sign-in of it).
	LinkSSOIdentity(ctx context.Context, provider, subject string, userID int64, at time.Time) error

	// SaveSSOLogin stores a sign-in under way under its state's hash,
	// unless l.Client has lim.PerClient sign-ins unexpired at now
	// (ErrClientLimit) or the store holds lim.Total (ErrTotalLimit).
	// Expired sign-ins are forgotten on the way.
	SaveSSOLogin(ctx context.Context, stateHash string, l Login, now time.Time, lim LoginLimits) error
	// ForgetSSOLogins deletes the sign-ins that expired before now and
	// returns how many.
	ForgetSSOLogins(ctx context.Context, now time.Time) (int, error)
	// SSOLoginsPending counts the sign-ins stored, expired or not.
	SSOLoginsPending(ctx context.Context) (int, error)
	// TakeSSOLogin deletes and returns the sign-in of stateHash, once:
	// ENOTFOUND when there is none or it expired before now. Expired
	// sign-ins are forgotten on the way.
	TakeSSOLogin(ctx context.Context, stateHash string, now time.Time) (*Login, error)

	SSOSettings(ctx context.Context) (Settings, error)
	SetSSOSettings(ctx context.Context, s Settings) error

	// GetUserByEmail is the desk store's (desk.Store): a first sign-in
	// links an existing account with a verified address.
	GetUserByEmail(ctx context.Context, email string) (*desk.User, error)
}

// Limits of a rule.
const (
	MaxClaimLen = 100
	MaxValueLen = 500
)
