package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// TestWeb_AgentReassign: an agent moves a ticket to another group of the
// same or a lower line with a reason; it counts as a reassignment, a
// missing reason or a stale form changes nothing, and higher lines are
// left to escalation.
func TestWeb_AgentReassign(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	ctx := desk.WithActor(context.Background(), e.lena)
	sys := desk.AsSystem(context.Background())
	desktop, err := e.d.CreateGroup(sys, desk.GroupInput{Name: "Desktop", Line: desk.Line1})
	if err != nil {
		t.Fatal(err)
	}
	network, err := e.d.CreateGroup(sys, desk.GroupInput{Name: "Network", Line: desk.Line2})
	if err != nil {
		t.Fatal(err)
	}
	tk, _, err := e.d.CreateTicket(ctx, desk.NewTicket{Type: desk.TypeIncident, Title: "Printer jammed", Channel: desk.ChannelPhone,
		Requester: desk.PersonInput{Email: "sam@example.com"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	l := e.client()
	l.signIn("lena@example.com")
	path := "/tickets/" + tk.Number
	page := l.get(path)
	form := page.body[strings.Index(page.body, `action="`+path+`/reassign"`):]
	form = form[:strings.Index(form, "</form>")]
	if !strings.Contains(form, fmt.Sprintf(`<option value="%d"`, desktop.ID)) || strings.Count(form, "<option") != 1 {
		t.Fatalf("the reassign form should offer Desktop only (not Network on line 2, not the own group): %s", form)
	}
	csrf := csrfRE.FindStringSubmatch(page.body)[1]
	post := func(group int64, reason string, version int) response {
		return l.post(path+"/reassign", url.Values{"csrf": {csrf}, "group_id": {fmt.Sprint(group)}, "reason": {reason},
			"version": {fmt.Sprint(version)}, "seen": {"0"}})
	}
	unchanged := func(what string) {
		t.Helper()
		got, err := e.d.Ticket(ctx, tk.Number)
		if err != nil || got.Group.ID != tk.Group.ID || got.ReassignmentCount != 0 {
			t.Fatalf("%s changed the ticket: %+v %v", what, got, err)
		}
	}

	p := post(desktop.ID, "  ", tk.Version)
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="reassign.reason-error"`) ||
		!strings.Contains(p.body, `id="act-reassign" data-key="m" open`) {
		t.Fatalf("no reason: %d %.400s", p.status, p.body)
	}
	unchanged("a reassignment without reason")
	p = post(network.ID, "needs the network team", tk.Version)
	if p.status != http.StatusConflict || !strings.Contains(p.body, "escalate instead") ||
		!strings.Contains(p.body, "needs the network team") {
		t.Fatalf("to a higher line: %d %.400s", p.status, p.body)
	}
	unchanged("a reassignment to a higher line")

	// Someone else changes the ticket: the form comes back with what changed
	// and the reason kept, and nothing is overwritten.
	imp := desk.LevelHigh
	if _, err := e.d.UpdateTicket(ctx, tk.Number, desk.TicketPatch{Impact: &imp, Reason: "whole floor"}); err != nil {
		t.Fatal(err)
	}
	p = post(desktop.ID, "desktop hardware", tk.Version)
	if p.status != http.StatusConflict || !strings.Contains(p.body, `id="stale-h"`) || !strings.Contains(p.body, "desktop hardware") {
		t.Fatalf("stale form: %d %.400s", p.status, p.body)
	}
	unchanged("a stale reassignment")

	p = post(desktop.ID, "desktop hardware", tk.Version+1)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != path+"?done=reassign" {
		t.Fatalf("reassign: %d %s %.300s", p.status, p.header.Get("Location"), p.body)
	}
	got, err := e.d.Ticket(desk.AsSystem(context.Background()), tk.Number)
	if err != nil || got.Group.ID != desktop.ID || got.ReassignmentCount != 1 || got.State != desk.StateAssigned {
		t.Fatalf("after the reassignment: %+v %v", got, err)
	}
	if p := l.get(p.header.Get("Location")); !strings.Contains(p.body, "The ticket is moved to the other group.") ||
		!strings.Contains(p.body, "desktop hardware") {
		t.Errorf("the ticket page after the move lacks the confirmation or the reason: %d", p.status)
	}
}
