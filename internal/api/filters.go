package api

import (
	"net/http"

	"github.com/tierdesk/tierdesk/internal/desk"
)

type savedFilterJSON struct {
	ID         int64           `json:"id"`
	Name       string          `json:"name"`
	Filter     desk.FilterSpec `json:"filter"`
	Owner      desk.Ref        `json:"owner"`
	SharedWith []desk.Ref      `json:"shared_with"`
	CreatedAt  string          `json:"created_at"`
	UpdatedAt  string          `json:"updated_at"`
}

func savedFilterView(f *desk.SavedFilter) savedFilterJSON {
	shared := f.SharedWith
	if shared == nil {
		shared = []desk.Ref{}
	}
	return savedFilterJSON{ID: f.ID, Name: f.Name, Filter: f.Filter, Owner: desk.Ref{ID: f.UserID, Name: f.OwnerName},
		SharedWith: shared, CreatedAt: rfc3339(f.CreatedAt), UpdatedAt: rfc3339(f.UpdatedAt)}
}

type savedFilterBody struct {
	Name       string          `json:"name"`
	Filter     desk.FilterSpec `json:"filter"`
	SharedWith []int64         `json:"shared_with"`
}

// listFilters returns the caller's saved filters by name.
func (s *server) listFilters(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.desk.SavedFilters(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"filters": views(fs, savedFilterView)})
	return nil
}

func (s *server) createFilter(w http.ResponseWriter, r *http.Request) error {
	var b savedFilterBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	f, err := s.desk.CreateSavedFilter(r.Context(), desk.SavedFilterInput{Name: b.Name, Filter: b.Filter, SharedWith: b.SharedWith})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, savedFilterView(f))
	return nil
}

func (s *server) getFilter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "saved filter")
	if err != nil {
		return err
	}
	f, err := s.desk.SavedFilter(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, savedFilterView(f))
	return nil
}

func (s *server) putFilter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "saved filter")
	if err != nil {
		return err
	}
	var b savedFilterBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	f, err := s.desk.UpdateSavedFilter(r.Context(), id, desk.SavedFilterInput{Name: b.Name, Filter: b.Filter, SharedWith: b.SharedWith})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, savedFilterView(f))
	return nil
}

func (s *server) deleteFilter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "saved filter")
	if err != nil {
		return err
	}
	if err := s.desk.DeleteSavedFilter(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// filterTickets runs a saved filter: one page of its tickets.
func (s *server) filterTickets(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "saved filter")
	if err != nil {
		return err
	}
	q := newQuery(r, "cursor", "limit", "total")
	o := desk.QueueOptions{Cursor: q.str("cursor"), Limit: q.limit(), Total: q.boolean("total")}
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.desk.RunSavedFilter(r.Context(), id, o)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ticketListView(page))
	return nil
}
