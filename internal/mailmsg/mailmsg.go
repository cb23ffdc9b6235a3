// Package mailmsg parses inbound e-mail for the Tierdesk e-mail channel.
//
// It turns one raw RFC 5322 message into a Message: normalised thread
// identifiers (Message-ID, In-Reply-To, References), decoded sender and
// recipients, the decoded subject and its ticket tag, the text body (or text
// converted from HTML), the reply with quoted history trimmed, attachments
// with decoded file names, and a classification (normal mail, auto-reply,
// bulk/list mail, bounce) that the intake uses to avoid mail loops.
//
// MIME decoding (multipart trees, base64/quoted-printable, RFC 2047 and
// RFC 2231, charsets such as KOI8-R, Windows-1251 and ISO-8859-1, HTML to
// text) is done by github.com/jhillyerd/enmime/v2. The package has no state
// and no dependencies on the rest of Tierdesk.
package mailmsg

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jhillyerd/enmime/v2"
)

// Kind classifies a message for loop and noise protection.
type Kind string

// Kinds of message. Only KindNormal may create a ticket or comment or get an
// automatic answer; a KindBounce of our own mail is recorded on its ticket.
const (
	KindNormal    Kind = "normal"
	KindAutoReply Kind = "auto_reply"
	KindBulk      Kind = "bulk"
	KindBounce    Kind = "bounce"
)

// DefaultMaxSize is the size limit ParseReader applies when given limit <= 0.
const DefaultMaxSize = 25 << 20

var (
	// ErrTooLarge is returned by ParseReader when the message exceeds the
	// limit (an SMTP listener answers 552).
	ErrTooLarge = errors.New("mailmsg: message exceeds size limit")
	// ErrUnusable is returned when nothing usable could be parsed: no
	// headers that identify a sender, subject or thread and no body.
	ErrUnusable = errors.New("mailmsg: no usable message content")
)

// Address is one mailbox: display name (decoded) and lower-cased address.
type Address struct {
	Name    string `json:"name,omitempty"`
	Address string `json:"address"`
}

// String formats the address for display.
func (a Address) String() string {
	if a.Name == "" {
		return a.Address
	}
	return a.Name + " <" + a.Address + ">"
}

