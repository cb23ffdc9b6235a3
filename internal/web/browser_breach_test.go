package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
	"github.com/tierdesk/tierdesk/internal/web"
)

// breachClock is one deadline as a browser shows it on the case page.
type breachClock struct {
	Kind, Datetime, Text, Left, State string
}

// breachClocks reads the case page's deadlines by kind.
func breachClocks(b *browser) map[string]breachClock {
	b.t.Helper()
	rows := eval[[][]string](b, `[...document.querySelectorAll('#breach-clocks .breach-clock')].map(li => {
	  const due = li.querySelector('time.breach-due');
	  return [li.dataset.kind, due.getAttribute('datetime'), due.textContent.trim(),
	    li.querySelector('.breach-left').textContent.trim(), li.querySelector('.breach-state').textContent.trim()];
	})`)
	out := map[string]breachClock{}
	for _, r := range rows {
		out[r[0]] = breachClock{Kind: r[0], Datetime: r[1], Text: r[2], Left: r[3], State: r[4]}
	}
	return out
}

// TestBrowser_BreachAcrossDST is issue 14's scenario on the web, on a
// desk whose clock the test moves (no sleeping): sam reports "my account
// sends spam", Lena (line 1, Berlin) marks it a security case and loses
// sight of it; Greta of the security group, in Berlin, records with the
// keyboard that the organisation became aware on Saturday 27 March 2027
// at 15:00 CET, the night before Berlin's clocks go forward, and both
// regimes, and answers the playbook's template (a task done); Lev, the security lead in Moscow (no summer time, his pages in
// Russian), sees the same deadline instants in his zone: the 24 hours end
// on Sunday at 16:00 CEST in Berlin (25 hours of Berlin's wall clock
// later) and 17:00 MSK in Moscow, the 72 hours on Tuesday at 16:00 CEST /
// 17:00 MSK, with the same time left for both, before and after the
// change. Lev records the 24-hour notice to Roskomnadzor in Russian in
// time, and its printable document states times with their UTC offset;
// after 72 hours he records the investigation's results (sent in time)
// and Greta the GDPR notice, sent late: refused without the reasons for
// the delay, recorded with them, shown late to both. Ada, an
// administrator who is not on the case, finds nothing (the page is 404,
// the register empty) until she grants herself access from the
// register's link, which the case's timeline tells its owners.
func TestBrowser_BreachAcrossDST(t *testing.T) {
	chromiumPath(t)
	aware := time.Date(2027, 3, 27, 14, 0, 0, 0, time.UTC) // 15:00 CET, 17:00 MSK
	clock := testdb.NewClock(aware.Add(-30 * time.Minute))
	e := newHTTPEnvClock(t, web.Options{}, clock)
	ctx := context.Background()
	g, err := e.d.CreateGroup(desk.AsSystem(ctx), desk.GroupInput{Name: "Security", Line: desk.Line2, Security: true})
	if err != nil {
		t.Fatal(err)
	}
	greta := bootstrap(t, e, "greta@example.com", desk.RoleAgent, g.ID)
	lev := bootstrap(t, e, "lev@example.com", desk.RoleAgent, g.ID)
	ada := bootstrap(t, e, "ada@example.com", desk.RoleAdmin)
	for u, zone := range map[*desk.User]string{e.lena: "Europe/Berlin", greta: "Europe/Berlin", lev: "Europe/Moscow", ada: "Europe/Berlin"} {
		if _, err := e.d.SetUserPreferences(desk.WithActor(ctx, u), u.ID, desk.PreferencesPatch{TimeZone: &zone}); err != nil {
			t.Fatal(err)
		}
	}
	tk, _, err := e.d.CreateTicket(desk.WithActor(ctx, e.sam), desk.NewTicket{Type: desk.TypeIncident, Title: "My account sends spam",
		Description: "Colleagues get mail from me that I never wrote.", Channel: desk.ChannelPortal}, "")
	if err != nil {
		t.Fatal(err)
	}
	ticket, casePage := "/tickets/"+tk.Number, "/tickets/"+tk.Number+"/breach"

	bs := newBrowsers(t)
	s := &site{t: t, base: e.srv.URL}
	lena, gretaB, levB, adaB := bs.browser(s), bs.browser(s), bs.browser(s), bs.browser(s)
	people := map[*browser]string{lena: "lena@example.com", gretaB: "greta@example.com", levB: "lev@example.com", adaB: "ada@example.com"}
	signInAll := func() { // after the clock jumps past the sessions' idle limit
		for b, email := range people {
			b.signIn(email, pw)
		}
	}
	signInAll()
	levB.open("/")
	levB.submit("button[name=lang][value=ru]")

	// Line 1 marks it and loses sight of it.
	lena.open(ticket)
	lena.action("act-security")
	lena.fill("#security-reason", "The requester's account sends spam")
	lena.submit("#act-security button[type=submit]")
	if lena.page() != "security_marked" {
		t.Fatalf("after marking, line 1 is on %q", lena.page())
	}
	if lena.open(casePage); lena.page() != "error" {
		t.Errorf("line 1 opens the case page: %q", lena.page())
	}

	// Greta records awareness and regimes, the first with the keyboard only.
	clock.Set(aware.Add(30 * time.Minute))
	gretaB.open(casePage)
	gretaB.wantText("No deadline runs")
	eval[chromedp.Void](gretaB, "document.querySelector('#act-aware > summary').focus()")
	gretaB.key("\r")
	if !eval[bool](gretaB, "document.querySelector('#act-aware').open") {
		t.Fatal("Enter on the awareness summary does not open its form")
	}
	gretaB.fill("#aware-at", "2027-03-27T15:00")
	eval[chromedp.Void](gretaB, "document.querySelector('#aware-reason').focus()")
	for _, k := range "SOC alert" {
		gretaB.key(string(k))
	}
	eval[chromedp.Void](gretaB, "window.__before = true; document.querySelector('#aware-submit').focus()")
	gretaB.key("\r")
	gretaB.waitNewPage()
	gretaB.wantText("Awareness is recorded", "Mar 27, 2027, 15:00 CET", "SOC alert")
	gretaB.action("act-regime")
	gretaB.do("both regimes", chromedpClick("#regime-both"))
	gretaB.fill("#regime-reason", "Staff in Russia and the EU")
	gretaB.submit("#regime-submit")
	gretaB.wantText("The regimes are recorded.", "GDPR and 152-FZ")

	// She answers the template: the playbook shipped for personal data
	// breaches (bpl's panel on the case page), its first task done.
	gretaB.submit("#playbook-apply-submit")
	task := eval[string](gretaB, "(document.querySelector('button[id^=playbook-done-]') || {id: ''}).id")
	if task == "" {
		t.Fatalf("no playbook task to mark done on the case page:\n%s", gretaB.bodyText())
	}
	gretaB.submit("#" + task)
	if gretaB.page() != "security_case" || !strings.Contains(gretaB.text("#playbook-counts"), "1 of ") {
		t.Errorf("after the task is done: %q %s", gretaB.page(), gretaB.text("#playbook-counts"))
	}

	// The same instants in each one's zone, with the same time left.
	checkClocks := func(when string, left24, leftRu24 string) {
		t.Helper()
		gretaB.open(casePage)
		levB.open(casePage)
		gc, lc := breachClocks(gretaB), breachClocks(levB)
		want := map[string][3]string{ // due instant, Berlin, Moscow
			"152fz_first_24h":         {"2027-03-28T14:00:00Z", "Mar 28, 2027, 16:00 CEST", "28 мар. 2027, 17:00 MSK"},
			"gdpr_authority_72h":      {"2027-03-30T14:00:00Z", "Mar 30, 2027, 16:00 CEST", "30 мар. 2027, 17:00 MSK"},
			"152fz_investigation_72h": {"2027-03-30T14:00:00Z", "Mar 30, 2027, 16:00 CEST", "30 мар. 2027, 17:00 MSK"},
		}
		for kind, w := range want {
			g, l := gc[kind], lc[kind]
			if g.Datetime != w[0] || l.Datetime != w[0] || g.Text != w[1] || l.Text != w[2] {
				t.Errorf("%s, %s: Berlin %+v, Moscow %+v, want %v", when, kind, g, l, w)
			}
		}
		if g, l := gc["152fz_first_24h"], lc["152fz_first_24h"]; g.Left != left24 || l.Left != leftRu24 {
			t.Errorf("%s: time left Berlin %q, Moscow %q; want %q, %q", when, g.Left, l.Left, left24, leftRu24)
		}
	}
	checkClocks("before the change", "23 hours 30 minutes left", "осталось 23 часа 30 минут")
	gretaB.screenshot("before-dst-berlin")
	levB.screenshot("before-dst-moscow")
	levB.wantText("27 мар. 2027, 17:00 MSK")

	// Sunday 10:00 UTC: Berlin is on summer time (12:00 CEST), Moscow 13:00.
	clock.Set(aware.Add(20 * time.Hour))
	signInAll()
	checkClocks("after the change", "4 hours left", "осталось 4 часа")
	gretaB.screenshot("after-dst-berlin")

	// Lev records the 24-hour notice to Roskomnadzor in Russian, in time.
	first := recordNotice(levB, casePage, "152fz_first", "ru", "", map[string]string{"nature": "Взлом почтового ящика, рассылка спама",
		"causes": "Фишинговое письмо", "consequences": "Адреса контрагентов известны посторонним", "measures": "Пароль сброшен",
		"contact_name": "Лев Лебедев", "contact_details": "lev@example.com"})
	levB.fill("#send-at", "2027-03-28T12:30") // MSK: 09:30 UTC
	levB.choose("#send-via", "portal")
	levB.fill("#send-reference", "РКН-1")
	levB.submit("#send-submit")
	levB.wantText("Уведомление записано как направленное", "28 мар. 2027, 12:30 MSK", "соблюдён")
	levB.do("open the document", chromedp.Navigate(levB.base+first+"/document"), chromedp.WaitReady(chromedp.CSS("main")))
	if doc := levB.bodyText(); !strings.Contains(doc, "Направлено 2027-03-28 12:30 UTC+03:00") || !strings.Contains(doc, "2027-03-27 17:00 UTC+03:00") {
		t.Errorf("the document:\n%s", doc)
	}
	if font := eval[string](levB, "getComputedStyle(document.body).fontFamily"); !strings.Contains(font, "serif") {
		t.Errorf("the document's style was blocked (font %q): its hash in the CSP is wrong", font)
	}

	// Tuesday 15:00 UTC, an hour after the 72-hour deadlines.
	clock.Set(aware.Add(73 * time.Hour))
	signInAll()
	recordNotice(levB, casePage, "152fz_results", "ru", first, map[string]string{"results": "Пароль похищен фишинговым письмом"})
	levB.fill("#send-at", "2027-03-30T16:50") // MSK: 13:50 UTC, in time
	levB.choose("#send-via", "portal")
	levB.submit("#send-submit")
	levB.wantText("Уведомление записано как направленное")

	recordNotice(gretaB, casePage, "gdpr_authority", "en", "", map[string]string{"nature": "Mailbox takeover", "subject_categories": "staff",
		"subjects_approx": "40", "record_categories": "e-mail addresses", "records_approx": "300", "contact_name": "DPO",
		"contact_details": "dpo@example.com", "consequences": "Spam to contacts", "measures": "Password reset"})
	gretaB.wantText("The deadline has passed")
	gretaB.fill("#send-at", "2027-03-30T16:30") // CEST: 14:30 UTC, half an hour late
	gretaB.choose("#send-via", "email")
	gretaB.submit("#send-submit")
	gretaB.wantText("The notice is late (due Mar 30, 2027, 16:00 CEST): give the reasons for the delay.")
	if !gretaB.has("#send-delay[aria-invalid=true]") {
		t.Error("the reasons field is not marked invalid")
	}
	gretaB.fill("#send-delay", "The scope was known only after the gateway's logs were read")
	gretaB.submit("#send-submit")
	gretaB.wantText("The notice is recorded as sent", "Mar 30, 2027, 16:30 CEST")
	gretaB.open(casePage)
	if c := breachClocks(gretaB)["gdpr_authority_72h"]; c.State != "sent late" ||
		c.Left != "notice sent Mar 30, 2027, 16:30 CEST, 30 minutes after the deadline" {
		t.Errorf("Greta's GDPR clock: %+v", c)
	}
	levB.open(casePage)
	lc := breachClocks(levB)
	if c := lc["gdpr_authority_72h"]; c.State != "направлено с опозданием" || !strings.Contains(c.Left, "30 мар. 2027, 17:30 MSK") {
		t.Errorf("Lev's GDPR clock: %+v", c)
	}
	if c := lc["152fz_investigation_72h"]; c.State != "соблюдён" || !strings.Contains(c.Left, "30 мар. 2027, 16:50 MSK") {
		t.Errorf("Lev's investigation clock: %+v", c)
	}
	levB.screenshot("notices-moscow")

	// Ada, an administrator who is not on the case.
	if adaB.open(casePage); adaB.page() != "error" {
		t.Errorf("a non-member admin opens the case page: %q", adaB.page())
	}
	adaB.open("/security/register")
	adaB.wantText("No breach in the cases you see")
	adaB.do("follow the grant link", chromedpClick("#register-grant"))
	adaB.waitNewPage()
	adaB.fill("#sec-ticket", tk.Number)
	adaB.fill("#sec-reason", "Audit of the breach register")
	adaB.submit("form[action='/security/access'] button[type=submit]")
	adaB.open(casePage)
	adaB.wantText("Mar 30, 2027, 16:00 CEST", "you may read them")
	adaB.open("/security/register")
	adaB.wantText(tk.Number)
	levB.open(ticket)
	levB.wantText("Audit of the breach register")
}

