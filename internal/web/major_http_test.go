package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/statuspage"
	"github.com/tierdesk/tierdesk/internal/testdb"
	"github.com/tierdesk/tierdesk/internal/web"
)

// newMajorEnv is a web server with major incidents and a status page over
// a real SQLite desk: Sam (requester), Lena (agent), Ada (admin), and a
// mail service.
func newMajorEnv(t *testing.T) (*httpEnv, *desk.Service) {
	t.Helper()
	st := testdb.SQLite(t)
	d := desk.New(st, desk.SystemClock{}, desk.DefaultConfig)
	h, err := web.New(d, nil, web.Options{Majors: major.New(d, st, st, desk.SystemClock{}, major.DefaultConfig),
		StatusPage: statuspage.New(d, st, st, desk.SystemClock{}, "", nil)})
	if err != nil {
		t.Fatal(err)
	}
	e := &httpEnv{t: t, d: d, st: st, srv: httptest.NewServer(h)}
	t.Cleanup(e.srv.Close)
	ctx := context.Background()
	e.sam, _, _ = d.Bootstrap(ctx, desk.UserInput{Email: "sam@example.com", Name: "Sam", Role: desk.RoleRequester}, false)
	e.lena, _, _ = d.Bootstrap(ctx, desk.UserInput{Email: "lena@example.com", Name: "Lena", Role: desk.RoleAgent}, false, 1)
	ada, _, err := d.Bootstrap(ctx, desk.UserInput{Email: "ada@example.com", Name: "Ada", Role: desk.RoleAdmin}, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []*desk.User{e.sam, e.lena, ada} {
		if err := d.SetPassword(desk.AsSystem(ctx), u.ID, pw); err != nil {
			t.Fatal(err)
		}
	}
	svc, err := d.CreateService(desk.WithActor(ctx, ada), desk.ServiceInput{Name: "Mail"})
	if err != nil {
		t.Fatal(err)
	}
	return e, svc
}

// TestWeb_MajorIncidentFlow drives the console's major-incident pages
// with forms: declaring from an incident with 20 children ticked in one
// action (commander required), a refused update, resolving with the
// children, the review gate refusing the close until the review is
// published; a requester reaches none of it, and an agent reads the
// status page's administration without its forms.
func TestWeb_MajorIncidentFlow(t *testing.T) {
	e, svc := newMajorEnv(t)
	lenaCtx := desk.WithActor(context.Background(), e.lena)
	var numbers []string
	for i := range 21 {
		tk, _, err := e.d.CreateTicket(lenaCtx, desk.NewTicket{Type: desk.TypeIncident, Title: fmt.Sprintf("Mail down %d", i),
			Channel: desk.ChannelPhone, Requester: desk.PersonInput{Email: fmt.Sprintf("user%d@example.com", i)}, ServiceID: svc.ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		numbers = append(numbers, tk.Number)
	}
	lena, sam := e.client(), e.client()
	lena.signIn("lena@example.com")
	sam.signIn("sam@example.com")

	if p := lena.get("/tickets/" + numbers[0]); !strings.Contains(p.body, `href="/major/new?ticket=`+numbers[0]+`"`) {
		t.Fatalf("the incident page offers no declaration: %d", p.status)
	}
	form := lena.get("/major/new?ticket=" + numbers[0])
	for _, n := range numbers[1:] {
		if !strings.Contains(form.body, `value="`+n+`"`) {
			t.Fatalf("the declaration does not offer %s", n)
		}
	}
	csrf := csrfRE.FindStringSubmatch(form.body)[1]
	declare := url.Values{"csrf": {csrf}, "ticket": {numbers[0]}, "children": numbers[1:], "cadence_minutes": {"30"}}
	if p := lena.post("/major", declare); p.status != 422 || !strings.Contains(p.body, `id="declare.commander-error"`) {
		t.Fatalf("a declaration without commander: %d", p.status)
	}
	declare.Set("commander_id", fmt.Sprint(e.lena.ID))
	p := lena.post("/major", declare)
	if p.status != 303 || !strings.HasPrefix(p.header.Get("Location"), "/major/1") {
		t.Fatalf("declare: %d %s", p.status, p.header.Get("Location"))
	}
	page := lena.get("/major/1")
	if !strings.Contains(page.body, "20 child incidents") || !strings.Contains(page.body, "Lena") {
		t.Fatalf("the major incident page does not show its 20 children")
	}
	// The update form proposes the next update after the cadence chosen, in minutes.
	if !regexp.MustCompile(`name="next_in_minutes"[^>]* value="30"`).MatchString(page.body) {
		t.Errorf("the update form does not propose the 30-minute cadence")
	}
	for _, path := range []string{"/major", "/major/1", "/major/new?ticket=" + numbers[0], "/admin/status"} {
		if r := sam.get(path); r.status != 404 {
			t.Errorf("a requester on %s: %d", path, r.status)
		}
	}
	if r := sam.post("/major/1/updates", url.Values{"csrf": {sam.csrf("/my")}, "affected": {"x"}, "doing": {"y"}}); r.status != 404 {
		t.Errorf("a requester posting an update: %d", r.status)
	}
	if r := lena.post("/major/1/updates", url.Values{"csrf": {csrf}, "doing": {"Restarting"}}); r.status != 422 ||
		!strings.Contains(r.body, `id="update.affected-error"`) {
		t.Errorf("an update without what is affected: %d", r.status)
	}
	r := lena.post("/major/1/resolve", url.Values{"csrf": {csrf}, "resolution_code": {"solved"}, "resolution_notes": {"Relay replaced."}, "children": {"1"}})
	if r.status != 303 {
		t.Fatalf("resolve: %d", r.status)
	}
	for _, n := range numbers {
		if tk, err := e.d.Ticket(lenaCtx, n); err != nil || tk.State != desk.StateResolved {
			t.Errorf("%s after resolving with the children: %v %v", n, tk.State, err)
		}
	}
	if r := lena.post("/major/1/close", url.Values{"csrf": {csrf}}); r.status != 409 || !strings.Contains(r.body, "closes once its post-incident review is published") {
		t.Fatalf("closing before the review is published: %d", r.status)
	}
	for _, move := range []string{"in_review", "published"} {
		rv := lena.get("/major/1/review")
		version := regexpValue(rv.body, "version")
		if r := lena.post("/major/1/review", url.Values{"csrf": {csrf}, "version": {version}, "summary": {"Relay failed."},
			"causes": {"Disk full."}, "went_well": {""}, "went_badly": {""}, "move": {move}}); r.status != 303 {
			t.Fatalf("review to %s: %d", move, r.status)
		}
	}
	if r := lena.post("/major/1/close", url.Values{"csrf": {csrf}}); r.status != 303 {
		t.Fatalf("closing after the review is published: %d", r.status)
	}
	if md := lena.get("/major/1/review.md"); md.status != 200 || !strings.Contains(md.body, "## Contributing causes\n\nDisk full.") {
		t.Errorf("the Markdown export: %d\n%s", md.status, md.body)
	}
	lena.post("/language", url.Values{"csrf": {csrf}, "lang": {"ru"}, "back": {"/major/1/review"}})
	if md := lena.get("/major/1/review.md"); md.status != 200 || !strings.Contains(md.body, "## Причины\n\nDisk full.") ||
		!strings.Contains(md.body, "объявлен крупный инцидент по заявке") || strings.Contains(md.body, "declared") {
		t.Errorf("the Markdown export in Russian: %d\n%s", md.status, md.body)
	}
	if rv := lena.get("/major/1/review"); !strings.Contains(rv.body, "объявлен крупный инцидент по заявке") {
		t.Errorf("the review page in Russian words its timeline in English: %d", rv.status)
	}
	lena.post("/language", url.Values{"csrf": {csrf}, "lang": {"en"}, "back": {"/major/1/review"}})

	admin := lena.get("/admin/status")
	if admin.status != 200 || strings.Contains(admin.body, `action="/admin/status/components"`) {
		t.Errorf("an agent on the status page's administration: %d, offered the component form", admin.status)
	}
	if r := lena.post("/admin/status/components", url.Values{"csrf": {csrf}, "name": {"Mail"}}); r.status != 403 {
		t.Errorf("an agent adding a component: %d", r.status)
	}
	ada := e.client()
	ada.signIn("ada@example.com")
	if r := ada.post("/admin/status/components", url.Values{"csrf": {ada.csrf("/admin/status")}, "name": {"Mail"}, "group": {"Communication"}}); r.status != 303 {
		t.Errorf("an administrator adding a component: %d", r.status)
	}
	if !strings.Contains(ada.get("/admin/status").body, "Communication") {
		t.Errorf("the component's group is not shown")
	}
}

// regexpValue reads the value of the hidden input name from a page.
func regexpValue(body, name string) string {
	i := strings.Index(body, `name="`+name+`" value="`)
	if i < 0 {
		return ""
	}
	rest := body[i+len(`name="`+name+`" value="`):]
	return rest[:strings.IndexByte(rest, '"')]
}
