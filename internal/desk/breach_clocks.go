package desk

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/breach"
)

// The regulatory clocks of a breach wired to the desk's durable timers
// (issue 14). A security case whose awareness and regimes are recorded has,
// per deadline whose notice is not yet sent, one timer per threshold of
// breach.Thresholds, kept with the ticket's SLA and page timers (the same
// table, claims and exactly-once handling) under the kind
// "breach_<deadline>" and keyed by the awareness instant (Timer.Cycle): a
// changed awareness plans its thresholds anew, a regime that no longer
// applies drops them, a notice sent stops them. The instants are
// wall-clock (awareness plus a share of the law's period): no calendar,
// no pause, whatever the ticket's state.
//
// When a threshold is reached:
//
//   - 50 % and 80 %: an internal warning event and mail to the case's
//     owners (the assignee, else the security group);
//   - 90 %: a page to the security on-call through the case group's
//     escalation policy (paging.go), said on the timeline; without an
//     active policy, or with a page already running, the event says so
//     and the owners are mailed;
//   - 100 % with no notice sent: the deadline is missed, an event
//     breach_missed with its reason code and mail to the owners. The case
//     shows it wherever it is shown (BreachStatus, the API, the pages).
//
// Every event carries a reason code (reason_breach.go), never free text.

// Timer and event kinds of the regulatory clocks.
const (
	breachTimerPrefix = "breach_"

	EventBreachWarning EventKind = "breach_warning" // 50, 80 or 90 % of a deadline (Changes: clock, percent)
	EventBreachMissed  EventKind = "breach_missed"  // a deadline passed with no notice sent (Changes: clock, percent)

	OutboxBreachWarning OutboxKind = "breach_warning" // to the owners: a deadline at 50/80 % (90 % without a page)
	OutboxBreachMissed  OutboxKind = "breach_missed"  // to the owners: a deadline missed
)

// Reasons of the regulatory clocks; clock is the deadline's kind (a
// breach.Kind), deadline its instant as "2006-01-02 15:04 UTC".
const (
	ReasonBreachWarning  ReasonCode = "breach_deadline_warning"   // clock, percent, deadline
	ReasonBreachPaging   ReasonCode = "breach_deadline_paging"    // clock, deadline, policy: the security on-call is paged
	ReasonBreachPageOn   ReasonCode = "breach_deadline_page_on"   // clock, deadline, policy: a page already runs
	ReasonBreachNoPolicy ReasonCode = "breach_deadline_no_policy" // clock, deadline, group: nobody to page, the owners mailed
	ReasonBreachMissed   ReasonCode = "breach_deadline_missed"    // clock, deadline
	ReasonBreachPage     ReasonCode = "breach_page"               // clock, deadline: why a page started
)

const breachDueLayout = "2006-01-02 15:04 UTC"

func init() {
	due := `(\d{4}-\d\d-\d\d \d\d:\d\d UTC)`
	clock := `([0-9a-z_]+)`
	reasonTexts = append(reasonTexts, []struct {
		code   ReasonCode
		text   string
		params []string
		re     *regexp.Regexp
	}{
		{ReasonBreachWarning, "regulatory deadline %s at %s%%, due %s", []string{"clock", "percent", "deadline"},
			regexp.MustCompile(`^regulatory deadline ` + clock + ` at (\d+)%, due ` + due + `$`)},
		{ReasonBreachPaging, "regulatory deadline %s at 90%%, due %s: paging the security on-call (%s)", []string{"clock", "deadline", "policy"},
			regexp.MustCompile(`^regulatory deadline ` + clock + ` at 90%, due ` + due + `: paging the security on-call \((.+)\)$`)},
		{ReasonBreachPageOn, "regulatory deadline %s at 90%%, due %s: a page of the security on-call already runs (%s)", []string{"clock", "deadline", "policy"},
			regexp.MustCompile(`^regulatory deadline ` + clock + ` at 90%, due ` + due + `: a page of the security on-call already runs \((.+)\)$`)},
		{ReasonBreachNoPolicy, "regulatory deadline %s at 90%%, due %s: %s has no active escalation policy to page", []string{"clock", "deadline", "group"},
			regexp.MustCompile(`^regulatory deadline ` + clock + ` at 90%, due ` + due + `: (.+) has no active escalation policy to page$`)},
		{ReasonBreachMissed, "regulatory deadline %s missed: due %s, no notice sent", []string{"clock", "deadline"},
			regexp.MustCompile(`^regulatory deadline ` + clock + ` missed: due ` + due + `, no notice sent$`)},
		{ReasonBreachPage, "regulatory deadline %s due %s", []string{"clock", "deadline"},
			regexp.MustCompile(`^regulatory deadline ` + clock + ` due ` + due + `$`)},
	}...)
}

