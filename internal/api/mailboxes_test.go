package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// TestMailboxes_Health: administrators read the health of the polled
// mailboxes (failures, backoff, refused messages with their senders);
// agents may not, since it names addresses.
func TestMailboxes_Health(t *testing.T) {
	e := newEnv(t)
	if got := decode[mailboxListJSON](t, e.admin.get("/api/v1/mailboxes").want(t, http.StatusOK)); len(got.Mailboxes) != 0 {
		t.Errorf("no mailboxes polled: %+v", got)
	}
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	e.desk.WatchMailboxes(func() []desk.MailboxHealth {
		return []desk.MailboxHealth{{Mailbox: "support@imap.example.com:993/INBOX", LastPoll: at, Failures: 2,
			LastError: "imap login as support: NO [AUTHENTICATIONFAILED]", RetryAt: at.Add(4 * time.Minute),
			Refused:     map[string]int64{"too_large": 1},
			LastRefused: []desk.RefusedMail{{At: at, UID: 7, From: "big@example.com", Reason: "too_large", Detail: "30000000 bytes"}}}}
	})
	got := decode[mailboxListJSON](t, e.admin.get("/api/v1/mailboxes").want(t, http.StatusOK))
	if len(got.Mailboxes) != 1 || got.Mailboxes[0].Failures != 2 || got.Mailboxes[0].LastRefused[0].From != "big@example.com" {
		t.Errorf("mailboxes %+v", got)
	}
	e.agent.get("/api/v1/mailboxes").want(t, http.StatusForbidden)
}
