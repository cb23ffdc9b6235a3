package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
	"github.com/tierdesk/tierdesk/internal/web"
)

// caseEnv is a desk on a test clock with a security group (sid), an
// administrator who is not a member (ada), line 1 (lena) and a case lena
// marked from sam's report.
type caseEnv struct {
	*httpEnv
	clock          *testdb.Clock
	sid, ada       *desk.User
	sec, admin, l1 *client
	tk             *desk.Ticket
}

func newCaseEnv(t *testing.T, at time.Time) *caseEnv {
	t.Helper()
	clock := testdb.NewClock(at)
	e := &caseEnv{httpEnv: newHTTPEnvClock(t, web.Options{}, clock), clock: clock}
	ctx := context.Background()
	g, err := e.d.CreateGroup(desk.AsSystem(ctx), desk.GroupInput{Name: "Security", Line: desk.Line2, Security: true})
	if err != nil {
		t.Fatal(err)
	}
	e.ada = bootstrap(t, e.httpEnv, "ada@example.com", desk.RoleAdmin)
	e.sid = bootstrap(t, e.httpEnv, "sid@example.com", desk.RoleAgent, g.ID)
	e.sec, e.admin, e.l1 = e.client(), e.client(), e.client()
	e.sec.signIn("sid@example.com")
	e.admin.signIn("ada@example.com")
	e.l1.signIn("lena@example.com")
	e.tk, _, err = e.d.CreateTicket(desk.WithActor(ctx, e.sam), desk.NewTicket{Type: desk.TypeIncident,
		Title: "My account sends spam", Channel: desk.ChannelPortal}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.MarkSecurity(desk.WithActor(ctx, e.lena), e.tk.Number, desk.SecurityInput{Reason: "compromised"}); err != nil {
		t.Fatal(err)
	}
	return e
}

// form posts a form of page from c with the page's CSRF token.
func (c *client) form(page, action string, f url.Values) response {
	c.e.t.Helper()
	f.Set("csrf", c.csrf(page))
	return c.post(action, f)
}

var noticeLocRE = regexp.MustCompile(`^/breach/notices/(\d+)\?done=`)

// TestSecurityCase_Web: the security group's member records awareness and
// regimes on the case page, sees the clocks in their own zone with the
// time left by the desk's clock, prepares the 152-FZ notice in Russian,
// records it as sent, cannot edit it afterwards but makes a new version;
// a late notice needs the reasons for the delay; the document is a
// printable page of its own. Line 1 and an administrator who is not a
// member find none of it until the administrator grants themselves
// access, and then read it without the owners' forms.
func TestSecurityCase_Web(t *testing.T) {
	aware := time.Date(2027, 3, 27, 14, 0, 0, 0, time.UTC) // Saturday, the night before Berlin's clocks go forward
	e := newCaseEnv(t, aware.Add(2*time.Hour))
	page := "/tickets/" + e.tk.Number + "/breach"
	moscow := "Europe/Moscow"
	if _, err := e.d.SetUserPreferences(desk.WithActor(context.Background(), e.sid), e.sid.ID, desk.PreferencesPatch{TimeZone: &moscow}); err != nil {
		t.Fatal(err)
	}

	p := e.sec.get(page)
	if p.status != 200 || !strings.Contains(pageText(p.body), "No deadline runs") {
		t.Fatalf("the member's case page: %d\n%s", p.status, pageText(p.body))
	}
	if r := e.sec.post(page+"/awareness", url.Values{"aware_at": {"2027-03-27T17:00"}, "reason": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("a form without its CSRF token: %d", r.status)
	}
	// Awareness in the future and without a reason is refused by field.
	r := e.sec.form(page, page+"/awareness", url.Values{"aware_at": {"2027-03-28T10:00"}, "zone": {moscow}, "reason": {""}, "version": {"0"}})
	if text := pageText(r.body); r.status != 422 || !strings.Contains(text, "This cannot be in the future.") || !strings.Contains(text, "Please fill this in.") {
		t.Errorf("awareness in the future: %d\n%s", r.status, text)
	}
	// 17:00 in Moscow is 14:00 UTC.
	r = e.sec.form(page, page+"/awareness", url.Values{"aware_at": {"2027-03-27T17:00"}, "zone": {moscow}, "reason": {"SOC alert"}})
	if r.status != 303 {
		t.Fatalf("awareness: %d %s", r.status, pageText(r.body))
	}
	r = e.sec.form(page, page+"/regime", url.Values{"regime": {"both"}, "reason": {"staff in Russia and the EU"}})
	if r.status != 303 {
		t.Fatalf("regime: %d %s", r.status, pageText(r.body))
	}
	text := pageText(e.sec.get(page).body)
	for _, want := range []string{"Mar 27, 2027, 17:00 MSK", "GDPR and 152-FZ", "Mar 28, 2027, 17:00 MSK", "22 hours left", "Mar 30, 2027, 17:00 MSK",
		"2 days 22 hours left", "Europe/Moscow"} {
		if !strings.Contains(text, want) {
			t.Errorf("the case page lacks %q:\n%s", want, text)
		}
	}

	// The 152-FZ notice, in Russian.
	r = e.sec.form(page, page+"/notices", url.Values{"kind": {"152fz_first"}, "lang": {"ru"}})
	m := noticeLocRE.FindStringSubmatch(r.header.Get("Location"))
	if r.status != 303 || m == nil {
		t.Fatalf("create notice: %d %s", r.status, r.header.Get("Location"))
	}
	notice := "/breach/notices/" + m[1]
	if text := pageText(e.sec.get(notice).body); !strings.Contains(text, "Still to fill in before it is sent: The incident, Presumed causes") {
		t.Errorf("the draft does not say what is missing:\n%s", text)
	}
	r = e.sec.form(notice, notice+"/sending", url.Values{"sent_at": {"2027-03-27T19:00"}, "zone": {moscow}, "via": {"portal"}})
	if text := pageText(r.body); r.status != 422 || !strings.Contains(text, "The notice lacks what the law asks for") {
		t.Errorf("an incomplete notice sent: %d\n%s", r.status, text)
	}
	content := url.Values{"lang": {"ru"}, "nature": {"Фишинг, утечка адресов"}, "causes": {"Фишинговое письмо"},
		"consequences": {"Рассылка спама"}, "measures": {"Пароль сброшен"}, "contact_name": {"Иван Петров"}, "contact_details": {"dpo@example.com"}, "rev": {"0"}}
	if r = e.sec.form(notice, notice, content); r.status != 303 {
		t.Fatalf("save the draft: %d %s", r.status, pageText(r.body))
	}
	r = e.sec.form(notice, notice+"/sending", url.Values{"sent_at": {"2027-03-27T16:00"}, "zone": {moscow}, "via": {"portal"}})
	if text := pageText(r.body); r.status != 422 || !strings.Contains(text, "This cannot be before the organisation became aware") {
		t.Errorf("a notice dated before awareness: %d\n%s", r.status, text)
	}
	r = e.sec.form(notice, notice+"/sending", url.Values{"sent_at": {"2027-03-27T19:00"}, "zone": {moscow}, "via": {"portal"}, "reference": {"RKN-1"}})
	if r.status != 303 {
		t.Fatalf("send: %d %s", r.status, pageText(r.body))
	}
	text = pageText(e.sec.get(r.header.Get("Location")).body)
	if !strings.Contains(text, "The notice is recorded as sent") || !strings.Contains(text, "Mar 27, 2027, 19:00 MSK") || strings.Contains(text, "Save the draft") {
		t.Errorf("the sent notice's page:\n%s", text)
	}
	if r = e.sec.form(notice+"?x", notice, content); r.status != 422 || !strings.Contains(pageText(r.body), "make a new version") {
		t.Errorf("editing a sent notice: %d %s", r.status, pageText(r.body))
	}
	if text = pageText(e.sec.get(page).body); !strings.Contains(text, "notice sent Mar 27, 2027, 19:00 MSK, 22 hours before the deadline") {
		t.Errorf("the 24-hour clock is not met:\n%s", text)
	}
	doc := e.sec.get(notice + "/document")
	csp := doc.header.Get("Content-Security-Policy")
	if doc.status != 200 || !strings.Contains(csp, "style-src 'sha256-") || !strings.Contains(html.UnescapeString(doc.body), "Направлено 2027-03-27 19:00 UTC+03:00") ||
		!strings.Contains(doc.body, `lang="ru"`) {
		t.Errorf("the document: %d %s\n%s", doc.status, csp, doc.body)
	}
	if d := e.sec.get(notice + "/document?lang=en&format=text"); !strings.Contains(d.body, "Notice to Roskomnadzor") || !strings.Contains(d.body, "Фишинг") {
		t.Errorf("the document with English headings:\n%s", d.body)
	}
	r = e.sec.form(notice, notice+"/versions", url.Values{})
	if v := noticeLocRE.FindStringSubmatch(r.header.Get("Location")); r.status != 303 || v == nil || v[1] == m[1] {
		t.Errorf("new version: %d %s", r.status, r.header.Get("Location"))
	}

	// The GDPR notice after 72 hours is late: it needs its reasons.
	e.clock.Set(aware.Add(73 * time.Hour))
	e.sec.signIn("sid@example.com")
	r = e.sec.form(page, page+"/notices", url.Values{"kind": {"gdpr_authority"}, "lang": {"en"}})
	g := "/breach/notices/" + noticeLocRE.FindStringSubmatch(r.header.Get("Location"))[1]
	gdpr := url.Values{"lang": {"en"}, "nature": {"Account takeover"}, "subject_categories": {"staff"}, "subjects_approx": {"1 200"},
		"record_categories": {"e-mail"}, "records_approx": {"3000"}, "contact_name": {"DPO"}, "contact_details": {"dpo@example.com"},
		"consequences": {"spam"}, "measures": {"reset"}, "rev": {"0"}}
	if r = e.sec.form(g, g, gdpr); r.status != 303 {
		t.Fatalf("GDPR draft: %d %s", r.status, pageText(r.body))
	}
	if text = pageText(e.sec.get(g).body); !strings.Contains(text, "The deadline has passed") || !strings.Contains(text, "overdue by 1 hour") {
		t.Errorf("the late draft's page:\n%s", text)
	}
	r = e.sec.form(g, g+"/sending", url.Values{"sent_at": {"2027-03-30T17:30"}, "zone": {moscow}, "via": {"email"}})
	if text := pageText(r.body); r.status != 422 || !strings.Contains(text, "The notice is late (due Mar 30, 2027, 17:00 MSK)") {
		t.Errorf("a late notice without reasons: %d\n%s", r.status, text)
	}
	r = e.sec.form(g, g+"/sending", url.Values{"sent_at": {"2027-03-30T14:30"}, "zone": {"UTC"}, "via": {"email"},
		"delay_reasons": {"the scope was unknown until the logs were read"}})
	if r.status != 303 {
		t.Fatalf("late send: %d %s", r.status, pageText(r.body))
	}
	if text = pageText(e.sec.get(page).body); !strings.Contains(text, "notice sent Mar 30, 2027, 17:30 MSK, 30 minutes after the deadline") {
		t.Errorf("the GDPR clock is not late:\n%s", text)
	}

	// The register, on the page and as files, at the desk's clock.
	if text = pageText(e.sec.get("/security/register").body); !strings.Contains(text, e.tk.Number) {
		t.Errorf("the member's register lacks the case:\n%s", text)
	}
	j := e.sec.get("/security/register.json")
	var reg struct {
		GeneratedAt string `json:"generated_at"`
		Breaches    []struct{ Ticket string }
	}
	if err := json.Unmarshal([]byte(j.body), &reg); err != nil || reg.GeneratedAt != aware.Add(73*time.Hour).Format(time.RFC3339) ||
		len(reg.Breaches) != 1 || !strings.Contains(j.header.Get("Content-Disposition"), "breach-register-20270330.json") {
		t.Errorf("register JSON %v %+v %v", err, reg, j.header)
	}
	if c := e.sec.get("/security/register.csv"); !strings.HasPrefix(c.header.Get("Content-Type"), "text/csv") || !strings.Contains(c.body, e.tk.Number) {
		t.Errorf("register CSV %v\n%s", c.header, c.body)
	}

	// Nobody else finds any of it; the administrator grants themselves access.
	for name, c := range map[string]*client{"line 1": e.l1, "admin": e.admin} {
		c.signIn(map[string]string{"line 1": "lena@example.com", "admin": "ada@example.com"}[name])
		for _, path := range []string{page, notice, notice + "/document", g + "/document?format=text"} {
			if r := c.get(path); r.status != 404 || strings.Contains(r.body, "Фишинг") {
				t.Errorf("%s GET %s: %d", name, path, r.status)
			}
		}
		csrf := c.csrf("/settings")
		for path, f := range map[string]url.Values{page + "/awareness": {"aware_at": {"2027-03-27T10:00"}, "reason": {"x"}},
			page + "/regime": {"regime": {"none"}, "reason": {"x"}}, page + "/notices": {"kind": {"partners"}, "lang": {"en"}},
			notice + "/versions": {}, g + "/sending": {"sent_at": {"2027-03-30T10:00"}, "via": {"post"}}} {
			f.Set("csrf", csrf)
			if r := c.post(path, f); r.status != 404 {
				t.Errorf("%s POST %s: %d", name, path, r.status)
			}
		}
		reg := c.get("/security/register")
		if text := pageText(reg.body); reg.status != 200 || strings.Contains(text, e.tk.Number) || !strings.Contains(text, "No breach in the cases you see") {
			t.Errorf("%s's register: %d\n%s", name, reg.status, text)
		}
		if strings.Contains(reg.body, `href="/security/access"`) != (name == "admin") {
			t.Errorf("%s's register and the self-grant link", name)
		}
		if j := c.get("/security/register.json"); strings.Contains(j.body, e.tk.Number) {
			t.Errorf("%s's register file shows the case", name)
		}
	}
	if r := e.sam.ID; r == 0 {
		t.Fatal("no requester")
	}
	samc := e.client()
	samc.signIn("sam@example.com")
	for _, path := range []string{page, notice, "/security/register", "/security/register.csv"} {
		if r := samc.get(path); r.status != 404 {
			t.Errorf("the requester GET %s: %d", path, r.status)
		}
	}
	r = e.admin.form("/security/access?ticket="+e.tk.Number, "/security/access", url.Values{"ticket": {e.tk.Number}, "reason": {"audit"}})
	if r.status != 303 {
		t.Fatalf("grant: %d", r.status)
	}
	p = e.admin.get(page)
	if text := pageText(p.body); p.status != 200 || !strings.Contains(text, "you may read them") || strings.Contains(p.body, "/breach/awareness") {
		t.Errorf("the granted admin's case page: %d\n%s", p.status, text)
	}
	if r := e.admin.form(page, page+"/regime", url.Values{"regime": {"none"}, "reason": {"x"}}); r.status == 303 {
		t.Errorf("a reader changed the regimes")
	}
	if p = e.admin.get("/tickets/" + e.tk.Number); !strings.Contains(p.body, `href="`+page+`"`) {
		t.Errorf("the ticket page has no link to the breach record")
	}
}

// TestSecurityCase_AmbiguousLocalTime: a member in Berlin who types an
// awareness time that happens twice (02:30 on the night the clocks go
// back) is asked to give it in UTC; one the clocks skip is refused too;
// in UTC it is taken as typed.
func TestSecurityCase_AmbiguousLocalTime(t *testing.T) {
	e := newCaseEnv(t, time.Date(2026, 10, 26, 12, 0, 0, 0, time.UTC))
	berlin := "Europe/Berlin"
	if _, err := e.d.SetUserPreferences(desk.WithActor(context.Background(), e.sid), e.sid.ID, desk.PreferencesPatch{TimeZone: &berlin}); err != nil {
		t.Fatal(err)
	}
	page := "/tickets/" + e.tk.Number + "/breach"
	for raw, want := range map[string]string{"2026-10-25T02:30": "happens twice in Europe/Berlin", "2026-03-29T02:30": "does not exist in Europe/Berlin"} {
		r := e.sec.form(page, page+"/awareness", url.Values{"aware_at": {raw}, "zone": {berlin}, "reason": {"SOC"}})
		if text := pageText(r.body); r.status != 422 || !strings.Contains(text, want) {
			t.Errorf("%s: %d\n%s", raw, r.status, text)
		}
	}
	r := e.sec.form(page, page+"/awareness", url.Values{"aware_at": {"2026-10-25T01:30"}, "zone": {"UTC"}, "reason": {"SOC"}})
	if r.status != 303 {
		t.Fatalf("in UTC: %d %s", r.status, pageText(r.body))
	}
	_, st, err := e.d.BreachCaseOf(desk.WithActor(context.Background(), e.sid), e.tk.Number)
	if err != nil || st.Case.AwareAt == nil || !st.Case.AwareAt.Equal(time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC)) {
		t.Errorf("awareness %v %v", st, err)
	}
	if text := pageText(e.sec.get(page).body); !strings.Contains(text, "Oct 25, 2026, 02:30 CET") {
		t.Errorf("the page does not show the second 02:30 (CET):\n%s", text)
	}
}

// TestSecurityCase_DecideNotToNotify: the data subjects' notice may be
// replaced by the decision not to notify them, with its Art. 34(3) ground
// and reason (both required); the decision is kept like a sent notice.
func TestSecurityCase_DecideNotToNotify(t *testing.T) {
	aware := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	e := newCaseEnv(t, aware.Add(3*time.Hour))
	ctx := desk.WithActor(context.Background(), e.sid)
	if _, err := e.d.SetBreachAwareness(ctx, e.tk.Number, desk.BreachAwarenessInput{AwareAt: aware, Reason: "SOC"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.SetBreachRegime(ctx, e.tk.Number, desk.BreachRegimeInput{Regime: "gdpr", Reason: "EU staff"}); err != nil {
		t.Fatal(err)
	}
	page := "/tickets/" + e.tk.Number + "/breach"
	r := e.sec.form(page, page+"/notices", url.Values{"kind": {"gdpr_subjects"}, "lang": {"en"}})
	m := noticeLocRE.FindStringSubmatch(r.header.Get("Location"))
	if m == nil {
		t.Fatalf("create: %d %s", r.status, pageText(r.body))
	}
	notice := "/breach/notices/" + m[1]
	if r = e.sec.form(notice, notice+"/decision", url.Values{"sent_at": {"2026-12-01T11:00"}}); r.status != 422 ||
		!strings.Contains(pageText(r.body), "Please fill this in.") {
		t.Errorf("a decision without its ground: %d %s", r.status, pageText(r.body))
	}
	r = e.sec.form(notice, notice+"/decision", url.Values{"sent_at": {"2026-12-01T11:00"}, "not_notify_ground": {"protected"}})
	if r.status != 422 || !strings.Contains(pageText(r.body), "Please fill this in.") {
		t.Errorf("a decision without its reason: %d %s", r.status, pageText(r.body))
	}
	r = e.sec.form(notice, notice+"/decision", url.Values{"sent_at": {"2026-12-01T11:00"}, "not_notify_ground": {"protected"},
		"not_notify_reason": {"the laptop's disk was encrypted"}})
	if r.status != 303 {
		t.Fatalf("decision: %d %s", r.status, pageText(r.body))
	}
	text := pageText(e.sec.get(r.header.Get("Location")).body)
	for _, want := range []string{"The decision not to notify is recorded.", "decided not to notify", "(a) the data were unintelligible",
		"the laptop's disk was encrypted", "Make a new version"} {
		if !strings.Contains(text, want) {
			t.Errorf("the decided notice's page lacks %q:\n%s", want, text)
		}
	}
	if d := e.sec.get(notice + "/document?format=text"); !strings.Contains(d.body, "Decision not to communicate") {
		t.Errorf("the decision's document:\n%s", d.body)
	}
}

// TestSecurityCase_MissedDeadlineInLists: a regulatory deadline missed is
// shown wherever the case is listed for the security group (the console's
// queue and the Tickets page, in both languages), not only on its pages;
// before the deadline, nothing is.
func TestSecurityCase_MissedDeadlineInLists(t *testing.T) {
	aware := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	e := newCaseEnv(t, aware.Add(time.Hour))
	ctx := desk.WithActor(context.Background(), e.sid)
	if _, err := e.d.SetBreachAwareness(ctx, e.tk.Number, desk.BreachAwarenessInput{AwareAt: aware, Reason: "SOC"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.SetBreachRegime(ctx, e.tk.Number, desk.BreachRegimeInput{Regime: "gdpr", Reason: "EU staff"}); err != nil {
		t.Fatal(err)
	}
	lists := []string{"/console", "/tickets"}
	words := map[string]string{"en": "regulatory deadline missed", "ru": "нарушен срок уведомления регулятора"}
	for _, path := range lists {
		if b := e.sec.get(path).body; !strings.Contains(b, e.tk.Number) || strings.Contains(b, "breach-missed-badge") {
			t.Errorf("%s before the deadline: listed %v, badge %v", path, strings.Contains(b, e.tk.Number), strings.Contains(b, "breach-missed-badge"))
		}
	}
	e.clock.Advance(72 * time.Hour) // 73 h after awareness: the GDPR notice is overdue
	e.sec.signIn("sid@example.com") // the sessions idled out meanwhile
	e.l1.signIn("lena@example.com")
	for _, path := range lists {
		for lang, w := range words {
			p := e.sec.get(path, "Accept-Language", lang)
			if p.status != 200 || !strings.Contains(p.body, w) {
				t.Errorf("%s (%s) after the deadline: %d, lacks %q", path, lang, p.status, w)
			}
		}
		if b := e.l1.get(path).body; strings.Contains(b, e.tk.Number) {
			t.Errorf("%s shows the case to line 1", path)
		}
	}
}

// TestSecurityCase_TimelineTimesInViewersFormat: a change of the time of
// awareness is history recorded as RFC 3339 text; the timeline words it as
// every other time on the page (the viewer's format and zone), never the
// stored text.
func TestSecurityCase_TimelineTimesInViewersFormat(t *testing.T) {
	aware := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	e := newCaseEnv(t, aware.Add(3*time.Hour))
	ctx := desk.WithActor(context.Background(), e.sid)
	if _, err := e.d.SetBreachAwareness(ctx, e.tk.Number, desk.BreachAwarenessInput{AwareAt: aware, Reason: "SOC"}); err != nil {
		t.Fatal(err)
	}
	text := pageText(e.sec.get("/tickets/" + e.tk.Number).body)
	if strings.Contains(text, "2026-12-01T09:00:00Z") || !strings.Contains(text, "Dec 1, 2026, 09:00") {
		t.Errorf("the timeline's awareness change is not in the viewer's format:\n%s", text)
	}
}
