package web

import (
	"net/url"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Administration: the impact × urgency → priority matrix, one select per
// cell. The desk decides who may change it (administrators); others get
// 403. Tickets keep their priority until their impact or urgency changes.

func init() {
	registerArea("admin_matrix", func(s *server) {
		s.get("/admin/matrix", staffOnly, s.adminMatrix)
		s.post("/admin/matrix", staffOnly, s.adminSaveMatrix)
	})
	registerArea("admin_matrix_nav", func(s *server) {
		s.addNav(navItem{Path: "/admin/matrix", Key: "nav.admin_matrix", Who: staffOnly, Order: 54, Admin: true})
	})
}

// matrixRow is one impact level: its cells, one per urgency level.
type matrixRow struct {
	Impact desk.Level
	Cells  []matrixCell
}

// matrixCell is one select; Field is "<impact>.<urgency>", the name the
// desk's validation uses too.
type matrixCell struct {
	Urgency desk.Level
	Field   string
}

type adminMatrixView struct {
	Urgencies  []desk.Level
	Rows       []matrixRow
	Priorities []desk.Priority
}

func matrixView() adminMatrixView {
	v := adminMatrixView{Urgencies: desk.Levels, Priorities: desk.Priorities}
	for _, imp := range desk.Levels {
		row := matrixRow{Impact: imp}
		for _, urg := range desk.Levels {
			row.Cells = append(row.Cells, matrixCell{Urgency: urg, Field: string(imp) + "." + string(urg)})
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

func (s *server) adminMatrix(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	m, err := s.desk.Matrix(rq.ctx)
	if err != nil {
		return err
	}
	form := url.Values{}
	for _, imp := range desk.Levels {
		for _, urg := range desk.Levels {
			form.Set(string(imp)+"."+string(urg), string(m.Priority(imp, urg)))
		}
	}
	return rq.renderForm(200, "admin_matrix", matrixView(), form, nil)
}

func (s *server) adminSaveMatrix(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	var m desk.Matrix
	for _, imp := range desk.Levels {
		for _, urg := range desk.Levels {
			m.Set(imp, urg, desk.Priority(rq.r.PostFormValue(string(imp)+"."+string(urg))))
		}
	}
	err := s.desk.SetMatrix(rq.ctx, m)
	if err == nil {
		return rq.redirect("/admin/matrix?done=matrix_saved")
	}
	errs := fieldErrors(rq, err)
	if errs == nil {
		return err
	}
	for f := range errs { // the desk's words are English; the cell says which
		errs[f] = rq.lang.T("admin.matrix.err.cell")
	}
	return rq.renderForm(422, "admin_matrix", matrixView(), rq.r.PostForm, errs)
}
