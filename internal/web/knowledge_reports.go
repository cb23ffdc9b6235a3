package web

import (
	"time"

	"github.com/tierdesk/tierdesk/internal/knowledge"
)

// The knowledge base's part of the reports page: for the same days, the
// reuse rate, links by kind, deflected contacts, the most used articles
// and the categories in use without a published article (the figures of
// knowledge.Service.Report, which GET /api/v1/reports/knowledge serves).

// kbReportView is that part of the page.
type kbReportView struct {
	R       *knowledge.Report
	Percent float64 // ReuseRate × 100
	Rows    []kbUseRow
}

// kbUseRow is one article's use, titled in the reader's language.
type kbUseRow struct {
	knowledge.ArticleUse
	Title string
}

// kbReportFor reads the knowledge report of [from, to); nil without a
// knowledge base.
func (s *server) kbReportFor(rq *request, from, to time.Time) (*kbReportView, error) {
	if s.opts.Knowledge == nil {
		return nil, nil
	}
	r, err := s.opts.Knowledge.Report(rq.ctx, from, to)
	if err != nil {
		return nil, err
	}
	v := &kbReportView{R: r, Percent: 100 * r.ReuseRate}
	for _, u := range r.Articles {
		v.Rows = append(v.Rows, kbUseRow{ArticleUse: u, Title: u.Title(rq.lang.code)})
	}
	return v, nil
}
