package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// On call: who each schedule has on call now and at a chosen time, the
// week ahead, and the pages in progress with their Acknowledge and Resolve
// buttons. Desk decides who may read schedules and end pages.
func init() {
	registerArea("oncall", func(s *server) {
		s.addNav(navItem{Path: "/oncall", Key: "nav.oncall", Who: staffOnly, Order: 30})
		s.get("/oncall", staffOnly, s.onCall)
		s.post("/oncall/acknowledge", staffOnly, s.onCallAcknowledge)
		s.post("/oncall/resolve", staffOnly, s.onCallResolve)
	})
}

// onCallWeek is how far ahead the page lists shifts.
const onCallWeek = 7 * 24 * time.Hour

// onCallView is the /oncall page.
type onCallView struct {
	Zone      string // the zone times are shown and entered in
	At        *time.Time
	Schedules []onCallSchedule
	Pages     []desk.ActivePage
}

type onCallSchedule struct {
	ID     int64
	Name   string
	Zone   string // the schedule's own zone (its hand-offs)
	Now    *desk.Ref
	AtT    *desk.Ref
	Shifts []onCallShift
}

type onCallShift struct {
	User       *desk.Ref
	Start, End time.Time
}

func (s *server) onCall(rq *request) error {
	raw := strings.TrimSpace(rq.r.URL.Query().Get("at"))
	var at *time.Time
	if raw != "" {
		t, err := time.ParseInLocation(callInputLayout, raw, rq.loc)
		if err != nil {
			v, verr := s.onCallData(rq, nil)
			if verr != nil {
				return verr
			}
			return rq.renderForm(http.StatusUnprocessableEntity, "oncall", v, rq.r.URL.Query(),
				map[string]string{"at": rq.lang.T("oncall.err.at")})
		}
		at = &t
	}
	v, err := s.onCallData(rq, at)
	if err != nil {
		return err
	}
	return rq.renderForm(http.StatusOK, "oncall", v, rq.r.URL.Query(), nil)
}

// onCallData reads every schedule (who now, who at at, the week's shifts)
// and the running pages.
func (s *server) onCallData(rq *request, at *time.Time) (*onCallView, error) {
	list, err := s.desk.Schedules(rq.ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	v := &onCallView{Zone: rq.loc.String(), At: at}
	names := map[int64]*desk.Ref{}
	name := func(id int64) *desk.Ref {
		if r, ok := names[id]; ok {
			return r
		}
		r := &desk.Ref{ID: id}
		if u, err := s.desk.User(rq.ctx, id); err == nil {
			r.Name = u.Name
		}
		names[id] = r
		return r
	}
	for _, st := range list {
		sc := onCallSchedule{ID: st.ID, Name: st.Doc.Name, Zone: st.Doc.Zone}
		oc, err := s.desk.WhoIsOnCall(rq.ctx, st.ID, now)
		if err != nil {
			return nil, err
		}
		sc.Now = oc.User
		if at != nil {
			oc, err := s.desk.WhoIsOnCall(rq.ctx, st.ID, *at)
			if err != nil {
				return nil, err
			}
			sc.AtT = oc.User
		}
		shifts, err := s.desk.ScheduleShifts(rq.ctx, st.ID, now, now.Add(onCallWeek))
		if err != nil {
			return nil, err
		}
		for _, sh := range shifts {
			sc.Shifts = append(sc.Shifts, onCallShift{User: name(sh.UserID), Start: sh.Start, End: sh.End})
		}
		v.Schedules = append(v.Schedules, sc)
	}
	if v.Pages, err = s.desk.ActivePages(rq.ctx); err != nil {
		return nil, err
	}
	return v, nil
}

func (s *server) onCallAcknowledge(rq *request) error {
	return s.onCallEnd(rq, "page_ack", desk.PageAcknowledged)
}

func (s *server) onCallResolve(rq *request) error {
	return s.onCallEnd(rq, "page_resolve", desk.PageResolved)
}

// onCallEnd ends the page in the form (a row of the on-call page acts on
// its own page), or without one the ticket's pages (the ticket page's
// button); a refusal (no page running any more, not allowed) comes back
// on the on-call page.
func (s *server) onCallEnd(rq *request, done string, state desk.PageState) error {
	ref := strings.TrimSpace(rq.r.PostFormValue("ticket"))
	var err error
	switch page := strings.TrimSpace(rq.r.PostFormValue("page")); {
	case page != "":
		id, perr := strconv.ParseInt(page, 10, 64)
		if perr != nil {
			id = -1 // EndPage refuses it as not a page id
		}
		_, err = s.desk.EndPage(rq.ctx, ref, id, state)
	case state == desk.PageAcknowledged:
		_, err = s.desk.AcknowledgePage(rq.ctx, ref)
	default:
		_, err = s.desk.ResolvePage(rq.ctx, ref)
	}
	if err != nil {
		status := map[string]int{desk.ECONFLICT: http.StatusConflict, desk.EINVALID: http.StatusUnprocessableEntity,
			desk.ENOTFOUND: http.StatusNotFound, desk.EFORBIDDEN: http.StatusForbidden}[desk.ErrorCode(err)]
		if status == 0 {
			return err
		}
		v, verr := s.onCallData(rq, nil)
		if verr != nil {
			return verr
		}
		return rq.renderForm(status, "oncall", v, nil, map[string]string{"": rq.errorText(err)})
	}
	return rq.redirect(localPath(rq.r.PostFormValue("back"), "/oncall") + "?done=" + done)
}

// activeTicketPages returns the ticket's pages in progress, for the
// Acknowledge button on the agent's ticket page.
func (s *server) activeTicketPages(rq *request, t *desk.Ticket) ([]desk.PageWithDeliveries, error) {
	pages, err := s.desk.TicketPages(rq.ctx, t.Number)
	if err != nil {
		return nil, err
	}
	var out []desk.PageWithDeliveries
	for _, p := range pages {
		if p.State == desk.PageActive {
			out = append(out, p)
		}
	}
	return out, nil
}
