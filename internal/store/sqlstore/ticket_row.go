package sqlstore

import (
	"database/sql"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// ticketColumns reads a ticket t (joined with its requester r) with every
// display name filled. Names come from scalar subqueries rather than
// joins: PostgreSQL spent ~8 ms planning the seven-way join of a queue page
// (execution: under 1 ms), while subqueries are planned one table at a
// time. The group's line is the ticket's denormalised copy. The
// requester's organisation and VIP flag come from the user as it is now,
// for SLA policies to match on.
const ticketColumns = `t.id, t.number, t.type, t.title, t.description, t.symptoms,
	t.state, t.hold_reason, t.impact, t.urgency, t.priority,
	t.category_id, (SELECT name FROM categories WHERE id = t.category_id),
	t.subcategory_id, (SELECT name FROM categories WHERE id = t.subcategory_id),
	t.service_id, (SELECT name FROM services WHERE id = t.service_id),
	t.group_id, (SELECT name FROM support_groups WHERE id = t.group_id), t.line,
	t.assignee_id, (SELECT name FROM users WHERE id = t.assignee_id),
	t.requester_id, r.name, r.email, r.phone, r.organization, r.vip, t.channel, t.restricted,
	t.reported_at, t.created_at, t.updated_at, t.first_response_at, t.resolved_at,
	t.closed_at, t.canceled_at, t.manager_flag_at, t.resolution_code, t.resolution_notes,
	t.reopen_count, t.reassignment_count, t.escalation_count, t.created_by, t.version,
	t.sla_due_at, t.sla_response_met, t.sla_resolution_met, t.security`

// ticketSelect reads tickets; a WHERE on t follows.
const ticketSelect = "SELECT " + ticketColumns + " FROM tickets t JOIN users r ON r.id = t.requester_id"

// scanTicket reads one row of ticketColumns.
func scanTicket(sc scanner) (*desk.Ticket, error) {
	var (
		t                                   desk.Ticket
		cat, sub, svc, asg                  nullRef
		reported, created, updated          int64
		firstResp, resolved, closed, cancel sql.NullInt64
		flagged, createdBy                  sql.NullInt64
		sla                                 slaColumns
	)
	err := sc.Scan(&t.ID, &t.Number, &t.Type, &t.Title, &t.Description, &t.Symptoms,
		&t.State, &t.HoldReason, &t.Impact, &t.Urgency, &t.Priority,
		&cat.id, &cat.name, &sub.id, &sub.name, &svc.id, &svc.name,
		&t.Group.ID, &t.Group.Name, &t.Group.Line, &asg.id, &asg.name,
		&t.Requester.ID, &t.Requester.Name, &t.Requester.Email, &t.Requester.Phone,
		&t.Requester.Organization, &t.Requester.VIP, &t.Channel, &t.Restricted,
		&reported, &created, &updated, &firstResp, &resolved,
		&closed, &cancel, &flagged, &t.ResolutionCode, &t.ResolutionNotes,
		&t.ReopenCount, &t.ReassignmentCount, &t.EscalationCount, &createdBy, &t.Version,
		&sla.due, &sla.responseMet, &sla.resolutionMet, &t.Security)
	if err != nil {
		return nil, err
	}
	t.Category, t.Subcategory, t.Service, t.Assignee = cat.ref(), sub.ref(), svc.ref(), asg.ref()
	t.ReportedAt, t.CreatedAt, t.UpdatedAt = fromMicros(reported), fromMicros(created), fromMicros(updated)
	t.FirstResponseAt, t.ResolvedAt, t.ClosedAt = timePtr(firstResp), timePtr(resolved), timePtr(closed)
	t.CanceledAt, t.ManagerFlagAt = timePtr(cancel), timePtr(flagged)
	t.CreatedBy = createdBy.Int64
	t.SLA = sla.status()
	return &t, nil
}

// writeColumns are the columns UpdateTicket rewrites; CreateTicket also
// sets number, created_at, created_by and version.
var writeColumns = []string{
	"type", "title", "description", "symptoms", "state", "hold_reason", "impact", "urgency", "priority",
	"category_id", "subcategory_id", "service_id", "group_id", "line", "assignee_id", "requester_id",
	"channel", "restricted", "reported_at", "updated_at", "first_response_at", "resolved_at",
	"closed_at", "canceled_at", "manager_flag_at", "resolution_code", "resolution_notes",
	"reopen_count", "reassignment_count", "escalation_count",
	"sla_due_at", "sla_response_met", "sla_resolution_met", "security",
}

// ticketValues returns t's values in writeColumns order; line comes from
// the group row, not from the caller.
func ticketValues(t *desk.Ticket, line desk.Line) []any {
	return []any{
		string(t.Type), t.Title, t.Description, t.Symptoms, string(t.State), string(t.HoldReason),
		string(t.Impact), string(t.Urgency), string(t.Priority),
		refID(t.Category), refID(t.Subcategory), refID(t.Service), t.Group.ID, int64(line),
		refID(t.Assignee), t.Requester.ID, string(t.Channel), t.Restricted,
		micros(t.ReportedAt), micros(t.UpdatedAt), nullMicros(t.FirstResponseAt), nullMicros(t.ResolvedAt),
		nullMicros(t.ClosedAt), nullMicros(t.CanceledAt), nullMicros(t.ManagerFlagAt),
		string(t.ResolutionCode), t.ResolutionNotes,
		t.ReopenCount, t.ReassignmentCount, t.EscalationCount,
		slaDue(t.SLA.DueAt), nullBool(t.SLA.ResponseMet), nullBool(t.SLA.ResolutionMet), t.Security,
	}
}

// ticketInsertColumns is the column list of an INSERT INTO tickets.
var ticketInsertColumns = strings.Join(append(writeColumns[:len(writeColumns):len(writeColumns)],
	"number", "created_at", "created_by", "version"), ", ")

// ticketInsertValues returns the values for ticketInsertColumns.
func ticketInsertValues(t *desk.Ticket, line desk.Line, number string) []any {
	return append(ticketValues(t, line), number, micros(t.CreatedAt), nullID(t.CreatedBy), 1)
}

// ticketRefs lists the references a ticket row makes, to explain a
// foreign-key failure.
func ticketRefs(t *desk.Ticket) []ref {
	return []ref{
		{"group", "support_groups", t.Group.ID},
		{"requester", "users", t.Requester.ID},
		{"category", "categories", refID(t.Category)},
		{"subcategory", "categories", refID(t.Subcategory)},
		{"service", "services", refID(t.Service)},
		{"assignee", "users", refID(t.Assignee)},
		{"created_by", "users", t.CreatedBy},
	}
}
