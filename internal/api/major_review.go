package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/statuspage"
)

// reviewView is the review as JSON; timeline lines are worded in lang and
// carry their reason code and params when they have them.
func reviewView(r *major.Review, lang string) map[string]any {
	items := []map[string]any{}
	for _, a := range r.Items {
		items = append(items, map[string]any{"id": a.ID, "text": a.Text, "owner_id": a.OwnerID, "owner": a.Owner,
			"due_on": a.DueOn.Format(time.DateOnly), "done_at": optTime(a.DoneAt), "ticket_id": a.TicketID})
	}
	tl := []map[string]any{}
	for _, l := range r.Timeline {
		line := map[string]any{"at": rfc3339(l.At), "text": l.Words(lang)}
		if l.Code != "" {
			line["reason_code"], line["reason_params"] = l.Code, l.Params
		}
		tl = append(tl, line)
	}
	comps := r.Components
	if comps == nil {
		comps = []string{}
	}
	return map[string]any{"id": r.ID, "major_incident_id": r.MajorID, "state": r.State, "summary": r.Summary,
		"components": comps, "duration_minutes": int(r.Duration.Minutes()), "children": r.Children, "requesters": r.Requesters,
		"detected_by": r.DetectedBy, "time_to_declare_minutes": int(r.TimeToDeclare.Minutes()), "timeline": tl,
		"causes": r.Causes, "went_well": r.WentWell, "went_badly": r.WentBadly, "action_items": items,
		"published_at": optTime(r.PublishedAt), "version": r.Version}
}

