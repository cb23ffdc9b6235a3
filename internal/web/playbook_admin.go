package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/playbook"
)

// Administration: the playbook templates of security cases (issue 14) —
// each a name, a language and its tasks in order, every one with its
// NIST SP 800-61 phase and its due time in hours after the case's start.
// Staff read them; the desk lets only administrators change them. The
// personal data breach playbook ships in English and Russian.

func init() {
	registerArea("playbook_admin", func(s *server) {
		s.get("/admin/playbooks", staffOnly, s.adminPlaybooks)
		s.post("/admin/playbooks", staffOnly, s.adminSavePlaybook)
		s.get("/admin/playbooks/{id}", staffOnly, s.adminPlaybook)
		s.post("/admin/playbooks/{id}", staffOnly, s.adminSavePlaybook)
		s.addNav(navItem{Path: "/admin/playbooks", Key: "nav.admin_playbooks", Who: staffOnly, Order: 58, Admin: true})
	})
}

// pbBlankRows are the empty task rows the editor offers to fill.
const pbBlankRows = 3

type adminPlaybooksView struct {
	Templates []*playbook.Template
	Template  *playbook.Template // the one edited; nil on the list
	Rows      []int
	Phases    []playbook.Phase
	Langs     []string
}

func (s *server) playbooksView(rq *request, tpl *playbook.Template, rows int) (*adminPlaybooksView, error) {
	v := &adminPlaybooksView{Template: tpl, Phases: playbook.Phases, Langs: playbook.Languages}
	var err error
	if v.Templates, err = s.desk.PlaybookTemplates(rq.ctx); err != nil {
		return nil, err
	}
	for i := range rows {
		v.Rows = append(v.Rows, i)
	}
	return v, nil
}

// playbookForm is a template's values as the editor shows them.
func playbookForm(tpl *playbook.Template) url.Values {
	f := url.Values{"name": {tpl.Name}, "lang": {tpl.Lang}, "description": {tpl.Description}, "rev": {strconv.Itoa(tpl.Rev)}}
	if tpl.Active {
		f.Set("active", "1")
	}
	for i, st := range tpl.Steps {
		f.Set(fmt.Sprintf("s%d_phase", i), string(st.Phase))
		f.Set(fmt.Sprintf("s%d_title", i), st.Title)
		f.Set(fmt.Sprintf("s%d_description", i), st.Description)
		f.Set(fmt.Sprintf("s%d_hours", i), strconv.FormatFloat(float64(st.DueAfterMinutes)/60, 'f', -1, 64))
	}
	return f
}

func (s *server) adminPlaybooks(rq *request) error {
	v, err := s.playbooksView(rq, nil, pbBlankRows+2)
	if err != nil {
		return err
	}
	return rq.renderForm(http.StatusOK, "playbook_admin", v, url.Values{"lang": {rq.lang.code}, "active": {"1"}}, nil)
}

func (s *server) adminPlaybook(rq *request) error {
	tpl, err := s.desk.PlaybookTemplate(rq.ctx, groupID(rq))
	if err != nil {
		return err
	}
	v, err := s.playbooksView(rq, tpl, len(tpl.Steps)+pbBlankRows)
	if err != nil {
		return err
	}
	return rq.renderForm(http.StatusOK, "playbook_admin_edit", v, playbookForm(tpl), nil)
}

// readPlaybook reads the editor: rows with no title are left out, the
// others keep their order; rowOf maps a step to its row, and errs holds
// the hours that are no number.
func readPlaybook(rq *request) (in desk.PlaybookTemplateInput, rows int, rowOf []int, errs map[string]string) {
	f := rq.r.PostForm
	active := f.Get("active") == "1"
	in = desk.PlaybookTemplateInput{Name: f.Get("name"), Lang: f.Get("lang"), Description: f.Get("description"), Active: &active}
	in.Rev, _ = strconv.Atoi(f.Get("rev"))
	errs = map[string]string{}
	for i := 0; i <= playbook.MaxSteps+pbBlankRows; i++ {
		p := fmt.Sprintf("s%d_", i)
		if _, ok := f[p+"phase"]; !ok {
			break
		}
		rows++
		title := strings.TrimSpace(f.Get(p + "title"))
		if title == "" && strings.TrimSpace(f.Get(p+"description")) == "" {
			continue
		}
		hours, err := strconv.ParseFloat(strings.TrimSpace(f.Get(p+"hours")), 64)
		if err != nil {
			errs[p+"hours"] = rq.lang.T("playbook.admin.bad_hours")
		}
		in.Steps = append(in.Steps, playbook.Step{Phase: playbook.Phase(f.Get(p + "phase")), Title: title,
			Description: f.Get(p + "description"), DueAfterMinutes: int64(hours * 60)})
		rowOf = append(rowOf, i)
	}
	return in, rows, rowOf, errs
}

func (s *server) adminSavePlaybook(rq *request) error {
	in, rows, rowOf, errs := readPlaybook(rq)
	id := groupID(rq)
	var err error
	if len(errs) == 0 {
		if _, err = s.desk.SavePlaybookTemplate(rq.ctx, id, in); err == nil {
			return rq.redirect("/admin/playbooks?done=playbook_saved")
		}
		errs = playbookFieldErrors(rq, err, rowOf)
		if errs == nil {
			return err
		}
	}
	page, v := "playbook_admin", (*adminPlaybooksView)(nil)
	if v, err = s.playbooksView(rq, nil, rows); err != nil {
		return err
	}
	if id != 0 {
		page = "playbook_admin_edit"
		if v.Template, err = s.desk.PlaybookTemplate(rq.ctx, id); err != nil {
			return err
		}
	}
	return rq.renderForm(http.StatusUnprocessableEntity, page, v, rq.r.PostForm, errs)
}

// playbookFieldErrors names the desk's refusals by the editor's fields
// (steps[i].title → s<row>_title); nil for an error of no field but a
// stale revision, said above the form.
func playbookFieldErrors(rq *request, err error, rowOf []int) map[string]string {
	if desk.ErrorCode(err) == desk.ESTALE {
		return map[string]string{"": rq.lang.T("playbook.admin.stale")}
	}
	fe := fieldErrors(rq, err)
	if fe == nil {
		return nil
	}
	out := map[string]string{}
	for k, msg := range fe {
		var i int
		var field string
		if n, _ := fmt.Sscanf(strings.Replace(k, "].", "] ", 1), "steps[%d] %s", &i, &field); n == 2 && i < len(rowOf) {
			if field == "due_after_minutes" {
				field = "hours"
			}
			k = fmt.Sprintf("s%d_%s", rowOf[i], field)
		}
		out[k] = msg
	}
	return out
}
