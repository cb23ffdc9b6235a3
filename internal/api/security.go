package api

import (
	"net/http"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Security cases (issue 14; desk/security.go): marking a ticket, an
// administrator's self-grant and naming members. Each answers with the
// ticket when the caller may still see it, else with a receipt.

type securityBody struct {
	Reason string `json:"reason"`
	UserID int64  `json:"user_id"`
}

func (s *server) securityAction(w http.ResponseWriter, r *http.Request,
	act func(*desk.Desk, *http.Request, desk.SecurityInput) (*desk.Ticket, error)) error {
	var b securityBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	in := desk.SecurityInput{Reason: b.Reason, UserID: b.UserID}
	var err error
	if in.IfVersion, err = s.ifVersion(r, r.PathValue("id")); err != nil {
		return err
	}
	t, err := act(s.desk, r, in)
	if err != nil {
		return err
	}
	if !s.desk.CanSee(r.Context(), t) {
		// The marker leaves the case's sight: what they may know of it.
		setETag(w, t.Version)
		writeJSON(w, http.StatusOK, ticketReceipt{ID: t.ID, Number: t.Number, Type: t.Type, Restricted: t.Restricted,
			Group: t.Group, Line: t.Line(), Visible: false})
		return nil
	}
	return s.writeTicket(w, r, http.StatusOK, t)
}

// markSecurity makes a ticket a security case (staff).
func (s *server) markSecurity(w http.ResponseWriter, r *http.Request) error {
	return s.securityAction(w, r, func(d *desk.Desk, r *http.Request, in desk.SecurityInput) (*desk.Ticket, error) {
		return d.MarkSecurity(r.Context(), r.PathValue("id"), in)
	})
}

// grantSecurityAccess lets an administrator see a security case, with a reason.
func (s *server) grantSecurityAccess(w http.ResponseWriter, r *http.Request) error {
	return s.securityAction(w, r, func(d *desk.Desk, r *http.Request, in desk.SecurityInput) (*desk.Ticket, error) {
		return d.GrantSecurityAccess(r.Context(), r.PathValue("id"), in)
	})
}

// nameSecurityMember names a staff member on a security case.
func (s *server) nameSecurityMember(w http.ResponseWriter, r *http.Request) error {
	return s.securityAction(w, r, func(d *desk.Desk, r *http.Request, in desk.SecurityInput) (*desk.Ticket, error) {
		return d.NameSecurityMember(r.Context(), r.PathValue("id"), in)
	})
}
