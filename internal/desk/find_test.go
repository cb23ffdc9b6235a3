package desk_test

import (
	"context"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestFindTickets: the spec's conditions select, pages continue with the
// same instant, bad values name their field, and requesters may not
// search.
func TestFindTickets(t *testing.T) {
	f := newFixture(t)
	for _, title := range []string{"VPN drops", "VPN slow", "Printer jam"} {
		f.incident(title)
	}
	spec := desk.FilterSpec{Query: "vpn", DueWithinMinutes: 7 * 24 * 60, Channels: []desk.Channel{desk.ChannelPhone},
		Sort: desk.SortCreated}
	p1, err := f.d.FindTickets(f.l1, spec, desk.QueueOptions{Limit: 1, Total: true, TotalMax: 1})
	if err != nil || len(p1.Tickets) != 1 || p1.NextCursor == "" || *p1.Total != 1 || !p1.TotalCapped {
		t.Fatalf("first page %+v: %v", p1, err)
	}
	f.clock.Advance(1)
	p2, err := f.d.FindTickets(f.l1, spec, desk.QueueOptions{Limit: 1, Cursor: p1.NextCursor})
	if err != nil || len(p2.Tickets) != 1 || p2.Tickets[0].Title != "VPN slow" {
		t.Fatalf("second page %+v: %v", p2, err)
	}
	for field, bad := range map[string]desk.FilterSpec{
		"state":   {States: []desk.State{"lost"}},
		"channel": {Channels: []desk.Channel{"fax"}},
		"sort":    {Sort: "title"},
		"columns": {Columns: []string{"password"}},
		"due":     {DueWithinMinutes: -5},
		"q":       {Query: string(make([]byte, 501))},
	} {
		_, err := f.d.FindTickets(f.l1, bad, desk.QueueOptions{})
		wantFieldErr(t, field, err, desk.EINVALID, field)
	}
	_, err = f.d.FindTickets(f.sam, desk.FilterSpec{}, desk.QueueOptions{})
	wantCode(t, err, desk.EFORBIDDEN)
}

// TestFindTickets_CountStopsAtCap: with the default configuration a
// count stops at desk.CountCap (1,000): one ticket more than that is
// counted as 1,000 and capped, so that the Tickets page reads at most
// that many index entries at any desk size; exactly the cap is exact.
// The tickets beyond the first are copies stored by the bulk path.
func TestFindTickets_CountStopsAtCap(t *testing.T) {
	if desk.CountCap != 1000 {
		t.Fatalf("CountCap %d: the Tickets page, the API and README say 1,000", desk.CountCap)
	}
	clock := testdb.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	st := testdb.SQLite(t, sqlstore.WithClock(clock))
	d := desk.New(st, clock, desk.DefaultConfig)
	admin, _, err := d.Bootstrap(context.Background(), desk.UserInput{Email: "admin@example.com", Name: "Ada", Role: desk.RoleAdmin}, false)
	if err != nil {
		t.Fatal(err)
	}
	ctx := desk.WithActor(context.Background(), admin)
	first, _, err := d.CreateTicket(ctx, desk.NewTicket{Type: desk.TypeIncident, Title: "Printer jams", Channel: desk.ChannelPhone,
		Requester: desk.PersonInput{Email: "sam@example.com"}, Impact: desk.LevelLow, Urgency: desk.LevelLow}, "")
	if err != nil {
		t.Fatal(err)
	}
	copies := func(n int) {
		t.Helper()
		var tickets []*desk.Ticket
		for range n {
			c := *first
			c.ID, c.Number, c.Version = 0, "", 0
			tickets = append(tickets, &c)
		}
		if err := st.ImportTickets(context.Background(), tickets, make([][]desk.Event, n)); err != nil {
			t.Fatal(err)
		}
	}
	copies(desk.CountCap - 1)
	count := func() (int, bool) {
		t.Helper()
		p, err := d.FindTickets(ctx, desk.FilterSpec{States: desk.OpenStates}, desk.QueueOptions{Limit: 1, Total: true})
		if err != nil {
			t.Fatal(err)
		}
		return *p.Total, p.TotalCapped
	}
	if n, capped := count(); n != desk.CountCap || capped {
		t.Fatalf("exactly the cap: %d capped %v, want %d exact", n, capped, desk.CountCap)
	}
	copies(1)
	if n, capped := count(); n != desk.CountCap || !capped {
		t.Fatalf("past the cap: %d capped %v, want %d capped", n, capped, desk.CountCap)
	}
}
