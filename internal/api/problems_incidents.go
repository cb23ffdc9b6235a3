package api

import (
	"net/http"
	"strconv"
	"time"

	prb "github.com/tierdesk/tierdesk/internal/problem"
)

// listProblemIncidents lists a problem's incidents the caller may see,
// with state, age and SLA; ?after=<ticket id> pages on.
func (s *server) listProblemIncidents(w http.ResponseWriter, r *http.Request) error {
	ref, err := s.problemRef(r)
	if err != nil {
		return err
	}
	q := newQuery(r, "after", "limit")
	var after int64
	if id := q.id("after", nil); id != nil {
		after = *id
	}
	limit := q.limit()
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.opts.Problems.Incidents(r.Context(), ref, after, limit)
	if err != nil {
		return err
	}
	now := time.Now()
	items := make([]map[string]any, 0, len(page.Incidents))
	for _, in := range page.Incidents {
		t := in.Ticket
		items = append(items, map[string]any{"ticket": ticketView(t), "linked_at": rfc3339(in.Link.LinkedAt),
			"age_seconds": int64(now.Sub(t.ReportedAt).Seconds()), "sla_due_at": optTime(t.SLA.DueAt),
			"resolution_met": t.SLA.ResolutionMet})
	}
	var next *string
	if page.Next != 0 {
		n := strconv.FormatInt(page.Next, 10)
		next = &n
	}
	writeJSON(w, http.StatusOK, map[string]any{"incidents": items, "hidden": page.Hidden, "next_after": next})
	return nil
}

// linkProblemIncidents links incidents: {"tickets": ["INC-000001", ...]}.
func (s *server) linkProblemIncidents(w http.ResponseWriter, r *http.Request) error {
	ref, err := s.problemRef(r)
	if err != nil {
		return err
	}
	var b struct {
		Tickets []string `json:"tickets"`
	}
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	res, err := s.opts.Problems.Link(r.Context(), ref, b.Tickets)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, linkResultView(res))
	return nil
}

func linkResultView(res *prb.LinkResult) map[string]any {
	skipped := make([]map[string]string, 0, len(res.Skipped))
	for _, sk := range res.Skipped {
		skipped = append(skipped, map[string]string{"ticket": sk.Ticket, "code": sk.Code, "reason": sk.Reason})
	}
	linked, held := res.Linked, res.Held
	if linked == nil {
		linked = []string{}
	}
	if held == nil {
		held = []string{}
	}
	return map[string]any{"problem": problemView(res.Problem), "linked": linked, "held": held, "skipped": skipped}
}

func (s *server) unlinkProblemIncident(w http.ResponseWriter, r *http.Request) error {
	ref, err := s.problemRef(r)
	if err != nil {
		return err
	}
	if err := s.opts.Problems.Unlink(r.Context(), ref, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ticketProblem is the problem of a ticket (null when none) and the known
// errors matching its category and service.
func (s *server) ticketProblem(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireProblems(); err != nil {
		return err
	}
	ref := r.PathValue("id")
	p, err := s.opts.Problems.TicketProblem(r.Context(), ref)
	if err != nil {
		return err
	}
	t, err := s.desk.Ticket(r.Context(), ref)
	if err != nil {
		return err
	}
	known, err := s.opts.Problems.KnownErrors(r.Context(), t)
	if err != nil {
		return err
	}
	out := map[string]any{"problem": nil, "known_errors": []problemJSON{}}
	if p != nil {
		out["problem"] = problemView(p)
	}
	ke := make([]problemJSON, 0, len(known))
	for _, k := range known {
		ke = append(ke, problemView(k))
	}
	out["known_errors"] = ke
	writeJSON(w, http.StatusOK, out)
	return nil
}

// problemReport: incidents per problem and time from first incident to
// known error, for ?from=&to= (days).
func (s *server) problemReport(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireProblems(); err != nil {
		return err
	}
	q := newQuery(r, "from", "to")
	from, to := q.day("from"), q.day("to")
	if err := q.err(); err != nil {
		return err
	}
	rep, err := s.opts.Problems.Report(r.Context(), from, to)
	if err != nil {
		return err
	}
	items := make([]map[string]any, 0, len(rep.Problems))
	for _, u := range rep.Problems {
		item := map[string]any{"id": u.ID, "number": u.Number(), "title": u.Title, "state": u.State, "incidents": u.Incidents,
			"first_incident_at": optTime(u.FirstIncidentAt), "known_error_at": optTime(u.KnownErrorAt), "to_known_error_seconds": nil}
		if d, ok := u.ToKnownError(); ok {
			item["to_known_error_seconds"] = int64(d.Seconds())
		}
		items = append(items, item)
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": rfc3339(rep.From), "to": rfc3339(rep.To), "problems": items,
		"opened": rep.Opened, "known_errors": rep.KnownErrors, "resolved": rep.Resolved, "incidents_linked": rep.Linked,
		"median_to_known_error_seconds": int64(rep.MedianToKnownError.Seconds()),
		"definitions":                   map[string]string{"median_to_known_error_seconds": "median, over the problems that became known errors in the period, of the time from their first linked incident's report to the known error"}})
	return nil
}
