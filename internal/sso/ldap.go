package sso

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// LDAPConfig configures sign-in with a directory password (LDAP, or
// Active Directory with UserAttr "sAMAccountName").
type LDAPConfig struct {
	Name     string // shown on the form: "Sign in with <Name>"
	URL      string // ldap://host:389 or ldaps://host:636
	StartTLS bool   // upgrade an ldap:// connection before binding
	TLS      *tls.Config
	// BindDN and BindPassword are the service account that searches for
	// users and their groups; empty searches anonymously. The password
	// comes from a file and is never logged.
	BindDN       string
	BindPassword string
	BaseDN       string // where users are searched (subtree)
	UserAttr     string // the attribute the user name is: uid, sAMAccountName, mail
	UserFilter   string // ANDed with it, e.g. (objectClass=person); empty: none
	// GroupBaseDN, when set, is searched for groups naming the user as
	// member, uniqueMember or memberUid; memberOf on the user's entry
	// (Active Directory, OpenLDAP's memberof overlay) counts too.
	GroupBaseDN string
	// AllowUnmapped lets in directory users whom no mapping rule matches,
	// as requesters; otherwise they are refused (ReasonNotAllowed).
	AllowUnmapped bool
	Timeout       time.Duration // per connection and operation; 0: 10 s
}

// LDAP signs users in with their directory password: bind as the service
// account, find the user's entry by UserAttr, bind as that entry with the
// password, read the groups, and map them by the same rules as claims
// ("groups" holds each group's DN and its cn).
type LDAP struct {
	cfg LDAPConfig
	svc *Service
}

// LDAP returns a directory sign-in with cfg.
func (s *Service) LDAP(cfg LDAPConfig) *LDAP {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.UserAttr == "" {
		cfg.UserAttr = "uid"
	}
	if cfg.Name == "" {
		cfg.Name = "LDAP"
	}
	return &LDAP{cfg: cfg, svc: s}
}

// Name is the directory's name for the sign-in form.
func (l *LDAP) Name() string { return l.cfg.Name }

// ProviderKey is how the directory's identities are linked: "ldap:<host>".
func (l *LDAP) ProviderKey() string {
	if u, err := url.Parse(l.cfg.URL); err == nil && u.Host != "" {
		return "ldap:" + u.Host
	}
	return "ldap:" + l.cfg.URL
}

// SignIn checks a directory user name and password under the desk's
// sign-in throttle (client is the caller's address) and opens a session.
// A wrong password and an unknown user are refused alike
// (ReasonCredentials); a directory that cannot be reached is
// ReasonDirectory.
func (l *LDAP) SignIn(ctx context.Context, username, password, client string) (string, *desk.User, error) {
	username = strings.TrimSpace(username)
	var prof Profile
	err := l.svc.desk.GuardSignIn(ctx, username, client, func() (bool, error) {
		if username == "" || password == "" { // an empty password would be an unauthenticated bind
			return false, nil
		}
		var err error
		prof, err = l.authenticate(username, password)
		if ReasonOf(err) == ReasonCredentials {
			return false, nil
		}
		return err == nil, err
	})
	if desk.ErrorCode(err) == desk.EUNAUTHENTICATED {
		return "", nil, refuse(ReasonCredentials, nil, "wrong directory user name or password for %q", username)
	}
	if err != nil {
		return "", nil, err
	}
	unmapped := ReasonNotAllowed
	if l.cfg.AllowUnmapped {
		unmapped = ""
	}
	return l.svc.signIn(ctx, prof, unmapped)
}

// authenticate binds as the user and reads their entry and groups.
func (l *LDAP) authenticate(username, password string) (Profile, error) {
	conn, err := l.dial()
	if err != nil {
		return Profile{}, err
	}
	defer conn.Close()
	if err := l.serviceBind(conn); err != nil {
		return Profile{}, err
	}
	entry, err := l.findUser(conn, username)
	if err != nil {
		return Profile{}, err
	}
	if err := conn.Bind(entry.DN, password); err != nil {
		if ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
			return Profile{}, refuse(ReasonCredentials, nil, "wrong password for %q", username)
		}
		return Profile{}, refuse(ReasonDirectory, errors.New(ldapErrorText(err)), "bind as %s", entry.DN)
	}
	groups := entry.GetAttributeValues("memberOf")
	if l.cfg.GroupBaseDN != "" {
		if err := l.serviceBind(conn); err != nil { // the user may not read groups
			return Profile{}, err
		}
		more, err := l.groupsOf(conn, entry.DN, entry.GetAttributeValue("uid"))
		if err != nil {
			return Profile{}, err
		}
		groups = append(groups, more...)
	}
	return l.profile(entry, groups), nil
}

