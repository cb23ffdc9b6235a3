package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testUserSave checks that a user's fields, memberships and sessions change
// together or not at all, and that an active administrator always remains.
func testUserSave(t *testing.T, open Opener) {
	f := newFixture(t, open)
	t.Run("CreateWithGroups", func(t *testing.T) { createWithGroups(t, f) })
	t.Run("UpdateAtomic", func(t *testing.T) { updateAtomic(t, f) })
	t.Run("DeactivationEndsSessions", func(t *testing.T) { deactivationEndsSessions(t, f) })
	t.Run("LastAdmin", func(t *testing.T) { lastAdmin(t, f) })
	t.Run("AdminsDemoteEachOther", func(t *testing.T) { adminsDemoteEachOther(t, f) })
}

func createWithGroups(t *testing.T, f *fixture) {
	u := &desk.User{Email: "nina@example.com", Name: "Nina", Role: desk.RoleAgent, Active: true,
		Groups: []desk.GroupRef{groupRef(f.net), groupRef(f.dba)}}
	must(t, f.s.CreateUser(ctx(t), u))
	got, err := f.s.GetUser(ctx(t), u.ID)
	must(t, err)
	diff(t, "groups of the new user", []desk.GroupRef{groupRef(f.net), groupRef(f.dba)}, got.Groups)

	bad := &desk.User{Email: "oleg@example.com", Name: "Oleg", Role: desk.RoleAgent, Active: true,
		Groups: []desk.GroupRef{groupRef(f.net), {ID: 987654}}}
	wantField(t, "create with a missing group", f.s.CreateUser(ctx(t), bad), desk.EINVALID, "groups")
	_, err = f.s.GetUserByEmail(ctx(t), "oleg@example.com")
	wantCode(t, "the user refused for a missing group", err, desk.ENOTFOUND)
	members, err := f.s.GroupMembers(ctx(t), f.net.ID)
	must(t, err)
	diff(t, "members of Network", []int64{u.ID}, userIDs(members))
}

func updateAtomic(t *testing.T, f *fixture) {
	u := &desk.User{Email: "petr@example.com", Name: "Petr", Role: desk.RoleAgent, Active: true,
		Groups: []desk.GroupRef{groupRef(f.desk)}}
	must(t, f.s.CreateUser(ctx(t), u))
	stored := *u

	changed := stored
	changed.Name, changed.Phone, changed.Organization, changed.VIP = "Petr Petrov", "+7 1", "Plant 2", true
	changed.Email = "PETR.PETROV@example.com"
	groups := []int64{f.net.ID, f.dba.ID}
	must(t, f.s.UpdateUser(ctx(t), &changed, &groups))
	got, err := f.s.GetUser(ctx(t), u.ID)
	must(t, err)
	changed.Groups = []desk.GroupRef{groupRef(f.net), groupRef(f.dba)}
	diff(t, "user after a full save", &changed, got)

	// A taken e-mail or a missing group: neither the fields nor the
	// memberships change.
	for name, tc := range map[string]struct {
		email  string
		groups []int64
		code   string
		field  string
	}{
		"taken e-mail":  {"agent@example.com", []int64{f.desk.ID}, desk.ECONFLICT, "email"},
		"missing group": {"petr@example.com", []int64{f.desk.ID, 987654}, desk.EINVALID, "groups"},
	} {
		try := *got
		try.Name, try.Email, try.Role = "Changed "+name, tc.email, desk.RoleManager
		wantField(t, name, f.s.UpdateUser(ctx(t), &try, &tc.groups), tc.code, tc.field)
		after, err := f.s.GetUser(ctx(t), u.ID)
		must(t, err)
		diff(t, "user after a refused save ("+name+")", got, after)
	}

	// nil groups leave the memberships alone; an empty list removes them.
	got.Name = "Petr P."
	must(t, f.s.UpdateUser(ctx(t), got, nil))
	after, err := f.s.GetUser(ctx(t), u.ID)
	must(t, err)
	diff(t, "groups after a save without groups", changed.Groups, after.Groups)
	must(t, f.s.UpdateUser(ctx(t), got, &[]int64{}))
	after, err = f.s.GetUser(ctx(t), u.ID)
	must(t, err)
	diff(t, "groups after an empty list", []desk.GroupRef(nil), after.Groups)
}

