package web

import "github.com/tierdesk/tierdesk/internal/desk"

// Administration: the health of the mailboxes this instance polls (IMAP
// intake) — failures and their backoff, what the polls stored, and the
// messages refused, which stay in the mailbox for a person to see.

func init() {
	registerArea("admin_mailboxes", func(s *server) {
		s.get("/admin/mailboxes", staffOnly, s.adminMailboxes)
		s.addNav(navItem{Path: "/admin/mailboxes", Key: "nav.admin_mailboxes", Who: staffOnly, Order: 58, Admin: true})
	})
}

func (s *server) adminMailboxes(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	boxes, err := s.desk.Mailboxes(rq.ctx)
	if err != nil {
		return err
	}
	return rq.ok("admin_mailboxes", struct{ Mailboxes []desk.MailboxHealth }{boxes})
}
