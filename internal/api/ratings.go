package api

import (
	"net/http"

	"github.com/tierdesk/tierdesk/internal/desk"
)

type ratingJSON struct {
	Score   int      `json:"score"`
	Comment string   `json:"comment"`
	RatedBy int64    `json:"rated_by"`
	RatedAt string   `json:"rated_at"`
	Group   desk.Ref `json:"group"`
}

func ratingView(r *desk.Rating) ratingJSON {
	return ratingJSON{Score: r.Score, Comment: r.Comment, RatedBy: r.RatedBy, RatedAt: rfc3339(r.RatedAt),
		Group: desk.Ref{ID: r.GroupID, Name: r.GroupName}}
}

type ratingBody struct {
	Score   int    `json:"score"`
	Comment string `json:"comment"`
}

// putRating records the requester's satisfaction rating of a resolved
// ticket (or changes it while the ticket stays resolved).
func (s *server) putRating(w http.ResponseWriter, r *http.Request) error {
	var b ratingBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	rt, err := s.desk.RateTicket(r.Context(), r.PathValue("id"), desk.RatingInput{Score: b.Score, Comment: b.Comment})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ratingView(rt))
	return nil
}

// getRating returns a ticket's rating; 404 when it has none.
func (s *server) getRating(w http.ResponseWriter, r *http.Request) error {
	rt, err := s.desk.TicketRating(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if rt == nil {
		return desk.Errorf(desk.ENOTFOUND, "ticket %s is not rated", r.PathValue("id"))
	}
	writeJSON(w, http.StatusOK, ratingView(rt))
	return nil
}
