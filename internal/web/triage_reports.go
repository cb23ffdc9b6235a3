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
	// Acceptance is what line 1 did with the register form's
	// suggestions, by field; AnySuggested: some ticket had one.
	Acceptance   []acceptanceRow
	AnySuggested bool
}

// acceptanceRow is one field's acceptance with its rate written out.
type acceptanceRow struct {
	triagedesk.AcceptanceReport
	Pct string
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
	acc, err := s.opts.Triage.Acceptance(rq.ctx, from, to)
	if err != nil {
		return nil, err
	}
	for _, a := range acc {
		row := acceptanceRow{a, "—"}
		if a.Suggested > 0 {
			row.Pct, v.AnySuggested = pct(a.Rate), true
		}
		v.Acceptance = append(v.Acceptance, row)
	}
	return v, nil
}
