package api

import (
	"net/http"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
)

// Major incidents (issue 15): declaration from a ticket, children, roles,
// updates, the merged timeline, resolution, the review. The service
// (Options.Major) decides everything; these handlers translate.

type majorJSON struct {
	ID               int64    `json:"id"`
	Ticket           string   `json:"ticket"`
	Title            string   `json:"title"`
	Priority         string   `json:"priority"`
	State            string   `json:"state"`
	ServiceID        int64    `json:"service_id"`
	CommanderID      int64    `json:"commander_id"`
	CommanderGroupID int64    `json:"commander_group_id"`
	CommsLeadID      int64    `json:"comms_lead_id"`
	Responders       []int64  `json:"responders"`
	BridgeURL        string   `json:"bridge_url"`
	CadenceMinutes   int      `json:"cadence_minutes"`
	NextUpdateDue    string   `json:"next_update_due"`
	DeclaredAt       string   `json:"declared_at"`
	Trigger          string   `json:"trigger"`
	ResolvedAt       *string  `json:"resolved_at"`
	ClosedAt         *string  `json:"closed_at"`
	Resolution       string   `json:"resolution"`
	Version          int      `json:"version"`
	Children         []string `json:"children,omitempty"`
}

func majorView(m *major.Incident) majorJSON {
	resp := m.Responders
	if resp == nil {
		resp = []int64{}
	}
	return majorJSON{ID: m.ID, Ticket: m.Number, Title: m.Title, Priority: string(m.Priority), State: string(m.State),
		ServiceID: m.ServiceID, CommanderID: m.CommanderID, CommanderGroupID: m.CommanderGroupID, CommsLeadID: m.CommsLeadID,
		Responders: resp, BridgeURL: m.BridgeURL, CadenceMinutes: int(m.Cadence / time.Minute),
		NextUpdateDue: rfc3339(m.NextUpdateDue), DeclaredAt: rfc3339(m.DeclaredAt), Trigger: m.Trigger,
		ResolvedAt: optTime(m.ResolvedAt), ClosedAt: optTime(m.ClosedAt), Resolution: m.Resolution, Version: m.Version}
}

// majors returns the major-incident service, or 404 when none is wired.
func (s *server) majors() (*major.Service, error) {
	if s.opts.Major == nil {
		return nil, httpError(http.StatusNotFound, "major incidents are not enabled on this server")
	}
	return s.opts.Major, nil
}

type declareBody struct {
	CommanderID    int64    `json:"commander_id"`
	CommsLeadID    int64    `json:"comms_lead_id"`
	Responders     []int64  `json:"responders"`
	BridgeURL      string   `json:"bridge_url"`
	CadenceMinutes int      `json:"cadence_minutes"`
	Children       []string `json:"children"`
}

// declareMajor makes the ticket the parent of a new major incident.
func (s *server) declareMajor(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.majors()
	if err != nil {
		return err
	}
	var b declareBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	m, err := svc.Declare(r.Context(), r.PathValue("id"), major.DeclareInput{CommanderID: b.CommanderID, CommsLeadID: b.CommsLeadID,
		Responders: b.Responders, BridgeURL: b.BridgeURL, Cadence: time.Duration(b.CadenceMinutes) * time.Minute, Children: b.Children})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, majorView(m))
	return nil
}

// listMajors lists major incidents, newest first (?state=).
func (s *server) listMajors(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.majors()
	if err != nil {
		return err
	}
	f := major.Filter{Limit: desk.MaxPageSize}
	if st := r.URL.Query().Get("state"); st != "" {
		f.States = []major.State{major.State(st)}
	}
	list, err := svc.List(r.Context(), f)
	if err != nil {
		return err
	}
	out := []majorJSON{}
	for _, m := range list {
		out = append(out, majorView(m))
	}
	writeJSON(w, http.StatusOK, map[string]any{"major_incidents": out})
	return nil
}

// getMajor returns a major incident with its children and updates.
func (s *server) getMajor(w http.ResponseWriter, r *http.Request) error {
	svc, id, err := s.majorID(r)
	if err != nil {
		return err
	}
	m, err := svc.Get(r.Context(), id)
	if err != nil {
		return err
	}
	kids, err := svc.Children(r.Context(), id)
	if err != nil {
		return err
	}
	ups, err := svc.Updates(r.Context(), id)
	if err != nil {
		return err
	}
	v := majorView(m)
	v.Children = []string{}
	for _, k := range kids {
		v.Children = append(v.Children, k.Number)
	}
	updates := []map[string]any{}
	for _, u := range ups {
		updates = append(updates, updateView(&u))
	}
	writeJSON(w, http.StatusOK, map[string]any{"major_incident": v, "updates": updates})
	return nil
}

func updateView(u *major.Update) map[string]any {
	return map[string]any{"id": u.ID, "posted_at": rfc3339(u.PostedAt), "affected": u.Affected, "doing": u.Doing,
		"next_at": rfc3339(u.NextAt), "on_time": u.OnTime, "recipients": u.Recipients}
}

func (s *server) majorID(r *http.Request) (*major.Service, int64, error) {
	svc, err := s.majors()
	if err != nil {
		return nil, 0, err
	}
	id, err := pathID(r, "mid", "major incident")
	return svc, id, err
}

// attachChildren attaches incidents in one action.
func (s *server) attachChildren(w http.ResponseWriter, r *http.Request) error {
	svc, id, err := s.majorID(r)
	if err != nil {
		return err
	}
	var b struct {
		Children []string `json:"children"`
	}
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	m, n, err := svc.Attach(r.Context(), id, b.Children)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"major_incident": majorView(m), "attached": n})
	return nil
}

