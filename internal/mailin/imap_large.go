package mailin

import (
	"bytes"
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/mailmsg"
)

// takeTooLarge tells the sender of a message over the size limit, without
// reading its body: its header, with a notice instead of the body, goes to
// the desk like any mail. So a new message registers a ticket that says
// the mail was not read (and its sender gets the usual acknowledgement),
// a reply becomes a comment on its ticket, automatic and our own mail is
// dropped, and the Message-ID makes a second reading (another instance, a
// later poll) a duplicate. The message itself stays in the mailbox,
// unread and flagged (refuse).
func (p *Poller) takeTooLarge(ctx context.Context, c *imapclient.Client, uid imap.UID, size int64, res *PollResult) error {
	detail := fmt.Sprintf("%d bytes, over the limit of %d", size, p.cfg.MaxBytes)
	section := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, Peek: true}
	msgs, err := c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		return fmt.Errorf("imap fetch header of %d: %w", uid, err)
	}
	if len(msgs) == 0 {
		return nil // gone meanwhile
	}
	m, err := mailmsg.ParseReader(bytes.NewReader(tooLargeNotice(msgs[0].FindBodySection(section), size, p.cfg.MaxBytes, p.cfg.Name())), p.cfg.MaxBytes)
	if err != nil {
		return p.refuse(c, uid, RefusedTooLarge, detail+"; its header is unusable too: "+err.Error(), res)
	}
	mctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	out, err := p.recv.ReceiveMail(mctx, Inbound(m, "", p.cfg.Now()))
	cancel()
	switch {
	case desk.ErrorCode(err) == desk.ELIMIT:
		p.deferred[uid] = p.cfg.Now().Add(rateLimitDefer)
		res.Left++
		return nil
	case err != nil && desk.IsTransient(err):
		res.Left++
		return fmt.Errorf("imap message %d (%s, too large) not recorded, left for the next poll: %w", uid, m.ID(), err)
	case err != nil:
		detail += "; the sender was not told: " + desk.ErrorMessage(err)
	case out.Ticket != nil:
		detail += fmt.Sprintf("; %s on %s", out.Action, out.Ticket.Number)
	default:
		detail += "; not answered: " + out.Reason
	}
	return p.refuse(c, uid, RefusedTooLarge, detail, res)
}

// mimeHeaders are the header fields that describe the body, left out of
// the notice that replaces it.
var mimeHeaders = []string{"Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Mime-Version"}

// tooLargeNotice is the message's own header (what identifies, threads and
// classifies it) over a plain-text body saying what became of it.
func tooLargeNotice(header []byte, size, limit int64, mailbox string) []byte {
	var b bytes.Buffer
	if msg, err := mail.ReadMessage(bytes.NewReader(append(header, "\r\n\r\n"...))); err == nil {
		keys := make([]string, 0, len(msg.Header))
		for k := range msg.Header {
			if !slices.Contains(mimeHeaders, k) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			for _, v := range msg.Header[k] {
				fmt.Fprintf(&b, "%s: %s\r\n", k, strings.ReplaceAll(v, "\n", " "))
			}
		}
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	fmt.Fprintf(&b, "This message was not read: at %d bytes it is larger than the service desk accepts (%d bytes). "+
		"It is kept, unread, in the mailbox %s. Please send the text again without the large attachments, "+
		"or share the files another way.\r\n", size, limit, mailbox)
	return b.Bytes()
}
