package problem

import (
	"context"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// CandidateQuery selects candidate clusters: incidents reported since
// Since with the same category and service, none linked to a problem, at
// least Min of them. Restricted incidents are left out: a cluster must not
// tell of tickets its readers may not see.
type CandidateQuery struct {
	Since time.Time
	Min   int // 0: 3
	Limit int // 0: 20
}

// Candidate is a cluster of similar recent incidents with no problem yet:
// a repeated root cause for line 2 or 3 to look into.
type Candidate struct {
	Category  *desk.Ref
	Service   *desk.Ref // nil: incidents with no service
	Incidents int
	First     time.Time
	Last      time.Time
	Tickets   []string // the newest numbers, at most 5
}

// DefaultWindow is how far back candidates look unless asked otherwise.
const DefaultWindow = 7 * 24 * time.Hour

// Candidates returns clusters of incidents of the last window (0: 7 days)
// with the same category and service and no problem, largest first
// (staff). Similarity by text comes with the search and triage work; until
// then the cluster is category + service + time.
func (s *Service) Candidates(ctx context.Context, window time.Duration, minIncidents int) ([]Candidate, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if window <= 0 {
		window = DefaultWindow
	}
	if window > 366*24*time.Hour {
		return nil, desk.InvalidFields(desk.Invalid("window", desk.RuleTooLarge, desk.Params{"max": "366 days"}, "must be at most 366 days"))
	}
	if minIncidents <= 0 {
		minIncidents = 3
	}
	return s.store.Candidates(ctx, CandidateQuery{Since: s.since(window), Min: minIncidents, Limit: 20})
}