func (l *LDAP) dial() (*ldap.Conn, error) {
	opts := []ldap.DialOpt{ldap.DialWithDialer(&net.Dialer{Timeout: l.cfg.Timeout})}
	if l.cfg.TLS != nil {
		opts = append(opts, ldap.DialWithTLSConfig(l.cfg.TLS))
	}
	conn, err := ldap.DialURL(l.cfg.URL, opts...)
	if err != nil {
		return nil, refuse(ReasonDirectory, err, "connect to %s", l.cfg.URL)
	}
	conn.SetTimeout(l.cfg.Timeout)
	if l.cfg.StartTLS {
		tc := l.cfg.TLS
		if tc == nil {
			tc = &tls.Config{}
		}
		if tc.ServerName == "" {
			if u, err := url.Parse(l.cfg.URL); err == nil {
				tc = tc.Clone()
				tc.ServerName = u.Hostname()
			}
		}
		if err := conn.StartTLS(tc); err != nil {
			conn.Close()
			return nil, refuse(ReasonDirectory, err, "StartTLS with %s", l.cfg.URL)
		}
	}
	return conn, nil
}

func (l *LDAP) serviceBind(conn *ldap.Conn) error {
	if l.cfg.BindDN == "" {
		return nil
	}
	if err := conn.Bind(l.cfg.BindDN, l.cfg.BindPassword); err != nil {
		return refuse(ReasonDirectory, errors.New(ldapErrorText(err)), "bind as the service account %s", l.cfg.BindDN)
	}
	return nil
}

// ldapErrorText is the result code and the server's words, without the
// request (which holds no password, but keep it that way).
func ldapErrorText(err error) string {
	var le *ldap.Error
	if errors.As(err, &le) {
		return fmt.Sprintf("LDAP result %d %s", le.ResultCode, ldap.LDAPResultCodeMap[le.ResultCode])
	}
	return err.Error()
}

var userAttributes = []string{"dn", "mail", "cn", "displayName", "uid", "memberOf", "entryUUID", "objectGUID"}

func (l *LDAP) findUser(conn *ldap.Conn, username string) (*ldap.Entry, error) {
	filter := fmt.Sprintf("(%s=%s)", l.cfg.UserAttr, ldap.EscapeFilter(username))
	if l.cfg.UserFilter != "" {
		filter = "(&" + l.cfg.UserFilter + filter + ")"
	}
	res, err := conn.Search(ldap.NewSearchRequest(l.cfg.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		2, int(l.cfg.Timeout.Seconds()), false, filter, userAttributes, nil))
	switch {
	case err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded):
		return nil, refuse(ReasonDirectory, errors.New(ldapErrorText(err)), "search %s", l.cfg.BaseDN)
	case len(res.Entries) == 0:
		return nil, refuse(ReasonCredentials, nil, "no directory user %q", username)
	case len(res.Entries) > 1:
		return nil, refuse(ReasonCredentials, nil, "more than one directory user is %q", username)
	}
	return res.Entries[0], nil
}

func (l *LDAP) groupsOf(conn *ldap.Conn, dn, uid string) ([]string, error) {
	filter := fmt.Sprintf("(|(member=%s)(uniqueMember=%s)", ldap.EscapeFilter(dn), ldap.EscapeFilter(dn))
	if uid != "" {
		filter += fmt.Sprintf("(memberUid=%s)", ldap.EscapeFilter(uid))
	}
	filter += ")"
	res, err := conn.Search(ldap.NewSearchRequest(l.cfg.GroupBaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		0, int(l.cfg.Timeout.Seconds()), false, filter, []string{"dn"}, nil))
	if err != nil {
		return nil, refuse(ReasonDirectory, errors.New(ldapErrorText(err)), "search groups in %s", l.cfg.GroupBaseDN)
	}
	var out []string
	for _, e := range res.Entries {
		out = append(out, e.DN)
	}
	return out, nil
}

// profile turns the entry into an identity: the subject is the entry's
// UUID where the directory has one (it survives a rename), else its DN;
// "groups" holds each group's DN and its first RDN value (cn).
func (l *LDAP) profile(e *ldap.Entry, groups []string) Profile {
	subject := e.GetAttributeValue("entryUUID")
	if subject == "" {
		if g := e.GetRawAttributeValue("objectGUID"); len(g) > 0 {
			subject = fmt.Sprintf("%x", g)
		} else {
			subject = strings.ToLower(e.DN)
		}
	}
	claims := Claims{}
	for _, a := range e.Attributes {
		if a.Name != "objectGUID" && a.Name != "memberOf" {
			claims[a.Name] = a.Values
		}
	}
	for _, g := range groups {
		claims["groups"] = append(claims["groups"], g)
		if dn, err := ldap.ParseDN(g); err == nil && len(dn.RDNs) > 0 && len(dn.RDNs[0].Attributes) > 0 {
			claims["groups"] = append(claims["groups"], dn.RDNs[0].Attributes[0].Value)
		}
	}
	name := e.GetAttributeValue("displayName")
	if name == "" {
		name = e.GetAttributeValue("cn")
	}
	return Profile{Provider: l.ProviderKey(), Subject: subject, Email: e.GetAttributeValue("mail"),
		EmailVerified: true, Name: name, Claims: claims}
}