// Attachment is one attached or inline file.
type Attachment struct {
	FileName    string `json:"file_name"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
	Inline      bool   `json:"inline,omitempty"`
	ContentID   string `json:"content_id,omitempty"` // without <>
	Content     []byte `json:"-"`
}

// Message is a parsed inbound message.
type Message struct {
	// MessageID is the normalised Message-ID (no angle brackets); empty
	// when the header is missing or unusable: use ID() or FallbackID().
	MessageID  string    `json:"message_id"`
	InReplyTo  []string  `json:"in_reply_to,omitempty"`
	References []string  `json:"references,omitempty"`
	From       Address   `json:"from"`
	ReplyTo    []Address `json:"reply_to,omitempty"`
	To         []Address `json:"to,omitempty"`
	Cc         []Address `json:"cc,omitempty"`
	Subject    string    `json:"subject"`
	Date       time.Time `json:"date"` // zero when missing or unparseable
	// TextBody is the text/plain body, or text converted from the HTML part
	// when there is no text part.
	TextBody string `json:"text_body"`
	// HTMLBody is the first text/html body part, if any.
	HTMLBody string `json:"-"`
	// ReplyText is TextBody with quoted history and signature trimmed.
	ReplyText   string       `json:"reply_text"`
	Attachments []Attachment `json:"attachments,omitempty"`
	// TicketTag is the first ticket tag in the subject without brackets,
	// e.g. "INC-000123", "REQ-000045" or "INC0000045".
	TicketTag string `json:"ticket_tag,omitempty"`
	Kind      Kind   `json:"kind"`
	// KindReason says which header or pattern decided Kind.
	KindReason string `json:"kind_reason,omitempty"`
	// BounceOf is, for a bounce, the Message-ID of the original message
	// taken from the returned message/rfc822 or text/rfc822-headers part.
	BounceOf string `json:"bounce_of,omitempty"`
	// BounceRecipients are the failed recipients of a delivery-status report.
	BounceRecipients []string `json:"bounce_recipients,omitempty"`
	// Header is the top-level header as received (values neither decoded nor
	// checked for UTF-8), for
	// the caller's own checks (loop headers, Return-Path, Received).
	Header map[string][]string `json:"-"`
	// Warnings lists non-fatal problems met while parsing (malformed parts,
	// bad charsets, unparseable headers).
	Warnings []string `json:"warnings,omitempty"`

	rawSum [32]byte
}

// ID returns MessageID, or FallbackID when the message has none.
func (m *Message) ID() string {
	if m.MessageID != "" {
		return m.MessageID
	}
	return m.FallbackID()
}

// FallbackID is a stable identifier derived from the raw bytes of the
// message (SHA-256, line endings taken as LF), for messages without a
// Message-ID: the same delivery retried gives the same ID, whether it came
// with CRLF (SMTP, IMAP) or LF (a file, a local delivery agent).
func (m *Message) FallbackID() string {
	return "sha256-" + hex.EncodeToString(m.rawSum[:16]) + "@mailmsg.invalid"
}

// ThreadIDs returns In-Reply-To followed by References (newest first), without
// duplicates: the order in which to look up an existing ticket.
func (m *Message) ThreadIDs() []string {
	seen := map[string]bool{}
	var out []string
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, id := range m.InReplyTo {
		add(id)
	}
	for i := len(m.References) - 1; i >= 0; i-- {
		add(m.References[i])
	}
	return out
}

// ParseReader reads at most limit bytes (DefaultMaxSize when limit <= 0) and
// parses them. A longer message gives ErrTooLarge without being parsed.
func ParseReader(r io.Reader, limit int64) (*Message, error) {
	if limit <= 0 {
		limit = DefaultMaxSize
	}
	raw, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("mailmsg: read: %w", err)
	}
	if int64(len(raw)) > limit {
		return nil, ErrTooLarge
	}
	return Parse(raw)
}

// recoverPanics turns a panic inside the MIME library into an error; the
// fuzz test turns it off so that panics are found and fixed.
var recoverPanics = true

var parser = enmime.NewParser(
	enmime.SkipMalformedParts(true),
	enmime.MaxStoredPartErrors(20),
	enmime.SetReadPartErrorPolicy(enmime.AllowCorruptTextPartErrorPolicy),
	// Trust a declared charset; guess (chardet) only when none is declared.
	// Guessing costs most of the parse time and can mistake short Russian
	// text in one 8-bit charset for another.
	enmime.DisableCharacterDetection(true),
)

// Parse parses one raw message. It returns what could be parsed, with
// problems listed in Warnings; it fails only when nothing usable is there.
// It never panics.
func Parse(raw []byte) (m *Message, err error) {
	defer func() {
		if !recoverPanics {
			return
		}
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("mailmsg: malformed message: %v", r)
		}
	}()
	m = &Message{rawSum: sha256.Sum256(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))), Kind: KindNormal}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, ErrUnusable
	}
	env, perr := parser.ReadEnvelope(bytes.NewReader(raw))
	if perr != nil || env == nil {
		// Fall back to the plain RFC 5322 reader: headers and the body as text.
		env2, ferr := fallback(raw)
		if ferr != nil {
			return nil, fmt.Errorf("%w: %v", ErrUnusable, perr)
		}
		env = env2
		m.Warnings = append(m.Warnings, "mime: "+firstLine(fmt.Sprint(perr)))
	}
	for _, e := range env.Errors {
		if len(m.Warnings) >= 20 {
			break
		}
		m.Warnings = append(m.Warnings, e.Error())
	}
	fill(m, env)
	// A root part with an empty or unreadable Content-Type is filed by enmime
	// as a nameless attachment; RFC 2045 says to read it as text/plain.
	if len(m.Attachments) == 1 && env.Root.FirstChild == nil && env.Root.ContentType == "" && env.Root.FileName == "" {
		m.Attachments = nil
	}
	if strings.TrimSpace(m.TextBody) == "" && m.HTMLBody == "" && len(m.Attachments) == 0 && perr == nil {
		// The MIME structure gave nothing (unknown or broken Content-Type):
		// keep the raw body as text rather than lose it.
		if env2, err := fallback(raw); err == nil && strings.TrimSpace(env2.Text) != "" {
			m.TextBody = decodeLegacy(normalizeNewlines(env2.Text))
			m.ReplyText = TrimQuoted(m.TextBody)
			m.Warnings = append(m.Warnings, "body not readable as MIME; kept as plain text")
		}
	}
	sanitize(m)
	if m.From.Address == "" && m.Subject == "" && m.MessageID == "" &&
		strings.TrimSpace(m.TextBody) == "" && len(m.Attachments) == 0 && len(m.InReplyTo) == 0 {
		return nil, ErrUnusable
	}
	return m, nil
}

// fallback builds an envelope from a message enmime refused (for example a
// multipart type it cannot read): the headers through net/mail, re-emitted
// without the MIME ones, and the rest as a plain-text body.
func fallback(raw []byte) (*enmime.Envelope, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(msg.Body)
	var b bytes.Buffer
	for k, vs := range msg.Header {
		if strings.HasPrefix(strings.ToLower(k), "content-") || strings.EqualFold(k, "MIME-Version") {
			continue
		}
		for _, v := range vs {
			b.WriteString(k + ": " + strings.NewReplacer("\r", " ", "\n", " ").Replace(v) + "\r\n")
		}
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.Write(body)
	return parser.ReadEnvelope(&b)
}

func fill(m *Message, env *enmime.Envelope) {
	h := env.Root.Header
	m.Header = h
	m.MessageID = firstID(h.Get("Message-Id"))
	m.InReplyTo = parseIDs(strings.Join(h.Values("In-Reply-To"), " "))
	m.References = parseIDs(strings.Join(h.Values("References"), " "))
	m.Subject = strings.TrimSpace(collapseSpace(decodeLegacy(env.GetHeader("Subject"))))
	m.TicketTag = TicketTag(m.Subject)

	if as := addresses(env, "From"); len(as) > 0 {
		m.From = as[0]
	} else if as := addresses(env, "Sender"); len(as) > 0 {
		m.From = as[0]
	} else if h.Get("From") != "" {
		m.Warnings = append(m.Warnings, "unparseable From header")
	}
	m.ReplyTo = addresses(env, "Reply-To")
	m.To = addresses(env, "To")
	m.Cc = addresses(env, "Cc")
	if d := h.Get("Date"); d != "" {
		if t, err := mail.ParseDate(d); err == nil {
			m.Date = t
		} else {
			m.Warnings = append(m.Warnings, "unparseable Date header")
		}
	}

	m.TextBody = decodeLegacy(normalizeNewlines(env.Text))
	m.HTMLBody = decodeLegacy(env.HTML)
	m.ReplyText = TrimQuoted(m.TextBody)

	// enmime lists an inline application/octet-stream part both as an
	// attachment and as an inline: keep each part once.
	seen := map[*enmime.Part]bool{}
	for _, p := range env.Attachments {
		seen[p] = true
		m.Attachments = append(m.Attachments, attachment(p, false))
	}
	for _, p := range env.Inlines {
		if seen[p] {
			continue
		}
		if strings.HasPrefix(p.ContentType, "text/plain") && p.FileName == "" {
			continue // an inline body part, already in TextBody
		}
		if strings.HasPrefix(p.ContentType, "text/html") && p.FileName == "" {
			continue
		}
		m.Attachments = append(m.Attachments, attachment(p, true))
	}
	for _, p := range env.OtherParts {
		// Related images without Content-Disposition are inline images.
		if p.ContentID != "" || strings.HasPrefix(p.ContentType, "image/") {
			m.Attachments = append(m.Attachments, attachment(p, true))
		}
	}

	classify(m, env)
}

func attachment(p *enmime.Part, inline bool) Attachment {
	name := decodeLegacy(p.FileName)
	if name == "" {
		name = unnamedPart(p)
	}
	return Attachment{
		FileName:    name,
		ContentType: p.ContentType,
		Size:        len(p.Content),
		Inline:      inline || p.Disposition == "inline",
		ContentID:   strings.Trim(strings.TrimSpace(p.ContentID), "<>"),
		Content:     p.Content,
	}
}

// unnamedPart names a part that has no file name: by its Content-ID when
// that starts with one (Outlook's pasted images: image001.png@01DB…), else
// "attachment-PART" with an extension for the commonest types.
func unnamedPart(p *enmime.Part) string {
	cid := strings.Trim(strings.TrimSpace(p.ContentID), "<>")
	if local, _, ok := strings.Cut(cid, "@"); ok && len(local) <= 100 {
		if i := strings.LastIndexByte(local, '.'); i > 0 && i < len(local)-1 && i >= len(local)-5 {
			return local
		}
	}
	name := "attachment"
	if p.PartID != "" {
		name += "-" + p.PartID
	}
	return name + unnamedExt[strings.ToLower(p.ContentType)]
}

// unnamedExt is fixed, not the system's MIME table, so that names do not
// depend on the machine.
var unnamedExt = map[string]string{
	"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
	"application/pdf": ".pdf", "text/plain": ".txt", "text/html": ".html", "text/calendar": ".ics",
	"message/rfc822": ".eml",
}

func addresses(env *enmime.Envelope, key string) []Address {
	if env.Root.Header.Get(key) == "" {
		return nil
	}
	list, err := env.AddressList(key)
	if err != nil || len(list) == 0 {
		// Salvage bare addresses from a malformed header.
		return salvageAddresses(env.GetHeader(key))
	}
	out := make([]Address, 0, len(list))
	for _, a := range list {
		if a == nil || a.Address == "" {
			continue
		}
		out = append(out, Address{Name: strings.TrimSpace(decodeLegacy(a.Name)), Address: strings.ToLower(strings.TrimSpace(a.Address))})
	}
	return out
}

func salvageAddresses(s string) []Address {
	var out []Address
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '<' || r == '>' || r == '"' || r == '\t'
	}) {
		if i := strings.IndexByte(f, '@'); i > 0 && i < len(f)-1 {
			out = append(out, Address{Address: strings.ToLower(f)})
		}
	}
	return out
}

// parseIDs extracts message identifiers from an In-Reply-To or References
// value: everything in angle brackets, or whitespace-separated tokens that
// look like id@domain when the brackets are missing. Comments in () are skipped.
func parseIDs(s string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(id string) {
		id = strings.Trim(strings.TrimSpace(id), "<>")
		if id == "" || seen[id] || len(id) > 998 {
			return
		}
		seen[id] = true
		out = append(out, id)
	}
	if strings.Contains(s, "<") {
		for {
			i := strings.IndexByte(s, '<')
			if i < 0 {
				break
			}
			j := strings.IndexByte(s[i+1:], '>')
			if j < 0 {
				add(stripSpace(s[i+1:]))
				break
			}
			add(stripSpace(s[i+1 : i+1+j]))
			s = s[i+1+j+1:]
		}
		return out
	}
	for _, f := range strings.Fields(stripComments(s)) {
		if strings.Contains(f, "@") {
			add(strings.Trim(f, ",;"))
		}
	}
	return out
}

func firstID(s string) string {
	ids := parseIDs(s)
	if len(ids) == 0 {
		// A Message-ID without brackets or @ is still an identifier.
		s = strings.TrimSpace(stripComments(s))
		if s != "" && !strings.ContainsAny(s, " \t") && len(s) <= 998 {
			return s
		}
		return ""
	}
	return ids[0]
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, s)
}

func stripComments(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func collapseSpace(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func normalizeNewlines(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// sanitize makes every string field valid UTF-8 (undecodable bytes become
// U+FFFD) and removes NUL characters.
func sanitize(m *Message) {
	fix := func(s *string) {
		if !utf8.ValidString(*s) {
			*s = strings.ToValidUTF8(*s, "\uFFFD")
		}
		if strings.IndexByte(*s, 0) >= 0 {
			*s = strings.ReplaceAll(*s, "\x00", "")
		}
	}
	text := func(s *string) {
		*s = decodeLegacy(*s)
		fix(s)
	}
	fixA := func(a *Address) { text(&a.Name); fix(&a.Address) }
	fixL := func(l []Address) {
		for i := range l {
			fixA(&l[i])
		}
	}
	fixS := func(l []string) {
		for i := range l {
			fix(&l[i])
		}
	}
	fix(&m.MessageID)
	fixS(m.InReplyTo)
	fixS(m.References)
	fixA(&m.From)
	fixL(m.ReplyTo)
	fixL(m.To)
	fixL(m.Cc)
	text(&m.Subject)
	text(&m.TextBody)
	text(&m.HTMLBody)
	text(&m.ReplyText)
	fix(&m.TicketTag)
	fix(&m.KindReason)
	fix(&m.BounceOf)
	fixS(m.BounceRecipients)
	fixS(m.Warnings)
	for i := range m.Attachments {
		a := &m.Attachments[i]
		text(&a.FileName)
		fix(&a.ContentType)
		fix(&a.ContentID)
	}
}