func breachTimerKind(k breach.Kind) TimerKind { return TimerKind(breachTimerPrefix + string(k)) }

func breachKindOf(tk TimerKind) (breach.Kind, bool) {
	k, ok := strings.CutPrefix(string(tk), breachTimerPrefix)
	return breach.Kind(k), ok
}

// breachDeadlines are the deadlines of t's record whose notice is not
// sent (none until awareness and regimes are recorded).
func breachDeadlines(t *Ticket, sent map[breach.Kind]time.Time) []breach.Deadline {
	b := t.Breach
	if !t.Security || b == nil || b.AwareAt == nil || b.Regime == "" {
		return nil
	}
	ds, err := breach.Deadlines(*b.AwareAt, b.Regime, *b.AwareAt)
	if err != nil {
		return nil
	}
	return slices.DeleteFunc(ds, func(d breach.Deadline) bool { _, ok := sent[d.Kind]; return ok })
}

// breachTimers plans the thresholds of t's open deadlines at now: each
// one still ahead, and of those already passed only the highest (due
// now), so a case recorded late misses once rather than warning first.
func breachTimers(t *Ticket, sent map[breach.Kind]time.Time, now time.Time) []Timer {
	var out []Timer
	for _, d := range breachDeadlines(t, sent) {
		passed := -1
		for i, pct := range breach.Thresholds {
			if at := d.At(pct); at.After(now) {
				out = append(out, Timer{TicketID: t.ID, Kind: breachTimerKind(d.Kind), Percent: pct, Cycle: d.Start, DueAt: at})
			} else {
				passed = i
			}
		}
		if passed >= 0 {
			out = append(out, Timer{TicketID: t.ID, Kind: breachTimerKind(d.Kind), Percent: breach.Thresholds[passed],
				Cycle: d.Start, DueAt: now})
		}
	}
	return out
}

// withBreachTimers adds t's regulatory timers to timers.
func (s *Desk) withBreachTimers(ctx context.Context, t *Ticket, timers []Timer) ([]Timer, error) {
	if !t.Security || t.Breach == nil {
		return timers, nil
	}
	sent, err := s.noticesSent(ctx, t)
	if err != nil {
		return nil, err
	}
	return append(timers, breachTimers(t, sent, s.clock.Now())...), nil
}

// breachThreshold fires a regulatory timer if its deadline still applies
// (same awareness, regime, no notice sent) and the threshold is reached;
// otherwise the replanned timers replace it.
func (s *Desk) breachThreshold(ctx context.Context, t *Ticket, tm Timer, now time.Time, o *TimerOutcome) error {
	kind, _ := breachKindOf(tm.Kind)
	sent, err := s.noticesSent(ctx, t)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(breachDeadlines(t, sent), func(d breach.Deadline) bool { return d.Kind == kind })
	if i < 0 {
		return nil
	}
	d := breachDeadlines(t, sent)[i]
	if !d.Start.Equal(tm.Cycle) || now.Add(time.Second).Before(d.At(tm.Percent)) {
		return nil
	}
	o.Done = true
	// A higher threshold reached too speaks for both, unless this one was
	// claimed before (a runner died holding it: it is owed as it stands).
	if tm.Attempts <= 1 && slices.ContainsFunc(breach.Thresholds, func(p int) bool {
		return p > tm.Percent && !now.Add(time.Second).Before(d.At(p))
	}) {
		return nil
	}
	return s.recordBreachThreshold(ctx, t, d, tm.Percent, now, o)
}

