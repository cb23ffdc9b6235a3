package api

import (
	"net/http"
	"time"

	"github.com/tierdesk/tierdesk/internal/breach"
	"github.com/tierdesk/tierdesk/internal/desk"
)

// The breach record of a security case (issue 14; desk/breach_case.go):
// awareness, regimes and the regulatory clocks, for the staff who see the
// case; set by its owners.

type breachClockJSON struct {
	Kind    string  `json:"kind"`
	Regime  string  `json:"regime"`
	Start   string  `json:"start"`
	Due     string  `json:"due"`
	Percent int     `json:"percent"`
	State   string  `json:"state"`
	SentAt  *string `json:"sent_at"`
}

type breachJSON struct {
	Ticket       string            `json:"ticket"`
	Version      int               `json:"version"`
	AwareAt      *string           `json:"aware_at"`
	AwareReason  string            `json:"aware_reason"`
	Regime       *string           `json:"regime"`
	RegimeReason string            `json:"regime_reason"`
	Owner        bool              `json:"owner"`
	Clocks       []breachClockJSON `json:"clocks"`
}

func breachView(t *desk.Ticket, st *desk.BreachStatus) breachJSON {
	v := breachJSON{Ticket: t.Number, Version: t.Version, AwareAt: optTime(st.Case.AwareAt),
		AwareReason: st.Case.AwareReason, Regime: nonEmpty(string(st.Case.Regime)),
		RegimeReason: st.Case.RegimeReason, Owner: st.Owner, Clocks: []breachClockJSON{}}
	for _, c := range st.Clocks {
		v.Clocks = append(v.Clocks, breachClockJSON{Kind: string(c.Kind), Regime: string(c.Regime),
			Start: rfc3339(c.Start), Due: rfc3339(c.Due), Percent: c.Percent, State: c.State, SentAt: optTime(c.SentAt)})
	}
	return v
}

func (s *server) writeBreach(w http.ResponseWriter, r *http.Request, status int, ref string) error {
	t, st, err := s.desk.BreachCaseOf(r.Context(), ref)
	if err != nil {
		return err
	}
	setETag(w, t.Version)
	writeJSON(w, status, breachView(t, st))
	return nil
}

// getBreach shows a security case's breach record and clocks.
func (s *server) getBreach(w http.ResponseWriter, r *http.Request) error {
	return s.writeBreach(w, r, http.StatusOK, r.PathValue("id"))
}

type breachAwarenessBody struct {
	AwareAt string `json:"aware_at"`
	Reason  string `json:"reason"`
}

// putBreachAwareness records when the organisation became aware.
func (s *server) putBreachAwareness(w http.ResponseWriter, r *http.Request) error {
	var b breachAwarenessBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	in := desk.BreachAwarenessInput{Reason: b.Reason}
	if b.AwareAt != "" {
		at, err := time.Parse(time.RFC3339, b.AwareAt)
		if err != nil {
			return fieldProblem("aware_at", desk.RuleInvalidFmt, desk.Params{"format": "date-time"},
				"must be a time with its offset, such as 2026-12-07T09:30:00+01:00")
		}
		in.AwareAt = at
	}
	var err error
	if in.IfVersion, err = s.ifVersion(r, r.PathValue("id")); err != nil {
		return err
	}
	t, err := s.desk.SetBreachAwareness(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return s.writeBreach(w, r, http.StatusOK, t.Number)
}

type breachRegimeBody struct {
	Regime string `json:"regime"`
	Reason string `json:"reason"`
}

// putBreachRegime chooses the regimes that apply.
func (s *server) putBreachRegime(w http.ResponseWriter, r *http.Request) error {
	var b breachRegimeBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	in := desk.BreachRegimeInput{Regime: breach.Regime(b.Regime), Reason: b.Reason}
	var err error
	if in.IfVersion, err = s.ifVersion(r, r.PathValue("id")); err != nil {
		return err
	}
	t, err := s.desk.SetBreachRegime(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return s.writeBreach(w, r, http.StatusOK, t.Number)
}
