package web

import (
	"html/template"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// The agent console: work queues by SLA deadline (and the saved filters run
// as queues), with a live countdown per ticket and j/k/Enter navigation
// (static/console.js). The dashboard is in dashboard.go.

func init() {
	registerArea("console", func(s *server) {
		s.addNav(navItem{Path: "/console", Key: "nav.console", Who: staffOnly, Order: 5})
		s.get("/console", staffOnly, s.consoleHome)
		s.get("/console/queues/{name}", staffOnly, s.consoleQueue)
		s.get("/console/filters/{id}", staffOnly, s.consoleFilter)
		s.staffHome = "/console"
	})
}

// queueRow is one ticket of a queue as the page shows it.
type queueRow struct {
	T        *desk.Ticket
	Age      string
	Breached bool // its next deadline has passed
	// RegMissed: a security case whose regulatory deadline was missed.
	RegMissed bool
}

// queueView is a queue page: the queue's tickets and the links to the
// other queues and the user's saved filters.
type queueView struct {
	Name    desk.QueueName // "" for a saved filter
	Filter  *desk.SavedFilter
	Queues  []desk.QueueName
	Filters []*desk.SavedFilter
	Rows    []queueRow
	// RowsHTML is Rows as the table's rows (console_rows.go).
	RowsHTML template.HTML
	Next     string
	Total    int
	Capped   bool // more than Total match (desk.CountCap)
}

func (s *server) consoleHome(rq *request) error {
	return s.renderQueue(rq, desk.QueueMyGroups, nil)
}

func (s *server) consoleQueue(rq *request) error {
	return s.renderQueue(rq, desk.QueueName(rq.r.PathValue("name")), nil)
}

func (s *server) consoleFilter(rq *request) error {
	id, err := strconv.ParseInt(rq.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return desk.Errorf(desk.ENOTFOUND, "no saved filter %q", rq.r.PathValue("id"))
	}
	f, err := s.desk.SavedFilter(rq.ctx, id)
	if err != nil {
		return err
	}
	return s.renderQueue(rq, "", f)
}

// renderQueue lists one page of a predefined queue, or of saved filter f.
func (s *server) renderQueue(rq *request, name desk.QueueName, f *desk.SavedFilter) error {
	o := desk.QueueOptions{Cursor: rq.r.URL.Query().Get("after"), Total: true}
	var page *desk.TicketPage
	var err error
	if f != nil {
		page, err = s.desk.RunSavedFilter(rq.ctx, f.ID, o)
	} else {
		page, err = s.desk.Queue(rq.ctx, name, o)
	}
	if err != nil {
		return err
	}
	filters, err := s.desk.SavedFilters(rq.ctx)
	if err != nil {
		return err
	}
	v := queueView{Name: name, Filter: f, Queues: desk.Queues, Filters: filters, Next: page.NextCursor}
	if page.Total != nil {
		v.Total, v.Capped = *page.Total, page.TotalCapped
	}
	now := time.Now()
	for _, t := range page.Tickets {
		since := t.CreatedAt
		if !t.ReportedAt.IsZero() && t.ReportedAt.Before(since) {
			since = t.ReportedAt // the clocks start when it was reported
		}
		missed, err := s.regulatoryMissed(rq, t)
		if err != nil {
			return err
		}
		v.Rows = append(v.Rows, queueRow{T: t, Age: rq.lang.duration(now.Sub(since)),
			Breached: t.SLA.DueAt != nil && !now.Before(*t.SLA.DueAt), RegMissed: missed})
	}
	v.RowsHTML = queueRowsHTML(rq.lang, rq.loc, v.Rows)
	return rq.ok("console_queue", v)
}
