package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

var queueParams = []string{"within", "sort", "cursor", "limit", "total"}

// getQueue returns one page of a predefined queue of the caller (staff),
// most urgent SLA deadline first unless sort says otherwise.
func (s *server) getQueue(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r, queueParams...)
	o := desk.QueueOptions{Cursor: q.str("cursor"), Limit: q.limit(), Total: q.boolean("total"), Within: q.duration("within")}
	if sort := q.str("sort"); sort != "" {
		name, desc := strings.CutPrefix(sort, "-")
		o.Sort, o.Desc = desk.TicketSort(name), desc
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.desk.Queue(r.Context(), desk.QueueName(r.PathValue("name")), o)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ticketListView(page))
	return nil
}

// duration parses a Go duration such as 30m or 2h.
func (q *query) duration(name string) time.Duration {
	v := q.values.Get(name)
	if v == "" {
		return 0
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		q.fail(name, desk.RuleInvalidFmt, desk.Params{"format": "duration"}, "must be a positive duration such as 30m or 2h")
		return 0
	}
	return d
}
