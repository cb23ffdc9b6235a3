package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// MailKind classifies inbound mail for loop and noise protection (the
// intake's parser decides it).
type MailKind string

// Kinds of inbound mail. Only MailNormal may create a ticket or comment.
const (
	MailNormal    MailKind = "normal"
	MailAutoReply MailKind = "auto_reply"
	MailBulk      MailKind = "bulk"
	MailBounce    MailKind = "bounce"
)

// InboundMail is one parsed inbound e-mail, as an intake adapter (SMTP,
// IMAP) hands it to ReceiveMail. Addresses are lower-cased, ids have no
// angle brackets.
type InboundMail struct {
	MessageID        string   // Message-ID, or a stable fallback derived from the raw bytes
	ThreadIDs        []string // In-Reply-To, then References newest first
	Tag              string   // ticket tag from the subject, e.g. "INC-000123"
	FromName         string
	FromAddress      string
	Subject          string
	ReplyText        string // the body with quoted history trimmed
	Text             string // the full text body
	Attachments      []MailAttachment
	Kind             MailKind
	BounceOf         string   // for a bounce: the Message-ID of the returned message
	BounceRecipients []string // for a bounce: the failed recipients
	ReceivedAt       time.Time
	// LoopHeader names a header only our own mail carries (X-Tierdesk…),
	// when the message has one: it is our mail come back.
	LoopHeader string
}

// MailAttachment is an attached file or inline part of an inbound e-mail.
type MailAttachment struct {
	Name        string // as sent (decoded); sanitised when stored
	ContentType string // as declared
	Size        int
	Inline      bool
	ContentID   string
	Content     []byte
}

// MailAction says what ReceiveMail did with a message.
type MailAction string

// Mail actions.
const (
	MailTicketCreated MailAction = "ticket"    // a new ticket
	MailCommented     MailAction = "comment"   // a public comment on a ticket
	MailWorkNote      MailAction = "work_note" // a bounce recorded on a ticket
	MailDuplicate     MailAction = "duplicate" // the Message-ID was already processed
	MailDropped       MailAction = "dropped"   // noise: auto-reply, bulk, unknown bounce
)

// MailOutcome reports what became of an inbound message.
type MailOutcome struct {
	Action MailAction
	Ticket *Ticket // the ticket created or commented on; nil when dropped
	Reason string
}

// ReceiveMail turns an inbound e-mail into a ticket, a comment or a work
// note, or drops it as noise. It acts for the sender: a known user, or (with
// the default policy) a requester registered from From. The Message-ID is
// recorded in the same transaction as the ticket or comment, so a message
// delivered twice changes nothing the second time (MailDuplicate).
//
// Errors: EFORBIDDEN when the sender may not open tickets (unknown sender
// under MailRejectUnknown, inactive user); EINVALID for a message that can
// never be stored; anything else is transient and worth retrying.
func (s *Desk) ReceiveMail(ctx context.Context, in InboundMail) (MailOutcome, error) {
	sys := AsSystem(ctx)
	in.FromAddress = strings.ToLower(strings.TrimSpace(in.FromAddress))
	if in.ReceivedAt.IsZero() {
		in.ReceivedAt = s.clock.Now()
	}
	if in.MessageID == "" {
		return MailOutcome{}, Errorf(EINVALID, "the message has no identifier")
	}
	if id, err := s.store.MailTicket(sys, in.MessageID); err != nil || id != 0 {
		return s.duplicate(sys, id, err)
	}
	if why := s.ownMail(in); why != "" {
		return MailOutcome{Action: MailDropped, Reason: "our own mail (" + why + ")"}, nil
	}
	switch in.Kind {
	case MailAutoReply, MailBulk:
		return MailOutcome{Action: MailDropped, Reason: "automatic mail (" + string(in.Kind) + ")"}, nil
	}
	var out MailOutcome
	var err error
	if in.Kind == MailBounce {
		out, err = s.receiveBounce(sys, in)
	} else {
		out, err = s.receiveNormal(ctx, sys, in)
	}
	if ErrorCode(err) == ECONFLICT {
		// Lost a race with a concurrent delivery of the same message?
		if id, lerr := s.store.MailTicket(sys, in.MessageID); lerr != nil || id != 0 {
			return s.duplicate(sys, id, lerr)
		}
	}
	return out, err
}

