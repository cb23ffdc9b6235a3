package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/tierdesk/tierdesk/internal/clientip"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// failFrom makes desk.LoginFailuresPerClient failed sign-ins, each for
// another address, sending X-Forwarded-For as xff(i).
func failFrom(t *testing.T, c *client, xff func(i int) string) {
	t.Helper()
	for i := range desk.LoginFailuresPerClient {
		p := c.post("/login", url.Values{"csrf": {c.csrf("/login")}, "email": {fmt.Sprintf("nobody%d@example.com", i)},
			"password": {"guess"}}, "X-Forwarded-For", xff(i))
		if p.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, p.status)
		}
	}
}

func signInVia(c *client, xff string) response {
	return c.post("/login", url.Values{"csrf": {c.csrf("/login")}, "email": {"sam@example.com"}, "password": {pw}},
		"X-Forwarded-For", xff)
}

// TestWeb_ThrottleBehindTrustedProxy: behind a trusted proxy (here the
// test's own peer address) the client named in X-Forwarded-For is
// throttled, and another client of the same proxy is not.
func TestWeb_ThrottleBehindTrustedProxy(t *testing.T) {
	proxies, err := clientip.Parse([]string{"127.0.0.0/8", "::1"})
	if err != nil {
		t.Fatal(err)
	}
	e := newHTTPEnv(t, web.Options{Proxies: proxies})
	c := e.client()
	// The client's own, forged entry stands left of what the proxy appended.
	failFrom(t, c, func(i int) string { return fmt.Sprintf("10.9.9.%d, 198.51.100.7", i) })
	if p := signInVia(c, "198.51.100.7"); p.status != http.StatusTooManyRequests {
		t.Errorf("the failing client signs in: %d", p.status)
	}
	if p := signInVia(e.client(), "198.51.100.8"); p.status != http.StatusSeeOther || sessionCookie(p) == nil {
		t.Errorf("another client of the same proxy is throttled too: %d", p.status)
	}
}

// TestWeb_ThrottleIgnoresSpoofedForwardedFor: without trusted proxies, a
// client that names another address in each request is still throttled by
// its own.
func TestWeb_ThrottleIgnoresSpoofedForwardedFor(t *testing.T) {
	proxies, err := clientip.Parse([]string{"10.0.0.0/8"}) // the test's peer is not in it
	if err != nil {
		t.Fatal(err)
	}
	e := newHTTPEnv(t, web.Options{Proxies: proxies})
	c := e.client()
	failFrom(t, c, func(i int) string { return fmt.Sprintf("198.51.100.%d", i) })
	if p := signInVia(c, "198.51.100.200"); p.status != http.StatusTooManyRequests || sessionCookie(p) != nil {
		t.Errorf("a spoofed X-Forwarded-For escaped the throttle: %d", p.status)
	}
}
