package api

import (
	"net/http"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
)

type categoryBody struct {
	Name     string `json:"name"`
	ParentID int64  `json:"parent_id"`
	GroupID  int64  `json:"group_id"`
}

func (s *server) createCategory(w http.ResponseWriter, r *http.Request) error {
	var b categoryBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	c, err := s.desk.CreateCategory(r.Context(), desk.CategoryInput{Name: b.Name, ParentID: b.ParentID, GroupID: b.GroupID})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/categories/"+strconv.FormatInt(c.ID, 10))
	writeJSON(w, http.StatusCreated, categoryView(c))
	return nil
}

func (s *server) listCategories(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.desk.Categories(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"categories": views(cs, categoryView)})
	return nil
}

func (s *server) getCategory(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "category")
	if err != nil {
		return err
	}
	c, err := s.desk.Category(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, categoryView(c))
	return nil
}

type categoryPatchBody struct {
	Name    optional[string] `json:"name"`
	GroupID optional[int64]  `json:"group_id"`
	Retired optional[bool]   `json:"retired"`
}

func (s *server) patchCategory(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "category")
	if err != nil {
		return err
	}
	var b categoryPatchBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	var nn fieldProblems
	p := desk.CategoryPatch{Name: nonNull(&nn, "name", b.Name), GroupID: clearable(b.GroupID),
		Retired: nonNull(&nn, "retired", b.Retired)}
	if err := nn.err(); err != nil {
		return err
	}
	c, err := s.desk.UpdateCategory(r.Context(), id, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, categoryView(c))
	return nil
}

// deleteCategory removes an unused category; one in use is 409 (retire it).
func (s *server) deleteCategory(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "category")
	if err != nil {
		return err
	}
	if err := s.desk.DeleteCategory(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
