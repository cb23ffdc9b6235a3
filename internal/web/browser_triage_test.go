package web_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// triageDesk is a desk3 with a history to learn from: resolved tickets
// about printers (an incident, Printers, Printing, line 1's Service Desk,
// low impact) and about access (a request, Access, Directory, Network,
// high impact), and a triage model trained on them by `tierdesk triage
// train` on the served desk's database, as an administrator would.
type triageDesk struct {
	*desk3
	printers, access    int64  // categories
	printing, dir       int64  // services
	printerTk, accessTk string // a resolved ticket of each kind
}

func newTriageDesk(t *testing.T) *triageDesk {
	t.Helper()
	d := &triageDesk{desk3: newDesk3(t)}
	d.printers = d.id(d.api("POST", "/api/v1/categories", map[string]any{"name": "Printers"}))
	d.access = d.id(d.api("POST", "/api/v1/categories", map[string]any{"name": "Access"}))
	d.printing = d.id(d.api("POST", "/api/v1/services", map[string]any{"name": "Printing"}))
	d.dir = d.id(d.api("POST", "/api/v1/services", map[string]any{"name": "Directory"}))
	d.user("kim@example.com", "Kim Other", "requester", pw)
	printer := []string{"Printer jams paper on floor %d", "Paper stuck in the printer of room %d", "Printer toner is empty, floor %d"}
	access := []string{"Reset my password, account %d", "Account locked after password change (%d)", "Cannot sign in: password expired, user %d"}
	for i := range 160 {
		who := []string{"sam@example.com", "kim@example.com"}[i%4/2]
		body := map[string]any{"type": "incident", "title": fmt.Sprintf(printer[i/2%3], i), "description": "the printer shows an error",
			"impact": "low", "urgency": "low", "category_id": d.printers, "service_id": d.printing, "group_id": 1,
			"requester":                map[string]any{"email": who},
			"first_contact_resolution": map[string]any{"resolution_code": "solved", "resolution_notes": fmt.Sprintf("Cleared the paper path and restarted printer %d", i)}}
		if i%2 == 1 {
			body["type"], body["title"], body["description"] = "request", fmt.Sprintf(access[i/2%3], i), "the password is not accepted"
			body["impact"], body["urgency"], body["category_id"], body["service_id"], body["group_id"] = "high", "high", d.access, d.dir, d.net
			body["first_contact_resolution"] = map[string]any{"resolution_code": "solved", "resolution_notes": fmt.Sprintf("Password reset, account %d unlocked", i)}
		}
		tk := d.api("POST", "/api/v1/tickets", body)
		if i < 2 {
			*[]*string{&d.printerTk, &d.accessTk}[i] = tk["number"].(string)
		}
	}
	out := d.cli("triage", "train")
	if !strings.Contains(out, "stored") {
		t.Fatalf("triage train: %s", out)
	}
	return d
}