func (s *Desk) duplicate(ctx context.Context, ticketID int64, err error) (MailOutcome, error) {
	if err != nil {
		return MailOutcome{}, fmt.Errorf("receive mail: %w", err)
	}
	t, err := s.store.GetTicket(ctx, ticketID)
	if err != nil {
		return MailOutcome{}, fmt.Errorf("receive mail: %w", err)
	}
	return MailOutcome{Action: MailDuplicate, Ticket: t, Reason: "message already processed"}, nil
}

// receiveBounce records a bounce of a message we stored as a work note on
// its ticket; any other bounce is dropped.
func (s *Desk) receiveBounce(sys context.Context, in InboundMail) (MailOutcome, error) {
	id, err := s.store.MailTicket(sys, in.BounceOf)
	if err != nil {
		return MailOutcome{}, fmt.Errorf("receive bounce: %w", err)
	}
	if in.BounceOf == "" || id == 0 {
		return MailOutcome{Action: MailDropped, Reason: "bounce of a message we do not know"}, nil
	}
	to := strings.Join(in.BounceRecipients, ", ")
	if to == "" {
		to = "the recipient"
	}
	body := fmt.Sprintf("Delivery failed to %s (message %s).", to, in.BounceOf)
	if in.Subject != "" {
		body += "\nBounce subject: " + in.Subject
	}
	rec := &MailRecord{MessageID: in.MessageID, Direction: MailIn, At: in.ReceivedAt}
	_, t, err := s.Comment(sys, strconv64(id), CommentInput{Body: body, Internal: true, mail: rec})
	if err != nil {
		return MailOutcome{}, err
	}
	return MailOutcome{Action: MailWorkNote, Ticket: t, Reason: "bounce of " + in.BounceOf}, nil
}

// receiveNormal threads the mail into a ticket or registers a new one.
func (s *Desk) receiveNormal(ctx, sys context.Context, in InboundMail) (MailOutcome, error) {
	u, err := s.mailSender(sys, in)
	if err != nil {
		return MailOutcome{}, err
	}
	as := WithActor(ctx, u)
	t, via, err := s.threadTicket(sys, u, in)
	if err != nil {
		return MailOutcome{}, err
	}
	rec := &MailRecord{MessageID: in.MessageID, Direction: MailIn, At: in.ReceivedAt}
	files, skipped := s.mailFiles(in.Attachments)
	if t != nil && !t.State.IsFinal() {
		body := strings.TrimSpace(in.ReplyText)
		if body == "" {
			body = strings.TrimSpace(in.Text)
		}
		if len(in.Attachments) > 0 {
			body = strings.TrimSpace(body + "\n\n" + attachmentNote(in.Attachments, skipped))
		}
		if body == "" {
			body = "(empty message)"
		}
		_, t, err = s.Comment(as, t.Number, CommentInput{Body: clipRunes(body, MaxTextLen), mail: rec, attachments: files})
		if err != nil {
			return MailOutcome{}, err
		}
		return MailOutcome{Action: MailCommented, Ticket: t, Reason: "threaded by " + via}, nil
	}
	nt := mailTicket(in, u, t, skipped)
	nt.mail, nt.attachments = rec, files
	release, err := s.takeMailSlot(sys, u.Email)
	if err != nil {
		return MailOutcome{}, err
	}
	created, _, err := s.CreateTicket(as, nt, "")
	if err != nil {
		release()
		return MailOutcome{}, err
	}
	reason := "no matching ticket"
	if t != nil {
		reason = "follow-up to " + t.Number + " (" + string(t.State) + ")"
	}
	return MailOutcome{Action: MailTicketCreated, Ticket: created, Reason: reason}, nil
}

