package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// ticketsEnv is an HTTP env with a few tickets and a second agent of
// Lena's group (otto) and one of another group (nick).
type ticketsEnv struct {
	*httpEnv
	ctx     context.Context
	tickets map[string]*desk.Ticket // by title
	otto    *desk.User
	nick    *desk.User
}

func newTicketsEnv(t *testing.T) *ticketsEnv {
	t.Helper()
	e := &ticketsEnv{httpEnv: newHTTPEnv(t, web.Options{}), tickets: map[string]*desk.Ticket{}}
	e.ctx = desk.WithActor(context.Background(), e.lena)
	sys := desk.AsSystem(context.Background())
	net, err := e.d.CreateGroup(sys, desk.GroupInput{Name: "Network", Line: desk.Line2})
	if err != nil {
		t.Fatal(err)
	}
	e.otto = e.staff(t, "otto@example.com", "Otto", 1)
	e.nick = e.staff(t, "nick@example.com", "Nick", net.ID)
	for _, tk := range []struct {
		title string
		ch    desk.Channel
	}{{"VPN drops every hour", desk.ChannelPhone}, {"VPN slow", desk.ChannelEmail}, {"Printer jam", desk.ChannelPhone}} {
		e.tickets[tk.title] = e.ticket(t, tk.title, tk.ch)
	}
	return e
}

