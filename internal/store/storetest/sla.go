package storetest

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func testSLA(t *testing.T, open Opener) {
	s := open(t)
	policies, err := s.ListSLAPolicies(ctx(t))
	must(t, err)
	var names []string
	for _, p := range policies {
		names = append(names, p.Name)
	}
	diff(t, "seeded policies", []string{"P1 incidents", "P2 incidents", "P3 incidents", "P4 incidents", "Service requests"}, names)
	diff(t, "P1 policy", &desk.SLAPolicy{ID: policies[0].ID, Name: "P1 incidents", Position: 10,
		Types: []desk.TicketType{desk.TypeIncident}, Priorities: []desk.Priority{desk.P1}, Calendar: "24x7",
		Response: 15 * time.Minute, Resolution: 4 * time.Hour, PauseOn: []desk.HoldReason{desk.HoldAwaitingRequester, desk.HoldAwaitingProblem},
		Active: true}, policies[0])

	p := &desk.SLAPolicy{Name: "Shop floor", Position: 5, ServiceIDs: []int64{7, 9}, Calendar: "business",
		Response: 30 * time.Minute, Resolution: 6 * time.Hour, NextUpdate: 2 * time.Hour,
		PauseOn: []desk.HoldReason{desk.HoldAwaitingRequester, desk.HoldAwaitingVendor}, Active: true}
	must(t, s.CreateSLAPolicy(ctx(t), p))
	got, err := s.GetSLAPolicy(ctx(t), p.ID)
	must(t, err)
	diff(t, "created policy", p, got)
	p.Active, p.Name = false, "Shop floor (old)"
	must(t, s.UpdateSLAPolicy(ctx(t), p))
	got, _ = s.GetSLAPolicy(ctx(t), p.ID)
	diff(t, "updated policy", p, got)
	dup := *p
	dup.ID = 0
	wantField(t, "duplicate name", s.CreateSLAPolicy(ctx(t), &dup), desk.ECONFLICT, "name")
	dup.Name, dup.Calendar = "Elsewhere", "no-such-calendar"
	wantField(t, "unknown calendar", s.CreateSLAPolicy(ctx(t), &dup), desk.EINVALID, "calendar")

	seeded, err := s.GetCalendar(ctx(t), "business")
	must(t, err)
	if len(seeded.Week[time.Monday]) != 1 || len(seeded.Week[time.Saturday]) != 0 || seeded.Location != time.UTC {
		t.Errorf("seeded business calendar %+v", seeded)
	}
	ny, err := time.LoadLocation("America/New_York")
	must(t, err)
	spec := &desk.CalendarSpec{Name: "nyc", Location: ny, Holidays: []desk.Holiday{{Month: time.July, Day: 4, Name: "Independence Day"}}}
	spec.Week[time.Tuesday] = []desk.WorkInterval{{Start: desk.HM(8, 0), End: desk.HM(12, 0)}, {Start: desk.HM(13, 0), End: desk.HM(17, 30)}}
	must(t, s.PutCalendar(ctx(t), spec))
	spec.Holidays = append(spec.Holidays, desk.Holiday{Year: 2026, Month: time.November, Day: 26})
	must(t, s.PutCalendar(ctx(t), spec)) // replaces
	// Creating refuses the taken name and leaves the calendar as it was.
	taken := &desk.CalendarSpec{Name: "nyc", Location: time.UTC}
	wantField(t, "create a taken calendar name", s.CreateCalendar(ctx(t), taken), desk.ECONFLICT, "name")
	back, err := s.GetCalendar(ctx(t), "nyc")
	must(t, err)
	if back.Location.String() != "America/New_York" || len(back.Week[time.Tuesday]) != 2 || len(back.Holidays) != 2 {
		t.Errorf("calendar round trip: %+v", back)
	}
	list, err := s.ListCalendars(ctx(t))
	must(t, err)
	if len(list) != 2 {
		t.Errorf("%d calendars, want business and nyc", len(list))
	}
	p.Calendar = "nyc"
	must(t, s.UpdateSLAPolicy(ctx(t), p))
	wantCode(t, "delete a calendar in use", s.DeleteCalendar(ctx(t), "nyc"), desk.ECONFLICT)
	must(t, s.DeleteSLAPolicy(ctx(t), p.ID))
	must(t, s.DeleteCalendar(ctx(t), "nyc"))
	_, err = s.GetCalendar(ctx(t), "nyc")
	wantCode(t, "deleted calendar", err, desk.ENOTFOUND)
	must(t, s.CreateCalendar(ctx(t), taken)) // the name is free again
	if back, err = s.GetCalendar(ctx(t), "nyc"); err != nil || back.Location != time.UTC {
		t.Errorf("created calendar: %+v %v", back, err)
	}
	wantCode(t, "delete missing policy", s.DeleteSLAPolicy(ctx(t), p.ID), desk.ENOTFOUND)
}
