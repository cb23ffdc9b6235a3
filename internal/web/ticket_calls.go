package web

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Calls: line 2 (or any staff) schedules a phone or video session with the
// requester from the ticket; both pages list the ticket's calls.
func init() {
	registerArea("ticket_calls", func(s *server) {
		s.post("/tickets/{ref}/call", staffOnly, s.ticketCall)
		s.post("/tickets/{ref}/call/cancel", staffOnly, s.ticketCallCancel)
	})
}

// callInputLayout is the value of an <input type="datetime-local">.
const callInputLayout = "2006-01-02T15:04"

func (s *server) ticketCall(rq *request) error {
	return s.ticketAction(rq, "call", func(version int) error {
		f := rq.r.PostForm
		errs := map[string]string{}
		start, err := parseLocalTime(strings.TrimSpace(f.Get("start")), rq.loc)
		switch {
		case errors.Is(err, errNoSuchLocalTime):
			errs["start"] = rq.lang.T("call.err.start_gap", rq.loc.String())
		case err != nil:
			errs["start"] = rq.lang.T("call.err.start")
		}
		minutes, err := strconv.Atoi(strings.TrimSpace(f.Get("duration_minutes")))
		if err != nil {
			errs["duration_minutes"] = rq.lang.T("call.err.duration")
		}
		if len(errs) > 0 {
			return fieldsError(errs)
		}
		_, _, err = s.desk.ScheduleCall(rq.ctx, rq.ref(), desk.CallSpec{Start: start,
			Duration: time.Duration(minutes) * time.Minute, Kind: desk.CallKind(f.Get("kind")),
			Phone: f.Get("phone"), MeetingURL: f.Get("meeting_url"), Note: f.Get("note"), IfVersion: version})
		return err
	})
}

func (s *server) ticketCallCancel(rq *request) error {
	return s.ticketAction(rq, "call_cancel", func(int) error {
		id, err := strconv.ParseInt(rq.r.PostFormValue("call"), 10, 64)
		if err != nil {
			return fieldsError(map[string]string{"call": rq.lang.T("call.err.call")})
		}
		_, _, err = s.desk.CancelCall(rq.ctx, rq.ref(), id)
		return err
	})
}
