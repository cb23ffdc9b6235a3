package api

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/ticketexport"
)

type ticketListJSON struct {
	Tickets    []ticketJSON `json:"tickets"`
	NextCursor *string      `json:"next_cursor"`
	Total      *int         `json:"total,omitempty"`
	Capped     bool         `json:"total_capped,omitempty"` // Total is a lower bound
	Windowed   bool         `json:"windowed,omitempty"`     // see desk.SearchWindow
}

var ticketListParams = []string{"state", "type", "priority", "line", "channel", "group", "assignee", "requester",
	"category", "service", "created_from", "created_to", "updated_from", "updated_to", "q", "sort",
	"sla_due_from", "sla_due_to",
	"cursor", "limit", "total", "columns"}

// ticketListView is a page of tickets with its count, if asked for: exact,
// or at least Total when Capped (desk.CountCap, a windowed search).
func ticketListView(page *desk.TicketPage) ticketListJSON {
	return ticketListJSON{Tickets: views(page.Tickets, ticketView), NextCursor: cursorJSON(page.NextCursor),
		Total: page.Total, Capped: page.TotalCapped, Windowed: page.Windowed}
}

// listTickets returns one keyset page of the tickets the actor may see.
func (s *server) listTickets(w http.ResponseWriter, r *http.Request) error {
	f, err := ticketFilter(r)
	if err != nil {
		return err
	}
	if wantsCSV(r) {
		return s.exportTickets(w, r, f)
	}
	page, err := s.desk.ListTickets(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ticketListView(page))
	return nil
}

// ticketFilter reads the list parameters. Enumerations are checked by the
// desk, which names the same parameters; here only the syntax is.
func ticketFilter(r *http.Request) (desk.TicketFilter, error) {
	q := newQuery(r, ticketListParams...)
	me := map[string]int64{"me": desk.ActorFrom(r.Context()).ID}
	f := desk.TicketFilter{
		States: ticketStates(q.list("state")), Types: asStrings[desk.TicketType](q.list("type")),
		Priorities: asStrings[desk.Priority](q.list("priority")), Lines: lines(q),
		Channels:    asStrings[desk.Channel](q.list("channel")),
		AssigneeID:  q.id("assignee", map[string]int64{"me": me["me"], "none": 0}),
		RequesterID: q.id("requester", me), CategoryID: q.id("category", nil), ServiceID: q.id("service", nil),
		CreatedFrom: q.time("created_from"), CreatedTo: q.time("created_to"),
		UpdatedFrom: q.time("updated_from"), UpdatedTo: q.time("updated_to"),
		SLADueFrom: q.time("sla_due_from"), SLADueTo: q.time("sla_due_to"),
		Query: q.str("q"), Cursor: q.str("cursor"), Limit: q.limit(), Total: q.boolean("total"),
	}
	f.GroupIDs = q.ids("group")
	for _, c := range q.list("columns") {
		if !slices.Contains(desk.TicketColumns, c) {
			q.fail("columns", desk.RuleOneOf, desk.Params{"allowed": desk.TicketColumns}, "must be among %s", strings.Join(desk.TicketColumns, ", "))
			break
		}
	}
	if sort := q.str("sort"); sort != "" {
		name, desc := strings.CutPrefix(sort, "-")
		f.Sort, f.Desc = desk.TicketSort(name), desc
	}
	return f, q.err()
}

// ticketStates expands the alias "open" into desk.OpenStates.
func ticketStates(in []string) []desk.State {
	var out []desk.State
	for _, s := range in {
		if s == "open" {
			out = append(out, desk.OpenStates...)
		} else {
			out = append(out, desk.State(s))
		}
	}
	return out
}

func asStrings[T ~string](in []string) []T {
	var out []T
	for _, s := range in {
		out = append(out, T(s))
	}
	return out
}

func lines(q *query) []desk.Line {
	var out []desk.Line
	for _, v := range q.list("line") {
		n, err := strconv.Atoi(v)
		if err != nil {
			q.fail("line", desk.RuleOneOf, desk.Params{"allowed": []string{"1", "2", "3"}}, "must be 1, 2 or 3")
			continue
		}
		out = append(out, desk.Line(n))
	}
	return out
}

// exportTickets answers the list as CSV (Accept: text/csv): every ticket
// of the filter, from the cursor on when one is given, in pages of
// ticketexport.PageSize written and flushed one after another, so memory
// stays constant whatever the count. Errors before the first row are
// problems as usual; after it the status is sent, so the stream stops and
// the error is logged.
func (s *server) exportTickets(w http.ResponseWriter, r *http.Request, f desk.TicketFilter) error {
	f.Limit, f.Total = ticketexport.PageSize, false
	first, err := s.desk.ListTickets(r.Context(), f)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	cols := newQuery(r, ticketListParams...).list("columns")
	_, err = ticketexport.Write(r.Context(), w, ticketexport.Options{Columns: cols,
		Flush: func() { _ = http.NewResponseController(w).Flush() }},
		func(ctx context.Context, cursor string) (*desk.TicketPage, error) {
			if first != nil {
				p := first
				first = nil
				return p, nil
			}
			f.Cursor = cursor
			return s.desk.ListTickets(ctx, f)
		})
	if err != nil && r.Context().Err() == nil {
		s.log.Error("ticket export stopped", "err", err)
	}
	return nil
}
