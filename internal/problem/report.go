package problem

import (
	"context"
	"sort"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// ProblemUse is one problem in the report.
type ProblemUse struct {
	ID              int64
	Title           string
	State           State
	Incidents       int
	FirstIncidentAt *time.Time
	KnownErrorAt    *time.Time
}

// Number is the problem's number.
func (u ProblemUse) Number() string { return Number(u.ID) }

// ToKnownError is the time from its first incident to the known error;
// ok is false when it is not (yet) one or has no incident.
func (u ProblemUse) ToKnownError() (time.Duration, bool) {
	if u.FirstIncidentAt == nil || u.KnownErrorAt == nil {
		return 0, false
	}
	return max(u.KnownErrorAt.Sub(*u.FirstIncidentAt), 0), true
}

// KnownErrorAfter is ToKnownError for a page: nil when there is none.
func (u ProblemUse) KnownErrorAfter() *time.Duration {
	if d, ok := u.ToKnownError(); ok {
		return &d
	}
	return nil
}

// Report is problem management in a period [From, To).
type Report struct {
	From, To time.Time
	// Problems are those opened, made known errors or resolved in the
	// period, most incidents first, at most 50 (the store returns them
	// all; the median counts them all).
	Problems    []ProblemUse
	Opened      int // problems recorded in the period
	KnownErrors int // problems that became known errors in the period
	Resolved    int // problems resolved in the period
	Linked      int // incidents linked to any problem in the period
	// MedianToKnownError is the median time from first incident to known
	// error of the problems that became known errors in the period.
	MedianToKnownError time.Duration
}

// Summarise computes the figures derived from Problems.
func (r *Report) Summarise() {
	var d []time.Duration
	for _, p := range r.Problems {
		if p.KnownErrorAt == nil || p.KnownErrorAt.Before(r.From) || !p.KnownErrorAt.Before(r.To) {
			continue
		}
		if v, ok := p.ToKnownError(); ok {
			d = append(d, v)
		}
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	switch n := len(d); {
	case n == 0:
		r.MedianToKnownError = 0
	case n%2 == 1:
		r.MedianToKnownError = d[n/2]
	default:
		r.MedianToKnownError = (d[n/2-1] + d[n/2]) / 2
	}
}

// Report returns problem management's figures for [from, to) (staff).
func (s *Service) Report(ctx context.Context, from, to time.Time) (*Report, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if !to.After(from) {
		return nil, desk.InvalidFields(desk.Invalid("to", desk.RuleNotAfter, desk.Params{"after": "from"}, "must come after from"))
	}
	r, err := s.store.ProblemReport(ctx, from, to)
	if err != nil {
		return nil, err
	}
	r.From, r.To = from, to
	r.Summarise()
	sort.SliceStable(r.Problems, func(i, j int) bool { return r.Problems[i].Incidents > r.Problems[j].Incidents })
	if len(r.Problems) > 50 {
		r.Problems = r.Problems[:50]
	}
	return r, nil
}
