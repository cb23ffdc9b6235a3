package ticketexport

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// TestWrite_PagesAndFlushes: every page is written in order and flushed
// before the next is asked for.
func TestWrite_PagesAndFlushes(t *testing.T) {
	var out strings.Builder
	var flushedAt []int // bytes written when each flush happened
	pages := map[string]*desk.TicketPage{}
	for p := range 3 {
		cur := ""
		if p > 0 {
			cur = fmt.Sprint(p)
		}
		page := &desk.TicketPage{}
		for i := range 2 {
			page.Tickets = append(page.Tickets, &desk.Ticket{Number: fmt.Sprintf("INC-%d%d", p, i), Title: "-1 day",
				CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
		}
		if p < 2 {
			page.NextCursor = fmt.Sprint(p + 1)
		}
		pages[cur] = page
	}
	asked := 0
	n, err := Write(context.Background(), &out, Options{Columns: []string{"number", "title", "created"},
		Loc: time.FixedZone("MSK", 3*3600), Flush: func() { flushedAt = append(flushedAt, out.Len()) }},
		func(_ context.Context, cursor string) (*desk.TicketPage, error) {
			if len(flushedAt) != asked {
				t.Fatalf("page %q asked for before the previous was flushed", cursor)
			}
			asked++
			return pages[cursor], nil
		})
	if err != nil || n != 6 || len(flushedAt) != 3 {
		t.Fatalf("wrote %d, flushed %d times: %v", n, len(flushedAt), err)
	}
	want := "number,title,created\nINC-00,'-1 day,2026-01-02T06:04:05+03:00\n"
	if !strings.HasPrefix(out.String(), want) || strings.Count(out.String(), "\n") != 7 {
		t.Errorf("output:\n%s", out.String())
	}
}
