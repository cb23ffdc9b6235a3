package pager_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/pager"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestEscalation_StakeholdersPagedBesideTheGroup: stakeholders who asked
// to be paged are paged through their contact methods when a major
// incident is declared and at each public update, each by a page of their
// own that runs beside the group's own page and the missed-update page on
// the same ticket and group; taking the ticket ends only the group's own
// page; stakeholders who did not ask, outside addresses and non-staff are
// not paged.
func TestEscalation_StakeholdersPagedBesideTheGroup(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		majors := major.New(f.d, f.store, f.store, f.clock, major.DefaultConfig)
		f.policy(5, desk.EscalationStep{UserIDs: []int64{f.ann.ID}, Delay: 5 * time.Minute})
		svc, err := f.d.CreateService(f.admin, desk.ServiceInput{Name: "Payments", OwnerGroupID: f.core.ID})
		must(t, err)
		mia := f.user("mia", desk.RoleManager)
		srv, hooks := hookServer(t)
		must(t, f.d.AddContactMethod(f.admin, &desk.ContactMethod{UserID: mia.ID, Kind: desk.ContactWebhook, Target: srv.URL + "/mia"}))
		must(t, f.d.AddContactMethod(f.admin, &desk.ContactMethod{UserID: mia.ID, Kind: desk.ContactEmail, Target: "mia.phone@example.com"}))
		customer := f.user("carl", desk.RoleRequester)
		for _, h := range []major.Stakeholder{
			{ServiceID: svc.ID, UserID: mia.ID, Page: true},
			{ServiceID: svc.ID, UserID: f.cid.ID, Page: true},
			{ServiceID: svc.ID, UserID: f.bob.ID},                     // mail only
			{ServiceID: svc.ID, Email: "cio@example.com", Page: true}, // no user: urgent mail only
			{ServiceID: svc.ID, UserID: customer.ID, Page: true},      // not staff: mail only
		} {
			_, err := majors.AddStakeholder(f.admin, h)
			must(t, err)
		}
		tk, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: "Payments down", Channel: desk.ChannelMonitoring,
			Requester: desk.PersonInput{Email: "mon@example.com", Name: "Monitoring"}, Impact: desk.LevelHigh, Urgency: desk.LevelHigh,
			GroupID: f.core.ID, ServiceID: svc.ID}, "")
		must(t, err)
		f.sweep() // the group's own page: Ann
		ann := desk.WithActor(context.Background(), f.ann)
		m, err := majors.Declare(ann, tk.Number, major.DeclareInput{CommanderID: f.ann.ID, Cadence: 30 * time.Minute})
		must(t, err)
		f.sweep()
		diff(t, "e-mailed pages after the declaration", sorted(f.ann.ID, mia.ID, f.cid.ID), sorted(f.mails(tk)...))
		if got := f.pageMailsTo(tk, mia.ID); !slices.Equal(got, []string{"mia.phone@example.com"}) {
			t.Errorf("Mia's page mails went to %v, want her contact method's address", got)
		}
		diff(t, "active pages on Core", []string{"", desk.StakeholderPurpose(mia.ID), desk.StakeholderPurpose(f.cid.ID)}, f.active(tk))
		tl, err := majors.Timeline(ann, m.ID)
		must(t, err)
		i := slices.IndexFunc(tl, func(e major.Entry) bool { return e.Kind == major.EntryStakeholdersPaged })
		if i < 0 || tl[i].Code != desk.ReasonMajorStakeholdersPaged || tl[i].Words("ru") != "вызваны заинтересованные лица: Mia, Cid" {
			t.Errorf("the timeline's stakeholder entry: %+v", tl)
		}
		reqs := hooks()
		if len(reqs) != 1 {
			t.Fatalf("%d webhook requests to Mia, want 1", len(reqs))
		}
		var body pager.WebhookPayload
		must(t, json.Unmarshal(reqs[0].body, &body))
		if body.User != "Mia" || body.Group != "" || !strings.Contains(body.Reason, "major incident "+tk.Number+" declared: Payments down") {
			t.Errorf("Mia's webhook %+v", body)
		}

		_, err = f.d.Take(ann, tk.Number, 0) // answers the group's page, not the stakeholders'
		must(t, err)
		f.sweep()
		diff(t, "active pages after Ann took the ticket", []string{desk.StakeholderPurpose(mia.ID), desk.StakeholderPurpose(f.cid.ID)}, f.active(tk))
		f.clock.Advance(major.StakeholderAckWindow)
		f.sweep()
		diff(t, "active pages after the stakeholders' window", []string(nil), f.active(tk))

		f.clock.Advance(31*time.Minute - major.StakeholderAckWindow) // the update is missed: Core is paged although Ann took the ticket
		if _, err := majors.Sweep(context.Background()); err != nil {
			t.Fatal(err)
		}
		f.sweep()
		diff(t, "active pages after the missed update", []string{desk.PurposeMajorUpdate}, f.active(tk))
		_, err = majors.PostUpdate(ann, m.ID, major.UpdateInput{Affected: "Card payments", Doing: "Failing over"})
		must(t, err)
		f.sweep()
		// The update is what the missed-update page asked for: it ends.
		diff(t, "active pages after the late update", []string{desk.StakeholderPurpose(mia.ID),
			desk.StakeholderPurpose(f.cid.ID)}, f.active(tk))
		diff(t, "e-mailed pages in all", sorted(f.ann.ID, mia.ID, f.cid.ID, f.ann.ID, mia.ID, f.cid.ID), sorted(f.mails(tk)...))
		if reqs := hooks(); len(reqs) != 2 || !strings.Contains(string(reqs[1].body), "public update. Affected: Card payments") {
			t.Errorf("Mia's webhook after the update: %d requests", len(reqs))
		}
	})
}

func (f *fixture) user(name string, role desk.Role) *desk.User {
	f.t.Helper()
	u, err := f.d.CreateUser(f.admin, desk.UserInput{Email: name + "@example.com", Name: strings.ToUpper(name[:1]) + name[1:], Role: role})
	must(f.t, err)
	return u
}

// active lists the purposes of the pages running on tk, oldest first.
func (f *fixture) active(tk *desk.Ticket) []string {
	f.t.Helper()
	pages, err := f.d.TicketPages(f.admin, tk.Number)
	must(f.t, err)
	var out []string
	for _, p := range pages {
		if p.State == desk.PageActive {
			if p.GroupID != f.core.ID {
				f.t.Errorf("page %d runs on group %d, want Core", p.ID, p.GroupID)
			}
			out = append(out, p.Purpose)
		}
	}
	return out
}

// pageMailsTo lists the addresses the ticket's page e-mails to userID went to.
func (f *fixture) pageMailsTo(tk *desk.Ticket, userID int64) []string {
	f.t.Helper()
	msgs, err := f.store.Outbox(context.Background(), tk.ID)
	must(f.t, err)
	var out []string
	for _, m := range msgs {
		if m.Kind == desk.OutboxOnCallPage && m.UserID == userID {
			out = append(out, m.Payload["to"])
		}
	}
	return out
}

func sorted(ids ...int64) []int64 {
	slices.Sort(ids)
	return ids
}