// recordBreachThreshold adds the warning, page or miss of d at pct to o.
func (s *Desk) recordBreachThreshold(ctx context.Context, t *Ticket, d breach.Deadline, pct int, now time.Time, o *TimerOutcome) error {
	clock, due := string(d.Kind), d.Due.UTC().Format(breachDueLayout)
	changes := []Change{{Field: "clock", New: clock}, {Field: "percent", New: strconv.Itoa(pct)}}
	mail := OutboxBreachWarning
	var ev Event
	switch {
	case pct >= 100:
		mail = OutboxBreachMissed
		ev = Event{Kind: EventBreachMissed, Changes: changes}.because(ReasonBreachMissed, "clock", clock, "deadline", due)
	case pct >= 90:
		var paged bool
		var err error
		if ev, paged, err = s.pageSecurityOnCall(ctx, t, d, now, o); err != nil {
			return err
		}
		ev.Kind, ev.Changes = EventBreachWarning, changes
		if paged {
			mail = ""
		}
	default:
		ev = Event{Kind: EventBreachWarning, Changes: changes}.because(ReasonBreachWarning, "clock", clock,
			"percent", strconv.Itoa(pct), "deadline", due)
	}
	o.Events = append(o.Events, ev)
	if mail != "" {
		s.mailBreachOwners(t, mail, d, pct, o)
	}
	return nil
}

// mailBreachOwners tells the case's owners, naming the case by number only.
func (s *Desk) mailBreachOwners(t *Ticket, kind OutboxKind, d breach.Deadline, pct int, o *TimerOutcome) {
	m := OutboxMessage{Kind: kind, TicketID: t.ID, Payload: map[string]string{"ticket": t.Number,
		"clock": string(d.Kind), "percent": strconv.Itoa(pct), "deadline": d.Due.UTC().Format(time.RFC3339)}}
	if t.Assignee != nil {
		m.UserID = t.Assignee.ID
	} else {
		m.GroupID = t.Group.ID
	}
	o.Outbox = append(o.Outbox, m)
}

// pageSecurityOnCall starts a page on the case group's escalation policy
// at 90 % of a deadline: the event says whether it started, one already
// runs, or there is no active policy (then paged is false and the owners
// are mailed instead).
func (s *Desk) pageSecurityOnCall(ctx context.Context, t *Ticket, d breach.Deadline, now time.Time, o *TimerOutcome) (Event, bool, error) {
	clock, due := string(d.Kind), d.Due.UTC().Format(breachDueLayout)
	p, err := s.store.EscalationPolicy(ctx, t.Group.ID)
	if ErrorCode(err) == ENOTFOUND || err == nil && !p.Active {
		return Event{}.because(ReasonBreachNoPolicy, "clock", clock, "deadline", due, "group", t.Group.Name), false, nil
	}
	if err != nil {
		return Event{}, false, err
	}
	pages, err := s.store.TicketPages(ctx, t.ID)
	if err != nil {
		return Event{}, false, err
	}
	if slices.ContainsFunc(pages, func(pg *Page) bool { return pg.GroupID == p.GroupID && pg.State == PageActive }) {
		return Event{}.because(ReasonBreachPageOn, "clock", clock, "deadline", due, "policy", p.Name), true, nil
	}
	s.addPage(t, p, Event{}.because(ReasonBreachPage, "clock", clock, "deadline", due), now, o)
	return Event{}.because(ReasonBreachPaging, "clock", clock, "deadline", due, "policy", p.Name), true, nil
}

// breachPage reports whether a page was started by a regulatory clock: it
// runs until acknowledged, whoever has the case.
func breachPage(p *Page) bool { return p.ReasonCode == ReasonBreachPage }
