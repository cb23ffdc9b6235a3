package web_test

// Browser tests of major incidents and the status page (issue 15), on the
// real binary with a real SMTP server capturing what it sends.

import (
	"database/sql"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/emersion/go-smtp"
	"github.com/jhillyerd/enmime/v2"
	_ "modernc.org/sqlite"

	"github.com/tierdesk/tierdesk/internal/langcheck"
	"github.com/tierdesk/tierdesk/internal/testbin"
)

// mailbox is an SMTP server on 127.0.0.1:0 that keeps every message.
type mailbox struct {
	addr string
	mu   sync.Mutex
	msgs []*mailMsg
}

type mailMsg struct {
	To      []string
	Subject string
	Text    string
}

type mailboxSession struct {
	box *mailbox
	to  []string
}

func (s *mailboxSession) Reset()                               { s.to = nil }
func (s *mailboxSession) Logout() error                        { return nil }
func (s *mailboxSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *mailboxSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *mailboxSession) Data(r io.Reader) error {
	env, err := enmime.ReadEnvelope(r)
	if err != nil {
		return err
	}
	s.box.mu.Lock()
	s.box.msgs = append(s.box.msgs, &mailMsg{To: s.to, Subject: env.GetHeader("Subject"), Text: env.Text})
	s.box.mu.Unlock()
	return nil
}

func newMailbox(t *testing.T) *mailbox {
	t.Helper()
	box := &mailbox{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailboxSession{box: box}, nil }))
	srv.Domain = "mx.test"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	box.addr = l.Addr().String()
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return box
}

// await waits up to 20 s for a message to addr whose subject has subject.
func (m *mailbox) await(t *testing.T, addr, subject string) *mailMsg {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		m.mu.Lock()
		for _, msg := range m.msgs {
			if strings.Contains(strings.Join(msg.To, ","), addr) && strings.Contains(msg.Subject, subject) {
				m.mu.Unlock()
				return msg
			}
		}
		m.mu.Unlock()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var seen []string
	for _, msg := range m.msgs {
		seen = append(seen, fmt.Sprintf("%v %q", msg.To, msg.Subject))
	}
	t.Fatalf("no mail to %s about %q within 20 s; got %v", addr, subject, seen)
	return nil
}

// majorSite is a site whose binary sends mail to box and looks at update
// cadences every second.
func majorSite(t *testing.T, box *mailbox) *site {
	t.Helper()
	s := &site{t: t, bin: testbin.Build(t), data: t.TempDir()}
	out := s.cli("user", "add", "--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin", "--token")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	s.token = lines[len(lines)-1]
	args := []string{"--data", s.data, "--major-poll", "1s", "--sla-poll", "1s"}
	if box != nil {
		args = append(args, "--smtp-relay", box.addr, "--smtp-relay-tls", "none", "--smtp-relay-poll", "200ms",
			"--mail-from", "desk@desk.example.com")
	}
	s.base = testbin.Serve(t, s.bin, testbin.CleanEnv(), args...)
	return s
}

// incidents registers n incidents on service svc (titles "<title> i").
func (s *site) incidents(n int, svc int64, title string) []string {
	s.t.Helper()
	var out []string
	for i := range n {
		tk := s.api("POST", "/api/v1/tickets", map[string]any{"type": "incident", "title": fmt.Sprintf("%s %d", title, i),
			"channel": "phone", "service_id": svc, "requester": map[string]any{"email": fmt.Sprintf("user%d@example.com", i),
				"name": fmt.Sprintf("User %d", i)}})
		out = append(out, tk["number"].(string))
	}
	return out
}

