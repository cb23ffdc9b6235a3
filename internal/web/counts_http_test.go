package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// TestWeb_CountsCapped: every page that shows a count of tickets says, in
// English and Russian, when the count stopped at the desk's cap (here 3,
// 1,000 by default) instead of counting a desk of millions: the Tickets
// page, the console's queue "mine", a saved filter, the dashboard's "mine"
// and the portal's open tickets; while the queues of one's groups are
// counted exactly from the counters, beyond the cap. One ticket fewer and
// the same pages show exact counts.
func TestWeb_CountsCapped(t *testing.T) {
	cfg := desk.DefaultConfig
	cfg.CountCap = 3
	e := newHTTPEnvConfig(t, web.Options{}, desk.SystemClock{}, cfg)
	ctx := desk.WithActor(context.Background(), e.lena)
	sam := desk.WithActor(context.Background(), e.sam)
	var last *desk.Ticket
	for i := range 4 {
		tk, _, err := e.d.CreateTicket(sam, desk.NewTicket{Type: desk.TypeIncident, Title: fmt.Sprintf("Printer %d jams", i),
			Channel: desk.ChannelPortal, Impact: desk.LevelLow, Urgency: desk.LevelLow}, "")
		if err != nil {
			t.Fatal(err)
		}
		if last, err = e.d.Take(ctx, tk.Number, 0); err != nil {
			t.Fatal(err)
		}
	}
	sf, err := e.d.CreateSavedFilter(ctx, desk.SavedFilterInput{Name: "Mine", Filter: desk.FilterSpec{AssignedToMe: true, States: desk.OpenStates}})
	if err != nil {
		t.Fatal(err)
	}
	staff, requester := e.client(), e.client()
	staff.signIn("lena@example.com")
	requester.signIn("sam@example.com")
	capped := []struct {
		c        *client
		path, id string
		en, ru   string
	}{
		{staff, "/tickets?state=open", "tickets-count", "3+ tickets found (counting stops there)", "Найдено 3 или больше заявок (подсчёт остановлен)"},
		{staff, "/console/queues/mine", "queue-count", "3+ tickets (counting stops there)", "3 или больше заявок (подсчёт остановлен)"},
		{staff, fmt.Sprintf("/console/filters/%d", sf.ID), "queue-count", "3+ tickets (counting stops there)", "3 или больше заявок (подсчёт остановлен)"},
		{requester, "/my", "", "You have 3+ open tickets (counting stops there).", "У вас 3 или больше открытых заявок (точнее не подсчитывается)."},
	}
	for _, c := range capped {
		for lang, want := range map[string]string{"en": c.en, "ru": c.ru} {
			p := c.c.get(c.path, "Accept-Language", lang)
			if text := pageText(p.body); p.status != 200 || !strings.Contains(text, want) {
				t.Errorf("%s (%s): %d, want %q in\n%s", c.path, lang, p.status, want, text)
			}
		}
	}
	// The queue of Lena's groups is exact beyond the cap: four tickets.
	if text := pageText(staff.get("/console/queues/groups").body); !strings.Contains(text, "4 tickets ·") {
		t.Errorf("the groups queue is not counted exactly:\n%s", text)
	}
	dash := staff.get("/console/dashboard").body
	if !strings.Contains(dash, `title="Counting stops here: more tickets match">3+</span>`) ||
		!strings.Contains(dash, `<span class="n">4</span>`) {
		t.Errorf("the dashboard's queues: mine should be 3+ (capped) and groups 4:\n%s", dash)
	}

	// One ticket fewer: every count is exact.
	if _, err := e.d.Transition(ctx, last.Number, desk.TransitionInput{To: desk.StateCanceled, Reason: "duplicate", IfVersion: last.Version}); err != nil {
		t.Fatal(err)
	}
	for _, c := range capped {
		text := pageText(c.c.get(c.path).body)
		if strings.Contains(text, "3+") || !strings.Contains(text, "3 ") {
			t.Errorf("%s with three tickets: want an exact 3 in\n%s", c.path, text)
		}
	}
}
