package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
)

// The console's major incidents (/major, issue 15): the list, declaring
// one from an incident (commander required, children attached in the same
// action), and the major incident's own page (major_page.go), its forms
// (major_forms.go) and its review (major_review.go). Staff only; the
// major-incident service decides who may see which (a restricted parent
// hides its major incident). Registered only when the server has one.
func init() {
	registerArea("major", func(s *server) {
		if s.opts.Majors == nil {
			return
		}
		s.get("/major", staffOnly, s.majorList)
		s.get("/major/new", staffOnly, s.majorNew)
		s.post("/major", staffOnly, s.majorDeclare)
		s.get("/major/{id}", staffOnly, s.majorPage)
		s.post("/major/{id}/roles", staffOnly, s.majorRoles)
		s.post("/major/{id}/settings", staffOnly, s.majorSettings)
		s.post("/major/{id}/updates", staffOnly, s.majorUpdate)
		s.post("/major/{id}/children", staffOnly, s.majorAttach)
		s.post("/major/{id}/stakeholders", staffOnly, s.majorStakeholder)
		s.post("/major/{id}/stakeholders/{sid}/delete", staffOnly, s.majorStakeholderDelete)
		s.post("/major/{id}/key", staffOnly, s.majorKey)
		s.post("/major/{id}/publish", staffOnly, s.majorPublish)
		s.post("/major/{id}/resolve", staffOnly, s.majorResolve)
		s.post("/major/{id}/close", staffOnly, s.majorClose)
		s.get("/major/{id}/review", staffOnly, s.majorReview)
		s.get("/major/{id}/review.md", staffOnly, s.majorReviewMarkdown)
		s.post("/major/{id}/review", staffOnly, s.majorReviewSave)
		s.post("/major/{id}/review/items", staffOnly, s.majorItemAdd)
		s.post("/major/{id}/review/items/{item}", staffOnly, s.majorItemDone)
		s.addNav(navItem{Path: "/major", Key: "nav.major", Who: staffOnly, Order: 33})
	})
}

// majorRow is a major incident as the list shows it.
type majorRow struct {
	M       *major.Incident
	Overdue bool
}

type majorListView struct {
	Active, Done []majorRow
}

// majorList lists the major incidents, the active ones first.
func (s *server) majorList(rq *request) error {
	all, err := s.opts.Majors.List(rq.ctx, major.Filter{Limit: desk.MaxPageSize})
	if err != nil {
		return err
	}
	var v majorListView
	now := time.Now()
	for _, m := range all {
		r := majorRow{M: m, Overdue: m.State == major.StateActive && now.After(m.NextUpdateDue)}
		if m.State == major.StateActive {
			v.Active = append(v.Active, r)
		} else {
			v.Done = append(v.Done, r)
		}
	}
	return rq.ok("major_list", v)
}

// majorNewView is the declaration form: the parent, the staff to give
// roles to, and the open incidents of its service to attach.
type majorNewView struct {
	T          *desk.Ticket
	Staff      []*desk.User
	Candidates []*desk.Ticket
	Cadence    int // minutes: the parent priority's default
}

// majorNew shows the declaration form for the incident ?ticket=; one
// already in a major incident goes to it.
func (s *server) majorNew(rq *request) error {
	t, err := s.desk.Ticket(rq.ctx, rq.r.URL.Query().Get("ticket"))
	if err != nil {
		return err
	}
	if m, err := s.opts.Majors.OfTicket(rq.ctx, t.ID); err == nil {
		return rq.redirect("/major/" + strconv.FormatInt(m.ID, 10))
	} else if desk.ErrorCode(err) != desk.ENOTFOUND {
		return err
	}
	form := url.Values{"ticket": {t.Number}, "commander_id": {strconv.FormatInt(rq.user.ID, 10)}}
	return s.renderMajorNew(rq, http.StatusOK, t, form, nil)
}

