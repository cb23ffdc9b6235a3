package desk_test

import (
	"context"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func filterNames(t *testing.T, d *desk.Desk, ctx context.Context) []string {
	t.Helper()
	fs, err := d.SavedFilters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return out
}

// TestSavedFilter_Sharing: a filter shared with a group is seen and run by
// its members, not by others; only the owner renames, reshares or deletes
// it; one shares only with one's own groups.
func TestSavedFilter_Sharing(t *testing.T) {
	f := newFixture(t)
	inc := f.incident("VPN drops every hour")
	sf, err := f.d.CreateSavedFilter(f.l3, desk.SavedFilterInput{Name: "Core VPN",
		Filter: desk.FilterSpec{Query: "vpn"}, SharedWith: []int64{f.g3.ID, f.g3.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(sf.SharedWith) != 1 || sf.SharedWith[0].Name != "Core" {
		t.Errorf("shared with %v, want Core once", sf.SharedWith)
	}
	if _, err := f.d.CreateSavedFilter(f.l3b, desk.SavedFilterInput{Name: "Mine only"}); err != nil {
		t.Fatal(err)
	}
	if got := filterNames(t, f.d, f.l3b); len(got) != 2 || got[0] != "Core VPN" || got[1] != "Mine only" {
		t.Errorf("otto (Core) sees %v, want the shared one and his own", got)
	}
	if got := filterNames(t, f.d, f.l2); len(got) != 0 {
		t.Errorf("nick (Network) sees %v, want nothing", got)
	}
	page, err := f.d.RunSavedFilter(f.l3b, sf.ID, desk.QueueOptions{})
	if err != nil || len(page.Tickets) != 1 || page.Tickets[0].ID != inc.ID {
		t.Fatalf("otto runs the shared filter: %v %v", page, err)
	}
	_, err = f.d.RunSavedFilter(f.l2, sf.ID, desk.QueueOptions{})
	wantCode(t, err, desk.ENOTFOUND)
	_, err = f.d.SavedFilter(f.l2, sf.ID)
	wantCode(t, err, desk.ENOTFOUND)
	_, err = f.d.SavedFilter(f.sam, sf.ID)
	wantCode(t, err, desk.EFORBIDDEN)

	_, err = f.d.UpdateSavedFilter(f.l3b, sf.ID, desk.SavedFilterInput{Name: "Taken over", SharedWith: []int64{f.g3.ID}})
	if e := wantCode(t, err, desk.EFORBIDDEN); e.Rule != desk.RuleNotOwner {
		t.Errorf("rename by a member: rule %q, want not_owner", e.Rule)
	}
	wantCode(t, f.d.DeleteSavedFilter(f.l3b, sf.ID), desk.EFORBIDDEN)
	_, err = f.d.UpdateSavedFilter(f.l2, sf.ID, desk.SavedFilterInput{Name: "x"})
	wantCode(t, err, desk.ENOTFOUND)

	_, err = f.d.UpdateSavedFilter(f.l3, sf.ID, desk.SavedFilterInput{Name: "Core VPN", SharedWith: []int64{f.g2.ID}})
	wantFieldErr(t, "sharing with a group one is not in", err, desk.EINVALID, "shared_with")
	_, err = f.d.CreateSavedFilter(f.l3, desk.SavedFilterInput{Name: "Other", SharedWith: []int64{f.g2.ID}})
	wantFieldErr(t, "creating one shared with a foreign group", err, desk.EINVALID, "shared_with")
	_, err = f.d.CreateSavedFilter(f.l3, desk.SavedFilterInput{Name: "Cols", Filter: desk.FilterSpec{Columns: []string{"title", "secret"}}})
	wantFieldErr(t, "an unknown column", err, desk.EINVALID, "filter.columns")

	if _, err := f.d.UpdateSavedFilter(f.l3, sf.ID, desk.SavedFilterInput{Name: "Core VPN (mine)"}); err != nil {
		t.Fatal(err)
	}
	if got := filterNames(t, f.d, f.l3b); len(got) != 1 || got[0] != "Mine only" {
		t.Errorf("after unsharing otto sees %v", got)
	}
	_, err = f.d.SavedFilter(f.l3b, sf.ID)
	wantCode(t, err, desk.ENOTFOUND)
	if err := f.d.DeleteSavedFilter(f.l3, sf.ID); err != nil {
		t.Fatal(err)
	}
}

// TestSavedFilter_AssignedToMeIsTheRunner: "assigned to me" in a shared
// filter means whoever runs it.
func TestSavedFilter_AssignedToMeIsTheRunner(t *testing.T) {
	f := newFixture(t)
	inc := f.incident("Printer jam")
	f.move(f.l1, inc, desk.TransitionInput{To: desk.StateAssigned, AssigneeID: f.agentL1.ID})
	_, l1b := f.agent("petr@example.com", f.g1)
	sf, err := f.d.CreateSavedFilter(l1b, desk.SavedFilterInput{Name: "Mine", Filter: desk.FilterSpec{AssignedToMe: true},
		SharedWith: []int64{f.g1.ID}})
	if err != nil {
		t.Fatal(err)
	}
	for who, want := range map[context.Context]int{f.l1: 1, l1b: 0} {
		page, err := f.d.RunSavedFilter(who, sf.ID, desk.QueueOptions{})
		if err != nil || len(page.Tickets) != want {
			t.Errorf("%s runs it: %v tickets (%v), want %d", desk.ActorFrom(who).Email, page, err, want)
		}
	}
}
