package notify

import (
	"fmt"
	"strconv"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Invite is an iCalendar object sent with a call notification, as an
// attachment of type text/calendar; method=Method.
type Invite struct {
	Method string // REQUEST or CANCEL
	Data   []byte
}

// invite builds the iCalendar REQUEST (call scheduled) or CANCEL (call
// canceled) for a call notification; nil for other kinds. The UID names
// the call, so a calendar that took the invitation removes that event on
// the cancellation (RFC 5546: same UID, higher SEQUENCE). Times are UTC.
// golang-ical folds long lines and escapes text values (RFC 5545).
func invite(d desk.Delivery, from, to, domain string, now time.Time) (*Invite, error) {
	var method ics.Method
	var status ics.ObjectStatus
	switch d.Kind {
	case desk.OutboxCallScheduled:
		method, status = ics.MethodRequest, ics.ObjectStatusConfirmed
	case desk.OutboxCallCanceled:
		method, status = ics.MethodCancel, ics.ObjectStatusCancelled
	default:
		return nil, nil
	}
	p := d.Payload
	start, err := time.Parse(time.RFC3339, p["call_start"])
	if err != nil {
		return nil, fmt.Errorf("call start %q: %w", p["call_start"], err)
	}
	minutes, err := strconv.Atoi(p["call_minutes"])
	if err != nil || minutes <= 0 {
		return nil, fmt.Errorf("call duration %q minutes", p["call_minutes"])
	}
	seq, _ := strconv.Atoi(p["call_sequence"])
	if p["call_id"] == "" {
		return nil, fmt.Errorf("call notification without a call id")
	}
	cal := ics.NewCalendarFor("Tierdesk")
	cal.SetMethod(method)
	ev := cal.AddEvent("call-" + p["call_id"] + "@" + domain)
	ev.SetDtStampTime(now.UTC())
	ev.SetStartAt(start.UTC())
	ev.SetEndAt(start.UTC().Add(time.Duration(minutes) * time.Minute))
	ev.SetSequence(seq)
	ev.SetStatus(status)
	ev.SetSummary("[" + p["ticket"] + "] " + oneLine(p["title"]))
	desc := p["call_note"]
	switch {
	case p["call_url"] != "":
		ev.SetURL(p["call_url"])
		ev.SetLocation(p["call_url"])
	case p["call_phone"] != "":
		ev.SetLocation(p["call_phone"])
	}
	if desc != "" {
		ev.SetDescription(desc)
	}
	ev.SetOrganizer("mailto:"+from, ics.WithCN(p["organizer"]))
	ev.AddAttendee("mailto:"+to, ics.CalendarUserTypeIndividual, ics.ParticipationRoleReqParticipant,
		ics.ParticipationStatusNeedsAction, ics.WithRSVP(true))
	return &Invite{Method: string(method), Data: []byte(cal.Serialize())}, nil
}