// TestBrowser_MajorDeclareAttach20: from an incident's page an agent
// declares a major incident with the button's key, names the commander,
// ticks all twenty other open incidents of the service at once, and the
// major incident's page shows them as its children.
func TestBrowser_MajorDeclareAttach20(t *testing.T) {
	s := majorSite(t, nil)
	olga := s.user("olga@example.com", "Olga Commander", "agent", pw, 1)
	svc := s.id(s.api("POST", "/api/v1/services", map[string]any{"name": "E-mail"}))
	numbers := s.incidents(21, svc, "Mail down for user")

	b := newBrowsers(t).browser(s)
	b.signIn("olga@example.com", pw)
	b.open("/tickets/" + numbers[0])
	eval[bool](b, "window.__before = true")
	b.key("d")
	b.waitNewPage()
	if b.page() != "major_new" {
		t.Fatalf("the key d led to %s", b.page())
	}
	b.wantText("Declare a major incident", "20 open incidents of the same service belong to no major incident.")
	b.choose("#commander", "") // the form offers the agent; without a commander it is refused
	b.submit("#major-declare-go")
	if !b.has("[id='declare.commander-error']") {
		t.Fatalf("declared without a commander:\n%s", b.bodyText())
	}
	b.choose("#commander", fmt.Sprint(olga))
	b.do("select all", chromedp.Click(chromedp.CSS("#declare-all")))
	if n := eval[int](b, "document.querySelectorAll('input[name=children]:checked').length"); n != 20 {
		t.Fatalf("select all ticked %d incidents, want 20", n)
	}
	b.screenshot("declare")
	b.submit("#major-declare-go")
	if b.page() != "major" {
		t.Fatalf("after declaring: %s\n%s", b.page(), b.bodyText())
	}
	b.wantText("The major incident is declared.", "20 child incidents", "Olga Commander", numbers[20])
	for _, n := range numbers[1:] {
		if !b.has("#major-children a[href='/tickets/" + n + "']") {
			t.Errorf("%s is not a child", n)
		}
	}
	b.screenshot("major")
}

// TestBrowser_MajorMissedUpdatePagesCommander: the public update of a
// major incident falls due unposted (the database's clock is moved, as
// a harness fast-forwards time); the server's sweep pages the commander's
// group, whose policy pages the commander: the commander sees the page on
// the on-call page and acknowledges it, the major incident's timeline
// says the update was missed and who is paged, and the commander's mail
// says so.
func TestBrowser_MajorMissedUpdatePagesCommander(t *testing.T) {
	box := newMailbox(t)
	s := majorSite(t, box)
	ops := s.id(s.api("POST", "/api/v1/groups", map[string]any{"name": "Operations", "line": 2}))
	olga := s.user("olga@example.com", "Olga Commander", "agent", pw, ops)
	s.api("PUT", fmt.Sprintf("/api/v1/groups/%d/escalation-policy", ops), map[string]any{"name": "Ops on-call", "repeat": 1,
		"priorities": []string{"P1"}, "steps": []any{map[string]any{"user_ids": []int64{olga}, "delay_minutes": 5}}})
	svc := s.id(s.api("POST", "/api/v1/services", map[string]any{"name": "E-mail"}))
	parent := s.incidents(1, svc, "Mail relay down")[0]
	s.api("POST", "/api/v1/tickets/"+parent+"/major-incident", map[string]any{"commander_id": olga, "cadence_minutes": 30})

	// Thirty minutes pass without an update.
	db, err := sql.Open("sqlite", "file:"+s.data+"/tierdesk.db?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("UPDATE major_incidents SET next_update_due = ? WHERE id = 1", time.Now().Add(-time.Minute).UnixMicro()); err != nil {
		t.Fatal(err)
	}

	b := newBrowsers(t).browser(s)
	b.signIn("olga@example.com", pw)
	ack := "tr[data-ticket='" + parent + "'] form[action='/oncall/acknowledge'] button"
	for i := 0; ; i++ {
		b.open("/oncall")
		if b.has(ack) {
			break
		}
		if i == 40 {
			t.Fatalf("the commander is not paged for %s within 20 s:\n%s", parent, b.bodyText())
		}
		time.Sleep(500 * time.Millisecond)
	}
	b.screenshot("paged")
	b.submit(ack)
	b.wantText("Page acknowledged")
	b.open("/major/1")
	b.wantText("was missed; paging by the escalation policy Ops on-call", "overdue")
	b.screenshot("timeline")
	mail := box.await(t, "olga@example.com", "Public update missed")
	if !strings.Contains(mail.Text, "The on-call escalation of your group is being paged.") {
		t.Errorf("the commander's mail:\n%s", mail.Text)
	}
}

