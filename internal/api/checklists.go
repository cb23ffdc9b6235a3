package api

import (
	"net/http"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/diagnosis"
)

// Line-1 diagnosis checklists (internal/diagnosis): administrators write
// them, staff read them and answer them on tickets; requesters reach
// none of it (403).

type checklistJSON struct {
	ID        int64            `json:"id"`
	Category  desk.Ref         `json:"category"`
	Service   *desk.Ref        `json:"service"`
	Items     []diagnosis.Item `json:"items"`
	Version   int              `json:"version"`
	CreatedAt string           `json:"created_at"`
	UpdatedAt string           `json:"updated_at"`
}

func checklistView(c *diagnosis.Checklist) checklistJSON {
	v := checklistJSON{ID: c.ID, Category: c.Category, Service: c.Service, Items: c.Items, Version: c.Version,
		CreatedAt: rfc3339(c.CreatedAt), UpdatedAt: rfc3339(c.UpdatedAt)}
	if v.Items == nil {
		v.Items = []diagnosis.Item{}
	}
	return v
}

type checklistBody struct {
	CategoryID int64            `json:"category_id"`
	ServiceID  int64            `json:"service_id"`
	Items      []diagnosis.Item `json:"items"`
}

func (b checklistBody) checklist(id int64) *diagnosis.Checklist {
	c := &diagnosis.Checklist{ID: id, Category: desk.Ref{ID: b.CategoryID}, Items: b.Items}
	if b.ServiceID != 0 {
		c.Service = &desk.Ref{ID: b.ServiceID}
	}
	return c
}

func (s *server) requireDiagnosis() error {
	if s.opts.Diagnosis == nil {
		return httpError(http.StatusNotFound, "this server has no diagnosis checklists")
	}
	return nil
}

// listChecklists returns every checklist, by category name.
func (s *server) listChecklists(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireDiagnosis(); err != nil {
		return err
	}
	lists, err := s.opts.Diagnosis.Checklists(r.Context())
	if err != nil {
		return err
	}
	out := make([]checklistJSON, len(lists))
	for i, c := range lists {
		out[i] = checklistView(c)
	}
	writeJSON(w, http.StatusOK, map[string]any{"checklists": out})
	return nil
}

func (s *server) createChecklist(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireDiagnosis(); err != nil {
		return err
	}
	var b checklistBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	c := b.checklist(0)
	if err := s.opts.Diagnosis.Create(r.Context(), c); err != nil {
		return err
	}
	return s.writeChecklist(w, r, http.StatusCreated, c.ID)
}

// writeChecklist reads the checklist back (with its names) and writes it.
func (s *server) writeChecklist(w http.ResponseWriter, r *http.Request, status int, id int64) error {
	c, err := s.opts.Diagnosis.Checklist(r.Context(), id)
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/checklists/"+strconv.FormatInt(id, 10))
	}
	setETag(w, c.Version)
	writeJSON(w, status, checklistView(c))
	return nil
}

func (s *server) checklistID(r *http.Request) (int64, error) {
	if err := s.requireDiagnosis(); err != nil {
		return 0, err
	}
	return pathID(r, "id", "checklist")
}

func (s *server) getChecklist(w http.ResponseWriter, r *http.Request) error {
	id, err := s.checklistID(r)
	if err != nil {
		return err
	}
	return s.writeChecklist(w, r, http.StatusOK, id)
}

// putChecklist replaces a checklist; If-Match names the version edited.
func (s *server) putChecklist(w http.ResponseWriter, r *http.Request) error {
	id, err := s.checklistID(r)
	if err != nil {
		return err
	}
	var b checklistBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	version, err := matchVersion(r, func() (int, string, error) {
		c, err := s.opts.Diagnosis.Checklist(r.Context(), id)
		if err != nil {
			return 0, "", err
		}
		return c.Version, "checklist " + strconv.FormatInt(id, 10), nil
	})
	if err != nil {
		return err
	}
	if err := s.opts.Diagnosis.Save(r.Context(), b.checklist(id), version); err != nil {
		return err
	}
	return s.writeChecklist(w, r, http.StatusOK, id)
}

func (s *server) deleteChecklist(w http.ResponseWriter, r *http.Request) error {
	id, err := s.checklistID(r)
	if err != nil {
		return err
	}
	if err := s.opts.Diagnosis.Delete(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type diagnosisModeJSON struct {
	Mode diagnosis.Mode `json:"mode"`
}

// getDiagnosisMode says what escalating an unanswered ticket takes.
func (s *server) getDiagnosisMode(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireDiagnosis(); err != nil {
		return err
	}
	m, err := s.opts.Diagnosis.Mode(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, diagnosisModeJSON{Mode: m})
	return nil
}

func (s *server) putDiagnosisMode(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireDiagnosis(); err != nil {
		return err
	}
	var b diagnosisModeJSON
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	if err := s.opts.Diagnosis.SetMode(r.Context(), b.Mode); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

type diagnosisJSON struct {
	ID               int64              `json:"id"`
	ChecklistID      *int64             `json:"checklist_id"`
	ChecklistVersion int                `json:"checklist_version"`
	EventID          int64              `json:"event_id"`
	Answers          []diagnosis.Answer `json:"answers"`
	By               *desk.Ref          `json:"answered_by"`
	ByName           string             `json:"answered_by_name"`
	At               string             `json:"answered_at"`
}

func diagnosisView(d *diagnosis.Diagnosis) diagnosisJSON {
	v := diagnosisJSON{ID: d.ID, ChecklistVersion: d.ChecklistVersion, EventID: d.EventID, Answers: d.Answers, By: d.By, At: rfc3339(d.At)}
	if d.By != nil {
		v.ByName = d.By.Name
	}
	if d.ChecklistID != 0 {
		v.ChecklistID = &d.ChecklistID
	}
	if d.By != nil && d.By.ID == 0 {
		v.By = nil // the user is gone; the name stays
	}
	return v
}

// ticketDiagnosis returns the checklist of a ticket's category (null when
// it has none), whether it was answered, and the answers recorded.
func (s *server) ticketDiagnosis(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireDiagnosis(); err != nil {
		return err
	}
	v, err := s.opts.Diagnosis.ForTicket(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := struct {
		Checklist *checklistJSON  `json:"checklist"`
		Answered  bool            `json:"answered"`
		Mode      diagnosis.Mode  `json:"mode"`
		Diagnoses []diagnosisJSON `json:"diagnoses"`
	}{Answered: v.Answered(), Mode: v.Mode, Diagnoses: []diagnosisJSON{}}
	if v.Checklist != nil {
		c := checklistView(v.Checklist)
		out.Checklist = &c
	}
	for _, d := range v.Diagnoses {
		out.Diagnoses = append(out.Diagnoses, diagnosisView(d))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// answerDiagnosis records answers to the ticket's checklist, one a
// question in order: {"answers": ["yes", "E-13 on the panel"]}.
func (s *server) answerDiagnosis(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireDiagnosis(); err != nil {
		return err
	}
	var b struct {
		Answers []string `json:"answers"`
	}
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	d, err := s.opts.Diagnosis.Answer(r.Context(), r.PathValue("id"), b.Answers)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, diagnosisView(d))
	return nil
}
