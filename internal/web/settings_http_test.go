package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// TestWeb_SettingsPreferences: a requester opens My settings from the
// navigation, a bad time zone comes back with the input kept and the error
// next to the field, good choices are stored (language, zone, a kind
// turned off), and the mandatory kinds cannot be turned off.
func TestWeb_SettingsPreferences(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	sam, lena := e.client(), e.client()
	sam.signIn("sam@example.com")
	lena.signIn("lena@example.com")
	p := sam.get("/my")
	if !strings.Contains(p.body, `href="/settings"`) {
		t.Fatal("no My settings link in the navigation")
	}
	p = sam.get("/settings")
	if p.status != 200 || !strings.Contains(p.body, `name="time_zone"`) || !strings.Contains(p.body, `<option value="Europe/Moscow">`) ||
		!strings.Contains(p.body, `list="zones"`) || strings.Count(p.body, "<option value=\"") < 400 ||
		!strings.Contains(p.body, `<option value="Pacific/Chatham">`) {
		t.Fatalf("/settings: %d %s", p.status, p.body)
	}
	if strings.Contains(p.body, "notify-sla_breached") || strings.Contains(p.body, "always sent") {
		t.Error("a requester is offered staff notifications")
	}
	if q := lena.get("/settings"); !regexpMatch(`id="notify-sla_breached"[^>]*checked[^>]*disabled`, q.body) ||
		!strings.Contains(q.body, "always sent") {
		t.Errorf("staff should see the mandatory kinds checked, disabled and explained: %s", q.body)
	}

	csrf := sam.csrf("/settings")
	bad := url.Values{"csrf": {csrf}, "language": {"en"}, "time_zone": {"Mars/Olympus"}, "notify": {"comment"}}
	p = sam.post("/settings", bad)
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="time_zone-error"`) ||
		!strings.Contains(p.body, `value="Mars/Olympus"`) {
		t.Fatalf("bad zone: %d %s", p.status, p.body)
	}
	if p := sam.post("/settings", url.Values{"language": {"en"}, "time_zone": {"UTC"}}); p.status != http.StatusForbidden {
		t.Errorf("no CSRF token: %d", p.status)
	}

	good := url.Values{"csrf": {csrf}, "language": {"ru"}, "time_zone": {"Europe/Moscow"},
		"notify": {"ticket_registered", "comment", "resolved"}}
	if p := sam.post("/settings", good); p.status != http.StatusSeeOther || p.header.Get("Location") != "/settings?done=settings" {
		t.Fatalf("save: %d %s", p.status, p.body)
	}
	prefs, err := e.d.UserPreferences(desk.WithActor(context.Background(), e.sam), e.sam.ID)
	if err != nil {
		t.Fatal(err)
	}
	if prefs.Language != "ru" || prefs.TimeZone != "Europe/Moscow" || !prefs.Notifications[desk.OutboxComment] ||
		prefs.Notifications[desk.OutboxClosed] || !prefs.Notifications[desk.OutboxSLABreached] {
		t.Errorf("stored preferences: %+v", prefs)
	}
	if p := sam.get("/settings?done=settings"); !strings.Contains(p.body, "Настройки сохранены.") ||
		!strings.Contains(p.body, `value="Europe/Moscow"`) || regexpMatch(`id="notify-closed"[^>]*checked`, p.body) {
		t.Errorf("after saving, the page should be in Russian with the new choices: %s", p.body)
	}

	// Staff post without the disabled boxes (as browsers do): the mandatory kinds stay on.
	if p := lena.post("/settings", url.Values{"csrf": {lena.csrf("/settings")}, "language": {"en"}, "time_zone": {""}}); p.status != http.StatusSeeOther {
		t.Fatalf("staff save: %d %s", p.status, p.body)
	}
	lp, _ := e.d.UserPreferences(desk.WithActor(context.Background(), e.lena), e.lena.ID)
	if !lp.Notifications[desk.OutboxPage] || !lp.Notifications[desk.OutboxSLABreached] || lp.Notifications[desk.OutboxAssigned] {
		t.Errorf("staff preferences: %+v", lp)
	}
}

// TestWeb_SettingsPassword: the current password is required, the new one
// must be typed twice and pass the desk's rules; a change keeps this
// browser signed in, ends the other sessions, and the new password works.
func TestWeb_SettingsPassword(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	sam, other := e.client(), e.client()
	sam.signIn("sam@example.com")
	other.signIn("sam@example.com")
	csrf := sam.csrf("/settings")
	const next = "a brand new passphrase"
	for _, c := range []struct {
		name, current, password, again, field string
	}{
		{"wrong current", "not it at all", next, next, "current_password"},
		{"mismatch", pw, next, next + "!", "password_again"},
		{"too short", pw, "short", "short", "password"},
	} {
		p := sam.post("/settings/password", url.Values{"csrf": {csrf}, "current_password": {c.current},
			"password": {c.password}, "password_again": {c.again}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="`+c.field+`-error"`) {
			t.Errorf("%s: %d, want the error at %s: %s", c.name, p.status, c.field, p.body)
		}
		if strings.Contains(p.body, c.password) || strings.Contains(p.body, c.current) {
			t.Errorf("%s: a password came back into the page", c.name)
		}
	}
	p := sam.post("/settings/password", url.Values{"csrf": {csrf}, "current_password": {pw},
		"password": {next}, "password_again": {next}})
	if p.status != http.StatusSeeOther || sessionCookie(p) == nil {
		t.Fatalf("change: %d, new session cookie %v", p.status, sessionCookie(p))
	}
	if p := sam.get("/settings?done=password"); p.status != 200 || !strings.Contains(p.body, "Your password is changed") {
		t.Errorf("this browser should stay signed in: %d", p.status)
	}
	if p := other.get("/my"); p.status != http.StatusSeeOther {
		t.Errorf("the other session should have ended: %d", p.status)
	}
	if _, _, err := e.d.SignIn(context.Background(), "sam@example.com", next, "192.0.2.1"); err != nil {
		t.Errorf("sign in with the new password: %v", err)
	}
}

