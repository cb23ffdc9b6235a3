package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/sso"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// ssoFlags configure single sign-on: an OpenID Connect provider and an
// LDAP / Active Directory directory, each optional. Secrets come from files.
type ssoFlags struct {
	oidcIssuer, oidcClientID, oidcSecretFile, oidcName, oidcScopes string

	ldapURL, ldapCAFile, ldapBindDN, ldapBindPasswordFile, ldapBaseDN string
	ldapUserAttr, ldapUserFilter, ldapGroupBaseDN, ldapName           string
	ldapStartTLS, ldapAllowUnmapped, oidcAllowUnmapped                bool
	sessionMax                                                        time.Duration
}

func (f *ssoFlags) register(c *cobra.Command) {
	fl := c.Flags()
	s := func(dst *string, name, env, def, usage string) {
		fl.StringVar(dst, name, envOr(env, def), usage+" (env "+env+")")
	}
	s(&f.oidcIssuer, "oidc-issuer", "TIERDESK_OIDC_ISSUER", "", "OpenID Connect provider's issuer URL: offers \"Sign in with\" it")
	s(&f.oidcClientID, "oidc-client-id", "TIERDESK_OIDC_CLIENT_ID", "", "client id registered at the provider, with the redirect URI <public URL>/sso/oidc/callback")
	s(&f.oidcSecretFile, "oidc-client-secret-file", "TIERDESK_OIDC_CLIENT_SECRET_FILE", "", "file holding the client secret")
	s(&f.oidcName, "oidc-name", "TIERDESK_OIDC_NAME", "OpenID Connect", "the provider's name on the sign-in button")
	s(&f.oidcScopes, "oidc-scopes", "TIERDESK_OIDC_SCOPES", "", "scopes to ask for besides openid, email and profile, comma-separated (e.g. groups)")
	fl.BoolVar(&f.oidcAllowUnmapped, "oidc-allow-unmapped", os.Getenv("TIERDESK_OIDC_ALLOW_UNMAPPED") == "true",
		"let provider users whom no mapping rule matches sign in as requesters (default: refused; env TIERDESK_OIDC_ALLOW_UNMAPPED=true)")
	s(&f.ldapURL, "ldap-url", "TIERDESK_LDAP_URL", "", "directory to sign in with: ldap://host:389 or ldaps://host:636")
	fl.BoolVar(&f.ldapStartTLS, "ldap-starttls", os.Getenv("TIERDESK_LDAP_STARTTLS") == "true", "upgrade ldap:// with StartTLS before binding (env TIERDESK_LDAP_STARTTLS=true)")
	s(&f.ldapCAFile, "ldap-ca-file", "TIERDESK_LDAP_CA_FILE", "", "PEM file of the CAs that sign the directory's certificate (default: the system's)")
	s(&f.ldapBindDN, "ldap-bind-dn", "TIERDESK_LDAP_BIND_DN", "", "service account that searches users and groups (empty: anonymous)")
	s(&f.ldapBindPasswordFile, "ldap-bind-password-file", "TIERDESK_LDAP_BIND_PASSWORD_FILE", "", "file holding the service account's password")
	s(&f.ldapBaseDN, "ldap-base-dn", "TIERDESK_LDAP_BASE_DN", "", "where users are searched, e.g. ou=people,dc=example,dc=com")
	s(&f.ldapUserAttr, "ldap-user-attr", "TIERDESK_LDAP_USER_ATTR", "uid", "attribute the user name is (uid; sAMAccountName on Active Directory)")
	s(&f.ldapUserFilter, "ldap-user-filter", "TIERDESK_LDAP_USER_FILTER", "", "filter users must also match, e.g. (objectClass=person)")
	s(&f.ldapGroupBaseDN, "ldap-group-base-dn", "TIERDESK_LDAP_GROUP_BASE_DN", "", "where groups naming the user as member are searched (memberOf counts too)")
	s(&f.ldapName, "ldap-name", "TIERDESK_LDAP_NAME", "Directory", "the directory's name on the sign-in form")
	durationFlag(c, &f.sessionMax, "sso-session-max", "TIERDESK_SSO_SESSION_MAX", sso.DefaultSessionMax,
		"longest a session opened by single sign-on lasts before the browser goes back to the provider, so that a user taken out of a mapped group or disabled there loses access within it")
	fl.BoolVar(&f.ldapAllowUnmapped, "ldap-allow-unmapped", os.Getenv("TIERDESK_LDAP_ALLOW_UNMAPPED") == "true",
		"let directory users whom no mapping rule matches sign in as requesters (default: refused; env TIERDESK_LDAP_ALLOW_UNMAPPED=true)")
	c.PreRunE = chainPreRun(c.PreRunE, func(*cobra.Command, []string) error {
		if f.sessionMax < time.Minute {
			return usagef("--sso-session-max %v: at least a minute, such as 8h", f.sessionMax)
		}
		return nil
	})
}

