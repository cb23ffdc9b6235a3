package web

import (
	"net/url"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Administration: SLA policies, tried in order (position, then id); the first
// active one matching a ticket sets its turnaround targets. The desk decides
// who may change them (administrators); others get 403. Business calendars
// are in admin_calendar.go.

func init() {
	registerArea("admin_sla", func(s *server) {
		s.get("/admin/sla", staffOnly, s.adminSLA)
		s.post("/admin/sla", staffOnly, s.adminCreatePolicy)
		s.get("/admin/sla/{id}", staffOnly, s.adminPolicy)
		s.post("/admin/sla/{id}", staffOnly, s.adminSavePolicy)
		s.get("/admin/sla/{id}/delete", staffOnly, s.adminConfirmDeletePolicy)
		s.post("/admin/sla/{id}/delete", staffOnly, s.adminDeletePolicy)
	})
	registerArea("admin_sla_nav", func(s *server) {
		s.addNav(navItem{Path: "/admin/sla", Key: "nav.admin_sla", Who: staffOnly, Order: 55, Admin: true})
		s.addNav(navItem{Path: "/admin/calendars", Key: "nav.admin_calendars", Who: staffOnly, Order: 56, Admin: true})
	})
}

// adminSLAView has the policies in match order, the one being edited, and
// the choices of the policy form (checked as the form says).
type adminSLAView struct {
	Rows      []policyRow
	Policy    *desk.SLAPolicy
	Calendars []string
	Choices   policyChoices
}

// policyRow is one policy as the list shows it: targets in words, services
// by name.
type policyRow struct {
	P                                *desk.SLAPolicy
	Services                         []string
	CalendarPath                     string // the calendar's page
	Response, Resolution, NextUpdate string
}

func (s *server) slaView(rq *request, form url.Values) (adminSLAView, error) {
	if _, err := requireAdminPage(rq); err != nil {
		return adminSLAView{}, err
	}
	policies, err := s.desk.SLAPolicies(rq.ctx)
	if err != nil {
		return adminSLAView{}, err
	}
	cals, err := s.desk.Calendars(rq.ctx)
	if err != nil {
		return adminSLAView{}, err
	}
	svcs, err := s.desk.Services(rq.ctx)
	if err != nil {
		return adminSLAView{}, err
	}
	names := map[int64]string{}
	for _, svc := range svcs {
		names[svc.ID] = svc.Name
	}
	v := adminSLAView{Choices: choicesFor(form, svcs)}
	for _, c := range cals {
		v.Calendars = append(v.Calendars, c.Name)
	}
	for _, p := range policies {
		row := policyRow{P: p, Response: targetText(rq.lang, p.Response), Resolution: targetText(rq.lang, p.Resolution),
			NextUpdate: targetText(rq.lang, p.NextUpdate), CalendarPath: calendarPath(p.Calendar)}
		for _, id := range p.ServiceIDs {
			name, ok := names[id]
			if !ok { // deleted since: say which id the policy still names
				name = "#" + strconv.FormatInt(id, 10)
			}
			row.Services = append(row.Services, name)
		}
		v.Rows = append(v.Rows, row)
	}
	return v, nil
}

// newPolicyForm is the empty policy form: active, 24x7, after the last
// policy.
func newPolicyForm(rows []policyRow) url.Values {
	last := 0
	for _, r := range rows {
		last = max(last, r.P.Position)
	}
	return url.Values{"position": {strconv.Itoa(last + 10)}, "calendar": {desk.Calendar24x7.Name()}, "active": {"on"}}
}

func (s *server) adminSLA(rq *request) error {
	v, err := s.slaView(rq, nil)
	if err != nil {
		return err
	}
	form := newPolicyForm(v.Rows)
	v.Choices = choicesFor(form, v.Choices.services)
	return rq.renderForm(200, "admin_sla", v, form, nil)
}

func (s *server) adminPolicy(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	p, err := s.desk.SLAPolicy(rq.ctx, groupID(rq))
	if err != nil {
		return err
	}
	return s.renderPolicy(rq, 200, p, policyForm(p), nil)
}

// renderPolicy shows the form of policy p, or the list with the new
// policy's form when p is nil.
func (s *server) renderPolicy(rq *request, status int, p *desk.SLAPolicy, form url.Values, errs map[string]string) error {
	v, err := s.slaView(rq, form)
	if err != nil {
		return err
	}
	page := "admin_sla"
	if p != nil {
		v.Policy, page = p, "admin_sla_policy"
	}
	return rq.renderForm(status, page, v, form, errs)
}

func (s *server) adminCreatePolicy(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	return s.postPolicy(rq, nil)
}

func (s *server) adminSavePolicy(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	p, err := s.desk.SLAPolicy(rq.ctx, groupID(rq))
	if err != nil {
		return err
	}
	return s.postPolicy(rq, p)
}

// postPolicy saves the posted form as stored (nil: a new policy) and goes
// back to the list, or shows the form again with its errors.
func (s *server) postPolicy(rq *request, stored *desk.SLAPolicy) error {
	var id int64
	if stored != nil {
		id = stored.ID
	}
	errs, err := s.savePolicy(rq, id)
	if err != nil {
		return err
	}
	if errs != nil {
		return s.renderPolicy(rq, 422, stored, rq.r.PostForm, errs)
	}
	return rq.redirect("/admin/sla?done=policy_saved")
}

// savePolicy reads the posted form and saves it as policy id (0: a new
// one). It returns the form's errors by field (none once saved), or an
// error that is not the form's.
func (s *server) savePolicy(rq *request, id int64) (map[string]string, error) {
	p, errs, err := s.readPolicy(rq)
	if err != nil {
		return nil, err
	}
	p.ID = id
	if len(errs) > 0 {
		// Show the desk's verdict on the other fields at the same time.
		for f, m := range policyErrors(rq, p.Validate()) {
			if _, ok := errs[f]; !ok {
				errs[f] = m
			}
		}
		return errs, nil
	}
	err = s.desk.SaveSLAPolicy(rq.ctx, p)
	if err == nil {
		return nil, nil
	}
	if errs = policyErrors(rq, err); errs == nil {
		return nil, err
	}
	return errs, nil
}

func (s *server) adminConfirmDeletePolicy(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	p, err := s.desk.SLAPolicy(rq.ctx, groupID(rq))
	if err != nil {
		return err
	}
	return rq.ok("admin_sla_delete", p)
}

func (s *server) adminDeletePolicy(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	if err := s.desk.DeleteSLAPolicy(rq.ctx, groupID(rq)); err != nil {
		return err
	}
	return rq.redirect("/admin/sla?done=policy_deleted")
}
