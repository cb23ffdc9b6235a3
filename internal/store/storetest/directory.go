package storetest

import (
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func testTokens(t *testing.T, open Opener) {
	f := newFixture(t, open)
	tok, err := f.s.CreateToken(ctx(t), f.agent.ID, "ci", []byte{1, 2, 3})
	must(t, err)
	if tok.ID == 0 || tok.UserID != f.agent.ID || tok.Name != "ci" || tok.CreatedAt.IsZero() {
		t.Errorf("CreateToken returned %+v", tok)
	}
	_, err = f.s.CreateToken(ctx(t), f.req1.ID, "copy", []byte{1, 2, 3})
	wantCode(t, "duplicate hash", err, desk.ECONFLICT)
	_, err = f.s.CreateToken(ctx(t), 987654, "nobody", []byte{9})
	wantField(t, "missing user", err, desk.EINVALID, "user")
	second, err := f.s.CreateToken(ctx(t), f.agent.ID, "laptop", []byte{4, 5, 6})
	must(t, err)
	u, err := f.s.UserByTokenHash(ctx(t), []byte{1, 2, 3})
	must(t, err)
	diff(t, "token user", f.agent, u)
	_, err = f.s.UserByTokenHash(ctx(t), []byte{7})
	wantCode(t, "unknown token", err, desk.ENOTFOUND)
	list, err := f.s.ListTokens(ctx(t), f.agent.ID)
	must(t, err)
	diff(t, "tokens", []*desk.Token{tok, second}, list)
	wantCode(t, "delete another user's token", f.s.DeleteToken(ctx(t), f.req1.ID, tok.ID), desk.ENOTFOUND)
	must(t, f.s.DeleteToken(ctx(t), f.agent.ID, tok.ID))
	_, err = f.s.UserByTokenHash(ctx(t), []byte{1, 2, 3})
	wantCode(t, "deleted token", err, desk.ENOTFOUND)
	inactive := *f.agent
	inactive.Active = false
	must(t, f.s.UpdateUser(ctx(t), &inactive, nil))
	_, err = f.s.UserByTokenHash(ctx(t), []byte{4, 5, 6})
	wantCode(t, "inactive user's token", err, desk.ENOTFOUND)
}

func testGroups(t *testing.T, open Opener) {
	f := newFixture(t, open)
	diff(t, "seeded default", &desk.Group{ID: f.desk.ID, Name: "Service Desk", Line: desk.Line1, Default: true,
		Active: true, CreatedAt: f.desk.CreatedAt}, f.desk)
	g := &desk.Group{Name: "Field Support", Line: desk.Line1, Manager: &desk.Ref{ID: f.agent.ID}, Default: true, Active: true}
	must(t, f.s.CreateGroup(ctx(t), g))
	def, err := f.s.DefaultGroup(ctx(t))
	must(t, err)
	g.Manager.Name = f.agent.Name
	diff(t, "new default", g, def)
	old, err := f.s.GetGroup(ctx(t), f.desk.ID)
	must(t, err)
	if old.Default {
		t.Error("the old default group is still default")
	}
	old.Default = true
	must(t, f.s.UpdateGroup(ctx(t), old))
	def, err = f.s.DefaultGroup(ctx(t))
	must(t, err)
	diff(t, "default switched back", old.ID, def.ID)
	list, err := f.s.ListGroups(ctx(t))
	must(t, err)
	var names []string
	for _, g := range list {
		names = append(names, g.Name)
	}
	diff(t, "groups by line and name", []string{"Field Support", "Service Desk", "Network", "Database"}, names)
	wantField(t, "duplicate name", f.s.CreateGroup(ctx(t), &desk.Group{Name: "Network", Line: desk.Line2}), desk.ECONFLICT, "name")
	wantField(t, "bad line", f.s.CreateGroup(ctx(t), &desk.Group{Name: "Line 4", Line: 4}), desk.EINVALID, "line")
	wantField(t, "bad manager", f.s.CreateGroup(ctx(t), &desk.Group{Name: "X", Line: 1, Manager: &desk.Ref{ID: 987654}}), desk.EINVALID, "manager")
	wantCode(t, "update missing", f.s.UpdateGroup(ctx(t), &desk.Group{ID: 987654, Name: "Y", Line: 1}), desk.ENOTFOUND)
	_, err = f.s.GetGroup(ctx(t), 987654)
	wantCode(t, "get missing", err, desk.ENOTFOUND)
	old.Default = false
	must(t, f.s.UpdateGroup(ctx(t), old))
	_, err = f.s.DefaultGroup(ctx(t))
	wantCode(t, "no default", err, desk.ENOTFOUND)
	t.Run("LineMove", func(t *testing.T) { groupLineMove(t, f) })
}

// groupLineMove moves a group to another line: its tickets follow in line
// filters.
func groupLineMove(t *testing.T, f *fixture) {
	tk := f.ticket("on the move", 0)
	tk.Group = desk.GroupRef{ID: f.net.ID}
	f.create(t, tk)
	f.net.Line = desk.Line3
	must(t, f.s.UpdateGroup(ctx(t), f.net))
	p, err := f.s.ListTickets(ctx(t), desk.TicketFilter{Lines: []desk.Line{desk.Line3}, Visibility: all})
	must(t, err)
	diff(t, "line 3 after move", []int64{tk.ID}, ids(p.Tickets))
	got, err := f.s.GetTicket(ctx(t), tk.ID)
	must(t, err)
	diff(t, "ticket's group after move", groupRef(f.net), got.Group)
}

func testMatrix(t *testing.T, open Opener) {
	s := open(t)
	m, err := s.GetMatrix(ctx(t))
	must(t, err)
	diff(t, "seeded matrix", desk.DefaultMatrix, m)
	m.Set(desk.LevelLow, desk.LevelLow, desk.P3)
	must(t, s.SetMatrix(ctx(t), m))
	got, err := s.GetMatrix(ctx(t))
	must(t, err)
	diff(t, "changed matrix", m, got)
	m.Set(desk.LevelHigh, desk.LevelHigh, "P9")
	wantCode(t, "invalid matrix", s.SetMatrix(ctx(t), m), desk.EINVALID)
	must(t, s.Ready(ctx(t)))
}
