package mailin_test

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/mailin"
	"github.com/tierdesk/tierdesk/internal/mailmsg"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// corpusCase is what one corpus message must become once delivered over
// SMTP into a desk: a new ticket, a comment or work note on the ticket it
// threads to, or nothing.
type corpusCase struct {
	file string
	// seed, when set, is the Message-ID the message replies to (or the
	// bounce returns), recorded first on a ticket of seedFrom, as if we had
	// sent it.
	seed, seedFrom string
	kind           string // "created", "comment", "work_note" or "dropped"
	requester      string // the ticket's requester
	title          string // for created
	text           string // the description (created) or the comment begins with this
	attachments    []string
}

var corpusCases = []corpusCase{
	{file: "01-py-utf8-alternative.eml", kind: "created", requester: "maria.ivanova@example.ru",
		title: "[INC-000123] Не работает принтер на 3 этаже — срочно", text: "Добрый день!\n\nПринтер PRN-3F выдаёт ошибку 0x50"},
	{file: "02-swaks-mixed-attachments.eml", kind: "created", requester: "carol@example.com",
		title: "[REQ-000050] Add two servers to monitoring", text: "Please add the attached servers to monitoring.",
		attachments: []string{"servers.csv text/csv 54", "core.bin application/octet-stream 4096"}},
	{file: "03-py-nested-inline-image.eml", kind: "created", requester: "jean.dupont@example.fr",
		title: "[REQ-000045] Nouvel écran pour le poste 12", text: "Bonjour,\n\nvoici la photo du poste",
		attachments: []string{"devis écran.pdf application/pdf 1380", "poste12.png image/png 74 inline"}},
	{file: "04-py-koi8r-subject-body.eml", kind: "created", requester: "p.sidorov@example.ru",
		title: "Не могу войти в 1С", text: "Здравствуйте!\n\nНе могу войти в 1С"},
	{file: "05-py-cp1251-body-rfc2231-name.eml", kind: "created", requester: "buh@example.ru",
		title: "Отчёт не выгружается", text: "Коллеги, отчёт за ноябрь не выгружается",
		attachments: []string{"Отчёт за ноябрь.txt text/plain 61"}},
	{file: "06-mutt-latin1-rfc2231-name.eml", kind: "created", requester: "juergen.weiss@example.de",
		title: "Tastatur defekt – Platz 7", text: "Guten Tag,\n\ndie Tastatur an Arbeitsplatz 7 hat defekte Tasten (ä, ö, ü",
		// 13 bytes in the file; an 8bit text part crosses SMTP with CRLF.
		attachments: []string{"Журнал клавиатуры.txt text/plain 14"}},
	{file: "07-py-gmail-reply-en.eml", seed: "ticket-INC-000123-3@helpdesk.local", seedFrom: "alice@example.com",
		kind: "comment", requester: "alice@example.com", text: "Thanks, it prints again.\nThe fuser still clicks though."},
	{file: "08-py-outlook-reply-en.eml", seed: "ticket-INC0000045-2@helpdesk.local", seedFrom: "john.smith@corp.example.com",
		kind: "comment", requester: "john.smith@corp.example.com", text: "Hi,\n\nThe new client 5.2.1 fixed it. You can close the ticket.\n\nRegards,\nJohn"},
	{file: "09-py-outlook-reply-ru-cp1251.eml", seed: "ticket-INC-000200-2@helpdesk.local", seedFrom: "o.kuznetsova@example.ru",
		kind: "comment", requester: "o.kuznetsova@example.ru", text: "Спасибо, после перезапуска всё заработало.\n\nОльга"},
	{file: "10-py-thunderbird-reply-ru.eml", seed: "ticket-REQ-000046-1@helpdesk.local", seedFrom: "sergey@example.ru",
		kind: "comment", requester: "sergey@example.ru", text: "Доступ нужен только на чтение."},
	{file: "11-py-gmail-reply-ru-signature.eml", seed: "ticket-INC-000201-2@helpdesk.local", seedFrom: "anna@example.ru",
		kind: "comment", requester: "anna@example.ru", text: "> Какая скорость по speedtest?\nОколо 2 Мбит/с."},
	{file: "12-py-html-only.eml", kind: "created", requester: "portal@example.com", title: "New laptop request",
		text: "**************\nLaptop request\n**************"},
	{file: "13-py-autoreply-ru-xautoreply.eml", seed: "ticket-INC-000202-1@helpdesk.local", seedFrom: "ivan@example.ru", kind: "dropped"},
	{file: "14-py-bounce-dsn.eml", seed: "ticket-INC-000123-1@helpdesk.local", seedFrom: "maria@example.ru",
		kind: "work_note", requester: "maria@example.ru", text: "Delivery failed to "},
	{file: "15-py-bounce-rfc822-headers.eml", seed: "ticket-INC-000124-7@helpdesk.local", seedFrom: "lost@example.org",
		kind: "work_note", requester: "lost@example.org", text: "Delivery failed to "},
	{file: "16-py-no-message-id-latin1.eml", kind: "created", requester: "juergen@example.de", title: "Drucker im Büro 2.14",
		text: "Hallo,\n\nder Drucker im Büro 2.14 druckt nur noch leere Seiten."},
	{file: "17-py-1mb-single-line.eml", kind: "created", requester: "monitor@example.com", title: "Log dump",
		text: "disk usage 99% on srv-db-01; disk usage 99%"},
	{file: "18-swaks-list-bulk.eml", kind: "dropped"},
	{file: "19-mutt-reply-attribution-signature.eml", seed: "ticket-INC-000140-2@helpdesk.local", seedFrom: "juergen.weiss@example.de",
		kind: "comment", requester: "juergen.weiss@example.de", text: "Yes, the replacement works. Thank you!"},
	{file: "20-swaks-ooo-en.eml", seed: "ticket-INC-000130-1@helpdesk.local", seedFrom: "dave@example.net", kind: "dropped"},
	{file: "21-py-own-notification-looped.eml", kind: "dropped"},
	{file: "22-py-html-cp1251-inline-image-no-name.eml", kind: "created", requester: "o.petrov@example.ru",
		title: "Ошибка при печати счёта", text: "Добрый день!\n\nПри печати счёта выходит ошибка, скриншот ниже:",
		attachments: []string{"image001.png image/png 74 inline"}},
	{file: "23-py-precedence-junk-autogenerated.eml", kind: "dropped"},
}

