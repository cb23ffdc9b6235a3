package api

import (
	"net/http"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// mailboxListJSON answers GET /api/v1/mailboxes.
type mailboxListJSON struct {
	Mailboxes []desk.MailboxHealth `json:"mailboxes"`
}

// listMailboxes shows administrators the health of the mailboxes this
// instance polls: failures and their backoff, counts, refused messages.
func (s *server) listMailboxes(w http.ResponseWriter, r *http.Request) error {
	boxes, err := s.desk.Mailboxes(r.Context())
	if err != nil {
		return err
	}
	for i := range boxes {
		if boxes[i].Refused == nil {
			boxes[i].Refused = map[string]int64{}
		}
		if boxes[i].LastRefused == nil {
			boxes[i].LastRefused = []desk.RefusedMail{}
		}
	}
	writeJSON(w, http.StatusOK, mailboxListJSON{Mailboxes: boxes})
	return nil
}
