package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/statuspage"
)

// The status page's administration (/admin/status): components by group
// with their states (administrators and managers change them; the service
// says who), the status incidents published from major incidents (the
// wording is written on the major incident's page), maintenance windows,
// and the subscribers. Staff read it. Registered only when the server has
// a status page.
func init() {
	registerArea("status_admin", func(s *server) {
		if s.opts.StatusPage == nil {
			return
		}
		s.get("/admin/status", staffOnly, s.statusAdmin)
		s.post("/admin/status/components", staffOnly, s.statusComponentSave)
		s.post("/admin/status/components/{id}", staffOnly, s.statusComponentSave)
		s.post("/admin/status/components/{id}/delete", staffOnly, s.statusComponentDelete)
		s.post("/admin/status/maintenance", staffOnly, s.statusMaintenance)
		s.addNav(navItem{Path: "/admin/status", Key: "nav.status_admin", Who: staffOnly, Order: 95})
	})
}

// statusGroup is the components of one group, in page order.
type statusGroup struct {
	Name       string
	Components []statuspage.Component
}

type statusAdminView struct {
	Groups       []statusGroup
	Names        map[int64]string // component names by id (incidents, windows)
	Services     []*desk.Service
	States       []statuspage.ComponentStatus
	Incidents    []statuspage.Incident
	Maintenances []statuspage.Maintenance
	Subscribers  []statuspage.Subscriber
	CanEdit      bool
	Now          time.Time
}

// MaintStatus is where a window is now.
func (v statusAdminView) MaintStatus(m statuspage.Maintenance) string {
	if m.CanceledAt != nil {
		return "canceled"
	}
	return m.MaintenanceStatus(v.Now)
}

// SubState is a subscriber's state: pending (not confirmed), active or
// unsubscribed.
func (v statusAdminView) SubState(sub statuspage.Subscriber) string {
	switch {
	case sub.UnsubscribedAt != nil:
		return "unsubscribed"
	case sub.ConfirmedAt == nil:
		return "pending"
	}
	return "active"
}

func (s *server) statusAdmin(rq *request) error {
	return s.renderStatusAdmin(rq, http.StatusOK, "", nil, nil)
}

func (s *server) renderStatusAdmin(rq *request, status int, open string, form url.Values, errs map[string]string) error {
	sp := s.opts.StatusPage
	comps, err := sp.Components(rq.ctx)
	if err != nil {
		return err
	}
	v := statusAdminView{Names: map[int64]string{}, States: statuspage.ComponentStatuses, Now: time.Now(),
		CanEdit: rq.user.Role == desk.RoleAdmin || rq.user.Role == desk.RoleManager}
	slices.SortStableFunc(comps, func(a, b statuspage.Component) int {
		if c := strings.Compare(a.Group, b.Group); c != 0 {
			return c
		}
		return a.Position - b.Position
	})
	for _, c := range comps {
		v.Names[c.ID] = c.Name
		if n := len(v.Groups); n == 0 || v.Groups[n-1].Name != c.Group {
			v.Groups = append(v.Groups, statusGroup{Name: c.Group})
		}
		g := &v.Groups[len(v.Groups)-1]
		g.Components = append(g.Components, c)
	}
	if v.Services, err = s.desk.Services(rq.ctx); err != nil {
		return err
	}
	if v.Incidents, err = sp.Incidents(rq.ctx); err != nil {
		return err
	}
	if v.Maintenances, err = sp.Maintenances(rq.ctx); err != nil {
		return err
	}
	if v.Subscribers, err = sp.Subscribers(rq.ctx); err != nil {
		return err
	}
	if form == nil {
		now := time.Now().In(rq.loc)
		form = url.Values{"starts_at": {now.Add(24 * time.Hour).Format("2006-01-02T15:04")},
			"ends_at": {now.Add(26 * time.Hour).Format("2006-01-02T15:04")}}
	}
	return rq.renderForm(status, "status_admin", v, form, errs)
}

// statusComponentSave adds a component, or changes one (its state too).
func (s *server) statusComponentSave(rq *request) error {
	if err := rq.r.ParseForm(); err != nil {
		return err
	}
	f := rq.r.PostForm
	c := statuspage.Component{Name: f.Get("name"), Group: f.Get("group"), Description: f.Get("description"),
		Status: statuspage.ComponentStatus(f.Get("status"))}
	c.Position, _ = strconv.Atoi(strings.TrimSpace(f.Get("position")))
	for _, sv := range f["service_ids"] {
		if id, err := strconv.ParseInt(sv, 10, 64); err == nil {
			c.ServiceIDs = append(c.ServiceIDs, id)
		}
	}
	form := "component"
	if raw := rq.r.PathValue("id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return desk.Errorf(desk.ENOTFOUND, "no such component")
		}
		c.ID, form = id, "component"+raw
	}
	_, err := s.opts.StatusPage.SaveComponent(rq.ctx, c)
	return s.statusDone(rq, form, "status_component", err)
}

func (s *server) statusComponentDelete(rq *request) error {
	if err := rq.r.ParseForm(); err != nil {
		return err
	}
	id, err := strconv.ParseInt(rq.r.PathValue("id"), 10, 64)
	if err != nil {
		return desk.Errorf(desk.ENOTFOUND, "no such component")
	}
	return s.statusDone(rq, "components", "status_component_deleted", s.opts.StatusPage.DeleteComponent(rq.ctx, id))
}

// statusMaintenance schedules a maintenance window (times in the
// reader's zone).
func (s *server) statusMaintenance(rq *request) error {
	if err := rq.r.ParseForm(); err != nil {
		return err
	}
	f := rq.r.PostForm
	in := statuspage.MaintenanceInput{Name: f.Get("name"), Body: f.Get("body")}
	errs := map[string]string{}
	for _, w := range []struct {
		name string
		dst  *time.Time
	}{{"starts_at", &in.StartsAt}, {"ends_at", &in.EndsAt}} {
		t, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(f.Get(w.name)), rq.loc)
		if err != nil {
			errs["maint."+w.name] = rq.lang.T("major.err.datetime")
		}
		*w.dst = t
	}
	for _, c := range f["components"] {
		if id, err := strconv.ParseInt(c, 10, 64); err == nil {
			in.Components = append(in.Components, id)
		}
	}
	if len(errs) > 0 {
		return s.renderStatusAdmin(rq, http.StatusUnprocessableEntity, "maint", f, errs)
	}
	_, err := s.opts.StatusPage.ScheduleMaintenance(rq.ctx, in)
	return s.statusDone(rq, "maint", "status_maintenance", err)
}

func (s *server) statusDone(rq *request, form, done string, err error) error {
	if err == nil {
		return rq.redirect("/admin/status?done=" + done + "#" + form)
	}
	if errs := majorFieldErrors(rq, form, err); errs != nil {
		return s.renderStatusAdmin(rq, http.StatusUnprocessableEntity, form, rq.r.PostForm, errs)
	}
	status, ok := deskStatus[desk.ErrorCode(err)]
	if !ok || status == http.StatusNotFound {
		return err
	}
	return s.renderStatusAdmin(rq, status, form, rq.r.PostForm, map[string]string{"": rq.errorText(err)})
}