func (e *ticketsEnv) staff(t *testing.T, email, name string, group int64) *desk.User {
	t.Helper()
	sys := desk.AsSystem(context.Background())
	u, err := e.d.CreateUser(sys, desk.UserInput{Email: email, Name: name, Role: desk.RoleAgent})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.d.SetGroupMember(sys, group, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := e.d.SetPassword(sys, u.ID, pw); err != nil {
		t.Fatal(err)
	}
	return u
}

func (e *ticketsEnv) ticket(t *testing.T, title string, ch desk.Channel) *desk.Ticket {
	t.Helper()
	tk, _, err := e.d.CreateTicket(e.ctx, desk.NewTicket{Type: desk.TypeIncident, Title: title, Channel: ch,
		Requester: desk.PersonInput{Email: "sam@example.com"}, Impact: desk.LevelLow, Urgency: desk.LevelLow}, "")
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

var numberRE = regexp.MustCompile(`<a href="/tickets/((?:INC|REQ)-\d+)">`)

// listed returns the numbers of the result rows of a Tickets page.
func listed(body string) []string {
	i := strings.Index(body, `id="results"`)
	if i < 0 {
		return nil
	}
	body = body[i:]
	body = body[:strings.Index(body, "</table>")]
	var out []string
	for _, m := range numberRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestWeb_TicketsSearch: search and filters narrow the list, pages follow
// by keyset, bad values are refused by their fields (422, never 5xx), and
// the page is staff's only.
func TestWeb_TicketsSearch(t *testing.T) {
	e := newTicketsEnv(t)
	l := e.client()
	l.signIn("lena@example.com")
	p := l.get("/tickets")
	if p.status != http.StatusOK || len(listed(p.body)) != 3 || !strings.Contains(p.body, "3 tickets found") {
		t.Fatalf("the page: %d %v", p.status, listed(p.body))
	}
	drops := e.tickets["VPN drops every hour"].Number
	for query, want := range map[string][]string{
		"q=vpn&channel=phone":          {drops},
		"q=vpn&sort=created":           {drops, e.tickets["VPN slow"].Number},
		"channel=email":                {e.tickets["VPN slow"].Number},
		"state=open&priority=P4&q=jam": {e.tickets["Printer jam"].Number},
		"assignee=me":                  nil,
		"assignee=none&requester=sam@example.com&q=printer": {e.tickets["Printer jam"].Number},
		"state=resolved": nil,
		"line=2":         nil,
	} {
		p := l.get("/tickets?" + query)
		if got := listed(p.body); p.status != http.StatusOK || strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %d %v, want %v", query, p.status, got, want)
		}
	}
	p = l.get("/tickets?q=vpn&columns=number&columns=channel&columns=title")
	if !strings.Contains(p.body, `<th scope="col">Channel</th>`) || strings.Contains(p.body, `<th scope="col">Team</th>`) {
		t.Errorf("chosen columns not shown")
	}
	for query, field := range map[string]string{
		"state=lost": "state", "channel=fax": "channel", "priority=P0": "priority", "type=bug": "type",
		"line=7": "line", "group=9999": "group", "group=x": "group", "category=5000": "category",
		"service=-1": "service", "assignee=bob": "assignee", "requester=nobody@example.com": "requester",
		"requester=bob": "requester", "created_from=yesterday": "created_from", "updated_to=2026-13-45": "updated_to",
		"created_from=2026-05-02&created_to=2026-05-01": "created_to", "due=forever": "due", "due=999999": "due",
		"sort=title": "sort", "columns=password": "columns", "q=" + strings.Repeat("x", 501): "q",
	} {
		p := l.get("/tickets?" + query)
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="`+field+`-error"`) {
			t.Errorf("%s: status %d, no error by %s", query, p.status, field)
		}
	}
	if p := l.get("/tickets?after=garbage"); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `class="form-error"`) {
		t.Errorf("a garbage cursor: %d", p.status)
	}
	if p := l.get("/tickets?ref=" + drops); p.status != http.StatusSeeOther || p.header.Get("Location") != "/tickets/"+drops {
		t.Errorf("go to: %d %s", p.status, p.header.Get("Location"))
	}
	s := e.client()
	s.signIn("sam@example.com")
	if p := s.get("/tickets"); p.status != http.StatusNotFound {
		t.Errorf("a requester opens the Tickets page: %d", p.status)
	}
	if p := s.get("/tickets/export.csv"); p.status != http.StatusNotFound {
		t.Errorf("a requester exports: %d", p.status)
	}
}

// TestWeb_TicketsPages: 50 a page, "show more" continues after the last
// row without repeats; the total counts every match.
func TestWeb_TicketsPages(t *testing.T) {
	e := newTicketsEnv(t)
	for i := range 52 {
		e.ticket(t, fmt.Sprintf("Bulk %d", i), desk.ChannelPortal)
	}
	l := e.client()
	l.signIn("lena@example.com")
	p := l.get("/tickets?channel=portal&sort=created")
	first := listed(p.body)
	m := regexp.MustCompile(`<a href="(/tickets\?[^"]+)" rel="next">`).FindStringSubmatch(p.body)
	if len(first) != 50 || m == nil || !strings.Contains(p.body, "52 tickets found") {
		t.Fatalf("first page %d rows, next %v", len(first), m)
	}
	p = l.get(strings.ReplaceAll(m[1], "&amp;", "&"))
	second := listed(p.body)
	if len(second) != 2 || second[0] == first[49] || strings.Contains(p.body, `rel="next"`) {
		t.Errorf("second page %v after %s", second, first[49])
	}
}

// TestWeb_TicketsExport: the CSV holds every ticket of the filter in the
// columns chosen, headed in the user's language; bad filters are 422.
func TestWeb_TicketsExport(t *testing.T) {
	e := newTicketsEnv(t)
	l := e.client()
	l.signIn("lena@example.com")
	p := l.get("/tickets/export.csv?q=vpn&columns=number&columns=title&sort=created")
	if p.status != http.StatusOK || !strings.HasPrefix(p.header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(p.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %v", p.status, p.header)
	}
	rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
	if err != nil || len(rows) != 3 || strings.Join(rows[0], ",") != "Number,Title" || rows[1][1] != "VPN drops every hour" {
		t.Errorf("rows %q %v", rows, err)
	}
	p = l.get("/tickets/export.csv?q=vpn", "Accept-Language", "ru")
	if rows, _ := csv.NewReader(strings.NewReader(p.body)).ReadAll(); len(rows) != 3 || rows[0][0] != "Номер" {
		t.Errorf("Russian export header %q", rows)
	}
	if p := l.get("/tickets/export.csv?channel=fax"); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="channel-error"`) {
		t.Errorf("a bad filter exported: %d", p.status)
	}
}

// TestWeb_TicketsSavedFilters: save the search shown, share it with my
// group, a member runs it but may not change it, the owner renames,
// unshares and deletes it.
func TestWeb_TicketsSavedFilters(t *testing.T) {
	e := newTicketsEnv(t)
	l := e.client()
	l.signIn("lena@example.com")
	page := l.get("/tickets?q=vpn&channel=phone")
	csrf := csrfRE.FindStringSubmatch(page.body)[1]
	save := func(c *client, name string, shared ...string) response {
		return c.post("/ticket-filters", url.Values{"csrf": {csrf}, "query": {"q=vpn&channel=phone&columns=number&columns=title"},
			"name": {name}, "shared_with": shared, "form": {"save"}})
	}
	p := save(l, "Phone VPN", "1")
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/tickets?filter=") {
		t.Fatalf("save: %d %s", p.status, p.body)
	}
	at := p.header.Get("Location")
	id := strings.TrimSuffix(strings.TrimPrefix(at, "/tickets?filter="), "&done=filter_saved")
	p = l.get(at)
	if got := listed(p.body); len(got) != 1 || !strings.Contains(p.body, "The search is saved.") ||
		!strings.Contains(p.body, `value="vpn"`) || !strings.Contains(p.body, `id="change-filter"`) {
		t.Errorf("the saved filter's page: %v", got)
	}
	if p := save(l, "phone vpn", "1"); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="name-error"`) {
		t.Errorf("a taken name: %d", p.status)
	}
	if p := save(l, "Shared elsewhere", "999"); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="shared_with-error"`) {
		t.Errorf("sharing with a group I am not in: %d", p.status)
	}
	if p := l.post("/ticket-filters", url.Values{"name": {"No token"}, "query": {"q=x"}}); p.status != http.StatusForbidden {
		t.Errorf("without the CSRF token: %d", p.status)
	}

	o := e.client()
	o.signIn("otto@example.com")
	p = o.get("/tickets")
	if !strings.Contains(p.body, `href="/tickets?filter=`+id+`"`) || !strings.Contains(p.body, "by Lena") {
		t.Errorf("otto does not see Lena's shared filter")
	}
	p = o.get("/tickets?filter=" + id)
	if len(listed(p.body)) != 1 || strings.Contains(p.body, `id="change-filter"`) {
		t.Errorf("otto runs it: %v, change form shown %v", listed(p.body), strings.Contains(p.body, `id="change-filter"`))
	}
	ocsrf := csrfRE.FindStringSubmatch(p.body)[1]
	if p := o.post("/ticket-filters/"+id, url.Values{"csrf": {ocsrf}, "name": {"Mine now"}, "form": {"change"}}); p.status != http.StatusForbidden {
		t.Errorf("otto renames Lena's filter: %d", p.status)
	}
	if p := o.post("/ticket-filters/"+id+"/delete", url.Values{"csrf": {ocsrf}}); p.status != http.StatusForbidden {
		t.Errorf("otto deletes Lena's filter: %d", p.status)
	}
	n := e.client()
	n.signIn("nick@example.com")
	if p := n.get("/tickets?filter=" + id); p.status != http.StatusNotFound {
		t.Errorf("nick (another group) opens it: %d", p.status)
	}

	p = l.post("/ticket-filters/"+id, url.Values{"csrf": {csrf}, "name": {"Phone VPN (mine)"}, "form": {"change"},
		"query": {"q=vpn"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("rename: %d %s", p.status, p.body)
	}
	if f, err := e.d.SavedFilter(e.ctx, mustInt(t, id)); err != nil || f.Name != "Phone VPN (mine)" || len(f.SharedWith) != 0 ||
		len(f.Filter.Channels) != 1 {
		t.Errorf("renamed and unshared, search kept: %+v %v", f, err)
	}
	if p := o.get("/tickets?filter=" + id); p.status != http.StatusNotFound {
		t.Errorf("otto opens it after unsharing: %d", p.status)
	}
	if p := l.post("/ticket-filters/"+id+"/delete", url.Values{"csrf": {csrf}}); p.status != http.StatusSeeOther {
		t.Errorf("delete: %d", p.status)
	}
	if p := l.get("/tickets?filter=" + id); p.status != http.StatusNotFound {
		t.Errorf("a deleted filter opens: %d", p.status)
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestWeb_TicketsBulk: a bulk action reports per ticket what was done and
// what was refused (a stale row, a closed ticket); bad input is refused by
// its field before anything changes.
func TestWeb_TicketsBulk(t *testing.T) {
	e := newTicketsEnv(t)
	l := e.client()
	l.signIn("lena@example.com")
	csrf := csrfRE.FindStringSubmatch(l.get("/tickets").body)[1]
	a, b, c := e.tickets["VPN drops every hour"], e.tickets["VPN slow"], e.tickets["Printer jam"]
	sel := func(ts ...*desk.Ticket) []string {
		var out []string
		for _, t := range ts {
			out = append(out, fmt.Sprintf("%s:%d", t.Number, t.Version))
		}
		return out
	}
	bulk := func(form url.Values) response {
		form.Set("csrf", csrf)
		form.Set("back", "q=vpn")
		return l.post("/tickets/bulk", form)
	}
	stale := sel(c)
	stale[0] = c.Number + ":99"
	p := bulk(url.Values{"action": {"assign"}, "assignee": {"me"}, "t": append(sel(a, b), stale...)})
	if p.status != http.StatusOK || !strings.Contains(p.body, "2 of 3 done") || !strings.Contains(p.body, `class="refused"`) {
		t.Fatalf("assign: %d %s", p.status, p.body[strings.Index(p.body, "<main"):])
	}
	if got, _ := e.d.Ticket(e.ctx, a.Number); got.Assignee == nil || got.Assignee.ID != e.lena.ID {
		t.Errorf("a not assigned: %+v", got.Assignee)
	}
	if got, _ := e.d.Ticket(e.ctx, c.Number); got.Assignee != nil {
		t.Errorf("the stale row was changed")
	}
	p = bulk(url.Values{"action": {"comment"}, "body": {"Looking into it"}, "internal": {"1"}, "t": {a.Number, c.Number}})
	if !strings.Contains(p.body, "2 of 2 done") {
		t.Errorf("comment: %d", p.status)
	}
	for name, form := range map[string]url.Values{
		"t":        {"action": {"comment"}, "body": {"x"}},
		"action":   {"action": {"explode"}, "t": {a.Number}},
		"body":     {"action": {"comment"}, "t": {a.Number}},
		"reason":   {"action": {"group"}, "group": {"1"}, "t": {a.Number}},
		"parent":   {"action": {"parent"}, "t": {a.Number}},
		"category": {"action": {"category"}, "category": {"777"}, "t": {a.Number}},
		"into":     {"action": {"merge"}, "into": {"INC-999999"}, "t": {a.Number, b.Number}},
	} {
		if p := bulk(form); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="`+name+`-error"`) {
			t.Errorf("%s: %d", name, p.status)
		}
	}
	p = bulk(url.Values{"action": {"parent"}, "parent": {c.Number}, "t": {a.Number, b.Number, c.Number}})
	if !strings.Contains(p.body, "2 of 3 done") {
		t.Errorf("link to a parent (itself refused): %s", p.body)
	}
}
