package web

import (
	"errors"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Times on the security case's pages (issue 14): typed in the viewer's own
// zone (or in UTC, for an hour that happens twice), shown in it, and the
// regulators' clocks measured against the desk's clock, never the
// browser's: what is left of a deadline or by how much it is overdue is
// the server's answer as of the page, so a test clock moves it too.

// errAmbiguousLocalTime: the typed time happens twice in the zone, in the
// hour the clocks go back; the form asks for it in UTC instead of
// choosing one of the two instants silently.
var errAmbiguousLocalTime = errors.New("ambiguous local time")

// parseInstant reads an <input type="datetime-local"> value in loc,
// refusing a time the zone skips or repeats.
func parseInstant(raw string, loc *time.Location) (time.Time, error) {
	t, err := parseLocalTime(raw, loc)
	if err != nil {
		return t, err
	}
	// Another offset around t that gives the same wall clock is a repeated
	// hour (DST shifts are at most a few hours, once a night).
	_, before := t.Add(-6 * time.Hour).Zone()
	_, after := t.Add(6 * time.Hour).Zone()
	naive, err := time.Parse(callInputLayout, raw)
	if err != nil || before == after {
		return t, err
	}
	for _, off := range []int{before, after} {
		c := naive.Add(-time.Duration(off) * time.Second)
		if !c.Equal(t) && c.In(loc).Format(callInputLayout) == raw {
			return t, errAmbiguousLocalTime
		}
	}
	return t, nil
}

// instantField reads a form's time field and its zone choice (the
// viewer's zone, or "UTC"); a refused value is a message for the field.
func (rq *request) instantField(raw, zone string) (time.Time, string) {
	loc := rq.loc
	if zone == "UTC" {
		loc = time.UTC
	}
	if raw == "" {
		return time.Time{}, ""
	}
	t, err := parseInstant(raw, loc)
	switch {
	case errors.Is(err, errAmbiguousLocalTime):
		return t, rq.lang.T("breach.time.ambiguous", loc.String())
	case errors.Is(err, errNoSuchLocalTime):
		return t, rq.lang.T("breach.time.gap", loc.String())
	case err != nil:
		return t, rq.lang.T("breach.time.bad")
	}
	return t, ""
}

// localInput is t as an <input type="datetime-local"> value in loc.
func localInput(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(callInputLayout)
}

// breachClockView is one regulatory clock as a page shows it, measured
// at Now by the desk's clock.
type breachClockView struct {
	desk.BreachClock
	// Left is what remains until the deadline (running), how long it is
	// overdue (missed), or how long before or after the deadline the
	// notice was sent (met, late); always positive.
	Left time.Duration
}

func breachClockViews(cs []desk.BreachClock, now time.Time) []breachClockView {
	out := make([]breachClockView, len(cs))
	for i, c := range cs {
		v := breachClockView{BreachClock: c}
		at := now
		if c.SentAt != nil {
			at = *c.SentAt
		}
		v.Left = c.Due.Sub(at)
		if v.Left < 0 {
			v.Left = -v.Left
		}
		out[i] = v
	}
	return out
}

// breachPanel is the ticket page's summary of a security case's
// regulatory clocks (the case page has the rest).
type breachPanel struct {
	Clocks []breachClockView
	Now    time.Time
	Record bool // awareness and regimes recorded
}

// regulatoryMissed reports whether t is a security case the viewer sees
// with a regulatory deadline missed (no notice by it, or one sent late):
// the queue and list rows say so, as the case's pages do. Only security
// cases cost look-ups (the record and the notices), and only members see
// one in a list at all.
func (s *server) regulatoryMissed(rq *request, t *desk.Ticket) (bool, error) {
	if !t.Security {
		return false, nil
	}
	if t.Breach == nil { // lists do not read the breach record
		full, err := s.desk.Ticket(rq.ctx, t.Number)
		if err != nil {
			return false, err
		}
		t = full
	}
	st, err := s.desk.BreachStatusOf(rq.ctx, t)
	if err != nil || st == nil {
		return false, err
	}
	for _, c := range st.Clocks {
		if c.State == desk.BreachClockMissed || c.State == desk.BreachClockLate {
			return true, nil
		}
	}
	return false, nil
}

// breachTicketPanel is the panel for a security case the viewer sees;
// nil for any other ticket.
func (s *server) breachTicketPanel(rq *request, t *desk.Ticket) (*breachPanel, error) {
	if !t.Security {
		return nil, nil
	}
	st, err := s.desk.BreachStatusOf(rq.ctx, t)
	if err != nil || st == nil {
		return nil, err
	}
	now := s.desk.Now()
	return &breachPanel{Clocks: breachClockViews(st.Clocks, now), Now: now,
		Record: st.Case.AwareAt != nil && st.Case.Regime != ""}, nil
}
