package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// Administrators see the health of the polled mailboxes — failures, the
// next try, refused messages with their senders — in their language;
// agents may not open the page.
func TestWeb_AdminMailboxes(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	ctx := context.Background()
	admin, _, err := e.d.Bootstrap(ctx, desk.UserInput{Email: "ada@example.com", Name: "Ada", Role: desk.RoleAdmin}, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.d.SetPassword(desk.AsSystem(ctx), admin.ID, pw); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.signIn("ada@example.com")
	if p := c.get("/admin/mailboxes", "Accept-Language", "ru"); p.status != 200 || !strings.Contains(pageText(p.body), "Этот сервер не проверяет ни одного почтового ящика") {
		t.Fatalf("no mailboxes: %d\n%s", p.status, pageText(p.body))
	}
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	e.d.WatchMailboxes(func() []desk.MailboxHealth {
		return []desk.MailboxHealth{{Mailbox: "support@imap.example.com:993/INBOX", LastPoll: at, Failures: 3,
			LastError: "imap login as support: NO [AUTHENTICATIONFAILED]", RetryAt: at.Add(8 * time.Minute),
			Refused:     map[string]int64{"too_large": 1},
			LastRefused: []desk.RefusedMail{{At: at, UID: 7, From: "big@example.com", Subject: "Скан <договора>", Reason: "too_large", Detail: "30000000 bytes"}}}}
	})
	p := c.get("/admin/mailboxes", "Accept-Language", "ru")
	text := pageText(p.body)
	for _, want := range []string{"support@imap.example.com:993/INBOX", "Неудачные проверки подряд", "3: imap login as support: NO [AUTHENTICATIONFAILED]",
		"письмо слишком большое: 1", "big@example.com", "Скан <договора>", "Следующая попытка"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page does not show %q:\n%s", want, text)
		}
	}
	if strings.Contains(p.body, "<договора>") {
		t.Error("a subject became markup")
	}
	lena := e.client()
	lena.signIn("lena@example.com")
	if p := lena.get("/admin/mailboxes"); p.status != 403 {
		t.Errorf("an agent opened the page: %d", p.status)
	}
}
