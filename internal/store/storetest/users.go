package storetest

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func testUsers(t *testing.T, open Opener) {
	f := newFixture(t, open)
	u := &desk.User{Email: "Ivan.Sidorov@Example.com", Name: "Иван Сидоров", Phone: "123", Role: desk.RoleAgent, Active: true}
	must(t, f.s.CreateUser(ctx(t), u))
	if u.ID == 0 || u.CreatedAt.IsZero() {
		t.Fatalf("CreateUser left ID %d, CreatedAt %v", u.ID, u.CreatedAt)
	}
	for _, email := range []string{u.Email, "ivan.sidorov@example.com", " IVAN.SIDOROV@EXAMPLE.COM "} {
		got, err := f.s.GetUserByEmail(ctx(t), email)
		must(t, err)
		diff(t, "GetUserByEmail "+email, u, got)
	}
	dup := &desk.User{Email: "ivan.SIDOROV@example.com", Name: "dup", Role: desk.RoleRequester}
	wantField(t, "duplicate e-mail", f.s.CreateUser(ctx(t), dup), desk.ECONFLICT, "email")
	cyr := &desk.User{Email: "ОЛЬГА@пример.рф", Name: "Ольга", Role: desk.RoleRequester, Active: true}
	must(t, f.s.CreateUser(ctx(t), cyr))
	_, err := f.s.GetUserByEmail(ctx(t), "ольга@ПРИМЕР.РФ")
	must(t, err)

	u.Name, u.Role, u.Active, u.Email = "Ivan S.", desk.RoleManager, false, "ivan@example.com"
	must(t, f.s.UpdateUser(ctx(t), u, nil))
	got, err := f.s.GetUser(ctx(t), u.ID)
	must(t, err)
	diff(t, "updated user", u, got)
	u.Email = "ANNA@example.com"
	wantField(t, "update to a taken e-mail", f.s.UpdateUser(ctx(t), u, nil), desk.ECONFLICT, "email")
	wantCode(t, "update missing", f.s.UpdateUser(ctx(t), &desk.User{ID: 987654, Email: "x@y"}, nil), desk.ENOTFOUND)
	_, err = f.s.GetUser(ctx(t), 987654)
	wantCode(t, "get missing", err, desk.ENOTFOUND)

	t.Run("Membership", func(t *testing.T) { userMembership(t, f) })
	t.Run("List", func(t *testing.T) { listUsers(t, f) })
	t.Run("EnsureRequester", func(t *testing.T) { ensureRequester(t, f) })
}

func userMembership(t *testing.T, f *fixture) {
	for _, g := range []*desk.Group{f.net, f.desk, f.net} { // adding twice is harmless
		must(t, f.s.SetGroupMember(ctx(t), g.ID, f.agent.ID, true))
	}
	got, err := f.s.GetUser(ctx(t), f.agent.ID)
	must(t, err)
	diff(t, "groups", []desk.GroupRef{groupRef(f.desk), groupRef(f.net)}, got.Groups)
	members, err := f.s.GroupMembers(ctx(t), f.net.ID)
	must(t, err)
	diff(t, "members", []int64{f.agent.ID}, userIDs(members))
	must(t, f.s.SetGroupMember(ctx(t), f.net.ID, f.agent.ID, false))
	must(t, f.s.SetGroupMember(ctx(t), f.net.ID, f.agent.ID, false))
	got, err = f.s.GetUserByEmail(ctx(t), f.agent.Email)
	must(t, err)
	diff(t, "groups after removal", []desk.GroupRef{groupRef(f.desk)}, got.Groups)
	members, err = f.s.GroupMembers(ctx(t), f.net.ID)
	must(t, err)
	diff(t, "members after removal", []int64(nil), userIDs(members))
	_, err = f.s.GroupMembers(ctx(t), 987654)
	wantCode(t, "members of a missing group", err, desk.ENOTFOUND)
	wantField(t, "missing group", f.s.SetGroupMember(ctx(t), 987654, f.agent.ID, true), desk.EINVALID, "group")
	wantField(t, "missing user", f.s.SetGroupMember(ctx(t), f.net.ID, 987654, true), desk.EINVALID, "user")
}

func userIDs(users []*desk.User) []int64 {
	var out []int64
	for _, u := range users {
		out = append(out, u.ID)
	}
	return out
}

