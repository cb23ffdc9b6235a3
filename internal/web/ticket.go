package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func init() {
	registerArea("ticket", func(s *server) {
		s.get("/tickets/{ref}", signedIn, s.ticketPage)
		s.post("/tickets/{ref}/comment", signedIn, s.ticketComment)
		s.post("/tickets/{ref}/confirm", signedIn, s.ticketConfirm)
		s.post("/tickets/{ref}/reopen", signedIn, s.ticketReopen)
	})
}

// ticketPage shows the portal's view to requesters and the agent's view to
// staff: one address per ticket whoever opens it.
func (s *server) ticketPage(rq *request) error {
	rq.ctx = desk.WithTicketMemo(rq.ctx) // a GET: the page reads the ticket through many calls, and changes nothing
	t, err := s.desk.Ticket(rq.ctx, rq.r.PathValue("ref"))
	if err != nil {
		return err
	}
	if rq.user.Role.IsStaff() {
		back, err := s.reuseForm(rq, t)
		if err != nil {
			return err
		}
		return s.renderAgentTicket(rq, http.StatusOK, t, back)
	}
	return s.renderPortalTicket(rq, http.StatusOK, t, nil)
}

// reuseForm is the resolve form opened with a similar ticket's resolution
// copied in ("Use this resolution", ?reuse=<number>), nil without one or
// when that ticket is not a resolved one the agent may see; resolving
// records where it came from.
func (s *server) reuseForm(rq *request, t *desk.Ticket) (*formState, error) {
	ref := rq.r.URL.Query().Get("reuse")
	if ref == "" || !desk.CanTransition(t.State, desk.StateResolved) {
		return nil, nil
	}
	src, err := s.desk.Ticket(rq.ctx, ref)
	switch {
	case desk.ErrorCode(err) == desk.ENOTFOUND || desk.ErrorCode(err) == desk.EINVALID:
		return nil, nil
	case err != nil:
		return nil, err
	case src.State != desk.StateResolved && src.State != desk.StateClosed || src.Security || src.ID == t.ID:
		return nil, nil
	}
	in := url.Values{"form": {"resolve"}, "resolution_code": {string(src.ResolutionCode)},
		"resolution_notes": {src.ResolutionNotes}, "reused_from": {src.Number}}
	return &formState{input: in, result: &actionResult{Form: "resolve"}}, nil
}

// ticketState is what every ticket page shows besides the ticket itself.
type ticketState struct {
	T         *desk.Ticket
	Events    []*desk.Event
	Clocks    []desk.SLAClock
	ReopenBy  *time.Time // end of the reopen window of a resolved ticket
	CanReopen bool
	Seen      int64                        // id of the newest event shown: a stale form shows what came after
	Files     map[int64][]*desk.Attachment // by event id
	MaxFile   int64                        // the size limit of one attached file
	Calls     []*desk.Call
}

// loadTicketState reads the ticket's history (public only for requesters,
// desk decides) and its SLA clocks.
func (s *server) loadTicketState(rq *request, t *desk.Ticket) (*ticketState, error) {
	st := &ticketState{T: t}
	f := desk.EventFilter{Limit: desk.MaxPageSize}
	for {
		page, err := s.desk.Events(rq.ctx, t.Number, f)
		if err != nil {
			return nil, err
		}
		st.Events = append(st.Events, page.Events...)
		if page.NextCursor == "" || len(st.Events) >= 5000 {
			break
		}
		f.Cursor = page.NextCursor
	}
	if n := len(st.Events); n > 0 {
		st.Seen = st.Events[n-1].ID
	}
	var err error
	if st.Events, err = s.wordEvents(rq, st.Events); err != nil {
		return nil, err
	}
	if st.Events, err = s.withEvidenceEvents(rq, t, st.Events); err != nil {
		return nil, err
	}
	files, err := s.desk.Attachments(rq.ctx, t.Number)
	if err != nil {
		return nil, err
	}
	st.Files, st.MaxFile = map[int64][]*desk.Attachment{}, s.desk.AttachmentMaxBytes()
	for _, f := range files {
		st.Files[f.EventID] = append(st.Files[f.EventID], f)
	}
	if st.Calls, err = s.desk.CallsOf(rq.ctx, t); err != nil {
		return nil, err
	}
	sla, err := s.desk.SLAFor(rq.ctx, t)
	if err != nil {
		return nil, err
	}
	st.Clocks = sla.Clocks
	if t.State == desk.StateResolved && t.ResolvedAt != nil {
		end := t.ResolvedAt.Add(s.desk.Config().ReopenWindow)
		st.ReopenBy = &end
		st.CanReopen = time.Now().Before(end)
	}
	return st, nil
}

// formVersion reads the version and the newest event id that a ticket
// form was rendered with.
func formVersion(rq *request) (version int, seen int64) {
	version, _ = strconv.Atoi(rq.r.PostFormValue("version"))
	seen, _ = strconv.ParseInt(rq.r.PostFormValue("seen"), 10, 64)
	return version, seen
}

// ticketAction runs one change from a ticket page. On success it goes
// back to the ticket with a confirmation. On invalid input the page comes
// back with the input kept and errors by field; when someone else changed
// the ticket meanwhile (ESTALE) it comes back showing what changed, with
// the input kept, instead of overwriting their change.
func (s *server) ticketAction(rq *request, form string, do func(version int) error) error {
	ref := rq.r.PathValue("ref")
	version, seen := formVersion(rq)
	err := do(version)
	if err == nil {
		return rq.redirect("/tickets/" + url.PathEscape(ref) + "?done=" + form)
	}
	fe := fieldErrors(rq, err)
	stale := desk.ErrorCode(err) == desk.ESTALE
	if fe == nil && !stale && desk.ErrorCode(err) != desk.ECONFLICT {
		return err
	}
	errs := map[string]string{}
	for field, msg := range fe { // one page holds several forms: errors are per form
		errs[form+"."+field] = msg
	}
	if fe == nil && !stale {
		errs[""] = rq.errorText(err)
	}
	t, terr := s.desk.Ticket(rq.ctx, ref)
	if terr != nil {
		return terr
	}
	input := rq.r.PostForm
	input.Set("form", form)
	c := &actionResult{Form: form, Stale: stale, Seen: seen}
	status := http.StatusUnprocessableEntity
	if stale || desk.ErrorCode(err) == desk.ECONFLICT {
		status = http.StatusConflict
	}
	back := &formState{input: input, errs: errs, result: c}
	if rq.user.Role.IsStaff() {
		return s.renderAgentTicket(rq, status, t, back)
	}
	return s.renderPortalTicket(rq, status, t, back)
}

// actionResult describes a form that came back: which one, and whether
// because the ticket changed under it.
type actionResult struct {
	Form  string
	Stale bool
	Seen  int64
}

type formState struct {
	input  url.Values
	errs   map[string]string
	result *actionResult
}

// Changed returns the events after the one the stale form had seen.
func (st *ticketState) Changed(after int64) []*desk.Event {
	var out []*desk.Event
	for _, e := range st.Events {
		if e.ID > after {
			out = append(out, e)
		}
	}
	return out
}
