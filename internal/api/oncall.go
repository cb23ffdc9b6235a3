package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Schedules, escalation policies and contact methods on the wire. A
// schedule is its document (desk.ScheduleDoc) plus id and times; policy
// delays are whole minutes.

type scheduleJSON struct {
	ID int64 `json:"id"`
	desk.ScheduleDoc
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func scheduleView(st *desk.StoredSchedule) scheduleJSON {
	return scheduleJSON{ID: st.ID, ScheduleDoc: st.Doc, CreatedAt: st.CreatedAt, UpdatedAt: st.UpdatedAt}
}

func (s *server) listSchedules(w http.ResponseWriter, r *http.Request) error {
	list, err := s.desk.Schedules(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"schedules": views(list, scheduleView)})
	return nil
}

func (s *server) getSchedule(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "schedule")
	if err != nil {
		return err
	}
	st, err := s.desk.Schedule(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, scheduleView(st))
	return nil
}

func (s *server) createSchedule(w http.ResponseWriter, r *http.Request) error {
	return s.saveSchedule(w, r, 0)
}

func (s *server) putSchedule(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "schedule")
	if err != nil {
		return err
	}
	return s.saveSchedule(w, r, id)
}

func (s *server) saveSchedule(w http.ResponseWriter, r *http.Request, id int64) error {
	var doc desk.ScheduleDoc
	if err := s.decodeJSON(w, r, &doc); err != nil {
		return err
	}
	st := &desk.StoredSchedule{ID: id, Doc: doc}
	if err := s.desk.SaveSchedule(r.Context(), st); err != nil {
		return err
	}
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
		w.Header().Set("Location", "/api/v1/schedules/"+strconv.FormatInt(st.ID, 10))
	}
	writeJSON(w, status, scheduleView(st))
	return nil
}

func (s *server) deleteSchedule(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "schedule")
	if err != nil {
		return err
	}
	if err := s.desk.DeleteSchedule(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type onCallJSON struct {
	At   time.Time `json:"at"`
	User *desk.Ref `json:"user"`
}

// whoIsOnCall answers who is on call at ?at= (default now).
func (s *server) whoIsOnCall(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "schedule")
	if err != nil {
		return err
	}
	q := newQuery(r, "at")
	at := q.time("at")
	if err := q.err(); err != nil {
		return err
	}
	if at == nil {
		now := time.Now()
		at = &now
	}
	oc, err := s.desk.WhoIsOnCall(r.Context(), id, *at)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, onCallJSON{At: oc.At, User: oc.User})
	return nil
}