func deactivationEndsSessions(t *testing.T, f *fixture) {
	u := &desk.User{Email: "rita@example.com", Name: "Rita", Role: desk.RoleAgent, Active: true}
	must(t, f.s.CreateUser(ctx(t), u))
	now := base
	sess := &desk.Session{UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	must(t, f.s.CreateSession(ctx(t), sess, []byte("rita-session")))
	u.Active = false
	must(t, f.s.UpdateUser(ctx(t), u, nil))
	// Reactivating does not bring the old session back.
	u.Active = true
	must(t, f.s.UpdateUser(ctx(t), u, nil))
	_, _, err := f.s.SessionByTokenHash(ctx(t), []byte("rita-session"), now)
	wantCode(t, "session after deactivation and reactivation", err, desk.ENOTFOUND)
	// Other changes leave sessions alone.
	sess2 := &desk.Session{UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	must(t, f.s.CreateSession(ctx(t), sess2, []byte("rita-session-2")))
	u.Name = "Rita R."
	must(t, f.s.UpdateUser(ctx(t), u, nil))
	_, _, err = f.s.SessionByTokenHash(ctx(t), []byte("rita-session-2"), now)
	must(t, err)
}

func lastAdmin(t *testing.T, f *fixture) {
	a := &desk.User{Email: "root@example.com", Name: "Root", Role: desk.RoleAdmin, Active: true}
	must(t, f.s.CreateUser(ctx(t), a))
	demoted, inactive := *a, *a
	demoted.Role, inactive.Active = desk.RoleManager, false
	wantField(t, "demote the last admin", f.s.UpdateUser(ctx(t), &demoted, nil), desk.ECONFLICT, "role")
	wantField(t, "deactivate the last admin", f.s.UpdateUser(ctx(t), &inactive, nil), desk.ECONFLICT, "active")
	got, err := f.s.GetUser(ctx(t), a.ID)
	must(t, err)
	if got.Role != desk.RoleAdmin || !got.Active {
		t.Fatalf("the last admin became %s, active %v", got.Role, got.Active)
	}
	// The last admin's other fields may change.
	renamed := *got
	renamed.Name = "Root R."
	must(t, f.s.UpdateUser(ctx(t), &renamed, nil))
	// With a second admin, one of them may step down; an inactive admin
	// does not count.
	b := &desk.User{Email: "root2@example.com", Name: "Root 2", Role: desk.RoleAdmin, Active: false}
	must(t, f.s.CreateUser(ctx(t), b))
	wantField(t, "demote with only an inactive other admin", f.s.UpdateUser(ctx(t), &demoted, nil), desk.ECONFLICT, "role")
	b.Active = true
	must(t, f.s.UpdateUser(ctx(t), b, nil))
	must(t, f.s.UpdateUser(ctx(t), &demoted, nil))
	b.Active = false
	wantField(t, "deactivate the remaining admin", f.s.UpdateUser(ctx(t), b, nil), desk.ECONFLICT, "active")
	// Users who are not admins change freely even then.
	demoted.Role = desk.RoleAgent
	must(t, f.s.UpdateUser(ctx(t), &demoted, nil))
}

// adminsDemoteEachOther races two administrators, each demoting the other:
// one may win, never both.
func adminsDemoteEachOther(t *testing.T, f *fixture) {
	for round := range 8 {
		var admins [2]*desk.User
		for i := range admins {
			admins[i] = &desk.User{Email: fmt.Sprintf("race%d-%d@example.com", round, i), Name: "Race", Role: desk.RoleAdmin, Active: true}
			must(t, f.s.CreateUser(ctx(t), admins[i]))
		}
		// Only these two are active admins: earlier ones step down.
		page, err := f.s.ListUsers(ctx(t), desk.UserFilter{Roles: []desk.Role{desk.RoleAdmin}, Limit: 100})
		must(t, err)
		for _, u := range page.Users {
			if u.Active && u.ID != admins[0].ID && u.ID != admins[1].ID {
				u.Active = false
				must(t, f.s.UpdateUser(ctx(t), u, nil))
			}
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, u := range admins {
			wg.Go(func() {
				d := *u
				d.Role = desk.RoleAgent
				errs[i] = f.s.UpdateUser(ctx(t), &d, nil)
			})
		}
		wg.Wait()
		left := 0
		for i, u := range admins {
			if errs[i] != nil {
				wantField(t, "losing demotion", errs[i], desk.ECONFLICT, "role")
			}
			got, err := f.s.GetUser(ctx(t), u.ID)
			must(t, err)
			if got.Role == desk.RoleAdmin && got.Active {
				left++
			}
		}
		if left != 1 {
			t.Fatalf("round %d: %d active admins left (errors %v), want exactly 1", round, left, errs)
		}
	}
}
