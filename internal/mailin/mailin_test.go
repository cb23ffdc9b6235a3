package mailin_test

import (
	"context"
	"errors"
	"fmt"
	"net/smtp"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/mailin"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// harness is a desk on a real database behind a real SMTP listener.
type harness struct {
	addr  string
	store *sqlstore.Store
	desk  *desk.Desk
}

func start(t testing.TB, s *sqlstore.Store, cfg mailin.Config, dcfg desk.Config) *harness {
	t.Helper()
	return startClock(t, s, cfg, dcfg, desk.SystemClock{})
}

// startClock is start with the desk on clock (open the store on the same
// clock).
func startClock(t testing.TB, s *sqlstore.Store, cfg mailin.Config, dcfg desk.Config, clock desk.Clock) *harness {
	t.Helper()
	d := desk.New(s, clock, dcfg)
	cfg.Addr = "127.0.0.1:0"
	srv, err := mailin.Listen(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return &harness{addr: srv.Addr().String(), store: s, desk: d}
}

// send delivers raw over SMTP and returns the reply code (250 on success).
func (h *harness) send(t testing.TB, from string, raw []byte) (int, string) {
	t.Helper()
	raw = []byte(strings.ReplaceAll(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n", "\r\n"))
	err := smtp.SendMail(h.addr, nil, from, []string{"support@helpdesk.local"}, raw)
	if err == nil {
		return 250, ""
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code, te.Msg
	}
	t.Fatalf("send: %v", err)
	return 0, ""
}

func (h *harness) mustSend(t testing.TB, raw []byte) {
	t.Helper()
	if code, msg := h.send(t, "sender@example.net", raw); code != 250 {
		t.Fatalf("reply %d %s, want 250", code, msg)
	}
}

func corpus(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "mailmsg", "testdata", "corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mail(from, subject, id, inReplyTo, body string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\nTo: support@helpdesk.local\nSubject: %s\nDate: Thu, 26 Nov 2026 12:00:00 +0000\n", from, subject)
	if id != "" {
		fmt.Fprintf(&b, "Message-ID: <%s>\n", id)
	}
	if inReplyTo != "" {
		fmt.Fprintf(&b, "In-Reply-To: <%s>\nReferences: <%s>\n", inReplyTo, inReplyTo)
	}
	b.WriteString("MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" + body + "\n")
	return []byte(b.String())
}

func (h *harness) count(t testing.TB, table string) int {
	t.Helper()
	var n int
	if err := h.store.DB().QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (h *harness) ticket(t testing.TB, number string) *desk.Ticket {
	t.Helper()
	tk, err := h.store.GetTicketByNumber(t.Context(), number)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func (h *harness) events(t testing.TB, number string) []*desk.Event {
	t.Helper()
	p, err := h.store.ListEvents(t.Context(), h.ticket(t, number).ID, desk.EventFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return p.Events
}

func TestServer_Deliver(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			h := start(t, b.Open(t), mailin.Config{}, desk.DefaultConfig)
			t.Run("NewTicketKOI8R", func(t *testing.T) {
				h.mustSend(t, corpus(t, "04-py-koi8r-subject-body.eml"))
				tk := h.ticket(t, "INC-000001")
				if tk.Title != "Не могу войти в 1С" || tk.Channel != desk.ChannelEmail || tk.Requester.Email != "p.sidorov@example.ru" {
					t.Errorf("ticket %q channel %s requester %s", tk.Title, tk.Channel, tk.Requester.Email)
				}
				if !strings.Contains(tk.Description, "неверный пароль") {
					t.Errorf("description %q", tk.Description)
				}
			})
			t.Run("SameMessageIDTwice", func(t *testing.T) {
				h.mustSend(t, corpus(t, "04-py-koi8r-subject-body.eml"))
				if n := h.count(t, "tickets"); n != 1 {
					t.Errorf("%d tickets, want 1", n)
				}
			})
			t.Run("ReplyByInReplyTo", func(t *testing.T) {
				h.mustSend(t, mail("Пётр Сидоров <p.sidorov@example.ru>", "Re: Не могу войти в 1С", "reply-1@example.ru",
					"py-04-koi8r@example.ru", "Пароль сбросили, спасибо.\n\n> Не могу войти в 1С\n> старый текст"))
				evs := h.events(t, "INC-000001")
				last := evs[len(evs)-1]
				if last.Kind != desk.EventComment || last.Body != "Пароль сбросили, спасибо." {
					t.Errorf("last event %s %q", last.Kind, last.Body)
				}
				if n := h.count(t, "tickets"); n != 1 {
					t.Errorf("%d tickets, want 1", n)
				}
			})
			t.Run("TagFromRequester", func(t *testing.T) {
				h.mustSend(t, mail("p.sidorov@example.ru", "Re: [INC-000001] вход", "tag-1@example.ru", "", "Ещё одно уточнение."))
				evs := h.events(t, "INC-000001")
				if last := evs[len(evs)-1]; last.Kind != desk.EventComment || last.Body != "Ещё одно уточнение." {
					t.Errorf("last event %s %q", last.Kind, last.Body)
				}
			})
			t.Run("TagFromStranger", func(t *testing.T) {
				h.mustSend(t, mail("mallory@evil.example", "Re: [INC-000001] вход", "tag-2@evil.example", "", "Let me in."))
				tk := h.ticket(t, "INC-000002")
				if tk.Requester.Email != "mallory@evil.example" {
					t.Errorf("requester %s", tk.Requester.Email)
				}
				for _, e := range h.events(t, "INC-000001") {
					if strings.Contains(e.Body, "Let me in") {
						t.Error("stranger's mail became a comment")
					}
				}
			})
			t.Run("OneMegabyteLine", func(t *testing.T) {
				before := h.count(t, "tickets")
				h.mustSend(t, corpus(t, "17-py-1mb-single-line.eml"))
				if n := h.count(t, "tickets"); n != before+1 {
					t.Errorf("%d tickets, want %d", n, before+1)
				}
			})
			t.Run("NoiseDropped", func(t *testing.T) {
				before := h.count(t, "tickets")
				h.mustSend(t, corpus(t, "13-py-autoreply-ru-xautoreply.eml"))
				h.mustSend(t, corpus(t, "18-swaks-list-bulk.eml"))
				h.mustSend(t, corpus(t, "20-swaks-ooo-en.eml"))
				if n := h.count(t, "tickets"); n != before {
					t.Errorf("%d tickets, want %d", n, before)
				}
			})
			t.Run("BounceOfStoredMessage", func(t *testing.T) {
				// A message with the id the bounce returns, recorded on a ticket.
				h.mustSend(t, mail("ops@example.org", "Printer", "ticket-INC-000123-1@helpdesk.local", "", "Printer jammed."))
				h.mustSend(t, corpus(t, "14-py-bounce-dsn.eml"))
				evs := h.events(t, "INC-000004")
				last := evs[len(evs)-1]
				if last.Kind != desk.EventWorkNote || last.Public || !strings.Contains(last.Body, "Delivery failed to") {
					t.Errorf("last event %s public=%v %q", last.Kind, last.Public, last.Body)
				}
			})
		})
	}
}

func TestServer_FinalTicketOpensNew(t *testing.T) {
	h := start(t, testdb.SQLite(t), mailin.Config{}, desk.DefaultConfig)
	h.mustSend(t, mail("ann@example.com", "VPN down", "a-1@example.com", "", "VPN is down."))
	ctx := desk.AsSystem(t.Context())
	if _, err := h.desk.Transition(ctx, "INC-000001", desk.TransitionInput{To: desk.StateCanceled, Reason: "duplicate"}); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	h.mustSend(t, mail("ann@example.com", "Re: VPN down", "a-2@example.com", "a-1@example.com", "Still down."))
	tk := h.ticket(t, "INC-000002")
	if !strings.Contains(tk.Description, "Follow-up to INC-000001") {
		t.Errorf("description %q", tk.Description)
	}
}

func TestServer_Refusals(t *testing.T) {
	t.Run("Oversize", func(t *testing.T) {
		h := start(t, testdb.SQLite(t), mailin.Config{MaxBytes: 2000}, desk.DefaultConfig)
		code, msg := h.send(t, "a@example.com", mail("a@example.com", "big", "big@example.com", "", strings.Repeat("x", 5000)))
		if code != 552 || !strings.Contains(msg, "size limit") {
			t.Errorf("reply %d %s, want 552", code, msg)
		}
	})
	t.Run("DatabaseClosed", func(t *testing.T) {
		s := testdb.SQLite(t)
		h := start(t, s, mailin.Config{}, desk.DefaultConfig)
		s.Close()
		if code, msg := h.send(t, "a@example.com", mail("a@example.com", "x", "db@example.com", "", "x")); code != 451 {
			t.Errorf("reply %d %s, want 451", code, msg)
		}
	})
	t.Run("UnknownSenderRejected", func(t *testing.T) {
		cfg := desk.DefaultConfig
		cfg.MailRejectUnknown = true
		h := start(t, testdb.SQLite(t), mailin.Config{}, cfg)
		code, msg := h.send(t, "a@example.com", mail("who@example.com", "hi", "u@example.com", "", "hi"))
		if code != 550 || !strings.Contains(msg, "unknown sender") {
			t.Errorf("reply %d %s, want 550", code, msg)
		}
	})
	t.Run("RateLimit", func(t *testing.T) {
		cfg := desk.DefaultConfig
		cfg.MailTicketsPerHour = 2
		h := start(t, testdb.SQLite(t), mailin.Config{}, cfg)
		for i := range 2 {
			h.mustSend(t, mail("flood@example.com", "n", fmt.Sprintf("r%d@example.com", i), "", "x"))
		}
		code, msg := h.send(t, "flood@example.com", mail("flood@example.com", "n", "r3@example.com", "", "x"))
		if code != 450 || !strings.Contains(msg, "too many new tickets") {
			t.Errorf("reply %d %s, want 450", code, msg)
		}
		// A reply to the sender's ticket is not a new ticket: not limited.
		h.mustSend(t, mail("flood@example.com", "Re: n", "r4@example.com", "r0@example.com", "more"))
		h.mustSend(t, mail("other@example.com", "n", "o1@example.com", "", "x"))
		if n := h.count(t, "tickets"); n != 3 {
			t.Errorf("%d tickets, want 3", n)
		}
	})
	t.Run("Unparsable", func(t *testing.T) {
		h := start(t, testdb.SQLite(t), mailin.Config{}, desk.DefaultConfig)
		if code, msg := h.send(t, "a@example.com", []byte("\n\n")); code != 554 {
			t.Errorf("reply %d %s, want 554", code, msg)
		}
	})
}

// TestServer_Conversation: staff replying by mail answer as staff (the first
// response), and the requester's reply takes a ticket off hold.
func TestServer_Conversation(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			s := b.Open(t)
			h := start(t, s, mailin.Config{}, desk.DefaultConfig)
			sys := desk.AsSystem(t.Context())
			g, err := s.DefaultGroup(sys)
			if err != nil {
				t.Fatal(err)
			}
			agent, _, err := h.desk.Bootstrap(sys, desk.UserInput{Email: "agent@helpdesk.local", Name: "Agent", Role: desk.RoleAgent}, false, g.ID)
			if err != nil {
				t.Fatal(err)
			}
			h.mustSend(t, mail("ann@example.com", "VPN down", "c-1@example.com", "", "VPN is down."))
			h.mustSend(t, mail("Agent <agent@helpdesk.local>", "Re: [INC-000001] VPN down", "c-2@helpdesk.local", "", "Which office?"))
			tk := h.ticket(t, "INC-000001")
			if tk.FirstResponseAt == nil {
				t.Error("staff reply is not the first response")
			}
			for _, to := range []desk.State{desk.StateAssigned, desk.StateInProgress} {
				if _, err := h.desk.Transition(sys, "INC-000001", desk.TransitionInput{To: to, AssigneeID: agent.ID}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := h.desk.Transition(sys, "INC-000001", desk.TransitionInput{To: desk.StateOnHold, HoldReason: desk.HoldAwaitingRequester}); err != nil {
				t.Fatal(err)
			}
			reply := mail("ann@example.com", "Re: [INC-000001] VPN down", "c-3@example.com", "c-2@helpdesk.local", "Moscow office.")
			h.mustSend(t, reply)
			h.mustSend(t, reply) // redelivered: no second comment
			tk = h.ticket(t, "INC-000001")
			if tk.State != desk.StateInProgress {
				t.Errorf("state %s after the requester's reply, want in_progress", tk.State)
			}
			n := 0
			for _, e := range h.events(t, "INC-000001") {
				if e.Body == "Moscow office." {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%d comments from the reply, want 1", n)
			}
		})
	}
}

// TestServer_ConcurrentRedelivery delivers one message on several
// connections at once: one ticket, every delivery answered 250.
func TestServer_ConcurrentRedelivery(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			h := start(t, b.Open(t), mailin.Config{}, desk.DefaultConfig)
			raw := mail("bob@example.com", "Disk full", "same@example.com", "", "Disk is full.")
			var wg sync.WaitGroup
			for range 6 {
				wg.Go(func() {
					if code, msg := h.send(t, "bob@example.com", raw); code != 250 {
						t.Errorf("reply %d %s", code, msg)
					}
				})
			}
			wg.Wait()
			if n := h.count(t, "tickets"); n != 1 {
				t.Errorf("%d tickets, want 1", n)
			}
		})
	}
}

// TestServer_AttachmentNames: attachments are not stored yet, but their
// decoded names and sizes go into the description.
func TestServer_AttachmentNames(t *testing.T) {
	h := start(t, testdb.SQLite(t), mailin.Config{}, desk.DefaultConfig)
	h.mustSend(t, corpus(t, "05-py-cp1251-body-rfc2231-name.eml"))
	tk := h.ticket(t, "INC-000001")
	if tk.Title != "Отчёт не выгружается" {
		t.Errorf("title %q", tk.Title)
	}
	if !strings.HasSuffix(tk.Description, "Attachments: Отчёт за ноябрь.txt (61 B)") {
		t.Errorf("description %q", tk.Description)
	}
}
