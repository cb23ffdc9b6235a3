package web_test

import (
	"strconv"
	"testing"
)

// TestBrowser_Reassign: a line-2 agent opens the move form with its key,
// is told the reason is missing (the choice kept), then moves the ticket to
// another line-2 group; the ticket counts one reassignment.
func TestBrowser_Reassign(t *testing.T) {
	t.Parallel()
	d := newDesk3(t)
	wifi := d.id(d.api("POST", "/api/v1/groups", map[string]any{"name": "Wireless", "line": 2}))
	tk := d.api("POST", "/api/v1/tickets", map[string]any{"type": "incident", "title": "Wi-Fi drops in room 4",
		"channel": "phone", "requester": map[string]any{"email": "sam@example.com"}, "group_id": d.net})
	num := tk["number"].(string)

	nick := newBrowsers(t).browser(d.site)
	nick.signIn("nick@example.com", pw)
	nick.open("/tickets/" + num)
	nick.key("m")
	if !nick.has("#act-reassign[open]") {
		t.Fatal("the key m did not open the move form")
	}
	if nick.has("#reassign-group option[value='" + strconv.FormatInt(d.core, 10) + "']") {
		t.Error("the move form offers a line-3 group: that is an escalation")
	}
	nick.choose("#reassign-group", strconv.FormatInt(wifi, 10))
	nick.submit("#act-reassign button[type=submit]")
	if !nick.has("#act-reassign[open]") || !nick.has("[id='reassign.reason-error']") {
		t.Fatalf("no error by the reason: %s", nick.bodyText())
	}
	if got := eval[string](nick, "document.querySelector('#reassign-group').value"); got != strconv.FormatInt(wifi, 10) {
		t.Errorf("the chosen group was not kept: %q", got)
	}
	nick.fill("#reassign-reason", "the access points belong to the wireless team")
	nick.submit("#act-reassign button[type=submit]")
	nick.wantText("The ticket is moved to the other group.", "Wireless", "1 reassignment",
		"the access points belong to the wireless team")
	nick.screenshot("reassign")
}