// TestBrowser_MajorPublishToSubscriber: a visitor subscribes on the public
// status page, confirms from the mail, and receives the notice when an
// agent publishes the major incident with public wording: the notice
// says what the agent wrote for the public and nothing internal.
func TestBrowser_MajorPublishToSubscriber(t *testing.T) {
	box := newMailbox(t)
	s := majorSite(t, box)
	s.user("olga@example.com", "Olga Commander", "agent", pw, 1)
	svc := s.id(s.api("POST", "/api/v1/services", map[string]any{"name": "E-mail"}))
	comp := s.id(s.api("POST", "/api/v1/status-components", map[string]any{"name": "Mail delivery", "group": "Communication",
		"service_ids": []int64{svc}}))
	parent := s.incidents(1, svc, "Relay mx2 disk full at Dmitry's desk")[0]
	s.api("POST", "/api/v1/tickets/"+parent+"/major-incident", map[string]any{"commander_id": 1})

	bs := newBrowsers(t)
	visitor := bs.browser(s)
	visitor.do("open /status", chromedp.Navigate(s.base+"/status"), chromedp.WaitVisible(chromedp.CSS("#sub-email")))
	visitor.fill("#sub-email", "reader@partner.example")
	visitor.do("subscribe", chromedp.Click(chromedp.CSS("form[action='/status/subscribe'] button")),
		chromedp.WaitVisible(chromedp.CSS("body")))
	confirm := box.await(t, "reader@partner.example", "Confirm your subscription")
	i := strings.Index(confirm.Text, "/status/confirm/")
	if i < 0 {
		t.Fatalf("no confirmation link:\n%s", confirm.Text)
	}
	link := strings.Fields(confirm.Text[i:])[0]
	visitor.do("confirm", chromedp.Navigate(s.base+link), chromedp.WaitVisible(chromedp.CSS("form button")),
		chromedp.Click(chromedp.CSS("form button")), chromedp.WaitVisible(chromedp.CSS("body")))

	agent := bs.browser(s)
	agent.signIn("olga@example.com", pw)
	agent.open("/major/1")
	agent.key("p")
	agent.fill("#status-name", "Mail is delayed")
	agent.fill("#status-body", "Some messages arrive up to an hour late. We are moving mail to a second server.")
	agent.do("tick the component", chromedp.Click(chromedp.CSS(fmt.Sprintf("#status-comp-%d", comp))))
	agent.screenshot("publish")
	agent.submit("#status-go")
	agent.wantText("The status page is updated.", "On the status page as “Mail is delayed”")
	notice := box.await(t, "reader@partner.example", "Mail is delayed")
	if !strings.Contains(notice.Text, "Some messages arrive up to an hour late.") {
		t.Errorf("the notice lacks the public wording:\n%s", notice.Text)
	}
	for _, internal := range []string{"Dmitry", "mx2", "Olga", parent} {
		if strings.Contains(notice.Subject+notice.Text, internal) {
			t.Errorf("the notice leaks %q:\n%s", internal, notice.Text)
		}
	}
}

