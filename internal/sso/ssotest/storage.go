package ssotest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// storage is the provider's op.Storage, in memory.
type storage struct {
	mu        sync.Mutex
	client    *client
	users     map[string]User // by Username
	requests  map[string]*authRequest
	codes     map[string]string // code → request id
	tokens    map[string]*accessToken
	signing   *key
	rogue     bool   // sign with forger instead of signing
	forger    *key   // same key id, never published
	audience  string // overrides the ID tokens' audience
	logins    int
	callbacks []string // redirects to the client with code and state
}

var _ op.Storage = (*storage)(nil)

func newStorage(clientID, secret string) *storage {
	k := newKey(randomID())
	return &storage{
		client:   &client{id: clientID, secret: secret},
		users:    map[string]User{},
		requests: map[string]*authRequest{},
		codes:    map[string]string{},
		tokens:   map[string]*accessToken{},
		signing:  k,
		forger:   newKey(k.id),
	}
}

func (s *storage) set(fn func(*storage)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s)
}

var errUnknown = errors.New("unknown user")

// complete marks the request signed in as the user named username.
func (s *storage) complete(id, username string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[username]
	if !ok {
		return errUnknown
	}
	r, ok := s.requests[id]
	if !ok {
		return errors.New("unknown authorisation request")
	}
	r.subject, r.done, r.authTime = u.Subject, true, time.Now()
	s.logins++
	return nil
}

func (s *storage) CreateAuthRequest(_ context.Context, in *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &authRequest{id: randomID(), in: in, audience: s.audience}
	s.requests[r.id] = r
	return r, nil
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.requests[id]; ok {
		return r, nil
	}
	return nil, errors.New("no such authorisation request")
}

func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	id, ok := s.codes[code]
	s.mu.Unlock()
	if !ok {
		return nil, errors.New("code invalid or expired")
	}
	return s.AuthRequestByID(ctx, id)
}

func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.set(func(s *storage) { s.codes[code] = id })
	return nil
}

func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.set(func(s *storage) {
		delete(s.requests, id)
		for code, rid := range s.codes {
			if rid == id {
				delete(s.codes, code)
			}
		}
	})
	return nil
}

func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	t := &accessToken{id: randomID(), subject: req.GetSubject(), expires: time.Now().Add(5 * time.Minute)}
	if r, ok := req.(op.AuthRequest); ok {
		t.scopes = r.GetScopes()
	}
	s.set(func(s *storage) { s.tokens[t.id] = t })
	return t.id, t.expires, nil
}

func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, errors.New("no refresh tokens here")
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

func (s *storage) TerminateSession(context.Context, string, string) error { return nil }

func (s *storage) RevokeToken(_ context.Context, id, _, _ string) *oidc.Error {
	s.set(func(s *storage) { delete(s.tokens, id) })
	return nil
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rogue {
		return s.forger, nil
	}
	return s.signing, nil
}

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{public{s.signing}}, nil
}

func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id != s.client.id {
		return nil, errors.New("client not found")
	}
	c := *s.client
	c.redirects = slices.Clone(s.client.redirects)
	return &c, nil
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	if id != s.client.id || secret != s.client.secret {
		return errors.New("wrong client id or secret")
	}
	return nil
}

func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the ID token's claims (op.CanSetUserinfoFromRequest).
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	return s.userinfo(info, req.GetSubject(), scopes)
}

func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, subject, _ string) error {
	s.mu.Lock()
	t, ok := s.tokens[tokenID]
	s.mu.Unlock()
	if !ok {
		return errors.New("token is not valid")
	}
	return s.userinfo(info, t.subject, t.scopes)
}

func (s *storage) userinfo(info *oidc.UserInfo, subject string, scopes []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if u.Subject != subject {
			continue
		}
		info.Subject = u.Subject
		if slices.Contains(scopes, oidc.ScopeEmail) {
			info.Email, info.EmailVerified = u.Email, oidc.Bool(u.EmailVerified)
		}
		if slices.Contains(scopes, oidc.ScopeProfile) {
			info.Name, info.PreferredUsername = u.Name, u.Username
		}
		if slices.Contains(scopes, "groups") {
			info.AppendClaims("groups", slices.Clone(u.Groups))
		}
		return nil
	}
	return errUnknown
}

func (s *storage) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return errors.New("no introspection here")
}

func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errors.New("no JWT profile keys here")
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("no JWT profile grant here")
}

func (s *storage) Health(context.Context) error { return nil }

// accessToken is an opaque access token's record.
type accessToken struct {
	id, subject string
	scopes      []string
	expires     time.Time
}

// authRequest is an authorisation request under way (op.AuthRequest).
type authRequest struct {
	id       string
	in       *oidc.AuthRequest
	audience string
	subject  string
	done     bool
	authTime time.Time
}

func (r *authRequest) GetID() string       { return r.id }
func (r *authRequest) GetACR() string      { return "" }
func (r *authRequest) GetAMR() []string    { return []string{"pwd"} }
func (r *authRequest) GetClientID() string { return r.in.ClientID }
func (r *authRequest) GetAudience() []string {
	if r.audience != "" {
		return []string{r.audience}
	}
	return []string{r.in.ClientID}
}
func (r *authRequest) GetAuthTime() time.Time { return r.authTime }
func (r *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if r.in.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: r.in.CodeChallenge, Method: r.in.CodeChallengeMethod}
}
func (r *authRequest) GetNonce() string                   { return r.in.Nonce }
func (r *authRequest) GetRedirectURI() string             { return r.in.RedirectURI }
func (r *authRequest) GetResponseType() oidc.ResponseType { return r.in.ResponseType }
func (r *authRequest) GetResponseMode() oidc.ResponseMode { return r.in.ResponseMode }
func (r *authRequest) GetScopes() []string                { return r.in.Scopes }
func (r *authRequest) GetState() string                   { return r.in.State }
func (r *authRequest) GetSubject() string                 { return r.subject }
func (r *authRequest) Done() bool                         { return r.done }

// client is the desk's registration: a confidential web client.
type client struct {
	id, secret string
	redirects  []string
	lifetime   time.Duration
}

func (c *client) GetID() string                       { return c.id }
func (c *client) RedirectURIs() []string              { return c.redirects }
func (c *client) PostLogoutRedirectURIs() []string    { return nil }
func (c *client) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c *client) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType         { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c *client) LoginURL(id string) string            { return loginURL(id) }
func (c *client) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeBearer }
func (c *client) DevMode() bool                        { return true }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *client) ClockSkew() time.Duration             { return 0 }
func (c *client) IsScopeAllowed(scope string) bool     { return scope == "groups" }
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) IDTokenLifetime() time.Duration {
	if c.lifetime == 0 {
		return time.Hour
	}
	return c.lifetime
}
