package desk

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
)

// QueueName names one of the agent console's predefined queues.
type QueueName string

// The predefined queues. "My groups" is the actor's groups; for staff in no
// group (an administrator, say) it is every ticket they may see.
const (
	QueueMine       QueueName = "mine"       // open, assigned to the actor
	QueueMyGroups   QueueName = "groups"     // open, in the actor's groups
	QueueUnassigned QueueName = "unassigned" // open, in the actor's groups, nobody assigned
	// QueueAboutToBreach holds open tickets of the actor's groups whose next
	// deadline falls within the window (default DefaultBreachWindow) from now.
	QueueAboutToBreach QueueName = "about_to_breach"
	// QueueBreached holds open tickets of the actor's groups whose next
	// deadline has passed: a clock still ticking is over its target.
	QueueBreached QueueName = "breached"
	QueueOnHold   QueueName = "on_hold" // on hold, in the actor's groups
)

// Queues lists the predefined queues in the order the console shows them.
var Queues = []QueueName{QueueMine, QueueMyGroups, QueueUnassigned, QueueAboutToBreach, QueueBreached, QueueOnHold}

// DefaultBreachWindow is how far ahead "about to breach" looks by default;
// MaxBreachWindow bounds what a caller may ask for.
const (
	DefaultBreachWindow = time.Hour
	MaxBreachWindow     = 7 * 24 * time.Hour
)

// QueueOptions pages a queue.
type QueueOptions struct {
	// Within is the about-to-breach window; 0 means DefaultBreachWindow.
	Within time.Duration
	// Sort defaults to SortSLA (most urgent first).
	Sort   TicketSort
	Desc   bool
	Cursor string // from the previous page of the same queue and options
	Limit  int
	Total  bool
	// TotalMax caps the count (see TicketFilter.TotalMax).
	TotalMax int
}

// QueueFilter is the ticket filter of queue name for u at now. It is pure:
// the time-bounded queues take their bounds from now, which a queue cursor
// keeps so that every page of one listing uses the same instant.
func QueueFilter(name QueueName, u *User, now time.Time, within time.Duration) (TicketFilter, error) {
	if within == 0 {
		within = DefaultBreachWindow
	}
	if within < 0 || within > MaxBreachWindow {
		return TicketFilter{}, fieldErr("within", RuleOutOfRange, Params{"min": 1, "max": int(MaxBreachWindow / time.Minute), "unit": "minutes"}, "must be more than 0 and at most %s", MaxBreachWindow)
	}
	f := TicketFilter{States: OpenStates, Sort: SortSLA}
	for _, g := range u.Groups {
		f.GroupIDs = append(f.GroupIDs, g.ID)
	}
	switch name {
	case QueueMine:
		f.GroupIDs, f.AssigneeID = nil, ptr(u.ID)
	case QueueMyGroups:
	case QueueUnassigned:
		f.AssigneeID = ptr(int64(0))
	case QueueAboutToBreach:
		f.SLADueFrom, f.SLADueTo = ptr(now), ptr(now.Add(within))
	case QueueBreached:
		f.SLADueTo = ptr(now)
	case QueueOnHold:
		f.States = []State{StateOnHold}
	default:
		return TicketFilter{}, Errorf(ENOTFOUND, "no queue %q", name)
	}
	return f, nil
}

func fieldErr(field string, rule Rule, params Params, format string, args ...any) error {
	return InvalidFields(Invalid(field, rule, params, format, args...))
}

// queueCursor carries the instant a queue listing started at, so that its
// later pages select by the same bounds, and the store's cursor.
type queueCursor struct {
	At    int64  `json:"a"` // Unix microseconds
	Store string `json:"c"`
}

func encodeQueueCursor(at time.Time, store string) string {
	if store == "" {
		return ""
	}
	b, _ := json.Marshal(queueCursor{At: at.UnixMicro(), Store: store}) // plain values always marshal
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeQueueCursor(s string) (time.Time, string, error) {
	var c queueCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || c.Store == "" {
		return time.Time{}, "", fieldErr("cursor", RuleInvalidFmt, Params{"format": "cursor"}, "malformed cursor or one from another list")
	}
	return time.UnixMicro(c.At).UTC(), c.Store, nil
}

// Queue returns one page of a predefined queue for the actor (staff only).
func (s *Desk) Queue(ctx context.Context, name QueueName, o QueueOptions) (*TicketPage, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	// A queue of the actor's groups is counted exactly from the dashboard's
	// counters, which cost the same at any desk size; "mine" is counted
	// from its index, up to CountCap.
	counted := o.Total && name != QueueMine
	if counted {
		o.Total = false
	}
	var at time.Time
	page, err := s.listAt(ctx, o, func(now time.Time) (TicketFilter, error) {
		at = now
		f, err := QueueFilter(name, u, now, o.Within)
		if o.Sort != "" {
			f.Sort = o.Sort
		}
		f.Desc = o.Desc
		return f, err
	})
	if err != nil || !counted {
		return page, err
	}
	within := o.Within
	if within == 0 {
		within = DefaultBreachWindow
	}
	n, err := s.store.GroupQueueCounts(ctx, groupScope(u), at, at.Add(within))
	if err != nil {
		return nil, fmt.Errorf("count queue %s: %w", name, err)
	}
	page.Total = ptr(n[name])
	return page, nil
}

// groupScope is the dashboard scope of the actor's groups, as
// QueueFilter(QueueMyGroups) selects them.
func groupScope(u *User) DashboardScope {
	scope := DashboardScope{Visibility: visibility(u)}
	for _, g := range u.Groups {
		scope.GroupIDs = append(scope.GroupIDs, g.ID)
	}
	return scope
}

// listAt lists the tickets of a filter that depends on the time, at the
// instant kept in o's cursor (now for a first page), and gives the next
// page a cursor that keeps the instant.
func (s *Desk) listAt(ctx context.Context, o QueueOptions, filter func(now time.Time) (TicketFilter, error)) (*TicketPage, error) {
	now := s.clock.Now()
	var storeCursor string
	if o.Cursor != "" {
		var err error
		if now, storeCursor, err = decodeQueueCursor(o.Cursor); err != nil {
			return nil, err
		}
	}
	f, err := filter(now)
	if err != nil {
		return nil, err
	}
	f.Cursor, f.Limit, f.Total, f.TotalMax = storeCursor, o.Limit, o.Total, o.TotalMax
	page, err := s.ListTickets(ctx, f)
	if err != nil {
		return nil, err
	}
	page.NextCursor = encodeQueueCursor(now, page.NextCursor)
	return page, nil
}

// slaStatusOf summarises the clocks of t (see SLAStatus). Only response and
// resolution count: next_update bounds how long a requester waits for news,
// which the queues do not sort by.
func slaStatusOf(t *Ticket, clocks []SLAClock) SLAStatus {
	var st SLAStatus
	for _, c := range clocks {
		var met **bool
		switch c.Kind {
		case SLAResponse:
			met = &st.ResponseMet
		case SLAResolution:
			met = &st.ResolutionMet
		default:
			continue
		}
		switch c.State {
		case ClockMet:
			*met = ptr(true)
		case ClockBreached:
			*met = ptr(false)
		}
		if t.State.IsOpen() && ticking(t, c) && c.Deadline != nil && (st.DueAt == nil || c.Deadline.Before(*st.DueAt)) {
			st.DueAt = ptr(*c.Deadline)
		}
	}
	return st
}
