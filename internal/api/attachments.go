package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// attachmentJSON is the wire form of an attachment (never its content).
type attachmentJSON struct {
	ID          int64     `json:"id"`
	TicketID    int64     `json:"ticket_id"`
	EventID     int64     `json:"event_id"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Inline      bool      `json:"inline"`
	ContentID   *string   `json:"content_id"`
	Public      bool      `json:"public"`
	UploadedBy  *desk.Ref `json:"uploaded_by"`
	CreatedAt   string    `json:"created_at"`
	URL         string    `json:"url"`
}

func attachmentView(a *desk.Attachment) attachmentJSON {
	return attachmentJSON{ID: a.ID, TicketID: a.TicketID, EventID: a.EventID, FileName: a.FileName,
		ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256, Inline: a.Inline, ContentID: nonEmpty(a.ContentID),
		Public: a.Public, UploadedBy: a.UploadedBy, CreatedAt: rfc3339(a.CreatedAt),
		URL: "/api/v1/attachments/" + strconv.FormatInt(a.ID, 10)}
}

type attachmentList struct {
	Items []attachmentJSON `json:"attachments"`
}

func attachmentViews(list []*desk.Attachment) attachmentList {
	out := attachmentList{Items: make([]attachmentJSON, len(list))}
	for i, a := range list {
		out.Items[i] = attachmentView(a)
	}
	return out
}

// uploadOverhead is what a multipart body may hold besides the files'
// bytes (boundaries, part headers, the comment). The files of one upload
// together may be as large as the per-file limit: the body is held in
// memory while it is stored.
const uploadOverhead = 1 << 20

// uploadAttachments attaches the "file" parts of a multipart/form-data body
// to a ticket, with an optional "body" (the comment) and "internal"
// (true: a staff work note). A file over the limit is 413 before it is
// read to its end; 201 lists the stored files.
func (s *server) uploadAttachments(w http.ResponseWriter, r *http.Request) error {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return httpError(http.StatusUnsupportedMediaType, "send the files as multipart/form-data")
	}
	max := s.desk.AttachmentMaxBytes()
	total := max + uploadOverhead
	if r.ContentLength > total {
		return httpError(http.StatusRequestEntityTooLarge, "the upload is larger than %d bytes", total)
	}
	in := desk.AttachInput{}
	mr := multipart.NewReader(http.MaxBytesReader(w, r.Body, total), params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return uploadError(err, total)
		}
		if err := s.readUploadPart(p, max, &in); err != nil {
			return err
		}
	}
	if in.IfVersion, err = s.ifVersion(r, r.PathValue("id")); err != nil {
		return err
	}
	files, t, err := s.desk.Attach(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	setETag(w, t.Version)
	writeJSON(w, http.StatusCreated, attachmentViews(files))
	return nil
}

// readUploadPart takes one form part: a file, the comment or the flag.
func (s *server) readUploadPart(p *multipart.Part, max int64, in *desk.AttachInput) error {
	defer p.Close()
	switch p.FormName() {
	case "file":
		if len(in.Files) == desk.MaxAttachmentsPerComment {
			return fieldProblem("file", desk.RuleTooMany, desk.Params{"max": desk.MaxAttachmentsPerComment}, "at most %d files at once", desk.MaxAttachmentsPerComment)
		}
		b, err := io.ReadAll(io.LimitReader(p, max+1))
		if err != nil {
			return uploadError(err, max)
		}
		if int64(len(b)) > max {
			return httpError(http.StatusRequestEntityTooLarge, "%s is larger than the limit of %d bytes per file",
				desk.SanitizeFileName(p.FileName(), ""), max)
		}
		in.Files = append(in.Files, desk.FileInput{Name: p.FileName(), ContentType: p.Header.Get("Content-Type"), Content: b})
	case "body", "internal":
		b, err := io.ReadAll(io.LimitReader(p, 1<<20))
		if err != nil {
			return uploadError(err, max)
		}
		if p.FormName() == "body" {
			in.Body = string(b)
			return nil
		}
		v, err := strconv.ParseBool(strings.TrimSpace(string(b)))
		if err != nil {
			return fieldProblem("internal", desk.RuleInvalidFmt, desk.Params{"format": "boolean"}, "must be true or false")
		}
		in.Internal = v
	default:
		return &transportError{status: http.StatusBadRequest, detail: "unknown form field " + strconv.Quote(p.FormName()),
			fields: []desk.FieldError{desk.Invalid(p.FormName(), desk.RuleUnknownField, nil, "unknown field")}}
	}
	return nil
}

func uploadError(err error, limit int64) error {
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return httpError(http.StatusRequestEntityTooLarge, "the upload is larger than %d bytes", limit)
	}
	return &transportError{status: http.StatusBadRequest, detail: "malformed multipart body", cause: err}
}

// withAttachments fills each event's files (those the caller may see).
func (s *server) withAttachments(r *http.Request, events []eventJSON) error {
	list, err := s.desk.Attachments(r.Context(), r.PathValue("id"))
	if err != nil || len(list) == 0 {
		return err
	}
	byEvent := map[int64][]attachmentJSON{}
	for _, a := range list {
		byEvent[a.EventID] = append(byEvent[a.EventID], attachmentView(a))
	}
	for i := range events {
		events[i].Attachments = byEvent[events[i].ID]
	}
	return nil
}

// listAttachments lists a ticket's files the caller may see.
func (s *server) listAttachments(w http.ResponseWriter, r *http.Request) error {
	list, err := s.desk.Attachments(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, attachmentViews(list))
	return nil
}

// downloadAttachment sends a file as a download, never for the browser to
// render in our origin: Content-Disposition attachment (RFC 6266, with the
// UTF-8 name as RFC 5987 filename*), nosniff, a sandboxing CSP, and a
// Content-Type from a short list of inert types (anything else, HTML and
// SVG included, goes out as application/octet-stream).
func (s *server) downloadAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "attachment")
	if err != nil {
		return err
	}
	a, err := s.desk.Attachment(r.Context(), id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", safeContentType(a.ContentType))
	h.Set("Content-Disposition", contentDisposition(a.FileName))
	h.Set("Content-Length", strconv.Itoa(len(a.Content)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", `"`+a.SHA256+`"`)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(a.Content)
	}
	return nil
}

// inertTypes are served as themselves; browsers do not run them.
var inertTypes = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "image/bmp": true,
	"application/pdf": true, "text/plain": true, "text/csv": true, "application/zip": true,
	"audio/mpeg": true, "audio/wav": true, "video/mp4": true,
}

func safeContentType(ct string) string {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || !inertTypes[mt] {
		return "application/octet-stream"
	}
	if cs := params["charset"]; cs != "" && strings.HasPrefix(mt, "text/") {
		return mime.FormatMediaType(mt, map[string]string{"charset": strings.ToLower(cs)})
	}
	return mt
}

// contentDisposition is attachment with two names (RFC 6266): filename, an
// ASCII stand-in for old clients (non-ASCII, quotes, backslashes and
// percent signs replaced), and filename*, the real name in UTF-8 as RFC 5987
// percent-encoding.
func contentDisposition(name string) string {
	var ascii strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%':
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii.String(), rfc5987(name))
}

// rfc5987 percent-encodes everything but RFC 5987's attr-char.
func rfc5987(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("!#$&+-.^_`|~", c) >= 0) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
