package desk

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// CallKind is how a ticket call takes place.
type CallKind string

// Call kinds.
const (
	CallPhone CallKind = "phone"
	CallVideo CallKind = "video"
)

// CallKinds lists every call kind.
var CallKinds = []CallKind{CallPhone, CallVideo}

// Call limits.
const (
	MaxCallDuration = 8 * time.Hour
	MaxMeetingURL   = 2_000
)

// CallSpec is what scheduling a call takes: a one-to-one phone or video
// session between line 2 (or any staff) and the requester.
type CallSpec struct {
	Start      time.Time
	Duration   time.Duration
	Kind       CallKind
	Phone      string // phone calls: the number to call
	MeetingURL string // video calls: an http(s) link
	Note       string
	IfVersion  int
}

// Call is a scheduled (or canceled) call on a ticket.
type Call struct {
	ID         int64
	TicketID   int64
	Start      time.Time
	Duration   time.Duration
	Kind       CallKind
	Phone      string
	MeetingURL string
	Note       string
	CreatedBy  Ref
	CreatedAt  time.Time
	CanceledAt *time.Time
	CanceledBy *Ref
	// Sequence is the iCalendar SEQUENCE of the latest invitation sent
	// (0 when scheduled, 1 once canceled).
	Sequence int
}

// Call events on the ticket timeline (public: the requester sees them).
const (
	EventCallScheduled EventKind = "call_scheduled"
	EventCallCanceled  EventKind = "call_canceled"
)

// CallStore keeps ticket calls.
type CallStore interface {
	// ScheduleCall stores c (assigning c.ID, c.TicketID = t.ID) with t's
	// events in one transaction, provided t's version is current (ESTALE
	// otherwise); t is stored as given and its version incremented.
	ScheduleCall(ctx context.Context, t *Ticket, c *Call, events []Event) error
	// CancelCall marks the call canceled (CanceledAt, CanceledBy, Sequence
	// from c) with t's events in one transaction, provided t's version is
	// current and the call is not canceled yet (ECONFLICT).
	CancelCall(ctx context.Context, t *Ticket, c *Call, events []Event) error
	// GetCall returns one call (ENOTFOUND if none).
	GetCall(ctx context.Context, id int64) (*Call, error)
	// TicketCalls lists a ticket's calls by start time.
	TicketCalls(ctx context.Context, ticketID int64) ([]*Call, error)
}

// ScheduleCall schedules a call with the requester (staff only). It is a
// public event on the ticket, and the requester gets an invitation
// (iCalendar REQUEST) unless they turned it off.
func (s *Desk) ScheduleCall(ctx context.Context, ref string, spec CallSpec) (*Call, *Ticket, error) {
	type result struct {
		c *Call
		t *Ticket
	}
	r, err := retryStale(spec.IfVersion, func() (result, error) {
		c, t, err := s.scheduleCall(ctx, ref, spec)
		return result{c, t}, err
	})
	return r.c, r.t, err
}

func (s *Desk) scheduleCall(ctx context.Context, ref string, spec CallSpec) (*Call, *Ticket, error) {
	u, t, err := s.forChange(ctx, ref, spec.IfVersion, requireStaff)
	if err != nil {
		return nil, nil, err
	}
	now := s.clock.Now()
	if err := checkCall(&spec, now); err != nil {
		return nil, nil, err
	}
	if !t.State.IsOpen() {
		return nil, nil, Refusef(ECONFLICT, RuleNotOpen, Params{"state": string(t.State)}, "ticket %s is %s: calls are scheduled on open tickets", t.Number, t.State)
	}
	c := &Call{TicketID: t.ID, Start: spec.Start.UTC(), Duration: spec.Duration, Kind: spec.Kind,
		Phone: spec.Phone, MeetingURL: spec.MeetingURL, Note: spec.Note,
		CreatedBy: Ref{ID: u.ID, Name: u.Name}, CreatedAt: now}
	ev := Event{Kind: EventCallScheduled, Public: true, Body: spec.Note, Changes: callChanges(c)}
	t.UpdatedAt = now
	events := []Event{ev}
	stamp(events, u, now)
	if err := s.callNotice(ctx, t, u, c, OutboxCallScheduled, &events[0]); err != nil {
		return nil, nil, err
	}
	if err := s.store.ScheduleCall(ctx, t, c, events); err != nil {
		return nil, nil, fmt.Errorf("schedule call on %s: %w", t.Number, err)
	}
	return c, t, nil
}

