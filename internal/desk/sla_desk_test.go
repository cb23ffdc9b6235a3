package desk_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

func clockOf(t *testing.T, sla *desk.TicketSLA, kind desk.SLAKind) desk.SLAClock {
	t.Helper()
	for _, c := range sla.Clocks {
		if c.Kind == kind {
			return c
		}
	}
	t.Fatalf("no %s clock in %+v", kind, sla)
	return desk.SLAClock{}
}

func TestDesk_TicketSLA(t *testing.T) {
	f := newFixture(t) // the fixture's clock starts on Monday 2026-03-02 09:00 UTC
	t.Run("P1RoundTheClock", func(t *testing.T) {
		tk := f.incident("Payments down") // high × high = P1
		f.clock.Advance(10 * time.Minute)
		sla, err := f.d.TicketSLA(f.l1, tk.Number)
		if err != nil {
			t.Fatal(err)
		}
		if sla.Policy == nil || sla.Policy.Name != "P1 incidents" || sla.Calendar != "24x7" {
			t.Fatalf("policy %+v calendar %q", sla.Policy, sla.Calendar)
		}
		resp := clockOf(t, sla, desk.SLAResponse)
		if resp.State != desk.ClockRunning || resp.Remaining != 5*time.Minute || !resp.Deadline.Equal(tk.CreatedAt.Add(15*time.Minute)) {
			t.Fatalf("response clock %+v", resp)
		}
		f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned})
		f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress})
		f.clock.Advance(5 * time.Hour)
		sla, _ = f.d.TicketSLA(f.l1, tk.Number)
		if c := clockOf(t, sla, desk.SLAResponse); c.State != desk.ClockMet || c.Elapsed != 10*time.Minute {
			t.Fatalf("response after first response: %+v", c)
		}
		if c := clockOf(t, sla, desk.SLAResolution); c.State != desk.ClockBreached || c.Remaining != -(time.Hour+10*time.Minute) {
			t.Fatalf("resolution after 5h10m: %+v", c)
		}
		// The requester cannot read another's clocks.
		if _, err := f.d.TicketSLA(f.kim, tk.Number); desk.ErrorCode(err) != desk.ENOTFOUND {
			t.Fatalf("kim reads sam's SLA: %v", err)
		}
	})
	t.Run("PriorityChangeKeepsPausedTime", func(t *testing.T) {
		testdb.IncidentsOnBusinessHours(t, f.d)                  // working-hours arithmetic
		f.clock.Set(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)) // Monday
		tk, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: "Slow reports", Channel: desk.ChannelPhone,
			Requester: desk.PersonInput{Email: "sam@example.com"}, Impact: desk.LevelMedium, Urgency: desk.LevelMedium}, "") // P3
		if err != nil {
			t.Fatal(err)
		}
		f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned})
		f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress})
		f.clock.Advance(3 * time.Hour) // 12:00
		f.move(f.l1, tk, desk.TransitionInput{To: desk.StateOnHold, HoldReason: desk.HoldAwaitingRequester})
		f.clock.Advance(48 * time.Hour) // Wednesday 12:00: the requester answers
		if _, _, err := f.d.Comment(f.sam, tk.Number, desk.CommentInput{Body: "Logs attached"}); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Hour)
		high := desk.LevelHigh
		if _, err := f.d.UpdateTicket(f.l1, tk.Number, desk.TicketPatch{Urgency: &high, Reason: "month-end close"}); err != nil {
			t.Fatal(err) // medium × high = P2: 8 business hours
		}
		f.clock.Advance(time.Hour) // Wednesday 14:00
		sla, err := f.d.TicketSLA(f.l1, tk.Number)
		if err != nil {
			t.Fatal(err)
		}
		c := clockOf(t, sla, desk.SLAResolution)
		if sla.Policy.Name != "P2 incidents" || c.Target != 8*time.Hour || c.Elapsed != 5*time.Hour || c.PausedFor != 18*time.Hour ||
			c.State != desk.ClockRunning || !c.Deadline.Equal(time.Date(2026, 3, 11, 17, 0, 0, 0, time.UTC)) {
			t.Fatalf("policy %s, resolution clock %+v (deadline %v)", sla.Policy.Name, c, c.Deadline)
		}
	})
}