func listUsers(t *testing.T, f *fixture) {
	for i := range 5 {
		f.user(t, fmt.Sprintf("list%d@corp.example", i), fmt.Sprintf("List_%d 100%%", i), desk.RoleRequester)
	}
	walk := func(filter desk.UserFilter) []string {
		var emails []string
		for {
			p, err := f.s.ListUsers(ctx(t), filter)
			must(t, err)
			for _, u := range p.Users {
				emails = append(emails, u.Email)
			}
			if p.NextCursor == "" {
				return emails
			}
			filter.Cursor = p.NextCursor
		}
	}
	all := []string{"list0@corp.example", "list1@corp.example", "list2@corp.example", "list3@corp.example", "list4@corp.example"}
	diff(t, "query by e-mail", all, walk(desk.UserFilter{Query: "CORP.example", Limit: 2}))
	diff(t, "query by name with _ and %", all, walk(desk.UserFilter{Query: "ist_", Limit: 3}))
	diff(t, "_ is literal", []string(nil), walk(desk.UserFilter{Query: "list__"}))
	diff(t, "% is literal", all[:1], walk(desk.UserFilter{Query: "0 100%"}))
	diff(t, "cyrillic, any case", []string{"ОЛЬГА@пример.рф"}, walk(desk.UserFilter{Query: "ольга@ПРИМЕР"}))
	agents := walk(desk.UserFilter{Roles: []desk.Role{desk.RoleAgent, desk.RoleManager}})
	diff(t, "roles", []string{f.agent.Email, "ivan@example.com"}, agents)
	// Staff are read through their own index (users_staff, migration
	// 00062): requesters made before and after a staff member neither
	// appear nor end the walk early, page after page; requesters are still
	// listed when asked for.
	f.user(t, "late.agent@corp.example", "Late agent", desk.RoleAgent)
	f.user(t, "later.requester@corp.example", "Later requester", desk.RoleRequester)
	staff := walk(desk.UserFilter{Roles: []desk.Role{desk.RoleAgent, desk.RoleManager}, Limit: 1})
	diff(t, "staff page by page", []string{f.agent.Email, "ivan@example.com", "late.agent@corp.example"}, staff)
	requesters := walk(desk.UserFilter{Roles: []desk.Role{desk.RoleRequester}, Query: "corp.example", Limit: 2})
	diff(t, "requesters", append(append([]string(nil), all...), "later.requester@corp.example"), requesters)
	mixed := walk(desk.UserFilter{Roles: []desk.Role{desk.RoleAgent, desk.RoleRequester}, Query: "late"})
	diff(t, "staff and requesters", []string{"late.agent@corp.example", "later.requester@corp.example"}, mixed)
	_, err := f.s.ListUsers(ctx(t), desk.UserFilter{Cursor: "bogus"})
	wantCode(t, "bad cursor", err, desk.EINVALID)
	_, err = f.s.ListUsers(ctx(t), desk.UserFilter{Roles: []desk.Role{"root"}})
	wantCode(t, "bad role", err, desk.EINVALID)
	_, err = f.s.ListUsers(ctx(t), desk.UserFilter{Limit: desk.MaxPageSize + 1})
	wantCode(t, "limit too large", err, desk.EINVALID)
}

// ensureRequester races n callers with one address in different cases:
// one user is created and all get it.
func ensureRequester(t *testing.T, f *fixture) {
	const n = 8
	got := make([]*desk.User, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			email := "new.person@example.com"
			if i%2 == 1 {
				email = strings.ToUpper(email)
			}
			u, err := f.s.EnsureRequester(ctx(t), &desk.User{Email: email, Name: "New Person", Role: desk.RoleRequester, Active: true})
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = u
		})
	}
	wg.Wait()
	for i := range n {
		if got[i] == nil || got[i].ID != got[0].ID {
			t.Fatalf("EnsureRequester results differ: %v vs %v", got[i], got[0])
		}
	}
	existing, err := f.s.EnsureRequester(ctx(t), &desk.User{Email: f.agent.Email, Name: "ignored", Role: desk.RoleRequester})
	must(t, err)
	if existing.ID != f.agent.ID || existing.Role != desk.RoleAgent {
		t.Errorf("EnsureRequester of an existing agent returned %+v", existing)
	}
	p, err := f.s.ListUsers(ctx(t), desk.UserFilter{Query: "new.person@"})
	must(t, err)
	if len(p.Users) != 1 {
		t.Errorf("%d users with the raced address, want 1", len(p.Users))
	}
}
