package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/knowledge"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
)

// While line 1 registers a call (issue 13), the register form shows what
// the desk already knows about what is being typed: the triage model's
// suggestions for the type, category, service and group (each accepted
// with its button, all of them with Alt+A), the five most similar earlier
// tickets (resolved ones first, with their resolution and "Use this
// resolution"; open ones with "Add the call to it"), and the published
// articles matching the text. Without JavaScript the panel is brought up
// to date with the form's other buttons; with it, register-assist.js asks
// /console/register/assist for the panel as the agent types.

func init() {
	registerArea("register_assist", func(s *server) {
		s.get("/console/register/assist", staffOnly, s.registerAssistPart)
	})
}

// registerAssist is the panel beside the register form's call fields.
type registerAssist struct {
	Asked  bool // the call has a title or a description
	Status triagedesk.Status
	Fields []assistField
	// Priority is what the suggested impact and urgency make by the
	// desk's matrix; "" without both.
	Priority desk.Priority
	Similar  []desk.SimilarTicket
	Articles []kbRow
}

// assistField is one suggestion with the form input it fills.
type assistField struct {
	triagedesk.FieldSuggestion
	Input     string // the form field: type, category_id, service_id, group_id
	FormValue string // the value it takes there
	Pct       string
	Applied   bool // the form already holds it
}

// assistInputs maps a triage field to the register form's input.
var assistInputs = map[string]string{"type": "type", "category": "category_id", "service": "service_id", "group": "group_id",
	"impact": "impact", "urgency": "urgency"}

// assistArticles is how many matching articles the panel shows.
const assistArticles = 3

// registerAssistPanel works out the panel for the form's input.
func (s *server) registerAssistPanel(rq *request, f url.Values) (*registerAssist, error) {
	title, desc := f.Get("title"), f.Get("description")
	a := &registerAssist{Asked: strings.TrimSpace(title+desc) != ""}
	if !a.Asked {
		return a, nil
	}
	fields, status, err := s.assistSuggestions(rq, f)
	if err != nil {
		return nil, err
	}
	a.Fields, a.Status = fields, status
	if a.Priority, err = s.suggestedPriority(rq, fields); err != nil {
		return nil, err
	}
	q := desk.SimilarQuery{Title: title, Description: desc, Open: true}
	q.CategoryID, _ = strconv.ParseInt(f.Get("category_id"), 10, 64)
	q.ServiceID, _ = strconv.ParseInt(f.Get("service_id"), 10, 64)
	if a.Similar, err = s.desk.SimilarToText(rq.ctx, q); err != nil {
		return nil, err
	}
	a.Articles, err = s.assistArticles(rq, kbReportText(title, desc))
	return a, err
}

// assistSuggestions are the model's suggestions for the form's text.
func (s *server) assistSuggestions(rq *request, f url.Values) ([]assistField, triagedesk.Status, error) {
	if s.opts.Triage == nil {
		return nil, "", nil
	}
	sg, err := s.opts.Triage.Suggest(rq.ctx, f.Get("title"), f.Get("description"))
	if desk.ErrorCode(err) == desk.EINVALID {
		return nil, triagedesk.Unreadable, nil
	}
	if err != nil {
		return nil, "", err
	}
	var out []assistField
	for _, x := range sg.Fields {
		in, v := assistInputs[x.Field], x.Key()
		out = append(out, assistField{FieldSuggestion: x, Input: in, FormValue: v, Pct: pct(x.Confidence), Applied: f.Get(in) == v})
	}
	return out, sg.Status, nil
}

// suggestedPriority is the priority the suggested impact and urgency make
// by the desk's matrix; "" unless both are suggested.
func (s *server) suggestedPriority(rq *request, fields []assistField) (desk.Priority, error) {
	var impact, urgency desk.Level
	for _, x := range fields {
		switch x.Field {
		case "impact":
			impact = desk.Level(x.Value)
		case "urgency":
			urgency = desk.Level(x.Value)
		}
	}
	if impact == "" || urgency == "" {
		return "", nil
	}
	m, err := s.desk.Matrix(rq.ctx)
	if err != nil {
		return "", err
	}
	return m.Priority(impact, urgency), nil
}

