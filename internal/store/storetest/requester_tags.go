package storetest

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testRequesterTags checks a user's organisation and VIP flag: stored and
// read with the user, read with each ticket the user requested as the user
// has them now, and read by reports; and SLA policies that match on them.
func testRequesterTags(t *testing.T, open Opener) {
	f := newFixture(t, open)
	u := &desk.User{Email: "vip@example.com", Name: "Very Important", Organization: "ACME Corp", VIP: true,
		Role: desk.RoleRequester, Active: true}
	must(t, f.s.CreateUser(ctx(t), u))
	got, err := f.s.GetUser(ctx(t), u.ID)
	must(t, err)
	diff(t, "created user", u, got)
	plain, err := f.s.GetUser(ctx(t), f.req1.ID)
	must(t, err)
	if plain.Organization != "" || plain.VIP {
		t.Errorf("a user created without them has organisation %q, VIP %v", plain.Organization, plain.VIP)
	}
	ensured, err := f.s.EnsureRequester(ctx(t), &desk.User{Email: "VIP@example.com", Name: "ignored", Role: desk.RoleRequester})
	must(t, err)
	diff(t, "EnsureRequester of an existing VIP", u, ensured)

	tk := f.ticket("VIP laptop", 1)
	tk.Requester = desk.Person{ID: u.ID}
	f.create(t, tk)
	diff(t, "requester of the created ticket", u.Person(), tk.Requester)
	read, err := f.s.GetTicket(ctx(t), tk.ID)
	must(t, err)
	diff(t, "requester read with the ticket", u.Person(), read.Requester)

	u.Organization, u.VIP = "Globex", false
	must(t, f.s.UpdateUser(ctx(t), u, nil))
	got, err = f.s.GetUser(ctx(t), u.ID)
	must(t, err)
	diff(t, "updated user", u, got)
	read, err = f.s.GetTicketByNumber(ctx(t), tk.Number)
	must(t, err)
	diff(t, "requester after the user changed", u.Person(), read.Requester)
	list, err := f.s.ListTickets(ctx(t), desk.TicketFilter{Visibility: all, RequesterID: &u.ID})
	must(t, err)
	if len(list.Tickets) != 1 {
		t.Fatalf("listed %d tickets of the requester, want 1", len(list.Tickets))
	}
	diff(t, "requester in a list", u.Person(), list.Tickets[0].Requester)

	u.VIP = true
	must(t, f.s.UpdateUser(ctx(t), u, nil))
	var reported *desk.Ticket
	err = f.s.ReportTickets(ctx(t), base, base.Add(time.Hour), func(page []*desk.Ticket, _ map[int64][]*desk.Event) error {
		for _, r := range page {
			if r.ID == tk.ID {
				reported = r
			}
		}
		return nil
	})
	must(t, err)
	if reported == nil || reported.Requester.Organization != "Globex" || !reported.Requester.VIP {
		t.Errorf("ticket as a report reads it: %+v", reported)
	}

	t.Run("Policy", func(t *testing.T) { policyTags(t, f) })
}

// policyTags round-trips a policy's organisations and VIP-only flag; the
// seeded policies (stored before migration 00004) have neither.
func policyTags(t *testing.T, f *fixture) {
	p := &desk.SLAPolicy{Name: "VIP", Position: 1, Types: []desk.TicketType{desk.TypeIncident},
		Organizations: []string{"ACME Corp", "Группа Компаний"}, VIPOnly: true, Calendar: "24x7",
		Response: 10 * time.Minute, Resolution: 2 * time.Hour, Active: true}
	must(t, f.s.CreateSLAPolicy(ctx(t), p))
	got, err := f.s.GetSLAPolicy(ctx(t), p.ID)
	must(t, err)
	diff(t, "created policy", p, got)
	p.Organizations, p.VIPOnly = []string{"Globex"}, false
	must(t, f.s.UpdateSLAPolicy(ctx(t), p))
	got, err = f.s.GetSLAPolicy(ctx(t), p.ID)
	must(t, err)
	diff(t, "updated policy", p, got)
	p.Organizations = nil
	must(t, f.s.UpdateSLAPolicy(ctx(t), p))
	all, err := f.s.ListSLAPolicies(ctx(t))
	must(t, err)
	for _, q := range all {
		if len(q.Organizations) != 0 || q.VIPOnly {
			t.Errorf("policy %s: organisations %v, VIP only %v; want none and false", q.Name, q.Organizations, q.VIPOnly)
		}
	}
}
