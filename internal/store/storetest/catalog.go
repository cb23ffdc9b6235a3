package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func testCategories(t *testing.T, open Opener) {
	f := newFixture(t, open)
	got, err := f.s.GetCategory(ctx(t), f.hardware.ID)
	must(t, err)
	diff(t, "category", &desk.Category{ID: f.hardware.ID, Name: "Hardware", Group: &desk.Ref{ID: f.desk.ID, Name: "Service Desk"}}, got)
	deep := &desk.Category{Name: "Laser", ParentID: f.printers.ID}
	wantField(t, "third level", f.s.CreateCategory(ctx(t), deep), desk.EINVALID, "parent_id")
	wantField(t, "missing parent", f.s.CreateCategory(ctx(t), &desk.Category{Name: "Orphan", ParentID: 987654}), desk.EINVALID, "parent_id")
	wantField(t, "missing group", f.s.CreateCategory(ctx(t), &desk.Category{Name: "G", Group: &desk.Ref{ID: 987654}}), desk.EINVALID, "group")
	software := &desk.Category{Name: "Software"}
	must(t, f.s.CreateCategory(ctx(t), software))
	hw := *f.hardware
	hw.ParentID = software.ID
	wantField(t, "parent with children moved under another", f.s.UpdateCategory(ctx(t), &hw), desk.EINVALID, "parent_id")
	software.ParentID = software.ID
	wantField(t, "own parent", f.s.UpdateCategory(ctx(t), software), desk.EINVALID, "parent_id")
	software.ParentID, software.Retired, software.Name = f.hardware.ID, true, "Software (old)"
	must(t, f.s.UpdateCategory(ctx(t), software))
	list, err := f.s.ListCategories(ctx(t))
	must(t, err)
	diff(t, "categories", []string{"Hardware", "Printers", "Software (old)"}, categoryNames(list))
	wantCode(t, "update missing", f.s.UpdateCategory(ctx(t), &desk.Category{ID: 987654, Name: "x"}), desk.ENOTFOUND)

	tk := f.ticket("uses printers", 0)
	tk.Category, tk.Subcategory = &desk.Ref{ID: f.hardware.ID}, &desk.Ref{ID: f.printers.ID}
	f.create(t, tk)
	wantInUse(t, "delete with subcategories", f.s.DeleteCategory(ctx(t), f.hardware.ID), "subcategories")
	wantCode(t, "delete used subcategory", f.s.DeleteCategory(ctx(t), f.printers.ID), desk.ECONFLICT)
	must(t, f.s.DeleteCategory(ctx(t), software.ID))
	_, err = f.s.GetCategory(ctx(t), software.ID)
	wantCode(t, "deleted category", err, desk.ENOTFOUND)
	wantCode(t, "delete missing", f.s.DeleteCategory(ctx(t), software.ID), desk.ENOTFOUND)
	tk.Subcategory = nil
	must(t, f.s.UpdateTicket(ctx(t), tk, nil))
	must(t, f.s.DeleteCategory(ctx(t), f.printers.ID))
	wantCode(t, "delete used category", f.s.DeleteCategory(ctx(t), f.hardware.ID), desk.ECONFLICT)
}

func categoryNames(cats []*desk.Category) []string {
	var out []string
	for _, c := range cats {
		out = append(out, c.Name)
	}
	return out
}

func testServices(t *testing.T, open Opener) {
	f := newFixture(t, open)
	got, err := f.s.GetService(ctx(t), f.mail.ID)
	must(t, err)
	want := *f.mail
	want.OwnerGroup = &desk.Ref{ID: f.net.ID, Name: "Network"}
	diff(t, "service", &want, got)
	wantField(t, "duplicate name", f.s.CreateService(ctx(t), &desk.Service{Name: "E-mail"}), desk.ECONFLICT, "name")
	wantField(t, "missing owner", f.s.CreateService(ctx(t), &desk.Service{Name: "VPN", OwnerGroup: &desk.Ref{ID: 987654}}), desk.EINVALID, "owner_group")
	vpn := &desk.Service{Name: "VPN"}
	must(t, f.s.CreateService(ctx(t), vpn))
	vpn.Name, vpn.Retired, vpn.OwnerGroup = "VPN (legacy)", true, &desk.Ref{ID: f.dba.ID}
	must(t, f.s.UpdateService(ctx(t), vpn))
	vpn.OwnerGroup.Name = "Database"
	list, err := f.s.ListServices(ctx(t))
	must(t, err)
	diff(t, "services", []*desk.Service{&want, vpn}, list)
	dup := *vpn
	dup.Name = "E-mail"
	wantField(t, "rename to a taken name", f.s.UpdateService(ctx(t), &dup), desk.ECONFLICT, "name")
	wantCode(t, "update missing", f.s.UpdateService(ctx(t), &desk.Service{ID: 987654, Name: "x"}), desk.ENOTFOUND)
	tk := f.ticket("uses mail", 0)
	tk.Service = &desk.Ref{ID: f.mail.ID}
	f.create(t, tk)
	wantInUse(t, "delete used service", f.s.DeleteService(ctx(t), f.mail.ID), "tickets")
	testServiceNamedByPolicy(t, f.s, vpn.ID)
	must(t, f.s.DeleteService(ctx(t), vpn.ID))
	wantCode(t, "delete missing", f.s.DeleteService(ctx(t), vpn.ID), desk.ENOTFOUND)
}

// testServiceNamedByPolicy checks that a policy naming service id keeps it
// from deletion, and that ids sharing its digits ("1" in "[11,21]") do not.
func testServiceNamedByPolicy(t *testing.T, s desk.Store, id int64) {
	t.Helper()
	p := &desk.SLAPolicy{Name: "VPN users", Position: 5, ServiceIDs: []int64{id*10 + 1, id}, Calendar: "24x7",
		Response: time.Hour, Resolution: 8 * time.Hour, Active: true}
	must(t, s.CreateSLAPolicy(ctx(t), p))
	wantInUse(t, "delete a service a policy names", s.DeleteService(ctx(t), id), "sla_policies")
	p.ServiceIDs = []int64{id*10 + 1, id * 100, 10 + id}
	must(t, s.UpdateSLAPolicy(ctx(t), p))
}

// wantInUse checks that err refuses a delete as in use by rows of kind by.
func wantInUse(t *testing.T, what string, err error, by string) {
	t.Helper()
	wantCode(t, what, err, desk.ECONFLICT)
	var e *desk.Error
	if errors.As(err, &e) && (e.Rule != desk.RuleInUse || e.Params["by"] != by) {
		t.Errorf("%s: rule %q by %v, want %q by %q", what, e.Rule, e.Params["by"], desk.RuleInUse, by)
	}
}
