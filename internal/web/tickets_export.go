package web

import (
	"context"
	"net/http"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/ticketexport"
)

// The Tickets page's export: the whole current filter as CSV, in the
// columns shown, streamed page by page (constant memory at any size) with
// the same authorisation as the list (the desk's FindTickets).

func init() {
	registerArea("tickets_export", func(s *server) {
		s.get("/tickets/export.csv", staffOnly, s.exportTicketsCSV)
	})
}

func (s *server) exportTicketsCSV(rq *request) error {
	q := rq.r.URL.Query()
	v, err := s.ticketsContext(rq)
	if err != nil {
		return err
	}
	spec, errs := s.readFilter(rq, q, v)
	if len(errs) > 0 {
		return rq.renderForm(422, "tickets", v, q, errs)
	}
	o := desk.QueueOptions{Limit: ticketexport.PageSize}
	first, err := s.desk.FindTickets(rq.ctx, spec, o)
	if err != nil {
		if errs := fieldErrors(rq, err); errs != nil {
			return rq.renderForm(422, "tickets", v, q, errs)
		}
		return err
	}
	cols := spec.Columns
	if len(cols) == 0 {
		cols = desk.DefaultTicketColumns
	}
	h := rq.w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="tickets-`+time.Now().In(rq.loc).Format("2006-01-02")+`.csv"`)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	rq.w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(rq.w)
	_, err = ticketexport.Write(rq.ctx, rq.w, ticketexport.Options{Columns: cols, Loc: rq.loc,
		Header: func(c string) string { return rq.lang.T("tickets.col." + c) }, Flush: func() { _ = rc.Flush() }},
		func(ctx context.Context, cursor string) (*desk.TicketPage, error) {
			if first != nil {
				p := first
				first = nil
				return p, nil
			}
			o.Cursor = cursor
			return s.desk.FindTickets(ctx, spec, o)
		})
	if err != nil && rq.ctx.Err() == nil {
		s.log.Error("web ticket export stopped", "err", err) // the status is sent: the file ends early
	}
	return nil
}