// triageOutcomes are what the agent did with the suggestions for the call
// about to be registered (triagedesk.Outcomes), for the registration to
// write in its transaction. The ticket is registered whatever happens
// here: a failure is logged and records none.
func (s *server) triageOutcomes(rq *request, f url.Values) []desk.TriageOutcome {
	if s.opts.Triage == nil {
		return nil
	}
	chosen := map[string]string{}
	for field, in := range assistInputs {
		chosen[field] = f.Get(in)
	}
	out, err := s.opts.Triage.Outcomes(rq.ctx, f.Get("title"), f.Get("description"), chosen)
	if err != nil {
		s.log.Error("triage outcomes", "title_len", len(f.Get("title")), "err", err)
		return nil
	}
	return out
}

// assistArticles are the published articles (any audience: staff read
// them) matching the call's text.
func (s *server) assistArticles(rq *request, text string) ([]kbRow, error) {
	if s.opts.Knowledge == nil {
		return nil, nil
	}
	if len(text) > knowledge.MaxQueryLen {
		text = strings.ToValidUTF8(text[:knowledge.MaxQueryLen], "")
	}
	hits, err := s.opts.Knowledge.Search(rq.ctx, knowledge.Query{Text: text, Lang: rq.lang.code, Any: true,
		States: []knowledge.State{knowledge.Published}, Limit: assistArticles})
	if err != nil {
		return nil, err
	}
	return kbHitRows(hits), nil
}

// registerAssistPart answers register-assist.js: the panel alone, as HTML,
// for the text typed so far.
func (s *server) registerAssistPart(rq *request) error {
	f := rq.r.URL.Query()
	a, err := s.registerAssistPanel(rq, f)
	if err != nil {
		return err
	}
	return rq.renderPart(http.StatusOK, "register", "register_assist", &registerView{Assist: a}, f)
}

// acceptSuggestion sets the form's field to a suggestion (accept=<input>:
// <value>), or every suggestion not yet applied (accept=all), as the
// panel's buttons do without JavaScript.
func (s *server) acceptSuggestion(rq *request, f url.Values) error {
	which := f.Get("accept")
	f.Del("accept")
	if which == "all" {
		fields, _, err := s.assistSuggestions(rq, f)
		if err != nil {
			return err
		}
		for _, x := range fields {
			f.Set(x.Input, x.FormValue)
		}
		return nil
	}
	in, v, ok := strings.Cut(which, ":")
	for _, known := range assistInputs {
		if ok && in == known {
			f.Set(in, v)
		}
	}
	return nil
}

// reuseResolution copies a similar resolved ticket's resolution into the
// form's first-contact resolution (reuse=<number>), which the desk records
// as reused from it when the call is registered resolved.
func (s *server) reuseResolution(rq *request, f url.Values) error {
	ref := f.Get("reuse")
	f.Del("reuse")
	src, err := s.desk.Ticket(rq.ctx, ref)
	if desk.ErrorCode(err) == desk.ENOTFOUND || desk.ErrorCode(err) == desk.EINVALID {
		return nil
	}
	if err != nil {
		return err
	}
	if src.State != desk.StateResolved && src.State != desk.StateClosed {
		return nil
	}
	f.Set("fcr", "on")
	f.Set("resolution_code", string(src.ResolutionCode))
	f.Set("resolution_notes", src.ResolutionNotes)
	f.Set("reused_from", src.Number)
	return nil
}

// renderPart writes one template of a page alone (no layout), for a
// page's script to put in place.
func (rq *request) renderPart(status int, page, name string, data any, form url.Values) error {
	t, err := rq.s.page(rq.lang, rq.loc, page)
	if err != nil {
		return err
	}
	v := view{Page: page, Lang: rq.lang.code, User: rq.user, CSRF: rq.csrf, Path: rq.r.URL.Path, Data: data, Form: form}
	var buf bytes.Buffer
	if err := t.tmpl.ExecuteTemplate(&buf, name, v); err != nil {
		return fmt.Errorf("render %s of %s: %w", name, page, err)
	}
	h := rq.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", rq.lang.code)
	rq.w.WriteHeader(status)
	_, err = rq.w.Write(buf.Bytes())
	return err
}
