package desk_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// wantFieldErr checks that err has code and names field.
func wantFieldErr(t *testing.T, what string, err error, code, field string) {
	t.Helper()
	var de *desk.Error
	if !errors.As(err, &de) || de.Code != code {
		t.Fatalf("%s: %v, want %s", what, err, code)
	}
	for _, f := range de.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("%s: %v names no field %q", what, err, field)
}

func groupIDsOf(u *desk.User) []int64 {
	var ids []int64
	for _, g := range u.Groups {
		ids = append(ids, g.ID)
	}
	return ids
}

// TestUpdateUser_FieldsAndGroupsTogether: one call changes the fields and
// the memberships; a refused call changes neither.
func TestUpdateUser_FieldsAndGroupsTogether(t *testing.T) {
	f := newFixture(t)
	nina, err := f.d.CreateUser(f.admin, desk.UserInput{Email: "nina@example.com", Name: "Nina", Role: desk.RoleAgent,
		Groups: []int64{f.g2.ID, f.g1.ID, f.g2.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if got := groupIDsOf(f.reload(nina.ID)); len(got) != 2 || got[0] != f.g1.ID || got[1] != f.g2.ID {
		t.Fatalf("created with groups %v, want [%d %d]", got, f.g1.ID, f.g2.ID)
	}
	name, phone, org, vip, role := "Nina Network", "+7 2", "Plant 2", true, desk.RoleManager
	groups := []int64{f.g3.ID}
	u, err := f.d.UpdateUser(f.admin, nina.ID, desk.UserPatch{Name: &name, Phone: &phone, Organization: &org,
		VIP: &vip, Role: &role, Groups: &groups})
	if err != nil {
		t.Fatal(err)
	}
	got := f.reload(nina.ID)
	if got.Name != name || got.Phone != phone || got.Organization != org || !got.VIP || got.Role != role ||
		len(got.Groups) != 1 || got.Groups[0].ID != f.g3.ID || len(u.Groups) != 1 || u.Groups[0].Name != "Core" {
		t.Fatalf("after the save: %+v (returned %+v)", got, u)
	}

	taken := "lena@example.com"
	other := []int64{f.g1.ID}
	_, err = f.d.UpdateUser(f.admin, nina.ID, desk.UserPatch{Email: &taken, Groups: &other})
	wantFieldErr(t, "taken e-mail", err, desk.ECONFLICT, "email")
	missing := []int64{f.g1.ID, 987654}
	newName := "Not Saved"
	_, err = f.d.UpdateUser(f.admin, nina.ID, desk.UserPatch{Name: &newName, Groups: &missing})
	wantFieldErr(t, "missing group", err, desk.EINVALID, "groups")
	requester := desk.RoleRequester
	_, err = f.d.UpdateUser(f.admin, nina.ID, desk.UserPatch{Role: &requester, Groups: &other})
	wantFieldErr(t, "requester with groups", err, desk.EINVALID, "groups")
	_, err = f.d.UpdateUser(f.admin, nina.ID, desk.UserPatch{Role: &requester})
	wantFieldErr(t, "requester keeping the memberships", err, desk.EINVALID, "groups")
	if after := f.reload(nina.ID); after.Name != name || after.Email != "nina@example.com" || after.Role != role ||
		len(after.Groups) != 1 || after.Groups[0].ID != f.g3.ID {
		t.Fatalf("a refused save changed the user: %+v", after)
	}
	none := []int64{}
	if _, err := f.d.UpdateUser(f.admin, nina.ID, desk.UserPatch{Role: &requester, Groups: &none}); err != nil {
		t.Fatalf("requester without groups: %v", err)
	}
	_, err = f.d.CreateUser(f.admin, desk.UserInput{Email: "x@example.com", Name: "X", Role: desk.RoleAgent, Groups: []int64{987654}})
	wantFieldErr(t, "create with a missing group", err, desk.EINVALID, "groups")
	if page, _ := f.d.ListUsers(f.admin, desk.UserFilter{Query: "x@example.com"}); len(page.Users) != 0 {
		t.Error("a user refused for a missing group was stored")
	}
}

// TestUpdateUser_AdminsRemain: nobody demotes themselves, and not even the
// system (the command line) demotes or deactivates the last active admin.
func TestUpdateUser_AdminsRemain(t *testing.T) {
	f := newFixture(t)
	root := desk.ActorFrom(f.admin)
	sys := desk.AsSystem(context.Background())
	agent, off := desk.RoleAgent, false
	_, err := f.d.UpdateUser(f.admin, root.ID, desk.UserPatch{Role: &agent})
	if desk.ErrorCode(err) != desk.ECONFLICT {
		t.Fatalf("self-demotion: %v", err)
	}
	_, err = f.d.UpdateUser(sys, root.ID, desk.UserPatch{Role: &agent})
	wantFieldErr(t, "demote the last admin", err, desk.ECONFLICT, "role")
	_, err = f.d.UpdateUser(sys, root.ID, desk.UserPatch{Active: &off})
	wantFieldErr(t, "deactivate the last admin", err, desk.ECONFLICT, "active")
	if u := f.reload(root.ID); u.Role != desk.RoleAdmin || !u.Active {
		t.Fatalf("the last admin is now %s, active %v", u.Role, u.Active)
	}
	second := f.mustUser(f.admin, desk.RoleAdmin, "root2@example.com")
	if _, err := f.d.UpdateUser(desk.WithActor(context.Background(), second), root.ID, desk.UserPatch{Role: &agent}); err != nil {
		t.Fatalf("a second admin demotes the first: %v", err)
	}
	_, err = f.d.UpdateUser(sys, second.ID, desk.UserPatch{Active: &off})
	wantFieldErr(t, "deactivate the new last admin", err, desk.ECONFLICT, "active")
}
