package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/statuspage"
)

// The forms of a major incident's page. Each posts to its own path and
// comes back to the page: with a confirmation, or with its errors.

// majorForm parses the posted form and the major incident's id.
func majorForm(rq *request) (int64, error) {
	if err := rq.r.ParseForm(); err != nil {
		return 0, err
	}
	return majorID(rq)
}

// majorRoles gives a role (commander, comms lead, responder), or takes a
// comms lead or responder off (remove=1).
func (s *server) majorRoles(rq *request) error {
	id, err := majorForm(rq)
	if err != nil {
		return err
	}
	f := rq.r.PostForm
	_, err = s.opts.Majors.AssignRole(rq.ctx, id, major.Role(f.Get("role")), majorInt(f, "user_id"), f.Get("remove") == "1")
	return s.majorDone(rq, id, "roles", "major_roles", err)
}

// majorSettings changes the cadence and the bridge link.
func (s *server) majorSettings(rq *request) error {
	id, err := majorForm(rq)
	if err != nil {
		return err
	}
	f := rq.r.PostForm
	errs := map[string]string{}
	cadence := formMinutes(f, "cadence_minutes", "settings.cadence_minutes", errs, rq)
	if len(errs) > 0 {
		return s.renderMajor(rq, http.StatusUnprocessableEntity, id, "settings", f, errs)
	}
	bridge := strings.TrimSpace(f.Get("bridge_url"))
	var c = &cadence
	if cadence == 0 {
		c = nil
	}
	_, err = s.opts.Majors.Settings(rq.ctx, id, c, &bridge)
	return s.majorDone(rq, id, "settings", "major_settings", err)
}

// majorUpdate posts a public update: what is affected, what is being
// done, and when the next update comes.
func (s *server) majorUpdate(rq *request) error {
	id, err := majorForm(rq)
	if err != nil {
		return err
	}
	f := rq.r.PostForm
	errs := map[string]string{}
	next := formMinutes(f, "next_in_minutes", "update.next_in_minutes", errs, rq)
	if len(errs) > 0 {
		return s.renderMajor(rq, http.StatusUnprocessableEntity, id, "update", f, errs)
	}
	_, err = s.opts.Majors.PostUpdate(rq.ctx, id, major.UpdateInput{Affected: f.Get("affected"), Doing: f.Get("doing"), NextIn: next})
	return s.majorDone(rq, id, "update", "major_update", err)
}

// majorAttach attaches the ticked candidates and the numbers typed, in
// one action.
func (s *server) majorAttach(rq *request) error {
	id, err := majorForm(rq)
	if err != nil {
		return err
	}
	_, _, err = s.opts.Majors.Attach(rq.ctx, id, childRefs(rq.r.PostForm))
	return s.majorDone(rq, id, "children", "major_attached", err)
}

// majorStakeholder subscribes a staff member or an address.
func (s *server) majorStakeholder(rq *request) error {
	id, err := majorForm(rq)
	if err != nil {
		return err
	}
	f := rq.r.PostForm
	h := major.Stakeholder{UserID: majorInt(f, "user_id"), Email: strings.TrimSpace(f.Get("email")),
		Name: strings.TrimSpace(f.Get("name")), Page: f.Get("page") == "1"}
	if f.Get("scope") == "service" {
		m, err := s.opts.Majors.Get(rq.ctx, id)
		if err != nil {
			return err
		}
		h.ServiceID = m.ServiceID
	} else {
		h.MajorID = id
	}
	_, err = s.opts.Majors.AddStakeholder(rq.ctx, h)
	return s.majorDone(rq, id, "stakeholders", "major_stakeholder", err)
}

func (s *server) majorStakeholderDelete(rq *request) error {
	id, err := majorForm(rq)
	if err != nil {
		return err
	}
	sid, err := strconv.ParseInt(rq.r.PathValue("sid"), 10, 64)
	if err != nil {
		return desk.Errorf(desk.ENOTFOUND, "no such stakeholder")
	}
	if _, err := s.opts.Majors.Get(rq.ctx, id); err != nil {
		return err
	}
	return s.majorDone(rq, id, "stakeholders", "major_stakeholder_removed", s.opts.Majors.RemoveStakeholder(rq.ctx, sid))
}

// majorKey marks a timeline entry key (for the review), or not.
func (s *server) majorKey(rq *request) error {
	id, err := majorForm(rq)
	if err != nil {
		return err
	}
	f := rq.r.PostForm
	err = s.opts.Majors.MarkKey(rq.ctx, id, majorInt(f, "entry_id"), majorInt(f, "event_id"), f.Get("key") == "1")
	return s.majorDone(rq, id, "timeline", "major_key", err)
}

// majorPublish puts the major incident on the status page with the public
// wording, or adds a public update to its status incident.
func (s *server) majorPublish(rq *request) error {
	id, err := majorForm(rq)
	if err != nil {
		return err
	}
	sp := s.opts.StatusPage
	if sp == nil {
		return desk.Errorf(desk.ENOTFOUND, "no status page")
	}
	f := rq.r.PostForm
	in := statuspage.PublishInput{Name: f.Get("name"), Status: statuspage.IncidentStatus(f.Get("status")),
		Impact: statuspage.Impact(f.Get("impact")), Body: f.Get("body"), Components: map[int64]statuspage.ComponentStatus{}}
	for _, c := range f["components"] {
		cid, _ := strconv.ParseInt(c, 10, 64)
		in.Components[cid] = statuspage.ComponentStatus(f.Get("component_" + c))
	}
	inc, err := sp.IncidentOfMajor(rq.ctx, id)
	switch {
	case err == nil:
		_, err = sp.Update(rq.ctx, inc.ID, in)
	case desk.ErrorCode(err) == desk.ENOTFOUND:
		_, err = sp.Publish(rq.ctx, id, in)
	}
	return s.majorDone(rq, id, "status", "major_published", err)
}

// majorResolve resolves the major incident, with its children when asked.
func (s *server) majorResolve(rq *request) error {
	id, err := majorForm(rq)
	if err != nil {
		return err
	}
	f := rq.r.PostForm
	_, err = s.opts.Majors.Resolve(rq.ctx, id, major.ResolveInput{Code: desk.ResolutionCode(f.Get("resolution_code")),
		Notes: f.Get("resolution_notes"), Children: f.Get("children") == "1"})
	return s.majorDone(rq, id, "resolve", "major_resolved", err)
}

// majorClose closes a resolved major incident; the review gate may refuse.
func (s *server) majorClose(rq *request) error {
	id, err := majorForm(rq)
	if err != nil {
		return err
	}
	_, err = s.opts.Majors.Close(rq.ctx, id)
	var de *desk.Error
	if errors.As(err, &de) && de.Params["requires"] == "published_review" { // the review gate, said precisely
		return s.renderMajor(rq, http.StatusConflict, id, "close", rq.r.PostForm, map[string]string{"": rq.lang.T("major.close.gate")})
	}
	return s.majorDone(rq, id, "close", "major_closed", err)
}
