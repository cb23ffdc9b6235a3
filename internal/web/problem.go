package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/problem"
)

// Problem management's pages (/problems, issue 12): the list with its
// filters, a new problem (from scratch, from a candidate cluster), the
// candidates, and a problem's own page (problem_page.go) with its forms
// (problem_forms.go); the ticket page's problem panel is
// problem_ticket.go. Staff only, as the problem service decides; the
// incidents a problem lists are read through the desk, so a security case
// or a restricted ticket shows only to those who may see it. Registered
// only when the server has problem management (Options.Problems). The
// top bar has no room left at 1280 px in Russian, so the way in is the
// console's side list (Problems, Candidates) and the ticket page's panel.
func init() {
	registerArea("problem", func(s *server) {
		if s.opts.Problems == nil {
			return
		}
		s.get("/problems", staffOnly, s.problemList)
		s.get("/problems/new", staffOnly, s.problemNew)
		s.post("/problems", staffOnly, s.problemCreate)
		s.get("/problems/candidates", staffOnly, s.problemCandidates)
		s.get("/problems/{ref}", staffOnly, s.problemPage)
		s.post("/problems/{ref}/edit", staffOnly, s.problemEdit)
		s.post("/problems/{ref}/state", staffOnly, s.problemState)
		s.post("/problems/{ref}/workaround", staffOnly, s.problemWorkaround)
		s.post("/problems/{ref}/resolve", staffOnly, s.problemResolve)
		s.post("/problems/{ref}/incidents", staffOnly, s.problemLink)
		s.post("/problems/{ref}/incidents/unlink", staffOnly, s.problemUnlink)
	})
}

// problemListView is the list of problems with its filters.
type problemListView struct {
	Problems []*problem.Problem
	Q        string
	State    string // one state, "open" (not closed) or "" (any)
	GroupID  int64
	Groups   []*desk.Group
	States   []problem.State
	Next     string // path of the next page, "" on the last
}

// problemList lists problems, newest first, filtered by state, owner
// group and the words of the number or title.
func (s *server) problemList(rq *request) error {
	q := rq.r.URL.Query()
	v := problemListView{Q: strings.TrimSpace(q.Get("q")), State: q.Get("state"), States: problem.States}
	f := problem.Filter{Text: v.Q, Cursor: q.Get("after"), Limit: 50}
	switch {
	case v.State == "":
	case v.State == "open":
		f.States = []problem.State{problem.StateNew, problem.StateInvestigating, problem.StateKnownError, problem.StateResolved}
	case slices.Contains(problem.States, problem.State(v.State)):
		f.States = []problem.State{problem.State(v.State)}
	default:
		return desk.InvalidFields(desk.Invalid("state", desk.RuleOneOf, desk.Params{"allowed": "open, new, investigating, known_error, resolved, closed"},
			"must be open or a problem state"))
	}
	if g := strings.TrimSpace(q.Get("group")); g != "" {
		id, err := strconv.ParseInt(g, 10, 64)
		if err != nil || id < 0 {
			return desk.InvalidFields(desk.Invalid("group", desk.RuleInvalidFmt, desk.Params{"format": "id"}, "must be a group id"))
		}
		v.GroupID, f.GroupID = id, id
	}
	page, err := s.opts.Problems.List(rq.ctx, f)
	if err != nil {
		return err
	}
	v.Problems = page.Problems
	if page.Next != "" {
		next := url.Values{"after": {page.Next}}
		for _, k := range []string{"q", "state", "group"} {
			if q.Get(k) != "" {
				next.Set(k, q.Get(k))
			}
		}
		v.Next = "/problems?" + next.Encode()
	}
	if v.Groups, err = s.desk.Groups(rq.ctx); err != nil {
		return err
	}
	return rq.ok("problem_list", v)
}

// problemFormView is the form of a new problem (and the choices it offers).
type problemFormView struct {
	Groups     []*desk.Group
	Categories []*desk.Category
	Services   []*desk.Service
	Levels     []desk.Level
}

func (s *server) problemChoices(rq *request) (problemFormView, error) {
	v := problemFormView{Levels: desk.Levels}
	var err error
	if v.Groups, err = s.desk.Groups(rq.ctx); err != nil {
		return v, err
	}
	if v.Categories, err = s.desk.Categories(rq.ctx); err != nil {
		return v, err
	}
	v.Services, err = s.desk.Services(rq.ctx)
	return v, err
}

// problemNew shows the form of a new problem; a candidate cluster fills
// its category, service and incidents (?category=&service=&incidents=).
func (s *server) problemNew(rq *request) error {
	q := rq.r.URL.Query()
	form := url.Values{"impact": {string(desk.LevelMedium)}}
	for _, k := range []string{"category_id", "service_id", "incidents", "title"} {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			form.Set(k, v)
		}
	}
	if len(rq.user.Groups) > 0 {
		form.Set("group_id", strconv.FormatInt(rq.user.Groups[0].ID, 10))
	}
	return s.renderProblemNew(rq, http.StatusOK, form, nil)
}

