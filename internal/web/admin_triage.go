package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
)

// Administration: automatic triage — the model in use (its version, when
// it was trained and its accuracy on held-back tickets by field), the
// confidence above which the desk applies a suggestion by itself, the
// retraining period, a button to retrain now, and how the desk's own
// decisions fared with the people who worked the tickets (the last 30
// days). The triage service decides who may see and change them
// (administrators).

func init() {
	registerArea("admin_triage", func(s *server) {
		if s.opts.Triage == nil {
			return
		}
		s.get("/admin/triage", staffOnly, s.adminTriage)
		s.post("/admin/triage/settings", staffOnly, s.adminTriageSettings)
		s.post("/admin/triage/training", staffOnly, s.adminTriageTraining)
		s.addNav(navItem{Path: "/admin/triage", Key: "nav.admin_triage", Who: staffOnly, Order: 58, Admin: true})
	})
}

type adminTriageView struct {
	Model    *desk.TriageModel
	Fields   []triageFieldRow
	Settings *triagedesk.Settings
	Hours    int
	Report   []triageReportRow
}

type triageFieldRow struct {
	desk.TriageField
	Pct string
}

type triageReportRow struct {
	triagedesk.FieldReport
	Pct string
}

func pct(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + " %" }

func (s *server) triageView(rq *request) (*adminTriageView, error) {
	m, set, err := s.opts.Triage.Model(rq.ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	rep, err := s.opts.Triage.Report(rq.ctx, now.Add(-30*24*time.Hour), now.Add(time.Minute))
	if err != nil {
		return nil, err
	}
	v := &adminTriageView{Model: m, Settings: set, Hours: int(set.RetrainEvery / time.Hour)}
	if m != nil {
		for _, f := range m.Fields {
			v.Fields = append(v.Fields, triageFieldRow{f, pct(f.Accuracy)})
		}
	}
	v.Report = triageRows(rep)
	return v, nil
}

// triageRows are the report's fields with their accuracy, "—" where
// nothing is measured yet.
func triageRows(rep []triagedesk.FieldReport) []triageReportRow {
	var out []triageReportRow
	for _, r := range rep {
		row := triageReportRow{r, "—"}
		if r.Kept+r.Corrected > 0 {
			row.Pct = pct(r.Accuracy)
		}
		out = append(out, row)
	}
	return out
}

func (s *server) adminTriage(rq *request) error {
	v, err := s.triageView(rq)
	if err != nil {
		return err
	}
	return rq.ok("admin_triage", v)
}

func (s *server) adminTriageSettings(rq *request) error {
	pct, err := strconv.Atoi(rq.r.PostFormValue("auto_percent"))
	if err != nil {
		pct = -1 // refused below as out of range
	}
	hours, err := strconv.Atoi(rq.r.PostFormValue("retrain_every_hours"))
	if err != nil || hours > 1<<20 {
		hours = 0
	}
	_, err = s.opts.Triage.SaveSettings(rq.ctx, pct, time.Duration(hours)*time.Hour)
	if fe := fieldErrors(rq, err); fe != nil {
		v, verr := s.triageView(rq)
		if verr != nil {
			return verr
		}
		return rq.renderForm(http.StatusUnprocessableEntity, "admin_triage", v, rq.r.PostForm, fe)
	}
	if err != nil {
		return err
	}
	return rq.redirect("/admin/triage?done=triage_saved")
}

func (s *server) adminTriageTraining(rq *request) error {
	if _, err := s.opts.Triage.RequestTraining(rq.ctx); err != nil {
		return err
	}
	return rq.redirect("/admin/triage?done=triage_training")
}
