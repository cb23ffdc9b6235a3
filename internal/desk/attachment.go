package desk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// DefaultAttachmentMaxBytes is the default size limit of one attached file
// (Config.AttachmentMaxBytes).
const DefaultAttachmentMaxBytes = 20 << 20

// MaxAttachmentsPerComment bounds the files one upload or one e-mail adds.
const MaxAttachmentsPerComment = 50

// Attachment is a file attached to a ticket, by e-mail or by upload. It
// belongs to the event it came with and is public exactly when that event
// is: a work note's files are never shown to requesters.
type Attachment struct {
	ID          int64
	TicketID    int64
	EventID     int64
	FileName    string // sanitised: no path, no control characters
	ContentType string // media type without parameters, e.g. "image/png"
	Size        int64
	SHA256      string // hex digest of Content
	Inline      bool   // an inline part of an e-mail (e.g. an embedded image)
	ContentID   string // the e-mail part's Content-ID, without <>
	Public      bool
	UploadedBy  *Ref // nil for the system
	CreatedAt   time.Time
	Content     []byte // filled by GetAttachment only
}

// AttachmentStore keeps attachments. They are written with their event
// (Event.Attachments) in the ticket's transaction.
type AttachmentStore interface {
	// ListAttachments returns a ticket's attachments without content,
	// oldest first; publicOnly leaves out those of internal events.
	ListAttachments(ctx context.Context, ticketID int64, publicOnly bool) ([]*Attachment, error)
	// GetAttachment returns one attachment with its content (ENOTFOUND if
	// none).
	GetAttachment(ctx context.Context, id int64) (*Attachment, error)
}

// FileInput is one file to attach.
type FileInput struct {
	Name        string
	ContentType string // as declared by the sender; may be empty or wrong
	Content     []byte
	Inline      bool
	ContentID   string
}

// AttachInput attaches files to a ticket with a comment, or with Internal a
// work note, that says what was attached when Body is empty.
type AttachInput struct {
	Files     []FileInput
	Body      string
	Internal  bool
	IfVersion int
}

// Attach adds files to a ticket the actor may comment on, in one event.
// Requesters may attach to their own tickets (publicly, never internally);
// a file over Config.AttachmentMaxBytes is EINVALID (adapters answer 413).
func (s *Desk) Attach(ctx context.Context, ref string, in AttachInput) ([]*Attachment, *Ticket, error) {
	files, err := s.attachments(in.Files)
	if err != nil {
		return nil, nil, err
	}
	if len(files) == 0 {
		return nil, nil, &Error{Code: EINVALID, Message: "validation failed",
			Fields: []FieldError{Invalid("file", RuleRequired, nil, "at least one file is required")}}
	}
	body := in.Body
	if body == "" {
		body = "Attached " + fileList(files) + "."
	}
	_, t, err := s.Comment(ctx, ref, CommentInput{Body: clipRunes(body, MaxTextLen), Internal: in.Internal,
		IfVersion: in.IfVersion, attachments: files})
	if err != nil {
		return nil, nil, err
	}
	return files, t, nil
}

// attachments validates files and turns them into attachments to store:
// names sanitised, types sniffed, digests computed.
func (s *Desk) attachments(files []FileInput) ([]*Attachment, error) {
	if len(files) > MaxAttachmentsPerComment {
		return nil, &Error{Code: EINVALID, Message: "validation failed", Fields: []FieldError{Invalid("file",
			RuleTooMany, Params{"max": MaxAttachmentsPerComment}, "at most %d files at once", MaxAttachmentsPerComment)}}
	}
	out := make([]*Attachment, 0, len(files))
	for _, f := range files {
		if int64(len(f.Content)) > s.attachmentMax() {
			return nil, &Error{Code: EINVALID, Message: fmt.Sprintf("%s is larger than the limit of %s",
				SanitizeFileName(f.Name, ""), sizeText(int(s.attachmentMax()))),
				Fields: []FieldError{Invalid("file", RuleTooLarge, Params{"max": s.attachmentMax(), "unit": "bytes"}, "must be at most %d bytes", s.attachmentMax())}}
		}
		out = append(out, newAttachment(f))
	}
	return out, nil
}

// AttachmentMaxBytes is the size limit of one attached file, for adapters
// that refuse an oversized upload before reading it all.
func (s *Desk) AttachmentMaxBytes() int64 { return s.attachmentMax() }

func (s *Desk) attachmentMax() int64 {
	if s.cfg.AttachmentMaxBytes > 0 {
		return s.cfg.AttachmentMaxBytes
	}
	return DefaultAttachmentMaxBytes
}

func newAttachment(f FileInput) *Attachment {
	sum := sha256.Sum256(f.Content)
	ct := SniffContentType(f.ContentType, f.Content)
	return &Attachment{FileName: SanitizeFileName(f.Name, ct), ContentType: ct, Size: int64(len(f.Content)),
		SHA256: hex.EncodeToString(sum[:]), Inline: f.Inline, ContentID: clipRunes(f.ContentID, 250),
		Content: f.Content}
}

func fileList(files []*Attachment) string {
	s := ""
	for i, a := range files {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s (%s)", a.FileName, sizeText(int(a.Size)))
	}
	return s
}

// Attachments lists the files of a ticket the actor may see; requesters get
// only those of public events.
func (s *Desk) Attachments(ctx context.Context, ref string) ([]*Attachment, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.loadTicket(ctx, u, ref)
	if err != nil {
		return nil, err
	}
	return s.store.ListAttachments(ctx, t.ID, !u.Role.IsStaff())
}

// Attachment returns one file with its content, authorised exactly like its
// ticket; a requester asking for a work note's file gets ENOTFOUND.
func (s *Desk) Attachment(ctx context.Context, id int64) (*Attachment, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	a, err := s.store.GetAttachment(ctx, id)
	if err != nil {
		return nil, err
	}
	t, err := s.store.GetTicket(ctx, a.TicketID)
	if err != nil {
		return nil, err
	}
	if !canSee(u, t) || !a.Public && !u.Role.IsStaff() {
		return nil, Errorf(ENOTFOUND, "no attachment %d", id)
	}
	return a, nil
}
