package storetest

import (
	"context"
	"database/sql"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// lookup runs desk's normalisation of q and returns the names found.
func lookup(t *testing.T, s desk.Store, q string, limit int) []string {
	t.Helper()
	users, err := s.LookupUsers(ctx(t), desk.UserLookup{Words: desk.LookupWords(q), Limit: limit})
	must(t, err)
	var names []string
	for _, u := range users {
		names = append(names, u.Name)
	}
	return names
}

// testRequesterLookup: the lookup as you type finds people by the start of
// any word of their name, e-mail, phone or organisation, in the order of
// the word matched, on users however they were written.
func testRequesterLookup(t *testing.T, open Opener) {
	f := newFixture(t, open) // Anna Petrova, Boris Ivanov, Vera Agent
	people := []*desk.User{
		{Email: "sam.seller@acme.example", Name: "Sam Seller", Phone: "+7 (495) 123-45-67", Organization: "ACME Corp"},
		{Email: "joanne@example.com", Name: "Joanne Annabel-Smith", Organization: "Globex"},
		{Email: "olga@пример.рф", Name: "Ольга Ёлкина", Organization: "ООО «Ромашка»"},
		{Email: "gone@acme.example", Name: "Anna Gone", Organization: "ACME Corp"},
	}
	for _, u := range people {
		u.Role, u.Active = desk.RoleRequester, true
		must(t, f.s.CreateUser(ctx(t), u))
	}
	gone := people[3]
	gone.Active = false
	must(t, f.s.UpdateUser(ctx(t), gone, nil))
	// A requester registered with a ticket (EnsureRequester) is found too.
	_, err := f.s.EnsureRequester(ctx(t), &desk.User{Email: "kim@walk.example", Name: "Kim Walker", Phone: "8 812 555 01 02",
		Organization: "Initech", Role: desk.RoleRequester, Active: true})
	must(t, err)

	for _, c := range []struct {
		q    string
		want []string
	}{
		// By the term matched, in byte order: "anna" and "anna@example.com"
		// (Anna Petrova) before "annabel" (Joanne Annabel-Smith).
		{"ann", []string{"Anna Petrova", "Joanne Annabel-Smith"}},
		{"Anna", []string{"Anna Petrova", "Joanne Annabel-Smith"}},
		{"annab", []string{"Joanne Annabel-Smith"}},
		{"pet ann", []string{"Anna Petrova"}},
		{"acme", []string{"Sam Seller"}}, // Anna Gone is inactive
		{"sam.sel", []string{"Sam Seller"}},
		{"seller@", nil},
		{"sam@", nil},
		{"4567", []string{"Sam Seller"}},
		{"+7 (495) 123-45-67", []string{"Sam Seller"}},
		{"495 123", []string{"Sam Seller"}},
		{"ОЛЬГА", []string{"Ольга Ёлкина"}},
		{"елк", []string{"Ольга Ёлкина"}},
		{"ромашка", []string{"Ольга Ёлкина"}},
		{"initech", []string{"Kim Walker"}},
		{"5550102", []string{"Kim Walker"}},
		{"walker kim", []string{"Kim Walker"}},
		{"zzz", nil},
		{"", nil},
		{"%", nil},
		{"_", nil},
	} {
		diff(t, "lookup "+c.q, c.want, lookup(t, f.s, c.q, 10))
	}
	diff(t, "limit", []string{"Anna Petrova"}, lookup(t, f.s, "ann", 1))

	// A change of name, phone or organisation changes what finds the user.
	sam := people[0]
	sam.Name, sam.Phone, sam.Organization = "Samuel Seller", "", "Umbrella"
	must(t, f.s.UpdateUser(ctx(t), sam, nil))
	diff(t, "after update: old organisation", []string(nil), lookup(t, f.s, "acme corp", 10))
	diff(t, "after update: old phone", []string(nil), lookup(t, f.s, "4567", 10))
	diff(t, "after update: new name", []string{"Samuel Seller"}, lookup(t, f.s, "samu umbr", 10))

	t.Run("Backfill", func(t *testing.T) { lookupBackfill(t, f) })
	t.Run("Channels", func(t *testing.T) { channelConstraint(t, f) })
}

// lookupBackfill: users whose terms are missing (stored before migration
// 00015) get them when the store migrates.
func lookupBackfill(t *testing.T, f *fixture) {
	s, ok := f.s.(interface {
		DB() *sql.DB
		Migrate(context.Context) error
	})
	if !ok {
		t.Skip("the store does not expose its database")
	}
	if _, err := s.DB().ExecContext(ctx(t), "UPDATE users SET lookup_terms = NULL"); err != nil {
		t.Fatal(err)
	}
	diff(t, "lookup without terms", []string(nil), lookup(t, f.s, "boris", 10))
	must(t, s.Migrate(ctx(t)))
	diff(t, "lookup after migrating", []string{"Boris Ivanov"}, lookup(t, f.s, "boris", 10))
}

// channelConstraint: the database refuses a channel the desk does not
// know, and takes the new ones.
func channelConstraint(t *testing.T, f *fixture) {
	for _, ch := range []desk.Channel{desk.ChannelWalkIn, desk.ChannelChat} {
		tk := f.ticket("by "+string(ch), 1)
		tk.Channel = ch
		f.create(t, tk)
	}
	tk := f.ticket("by fax", 2)
	tk.Channel = "fax"
	ev := []desk.Event{{At: tk.CreatedAt, Kind: desk.EventCreated, Public: true}}
	if _, err := f.s.CreateTicket(ctx(t), tk, ev, nil); err == nil {
		t.Fatal("a ticket by fax was stored")
	}
}
