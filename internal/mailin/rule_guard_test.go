package mailin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/mailin"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// A colleague who was copied on the requester's mail answers to all: the
// reply is threaded (In-Reply-To, References) to a ticket the colleague
// takes no part in. It opens the colleague's own ticket, answered 250,
// instead of failing as a comment on a ticket they may not see (554, the
// mail bounces) or landing on the stranger's ticket.
func TestServer_ThreadedReplyFromNonParticipant(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			h := start(t, b.Open(t), mailin.Config{}, desk.DefaultConfig)
			h.mustSend(t, mail("Ann <ann@example.com>", "VPN down", "ra-1@example.com", "", "VPN is down since 9."))
			code, msg := h.send(t, "carl@example.com", mail("Carl <carl@example.com>", "Re: VPN down", "ra-2@example.com",
				"ra-1@example.com", "Same here in Kazan.\n\n> VPN is down since 9."))
			if code != 250 {
				t.Fatalf("the colleague's reply was answered %d %s, want 250", code, msg)
			}
			own := h.ticket(t, "INC-000002")
			if own.Requester.Email != "carl@example.com" || own.Title != "Re: VPN down" {
				t.Errorf("the colleague's ticket: requester %s title %q", own.Requester.Email, own.Title)
			}
			for _, e := range h.events(t, "INC-000001") {
				if strings.Contains(e.Body, "Kazan") {
					t.Errorf("the colleague's reply became %s on Ann's ticket", e.Kind)
				}
			}
			// Ann's own reply on the same thread still lands on her ticket.
			h.mustSend(t, mail("Ann <ann@example.com>", "Re: VPN down", "ra-3@example.com", "ra-1@example.com", "Still down."))
			evs := h.events(t, "INC-000001")
			if last := evs[len(evs)-1]; last.Kind != desk.EventComment || last.Body != "Still down." {
				t.Errorf("Ann's reply: last event %s %q", last.Kind, last.Body)
			}
			if n := h.count(t, "tickets"); n != 2 {
				t.Errorf("%d tickets, want 2", n)
			}
		})
	}
}

// "Reply to reopen" counts its window from the resolution: a ticket that
// took ten days to resolve is reopened by the requester's reply an hour
// after the resolution; past the window from the resolution the reply
// stays a comment.
func TestServer_ReplyReopensLateResolvedTicket(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			clock := testdb.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
			h := startClock(t, b.Open(t, sqlstore.WithClock(clock)), mailin.Config{}, desk.DefaultConfig, clock)
			sys := desk.AsSystem(t.Context())
			g, err := h.store.DefaultGroup(sys)
			if err != nil {
				t.Fatal(err)
			}
			agent, _, err := h.desk.Bootstrap(sys, desk.UserInput{Email: "agent@helpdesk.local", Name: "Agent", Role: desk.RoleAgent}, false, g.ID)
			if err != nil {
				t.Fatal(err)
			}
			resolve := func(notes string) {
				t.Helper()
				for _, to := range []desk.State{desk.StateAssigned, desk.StateInProgress} {
					if tk := h.ticket(t, "INC-000001"); tk.State == desk.StateInProgress {
						break
					}
					if _, err := h.desk.Transition(sys, "INC-000001", desk.TransitionInput{To: to, AssigneeID: agent.ID}); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := h.desk.Transition(sys, "INC-000001", desk.TransitionInput{To: desk.StateResolved,
					ResolutionCode: "solved", ResolutionNotes: notes}); err != nil {
					t.Fatal(err)
				}
			}
			h.mustSend(t, mail("ann@example.com", "Scanner broken", "rr-1@example.com", "", "The scanner is broken."))
			clock.Advance(10 * 24 * time.Hour)
			resolve("New scanner")
			clock.Advance(time.Hour)
			h.mustSend(t, mail("ann@example.com", "Re: Scanner broken", "rr-2@example.com", "rr-1@example.com", "It does not scan to mail."))
			if tk := h.ticket(t, "INC-000001"); tk.State != desk.StateInProgress || tk.ReopenCount != 1 {
				t.Fatalf("after the reply an hour after resolution: %s, reopened %d times; want in_progress, 1", tk.State, tk.ReopenCount)
			}
			resolve("Scan to mail set up")
			clock.Advance(7*24*time.Hour + time.Minute)
			h.mustSend(t, mail("ann@example.com", "Re: Scanner broken", "rr-3@example.com", "rr-1@example.com", "Thanks!"))
			if tk := h.ticket(t, "INC-000001"); tk.State != desk.StateResolved || tk.ReopenCount != 1 {
				t.Errorf("a reply past the window: %s, reopened %d times; want resolved, 1", tk.State, tk.ReopenCount)
			}
		})
	}
}

// A person's mail that says Auto-Submitted: no opens a ticket like any
// other; automatic mail (auto-generated) is dropped.
func TestServer_AutoSubmittedNoOpensTicket(t *testing.T) {
	h := start(t, testdb.SQLite(t), mailin.Config{}, desk.DefaultConfig)
	human := strings.Replace(string(mail("ann@example.com", "Printer jams", "asn-1@example.com", "", "It jams.")),
		"MIME-Version:", "Auto-Submitted: no\nMIME-Version:", 1)
	robot := strings.Replace(string(mail("cron@example.com", "Disk report", "asn-2@example.com", "", "98% used.")),
		"MIME-Version:", "Auto-Submitted: auto-generated\nMIME-Version:", 1)
	h.mustSend(t, []byte(human))
	h.mustSend(t, []byte(robot))
	if n := h.count(t, "tickets"); n != 1 {
		t.Fatalf("%d tickets, want 1 (the person's)", n)
	}
	if tk := h.ticket(t, "INC-000001"); tk.Requester.Email != "ann@example.com" {
		t.Errorf("ticket from %s", tk.Requester.Email)
	}
}
