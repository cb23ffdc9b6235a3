package web_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/web"
)

// ticketReads counts the desk's reads of single tickets.
type ticketReads struct {
	*sqlstore.Store
	n atomic.Int64
}

func (s *ticketReads) GetTicket(ctx context.Context, id int64) (*desk.Ticket, error) {
	s.n.Add(1)
	return s.Store.GetTicket(ctx, id)
}

func (s *ticketReads) GetTicketByNumber(ctx context.Context, number string) (*desk.Ticket, error) {
	s.n.Add(1)
	return s.Store.GetTicketByNumber(ctx, number)
}

// TestTicketPage_ReadsTheTicketOnce: the agent's ticket page reads its
// ticket from the store once (desk.WithTicketMemo), not once per panel
// (six times before session 12), and the page after an action still shows
// the ticket as the action left it.
func TestTicketPage_ReadsTheTicketOnce(t *testing.T) {
	var reads *ticketReads
	e := newHTTPEnvStore(t, web.Options{}, desk.SystemClock{}, desk.DefaultConfig, func(st *sqlstore.Store) desk.Store {
		reads = &ticketReads{Store: st}
		return reads
	})
	tk, _, err := e.d.CreateTicket(desk.WithActor(context.Background(), e.sam), desk.NewTicket{Type: desk.TypeIncident,
		Title: "VPN drops", Description: "The VPN drops every hour.", Channel: desk.ChannelPortal}, "")
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.signIn(e.lena.Email)
	c.get("/tickets/" + tk.Number) // the page's templates parsed
	before := reads.n.Load()
	p := c.get("/tickets/" + tk.Number)
	if p.status != http.StatusOK || !strings.Contains(p.body, "VPN drops") {
		t.Fatalf("ticket page: %d", p.status)
	}
	if n := reads.n.Load() - before; n != 1 {
		t.Errorf("the ticket page read its ticket %d times, want once", n)
	}
	// An action, then the page: the ticket as the action left it.
	form := map[string][]string{"csrf": {c.csrf("/tickets/" + tk.Number)}, "version": {"1"}}
	if r := c.post("/tickets/"+tk.Number+"/take", form); r.status >= 400 {
		t.Fatalf("take: %d %.300s", r.status, r.body)
	}
	after, err := e.d.Ticket(desk.WithActor(context.Background(), e.lena), tk.Number)
	if err != nil {
		t.Fatal(err)
	}
	if after.State != desk.StateInProgress {
		t.Fatalf("after take: %s", after.State)
	}
	if p := c.get("/tickets/" + tk.Number); !strings.Contains(p.body, `data-state="in_progress"`) && !strings.Contains(p.body, "In progress") {
		t.Errorf("the page after take does not show the ticket in progress")
	}
}