// recordNotice prepares a notice of kind in lang on the case page (after
// the first notice at path first, if any), fills its draft and saves it,
// leaving b on the notice's page; it returns the notice's path.
func recordNotice(b *browser, casePage, kind, lang, first string, fields map[string]string) string {
	b.t.Helper()
	b.open(casePage)
	b.action("act-notice")
	b.choose("#notice-kind", kind)
	b.choose("#notice-lang", lang)
	if first != "" {
		b.choose("#notice-supplements", strings.TrimPrefix(first, "/breach/notices/"))
	}
	b.submit("#notice-submit")
	if b.page() != "security_notice" {
		b.t.Fatalf("preparing a %s notice led to %q: %s", kind, b.page(), b.bodyText())
	}
	path := eval[string](b, "location.pathname")
	for name, v := range fields {
		b.fill("#edit-"+name, v)
	}
	b.submit("#edit-submit")
	if b.has("#notice-missing") {
		b.t.Fatalf("the %s draft still lacks: %s", kind, b.text("#notice-missing"))
	}
	return path
}

// securityA11yPages sets up a security case on the served desk d (a
// security group, its member, a case with its breach record and two draft
// notices, one in each language) and returns the member's browser, signed
// in, with the case's pages for the accessibility test: the case page,
// a notice, the register, and a notice recorded as sent with mistakes.
func securityA11yPages(t *testing.T, d *desk3, bs *browserSet) (*browser, []a11yPage) {
	t.Helper()
	g := strconv.FormatInt(d.id(d.api("POST", "/api/v1/groups", map[string]any{"name": "Security", "line": 2})), 10)
	d.cli("security", "group", g) // only a security group's member may flag one through the API: the database directly
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte(pw+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	added := d.cli("user", "add", "--email", "sid@example.com", "--name", "Sid Secure", "--role", "agent", "--password-file", pwFile, "--token")
	out := strings.Split(strings.TrimSpace(added), "\n")
	d.cli("security", "member", g, userIDRE.FindStringSubmatch(added)[1])
	as := func(method, path string, body any) map[string]any { // the member's API calls
		admin := d.token
		d.token = out[len(out)-1]
		defer func() { d.token = admin }()
		return d.api(method, path, body)
	}
	tk := d.api("POST", "/api/v1/tickets", map[string]any{"type": "incident", "title": "My account sends spam", "channel": "portal",
		"requester": map[string]any{"email": "sam@example.com"}})
	num := tk["number"].(string)
	d.api("POST", "/api/v1/tickets/"+num+"/security", map[string]any{"reason": "account compromised"})
	base := "/api/v1/tickets/" + num + "/breach"
	as("PUT", base+"/awareness", map[string]any{"aware_at": time.Now().Add(-26 * time.Hour).Format(time.RFC3339), "reason": "SOC alert"})
	as("PUT", base+"/regime", map[string]any{"regime": "both", "reason": "staff in Russia and the EU"})
	ru := as("POST", base+"/notices", map[string]any{"kind": "152fz_first", "lang": "ru", "nature": "Взлом почтового ящика"})
	as("POST", base+"/notices", map[string]any{"kind": "gdpr_authority", "lang": "en", "nature": "Mailbox takeover"})
	notice := "/breach/notices/" + strconv.FormatInt(d.id(ru), 10)
	sec := bs.browser(d.site)
	sec.signIn("sid@example.com", pw)
	return sec, []a11yPage{
		{who: sec, path: "/tickets/" + num + "/breach"},
		{who: sec, path: notice},
		{who: sec, path: "/security/register"},
		{who: sec, path: notice + "#mistakes", open: func(b *browser) {
			b.open(notice)
			b.fill("#send-at", "")
			b.submit("#send-submit")
		}},
	}
}
