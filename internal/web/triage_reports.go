package web

import (
	"time"

	"github.com/tierdesk/tierdesk/internal/triagedesk"
)

// Triage's part of the reports page (issue 13): for the same days, the
// fields the desk set by itself, how many people confirmed or corrected
// and the accuracy that leaves, by field; and how often a resolution was
// copied from an earlier ticket (the figures GET /api/v1/reports/triage
// serves).

// triageReportView is that part of the page.
type triageReportView struct {
	Fields      []triageReportRow
	Reuse       triagedesk.ReuseReport
	ReusePct    float64
	AnyDecision bool
}

// triageReportFor reads the triage report of [from, to); nil without
// triage.
func (s *server) triageReportFor(rq *request, from, to time.Time) (*triageReportView, error) {
	if s.opts.Triage == nil {
		return nil, nil
	}
	fields, err := s.opts.Triage.Report(rq.ctx, from, to)
	if err != nil {
		return nil, err
	}
	v := &triageReportView{}
	if v.Reuse, err = s.opts.Triage.Reuse(rq.ctx, from, to); err != nil {
		return nil, err
	}
	v.ReusePct = 100 * v.Reuse.ReuseRate
	v.Fields = triageRows(fields)
	for _, f := range fields {
		v.AnyDecision = v.AnyDecision || f.Decided > 0
	}
	return v, nil
}
