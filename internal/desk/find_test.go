package desk_test

import (
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
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