// getReview returns the review as JSON, or as Markdown with
// ?format=markdown.
func (s *server) getReview(w http.ResponseWriter, r *http.Request) error {
	svc, id, err := s.majorID(r)
	if err != nil {
		return err
	}
	rv, err := svc.Review(r.Context(), id)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "markdown" {
		m, err := svc.Get(r.Context(), id)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="review-`+m.Number+`.md"`)
		lang := acceptLanguage(r)
		w.Header().Set("Content-Language", lang)
		w.Header().Add("Vary", "Accept-Language")
		_, _ = w.Write([]byte(rv.Markdown(m, time.UTC, lang)))
		return nil
	}
	writeJSON(w, http.StatusOK, reviewView(rv, acceptLanguage(r)))
	return nil
}

// patchReview changes the review's text or state.
func (s *server) patchReview(w http.ResponseWriter, r *http.Request) error {
	svc, id, err := s.majorID(r)
	if err != nil {
		return err
	}
	var b struct {
		Summary   *string            `json:"summary"`
		Causes    *string            `json:"causes"`
		WentWell  *string            `json:"went_well"`
		WentBadly *string            `json:"went_badly"`
		State     *major.ReviewState `json:"state"`
		Version   int                `json:"version"`
	}
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	rv, err := svc.EditReview(r.Context(), id, major.ReviewEdit{Summary: b.Summary, Causes: b.Causes, WentWell: b.WentWell,
		WentBadly: b.WentBadly, State: b.State, IfVersion: b.Version})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, reviewView(rv, acceptLanguage(r)))
	return nil
}

// addActionItem adds a follow-up to the review.
func (s *server) addActionItem(w http.ResponseWriter, r *http.Request) error {
	svc, id, err := s.majorID(r)
	if err != nil {
		return err
	}
	var b struct {
		Text    string `json:"text"`
		OwnerID int64  `json:"owner_id"`
		DueOn   string `json:"due_on"`
	}
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	due, err := time.Parse(time.DateOnly, b.DueOn)
	if err != nil {
		return fieldProblem("due_on", desk.RuleInvalidFmt, desk.Params{"format": "date"}, "must be a date (YYYY-MM-DD)")
	}
	a, err := svc.AddActionItem(r.Context(), id, major.ActionItem{Text: b.Text, OwnerID: b.OwnerID, DueOn: due})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": a.ID, "text": a.Text, "owner_id": a.OwnerID, "due_on": a.DueOn.Format(time.DateOnly)})
	return nil
}

// status returns the status-page service, or 404 when none is wired.
func (s *server) status() (*statuspage.Service, error) {
	if s.opts.StatusPage == nil {
		return nil, httpError(http.StatusNotFound, "the status page is not enabled on this server")
	}
	return s.opts.StatusPage, nil
}

type publishBody struct {
	Name       string                                `json:"name"`
	Status     statuspage.IncidentStatus             `json:"status"`
	Impact     statuspage.Impact                     `json:"impact"`
	Body       string                                `json:"body"`
	Components map[string]statuspage.ComponentStatus `json:"components"`
}

func (b publishBody) input() (statuspage.PublishInput, error) {
	in := statuspage.PublishInput{Name: b.Name, Status: b.Status, Impact: b.Impact, Body: b.Body, Components: map[int64]statuspage.ComponentStatus{}}
	for k, v := range b.Components {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return in, fieldProblem("components", desk.RuleInvalidFmt, desk.Params{"format": "component id"}, "keys must be component ids")
		}
		in.Components[id] = v
	}
	return in, nil
}

func statusIncidentView(in *statuspage.Incident) map[string]any {
	return map[string]any{"id": in.ID, "major_incident_id": in.MajorID, "name": in.Name, "status": in.Status, "impact": in.Impact,
		"component_ids": nonNilIDs(in.ComponentIDs), "created_at": rfc3339(in.CreatedAt), "updated_at": rfc3339(in.UpdatedAt)}
}

func nonNilIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// publishMajor puts a major incident on the status page.
func (s *server) publishMajor(w http.ResponseWriter, r *http.Request) error {
	return s.writeStatusIncident(w, r, "mid", "major incident", http.StatusCreated,
		func(page *statuspage.Service, id int64, in statuspage.PublishInput) (*statuspage.Incident, error) {
			return page.Publish(r.Context(), id, in)
		})
}

// updateStatusIncident adds a public update to a status incident.
func (s *server) updateStatusIncident(w http.ResponseWriter, r *http.Request) error {
	return s.writeStatusIncident(w, r, "sid", "status incident", http.StatusOK,
		func(page *statuspage.Service, id int64, in statuspage.PublishInput) (*statuspage.Incident, error) {
			return page.Update(r.Context(), id, in)
		})
}

// writeStatusIncident reads the path id and a public wording, applies them
// with write and answers with the status incident.
func (s *server) writeStatusIncident(w http.ResponseWriter, r *http.Request, param, what string, status int,
	write func(*statuspage.Service, int64, statuspage.PublishInput) (*statuspage.Incident, error)) error {
	page, err := s.status()
	if err != nil {
		return err
	}
	id, err := pathID(r, param, what)
	if err != nil {
		return err
	}
	var b publishBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	in, err := b.input()
	if err != nil {
		return err
	}
	inc, err := write(page, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, status, statusIncidentView(inc))
	return nil
}

func componentView(c *statuspage.Component) map[string]any {
	return map[string]any{"id": c.ID, "name": c.Name, "description": c.Description, "group": c.Group, "position": c.Position,
		"status": c.Status, "service_ids": nonNilIDs(c.ServiceIDs)}
}

// listStatusComponents lists the page's components (staff).
func (s *server) listStatusComponents(w http.ResponseWriter, r *http.Request) error {
	page, err := s.status()
	if err != nil {
		return err
	}
	cs, err := page.Components(r.Context())
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for i := range cs {
		out = append(out, componentView(&cs[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"components": out})
	return nil
}

type componentBody struct {
	Name        string                     `json:"name"`
	Description string                     `json:"description"`
	Group       string                     `json:"group"`
	Position    int                        `json:"position"`
	Status      statuspage.ComponentStatus `json:"status"`
	ServiceIDs  []int64                    `json:"service_ids"`
}

// createStatusComponent adds a component (administrators, managers).
func (s *server) createStatusComponent(w http.ResponseWriter, r *http.Request) error {
	return s.saveStatusComponent(w, r, 0, http.StatusCreated)
}

// putStatusComponent changes a component.
func (s *server) putStatusComponent(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "cid", "component")
	if err != nil {
		return err
	}
	return s.saveStatusComponent(w, r, id, http.StatusOK)
}

func (s *server) saveStatusComponent(w http.ResponseWriter, r *http.Request, id int64, status int) error {
	page, err := s.status()
	if err != nil {
		return err
	}
	var b componentBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	c, err := page.SaveComponent(r.Context(), statuspage.Component{ID: id, Name: b.Name, Description: b.Description,
		Group: b.Group, Position: b.Position, Status: b.Status, ServiceIDs: b.ServiceIDs})
	if err != nil {
		return err
	}
	writeJSON(w, status, componentView(c))
	return nil
}

// deleteStatusComponent takes a component off the page.
func (s *server) deleteStatusComponent(w http.ResponseWriter, r *http.Request) error {
	page, err := s.status()
	if err != nil {
		return err
	}
	id, err := pathID(r, "cid", "component")
	if err != nil {
		return err
	}
	if err := page.DeleteComponent(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
