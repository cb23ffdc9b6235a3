package mailmsg

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden .json files of testdata/corpus")

// golden is the expected result of one corpus message, checked field by field.
type golden struct {
	MessageID        string       `json:"message_id"`
	FallbackID       bool         `json:"fallback_id,omitempty"` // MessageID empty, ID() is derived
	InReplyTo        []string     `json:"in_reply_to,omitempty"`
	References       []string     `json:"references,omitempty"`
	From             Address      `json:"from"`
	To               []Address    `json:"to,omitempty"`
	Cc               []Address    `json:"cc,omitempty"`
	Subject          string       `json:"subject"`
	Date             string       `json:"date,omitempty"`
	TextBody         string       `json:"text_body,omitempty"`
	TextBodyLen      int          `json:"text_body_len"`
	TextBodySHA256   string       `json:"text_body_sha256"`
	ReplyText        string       `json:"reply_text,omitempty"`
	Attachments      []goldenFile `json:"attachments,omitempty"`
	TicketTag        string       `json:"ticket_tag,omitempty"`
	Kind             Kind         `json:"kind"`
	BounceOf         string       `json:"bounce_of,omitempty"`
	BounceRecipients []string     `json:"bounce_recipients,omitempty"`
}

type goldenFile struct {
	FileName    string `json:"file_name"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
	Inline      bool   `json:"inline,omitempty"`
	ContentID   string `json:"content_id,omitempty"`
	SHA256      string `json:"sha256"`
}

const maxGoldenText = 4096

func toGolden(m *Message) golden {
	g := golden{
		MessageID: m.MessageID, FallbackID: m.MessageID == "",
		InReplyTo: m.InReplyTo, References: m.References,
		From: m.From, To: m.To, Cc: m.Cc, Subject: m.Subject,
		TextBodyLen: len(m.TextBody), TextBodySHA256: sum(m.TextBody),
		TicketTag: m.TicketTag, Kind: m.Kind, BounceOf: m.BounceOf, BounceRecipients: m.BounceRecipients,
	}
	if !m.Date.IsZero() {
		g.Date = m.Date.UTC().Format(time.RFC3339)
	}
	if len(m.TextBody) <= maxGoldenText {
		g.TextBody = m.TextBody
	}
	if len(m.ReplyText) <= maxGoldenText {
		g.ReplyText = m.ReplyText
	} else {
		g.ReplyText = m.ReplyText[:200]
	}
	for _, a := range m.Attachments {
		g.Attachments = append(g.Attachments, goldenFile{a.FileName, a.ContentType, a.Size, a.Inline, a.ContentID, sum(string(a.Content))})
	}
	return g
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func corpusFiles(t testing.TB) []string {
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus in testdata/corpus: %v", err)
	}
	return files
}

// TestCorpus parses every message of testdata/corpus and compares the result
// with the golden JSON next to it (go test -run TestCorpus -update rewrites them;
// review the diff before committing).
func TestCorpus(t *testing.T) {
	for _, path := range corpusFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Parse(raw)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkUTF8(t, m)
			got := toGolden(m)
			gpath := strings.TrimSuffix(path, ".eml") + ".json"
			if *update {
				b, _ := json.MarshalIndent(got, "", "  ")
				if err := os.WriteFile(gpath, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			b, err := os.ReadFile(gpath)
			if err != nil {
				t.Fatalf("golden: %v (run go test -run TestCorpus -update)", err)
			}
			var want golden
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			compareGolden(t, want, got)
		})
	}
}

func compareGolden(t *testing.T, want, got golden) {
	t.Helper()
	eq := func(field string, w, g any) {
		wb, _ := json.Marshal(w)
		gb, _ := json.Marshal(g)
		if !bytes.Equal(wb, gb) {
			t.Errorf("%s:\n got  %s\n want %s", field, gb, wb)
		}
	}
	eq("message_id", want.MessageID, got.MessageID)
	eq("fallback_id", want.FallbackID, got.FallbackID)
	eq("in_reply_to", want.InReplyTo, got.InReplyTo)
	eq("references", want.References, got.References)
	eq("from", want.From, got.From)
	eq("to", want.To, got.To)
	eq("cc", want.Cc, got.Cc)
	eq("subject", want.Subject, got.Subject)
	eq("date", want.Date, got.Date)
	eq("text_body", want.TextBody, got.TextBody)
	eq("text_body_len", want.TextBodyLen, got.TextBodyLen)
	eq("text_body_sha256", want.TextBodySHA256, got.TextBodySHA256)
	eq("reply_text", want.ReplyText, got.ReplyText)
	eq("attachments", want.Attachments, got.Attachments)
	eq("ticket_tag", want.TicketTag, got.TicketTag)
	eq("kind", want.Kind, got.Kind)
	eq("bounce_of", want.BounceOf, got.BounceOf)
	eq("bounce_recipients", want.BounceRecipients, got.BounceRecipients)
}

func checkUTF8(t testing.TB, m *Message) {
	t.Helper()
	b, err := json.Marshal(m) // every exported string field
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var strs []string
	strs = append(strs, m.MessageID, m.Subject, m.TextBody, m.HTMLBody, m.ReplyText, m.From.Name, m.From.Address, m.TicketTag, m.BounceOf)
	strs = append(strs, m.InReplyTo...)
	strs = append(strs, m.References...)
	strs = append(strs, m.Warnings...)
	for _, l := range [][]Address{m.To, m.Cc, m.ReplyTo} {
		for _, a := range l {
			strs = append(strs, a.Name, a.Address)
		}
	}
	for _, a := range m.Attachments {
		strs = append(strs, a.FileName, a.ContentType, a.ContentID)
	}
	for _, s := range strs {
		if !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8 %q in %s", s, b)
		}
	}
}

// TestCorpusSpecifics pins the facts each corpus case exists for, independent
// of the golden files.
func TestCorpusSpecifics(t *testing.T) {
	load := func(name string) *Message {
		t.Helper()
		raw, err := os.ReadFile(filepath.Join("testdata", "corpus", name))
		if err != nil {
			t.Fatal(err)
		}
		m, err := Parse(raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return m
	}
	cases := []struct {
		file  string
		check func(t *testing.T, m *Message)
	}{
		{"01-py-utf8-alternative.eml", func(t *testing.T, m *Message) {
			expect(t, "subject", m.Subject, "[INC-000123] Не работает принтер на 3 этаже — срочно")
			expect(t, "from", m.From, Address{"Мария Иванова", "maria.ivanova@example.ru"})
			expect(t, "tag", m.TicketTag, "INC-000123")
			contains(t, m.TextBody, "выдаёт ошибку 0x50")
		}},
		{"03-py-nested-inline-image.eml", func(t *testing.T, m *Message) {
			expect(t, "tag", m.TicketTag, "REQ-000045")
			contains(t, m.TextBody, "Merci d'avance — Jean")
			expect(t, "attachments", len(m.Attachments), 2)
			var inl, pdf *Attachment
			for i := range m.Attachments {
				if m.Attachments[i].Inline {
					inl = &m.Attachments[i]
				} else {
					pdf = &m.Attachments[i]
				}
			}
			if inl == nil || pdf == nil {
				t.Fatalf("want one inline image and one attachment: %+v", m.Attachments)
			}
			expect(t, "cid", inl.ContentID, "poste12@example.fr")
			expect(t, "pdf name", pdf.FileName, "devis écran.pdf")
			if !bytes.HasPrefix(inl.Content, []byte("\x89PNG")) {
				t.Error("inline image not decoded")
			}
		}},
		{"04-py-koi8r-subject-body.eml", func(t *testing.T, m *Message) {
			expect(t, "subject", m.Subject, "Не могу войти в 1С")
			expect(t, "from", m.From, Address{"Пётр Сидоров", "p.sidorov@example.ru"})
			contains(t, m.TextBody, "пишет \"неверный пароль\"")
		}},
		{"05-py-cp1251-body-rfc2231-name.eml", func(t *testing.T, m *Message) {
			contains(t, m.TextBody, "Коллеги, отчёт за ноябрь не выгружается в Excel.")
			expect(t, "file", m.Attachments[0].FileName, "Отчёт за ноябрь.txt")
		}},
		{"06-mutt-latin1-rfc2231-name.eml", func(t *testing.T, m *Message) {
			contains(t, m.TextBody, "defekte Tasten (ä, ö, ü)")
			expect(t, "from", m.From, Address{"Jürgen Weiß", "juergen.weiss@example.de"})
			expect(t, "subject", m.Subject, "Tastatur defekt – Platz 7")
			expect(t, "file", m.Attachments[0].FileName, "Журнал клавиатуры.txt")
		}},
		{"07-py-gmail-reply-en.eml", func(t *testing.T, m *Message) {
			expect(t, "reply", m.ReplyText, "Thanks, it prints again.\nThe fuser still clicks though.")
			expect(t, "in-reply-to", m.InReplyTo, []string{"ticket-INC-000123-3@helpdesk.local"})
			expect(t, "references", m.References, []string{"py-01-alt@example.ru", "ticket-INC-000123-1@helpdesk.local", "ticket-INC-000123-3@helpdesk.local"})
			expect(t, "thread", m.ThreadIDs()[0], "ticket-INC-000123-3@helpdesk.local")
		}},
		{"08-py-outlook-reply-en.eml", func(t *testing.T, m *Message) {
			expect(t, "reply", m.ReplyText, "Hi,\n\nThe new client 5.2.1 fixed it. You can close the ticket.\n\nRegards,\nJohn")
			expect(t, "tag", m.TicketTag, "INC0000045")
			expect(t, "from", m.From.Address, "john.smith@corp.example.com")
		}},
		{"09-py-outlook-reply-ru-cp1251.eml", func(t *testing.T, m *Message) {
			expect(t, "reply", m.ReplyText, "Спасибо, после перезапуска всё заработало.\n\nОльга")
		}},
		{"10-py-thunderbird-reply-ru.eml", func(t *testing.T, m *Message) {
			expect(t, "reply", m.ReplyText, "Доступ нужен только на чтение.")
			expect(t, "tag", m.TicketTag, "REQ-000046")
		}},
		{"11-py-gmail-reply-ru-signature.eml", func(t *testing.T, m *Message) {
			expect(t, "reply", m.ReplyText, "> Какая скорость по speedtest?\nОколо 2 Мбит/с.")
		}},
		{"12-py-html-only.eml", func(t *testing.T, m *Message) {
			contains(t, m.TextBody, "Kim Lee")
			contains(t, m.TextBody, "32\u00a0GB")
			if strings.Contains(m.TextBody, "var x") || strings.Contains(m.TextBody, "<b>") || strings.Contains(m.TextBody, "color:red") {
				t.Errorf("markup left in text: %q", m.TextBody)
			}
		}},
		{"13-py-autoreply-ru-xautoreply.eml", func(t *testing.T, m *Message) {
			expect(t, "kind", m.Kind, KindAutoReply)
		}},
		{"14-py-bounce-dsn.eml", func(t *testing.T, m *Message) {
			expect(t, "kind", m.Kind, KindBounce)
			expect(t, "bounce_of", m.BounceOf, "ticket-INC-000123-1@helpdesk.local")
			expect(t, "recipients", m.BounceRecipients, []string{"nobody@example.org"})
		}},
		{"15-py-bounce-rfc822-headers.eml", func(t *testing.T, m *Message) {
			expect(t, "kind", m.Kind, KindBounce)
			expect(t, "bounce_of", m.BounceOf, "ticket-INC-000124-7@helpdesk.local")
		}},
		{"16-py-no-message-id-latin1.eml", func(t *testing.T, m *Message) {
			expect(t, "message id", m.MessageID, "")
			if !strings.HasPrefix(m.ID(), "sha256-") || m.ID() != m.FallbackID() {
				t.Errorf("ID() = %q", m.ID())
			}
			raw, _ := os.ReadFile(filepath.Join("testdata", "corpus", "16-py-no-message-id-latin1.eml"))
			crlf, err := Parse(bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n")))
			if err != nil || crlf.ID() != m.ID() {
				t.Errorf("with CRLF line endings the ID is %q, want %q (%v)", crlf.ID(), m.ID(), err)
			}
			expect(t, "subject", m.Subject, "Drucker im Büro 2.14")
			contains(t, m.TextBody, "Können Sie helfen?")
		}},
		{"17-py-1mb-single-line.eml", func(t *testing.T, m *Message) {
			if len(m.TextBody) < 1<<20 {
				t.Errorf("body %d bytes, want 1 MiB", len(m.TextBody))
			}
		}},
		{"18-swaks-list-bulk.eml", func(t *testing.T, m *Message) { expect(t, "kind", m.Kind, KindBulk) }},
		{"19-mutt-reply-attribution-signature.eml", func(t *testing.T, m *Message) {
			expect(t, "reply", m.ReplyText, "Yes, the replacement works. Thank you!")
			expect(t, "references", len(m.References), 3)
		}},
		{"20-swaks-ooo-en.eml", func(t *testing.T, m *Message) { expect(t, "kind", m.Kind, KindAutoReply) }},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) { c.check(t, load(c.file)) })
	}
}

func expect[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	if !bytes.Equal(gb, wb) {
		t.Errorf("%s = %s, want %s", what, gb, wb)
	}
}

func contains(t *testing.T, s, sub string) {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Errorf("%q does not contain %q", s, sub)
	}
}

func TestParseReaderLimit(t *testing.T) {
	raw := []byte("From: a@example.com\r\nSubject: x\r\n\r\n" + strings.Repeat("y", 1000) + "\r\n")
	if _, err := ParseReader(bytes.NewReader(raw), 100); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	m, err := ParseReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil || m.Subject != "x" {
		t.Fatalf("m = %+v, err = %v", m, err)
	}
}

func TestUnusable(t *testing.T) {
	for _, raw := range []string{"", "   \r\n", "\x00\x01\x02", "Content-Type: multipart/mixed; boundary=x\r\n\r\n"} {
		if m, err := Parse([]byte(raw)); err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", raw, m)
		}
	}
}

func TestMalformedKeepsWhatItCan(t *testing.T) {
	// An unclosed boundary, a broken base64 attachment and an unparseable date.
	raw := "From: Bob <BOB@Example.com>\r\nSubject: broken\r\nDate: yesterday\r\nMessage-ID: <m1@x>\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n" +
		"--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=a.pdf\r\n\r\n!!!notbase64\r\n"
	m, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "from", m.From, Address{"Bob", "bob@example.com"})
	expect(t, "id", m.MessageID, "m1@x")
	contains(t, m.TextBody, "hello")
	if len(m.Warnings) == 0 {
		t.Error("no warnings for a malformed message")
	}
}

func TestBrokenContentTypeKeepsBody(t *testing.T) {
	for _, ct := range []string{
		`multipart/mixed; boundary=""`,
		`multipart/mixed`,
		`multipart/mixed; boundary="x"; boundary=y`,
		`;;;`,
	} {
		raw := "From: a@b.example\r\nSubject: s\r\nContent-Type: " + ct + "\r\n\r\nthe body\r\n"
		m, err := Parse([]byte(raw))
		if err != nil {
			t.Errorf("%s: %v", ct, err)
			continue
		}
		if strings.TrimSpace(m.TextBody) != "the body" || m.Subject != "s" || m.From.Address != "a@b.example" {
			t.Errorf("%s: got %+v", ct, m)
		}
	}
}

func TestParseIDs(t *testing.T) {
	for in, want := range map[string][]string{
		"<a@b> <c@d>":               {"a@b", "c@d"},
		"<a@b>\r\n\t<c@d> <a@b>":    {"a@b", "c@d"},
		"a@b (comment) c@d":         {"a@b", "c@d"},
		"<a @ b>":                   {"a@b"},
		"<unterminated@x":           {"unterminated@x"},
		"<<a@b>>":                   {"a@b"},
		"":                          nil,
		"Your message of <x@y> was": {"x@y"},
	} {
		expect(t, in, parseIDs(in), want)
	}
}

func TestTicketTag(t *testing.T) {
	for in, want := range map[string]string{
		"Re: [INC-000123] Printer":        "INC-000123",
		"RE: [inc0000045] x":              "INC0000045",
		"[REQ-000045] [INC-000001]":       "REQ-000045",
		"Fwd: [helpdesk #1042] Printer":   "",
		"[INC-12] too short":              "",
		"АВТООТВЕТ: [ INC-000200 ] почта": "INC-000200",
	} {
		expect(t, in, TicketTag(in), want)
	}
}

func TestTrimQuoted(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"ok\n\nOn Mon, 1 Jan 2026, A <a@b> wrote:\n> x\n", "ok"},
		{"ok\n> x\n>\n> y\n\n", "ok"},
		{"> q1\na1\n> q2\na2\n", "> q1\na1\n> q2\na2"},
		{"ok\n-- \nsig\n", "ok"},
		{"ok\n\n-----Original Message-----\nFrom: x\n", "ok"},
		{"ok\nFrom: A\nSent: today\nTo: B\nSubject: s\n\nold", "ok"},
		{"He wrote:\nnothing quoted follows", "He wrote:\nnothing quoted follows"},
		{"ок\n\n1 дек. 2026 г., в 10:00, Иван написал(а):\n> старое\n", "ок"},
		{"-----Original Message-----\nFrom: x\nforwarded only", "-----Original Message-----\nFrom: x\nforwarded only"},
		{"line\r\n\r\nOn 1/1/26 A wrote:\r\n> q\r\n", "line"},
	} {
		expect(t, c.in, TrimQuoted(c.in), c.want)
	}
}

// sharedDataDir finds ../shared/data next to the module root, or
// TIERDESK_SHARED_DATA.
func sharedDataDir() string {
	if d := os.Getenv("TIERDESK_SHARED_DATA"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "data")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// TestRealMessages parses the six real messages of the shared data folder
// (not copied into the repository).
func TestRealMessages(t *testing.T) {
	dir := filepath.Join(sharedDataDir(), "eml")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data folder %s missing under CI: %v", dir, err)
		}
		t.Skipf("shared data folder %s not found (set TIERDESK_SHARED_DATA); skipping the real e-mails", dir)
	}
	type want struct {
		from, subject, id, tag string
		kind                   Kind
		inReplyTo              []string
		references             []string
		cc                     []string
		reply                  string
		files                  []string
	}
	cases := map[string]want{
		"01-swaks-multipart-attachments.eml": {from: "alice@example.com", subject: "Printer on floor 3 shows error 0x50",
			id: "swaks-initial-0001@client.example.com", kind: KindNormal, files: []string{"screenshot.png", "printer-error.log"}},
		"02-swaks-reply-in-reply-to.eml": {from: "alice@example.com", subject: "Re: [helpdesk #1042] Printer on floor 3 shows error 0x50",
			id: "swaks-reply-0002@client.example.com", kind: KindNormal,
			inReplyTo:  []string{"ticket-1042-reply-1@helpdesk.local"},
			references: []string{"swaks-initial-0001@client.example.com", "ticket-1042-reply-1@helpdesk.local"},
			reply:      "Thanks - after the reboot it prints again, but the fuser still clicks."},
		"03-mutt-utf8-multipart-attachments.eml": {from: "bob@example.com", subject: "VPN-Zugang gestört – bitte prüfen",
			id: "awhIiG_m4s7jiOf7@client.example.com", kind: KindNormal},
		"04-mutt-reply-references-cc.eml": {from: "bob@example.com", subject: "Re: [helpdesk #1043] VPN-Zugang gestört – bitte prüfen",
			id: "awhIjgQgFxXOcKaK@client.example.com", kind: KindNormal,
			inReplyTo:  []string{"ticket-1043-ack@helpdesk.local"},
			references: []string{"awhIiG_m4s7jiOf7@client.example.com", "ticket-1043-ack@helpdesk.local"},
			cc:         []string{"netops@example.com"},
			reply:      "Update: mit dem neuen Client (5.2.1) bleibt die Verbindung stabil.\nTicket kann geschlossen werden."},
		"05-python-email-alternative-html-attachments.eml": {from: "", subject: "Laptop won't boot after BIOS update – urgent",
			id: "179570498215.4838.3149625418496852322.pyemail@example.org", kind: KindNormal,
			files: []string{"bios-update.log", "black screen.png"}},
		"06-python-email-autoreply-ooo.eml": {from: "dave@example.net", subject: "Automatic reply: [helpdesk #1044] Your request has been received",
			id: "179570498215.4838.3475347372465525895.ooo@example.net", kind: KindAutoReply,
			inReplyTo: []string{"ticket-1044-autoreply@helpdesk.local"}, references: []string{"ticket-1044-autoreply@helpdesk.local"}},
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, e := range entries {
		w, ok := cases[e.Name()]
		if !ok {
			continue
		}
		seen++
		t.Run(e.Name(), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			m, err := Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			checkUTF8(t, m)
			if w.from != "" {
				expect(t, "from", m.From.Address, w.from)
			} else if m.From.Address == "" {
				t.Error("no From")
			}
			expect(t, "subject", m.Subject, w.subject)
			expect(t, "id", m.MessageID, w.id)
			expect(t, "kind", m.Kind, w.kind)
			expect(t, "tag", m.TicketTag, w.tag)
			expect(t, "in-reply-to", m.InReplyTo, w.inReplyTo)
			expect(t, "references", m.References, w.references)
			if w.cc != nil {
				var cc []string
				for _, a := range m.Cc {
					cc = append(cc, a.Address)
				}
				expect(t, "cc", cc, w.cc)
			}
			if w.reply != "" {
				expect(t, "reply", m.ReplyText, w.reply)
			}
			var files []string
			for _, a := range m.Attachments {
				files = append(files, a.FileName)
				if a.Size == 0 || a.Size != len(a.Content) {
					t.Errorf("attachment %s: size %d, content %d", a.FileName, a.Size, len(a.Content))
				}
			}
			if w.files != nil {
				expect(t, "files", files, w.files)
			}
			if strings.TrimSpace(m.TextBody) == "" {
				t.Error("empty body")
			}
		})
	}
	if seen != len(cases) {
		t.Errorf("found %d of the %d real messages in %s", seen, len(cases), dir)
	}
}

func TestUndeclared8bit(t *testing.T) {
	cp1251 := "\xcf\xf0\xe8\xe2\xe5\xf2 \xec\xe8\xf0, \xef\xf0\xe8\xed\xf2\xe5\xf0 \xed\xe5 \xf0\xe0\xe1\xee\xf2\xe0\xe5\xf2."
	koi8 := "\xf0\xd2\xc9\xd7\xc5\xd4 \xcd\xc9\xd2, \xd0\xd2\xc9\xce\xd4\xc5\xd2 \xce\xc5 \xd2\xc1\xc2\xcf\xd4\xc1\xc5\xd4."
	for _, c := range []struct{ name, body, subject, want string }{
		{"cp1251", cp1251, "\xc0\xe2\xf2\xee\xee\xf2\xe2\xe5\xf2: x", "Привет мир, принтер не работает."},
		{"koi8-r", koi8, "subject", "Привет мир, принтер не работает."},
		{"latin1", "Gr\xfc\xdfe aus dem B\xfcro", "subject", "Grüße aus dem Büro"},
	} {
		raw := "From: x@y.example\nSubject: " + c.subject + "\nContent-Type: text/plain\n\n" + c.body + "\n"
		m, err := Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		expect(t, c.name+" body", strings.TrimSpace(m.TextBody), c.want)
		if c.name == "cp1251" {
			expect(t, "raw 8-bit subject", m.Subject, "Автоответ: x")
			expect(t, "kind", m.Kind, KindAutoReply)
		}
	}
}

func TestAutoReplySubjects(t *testing.T) {
	for subj, want := range map[string]bool{
		"Out of Office":                          true,
		"Out of Office: [INC-000123] Registered": true,
		"Automatic reply: Printer":               true,
		"Re: [INC-000123] Автоответ: Заявка":     true,
		"AUTO: Jane is out":                      true,
		"Нет на месте до понедельника":           true,
		"Out of office printer broken":           false,
		"Сотрудник в отпуске: нужен доступ к почте": false,
		"Autodesk licence expired":          false,
		"Automatic replies stopped working": false,
		"Printer":                           false,
	} {
		if got := hasAutoReplySubject(strings.ToLower(subj)); got != want {
			t.Errorf("%q: %v, want %v", subj, got, want)
		}
	}
}

// HTML-only replies: the quote is trimmed from the text converted from HTML
// (Gmail's blockquote becomes '>' lines, Outlook's bold header block stays a
// From:/Sent:/To: block).
func TestHTMLOnlyReplies(t *testing.T) {
	for _, c := range []struct{ html, want string }{
		{`<div dir="ltr">Works now, thanks.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Thu, 26 Nov 2026 at 10:02, IT Support &lt;<a href="mailto:support@helpdesk.local">support@helpdesk.local</a>&gt; wrote:<br></div><blockquote class="gmail_quote">Hi,<br>please reboot.</blockquote></div>`,
			"Works now, thanks."},
		{`<html><body><div>Fixed, close it.</div><div><br></div><hr><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>From:</b> IT Support &lt;support@helpdesk.local&gt;<br><b>Sent:</b> Thursday, November 26, 2026 10:15 AM<br><b>To:</b> John Smith<br><b>Subject:</b> [INC-000123] VPN</font></div><div>Please try again.</div></body></html>`,
			"Fixed, close it."},
	} {
		m, err := Parse([]byte("From: a@b.example\r\nSubject: Re: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + c.html))
		if err != nil {
			t.Fatal(err)
		}
		expect(t, "reply", m.ReplyText, c.want)
	}
}

func TestInlineOctetStreamOnce(t *testing.T) {
	raw := "From: a@b.example\r\nSubject: s\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nsee file\r\n" +
		"--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: inline; filename=f.bin\r\n\r\nxx\r\n--b--\r\n"
	m, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].FileName != "f.bin" || !m.Attachments[0].Inline {
		t.Fatalf("attachments = %+v", m.Attachments)
	}
}