type shiftJSON struct {
	UserID   int64     `json:"user_id"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Layer    *int      `json:"layer"`    // index of the layer it begins in
	Override *int      `json:"override"` // or of the override
}

func (s *server) scheduleShifts(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "schedule")
	if err != nil {
		return err
	}
	q := newQuery(r, "from", "to")
	from, to := q.time("from"), q.time("to")
	if from == nil && q.str("from") == "" {
		q.fail("from", desk.RuleRequired, nil, "is required")
	}
	if to == nil && q.str("to") == "" {
		q.fail("to", desk.RuleRequired, nil, "is required")
	}
	if err := q.err(); err != nil {
		return err
	}
	shifts, err := s.desk.ScheduleShifts(r.Context(), id, *from, *to)
	if err != nil {
		return err
	}
	out := make([]shiftJSON, len(shifts))
	for i, sh := range shifts {
		out[i] = shiftJSON{UserID: sh.UserID, Start: sh.Start, End: sh.End}
		if sh.Override >= 0 {
			out[i].Override = &sh.Override
		} else {
			out[i].Layer = &sh.Layer
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"shifts": out})
	return nil
}

type stepBody struct {
	ScheduleIDs  []int64 `json:"schedule_ids"`
	UserIDs      []int64 `json:"user_ids"`
	DelayMinutes int     `json:"delay_minutes"`
}

type escPolicyBody struct {
	Name       string          `json:"name"`
	Repeat     int             `json:"repeat"`
	Priorities []desk.Priority `json:"priorities"`
	Steps      []stepBody      `json:"steps"`
	Active     *bool           `json:"active"` // default true
}

type escPolicyJSON struct {
	ID      int64 `json:"id"`
	GroupID int64 `json:"group_id"`
	escPolicyBody
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func escPolicyView(p *desk.EscalationPolicy) escPolicyJSON {
	steps := make([]stepBody, len(p.Steps))
	for i, st := range p.Steps {
		steps[i] = stepBody{ScheduleIDs: nonNil(st.ScheduleIDs), UserIDs: nonNil(st.UserIDs), DelayMinutes: int(st.Delay / time.Minute)}
	}
	return escPolicyJSON{ID: p.ID, GroupID: p.GroupID, Active: p.Active, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
		escPolicyBody: escPolicyBody{Name: p.Name, Repeat: p.Repeat, Priorities: nonNil(p.Priorities), Steps: steps}}
}

func (s *server) listEscalationPolicies(w http.ResponseWriter, r *http.Request) error {
	list, err := s.desk.EscalationPolicies(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"policies": views(list, escPolicyView)})
	return nil
}

func (s *server) getEscalationPolicy(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "group")
	if err != nil {
		return err
	}
	p, err := s.desk.EscalationPolicy(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, escPolicyView(p))
	return nil
}

func (s *server) putEscalationPolicy(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "group")
	if err != nil {
		return err
	}
	var b escPolicyBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	p := &desk.EscalationPolicy{GroupID: id, Name: b.Name, Repeat: b.Repeat, Priorities: b.Priorities, Active: b.Active == nil || *b.Active}
	for _, st := range b.Steps {
		p.Steps = append(p.Steps, desk.EscalationStep{ScheduleIDs: st.ScheduleIDs, UserIDs: st.UserIDs,
			Delay: time.Duration(st.DelayMinutes) * time.Minute})
	}
	if err := s.desk.PutEscalationPolicy(r.Context(), p); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, escPolicyView(p))
	return nil
}

func (s *server) deleteEscalationPolicy(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "group")
	if err != nil {
		return err
	}
	if err := s.desk.DeleteEscalationPolicy(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type contactBody struct {
	Kind         desk.ContactKind `json:"kind"`
	Target       string           `json:"target"`
	DelayMinutes int              `json:"delay_minutes"`
	Secret       string           `json:"secret,omitempty"` // webhook only; generated when empty
}

type contactJSON struct {
	ID int64 `json:"id"`
	contactBody
	CreatedAt time.Time `json:"created_at"`
}

// contactView shows the webhook secret only when it was just created.
func contactView(m *desk.ContactMethod, withSecret bool) contactJSON {
	v := contactJSON{ID: m.ID, CreatedAt: m.CreatedAt,
		contactBody: contactBody{Kind: m.Kind, Target: m.Target, DelayMinutes: int(m.Delay / time.Minute)}}
	if withSecret {
		v.Secret = m.Secret
	}
	return v
}

func (s *server) listContactMethods(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	ms, err := s.desk.ContactMethods(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]contactJSON, len(ms))
	for i, m := range ms {
		out[i] = contactView(m, false)
	}
	writeJSON(w, http.StatusOK, map[string]any{"contact_methods": out})
	return nil
}

func (s *server) createContactMethod(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	var b contactBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	m := &desk.ContactMethod{UserID: id, Kind: b.Kind, Target: b.Target, Secret: b.Secret, Delay: time.Duration(b.DelayMinutes) * time.Minute}
	if err := s.desk.AddContactMethod(r.Context(), m); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/users/"+strconv.FormatInt(id, 10)+"/contact-methods/"+strconv.FormatInt(m.ID, 10))
	writeJSON(w, http.StatusCreated, contactView(m, true))
	return nil
}

func (s *server) deleteContactMethod(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	mid, err := pathID(r, "method_id", "contact method")
	if err != nil {
		return err
	}
	if err := s.desk.DeleteContactMethod(r.Context(), id, mid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
