package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/problem"
)

// problemView is a problem's page: its record, the moves its state
// allows, the workaround and fix, the linked incidents with their state,
// age and SLA, and the broadcasts that carried the workaround or the
// resolution to them.
type problemView struct {
	P          *problem.Problem
	Incidents  []problemIncident
	Next       string // path of the next page of incidents, "" on the last
	Open       int    // linked incidents shown that are still open (resolving the problem may resolve them all)
	Broadcasts []*problem.Broadcast
	Moves      []problem.State // the state buttons (known error and resolved have forms of their own)
	OpenForm   string
	problemFormView
	Resolutions []desk.ResolutionCode
}

// problemIncident is a linked incident as the page lists it.
type problemIncident struct {
	T   *desk.Ticket
	Age time.Duration
	SLA slaCell
}

// slaCell is an incident's resolution SLA in a word and, while it ticks,
// its deadline: met, breached, paused (on hold), due, or none.
type slaCell struct {
	Key string
	Due *time.Time
}

// incidentSLA says where an incident stands against its SLA.
func incidentSLA(t *desk.Ticket, now time.Time) slaCell {
	switch m := t.SLA.ResolutionMet; {
	case m != nil && *m:
		return slaCell{Key: "met"}
	case m != nil:
		return slaCell{Key: "breached"}
	case t.SLA.DueAt != nil && t.SLA.DueAt.Before(now):
		return slaCell{Key: "breached", Due: t.SLA.DueAt}
	case t.SLA.DueAt != nil:
		return slaCell{Key: "due", Due: t.SLA.DueAt}
	case t.State == desk.StateOnHold:
		return slaCell{Key: "paused"}
	}
	return slaCell{Key: "none"}
}

// Closed reports whether the problem is final.
func (v problemView) Closed() bool { return v.P.State == problem.StateClosed }

// Resolved reports whether the problem is resolved.
func (v problemView) Resolved() bool { return v.P.State == problem.StateResolved }

func (s *server) problemPage(rq *request) error {
	return s.renderProblem(rq, http.StatusOK, "", nil, nil)
}

// renderProblem renders the page of the problem in the path, with form
// (the one named open, when it came back) and errs.
func (s *server) renderProblem(rq *request, status int, open string, form url.Values, errs map[string]string) error {
	svc := s.opts.Problems
	p, err := svc.Problem(rq.ctx, rq.ref())
	if err != nil {
		return err
	}
	v := problemView{P: p, OpenForm: open, Resolutions: desk.ResolutionCodes}
	for _, m := range problem.Moves(p.State) {
		if m != problem.StateKnownError && m != problem.StateResolved {
			v.Moves = append(v.Moves, m)
		}
	}
	after, _ := strconv.ParseInt(rq.r.URL.Query().Get("after"), 10, 64)
	page, err := svc.Incidents(rq.ctx, p.Number(), max(after, 0), 100)
	if err != nil {
		return err
	}
	now := time.Now()
	for _, in := range page.Incidents {
		v.Incidents = append(v.Incidents, problemIncident{T: in.Ticket, Age: now.Sub(in.Ticket.CreatedAt), SLA: incidentSLA(in.Ticket, now)})
		if in.Ticket.State.IsOpen() {
			v.Open++
		}
	}
	if page.Next != 0 {
		v.Next = "/problems/" + p.Number() + "?after=" + strconv.FormatInt(page.Next, 10)
	}
	if v.Broadcasts, err = svc.Broadcasts(rq.ctx, p.Number()); err != nil {
		return err
	}
	if v.problemFormView, err = s.problemChoices(rq); err != nil {
		return err
	}
	if form == nil {
		form = url.Values{}
	}
	if open != "edit" {
		problemFormFill(form, p)
	}
	return rq.renderForm(status, "problem", v, form, errs)
}

// problemFormFill puts the problem's fields in the edit and workaround
// forms' values.
func problemFormFill(form url.Values, p *problem.Problem) {
	set := func(k, v string) {
		if !form.Has(k) {
			form.Set(k, v)
		}
	}
	set("title", p.Title)
	set("description", p.Description)
	set("root_cause", p.RootCause)
	set("impact", string(p.Impact))
	set("group_id", strconv.FormatInt(refIDOf(p.Group), 10))
	set("category_id", strconv.FormatInt(refIDOf(p.Category), 10))
	set("service_id", strconv.FormatInt(refIDOf(p.Service), 10))
	set("references", refsText(p.References))
	set("workaround", p.Workaround)
	set("fix", p.Fix)
	set("version", strconv.Itoa(p.Version))
}

func refIDOf(r *desk.Ref) int64 {
	if r == nil {
		return 0
	}
	return r.ID
}

// problemAction runs one change from a problem's page: on success back to
// the page with done's confirmation; a refusal comes back on the page
// with the form open, its input kept and the reason said (422 for bad
// input, 409 when the problem's state or version forbids it).
func (s *server) problemAction(rq *request, form, done string, do func(version int) (string, error)) error {
	if err := rq.r.ParseForm(); err != nil {
		return err
	}
	version, _ := strconv.Atoi(rq.r.PostFormValue("version"))
	next, err := do(version)
	if err == nil {
		if next == "" {
			next = "/problems/" + url.PathEscape(rq.ref())
		}
		return rq.redirect(next + "?done=" + done)
	}
	code := desk.ErrorCode(err)
	status, ok := deskStatus[code]
	if !ok || code == desk.ENOTFOUND && form != "link" {
		return err
	}
	errs := majorFieldErrors(rq, form, err)
	switch {
	case errs != nil:
	case code == desk.ESTALE:
		errs = map[string]string{"": rq.lang.T("problem.stale")}
	default:
		errs = map[string]string{"": rq.errorText(err)}
	}
	input := rq.r.PostForm
	input.Set("form", form)
	input.Del("version") // the page carries the version it shows
	return s.renderProblem(rq, status, form, input, errs)
}

// problemRuleText words a refusal of the problem service about the
// problem itself (it names the problem in the param "problem") in the
// problem's words, "problem.rule.<rule>", with its states named as a
// problem's; ok is false for any other error (a ticket's refusal keeps the
// ticket's words).
func (l *lang) problemRuleText(de *desk.Error) (string, bool) {
	number, ok := de.Params["problem"].(string)
	key := "problem.rule." + string(de.Rule)
	if !ok || !l.Has(key) {
		return "", false
	}
	pairs := []string{"{problem}", number}
	for _, k := range []string{"state", "from", "to"} {
		if v, ok := de.Params[k].(string); ok {
			pairs = append(pairs, "{"+k+"}", l.enum("problem.state", v))
		}
	}
	return strings.NewReplacer(pairs...).Replace(l.T(key)), true
}