func (s *server) renderProblemNew(rq *request, status int, form url.Values, errs map[string]string) error {
	v, err := s.problemChoices(rq)
	if err != nil {
		return err
	}
	return rq.renderForm(status, "problem_new", v, form, errs)
}

// problemCreate records a new problem and links the incidents named on
// the form to it (each that cannot be linked is said on its page).
func (s *server) problemCreate(rq *request) error {
	if err := rq.r.ParseForm(); err != nil {
		return err
	}
	f := rq.r.PostForm
	in, errs := problemInput(rq, f)
	if len(errs) == 0 {
		p, err := s.opts.Problems.Create(rq.ctx, in)
		if err == nil {
			return s.afterCreate(rq, p, childRefs(url.Values{"more": {f.Get("incidents")}}))
		}
		if errs = majorFieldErrors(rq, "new", err); errs == nil {
			return err
		}
	}
	return s.renderProblemNew(rq, http.StatusUnprocessableEntity, f, errs)
}

// afterCreate links the incidents typed on a new problem's form and goes
// to its page.
func (s *server) afterCreate(rq *request, p *problem.Problem, tickets []string) error {
	done := "problem_created"
	if len(tickets) > 0 {
		res, err := s.opts.Problems.Link(rq.ctx, p.Number(), tickets)
		if err != nil || len(res.Skipped) > 0 {
			done = "problem_created_partly"
		}
	}
	return rq.redirect("/problems/" + p.Number() + "?done=" + done)
}

// problemInput reads a problem's fields from a form; ids that are not
// numbers are errors of their field.
func problemInput(rq *request, f url.Values) (problem.Input, map[string]string) {
	errs := map[string]string{}
	in := problem.Input{Title: f.Get("title"), Description: f.Get("description"), RootCause: f.Get("root_cause"),
		Impact: desk.Level(f.Get("impact")), References: parseRefs(f.Get("references"))}
	in.GroupID = formRef(rq, f, "group_id", "new.group", errs)
	in.CategoryID = formRef(rq, f, "category_id", "new.category", errs)
	in.ServiceID = formRef(rq, f, "service_id", "new.service", errs)
	return in, errs
}

// formRef reads an optional id field: empty or 0 is none.
func formRef(rq *request, f url.Values, name, key string, errs map[string]string) int64 {
	raw := strings.TrimSpace(f.Get(name))
	if raw == "" {
		return 0
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 0 {
		errs[key] = rq.lang.T("problem.err.choose")
		return 0
	}
	return id
}

// parseRefs reads references, one a line: a URL, or text, or text then a
// URL ("CHG-123 https://changes/123").
func parseRefs(s string) []problem.Reference {
	var out []problem.Reference
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		r := problem.Reference{Text: line}
		if i := strings.LastIndexAny(line, " \t"); i >= 0 && isURL(line[i+1:]) {
			r = problem.Reference{Text: strings.TrimSpace(line[:i]), URL: line[i+1:]}
		} else if isURL(line) {
			r = problem.Reference{URL: line}
		}
		out = append(out, r)
	}
	return out
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.Contains(s, "://")
}

// refsText writes references back as the form's lines.
func refsText(refs []problem.Reference) string {
	var b strings.Builder
	for _, r := range refs {
		b.WriteString(strings.TrimSpace(r.Text + " " + r.URL))
		b.WriteByte('\n')
	}
	return b.String()
}

// problemCandidatesView is the clusters of recent similar incidents with
// no problem yet.
type problemCandidatesView struct {
	Candidates []problem.Candidate
	Days       int
	Min        int
}

// problemCandidates shows the clusters of the last ?days= days (7) of at
// least ?min= incidents (3).
func (s *server) problemCandidates(rq *request) error {
	q := rq.r.URL.Query()
	v := problemCandidatesView{Days: 7, Min: 3}
	for _, p := range []struct {
		name     string
		dst      *int
		min, max int
	}{{"days", &v.Days, 1, 366}, {"min", &v.Min, 2, 1000}} {
		raw := strings.TrimSpace(q.Get(p.name))
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < p.min || n > p.max {
			return desk.InvalidFields(desk.Invalid(p.name, desk.RuleOutOfRange, desk.Params{"min": p.min, "max": p.max},
				"must be a whole number from %d to %d", p.min, p.max))
		}
		*p.dst = n
	}
	var err error
	v.Candidates, err = s.opts.Problems.Candidates(rq.ctx, time.Duration(v.Days)*24*time.Hour, v.Min)
	if err != nil {
		return err
	}
	return rq.ok("problem_candidates", v)
}
