package web_test

import (
	"strconv"
	"testing"
)

// TestBrowser_AdminUserEdit: an administrator edits every field of a user
// on one page; a taken e-mail comes back by its field with everything typed
// kept; the save stores it all; deactivating the user ends the session in
// her own browser.
func TestBrowser_AdminUserEdit(t *testing.T) {
	t.Parallel()
	d := newDesk3(t)
	d.user("root@example.com", "Rita Root", "admin", pw)
	lenaID := d.id(d.api("GET", "/api/v1/users?q=lena@", nil)["users"].([]any)[0].(map[string]any))
	bs := newBrowsers(t)
	root, lena := bs.browser(d.site), bs.browser(d.site)
	root.signIn("root@example.com", pw)
	lena.signIn("lena@example.com", pw)

	path := "/admin/users/" + strconv.FormatInt(lenaID, 10)
	form := "form[action='" + path + "'] button[type=submit]"
	net := strconv.FormatInt(d.net, 10)
	root.open(path)
	root.fill("#name", "Lena Network")
	root.fill("#email", "sam@example.com")
	root.fill("#phone", "+7 495 000-00-00")
	root.fill("#organization", "Plant 2")
	eval[bool](root, `(() => { document.querySelector('#vip').checked = true;
		document.querySelector('input[name=groups][value="1"]').checked = false;
		document.querySelector('input[name=groups][value="`+net+`"]').checked = true; return true })()`)
	root.submit(form)
	if root.page() != "admin_user" || !root.has("#email[aria-invalid=true]") {
		t.Fatalf("a taken e-mail: page %q without the error by the field: %s", root.page(), root.bodyText())
	}
	root.wantText("Another user already has this e-mail address.")
	kept := `[document.querySelector('#name').value, document.querySelector('#phone').value,
		document.querySelector('#organization').value, String(document.querySelector('#vip').checked),
		String(document.querySelector('input[name=groups][value="1"]').checked),
		String(document.querySelector('input[name=groups][value="` + net + `"]').checked)].join('|')`
	if got := eval[string](root, kept); got != "Lena Network|+7 495 000-00-00|Plant 2|true|false|true" {
		t.Errorf("the input was not kept: %q", got)
	}
	root.screenshot("user-error")

	root.fill("#email", "lena.network@example.com")
	root.submit(form)
	root.wantText("The user is saved.", "Lena Network", "lena.network@example.com")
	u := d.api("GET", "/api/v1/users/"+strconv.FormatInt(lenaID, 10), nil)
	groups := u["groups"].([]any)
	if u["phone"] != "+7 495 000-00-00" || u["organization"] != "Plant 2" || u["vip"] != true ||
		len(groups) != 1 || d.id(groups[0].(map[string]any)) != d.net {
		t.Fatalf("stored user: %v", u)
	}

	eval[bool](root, "document.querySelector('#active').checked = false")
	root.submit(form)
	root.wantText("The user is saved.")
	lena.open("/console")
	if lena.page() != "login" {
		t.Errorf("the deactivated user still works in her browser: page %q", lena.page())
	}
}