// mailSender returns the user the mail is from, registering an unknown
// sender as a requester unless the policy rejects unknown senders.
func (s *Desk) mailSender(sys context.Context, in InboundMail) (*User, error) {
	var v validation
	addr := v.email("from", in.FromAddress, true)
	if err := v.err(); err != nil {
		return nil, Errorf(EINVALID, "the sender address %q is not usable", in.FromAddress)
	}
	u, err := s.store.GetUserByEmail(sys, addr)
	switch {
	case ErrorCode(err) == ENOTFOUND && s.cfg.MailRejectUnknown:
		return nil, Errorf(EFORBIDDEN, "unknown sender %s: only registered users may open tickets by e-mail", addr)
	case ErrorCode(err) == ENOTFOUND:
		u, err = s.store.EnsureRequester(sys, &User{Email: addr,
			Name: requesterName(PersonInput{Name: clipRunes(in.FromName, MaxNameLen), Email: addr}), Role: RoleRequester, Active: true})
		if err != nil {
			return nil, fmt.Errorf("receive mail: requester: %w", err)
		}
	case err != nil:
		return nil, fmt.Errorf("receive mail: sender: %w", err)
	}
	if !u.Active {
		return nil, Errorf(EFORBIDDEN, "sender %s is not an active user", addr)
	}
	return u, nil
}

// threadTicket finds the ticket a mail belongs to: by In-Reply-To and
// References against the recorded Message-IDs first, then by the subject
// tag when the sender is a participant. via names the match.
func (s *Desk) threadTicket(sys context.Context, u *User, in InboundMail) (*Ticket, string, error) {
	id, err := s.store.MailTicket(sys, in.ThreadIDs...)
	if err != nil {
		return nil, "", fmt.Errorf("receive mail: thread: %w", err)
	}
	if id != 0 {
		t, err := s.store.GetTicket(sys, id)
		if err != nil {
			return nil, "", fmt.Errorf("receive mail: thread: %w", err)
		}
		if participant(u, t) || canSee(u, t) && u.Role.IsStaff() {
			return t, "references", nil
		}
	}
	if in.Tag == "" {
		return nil, "", nil
	}
	t, err := s.store.GetTicketByNumber(sys, in.Tag)
	if ErrorCode(err) == ENOTFOUND {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("receive mail: tag: %w", err)
	}
	if !participant(u, t) {
		return nil, "", nil // a stranger quoting a tag opens their own ticket
	}
	return t, "subject tag", nil
}

// participant reports whether u takes part in t: its requester, its
// assignee, or staff in its group.
func participant(u *User, t *Ticket) bool {
	switch {
	case t.Requester.ID == u.ID:
		return true
	case t.Assignee != nil && t.Assignee.ID == u.ID:
		return true
	default:
		return u.Role.IsStaff() && memberOf(u, t.Group.ID)
	}
}

// mailTicket is the new ticket an e-mail registers: an incident (line 1
// reclassifies), titled by the subject, described by the full text and the
// names of its attachments. prior is a closed ticket the mail replied to.
func mailTicket(in InboundMail, u *User, prior *Ticket, skipped map[int]bool) NewTicket {
	title := strings.TrimSpace(in.Subject)
	if title == "" {
		title = "(no subject)"
	}
	desc := strings.TrimSpace(in.Text)
	if prior != nil {
		desc = fmt.Sprintf("Follow-up to %s (%s).\n\n%s", prior.Number, prior.State, desc)
	}
	if len(in.Attachments) > 0 {
		desc += "\n\n" + attachmentNote(in.Attachments, skipped)
	}
	return NewTicket{Type: TypeIncident, Title: clipRunes(title, MaxTitleLen), Description: clipRunes(desc, MaxTextLen),
		Requester: PersonInput{Name: u.Name, Email: u.Email}, Channel: ChannelEmail}
}

func sizeText(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+1023)>>10)
	default:
		return fmt.Sprintf("%d B", n)
	}
}

// clipRunes cuts s to at most n runes.
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

func strconv64(id int64) string { return fmt.Sprint(id) }

// IsTransient reports whether err is worth retrying later (an intake answers
// 4xx): anything that is not a domain verdict on the input.
func IsTransient(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return true
	}
	switch e.Code {
	case EINVALID, EFORBIDDEN:
		return false
	}
	return true
}
