package web_test

import (
	"strings"
	"testing"
	"time"
)

// TestBrowser_ConsoleQueue: an agent lands on their teams' queue, most
// urgent deadline first; a breached ticket's countdown is red and says it
// is late; j/k move through the rows and Enter opens the ticket, with the
// keyboard only.
func TestBrowser_ConsoleQueue(t *testing.T) {
	s := newSite(t)
	s.user("lena@example.com", "Lena Lineone", "agent", pw, 1)
	ticket := s.phoneTicket
	low := ticket("Font too small", "low", "low", time.Now())                                     // P4: 3 business hours to respond
	late := ticket("Payments down since the morning", "high", "high", time.Now().Add(-time.Hour)) // P1: 15 minutes, round the clock: breached
	mid := ticket("Slow reports", "high", "medium", time.Now())                                   // P2: 1 business hour

	b := newBrowsers(t).browser(s)
	b.signIn("lena@example.com", pw)
	if b.page() != "console_queue" {
		t.Fatalf("staff land on %q, want the console's queue", b.page())
	}
	rows := eval[[]string](b, "[...document.querySelectorAll('#queue tbody tr td:first-child a')].map(a => a.textContent)")
	if strings.Join(rows, " ") != late+" "+mid+" "+low {
		t.Fatalf("queue order %v, want %s (breached) %s %s", rows, late, mid, low)
	}
	first := "#queue tbody tr:first-child .countdown"
	if !b.has(first+".late") || !strings.Contains(b.text(first), "late") {
		t.Errorf("the breached ticket's countdown reads %q without the late mark", b.text(first))
	}
	if color := eval[string](b, "getComputedStyle(document.querySelector('"+first+"')).color"); color != "rgb(164, 14, 38)" {
		t.Errorf("the breached countdown is %s, want red", color)
	}
	if second := b.text("#queue tbody tr:nth-child(2) .countdown"); !strings.HasPrefix(second, "in ") {
		t.Errorf("a running countdown reads %q", second)
	}
	b.screenshot("queue")

	b.key("j")
	b.key("j")
	b.key("k")
	focused := eval[string](b, "document.activeElement.textContent")
	if focused != late || !b.has("#queue tbody tr:first-child.selected") {
		t.Fatalf("after j j k the focus is on %q, want %s", focused, late)
	}
	b.key("j")
	eval[bool](b, "window.__before = true")
	b.key("\r")
	b.waitNewPage()
	if b.page() != "agent_ticket" || !strings.Contains(b.bodyText(), mid) {
		t.Fatalf("Enter on the second row opened %q", b.page())
	}

	b.open("/console/queues/breached")
	if got := eval[int](b, "document.querySelectorAll('#queue tbody tr').length"); got != 1 {
		t.Errorf("the breached queue has %d rows, want 1", got)
	}
}

// TestBrowser_Dashboard: the dashboard's charts render with titles and
// their numbers as text, in English and in Russian.
func TestBrowser_Dashboard(t *testing.T) {
	s := newSite(t)
	s.user("lena@example.com", "Lena Lineone", "agent", pw, 1)
	for i, level := range []string{"high", "medium", "medium"} {
		s.api("POST", "/api/v1/tickets", map[string]any{"type": "incident", "title": "Ticket " + string(rune('A'+i)), "channel": "phone",
			"requester": map[string]any{"email": "sam@example.com"}, "impact": level, "urgency": level})
	}
	b := newBrowsers(t).browser(s)
	b.signIn("lena@example.com", pw)
	b.open("/console/dashboard")
	if b.page() != "console_dashboard" {
		t.Fatalf("page %q", b.page())
	}
	if n := eval[int](b, "document.querySelectorAll('figure.chart svg[role=img] title').length"); n != 4 {
		t.Errorf("%d titled charts, want 4", n)
	}
	if d := eval[string](b, "document.querySelector('#chart-priority desc').textContent"); !strings.Contains(d, "P1: 1") || !strings.Contains(d, "P3: 2") {
		t.Errorf("the priority chart describes itself as %q", d)
	}
	if w := eval[float64](b, "document.querySelector('#chart-priority rect:nth-of-type(3)').getBBox().width"); w < 200 {
		t.Errorf("the largest bar is %v wide", w)
	}
	b.wantText("Open tickets by priority", "Turnaround targets met", "Unassigned in my teams")
	b.screenshot("dashboard")

	b.submit("button[name=lang][value=ru]")
	b.open("/console/dashboard")
	b.wantText("Открытые заявки по приоритету", "Соблюдение сроков", "Сегодня")
	b.screenshot("dashboard-ru")
	b.open("/console")
	b.wantText("Мои группы", "3 заявки", "Клавиши")
	b.screenshot("queue-ru")
}
