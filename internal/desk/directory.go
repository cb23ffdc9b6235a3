package desk

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
)

// UserInput creates or, with pointer semantics in UserPatch, changes a user.
type UserInput struct {
	Email        string
	Name         string
	Phone        string
	Organization string
	VIP          bool
	Role         Role
	Groups       []int64 // support groups to join (staff only)
}

// UserPatch changes a user; nil leaves a field alone.
type UserPatch struct {
	Email        *string
	Name         *string
	Phone        *string
	Organization *string
	VIP          *bool
	Role         *Role
	Active       *bool
	// Groups, when not nil, are exactly the support groups the user is a
	// member of afterwards; they change in the same transaction as the rest.
	Groups *[]int64
}

func (v *validation) user(u *User) {
	u.Email = v.email("email", u.Email, true)
	u.Name = strings.TrimSpace(u.Name)
	v.text("name", u.Name, MaxNameLen, true)
	v.text("phone", u.Phone, MaxPhoneLen, false)
	u.Organization = strings.TrimSpace(u.Organization)
	v.text("organization", u.Organization, MaxNameLen, false)
	v.enum("role", string(u.Role), names(Roles), true)
}

// CreateUser adds a user (admins only, or the bootstrap path in cmd with a
// system actor).
func (s *Desk) CreateUser(ctx context.Context, in UserInput) (*User, error) {
	admin, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	u := &User{Email: in.Email, Name: in.Name, Phone: in.Phone, Organization: in.Organization, VIP: in.VIP,
		Role: in.Role, Active: true}
	var v validation
	v.user(u)
	groups, err := s.memberships(ctx, u.Role, in.Groups, &v)
	if err != nil {
		return nil, err
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := s.checkSecurityMembership(ctx, admin, nil, groups); err != nil {
		return nil, err
	}
	u.Groups = groups
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// UpdateUser changes a user and, with p.Groups, their memberships, in one
// store transaction (admins only). Users are deactivated, never deleted:
// tickets and history refer to them; deactivation ends their web sessions.
// Nobody demotes or deactivates themselves, and the store refuses to take
// the last active administrator away.
func (s *Desk) UpdateUser(ctx context.Context, id int64, p UserPatch) (*User, error) {
	admin, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	u, err := s.store.GetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	before := u.Groups
	setIf(&u.Email, p.Email)
	setIf(&u.Name, p.Name)
	setIf(&u.Phone, p.Phone)
	setIf(&u.Organization, p.Organization)
	setIf(&u.VIP, p.VIP)
	setIf(&u.Role, p.Role)
	setIf(&u.Active, p.Active)
	if u.ID == admin.ID && (u.Role != RoleAdmin || !u.Active) {
		return nil, Refusef(ECONFLICT, RuleSelf, nil, "you cannot demote or deactivate yourself")
	}
	var v validation
	v.user(u)
	var groups *[]int64
	if p.Groups != nil {
		refs, err := s.memberships(ctx, u.Role, *p.Groups, &v)
		if err != nil {
			return nil, err
		}
		ids := make([]int64, len(refs))
		for i, g := range refs {
			ids[i] = g.ID
		}
		if err := s.checkSecurityMembership(ctx, admin, before, refs); err != nil {
			return nil, err
		}
		u.Groups, groups = refs, &ids
	} else if !u.Role.IsStaff() && len(u.Groups) > 0 {
		v.add("groups", RuleNotAllowed, nil, "a requester is in no support group: remove the memberships with the role change")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := s.store.UpdateUser(ctx, u, groups); err != nil {
		return nil, fmt.Errorf("update user %d: %w", id, err)
	}
	return u, nil
}

// memberships resolves the groups a user with role is to join: each must
// exist, and only staff join support groups. Problems go to v as "groups".
func (s *Desk) memberships(ctx context.Context, role Role, ids []int64, v *validation) ([]GroupRef, error) {
	if len(ids) == 0 {
		return []GroupRef{}, nil
	}
	if !role.IsStaff() {
		v.add("groups", RuleNotAllowed, nil, "requesters join no support groups")
		return nil, nil
	}
	all, err := s.store.ListGroups(ctx)
	if err != nil {
		return nil, err
	}
	refs := []GroupRef{}
	for _, id := range ids {
		i := slices.IndexFunc(all, func(g *Group) bool { return g.ID == id })
		switch {
		case i < 0:
			v.add("groups", RuleUnknown, nil, "no group %d", id)
			return nil, nil
		case !slices.ContainsFunc(refs, func(r GroupRef) bool { return r.ID == id }):
			refs = append(refs, GroupRef{ID: id, Name: all[i].Name, Line: all[i].Line, Security: all[i].Security})
		}
	}
	slices.SortFunc(refs, func(a, b GroupRef) int { return int(a.ID - b.ID) })
	return refs, nil
}

func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// Who may read the directory and the desk's configuration, as the admin
// pages and the API use it (the desk decides; adapters only pass on its
// answers):
//
//   - Requesters see themselves (User of anyone else is not found), never a
//     list of users, groups, members, SLA policies or calendars; they read
//     categories, services and the priority matrix, which the portal offers.
//   - Agents and managers read the directory and the configuration: they
//     route, assign and escalate with it. They change none of it.
//   - Administrators change it all; RequireAdmin tells an adapter whether to
//     offer the forms at all.
//   - Nobody anonymous, or deactivated, reads anything.

// RequireAdmin returns nil when the actor is an active administrator, else
// EUNAUTHENTICATED or EFORBIDDEN: for adapters deciding whether to show a
// page of administrators' forms (the desk checks each change again).
func RequireAdmin(ctx context.Context) error {
	_, err := requireAdmin(ctx)
	return err
}

// RequireStaff returns the actor when they are active staff, else
// EUNAUTHENTICATED or EFORBIDDEN: for services beside the desk whose
// records are staff's only (problem management).
func RequireStaff(ctx context.Context) (*User, error) { return requireStaff(ctx) }

// User returns a user: staff see anyone, requesters only themselves.
func (s *Desk) User(ctx context.Context, id int64) (*User, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !u.Role.IsStaff() && u.ID != id {
		return nil, Errorf(ENOTFOUND, "no user %d", id)
	}
	return s.store.GetUser(ctx, id)
}

// ListUsers lists users (staff only).
func (s *Desk) ListUsers(ctx context.Context, f UserFilter) (*UserPage, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	if f.Limit < 0 || f.Limit > MaxPageSize {
		return nil, fieldError("limit", RuleOutOfRange, Params{"min": 1, "max": MaxPageSize}, "must be between 1 and %d", MaxPageSize)
	}
	for _, r := range f.Roles {
		if !oneOf(r, Roles) {
			return nil, fieldError("role", RuleOneOf, Params{"allowed": names(Roles)}, "must be one of %s", strings.Join(names(Roles), ", "))
		}
	}
	return s.store.ListUsers(ctx, f)
}

// tokenPrefix marks Tierdesk tokens so that secret scanners can find leaks.
const tokenPrefix = "tdk_"

// HashToken is how tokens are stored: a SHA-256 of a 256-bit random secret
// needs no slow hash, since it cannot be guessed.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// IssueToken creates an API token for a user: admins for anyone, others for
// themselves. The token is returned once and only its hash is kept.
func (s *Desk) IssueToken(ctx context.Context, userID int64, name string) (string, *Token, error) {
	if err := s.ownOrAdmin(ctx, userID); err != nil {
		return "", nil, err
	}
	if err := s.checkSecurityTargetID(ctx, ActorFrom(ctx), userID); err != nil {
		return "", nil, err
	}
	var v validation
	v.text("name", name, MaxNameLen, false)
	if err := v.err(); err != nil {
		return "", nil, err
	}
	return s.issueToken(ctx, userID, name)
}

func (s *Desk) issueToken(ctx context.Context, userID int64, name string) (string, *Token, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", nil, fmt.Errorf("issue token: %w", err)
	}
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(secret)
	tok, err := s.store.CreateToken(ctx, userID, name, HashToken(token))
	if err != nil {
		return "", nil, fmt.Errorf("issue token: %w", err)
	}
	return token, tok, nil
}

// Authenticate returns the active user owning the API token.
func (s *Desk) Authenticate(ctx context.Context, token string) (*User, error) {
	if !strings.HasPrefix(token, tokenPrefix) {
		return nil, Errorf(EUNAUTHENTICATED, "invalid API token")
	}
	u, err := s.store.UserByTokenHash(ctx, HashToken(token))
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(EUNAUTHENTICATED, "invalid API token")
	}
	return u, err
}

// AsSystem returns ctx acting as the system itself, with every right: for
// the local command line, whose caller already holds the database, and for
// the background runner. Never use it for a request from the network.
func AsSystem(ctx context.Context) context.Context {
	return WithActor(ctx, &User{ID: 0, Role: RoleAdmin, Active: true, Name: "system"})
}

// Bootstrap creates a user, optionally with an API token and group
// memberships, without an authenticated actor: it is for the local command
// line (`tierdesk user add`), whose caller already holds the database.
func (s *Desk) Bootstrap(ctx context.Context, in UserInput, withToken bool, groupIDs ...int64) (*User, string, error) {
	in.Groups = append(in.Groups, groupIDs...)
	u, err := s.CreateUser(AsSystem(ctx), in)
	if err != nil {
		return nil, "", err
	}
	if !withToken {
		return u, "", nil
	}
	token, _, err := s.issueToken(ctx, u.ID, "cli")
	return u, token, err
}

// Tokens lists a user's API tokens (never their secrets): admins for anyone,
// others for themselves.
func (s *Desk) Tokens(ctx context.Context, userID int64) ([]*Token, error) {
	if err := s.ownOrAdmin(ctx, userID); err != nil {
		return nil, err
	}
	return s.store.ListTokens(ctx, userID)
}

// RevokeToken deletes an API token at once: admins for anyone, others for
// themselves.
func (s *Desk) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	if err := s.ownOrAdmin(ctx, userID); err != nil {
		return err
	}
	return s.store.DeleteToken(ctx, userID, tokenID)
}

func (s *Desk) ownOrAdmin(ctx context.Context, userID int64) error {
	u, err := actor(ctx)
	if err != nil {
		return err
	}
	if u.Role != RoleAdmin && u.ID != userID {
		return Errorf(EFORBIDDEN, "you may only manage your own tokens")
	}
	_, err = s.store.GetUser(ctx, userID)
	return err
}
