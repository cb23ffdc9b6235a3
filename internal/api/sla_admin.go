package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// policyBody is an SLA policy on the wire; durations are whole minutes.
type policyBody struct {
	Name              string            `json:"name"`
	Position          int               `json:"position"`
	Types             []desk.TicketType `json:"types"`
	Priorities        []desk.Priority   `json:"priorities"`
	ServiceIDs        []int64           `json:"service_ids"`
	Organizations     []string          `json:"organizations"`
	VIPOnly           bool              `json:"vip_only"`
	Calendar          string            `json:"calendar"`
	ResponseMinutes   int64             `json:"response_minutes"`
	ResolutionMinutes int64             `json:"resolution_minutes"`
	NextUpdateMinutes int64             `json:"next_update_minutes"`
	PauseOn           []desk.HoldReason `json:"pause_on"`
	Active            *bool             `json:"active"` // default true
}

type policyJSON struct {
	ID int64 `json:"id"`
	policyBody
	Active bool `json:"active"`
}

func (b policyBody) policy(id int64) *desk.SLAPolicy {
	active := b.Active == nil || *b.Active
	return &desk.SLAPolicy{ID: id, Name: b.Name, Position: b.Position, Types: b.Types, Priorities: b.Priorities,
		ServiceIDs: b.ServiceIDs, Calendar: b.Calendar, Response: time.Duration(b.ResponseMinutes) * time.Minute,
		Resolution: time.Duration(b.ResolutionMinutes) * time.Minute, NextUpdate: time.Duration(b.NextUpdateMinutes) * time.Minute,
		PauseOn: b.PauseOn, Active: active, Organizations: b.Organizations, VIPOnly: b.VIPOnly}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func policyView(p *desk.SLAPolicy) policyJSON {
	return policyJSON{ID: p.ID, Active: p.Active, policyBody: policyBody{
		Name: p.Name, Position: p.Position, Types: nonNil(p.Types), Priorities: nonNil(p.Priorities),
		ServiceIDs: nonNil(p.ServiceIDs), Calendar: p.Calendar, ResponseMinutes: int64(p.Response / time.Minute),
		ResolutionMinutes: int64(p.Resolution / time.Minute), NextUpdateMinutes: int64(p.NextUpdate / time.Minute),
		PauseOn: nonNil(p.PauseOn), Organizations: nonNil(p.Organizations), VIPOnly: p.VIPOnly}}
}

func (s *server) listPolicies(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.desk.SLAPolicies(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"policies": views(ps, policyView)})
	return nil
}

func (s *server) getPolicy(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "sla policy")
	if err != nil {
		return err
	}
	p, err := s.desk.SLAPolicy(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, policyView(p))
	return nil
}

// createPolicy and putPolicy save a whole policy; its new targets apply at
// once, since clocks are recomputed from each ticket's history.
func (s *server) createPolicy(w http.ResponseWriter, r *http.Request) error {
	return s.savePolicy(w, r, 0)
}

func (s *server) putPolicy(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "sla policy")
	if err != nil {
		return err
	}
	if _, err := s.desk.SLAPolicy(r.Context(), id); err != nil {
		return err
	}
	return s.savePolicy(w, r, id)
}

func (s *server) savePolicy(w http.ResponseWriter, r *http.Request, id int64) error {
	var b policyBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	p := b.policy(id)
	if err := s.desk.SaveSLAPolicy(r.Context(), p); err != nil {
		return err
	}
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
		w.Header().Set("Location", "/api/v1/sla-policies/"+strconv.FormatInt(p.ID, 10))
	}
	writeJSON(w, status, policyView(p))
	return nil
}

func (s *server) deletePolicy(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "sla policy")
	if err != nil {
		return err
	}
	if err := s.desk.DeleteSLAPolicy(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) listCalendars(w http.ResponseWriter, r *http.Request) error {
	specs, err := s.desk.Calendars(r.Context())
	if err != nil {
		return err
	}
	docs := make([]desk.CalendarDoc, len(specs))
	for i, spec := range specs {
		docs[i] = desk.CalendarDocOf(*spec)
	}
	writeJSON(w, http.StatusOK, map[string]any{"calendars": docs})
	return nil
}

// putCalendar creates or replaces the calendar named in the path; a name in
// the body, if any, must be the same.
func (s *server) putCalendar(w http.ResponseWriter, r *http.Request) error {
	var doc desk.CalendarDoc
	if err := s.decodeJSON(w, r, &doc); err != nil {
		return err
	}
	name := r.PathValue("name")
	if doc.Name != "" && doc.Name != name {
		return &desk.Error{Code: desk.EINVALID, Message: "validation failed",
			Fields: []desk.FieldError{desk.Invalid("name", desk.RuleMismatch, nil, "must match the calendar name in the path")}}
	}
	doc.Name = name
	spec, err := doc.Spec()
	if err != nil {
		return err
	}
	cal, err := s.desk.PutCalendar(r.Context(), spec)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, desk.CalendarDocOf(cal.Spec()))
	return nil
}

func (s *server) deleteCalendar(w http.ResponseWriter, r *http.Request) error {
	if err := s.desk.DeleteCalendar(r.Context(), r.PathValue("name")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