// checkCall validates a call: a future start, a sensible duration, a phone
// number for phone calls and an http(s) link for video calls.
func checkCall(spec *CallSpec, now time.Time) error {
	var v validation
	v.enum("kind", string(spec.Kind), names(CallKinds), true)
	switch {
	case spec.Start.IsZero():
		v.add("start", RuleRequired, nil, "is required")
	case !spec.Start.After(now):
		v.add("start", RuleInPast, nil, "must be in the future")
	}
	if spec.Duration < time.Minute || spec.Duration > MaxCallDuration {
		v.add("duration_minutes", RuleOutOfRange, Params{"min": 1, "max": int(MaxCallDuration / time.Minute), "unit": "minutes"}, "must be between 1 and %d minutes", int(MaxCallDuration/time.Minute))
	}
	spec.Phone = strings.TrimSpace(spec.Phone)
	spec.MeetingURL = strings.TrimSpace(spec.MeetingURL)
	v.text("phone", spec.Phone, MaxPhoneLen, spec.Kind == CallPhone)
	v.text("note", spec.Note, MaxReason, false)
	switch {
	case spec.Kind == CallVideo && spec.MeetingURL == "":
		v.add("meeting_url", RuleRequired, nil, "is required for a video call")
	case spec.MeetingURL != "":
		u, err := url.Parse(spec.MeetingURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(spec.MeetingURL) > MaxMeetingURL {
			v.add("meeting_url", RuleInvalidFmt, Params{"format": "url", "max": MaxMeetingURL}, "must be an http or https link of at most %d characters", MaxMeetingURL)
		}
	}
	return v.err()
}

func callChanges(c *Call) []Change {
	ch := []Change{{Field: "call_id", New: strconv.FormatInt(c.ID, 10)},
		{Field: "start", New: c.Start.UTC().Format(time.RFC3339)},
		{Field: "duration_minutes", New: strconv.Itoa(int(c.Duration / time.Minute))},
		{Field: "kind", New: string(c.Kind)}}
	if c.Phone != "" {
		ch = append(ch, Change{Field: "phone", New: c.Phone})
	}
	if c.MeetingURL != "" {
		ch = append(ch, Change{Field: "meeting_url", New: c.MeetingURL})
	}
	return ch
}

// callNotice queues the invitation or cancellation to the requester on ev.
// The call id is filled by the store (payload "call_id") once known.
func (s *Desk) callNotice(ctx context.Context, t *Ticket, u *User, c *Call, kind OutboxKind, ev *Event) error {
	n := notifier{s: s, t: t, actor: u, now: s.clock.Now()}
	extra := map[string]string{"call_start": c.Start.UTC().Format(time.RFC3339),
		"call_minutes": strconv.Itoa(int(c.Duration / time.Minute)), "call_kind": string(c.Kind),
		"call_phone": c.Phone, "call_url": c.MeetingURL, "call_note": c.Note,
		"call_sequence": strconv.Itoa(c.Sequence), "organizer": c.CreatedBy.Name}
	if c.ID != 0 {
		extra["call_id"] = strconv.FormatInt(c.ID, 10)
	}
	msgs, err := n.messages(ctx, kind, []int64{t.Requester.ID}, extra)
	ev.Notify = append(ev.Notify, msgs...)
	return err
}

// CancelCall calls off a scheduled call (staff only): a public event, and
// the requester gets an iCalendar CANCEL for the invitation.
func (s *Desk) CancelCall(ctx context.Context, ref string, callID int64) (*Call, *Ticket, error) {
	type result struct {
		c *Call
		t *Ticket
	}
	r, err := retryStale(0, func() (result, error) {
		c, t, err := s.cancelCall(ctx, ref, callID)
		return result{c, t}, err
	})
	return r.c, r.t, err
}

func (s *Desk) cancelCall(ctx context.Context, ref string, callID int64) (*Call, *Ticket, error) {
	u, t, err := s.forChange(ctx, ref, 0, requireStaff)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.store.GetCall(ctx, callID)
	if ErrorCode(err) == ENOTFOUND || (err == nil && c.TicketID != t.ID) {
		return nil, nil, Errorf(ENOTFOUND, "no call %d on ticket %s", callID, t.Number)
	}
	if err != nil {
		return nil, nil, err
	}
	if c.CanceledAt != nil {
		return nil, nil, Refusef(ECONFLICT, RuleCanceled, nil, "call %d is already canceled", c.ID)
	}
	now := s.clock.Now()
	c.CanceledAt, c.CanceledBy, c.Sequence = &now, &Ref{ID: u.ID, Name: u.Name}, c.Sequence+1
	events := []Event{{Kind: EventCallCanceled, Public: true, Changes: []Change{
		{Field: "call_id", Old: strconv.FormatInt(c.ID, 10)},
		{Field: "start", Old: c.Start.UTC().Format(time.RFC3339)}}}}
	stamp(events, u, now)
	t.UpdatedAt = now
	if err := s.callNotice(ctx, t, u, c, OutboxCallCanceled, &events[0]); err != nil {
		return nil, nil, err
	}
	if err := s.store.CancelCall(ctx, t, c, events); err != nil {
		return nil, nil, fmt.Errorf("cancel call %d on %s: %w", c.ID, t.Number, err)
	}
	return c, t, nil
}

// Calls lists the ticket's calls to whoever may see the ticket.
func (s *Desk) Calls(ctx context.Context, ref string) ([]*Call, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.loadTicket(ctx, u, ref)
	if err != nil {
		return nil, err
	}
	return s.store.TicketCalls(ctx, t.ID)
}

// CallsOf lists the calls of a ticket the caller already holds (from
// Ticket, Transition ...), without reading it again.
func (s *Desk) CallsOf(ctx context.Context, t *Ticket) ([]*Call, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !canSee(u, t) {
		return nil, Errorf(ENOTFOUND, "no ticket %s", t.Number)
	}
	return s.store.TicketCalls(ctx, t.ID)
}
