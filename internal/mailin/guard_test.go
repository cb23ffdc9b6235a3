package mailin_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/mailin"
	"github.com/tierdesk/tierdesk/internal/store/postgres"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestServer_LoopGuard: mail from our own address or domain, with our own
// header, or with one of our Message-IDs is accepted (250, so that nobody
// retries) and dropped; a person's reply that refers to our Message-ID is
// not.
func TestServer_LoopGuard(t *testing.T) {
	cfg := desk.DefaultConfig
	cfg.MailLoopAddresses = []string{"Tierdesk@Helpdesk.local", "@notify.helpdesk.local"}
	cfg.MailIDDomain = "helpdesk.local"
	h := start(t, testdb.SQLite(t), mailin.Config{}, cfg)
	for _, raw := range [][]byte{
		mail("Tierdesk <tierdesk@helpdesk.local>", "[INC-000001] registered", "l-1@x", "", "Your ticket"),
		mail("robot@notify.helpdesk.local", "Ticket update", "l-2@x", "", "update"),
		[]byte(strings.Replace(string(mail("someone@example.com", "Re: update", "l-3@x", "", "looped")),
			"Subject:", "X-Tierdesk-Ticket: INC-000001\nSubject:", 1)),
		mail("someone@example.com", "Ticket update", "tierdesk.17.abc@helpdesk.local", "", "our own id"),
	} {
		h.mustSend(t, raw)
	}
	if n := h.count(t, "tickets"); n != 0 {
		t.Fatalf("%d tickets from our own mail, want 0", n)
	}
	if n := h.count(t, "users"); n != 0 {
		t.Errorf("%d users registered from our own mail, want 0", n)
	}
	h.mustSend(t, mail("ann@example.com", "Re: Ticket update", "l-5@example.com", "tierdesk.17.abc@helpdesk.local", "A person answering."))
	if tk := h.ticket(t, "INC-000001"); tk.Requester.Email != "ann@example.com" {
		t.Errorf("requester %s", tk.Requester.Email)
	}
}

// TestServer_StoresAttachments: a message's attachments and inline image
// are stored with the event it became, names decoded (RFC 2231), digests
// of the decoded content; a reply's files go with the comment.
func TestServer_StoresAttachments(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			h := start(t, b.Open(t), mailin.Config{}, desk.DefaultConfig)
			h.mustSend(t, corpus(t, "03-py-nested-inline-image.eml"))
			tk := h.ticket(t, "INC-000001")
			list, err := h.store.ListAttachments(t.Context(), tk.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range list {
				got = append(got, fmt.Sprintf("%s %s %d %s inline=%v cid=%s", a.FileName, a.ContentType, a.Size, a.SHA256[:12], a.Inline, a.ContentID))
			}
			want := []string{
				"devis écran.pdf application/pdf 1380 2a57f86970c7 inline=false cid=",
				"poste12.png image/png 74 59edf55565bc inline=true cid=poste12@example.fr",
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("attachments:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			evs := h.events(t, "INC-000001")
			if len(list) == 2 && list[0].EventID != evs[0].ID {
				t.Errorf("attachments on event %d, want the creation event %d", list[0].EventID, evs[0].ID)
			}
			full, err := h.store.GetAttachment(t.Context(), list[1].ID)
			if err != nil {
				t.Fatal(err)
			}
			if sum := sha256.Sum256(full.Content); hex.EncodeToString(sum[:]) != full.SHA256 || !strings.HasPrefix(string(full.Content), "\x89PNG") {
				t.Errorf("stored image content does not match its digest or is not a PNG: %q", full.Content[:8])
			}

			// A reply with a file: the file belongs to the comment.
			reply := strings.Replace(string(corpus(t, "05-py-cp1251-body-rfc2231-name.eml")), "Message-ID:",
				"In-Reply-To: <py-03-nested@example.fr>\nX-Original-Message-ID:", 1)
			reply = strings.Replace(reply, "From:", "X-Original-From:", 1)
			reply = "From: Jean Dupont <jean.dupont@example.fr>\nMessage-ID: <reply-05@example.fr>\n" + reply
			h.mustSend(t, []byte(reply))
			if n := h.count(t, "tickets"); n != 1 {
				t.Fatalf("%d tickets, want 1 (the reply is a comment)", n)
			}
			evs = h.events(t, "INC-000001")
			last := evs[len(evs)-1]
			list, err = h.store.ListAttachments(t.Context(), tk.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 3 || list[2].EventID != last.ID || list[2].FileName != "Отчёт за ноябрь.txt" || list[2].Size != 61 {
				t.Errorf("after the reply: %d attachments, last %+v; comment event %d", len(list), list[len(list)-1], last.ID)
			}
			if !strings.Contains(last.Body, "Attachments: Отчёт за ноябрь.txt (61 B)") {
				t.Errorf("comment %q does not list its file", last.Body)
			}
		})
	}
}

// TestServer_AttachmentOverLimit: a file over the limit is not stored, the
// ticket is, and its description says what was left out.
func TestServer_AttachmentOverLimit(t *testing.T) {
	cfg := desk.DefaultConfig
	cfg.AttachmentMaxBytes = 1000
	h := start(t, testdb.SQLite(t), mailin.Config{}, cfg)
	h.mustSend(t, corpus(t, "03-py-nested-inline-image.eml"))
	tk := h.ticket(t, "INC-000001")
	list, err := h.store.ListAttachments(t.Context(), tk.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].FileName != "poste12.png" {
		t.Errorf("stored %d attachments (%v), want only the image", len(list), list)
	}
	if !strings.Contains(tk.Description, "devis écran.pdf (2 KB) [not stored: over the size limit]") {
		t.Errorf("description %q", tk.Description)
	}
}

// TestServer_RateLimitAcrossInstances: two instances (two stores, two
// listeners) on one PostgreSQL database share the per-sender count.
func TestServer_RateLimitAcrossInstances(t *testing.T) {
	url := testdb.PostgresSchema(t)
	cfg := desk.DefaultConfig
	cfg.MailTicketsPerHour = 3
	a := start(t, openPostgres(t, url), mailin.Config{}, cfg)
	b := start(t, openPostgres(t, url), mailin.Config{}, cfg)
	for i, h := range []*harness{a, b, a} {
		h.mustSend(t, mail("flood@example.com", "n", fmt.Sprintf("f%d@example.com", i), "", "x"))
	}
	for i, h := range []*harness{b, a} {
		if code, msg := h.send(t, "flood@example.com", mail("flood@example.com", "n", fmt.Sprintf("g%d@example.com", i), "", "x")); code != 450 {
			t.Errorf("instance %d: reply %d %s, want 450", i, code, msg)
		}
	}
	b.mustSend(t, mail("calm@example.com", "n", "c1@example.com", "", "x"))
	if n := a.count(t, "tickets"); n != 4 {
		t.Errorf("%d tickets, want 4", n)
	}
}

// openPostgres opens (and migrates) one more store on the schema at url, as
// another instance of the service would.
func openPostgres(t testing.TB, url string) *sqlstore.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}
