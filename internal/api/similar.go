package api

import (
	"net/http"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// similarJSON is a resolved ticket like the one asked about.
type similarJSON struct {
	ID               int64      `json:"id"`
	Number           string     `json:"number"`
	Title            string     `json:"title"`
	State            desk.State `json:"state"`
	Category         *desk.Ref  `json:"category"`
	Service          *desk.Ref  `json:"service"`
	ResolutionCode   *string    `json:"resolution_code"`
	ResolutionNotes  string     `json:"resolution_notes"`
	ResolvedAt       *string    `json:"resolved_at"`
	TimeTakenSeconds int64      `json:"time_taken_seconds"`
	Score            float64    `json:"score"`
}

func similarViews(ss []desk.SimilarTicket) map[string]any {
	out := make([]similarJSON, len(ss))
	for i, s := range ss {
		t := s.Ticket
		out[i] = similarJSON{ID: t.ID, Number: t.Number, Title: t.Title, State: t.State,
			Category: t.Category, Service: t.Service, ResolutionNotes: t.ResolutionNotes,
			ResolvedAt: optTime(t.ResolvedAt), TimeTakenSeconds: int64(s.TimeTaken().Seconds()), Score: s.Score}
		if t.ResolutionCode != "" {
			code := string(t.ResolutionCode)
			out[i].ResolutionCode = &code
		}
	}
	return map[string]any{"similar": out}
}

// similarTickets returns the resolved tickets most like ticket {id} that
// the caller may see.
func (s *server) similarTickets(w http.ResponseWriter, r *http.Request) error {
	ss, err := s.desk.SimilarTickets(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, similarViews(ss))
	return nil
}

// similarToText returns the resolved tickets most like a ticket being
// registered, from its title, description, category and service; with
// include_open=true open ones too, after the resolved ones.
func (s *server) similarToText(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r, "title", "description", "category", "service", "include_open")
	in := desk.SimilarQuery{Title: q.str("title"), Description: q.str("description"), Open: q.boolean("include_open")}
	if id := q.id("category", nil); id != nil {
		in.CategoryID = *id
	}
	if id := q.id("service", nil); id != nil {
		in.ServiceID = *id
	}
	if err := q.err(); err != nil {
		return err
	}
	ss, err := s.desk.SimilarToText(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, similarViews(ss))
	return nil
}
