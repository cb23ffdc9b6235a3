package web_test

import "testing"

// TestBrowser_Settings: a requester finds My settings in the navigation,
// switches to Russian and the Moscow zone, and password changes whose two
// new passwords differ, or whose current password is wrong, come back
// with the error, in Russian, by the field.
func TestBrowser_Settings(t *testing.T) {
	s := newSite(t)
	s.user("sam@example.com", "Sam Requester", "requester", pw)
	b := newBrowsers(t).browser(s)
	b.signIn("sam@example.com", pw)
	b.open("/my")
	b.submit("nav a[href='/settings']")
	if b.page() != "settings" {
		t.Fatalf("the navigation link led to %q", b.page())
	}
	b.choose("#language", "ru")
	b.fill("#time_zone", "Europe/Moscow")
	b.submit("form[action='/settings'] button[type=submit]")
	b.wantText("Настройки сохранены.", "Мои настройки")
	if got := eval[string](b, "document.querySelector('#time_zone').value"); got != "Europe/Moscow" {
		t.Errorf("time zone after saving: %q", got)
	}
	b.screenshot("settings-ru")

	b.fill("#current_password", pw)
	b.fill("#password", "a brand new passphrase")
	b.fill("#password_again", "another passphrase")
	b.submit("form[action='/settings/password'] button[type=submit]")
	if !b.has("#password_again[aria-invalid=true]") {
		t.Error("the differing passwords are not marked")
	}
	b.wantText("Новые пароли не совпадают.")

	// The desk's refusal of a wrong current password is in Russian too.
	b.fill("#current_password", "not my password at all")
	b.fill("#password", "a brand new passphrase")
	b.fill("#password_again", "a brand new passphrase")
	b.submit("form[action='/settings/password'] button[type=submit]")
	if !b.has("#current_password[aria-invalid=true]") {
		t.Error("the wrong current password is not marked")
	}
	b.wantText("Это не ваш текущий пароль.")
}
