package desk

import (
	"context"
	"fmt"
	"slices"
)

// Report computes a TAT report (all staff: agents, managers and admins;
// a report shows aggregates only, so restricted tickets are counted
// without being shown). The store streams the tickets page by page; only
// the per-group durations needed for medians are kept.
func (s *Desk) Report(ctx context.Context, q ReportQuery) (*Report, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	policies, err := s.store.ListSLAPolicies(ctx)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	slices.SortStableFunc(policies, func(a, b *SLAPolicy) int {
		if a.Position != b.Position {
			return a.Position - b.Position
		}
		return int(a.ID - b.ID)
	})
	cals := map[string]*Calendar{}
	now := s.clock.Now()
	b := NewReportBuilder(q)
	err = s.store.ReportTickets(ctx, q.From, q.To, func(page []*Ticket, events map[int64][]*Event) error {
		for _, t := range page {
			if t.Security && !seesSecurityCase(u, t) {
				continue // not even counted (security.go); named members' cases are not read here
			}
			p := firstMatch(policies, t)
			var cal *Calendar
			if p != nil {
				c, err := s.cachedCalendar(ctx, cals, p.Calendar)
				if err != nil {
					return err
				}
				cal = c
			}
			b.Add(ReportFactsOf(q, t, events[t.ID], p, cal, now))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return b.Finish(now), nil
}

// firstMatch is MatchPolicy over policies already in order.
func firstMatch(sorted []*SLAPolicy, t *Ticket) *SLAPolicy {
	for _, p := range sorted {
		if p.Matches(t) {
			return p
		}
	}
	return nil
}

func (s *Desk) cachedCalendar(ctx context.Context, cache map[string]*Calendar, name string) (*Calendar, error) {
	if c, ok := cache[name]; ok {
		return c, nil
	}
	c, err := s.calendar(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("calendar %s: %w", name, err)
	}
	cache[name] = c
	return c, nil
}
