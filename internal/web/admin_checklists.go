package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/diagnosis"
)

// Administration: line 1's diagnosis checklists — one a category (or a
// category and a service), its ordered questions in English and Russian
// answered yes/no or with text, and what escalating a ticket whose
// checklist nobody answered takes (warn or require). Staff read them;
// the diagnosis service lets only administrators change them.

func init() {
	registerArea("admin_checklists", func(s *server) {
		if s.opts.Diagnosis == nil {
			return
		}
		s.get("/admin/checklists", staffOnly, s.adminChecklists)
		s.post("/admin/checklists", staffOnly, s.adminSaveChecklist)
		s.post("/admin/checklists/mode", staffOnly, s.adminChecklistMode)
		s.get("/admin/checklists/{id}", staffOnly, s.adminChecklist)
		s.post("/admin/checklists/{id}", staffOnly, s.adminSaveChecklist)
		s.post("/admin/checklists/{id}/delete", staffOnly, s.adminDeleteChecklist)
		s.addNav(navItem{Path: "/admin/checklists", Key: "nav.admin_checklists", Who: staffOnly, Order: 57, Admin: true})
	})
}

// dxBlankRows are the empty question rows the editor offers to fill.
const dxBlankRows = 3

type adminChecklistsView struct {
	Checklists []*diagnosis.Checklist
	Checklist  *diagnosis.Checklist // the one edited; nil on the list
	Rows       []int                // the editor's question rows
	Mode       diagnosis.Mode
	Categories []*desk.Category
	Services   []*desk.Service
	Kinds      []diagnosis.Kind
}

func (s *server) checklistsView(rq *request, c *diagnosis.Checklist, rows int) (*adminChecklistsView, error) {
	v := &adminChecklistsView{Checklist: c, Kinds: diagnosis.Kinds}
	var err error
	if v.Checklists, err = s.opts.Diagnosis.Checklists(rq.ctx); err != nil {
		return nil, err
	}
	if v.Mode, err = s.opts.Diagnosis.Mode(rq.ctx); err != nil {
		return nil, err
	}
	if v.Categories, err = s.desk.Categories(rq.ctx); err != nil {
		return nil, err
	}
	if v.Services, err = s.desk.Services(rq.ctx); err != nil {
		return nil, err
	}
	for i := range rows {
		v.Rows = append(v.Rows, i)
	}
	return v, nil
}

// checklistForm is a checklist's values as the editor shows them.
func checklistForm(c *diagnosis.Checklist) url.Values {
	f := url.Values{"category": {strconv.FormatInt(c.Category.ID, 10)}, "version": {strconv.Itoa(c.Version)}}
	if c.Service != nil {
		f.Set("service", strconv.FormatInt(c.Service.ID, 10))
	}
	for i, it := range c.Items {
		f.Set(fmt.Sprintf("q%d_en", i), it.Question["en"])
		f.Set(fmt.Sprintf("q%d_ru", i), it.Question["ru"])
		f.Set(fmt.Sprintf("q%d_kind", i), string(it.Kind))
	}
	return f
}

func (s *server) adminChecklists(rq *request) error {
	v, err := s.checklistsView(rq, nil, dxBlankRows+2)
	if err != nil {
		return err
	}
	return rq.renderForm(http.StatusOK, "admin_checklists", v, url.Values{"mode": {string(v.Mode)}}, nil)
}

func (s *server) adminChecklist(rq *request) error {
	c, err := s.opts.Diagnosis.Checklist(rq.ctx, groupID(rq))
	if err != nil {
		return err
	}
	v, err := s.checklistsView(rq, c, len(c.Items)+dxBlankRows)
	if err != nil {
		return err
	}
	return rq.renderForm(http.StatusOK, "admin_checklist", v, checklistForm(c), nil)
}

// readChecklist reads the editor: rows with no question in either
// language are left out, the others keep their order.
func readChecklist(rq *request) (*diagnosis.Checklist, int) {
	f := rq.r.PostForm
	cat, _ := strconv.ParseInt(f.Get("category"), 10, 64)
	c := &diagnosis.Checklist{ID: groupID(rq), Category: desk.Ref{ID: cat}}
	if svc, _ := strconv.ParseInt(f.Get("service"), 10, 64); svc > 0 {
		c.Service = &desk.Ref{ID: svc}
	}
	rows := 0
	for i := 0; i <= diagnosis.MaxItems+dxBlankRows; i++ {
		if _, ok := f[fmt.Sprintf("q%d_kind", i)]; !ok {
			break
		}
		rows++
		en, ru := strings.TrimSpace(f.Get(fmt.Sprintf("q%d_en", i))), strings.TrimSpace(f.Get(fmt.Sprintf("q%d_ru", i)))
		if en == "" && ru == "" {
			continue
		}
		c.Items = append(c.Items, diagnosis.Item{Question: map[string]string{"en": en, "ru": ru},
			Kind: diagnosis.Kind(f.Get(fmt.Sprintf("q%d_kind", i)))})
	}
	version, _ := strconv.Atoi(f.Get("version"))
	c.Version = version
	return c, rows
}

func (s *server) adminSaveChecklist(rq *request) error {
	c, rows := readChecklist(rq)
	var err error
	if c.ID == 0 {
		err = s.opts.Diagnosis.Create(rq.ctx, c)
	} else {
		err = s.opts.Diagnosis.Save(rq.ctx, c, c.Version)
	}
	if err == nil {
		return rq.redirect("/admin/checklists?done=checklist_saved")
	}
	fe := fieldErrors(rq, err)
	if fe == nil {
		if code := desk.ErrorCode(err); code != desk.ECONFLICT && code != desk.ESTALE {
			return err
		}
		fe = map[string]string{"": rq.errorText(err)}
	}
	page, id := "admin_checklists", c.ID
	if id != 0 {
		page = "admin_checklist"
	}
	v, verr := s.checklistsView(rq, nil, rows)
	if verr != nil {
		return verr
	}
	if id != 0 {
		v.Checklist = c
	}
	return rq.renderForm(http.StatusUnprocessableEntity, page, v, rq.r.PostForm, fe)
}

func (s *server) adminChecklistMode(rq *request) error {
	err := s.opts.Diagnosis.SetMode(rq.ctx, diagnosis.Mode(rq.r.PostFormValue("mode")))
	if fe := fieldErrors(rq, err); fe != nil {
		v, verr := s.checklistsView(rq, nil, dxBlankRows+2)
		if verr != nil {
			return verr
		}
		return rq.renderForm(http.StatusUnprocessableEntity, "admin_checklists", v, rq.r.PostForm, fe)
	}
	if err != nil {
		return err
	}
	return rq.redirect("/admin/checklists?done=checklist_mode")
}

func (s *server) adminDeleteChecklist(rq *request) error {
	if err := s.opts.Diagnosis.Delete(rq.ctx, groupID(rq)); err != nil {
		return err
	}
	return rq.redirect("/admin/checklists?done=checklist_deleted")
}
