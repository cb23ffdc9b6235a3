package sso

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// LoginTTL is how long a browser has to come back from the provider.
const LoginTTL = 10 * time.Minute

// OIDCConfig configures sign-in with an OpenID Connect provider.
type OIDCConfig struct {
	Name         string // shown on the button: "Sign in with <Name>"
	Issuer       string // https://id.example.com/realms/staff
	ClientID     string
	ClientSecret string   // from a file; never logged
	RedirectURL  string   // <public URL>/sso/oidc/callback
	Scopes       []string // beyond openid, email and profile (e.g. "groups")
	HTTPClient   *http.Client
	// AllowUnmapped lets in users whom no mapping rule matches, as
	// requesters; otherwise they are refused (ReasonUnmapped), as the
	// directory sign-in does.
	AllowUnmapped bool
	// Limits bound the sign-ins under way; zero fields take
	// DefaultLoginsPerClient and DefaultLoginsTotal.
	Limits LoginLimits
}

// MaxNextLen is the longest local page a sign-in keeps to return to; a
// longer one returns to "/" (the row is anyone's to write).
const MaxNextLen = 2048

// OIDC signs users in with one OpenID Connect provider: the authorisation
// code flow with PKCE (S256), a state bound to the browser and taken from
// the database once, and a nonce in the ID token. The provider's discovery
// document is read on first use (and again after a failure), so the desk
// starts while the provider is down.
type OIDC struct {
	cfg OIDCConfig
	svc *Service

	mu       sync.Mutex
	provider *oidc.Provider
	warned   time.Time // when the cap was last logged
}

// OIDC returns a sign-in with the provider of cfg.
func (s *Service) OIDC(cfg OIDCConfig) *OIDC {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	if cfg.Name == "" {
		cfg.Name = "OpenID Connect"
	}
	if cfg.Limits.PerClient <= 0 {
		cfg.Limits.PerClient = DefaultLoginsPerClient
	}
	if cfg.Limits.Total <= 0 {
		cfg.Limits.Total = DefaultLoginsTotal
	}
	return &OIDC{cfg: cfg, svc: s}
}

// Name is the provider's name for the sign-in button.
func (o *OIDC) Name() string { return o.cfg.Name }

// ProviderKey is how the provider's identities are linked: "oidc:<issuer>".
func (o *OIDC) ProviderKey() string { return "oidc:" + o.cfg.Issuer }

func (o *OIDC) discover(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, o.cfg.HTTPClient), o.cfg.Issuer)
	if err != nil {
		return nil, refuse(ReasonProvider, err, "discover %s", o.cfg.Issuer)
	}
	o.provider = p
	return p, nil
}

func (o *OIDC) oauth(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: o.cfg.RedirectURL, Scopes: append([]string{oidc.ScopeOpenID, "email", "profile"}, o.cfg.Scopes...)}
}

// Begin starts a sign-in that returns to the local page next for the
// caller at client (its network address): it stores the state's hash with
// a nonce and a PKCE verifier, and returns the provider's authorisation
// URL and the state, which the caller keeps in the browser (a cookie) to
// check at the callback. Anyone may call it, so the sign-ins under way are
// bounded (cfg.Limits): over the client's limit it refuses with
// ReasonTooMany, over the desk's with ReasonBusy, and nothing is stored.
func (o *OIDC) Begin(ctx context.Context, next, client string) (authURL, state string, err error) {
	p, err := o.discover(ctx)
	if err != nil {
		return "", "", err
	}
	if len(next) > MaxNextLen {
		next = "/"
	}
	now := o.svc.clock.Now()
	state, nonce, verifier := randomString(), randomString(), oauth2.GenerateVerifier()
	l := Login{Nonce: nonce, Verifier: verifier, Next: next, ExpiresAt: now.Add(LoginTTL), Client: ClientKey(client)}
	switch err := o.svc.store.SaveSSOLogin(ctx, hashState(state), l, now, o.cfg.Limits); {
	case errors.Is(err, ErrClientLimit):
		return "", "", refuse(ReasonTooMany, nil, "%s has %d sign-ins under way", l.Client, o.cfg.Limits.PerClient)
	case errors.Is(err, ErrTotalLimit):
		o.warnCap(now)
		return "", "", refuse(ReasonBusy, nil, "%d sign-ins under way", o.cfg.Limits.Total)
	case err != nil:
		return "", "", err
	}
	return o.oauth(p).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), state, nil
}

// warnCap logs that the cap is reached, once a minute at most: a flood
// must not flood the log too.
func (o *OIDC) warnCap(now time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if now.Sub(o.warned) < time.Minute {
		return
	}
	o.warned = now
	o.svc.log.Warn("single sign-on: the sign-ins under way reached the cap; new ones are refused until some expire",
		"cap", o.cfg.Limits.Total)
}

// ClientKey is what the limit of sign-ins under way counts a caller by:
// an IPv4 address as itself, an IPv6 address by its /64 (one host holds a
// whole /64, so counting single addresses would not limit it), anything
// else as it is.
func ClientKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil || !a.Unmap().Is6() {
		return addr
	}
	return netip.PrefixFrom(a, 64).Masked().String()
}

