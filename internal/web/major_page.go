package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/statuspage"
)

// majorView is the major incident's page: the response (roles, bridge,
// cadence), the public updates, the children, the stakeholders, the
// status page, resolution, and the merged timeline.
type majorView struct {
	M            *major.Incident
	T            *desk.Ticket
	Names        map[int64]string // staff by id
	Staff        []*desk.User
	Children     []major.Child
	Candidates   []*desk.Ticket
	Updates      []major.Update
	Stakeholders []major.Stakeholder
	Timeline     []majorLine
	Overdue      bool
	WarnAt       time.Time // when the comms lead is warned
	Resolutions  []desk.ResolutionCode
	Review       *major.Review
	Gate         bool
	OpenForm     string
	// The status page: off when the server has none.
	Status     bool
	Published  *statuspage.Incident
	Components []statuspage.Component
	CompStates []statuspage.ComponentStatus
	Statuses   []statuspage.IncidentStatus
	Impacts    []statuspage.Impact
}

// majorLine is a timeline entry worded in the reader's language.
type majorLine struct {
	E    major.Entry
	Text string
}

// Active reports whether the response is still going on.
func (v majorView) Active() bool { return v.M.State == major.StateActive }

// ChildOpen counts the children still open.
func (v majorView) ChildOpen() int {
	n := 0
	for _, c := range v.Children {
		if c.State.IsOpen() {
			n++
		}
	}
	return n
}

func majorID(rq *request) (int64, error) {
	id, err := strconv.ParseInt(rq.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, desk.Errorf(desk.ENOTFOUND, "no such major incident")
	}
	return id, nil
}

func (s *server) majorPage(rq *request) error {
	id, err := majorID(rq)
	if err != nil {
		return err
	}
	return s.renderMajor(rq, http.StatusOK, id, "", nil, nil)
}

// renderMajor renders the page of major incident id, with form (the one
// named open, when it came back) and errs.
func (s *server) renderMajor(rq *request, status int, id int64, open string, form url.Values, errs map[string]string) error {
	svc := s.opts.Majors
	m, err := svc.Get(rq.ctx, id)
	if err != nil {
		return err
	}
	v := majorView{M: m, OpenForm: open, Resolutions: desk.ResolutionCodes, Gate: svc.Config().ReviewGate,
		Names: map[int64]string{}, Overdue: m.State == major.StateActive && time.Now().After(m.NextUpdateDue),
		WarnAt: m.NextUpdateDue.Add(-major.WarnLead(m.Cadence))}
	if v.T, err = s.desk.Ticket(rq.ctx, strconv.FormatInt(m.TicketID, 10)); err != nil {
		return err
	}
	if v.Staff, err = s.activeStaff(rq); err != nil {
		return err
	}
	for _, u := range v.Staff {
		v.Names[u.ID] = u.Name
	}
	if err := s.majorParts(rq, &v); err != nil {
		return err
	}
	if form == nil {
		form = url.Values{}
	}
	if form.Get("cadence_minutes") == "" {
		form.Set("cadence_minutes", strconv.Itoa(int(m.Cadence/time.Minute)))
	}
	if form.Get("bridge_url") == "" && open != "settings" {
		form.Set("bridge_url", m.BridgeURL)
	}
	return rq.renderForm(status, "major", v, form, errs)
}

// majorParts reads what the page shows besides the incident itself.
func (s *server) majorParts(rq *request, v *majorView) error {
	svc, m := s.opts.Majors, v.M
	var err error
	if v.Children, err = svc.Children(rq.ctx, m.ID); err != nil {
		return err
	}
	if v.Updates, err = svc.Updates(rq.ctx, m.ID); err != nil {
		return err
	}
	if v.Stakeholders, err = svc.Stakeholders(rq.ctx, m.ID); err != nil {
		return err
	}
	tl, err := svc.Timeline(rq.ctx, m.ID)
	if err != nil {
		return err
	}
	for i := len(tl) - 1; i >= 0; i-- { // newest first
		v.Timeline = append(v.Timeline, majorLine{E: tl[i], Text: tl[i].Words(rq.lang.code)})
	}
	if m.State == major.StateActive && m.ServiceID != 0 {
		if v.Candidates, err = svc.Candidates(rq.ctx, m.ServiceID, m.TicketID); err != nil {
			return err
		}
	}
	if m.State != major.StateActive {
		if v.Review, err = svc.Review(rq.ctx, m.ID); err != nil && desk.ErrorCode(err) != desk.ENOTFOUND {
			return err
		}
	}
	return s.majorStatusParts(rq, v)
}

func (s *server) majorStatusParts(rq *request, v *majorView) error {
	sp := s.opts.StatusPage
	if sp == nil {
		return nil
	}
	v.Status, v.CompStates, v.Statuses = true, statuspage.ComponentStatuses, statuspage.IncidentStatuses
	v.Impacts = []statuspage.Impact{statuspage.ImpactMinor, statuspage.ImpactMajor, statuspage.ImpactCritical}
	inc, err := sp.IncidentOfMajor(rq.ctx, v.M.ID)
	switch {
	case err == nil:
		v.Published = inc
	case desk.ErrorCode(err) != desk.ENOTFOUND:
		return err
	}
	v.Components, err = sp.Components(rq.ctx)
	return err
}

// majorDone answers a form of the major page: back to the page with a
// confirmation, or the page again with the form's errors.
func (s *server) majorDone(rq *request, id int64, form, done string, err error) error {
	if err == nil {
		return rq.redirect("/major/" + strconv.FormatInt(id, 10) + "?done=" + done + "#" + form)
	}
	if errs := majorFieldErrors(rq, form, err); errs != nil {
		return s.renderMajor(rq, http.StatusUnprocessableEntity, id, form, rq.r.PostForm, errs)
	}
	status, ok := deskStatus[desk.ErrorCode(err)]
	if !ok || status == http.StatusNotFound {
		return err
	}
	return s.renderMajor(rq, status, id, form, rq.r.PostForm, map[string]string{"": rq.errorText(err)})
}

// majorFieldErrors are a refusal's field errors keyed "form.field" (a
// child's index dropped: "children[3]" is the children field).
func majorFieldErrors(rq *request, form string, err error) map[string]string {
	fe := fieldErrors(rq, err)
	if fe == nil {
		return nil
	}
	out := map[string]string{}
	for k, v := range fe {
		if i := strings.IndexByte(k, '['); i > 0 {
			k = k[:i]
		}
		out[form+"."+k] = v
	}
	return out
}
