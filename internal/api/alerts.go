package api

import (
	"errors"
	"io"
	"net/http"

	"github.com/tierdesk/tierdesk/internal/alertin"
	"github.com/tierdesk/tierdesk/internal/desk"
)

// alertReceiptJSON answers a notification.
type alertReceiptJSON struct {
	Alerts    int                `json:"alerts"`
	Incidents []alertOutcomeJSON `json:"incidents"`
}

type alertOutcomeJSON struct {
	DedupKey string           `json:"dedup_key"`
	Action   desk.AlertAction `json:"action"`
	Alerts   int              `json:"alerts"`
	Repeats  int64            `json:"repeats"`
	TicketID *int64           `json:"ticket_id"`
	Number   *string          `json:"number"`
}

// receiveAlerts is the webhook monitoring systems post to. It is public
// in the route table because it does not take user tokens: the
// integration's own token authenticates it, as a bearer token
// (Alertmanager's http_config.authorization) or ?token= for senders that
// cannot set headers. The token is never logged (the access log has the
// path only).
func (s *server) receiveAlerts(w http.ResponseWriter, r *http.Request) error {
	token, ok := bearerToken(r.Header.Get("Authorization"))
	if !ok {
		token = r.URL.Query().Get("token")
	}
	if token == "" {
		return desk.Errorf(desk.EUNAUTHENTICATED, "send the integration's token as Authorization: Bearer <token> or ?token=<token>")
	}
	ig, err := s.desk.AuthenticateIntegration(r.Context(), token)
	if err != nil {
		return err
	}
	body, err := s.readAlertBody(w, r)
	if err != nil {
		return err
	}
	notices, err := alertin.Parse(ig.Kind, body)
	if errors.Is(err, alertin.ErrMalformed) {
		return httpError(http.StatusBadRequest, "%s", err.Error())
	}
	if err != nil {
		return err
	}
	rc, err := s.desk.ReceiveAlerts(r.Context(), ig, notices)
	if err != nil {
		return err
	}
	out := alertReceiptJSON{Alerts: rc.Alerts, Incidents: []alertOutcomeJSON{}}
	for _, o := range rc.Outcomes {
		oj := alertOutcomeJSON{DedupKey: o.DedupKey, Action: o.Action, Alerts: o.Alerts, Repeats: o.Repeats,
			TicketID: optID(o.TicketID)}
		if o.TicketNumber != "" {
			oj.Number = &o.TicketNumber
		}
		out.Incidents = append(out.Incidents, oj)
	}
	writeJSON(w, http.StatusAccepted, out)
	return nil
}

// readAlertBody reads a JSON body within the alert size limit. A missing
// Content-Type is tolerated (some senders omit it); a non-JSON one is not.
func (s *server) readAlertBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if err := checkJSONType(ct); err != nil {
			return nil, err
		}
	}
	limit := s.opts.MaxAlertBodyBytes
	if r.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, tooLarge(limit)
	}
	if err != nil {
		return nil, httpError(http.StatusBadRequest, "reading the body failed")
	}
	if err := checkJSONText(body); err != nil {
		return nil, err
	}
	return body, nil
}
