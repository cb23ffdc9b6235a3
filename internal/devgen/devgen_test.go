package devgen_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/store/sqlite"
)

func TestGenerate(t *testing.T) {
	ctx := t.Context()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "gen.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	var progress []int
	opts := devgen.Options{Tickets: 6000, Requesters: 500, Seed: 1, Now: now, Progress: func(n int) { progress = append(progress, n) }}
	if err := devgen.Generate(ctx, s, opts); err != nil {
		t.Fatal(err)
	}
	if len(progress) != 2 || progress[1] != 6000 {
		t.Errorf("progress reports %v, want two batches ending at 6000", progress)
	}
	all := desk.Visibility{AllRestricted: true}
	count := func(f desk.TicketFilter) int {
		t.Helper()
		f.Total, f.Visibility, f.Limit = true, all, 1
		p, err := s.ListTickets(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return *p.Total
	}
	if n := count(desk.TicketFilter{}); n != 6000 {
		t.Fatalf("%d tickets, want 6000", n)
	}
	if open := count(desk.TicketFilter{States: desk.OpenStates}); open < 600 || open > 1500 {
		t.Errorf("%d open tickets of 6000, want roughly 15-20%%", open)
	}
	if n := count(desk.TicketFilter{Query: "принтер"}); n == 0 {
		t.Error("generated Russian text is not searchable")
	}
	for _, ch := range desk.Channels { // walk-ins and chats too: the register form's channels
		if n := count(desk.TicketFilter{Channels: []desk.Channel{ch}}); n < 60 {
			t.Errorf("%d %s tickets of 6000, want some of every channel", n, ch)
		}
	}
	incidents := count(desk.TicketFilter{Types: []desk.TicketType{desk.TypeIncident}})

	// A second run reuses the directory and continues the numbering.
	if err := devgen.Generate(ctx, s, devgen.Options{Tickets: 10, Requesters: 500, Seed: 2, Now: now}); err != nil {
		t.Fatal(err)
	}
	g, err := s.DefaultGroup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tk := &desk.Ticket{Type: desk.TypeIncident, Title: "after", State: desk.StateNew, Impact: desk.LevelLow,
		Urgency: desk.LevelLow, Priority: desk.P4, Group: desk.GroupRef{ID: g.ID}, Requester: desk.Person{ID: 1}, Channel: desk.ChannelAPI}
	if _, err := s.CreateTicket(ctx, tk, nil, nil); err != nil {
		t.Fatal(err)
	}
	after := count(desk.TicketFilter{Types: []desk.TicketType{desk.TypeIncident}})
	if want := fmt.Sprintf("INC-%06d", after); tk.Number != want {
		t.Errorf("number after generation %s, want %s (incidents before: %d)", tk.Number, want, incidents)
	}
	groups, err := s.ListGroups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 20 {
		t.Errorf("%d groups after two runs, want 20", len(groups))
	}
}