func TestDesk_SLAAdministration(t *testing.T) {
	f := newFixture(t)
	policies, err := f.d.SLAPolicies(f.l1)
	if err != nil || len(policies) != 5 {
		t.Fatalf("default policies: %d, %v", len(policies), err)
	}
	p := &desk.SLAPolicy{Name: "VIP", Position: 1, Types: []desk.TicketType{desk.TypeIncident}, Calendar: "nowhere",
		Response: 10 * time.Minute, Resolution: time.Hour, Active: true}
	if err := f.d.SaveSLAPolicy(f.l1, p); desk.ErrorCode(err) != desk.EFORBIDDEN {
		t.Fatalf("an agent saved a policy: %v", err)
	}
	wantCode(t, f.d.SaveSLAPolicy(f.admin, p), desk.EINVALID)
	p.Calendar = "24x7"
	p.Resolution = 90 * time.Second
	wantCode(t, f.d.SaveSLAPolicy(f.admin, p), desk.EINVALID)
	p.Resolution = time.Hour
	if err := f.d.SaveSLAPolicy(f.admin, p); err != nil {
		t.Fatal(err)
	}
	tk := f.incident("Any incident")
	sla, err := f.d.TicketSLA(f.l1, tk.Number)
	if err != nil || sla.Policy.Name != "VIP" {
		t.Fatalf("first matching policy by position: %+v %v", sla.Policy, err)
	}

	berlin, _ := time.LoadLocation("Europe/Berlin")
	spec, err := desk.CalendarDoc{Name: "berlin", Zone: "Europe/Berlin",
		Week:     map[string]string{"monday": "09:00-12:30, 13:30-18:00"},
		Holidays: []desk.HolidayDoc{{Date: "12-25", Name: "Christmas"}}}.Spec()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.d.PutCalendar(f.admin, spec); err != nil {
		t.Fatal(err)
	}
	cals, _ := f.d.Calendars(f.l1)
	var got *desk.CalendarSpec
	for _, c := range cals {
		if c.Name == "berlin" {
			got = c
		}
	}
	if got == nil || got.Location.String() != berlin.String() || len(got.Week[time.Monday]) != 2 || len(got.Holidays) != 1 {
		t.Fatalf("stored calendar %+v", got)
	}
	p.Calendar = "berlin"
	if err := f.d.SaveSLAPolicy(f.admin, p); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.d.DeleteCalendar(f.admin, "berlin"), desk.ECONFLICT)
	if _, err := f.d.PutCalendar(f.admin, desk.CalendarSpec{Name: "24x7", Location: time.UTC}); desk.ErrorCode(err) != desk.EINVALID {
		t.Fatalf("overwrote the built-in calendar: %v", err)
	}
	if err := f.d.DeleteSLAPolicy(f.admin, p.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.d.DeleteCalendar(f.admin, "berlin"); err != nil {
		t.Fatal(err)
	}
}

func TestDesk_SLAPolicyForVIPRequesters(t *testing.T) {
	f := newFixture(t)
	kim, err := f.d.User(f.admin, desk.ActorFrom(f.kim).ID)
	if err != nil {
		t.Fatal(err)
	}
	org, vip := "  ACME Corp ", true
	kim, err = f.d.UpdateUser(f.admin, kim.ID, desk.UserPatch{Organization: &org, VIP: &vip})
	if err != nil || kim.Organization != "ACME Corp" || !kim.VIP {
		t.Fatalf("make kim a VIP: %+v %v", kim, err)
	}
	long := strings.Repeat("x", desk.MaxNameLen+1)
	_, err = f.d.UpdateUser(f.admin, kim.ID, desk.UserPatch{Organization: &long})
	wantCode(t, err, desk.EINVALID)

	p := &desk.SLAPolicy{Name: "VIP", Position: 1, Types: []desk.TicketType{desk.TypeIncident},
		Organizations: []string{"acme corp"}, VIPOnly: true, Calendar: "24x7",
		Response: 10 * time.Minute, Resolution: 2 * time.Hour, Active: true}
	if err := f.d.SaveSLAPolicy(f.admin, p); err != nil {
		t.Fatal(err)
	}
	p3 := func(email string) *desk.Ticket {
		t.Helper()
		tk, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: "Slow laptop", Channel: desk.ChannelPhone,
			Requester: desk.PersonInput{Email: email}, Impact: desk.LevelMedium, Urgency: desk.LevelMedium}, "")
		if err != nil {
			t.Fatal(err)
		}
		if tk.Priority != desk.P3 {
			t.Fatalf("priority %s, want P3", tk.Priority)
		}
		return tk
	}
	policyOf := func(tk *desk.Ticket) string {
		t.Helper()
		sla, err := f.d.TicketSLA(f.l1, tk.Number)
		if err != nil || sla.Policy == nil {
			t.Fatalf("sla of %s: %+v %v", tk.Number, sla, err)
		}
		return sla.Policy.Name
	}
	vipTicket, plain := p3("kim@example.com"), p3("sam@example.com")
	if !vipTicket.Requester.VIP || vipTicket.Requester.Organization != "ACME Corp" {
		t.Errorf("requester of a new ticket %+v", vipTicket.Requester)
	}
	if got := policyOf(vipTicket); got != "VIP" {
		t.Errorf("VIP requester's P3 incident: policy %s, want VIP", got)
	}
	if got := policyOf(plain); got != "P3 incidents" {
		t.Errorf("other requester's P3 incident: policy %s, want P3 incidents", got)
	}
	read, err := f.d.Ticket(f.l1, vipTicket.Number)
	if err != nil || !read.Requester.VIP || read.Requester.Organization != "ACME Corp" {
		t.Fatalf("read ticket requester %+v %v", read.Requester, err)
	}

	// The flag is the user's as it is now: a requester no longer VIP gets
	// the ordinary policy on the same ticket.
	vip = false
	if _, err := f.d.UpdateUser(f.admin, kim.ID, desk.UserPatch{VIP: &vip}); err != nil {
		t.Fatal(err)
	}
	if got := policyOf(vipTicket); got != "P3 incidents" {
		t.Errorf("after losing VIP: policy %s, want P3 incidents", got)
	}
}