func (s *server) renderMajorNew(rq *request, status int, t *desk.Ticket, form url.Values, errs map[string]string) error {
	v := majorNewView{T: t, Cadence: int(major.DefaultCadence(t.Priority) / time.Minute)}
	var err error
	if v.Staff, err = s.activeStaff(rq); err != nil {
		return err
	}
	if t.Service != nil {
		if v.Candidates, err = s.opts.Majors.Candidates(rq.ctx, t.Service.ID, t.ID); err != nil {
			return err
		}
	}
	if form.Get("cadence_minutes") == "" {
		form.Set("cadence_minutes", strconv.Itoa(v.Cadence))
	}
	return rq.renderForm(status, "major_new", v, form, errs)
}

// activeStaff lists the active agents, managers and administrators.
func (s *server) activeStaff(rq *request) ([]*desk.User, error) {
	page, err := s.desk.ListUsers(rq.ctx, desk.UserFilter{Roles: []desk.Role{desk.RoleAgent, desk.RoleManager, desk.RoleAdmin},
		Limit: desk.MaxPageSize})
	if err != nil {
		return nil, err
	}
	var out []*desk.User
	for _, u := range page.Users {
		if u.Active {
			out = append(out, u)
		}
	}
	return out, nil
}

// majorDeclare declares the major incident with its roles, cadence,
// bridge and the children chosen, in one action.
func (s *server) majorDeclare(rq *request) error {
	if err := rq.r.ParseForm(); err != nil {
		return err
	}
	f := rq.r.PostForm
	t, err := s.desk.Ticket(rq.ctx, f.Get("ticket"))
	if err != nil {
		return err
	}
	in := major.DeclareInput{CommanderID: majorInt(f, "commander_id"), CommsLeadID: majorInt(f, "comms_lead_id"),
		BridgeURL: strings.TrimSpace(f.Get("bridge_url")), Children: childRefs(f)}
	for _, r := range f["responders"] {
		if id, err := strconv.ParseInt(r, 10, 64); err == nil {
			in.Responders = append(in.Responders, id)
		}
	}
	errs := map[string]string{}
	in.Cadence = formMinutes(f, "cadence_minutes", "declare.cadence_minutes", errs, rq)
	if len(errs) == 0 {
		m, err := s.opts.Majors.Declare(rq.ctx, t.Number, in)
		if err == nil {
			return rq.redirect("/major/" + strconv.FormatInt(m.ID, 10) + "?done=major_declared")
		}
		if errs = majorFieldErrors(rq, "declare", err); errs == nil {
			status, ok := deskStatus[desk.ErrorCode(err)]
			if !ok {
				return err
			}
			return s.renderMajorNew(rq, status, t, f, map[string]string{"": rq.errorText(err)})
		}
	}
	return s.renderMajorNew(rq, http.StatusUnprocessableEntity, t, f, errs)
}

// childRefs are the children a form names: ticked candidates ("children")
// and numbers typed in "more" (separated by spaces, commas or lines).
func childRefs(f url.Values) []string {
	out := slices.Clone(f["children"])
	for _, ref := range strings.FieldsFunc(f.Get("more"), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		if !slices.Contains(out, ref) {
			out = append(out, ref)
		}
	}
	return out
}

// majorInt reads an id field (0 when empty or not a number).
func majorInt(f url.Values, name string) int64 {
	id, _ := strconv.ParseInt(strings.TrimSpace(f.Get(name)), 10, 64)
	return id
}

// formMinutes reads a whole number of minutes (0 when empty); a value that
// is not one is an error of the field.
func formMinutes(f url.Values, name, key string, errs map[string]string, rq *request) time.Duration {
	raw := strings.TrimSpace(f.Get(name))
	if raw == "" {
		return 0
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n <= 0 {
		errs[key] = rq.lang.T("major.err.minutes")
		return 0
	}
	return time.Duration(n) * time.Minute
}
