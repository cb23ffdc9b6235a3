package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
)

// The review editor of a resolved major incident: its prefilled sections
// (summary, customer impact, detection, timeline) and the team's (causes,
// what went well and badly), its state (draft → in_review → published;
// published is final), action items with owner and due date, and the
// Markdown export. While the review gate is on, the major incident closes
// only once the review is published.

type majorReviewView struct {
	M     *major.Incident
	R     *major.Review
	Staff []*desk.User
	Moves []major.ReviewState // the states the review may move to
	Gate  bool
	Now   time.Time
}

// Final reports whether the review can no longer change.
func (v majorReviewView) Final() bool { return v.R.State == major.ReviewPublished }

func (s *server) majorReview(rq *request) error {
	id, err := majorID(rq)
	if err != nil {
		return err
	}
	return s.renderReview(rq, http.StatusOK, id, nil, nil)
}

func (s *server) renderReview(rq *request, status int, id int64, form url.Values, errs map[string]string) error {
	svc := s.opts.Majors
	m, err := svc.Get(rq.ctx, id)
	if err != nil {
		return err
	}
	r, err := svc.Review(rq.ctx, id)
	if err != nil {
		return err // ENOTFOUND until the major incident is resolved
	}
	v := majorReviewView{M: m, R: r, Gate: svc.Config().ReviewGate, Now: time.Now()}
	if v.Staff, err = s.activeStaff(rq); err != nil {
		return err
	}
	for _, to := range major.ReviewStates {
		if r.State.CanMove(to) {
			v.Moves = append(v.Moves, to)
		}
	}
	if form == nil {
		form = url.Values{"due_on": {time.Now().AddDate(0, 0, 14).In(rq.loc).Format(time.DateOnly)},
			"owner_id": {strconv.FormatInt(rq.user.ID, 10)}}
	}
	if _, ok := form["summary"]; !ok { // not the review's own form: its text as stored
		form.Set("summary", r.Summary)
		form.Set("causes", r.Causes)
		form.Set("went_well", r.WentWell)
		form.Set("went_badly", r.WentBadly)
		form.Set("version", strconv.Itoa(r.Version))
	}
	return rq.renderForm(status, "major_review", v, form, errs)
}

// majorReviewSave saves the texts and, with move, the new state.
func (s *server) majorReviewSave(rq *request) error {
	id, err := majorForm(rq)
	if err != nil {
		return err
	}
	f := rq.r.PostForm
	text := func(name string) *string { v := f.Get(name); return &v }
	e := major.ReviewEdit{Summary: text("summary"), Causes: text("causes"), WentWell: text("went_well"), WentBadly: text("went_badly")}
	e.IfVersion, _ = strconv.Atoi(f.Get("version"))
	if mv := f.Get("move"); mv != "" {
		st := major.ReviewState(mv)
		e.State = &st
	}
	_, err = s.opts.Majors.EditReview(rq.ctx, id, e)
	return s.reviewDone(rq, id, "review", "review_saved", err)
}

// majorItemAdd adds an action item with its owner and due date.
func (s *server) majorItemAdd(rq *request) error {
	id, err := majorForm(rq)
	if err != nil {
		return err
	}
	f := rq.r.PostForm
	a := major.ActionItem{Text: f.Get("text"), OwnerID: majorInt(f, "owner_id")}
	if raw := strings.TrimSpace(f.Get("due_on")); raw != "" {
		d, err := time.Parse(time.DateOnly, raw)
		if err != nil {
			return s.renderReview(rq, http.StatusUnprocessableEntity, id, f, map[string]string{"item.due_on": rq.lang.T("major.err.date")})
		}
		a.DueOn = d
	}
	_, err = s.opts.Majors.AddActionItem(rq.ctx, id, a)
	return s.reviewDone(rq, id, "item", "review_item", err)
}

// majorItemDone marks an action item done, or open again.
func (s *server) majorItemDone(rq *request) error {
	id, err := majorForm(rq)
	if err != nil {
		return err
	}
	item, err := strconv.ParseInt(rq.r.PathValue("item"), 10, 64)
	if err != nil {
		return desk.Errorf(desk.ENOTFOUND, "no such action item")
	}
	f := rq.r.PostForm
	_, err = s.opts.Majors.CompleteActionItem(rq.ctx, id, item, f.Get("done") == "1", strings.TrimSpace(f.Get("ticket")))
	return s.reviewDone(rq, id, "items", "review_item_done", err)
}

func (s *server) reviewDone(rq *request, id int64, form, done string, err error) error {
	if err == nil {
		return rq.redirect("/major/" + strconv.FormatInt(id, 10) + "/review?done=" + done)
	}
	if errs := majorFieldErrors(rq, form, err); errs != nil {
		return s.renderReview(rq, http.StatusUnprocessableEntity, id, rq.r.PostForm, errs)
	}
	status, ok := deskStatus[desk.ErrorCode(err)]
	if !ok || status == http.StatusNotFound {
		return err
	}
	return s.renderReview(rq, status, id, rq.r.PostForm, map[string]string{"": rq.errorText(err)})
}

// majorReviewMarkdown exports the review as Markdown.
func (s *server) majorReviewMarkdown(rq *request) error {
	id, err := majorID(rq)
	if err != nil {
		return err
	}
	m, err := s.opts.Majors.Get(rq.ctx, id)
	if err != nil {
		return err
	}
	r, err := s.opts.Majors.Review(rq.ctx, id)
	if err != nil {
		return err
	}
	h := rq.w.Header()
	h.Set("Content-Type", "text/markdown; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="review-`+m.Number+`.md"`)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", rq.lang.code)
	_, err = rq.w.Write([]byte(r.Markdown(m, rq.loc, rq.lang.code)))
	return err
}