// TestBrowser_StatusPageRussianPhone: the public status page, read in
// Russian on a 360 px wide phone, has no horizontal scroll, text of a
// readable size, and no English besides what was written for the page.
func TestBrowser_StatusPageRussianPhone(t *testing.T) {
	s := majorSite(t, nil)
	svc := s.id(s.api("POST", "/api/v1/services", map[string]any{"name": "Почта"}))
	comp := s.id(s.api("POST", "/api/v1/status-components", map[string]any{"name": "Почта и календари сотрудников офиса на Тверской",
		"group": "Коммуникации", "service_ids": []int64{svc}}))
	s.api("POST", "/api/v1/status-components", map[string]any{"name": "Портал", "status": "degraded_performance"})
	parent := s.incidents(1, svc, "Почта")[0]
	s.api("POST", "/api/v1/tickets/"+parent+"/major-incident", map[string]any{"commander_id": 1})
	s.api("POST", "/api/v1/major-incidents/1/status-incident", map[string]any{"name": "Задерживается доставка почты",
		"status": "identified", "body": "Часть писем приходит с опозданием до часа; переключаем отправку на резервный сервер.",
		"components": map[string]string{fmt.Sprint(comp): "partial_outage"}})

	b := newBrowsers(t).browser(s)
	b.do("phone", chromedp.EmulateViewport(360, 740))
	if _, err := chromedp.Call(b.ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
		Headers: network.Headers{"Accept-Language": "ru-RU,ru;q=0.9"}}); err != nil {
		t.Fatal(err)
	}
	var text string
	for i := 0; ; i++ { // the page is served from a snapshot refreshed on change
		b.do("open /status", chromedp.Navigate(s.base+"/status"), chromedp.WaitVisible(chromedp.CSS("body")))
		if text = b.bodyText(); strings.Contains(text, "Задерживается доставка почты") || i == 20 {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	b.screenshot("status-ru-360")
	if lang := eval[string](b, "document.documentElement.lang"); lang != "ru" {
		t.Errorf("the page's language is %q", lang)
	}
	for _, want := range []string{"Задерживается доставка почты", "Причина найдена", "Частичный сбой", "Подпис"} {
		if !strings.Contains(text, want) {
			t.Errorf("the Russian page lacks %q:\n%s", want, text)
		}
	}
	if w := langcheck.LatinWords(text, "Tierdesk"); len(w) > 0 {
		t.Errorf("English on the Russian page: %v\n%s", w, text)
	}
	// A word is never broken across lines (as "Сегодня" once was, under the uptime bars).
	broken := eval[string](b, `[...document.querySelectorAll('body *')].filter(e => e.children.length === 0 && e.offsetParent !== null && /^\S+$/.test(e.textContent.trim()) && (() => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length > 1; })()).map(e => e.textContent.trim()).join(', ')`)
	if broken != "" {
		t.Errorf("words broken across lines: %s", broken)
	}
	if sw := eval[int](b, "document.documentElement.scrollWidth"); sw > 360 {
		t.Errorf("the page is %d px wide at 360 px: it scrolls sideways", sw)
	}
	small := eval[string](b, `[...document.querySelectorAll('body *')].filter(e => e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && e.offsetParent !== null && parseFloat(getComputedStyle(e).fontSize) < 12).map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 40)).join('; ')`)
	if small != "" {
		t.Errorf("text smaller than 12 px: %s", small)
	}
}

// TestBrowser_MajorReviewGate: a major incident resolved from its page
// cannot be closed
// while its review is a draft; once the review is written, sent for review
// and published in the editor, it closes.
func TestBrowser_MajorReviewGate(t *testing.T) {
	s := majorSite(t, nil)
	s.user("olga@example.com", "Olga Commander", "agent", pw, 1)
	svc := s.id(s.api("POST", "/api/v1/services", map[string]any{"name": "E-mail"}))
	parent := s.incidents(1, svc, "Mail relay down")[0]
	s.api("POST", "/api/v1/tickets/"+parent+"/major-incident", map[string]any{"commander_id": 1})

	b := newBrowsers(t).browser(s)
	b.signIn("olga@example.com", pw)
	b.open("/major/1")
	b.key("r")
	b.fill("#resolve-notes", "The relay's disk was cleaned.")
	b.submit("#resolve-go")
	b.wantText("The major incident is resolved; its review is a draft.")
	b.wantText("The major incident closes once its post-incident review is published.")
	b.submit("#major-close")
	b.wantText("The major incident closes once its post-incident review is published.")
	if got := b.text("#major-state"); got != "resolved" {
		t.Fatalf("closed before the review was published: %q", got)
	}
	b.open("/major/1/review")
	b.wantText("Post-incident review of", "draft", "Customer impact", "Key moments")
	b.fill("#review-causes", "The relay's disk filled with logs.")
	b.submit("#review-move-in_review")
	b.wantText("The review is saved.", "in review")
	b.submit("#review-move-published")
	b.wantText("published")
	b.screenshot("review")
	b.open("/major/1")
	b.submit("#major-close")
	b.wantText("The major incident is closed.")
	if got := b.text("#major-state"); got != "closed" {
		t.Errorf("after publishing the review the major incident is %q", got)
	}
}
