package api

import (
	"net/http"
)

// setPassword sets a user's web sign-in password (admins only; desk
// decides). The password is never logged or echoed; the user's web
// sessions end.
func (s *server) setPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	var b struct {
		Password string `json:"password"`
	}
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	if err := s.desk.SetPassword(r.Context(), id, b.Password); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