// Finish completes a sign-in at the callback: browserState is the state
// the browser kept, q the callback's query. It returns the new session's
// token and the local page to go to.
func (o *OIDC) Finish(ctx context.Context, browserState string, q url.Values) (string, *desk.User, string, error) {
	if e := q.Get("error"); e != "" {
		return "", nil, "", refuse(ReasonDenied, nil, "the provider answered %q", e)
	}
	state := q.Get("state")
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(browserState)) != 1 {
		return "", nil, "", refuse(ReasonState, nil, "the state is not the one this browser started")
	}
	l, err := o.svc.store.TakeSSOLogin(ctx, hashState(state), o.svc.clock.Now())
	if desk.ErrorCode(err) == desk.ENOTFOUND {
		return "", nil, "", refuse(ReasonState, nil, "the sign-in was already completed or has expired")
	}
	if err != nil {
		return "", nil, "", err
	}
	prof, err := o.exchange(ctx, q.Get("code"), l)
	if err != nil {
		return "", nil, "", err
	}
	unmapped := ReasonUnmapped
	if o.cfg.AllowUnmapped {
		unmapped = ""
	}
	token, u, err := o.svc.signIn(ctx, prof, unmapped)
	return token, u, l.Next, err
}

// exchange redeems the code with the PKCE verifier and checks the ID token:
// signature, issuer, audience, expiry and nonce.
func (o *OIDC) exchange(ctx context.Context, code string, l *Login) (Profile, error) {
	p, err := o.discover(ctx)
	if err != nil {
		return Profile{}, err
	}
	ctx = oidc.ClientContext(ctx, o.cfg.HTTPClient)
	tok, err := o.oauth(p).Exchange(ctx, code, oauth2.VerifierOption(l.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return Profile{}, refuse(ReasonDenied, nil, "the provider refused the code: %s", re.ErrorCode)
		}
		return Profile{}, refuse(ReasonProvider, err, "redeem the code")
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Profile{}, refuse(ReasonToken, nil, "the provider sent no ID token")
	}
	v := p.Verifier(&oidc.Config{ClientID: o.cfg.ClientID, Now: o.svc.clock.Now})
	idt, err := v.Verify(ctx, raw)
	if err != nil {
		return Profile{}, refuse(tokenReason(err), err, "ID token refused")
	}
	if err := o.audienceOnly(idt); err != nil {
		return Profile{}, err
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(l.Nonce)) != 1 {
		return Profile{}, refuse(ReasonToken, nil, "the ID token's nonce is not this sign-in's")
	}
	var all map[string]any
	if err := idt.Claims(&all); err != nil {
		return Profile{}, refuse(ReasonToken, err, "read the ID token's claims")
	}
	claims := flatten(all)
	prof := Profile{Provider: o.ProviderKey(), Subject: idt.Subject, Email: first(claims["email"]),
		EmailVerified: first(claims["email_verified"]) == "true", Name: first(claims["name"]), Claims: claims}
	if prof.Name == "" {
		prof.Name = first(claims["preferred_username"])
	}
	return prof, nil
}

// audienceOnly refuses an ID token that names an audience besides this
// client (go-oidc checks only that the client is among them): OpenID
// Connect Core 3.1.3.7 rejects a token with additional audiences the client
// does not trust, and an authorised party (azp) that is not the client.
func (o *OIDC) audienceOnly(idt *oidc.IDToken) error {
	for _, aud := range idt.Audience {
		if aud != o.cfg.ClientID {
			return refuse(ReasonAudience, nil, "the ID token is also for %q", aud)
		}
	}
	var c struct {
		AZP string `json:"azp"`
	}
	if err := idt.Claims(&c); err == nil && c.AZP != "" && c.AZP != o.cfg.ClientID {
		return refuse(ReasonAudience, nil, "the ID token was issued to %q", c.AZP)
	}
	return nil
}

// tokenReason tells which check an ID token failed.
func tokenReason(err error) Reason {
	var expired *oidc.TokenExpiredError
	msg := err.Error()
	switch {
	case errors.As(err, &expired):
		return ReasonExpired
	case strings.Contains(msg, "expected audience"):
		return ReasonAudience
	case strings.Contains(msg, "verify signature"):
		return ReasonSignature
	}
	return ReasonToken
}

// flatten turns JSON claims into lists of strings: strings, booleans and
// numbers as themselves, arrays element by element; objects are left out.
func flatten(all map[string]any) Claims {
	c := Claims{}
	for k, v := range all {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				if s, ok := scalar(e); ok {
					c[k] = append(c[k], s)
				}
			}
		default:
			if s, ok := scalar(v); ok {
				c[k] = []string{s}
			}
		}
	}
	return c
}

func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case bool, float64:
		return fmt.Sprint(v), true
	}
	return "", false
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func randomString() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashState is how a state is stored: a copy of the database cannot be
// used to complete someone's sign-in.
func hashState(state string) string {
	h := sha256.Sum256([]byte(state))
	return hex.EncodeToString(h[:])
}
