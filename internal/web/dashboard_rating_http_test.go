package web_test

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// resolvedTicket registers a ticket as sam, has lena work and resolve it
// (a first response in time) and returns it.
func (e *httpEnv) resolvedTicket(title string) *desk.Ticket {
	e.t.Helper()
	ctx := context.Background()
	tk, _, err := e.d.CreateTicket(desk.WithActor(ctx, e.sam), desk.NewTicket{Type: desk.TypeIncident,
		Title: title, Description: "It broke.", Channel: desk.ChannelPortal}, "")
	if err != nil {
		e.t.Fatal(err)
	}
	as := desk.WithActor(ctx, e.lena)
	for _, in := range []desk.TransitionInput{{To: desk.StateAssigned}, {To: desk.StateInProgress},
		{To: desk.StateResolved, ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: "Fixed."}} {
		if tk, err = e.d.Transition(as, tk.Number, in); err != nil {
			e.t.Fatalf("%s to %s: %v", title, in.To, err)
		}
	}
	return tk
}

// TestWeb_DashboardFiguresOnceMetAndRated: once a ticket met its response
// target and two were rated, the dashboard prints the percentages and the
// average as numbers in each language (it printed %!f(*float64=0x…)).
func TestWeb_DashboardFiguresOnceMetAndRated(t *testing.T) {
	e := newHTTPEnv(t, web.Options{Location: time.UTC})
	for i, score := range []int{4, 5} {
		tk := e.resolvedTicket("Printer " + strconv.Itoa(i))
		if _, err := e.d.RateTicket(desk.WithActor(context.Background(), e.sam), tk.Number, desk.RatingInput{Score: score}); err != nil {
			t.Fatal(err)
		}
	}
	lena := e.client()
	lena.signIn("lena@example.com")
	for lang, avg := range map[string]string{"en": "4.5", "ru": "4,5"} {
		body := lena.get("/console/dashboard", "Accept-Language", lang).body
		for _, bad := range []string{"%!", "0x", "<nil>"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: the dashboard shows %q", lang, bad)
			}
		}
		if !regexp.MustCompile(`<td>100% <span class="muted">`).MatchString(body) {
			t.Errorf("%s: no 100%% response on time on the dashboard", lang)
		}
		if !strings.Contains(body, `<dd id="promise-1h">100% `) || !strings.Contains(body, `<dd id="promise-3h">100% `) {
			t.Errorf("%s: the promise does not show both first responses in time", lang)
		}
		// Two tickets were resolved: the mean time to resolve is a duration, not "—".
		if i := strings.Index(body, `<dd id="promise-resolve">`); i < 0 || strings.HasPrefix(body[i+len(`<dd id="promise-resolve">`):], "—") {
			t.Errorf("%s: the promise shows no mean time to resolve", lang)
		}
		if !strings.Contains(body, "<td>"+avg+"</td>") {
			t.Errorf("%s: the average rating is not shown as %s", lang, avg)
		}
	}
}

// TestWeb_RatingBoxStartsEmpty: the requester's rating box of a resolved,
// unrated ticket starts empty, and sending a score alone stores no comment
// (it started with "<nil>", which was stored).
func TestWeb_RatingBoxStartsEmpty(t *testing.T) {
	e := newHTTPEnv(t, web.Options{Location: time.UTC})
	tk := e.resolvedTicket("Mouse")
	sam := e.client()
	sam.signIn("sam@example.com")
	path := "/tickets/" + tk.Number
	page := sam.get(path).body
	m := regexp.MustCompile(`(?s)<textarea id="rate-comment"[^>]*>(.*?)</textarea>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no rating box on the requester's page")
	}
	if strings.TrimSpace(m[1]) != "" {
		t.Errorf("the rating comment starts with %q", m[1])
	}
	if strings.Contains(page, "&lt;nil&gt;") || strings.Contains(page, "<nil>") {
		t.Error("the page shows <nil>")
	}
	form := url.Values{"csrf": {csrfRE.FindStringSubmatch(page)[1]}, "version": {strconv.Itoa(tk.Version)},
		"score": {"4"}, "comment": {html.UnescapeString(m[1])}}
	if r := sam.post(path+"/rate", form); r.status != 303 {
		t.Fatalf("rating answered %d", r.status)
	}
	r, err := e.d.TicketRating(desk.WithActor(context.Background(), e.sam), tk.Number)
	if err != nil {
		t.Fatal(err)
	}
	if r.Score != 4 || r.Comment != "" {
		t.Errorf("stored rating %d %q, want 4 with no comment", r.Score, r.Comment)
	}
	if r.GroupName == "" {
		t.Error("the rating does not name its group")
	}
}
