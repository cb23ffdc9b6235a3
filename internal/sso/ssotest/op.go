// Package ssotest runs a real OpenID Connect provider on loopback for tests:
// zitadel's OpenID-certified provider library (github.com/zitadel/oidc/v3/pkg/op)
// over an in-memory op.Storage, with a login page that asks for a user name
// only, and knobs that make it misbehave the ways a provider can (tokens
// for another audience, already expired, signed with a key it does not
// publish). Only tests import it, so it is not in the binary.
package ssotest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"html/template"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/text/language"

	"github.com/zitadel/oidc/v3/pkg/op"
)

// User is a person the provider knows, signed in by Username.
type User struct {
	Username      string
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
	Groups        []string // the "groups" claim
}

// Provider is a running OpenID provider.
type Provider struct {
	Issuer   string
	ClientID string
	Secret   string
	st       *storage
	op       *op.Provider
}

// Start runs a provider on a loopback port until the test ends, with one
// confidential client (clientID, secret) that uses PKCE.
func Start(tb testing.TB, clientID, secret string) *Provider {
	tb.Helper()
	st := newStorage(clientID, secret)
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	cfg := &op.Config{CryptoKey: sha256.Sum256([]byte(secret)), CodeMethodS256: true, AuthMethodPost: true,
		SupportedUILocales: []language.Tag{language.English}}
	p, err := op.NewProvider(cfg, st, op.StaticIssuer(srv.URL), op.WithAllowInsecure())
	if err != nil {
		tb.Fatalf("start OpenID provider: %v", err)
	}
	prov := &Provider{Issuer: srv.URL, ClientID: clientID, Secret: secret, st: st, op: p}
	login := &loginUI{st: st, callback: op.AuthCallbackURL(p)}
	mux.Handle("/login", op.NewIssuerInterceptor(p.IssuerFromRequest).HandlerFunc(login.serve))
	mux.Handle("/", prov.recordCallbacks(p))
	return prov
}

// recordCallbacks keeps the redirects the provider sends to a client's
// redirect URI (with the code and the state), for tests that replay them.
func (p *Provider) recordCallbacks(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&locationWriter{ResponseWriter: w, p: p}, r)
	})
}

type locationWriter struct {
	http.ResponseWriter
	p *Provider
}

func (w *locationWriter) WriteHeader(code int) {
	if loc := w.Header().Get("Location"); code/100 == 3 && strings.Contains(loc, "state=") {
		w.p.st.set(func(s *storage) { s.callbacks = append(s.callbacks, loc) })
	}
	w.ResponseWriter.WriteHeader(code)
}

// LastCallback is the last redirect to the client with a code and a state
// ("" when none).
func (p *Provider) LastCallback() string {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	if len(p.st.callbacks) == 0 {
		return ""
	}
	return p.st.callbacks[len(p.st.callbacks)-1]
}

// AllowRedirect registers a redirect URI of the client.
func (p *Provider) AllowRedirect(uri string) {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	p.st.client.redirects = append(p.st.client.redirects, uri)
}

// SetUser adds or replaces a user (by Username).
func (p *Provider) SetUser(u User) {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	p.st.users[u.Username] = u
}

// SetAudience makes ID tokens name aud instead of the client ("" undoes it).
func (p *Provider) SetAudience(aud string) { p.st.set(func(s *storage) { s.audience = aud }) }

// SetIDTokenLifetime makes ID tokens live d (negative: already expired;
// 0: an hour).
func (p *Provider) SetIDTokenLifetime(d time.Duration) {
	p.st.set(func(s *storage) { s.client.lifetime = d })
}

// SignWithRogueKey makes the provider sign with a key it does not publish
// (under the published key's id), as a forger would.
func (p *Provider) SignWithRogueKey(on bool) { p.st.set(func(s *storage) { s.rogue = on }) }

// Logins counts the sign-ins the provider has completed.
func (p *Provider) Logins() int {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	return p.st.logins
}

// loginUI is the provider's sign-in page: a user name, no password.
type loginUI struct {
	st       *storage
	callback func(context.Context, string) string
}

var loginPage = template.Must(template.New("login").Parse(`<!doctype html><title>Test provider</title>
<h1>Test OpenID provider</h1>{{if .Error}}<p id="op-error">{{.Error}}</p>{{end}}
<form method="post" action="/login"><input type="hidden" name="id" value="{{.ID}}">
<label>User name <input id="op-username" name="username" autofocus></label>
<button id="op-submit" type="submit">Sign in</button></form>`))

func (l *loginUI) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		loginPage.Execute(w, map[string]string{"ID": r.URL.Query().Get("authRequestID")})
		return
	}
	id, name := r.PostFormValue("id"), r.PostFormValue("username")
	if err := l.st.complete(id, name); err != nil {
		w.WriteHeader(http.StatusUnauthorized)
		loginPage.Execute(w, map[string]string{"ID": id, "Error": err.Error()})
		return
	}
	http.Redirect(w, r, l.callback(r.Context(), id), http.StatusFound)
}

// LoginURL is where the client sends the browser for authRequestID.
func loginURL(id string) string { return "/login?authRequestID=" + id }

// key is an RSA signing key with its id.
type key struct {
	id  string
	key *rsa.PrivateKey
}

func (k *key) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k *key) Key() any                                    { return k.key }
func (k *key) ID() string                                  { return k.id }
func (k *key) Algorithm() jose.SignatureAlgorithm          { return jose.RS256 }
func (k *key) Use() string                                 { return "sig" }

// public is the published half of a key.
type public struct{ *key }

func (k public) Key() any { return &k.key.key.PublicKey }

func newKey(id string) *key {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return &key{id: id, key: k}
}

func randomID() string { return rand.Text() }
