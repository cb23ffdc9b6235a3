package api

import (
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// ticketJSON is the wire form of a ticket. Absent references, unset times
// and empty enumerations are null.
type ticketJSON struct {
	ID          int64           `json:"id"`
	Number      string          `json:"number"`
	Type        desk.TicketType `json:"type"`
	Title       string          `json:"title"`
	Description string          `json:"description"`
	Symptoms    string          `json:"symptoms"`
	State       desk.State      `json:"state"`
	HoldReason  *string         `json:"hold_reason"`
	Impact      desk.Level      `json:"impact"`
	Urgency     desk.Level      `json:"urgency"`
	Priority    desk.Priority   `json:"priority"`
	Category    *desk.Ref       `json:"category"`
	Subcategory *desk.Ref       `json:"subcategory"`
	Service     *desk.Ref       `json:"service"`
	Group       desk.GroupRef   `json:"group"`
	Line        desk.Line       `json:"line"`
	Assignee    *desk.Ref       `json:"assignee"`
	Requester   desk.Person     `json:"requester"`
	Channel     desk.Channel    `json:"channel"`
	Restricted  bool            `json:"restricted"`
	Security    bool            `json:"security"`
	// SecurityMembers are the people named on a security case; null otherwise.
	SecurityMembers    []desk.SecurityMember `json:"security_members"`
	ReportedAt         string                `json:"reported_at"`
	CreatedAt          string                `json:"created_at"`
	UpdatedAt          string                `json:"updated_at"`
	FirstResponseAt    *string               `json:"first_response_at"`
	ResolvedAt         *string               `json:"resolved_at"`
	ClosedAt           *string               `json:"closed_at"`
	CanceledAt         *string               `json:"canceled_at"`
	ManagerFlaggedAt   *string               `json:"manager_flagged_at"`
	ResolutionCode     *string               `json:"resolution_code"`
	ResolutionNotes    string                `json:"resolution_notes"`
	ReopenCount        int                   `json:"reopen_count"`
	ReassignmentCount  int                   `json:"reassignment_count"`
	EscalationCount    int                   `json:"escalation_count"`
	Version            int                   `json:"version"`
	AllowedTransitions []desk.State          `json:"allowed_transitions"`
	SLADueAt           *string               `json:"sla_due_at"`
	// SLA is shown on a single ticket (GET and every change), null in lists.
	SLA *slaJSON `json:"sla"`
	// Links are shown to staff on a single ticket, null in lists.
	Links []linkJSON `json:"links"`
	// Calls are the ticket's scheduled and canceled calls, on a single
	// ticket; null in lists.
	Calls []callJSON `json:"calls"`
}

func ticketView(t *desk.Ticket) ticketJSON {
	allowed := desk.AllowedTransitions(t.State)
	if allowed == nil {
		allowed = []desk.State{}
	}
	return ticketJSON{
		ID: t.ID, Number: t.Number, Type: t.Type, Title: t.Title, Description: t.Description,
		Symptoms: t.Symptoms, State: t.State, HoldReason: nonEmpty(string(t.HoldReason)),
		Impact: t.Impact, Urgency: t.Urgency, Priority: t.Priority,
		Category: t.Category, Subcategory: t.Subcategory, Service: t.Service,
		Group: t.Group, Line: t.Line(), Assignee: t.Assignee, Requester: t.Requester,
		Channel: t.Channel, Restricted: t.Restricted, Security: t.Security, SecurityMembers: t.SecurityMembers,
		ReportedAt: rfc3339(t.ReportedAt), CreatedAt: rfc3339(t.CreatedAt), UpdatedAt: rfc3339(t.UpdatedAt),
		FirstResponseAt: optTime(t.FirstResponseAt), ResolvedAt: optTime(t.ResolvedAt),
		ClosedAt: optTime(t.ClosedAt), CanceledAt: optTime(t.CanceledAt),
		ManagerFlaggedAt: optTime(t.ManagerFlagAt),
		ResolutionCode:   nonEmpty(string(t.ResolutionCode)), ResolutionNotes: t.ResolutionNotes,
		ReopenCount: t.ReopenCount, ReassignmentCount: t.ReassignmentCount,
		EscalationCount: t.EscalationCount, Version: t.Version, AllowedTransitions: allowed,
		SLADueAt: optTime(t.SLA.DueAt),
	}
}

// eventJSON is the wire form of a history entry.
type eventJSON struct {
	ID       int64          `json:"id"`
	TicketID int64          `json:"ticket_id"`
	At       string         `json:"at"`
	Actor    *desk.Ref      `json:"actor"`
	Kind     desk.EventKind `json:"kind"`
	Public   bool           `json:"public"`
	Body     string         `json:"body"`
	Reason   string         `json:"reason"`
	// ReasonCode and ReasonParams: a reason the desk gave itself, for
	// clients to word in their language (desk.ReasonCode).
	ReasonCode   desk.ReasonCode   `json:"reason_code,omitempty"`
	ReasonParams desk.ReasonParams `json:"reason_params,omitempty"`
	Changes      []desk.Change     `json:"changes"`
	// Attachments are the files that came with the entry, in event lists.
	Attachments []attachmentJSON `json:"attachments,omitempty"`
}

func eventView(e *desk.Event) eventJSON {
	changes := e.Changes
	if changes == nil {
		changes = []desk.Change{}
	}
	return eventJSON{ID: e.ID, TicketID: e.TicketID, At: rfc3339(e.At), Actor: e.Actor, Kind: e.Kind,
		Public: e.Public, Body: e.Body, Reason: e.Reason, ReasonCode: e.ReasonCode, ReasonParams: e.ReasonParams,
		Changes: changes}
}

// rfc3339 formats an instant in UTC with the precision it has.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func optTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := rfc3339(*t)
	return &s
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// cursorJSON is a page's next cursor: null on the last page.
func cursorJSON(c string) *string { return nonEmpty(c) }