// TestWeb_SettingsPasswordThrottled: guessing the current password through
// the change form locks the account like failed sign-ins do, and says so
// next to the field instead of checking more guesses.
func TestWeb_SettingsPasswordThrottled(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	sam := e.client()
	sam.signIn("sam@example.com")
	csrf := sam.csrf("/settings")
	const next = "a brand new passphrase"
	change := func(current string) response {
		return sam.post("/settings/password", url.Values{"csrf": {csrf}, "current_password": {current},
			"password": {next}, "password_again": {next}})
	}
	for i := range desk.LoginFailuresPerAccount {
		if p := change("guess " + strconv.Itoa(i)); p.status != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: %d", i+1, p.status)
		}
	}
	p := change(pw)
	if p.status != http.StatusUnprocessableEntity || !regexpMatch(`id="current_password-error"[^>]*>[^<]*Too many failed attempts`, p.body) {
		t.Errorf("the right password after %d guesses: %d, want the lockout by the field: %s", desk.LoginFailuresPerAccount, p.status, p.body)
	}
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }

// TestWeb_SettingsPasswordBehindLockedAddress: others' failed sign-ins
// from the same (office) address lock that address's sign-ins, but a user
// who proves their current password there keeps a session after the
// change instead of being left changed and signed out.
func TestWeb_SettingsPasswordBehindLockedAddress(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	sam := e.client()
	sam.signIn("sam@example.com")
	csrf := sam.csrf("/settings")
	for i := range desk.LoginFailuresPerClient {
		who := "someone" + strconv.Itoa(i) + "@example.com"
		if _, _, err := e.d.SignIn(context.Background(), who, "wrong", "127.0.0.1"); err == nil {
			t.Fatalf("%s signed in with a wrong password", who)
		}
	}
	if _, _, err := e.d.SignIn(context.Background(), "sam@example.com", pw, "127.0.0.1"); err == nil {
		t.Fatal("the address is not locked: the test proves nothing")
	}
	const next = "a brand new passphrase"
	p := sam.post("/settings/password", url.Values{"csrf": {csrf}, "current_password": {pw},
		"password": {next}, "password_again": {next}})
	if p.status != http.StatusSeeOther || sessionCookie(p) == nil {
		t.Fatalf("change from a locked address: %d, new session cookie %v", p.status, sessionCookie(p))
	}
	if p := sam.get("/settings?done=password"); p.status != 200 || !strings.Contains(p.body, "Your password is changed") {
		t.Errorf("the user should stay signed in: %d", p.status)
	}
}