// TestBrowser_TriageRegister: Sam phones line 1 about a jammed printer.
// Lena registers the call: as she types, the form suggests the type,
// category, service and group with the words behind them; Alt+A accepts
// them all while she is still in the description; the similar resolved
// tickets are listed with their resolutions, and Use this resolution
// resolves the call on first contact with the earlier ticket's
// resolution, which the ticket then names. In the portal Sam sees his own
// similar tickets only, never Kim's.
func TestBrowser_TriageRegister(t *testing.T) {
	t.Parallel()
	d := newTriageDesk(t)
	bs := newBrowsers(t)
	lena := bs.signedIn(d.site, "lena@example.com", "/console/register")
	lena.typeAndWait("#q", "sam req", "the lookup's matches", "document.querySelectorAll('#lookup .pick').length === 1")
	lena.submit("#lookup .pick")
	lena.wantText("Sam Requester")
	lena.do("type", chromedpSendKeys("#title", "The printer jams paper again"))
	lena.do("type", chromedpSendKeys("#description", "paper stuck, the printer shows an error"))
	lena.waitFor("the suggestions", "document.querySelectorAll('#assist-suggest li').length >= 4")
	lena.screenshot("suggested")
	for field, want := range map[string]string{"type": "Incident", "category": "Printers", "service": "Printing", "group": "Service Desk",
		"impact": "low", "urgency": "low"} {
		li := lena.text("#assist-suggest li[data-field=" + field + "]")
		if !strings.Contains(li, want) || !strings.Contains(li, "because of") || !strings.Contains(li, "«") {
			t.Errorf("the %s suggestion reads %q, want %q with the words behind it", field, li, want)
		}
	}
	if li := lena.text("#assist-suggest li[data-field=category]"); !strings.Contains(li, "«printer»") && !strings.Contains(li, "«paper»") {
		t.Errorf("the category's words do not name the printer: %q", li)
	}
	if got := eval[string](lena, "document.activeElement.id"); got != "description" {
		t.Fatalf("focus is on %q, want the description (Alt+A is pressed while typing)", got)
	}
	lena.do("Alt+A", chromedpKeyAlt("a"))
	if got := lena.text("#assist-priority"); !strings.Contains(got, "Priority: P4") {
		t.Errorf("the suggested priority reads %q, want P4 from the low impact and urgency", got)
	}
	got := eval[string](lena, "['type','category_id','service_id','group_id','impact','urgency'].map(n => document.getElementById('register-form').elements[n].value).join('|')")
	if want := "incident|" + strconv.FormatInt(d.printers, 10) + "|" + strconv.FormatInt(d.printing, 10) + "|1|low|low"; got != want {
		t.Errorf("after Alt+A the form holds %q, want %q", got, want)
	}
	if got := lena.text("#priority-preview"); got != "P4" {
		t.Errorf("the priority after Alt+A is %q, want P4", got)
	}
	if n := eval[int](lena, "document.querySelectorAll('#assist-suggest .assist-accept').length"); n != 0 {
		t.Errorf("%d suggestions still to accept after Alt+A", n)
	}
	if eval[string](lena, "document.getElementById('description').value") != "paper stuck, the printer shows an error" {
		t.Error("Alt+A typed into the description")
	}

	// The similar resolved tickets, with their resolution to reuse.
	lena.waitFor("the similar tickets", "document.querySelectorAll('#assist-similar .assist-reuse').length > 0")
	first := lena.text("#assist-similar li")
	if !strings.Contains(first, "Cleared the paper path") || strings.Contains(lena.text("#assist-similar"), "Password reset") {
		t.Errorf("the first similar ticket is %q; want a printer ticket with its resolution and no access ticket", first)
	}
	source := eval[string](lena, "document.querySelector('#assist-similar .assist-reuse').dataset.number")
	notes := eval[string](lena, "document.querySelector('#assist-similar .assist-reuse').dataset.notes")
	lena.do("reuse", chromedpClick("#assist-similar .assist-reuse"))
	if got := eval[string](lena, "document.getElementById('fcr').checked + '|' + document.getElementById('resolution_notes').value + '|' + document.getElementById('reused_from').value"); got != "true|"+notes+"|"+source {
		t.Errorf("Use this resolution left %q, want true|%s|%s", got, notes, source)
	}
	lena.wantText("The resolution is copied from")
	lena.screenshot("reused")
	lena.submit("#register-submit")
	if lena.page() != "agent_ticket" {
		t.Fatalf("registering went to %q: %s", lena.page(), lena.bodyText())
	}
	lena.wantText("The ticket is registered and resolved on first contact.", "The resolution was copied from", source, notes)
	number := strings.Fields(lena.text("h1 .num"))[0]
	tk := d.api("GET", "/api/v1/tickets/"+number, nil)
	cat, _ := tk["category"].(map[string]any)
	svc, _ := tk["service"].(map[string]any)
	grp, _ := tk["group"].(map[string]any)
	if tk["type"] != "incident" || cat == nil || int64(cat["id"].(float64)) != d.printers || svc == nil ||
		int64(svc["id"].(float64)) != d.printing || grp == nil || int64(grp["id"].(float64)) != 1 || tk["state"] != "resolved" {
		t.Errorf("registered %s: type %v category %v service %v group %v state %v", number, tk["type"], cat, svc, grp, tk["state"])
	}

	// Every suggestion taken is recorded for the triage report.
	day := time.Now().UTC().Format("2006-01-02")
	rep := d.api("GET", "/api/v1/reports/triage?from="+day+"&to="+time.Now().UTC().Add(48*time.Hour).Format("2006-01-02"), nil)
	for _, a := range rep["acceptance"].([]any) {
		a := a.(map[string]any)
		if a["suggested"] != 1.0 || a["accepted"] != 1.0 || a["acceptance_rate"] != 1.0 {
			t.Errorf("acceptance after taking every suggestion: %v", a)
		}
	}

	// The portal: Sam's own similar tickets only.
	sam := bs.signedIn(d.site, "sam@example.com", "/report")
	sam.typeAndWait("#title", "Printer jams paper", "his similar tickets", "document.querySelectorAll('#report-similar li').length > 0")
	sam.screenshot("portal-similar")
	mine := sam.text("#report-similar")
	if !strings.Contains(mine, number) && !strings.Contains(mine, d.printerTk) {
		t.Errorf("the portal lists none of Sam's printer tickets:\n%s", mine)
	}
	for _, n := range eval[[]string](sam, "Array.from(document.querySelectorAll('#report-similar li a')).map(a => a.textContent)") {
		owner := d.api("GET", "/api/v1/tickets/"+n, nil)["requester"].(map[string]any)
		if owner["email"] != "sam@example.com" {
			t.Errorf("the portal shows Sam %s, a ticket of %v", n, owner["email"])
		}
	}
	sam.do("Alt+A", chromedpKeyAlt("a"))
	if got := eval[string](sam, "(document.querySelector('input[name=kind]:checked')||{}).value + '|' + document.getElementById('service').value"); got != "broken|Printing" {
		t.Errorf("Alt+A in the portal set %q, want broken|Printing", got)
	}
}

// chromedpKeyAlt presses Alt with a key, as a shortcut.
func chromedpKeyAlt(k string) chromedp.Action[chromedp.Void] {
	return chromedp.KeyEvent(k, chromedp.KeyModifiers(chromedp.ModifierAlt))
}

// signedIn is a new browser signed in as email on path.
func (bs *browserSet) signedIn(s *site, email, path string) *browser {
	b := bs.browser(s)
	b.signIn(email, pw)
	b.open(path)
	return b
}

// typeAndWait types text into sel key by key and waits until js is true.
func (b *browser) typeAndWait(sel, text, what, js string) {
	b.t.Helper()
	b.do("type", chromedpSendKeys(sel, text))
	b.waitFor(what, js)
}
