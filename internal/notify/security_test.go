package notify_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestWorker_SecurityCaseSuppressesQueuedMail: mail queued about a ticket
// before it was marked a security case (the new ticket's notice to line 1,
// a comment to its requester) is not delivered once it is one: over a
// real SMTP server only the security group's "a security case was opened"
// goes out, naming the number and nothing of its content.
func TestWorker_SecurityCaseSuppressesQueuedMail(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		sys := desk.AsSystem(context.Background())
		g, err := f.d.CreateGroup(sys, desk.GroupInput{Name: "Security", Line: desk.Line2, Security: true})
		must(t, err)
		sid := f.user("sid@example.com", desk.RoleAgent)
		must(t, f.d.SetGroupMember(sys, g.ID, sid.ID, true))
		const word = "zanzibarquux"
		tk, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: "Account sends spam " + word,
			Channel: desk.ChannelPhone, Requester: desk.PersonInput{Email: "sam@example.com"}}, "")
		must(t, err)
		_, _, err = f.d.Comment(f.l1, tk.Number, desk.CommentInput{Body: "We saw logins from " + word})
		must(t, err)
		before := len(f.list(desk.OutboxQueued))
		if before == 0 {
			t.Fatal("nothing queued before the marking: the test shows nothing")
		}
		_, err = f.d.MarkSecurity(f.l1, tk.Number, desk.SecurityInput{Reason: "compromised"})
		must(t, err)
		res := f.run(f.worker(nil))
		if res.Failed != 0 || res.Retried != 0 {
			t.Fatalf("delivery: %+v", res)
		}
		opened := 0
		for _, m := range f.smtp.messages() {
			text := m.Env.GetHeader("Subject") + m.Env.Text + m.Env.HTML
			if strings.Contains(text, word) {
				t.Errorf("mail to %v shows the case: %s", m.To, m.Env.GetHeader("Subject"))
			}
			if m.To[0] == "sid@example.com" && strings.Contains(text, tk.Number) {
				opened++
			}
		}
		if opened != 1 {
			t.Errorf("%d mails to the security group, want the one saying a security case was opened", opened)
		}
		if q := f.list(desk.OutboxQueued); len(q) != 0 {
			t.Errorf("%d messages still queued", len(q))
		}
	})
}
