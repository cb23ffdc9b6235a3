package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testclock"
)

// The reopen window counts from the resolution: a ticket resolved ten days
// after it was registered is reopened by its requester an hour later (not
// refused because ten days have passed since it was opened), and refused
// with the rule reopen_window_passed once the window has passed since the
// resolution.
func TestTickets_ReopenWindowFromResolution(t *testing.T) {
	clock := testclock.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	e := newEnvClock(t, Options{}, clock)
	tk := e.agent.createTicket(ticketIn("Laptop will not charge"))
	tk = e.agent.move(tk, map[string]any{"to": "assigned"})
	tk = e.agent.move(tk, map[string]any{"to": "in_progress"})
	clock.Advance(10 * 24 * time.Hour)
	tk = e.agent.move(tk, map[string]any{"to": "resolved", "resolution_code": "solved", "resolution_notes": "New charger"})
	clock.Advance(time.Hour)
	tk = e.alice.move(tk, map[string]any{"to": "in_progress", "reason": "Charges only sometimes"})
	if tk.State != "in_progress" || tk.ReopenCount != 1 {
		t.Fatalf("reopen an hour after a late resolution: state %s, reopen_count %d", tk.State, tk.ReopenCount)
	}
	tk = e.agent.move(tk, map[string]any{"to": "resolved", "resolution_code": "solved", "resolution_notes": "New battery"})
	clock.Advance(7*24*time.Hour + time.Minute)
	p := problemOf(t, e.alice.do("POST", ticketURL(tk, "/transitions"), map[string]any{"to": "in_progress", "reason": "late"}).want(t, http.StatusConflict))
	if p.Rule != desk.RuleReopenClosed {
		t.Errorf("rule %q, want %q", p.Rule, desk.RuleReopenClosed)
	}
}
