package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/tierdesk/tierdesk/internal/web"
)

// offSite are "next" and "back" values that a browser follows to another
// host: it drops tabs and newlines from a Location before reading it, so
// "/\t/evil" is "//evil", a link to the host evil.
var offSite = []string{
	"//evil.example.com/", "/\\evil.example.com/", "/\t/evil.example.com/", "/\n/evil.example.com/",
	"/\r/evil.example.com/", "/\t\\evil.example.com/", "https://evil.example.com/", "evil.example.com",
}

func TestWeb_SignInFollowsOnlyLocalNext(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	for _, next := range offSite {
		c := e.client()
		p := c.post("/login", url.Values{"csrf": {c.csrf("/login")}, "email": {"sam@example.com"}, "password": {pw},
			"next": {next}})
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/" {
			t.Errorf("next=%q: %d to %q, want 303 to /", next, p.status, p.header.Get("Location"))
		}
	}
	c := e.client()
	p := c.post("/login", url.Values{"csrf": {c.csrf("/login")}, "email": {"sam@example.com"}, "password": {pw},
		"next": {"/my?x=1"}})
	if loc := p.header.Get("Location"); loc != "/my?x=1" {
		t.Errorf("a local next=/my?x=1 went to %q", loc)
	}
}

func TestWeb_LanguageSwitchGoesBackOnlyLocally(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	for _, back := range offSite {
		c := e.client()
		p := c.post("/language", url.Values{"csrf": {c.csrf("/login")}, "lang": {"ru"}, "back": {back}})
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/" {
			t.Errorf("back=%q: %d to %q, want 303 to /", back, p.status, p.header.Get("Location"))
		}
	}
}
