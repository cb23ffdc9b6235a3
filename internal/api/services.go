package api

import (
	"net/http"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
)

type serviceBody struct {
	Name         string `json:"name"`
	Description  string `json:"description"`
	OwnerGroupID int64  `json:"owner_group_id"`
}

func (s *server) createService(w http.ResponseWriter, r *http.Request) error {
	var b serviceBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	svc, err := s.desk.CreateService(r.Context(), desk.ServiceInput{Name: b.Name, Description: b.Description, OwnerGroupID: b.OwnerGroupID})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/services/"+strconv.FormatInt(svc.ID, 10))
	writeJSON(w, http.StatusCreated, serviceView(svc))
	return nil
}

func (s *server) listServices(w http.ResponseWriter, r *http.Request) error {
	ss, err := s.desk.Services(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"services": views(ss, serviceView)})
	return nil
}

func (s *server) getService(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "service")
	if err != nil {
		return err
	}
	svc, err := s.desk.BusinessService(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, serviceView(svc))
	return nil
}

type servicePatchBody struct {
	Name         optional[string] `json:"name"`
	Description  optional[string] `json:"description"`
	OwnerGroupID optional[int64]  `json:"owner_group_id"`
	Retired      optional[bool]   `json:"retired"`
}

func (s *server) patchService(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "service")
	if err != nil {
		return err
	}
	var b servicePatchBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	var nn fieldProblems
	p := desk.ServicePatch{Name: nonNull(&nn, "name", b.Name), Description: nonNull(&nn, "description", b.Description),
		OwnerGroupID: clearable(b.OwnerGroupID), Retired: nonNull(&nn, "retired", b.Retired)}
	if err := nn.err(); err != nil {
		return err
	}
	svc, err := s.desk.UpdateService(r.Context(), id, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, serviceView(svc))
	return nil
}

// deleteService removes an unused service; one in use is 409 (retire it).
func (s *server) deleteService(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "service")
	if err != nil {
		return err
	}
	if err := s.desk.DeleteService(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