// TestCorpus_EndToEnd delivers every corpus message over SMTP into a desk
// on each database and checks what it became, through the store: a new
// ticket (requester, title, description, stored attachments), a comment on
// the ticket it replies to (quoted history trimmed), a work note for a
// bounce of our mail, or nothing at all for noise and our own mail. Every
// corpus file must have a case.
func TestCorpus_EndToEnd(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "mailmsg", "testdata", "corpus", "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, c := range corpusCases {
		covered[c.file] = true
	}
	for _, f := range files {
		if !covered[filepath.Base(f)] {
			t.Errorf("corpus message %s has no end-to-end case", filepath.Base(f))
		}
	}
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			cfg := desk.DefaultConfig
			cfg.MailLoopAddresses, cfg.MailIDDomain = []string{"tierdesk@helpdesk.local"}, "helpdesk.local"
			h := start(t, b.Open(t), mailin.Config{}, cfg)
			for _, c := range corpusCases {
				t.Run(strings.TrimSuffix(c.file, ".eml"), func(t *testing.T) { h.corpusCase(t, c) })
			}
		})
	}
}

func (h *harness) corpusCase(t *testing.T, c corpusCase) {
	if c.seed != "" {
		h.mustSend(t, mail(c.seedFrom, "Earlier request", c.seed, "", "The request this mail answers."))
	}
	raw := corpus(t, c.file)
	m, err := mailmsg.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	before := h.count(t, "tickets")
	h.mustSend(t, raw)
	var kind string
	var ticketID, eventID int64
	err = h.store.DB().QueryRow(`SELECT e.kind, m.ticket_id, e.id FROM mail_messages m JOIN events e ON e.id = m.event_id
		WHERE m.message_id = $1`, m.ID()).Scan(&kind, &ticketID, &eventID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		kind = "dropped"
	case err != nil:
		t.Fatal(err)
	}
	if kind != c.kind {
		t.Fatalf("became %q, want %q", kind, c.kind)
	}
	if after := h.count(t, "tickets"); (kind == "created") != (after == before+1) || after > before+1 {
		t.Errorf("tickets %d → %d for a %s", before, after, kind)
	}
	if kind == "dropped" {
		return
	}
	tk, err := h.store.GetTicket(t.Context(), ticketID)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Requester.Email != c.requester {
		t.Errorf("requester %s, want %s", tk.Requester.Email, c.requester)
	}
	evs := h.events(t, tk.Number)
	var ev *desk.Event
	for _, e := range evs {
		if e.ID == eventID {
			ev = e
		}
	}
	switch kind {
	case "created":
		if tk.Title != c.title || tk.Channel != desk.ChannelEmail {
			t.Errorf("title %q channel %s, want %q email", tk.Title, tk.Channel, c.title)
		}
		if !strings.HasPrefix(tk.Description, c.text) {
			t.Errorf("description %.200q, want it to begin %q", tk.Description, c.text)
		}
	case "comment":
		if ev == nil || !ev.Public || ev.Body != c.text {
			t.Errorf("comment %+v, want the public body %q", ev, c.text)
		}
	case "work_note":
		if ev == nil || ev.Public || !strings.HasPrefix(ev.Body, c.text) || !strings.Contains(ev.Body, c.seed) {
			t.Errorf("work note %+v, want an internal note naming %s", ev, c.seed)
		}
	}
	files, err := h.store.ListAttachments(t.Context(), ticketID, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range files {
		if a.EventID != eventID {
			continue
		}
		s := fmt.Sprintf("%s %s %d", a.FileName, a.ContentType, a.Size)
		if a.Inline {
			s += " inline"
		}
		got = append(got, s)
	}
	if strings.Join(got, "\n") != strings.Join(c.attachments, "\n") {
		t.Errorf("attachments:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.attachments, "\n"))
	}
}

// TestCorpus_FilesListed keeps the corpus README's table in step with the
// files.
func TestCorpus_FilesListed(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "mailmsg", "testdata", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range corpusCases {
		if !strings.Contains(string(readme), "| "+strings.TrimSuffix(c.file, ".eml")+" |") {
			t.Errorf("%s is not described in testdata/README.md", c.file)
		}
	}
}
