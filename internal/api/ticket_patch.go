package api

import (
	"net/http"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// ticketPatchBody is the PATCH body: an absent field stays as it is, null
// or 0 in an id field clears the reference, null elsewhere is invalid.
type ticketPatchBody struct {
	Type          optional[desk.TicketType] `json:"type"`
	Title         optional[string]          `json:"title"`
	Description   optional[string]          `json:"description"`
	Symptoms      optional[string]          `json:"symptoms"`
	Impact        optional[desk.Level]      `json:"impact"`
	Urgency       optional[desk.Level]      `json:"urgency"`
	CategoryID    optional[int64]           `json:"category_id"`
	SubcategoryID optional[int64]           `json:"subcategory_id"`
	ServiceID     optional[int64]           `json:"service_id"`
	GroupID       optional[int64]           `json:"group_id"`
	AssigneeID    optional[int64]           `json:"assignee_id"`
	Restricted    optional[bool]            `json:"restricted"`
	Reason        optional[string]          `json:"reason"`
}

// patchTicket changes a ticket's fields, honouring If-Match.
func (s *server) patchTicket(w http.ResponseWriter, r *http.Request) error {
	var body ticketPatchBody
	if err := s.decodeJSON(w, r, &body); err != nil {
		return err
	}
	var nn fieldProblems
	p := desk.TicketPatch{
		Type: nonNull(&nn, "type", body.Type), Title: nonNull(&nn, "title", body.Title),
		Description: nonNull(&nn, "description", body.Description), Symptoms: nonNull(&nn, "symptoms", body.Symptoms),
		Impact: nonNull(&nn, "impact", body.Impact), Urgency: nonNull(&nn, "urgency", body.Urgency),
		CategoryID: clearable(body.CategoryID), SubcategoryID: clearable(body.SubcategoryID),
		ServiceID: clearable(body.ServiceID), GroupID: nonNull(&nn, "group_id", body.GroupID),
		AssigneeID: clearable(body.AssigneeID), Restricted: nonNull(&nn, "restricted", body.Restricted),
		Reason: deref(nonNull(&nn, "reason", body.Reason)),
	}
	if err := nn.err(); err != nil {
		return err
	}
	var err error
	if p.IfVersion, err = s.ifVersion(r, r.PathValue("id")); err != nil {
		return err
	}
	t, err := s.desk.UpdateTicket(r.Context(), r.PathValue("id"), p)
	if err != nil {
		return err
	}
	return s.writeTicket(w, r, http.StatusOK, t)
}

// nonNull returns nil for an absent field and the value for a present one;
// null is recorded as a problem.
func nonNull[T any](n *fieldProblems, field string, o optional[T]) *T {
	if o.Null {
		n.fail(field, desk.RuleRequired, nil, "must not be null")
		return nil
	}
	if !o.Set {
		return nil
	}
	return &o.Value
}

// clearable returns nil for an absent id, 0 for null (clear), else the id.
func clearable(o optional[int64]) *int64 {
	if !o.Set {
		return nil
	}
	if o.Null {
		return new(int64)
	}
	return &o.Value
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
