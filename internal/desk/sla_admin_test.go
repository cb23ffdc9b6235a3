package desk_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// TestDesk_SLAWritesAdminsOnly: every change to SLA policies and calendars
// is refused to anyone but an administrator, whatever adapter asks; staff
// may read them, requesters may not.
func TestDesk_SLAWritesAdminsOnly(t *testing.T) {
	f := newFixture(t)
	spec, err := desk.CalendarDoc{Name: "office", Zone: "Europe/Berlin", Week: map[string]string{"monday": "09:00-17:00"}}.Spec()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.d.PutCalendar(f.admin, spec); err != nil {
		t.Fatal(err)
	}
	policies, err := f.d.SLAPolicies(f.admin)
	if err != nil {
		t.Fatal(err)
	}
	target := policies[0]
	snapshot := func() string {
		ps, err := f.d.SLAPolicies(f.admin)
		if err != nil {
			t.Fatal(err)
		}
		cals, err := f.d.Calendars(f.admin)
		if err != nil {
			t.Fatal(err)
		}
		out := ""
		for _, p := range ps {
			out += fmt.Sprintf("%+v\n", *p)
		}
		for _, c := range cals {
			out += fmt.Sprintf("%+v\n", desk.CalendarDocOf(*c))
		}
		return out
	}
	before := snapshot()
	changed := *target
	changed.Response = time.Minute
	fresh := &desk.SLAPolicy{Name: "Mine", Calendar: "24x7", Response: time.Minute, Resolution: time.Hour, Active: true}
	other := spec
	other.Name = "mine"
	for who, ctx := range map[string]context.Context{"agent": f.l1, "manager": f.manager, "requester": f.sam} {
		for what, err := range map[string]error{
			"create a policy":   f.d.SaveSLAPolicy(ctx, fresh),
			"change a policy":   f.d.SaveSLAPolicy(ctx, &changed),
			"delete a policy":   f.d.DeleteSLAPolicy(ctx, target.ID),
			"create a calendar": second(f.d.PutCalendar(ctx, other)),
			"change a calendar": second(f.d.PutCalendar(ctx, spec)),
			"delete a calendar": f.d.DeleteCalendar(ctx, "office"),
		} {
			if desk.ErrorCode(err) != desk.EFORBIDDEN {
				t.Errorf("%s may %s: %v", who, what, err)
			}
		}
	}
	if _, err := f.d.SLAPolicies(f.sam); desk.ErrorCode(err) != desk.EFORBIDDEN {
		t.Errorf("a requester lists the policies: %v", err)
	}
	if _, err := f.d.Calendars(f.sam); desk.ErrorCode(err) != desk.EFORBIDDEN {
		t.Errorf("a requester lists the calendars: %v", err)
	}
	if after := snapshot(); after != before {
		t.Fatalf("a refused write changed something:\n%s\nwas\n%s", after, before)
	}
}

func second[T any](_ T, err error) error { return err }

// TestDesk_SLAPolicyServicesExist: a policy may name only services that
// exist, and a service a policy names cannot be deleted from under it.
func TestDesk_SLAPolicyServicesExist(t *testing.T) {
	f := newFixture(t)
	svc, err := f.d.CreateService(f.admin, desk.ServiceInput{Name: "Payroll"})
	if err != nil {
		t.Fatal(err)
	}
	p := &desk.SLAPolicy{Name: "Payroll", Calendar: "24x7", Response: time.Hour, Resolution: 8 * time.Hour,
		ServiceIDs: []int64{svc.ID, svc.ID + 1000}, Active: true}
	wantFieldErr(t, "a missing service", f.d.SaveSLAPolicy(f.admin, p), desk.EINVALID, "service_ids")
	p.ServiceIDs = []int64{svc.ID}
	if err := f.d.SaveSLAPolicy(f.admin, p); err != nil {
		t.Fatal(err)
	}
	if de := wantCode(t, f.d.DeleteService(f.admin, svc.ID), desk.ECONFLICT); de.Rule != desk.RuleInUse {
		t.Errorf("delete a named service: rule %q, want %q", de.Rule, desk.RuleInUse)
	}
	if err := f.d.DeleteSLAPolicy(f.admin, p.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.d.DeleteService(f.admin, svc.ID); err != nil {
		t.Errorf("delete the service once no policy names it: %v", err)
	}
}

// TestDesk_CreateCalendarRefusesTakenName: creating never replaces a
// calendar of the same name (PutCalendar does, on purpose), even when two
// administrators create it at the same moment.
func TestDesk_CreateCalendarRefusesTakenName(t *testing.T) {
	f := newFixture(t)
	spec, err := desk.CalendarDoc{Name: "office", Zone: "Europe/Berlin", Week: map[string]string{"monday": "09:00-17:00"}}.Spec()
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	for range 2 {
		go func() { _, err := f.d.CreateCalendar(f.admin, spec); errs <- err }()
	}
	first, second := <-errs, <-errs
	if (first == nil) == (second == nil) {
		t.Fatalf("two creates of one name: %v and %v, want exactly one refused", first, second)
	}
	refused := first
	if refused == nil {
		refused = second
	}
	wantFieldErr(t, "the second create", refused, desk.ECONFLICT, "name")
	other := spec
	other.Name = "OFFICE"
	_, err = f.d.CreateCalendar(f.admin, other)
	wantFieldErr(t, "the name in other capitals", err, desk.ECONFLICT, "name")
	if _, err := f.d.CreateCalendar(f.manager, spec); desk.ErrorCode(err) != desk.EFORBIDDEN {
		t.Errorf("a manager creating a calendar: %v", err)
	}
}
