package storetest

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testSLAStatus: a ticket's SLA position is stored with it on create and
// update, and by HandleTimer with new timers without a new version.
func testSLAStatus(t *testing.T, open Opener) {
	f := newFixture(t, open)
	tk := f.ticket("status", 0)
	due := base.Add(4 * time.Hour)
	tk.SLA = desk.SLAStatus{DueAt: &due, ResponseMet: ptr(true)}
	f.create(t, tk)
	got, err := f.s.GetTicket(ctx(t), tk.ID)
	must(t, err)
	diff(t, "after create", desk.SLAStatus{DueAt: &due, ResponseMet: ptr(true)}, got.SLA)

	got.SLA = desk.SLAStatus{ResponseMet: ptr(false), ResolutionMet: ptr(true)}
	must(t, f.s.UpdateTicket(ctx(t), got, nil, []desk.Timer{}...))
	again, err := f.s.GetTicket(ctx(t), tk.ID)
	must(t, err)
	diff(t, "after update", desk.SLAStatus{ResponseMet: ptr(false), ResolutionMet: ptr(true)}, again.SLA)

	later := base.Add(9 * time.Hour)
	again.SLA = desk.SLAStatus{DueAt: &later}
	version := again.Version
	must(t, f.s.HandleTimer(ctx(t), desk.TimerOutcome{Ticket: again, Timers: []desk.Timer{}}))
	final, err := f.s.GetTicket(ctx(t), tk.ID)
	must(t, err)
	diff(t, "after a reschedule", desk.SLAStatus{DueAt: &later}, final.SLA)
	if final.Version != version {
		t.Errorf("version %d after a reschedule, want %d unchanged", final.Version, version)
	}

	// Without new timers (a timer marked done alone) the status stays.
	final.SLA = desk.SLAStatus{}
	must(t, f.s.HandleTimer(ctx(t), desk.TimerOutcome{Ticket: final}))
	kept, err := f.s.GetTicket(ctx(t), tk.ID)
	must(t, err)
	diff(t, "after a check only", desk.SLAStatus{DueAt: &later}, kept.SLA)
}