// assignRole gives (or with remove takes away) a role.
func (s *server) assignRole(w http.ResponseWriter, r *http.Request) error {
	svc, id, err := s.majorID(r)
	if err != nil {
		return err
	}
	var b struct {
		Role   major.Role `json:"role"`
		UserID int64      `json:"user_id"`
		Remove bool       `json:"remove"`
	}
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	m, err := svc.AssignRole(r.Context(), id, b.Role, b.UserID, b.Remove)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, majorView(m))
	return nil
}

// patchMajor changes the cadence and the bridge.
func (s *server) patchMajor(w http.ResponseWriter, r *http.Request) error {
	svc, id, err := s.majorID(r)
	if err != nil {
		return err
	}
	var b struct {
		CadenceMinutes *int    `json:"cadence_minutes"`
		BridgeURL      *string `json:"bridge_url"`
	}
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	var cad *time.Duration
	if b.CadenceMinutes != nil {
		d := time.Duration(*b.CadenceMinutes) * time.Minute
		cad = &d
	}
	m, err := svc.Settings(r.Context(), id, cad, b.BridgeURL)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, majorView(m))
	return nil
}

// postMajorUpdate posts a public update.
func (s *server) postMajorUpdate(w http.ResponseWriter, r *http.Request) error {
	svc, id, err := s.majorID(r)
	if err != nil {
		return err
	}
	var b struct {
		Affected      string `json:"affected"`
		Doing         string `json:"doing"`
		NextInMinutes int    `json:"next_in_minutes"`
	}
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	u, err := svc.PostUpdate(r.Context(), id, major.UpdateInput{Affected: b.Affected, Doing: b.Doing, NextIn: time.Duration(b.NextInMinutes) * time.Minute})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, updateView(u))
	return nil
}

// majorTimeline returns the merged timeline: each entry's reason as a code
// and params for clients to word, and its text worded in the language the
// request accepts (English or Russian), as the web's timeline is.
func (s *server) majorTimeline(w http.ResponseWriter, r *http.Request) error {
	svc, id, err := s.majorID(r)
	if err != nil {
		return err
	}
	tl, err := svc.Timeline(r.Context(), id)
	if err != nil {
		return err
	}
	lang := acceptLanguage(r)
	out := []map[string]any{}
	for _, e := range tl {
		v := map[string]any{"entry_id": e.ID, "event_id": e.EventID, "at": rfc3339(e.At), "kind": e.Kind,
			"event": e.Event, "ticket": e.Number, "actor": e.Actor, "text": e.Words(lang), "key": e.Key}
		if code, params, ok := e.Why(); ok {
			v["reason_code"] = code
			if len(params) > 0 {
				v["reason_params"] = params
			}
		}
		out = append(out, v)
	}
	w.Header().Set("Content-Language", lang)
	w.Header().Add("Vary", "Accept-Language")
	writeJSON(w, http.StatusOK, map[string]any{"timeline": out})
	return nil
}

// resolveMajor resolves the major incident (and, asked, its children).
func (s *server) resolveMajor(w http.ResponseWriter, r *http.Request) error {
	svc, id, err := s.majorID(r)
	if err != nil {
		return err
	}
	var b struct {
		ResolutionCode  desk.ResolutionCode `json:"resolution_code"`
		ResolutionNotes string              `json:"resolution_notes"`
		ResolveChildren bool                `json:"resolve_children"`
	}
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	res, err := svc.Resolve(r.Context(), id, major.ResolveInput{Code: b.ResolutionCode, Notes: b.ResolutionNotes, Children: b.ResolveChildren})
	if err != nil {
		return err
	}
	skipped := []map[string]string{}
	for _, sk := range res.Skipped {
		skipped = append(skipped, map[string]string{"ticket": sk.Number, "reason": sk.Reason})
	}
	resolved := res.Resolved
	if resolved == nil {
		resolved = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"major_incident": majorView(res.Incident), "resolved": resolved, "skipped": skipped})
	return nil
}

// closeMajor closes a resolved major incident (gated on its review).
func (s *server) closeMajor(w http.ResponseWriter, r *http.Request) error {
	svc, id, err := s.majorID(r)
	if err != nil {
		return err
	}
	m, err := svc.Close(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, majorView(m))
	return nil
}

// majorReport is the major-incident report (?from=&to= RFC 3339; default
// the last 30 days).
func (s *server) majorReport(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.majors()
	if err != nil {
		return err
	}
	to := time.Now()
	from := to.AddDate(0, 0, -30)
	for name, dst := range map[string]*time.Time{"from": &from, "to": &to} {
		if v := r.URL.Query().Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return fieldProblem(name, desk.RuleInvalidFmt, desk.Params{"format": "date-time"}, "must be an RFC 3339 time")
			}
			*dst = t
		}
	}
	rep, err := svc.Report(r.Context(), from, to)
	if err != nil {
		return err
	}
	per := []map[string]any{}
	for _, p := range rep.PerService {
		per = append(per, map[string]any{"service": p.Service, "count": p.Count})
	}
	writeJSON(w, http.StatusOK, map[string]any{"incidents": rep.Incidents, "per_service": per,
		"time_to_declare_seconds": int(rep.TimeToDeclare.Seconds()), "time_to_first_update_seconds": int(rep.TimeToFirstUpdate.Seconds()),
		"time_to_resolve_seconds": int(rep.TimeToResolve.Seconds()), "cadence_kept_percent": rep.CadenceKept,
		"updates": rep.Updates, "action_items_past_due": rep.ItemsPastDue})
	return nil
}