// ssoParts are the sign-on service and the providers configured (nil when
// not).
type ssoParts struct {
	svc  *sso.Service
	oidc *sso.OIDC
	ldap *sso.LDAP
}

// ssoSweepEvery is how often the OpenID Connect sign-ins that expired
// unfinished are forgotten.
const ssoSweepEvery = time.Minute

// start forgets expired sign-ins in the background until stop (with
// OpenID Connect configured; every instance may run it, a DELETE twice
// is harmless).
func (p ssoParts) start(ctx context.Context, log *slog.Logger) (stop func()) {
	if p.oidc == nil {
		return func() {}
	}
	var loop jobs.Periodic
	loop.Start(ctx, ssoSweepEvery, func(ctx context.Context) {
		if n, err := p.svc.Sweep(ctx); err != nil && ctx.Err() == nil {
			log.Warn("forget expired sign-ins", "err", err)
		} else if n > 0 {
			log.Debug("forgot expired sign-ins", "count", n)
		}
	})
	return loop.Stop
}

func (f *ssoFlags) build(db *sqlstore.Store, d *desk.Desk, log *slog.Logger) (ssoParts, error) {
	p := ssoParts{svc: sso.New(d, db, desk.SystemClock{}, log.With("component", "sso"))}
	p.svc.SetSessionMax(f.sessionMax)
	if f.oidcIssuer != "" {
		if f.oidcClientID == "" || f.oidcSecretFile == "" {
			return p, usagef("--oidc-issuer needs --oidc-client-id and --oidc-client-secret-file")
		}
		secret, err := readSecret(f.oidcSecretFile, "--oidc-client-secret-file")
		if err != nil {
			return p, err
		}
		var scopes []string
		for _, sc := range strings.Split(f.oidcScopes, ",") {
			if sc = strings.TrimSpace(sc); sc != "" {
				scopes = append(scopes, sc)
			}
		}
		p.oidc = p.svc.OIDC(sso.OIDCConfig{Name: f.oidcName, Issuer: f.oidcIssuer, ClientID: f.oidcClientID, ClientSecret: secret,
			RedirectURL: strings.TrimRight(d.Config().PublicURL, "/") + "/sso/oidc/callback", Scopes: scopes,
			AllowUnmapped: f.oidcAllowUnmapped})
	}
	if f.ldapURL != "" {
		cfg, err := f.ldapConfig()
		if err != nil {
			return p, err
		}
		p.ldap = p.svc.LDAP(cfg)
	}
	return p, nil
}

func (f *ssoFlags) ldapConfig() (sso.LDAPConfig, error) {
	if f.ldapBaseDN == "" {
		return sso.LDAPConfig{}, usagef("--ldap-url needs --ldap-base-dn")
	}
	cfg := sso.LDAPConfig{Name: f.ldapName, URL: f.ldapURL, StartTLS: f.ldapStartTLS, BindDN: f.ldapBindDN,
		BaseDN: f.ldapBaseDN, UserAttr: f.ldapUserAttr, UserFilter: f.ldapUserFilter, GroupBaseDN: f.ldapGroupBaseDN,
		AllowUnmapped: f.ldapAllowUnmapped}
	if f.ldapBindDN != "" {
		if f.ldapBindPasswordFile == "" {
			return cfg, usagef("--ldap-bind-dn needs --ldap-bind-password-file")
		}
		pw, err := readSecret(f.ldapBindPasswordFile, "--ldap-bind-password-file")
		if err != nil {
			return cfg, err
		}
		cfg.BindPassword = pw
	}
	if f.ldapCAFile != "" {
		pem, err := os.ReadFile(f.ldapCAFile)
		if err != nil {
			return cfg, usagef("--ldap-ca-file: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return cfg, usagef("--ldap-ca-file: no PEM certificate in %s", f.ldapCAFile)
		}
		cfg.TLS = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return cfg, nil
}

// readSecret reads a secret from a file, without its trailing newline; an
// empty file is a mistake. The secret is never printed.
func readSecret(path, flag string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", usagef("%s: %v", flag, err)
	}
	s := strings.TrimRight(string(b), "\r\n")
	if strings.TrimSpace(s) == "" {
		return "", usagef("%s: %s is empty", flag, path)
	}
	return s, nil
}
