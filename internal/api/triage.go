package api

import (
	"net/http"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
)

func (s *server) requireTriage() error {
	if s.opts.Triage == nil {
		return httpError(http.StatusNotFound, "this server has no automatic triage")
	}
	return nil
}

// triageModelJSON is a stored model's version and what it measured.
func triageModelJSON(m *desk.TriageModel) any {
	if m == nil {
		return nil
	}
	fields := m.Fields
	if fields == nil {
		fields = []desk.TriageField{}
	}
	return map[string]any{"version": m.Version, "trained_at": rfc3339(m.TrainedAt), "fields": fields}
}

// suggestTriage suggests type, category, group and service for a text.
func (s *server) suggestTriage(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireTriage(); err != nil {
		return err
	}
	var body struct {
		Title       string `json:"title"`
		Description string `json:"description"`
	}
	if err := s.decodeJSON(w, r, &body); err != nil {
		return err
	}
	sg, err := s.opts.Triage.Suggest(r.Context(), body.Title, body.Description)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": sg.Status, "message": sg.Message, "model": triageModelJSON(sg.Model),
		"auto_percent": sg.AutoPercent, "fields": sg.Fields})
	return nil
}

func triageSettingsJSON(set *triagedesk.Settings) map[string]any {
	return map[string]any{"auto_percent": set.AutoPercent, "retrain_every_hours": int(set.RetrainEvery / time.Hour),
		"train_requested_at": optTime(set.TrainRequestedAt), "last_attempt_at": optTime(set.LastAttemptAt),
		"last_error": set.LastError}
}

// getTriageModel shows administrators the model in use and the settings.
func (s *server) getTriageModel(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireTriage(); err != nil {
		return err
	}
	m, set, err := s.opts.Triage.Model(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"model": triageModelJSON(m), "settings": triageSettingsJSON(set)})
	return nil
}

// putTriageSettings sets the automatic threshold and the retraining period.
func (s *server) putTriageSettings(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireTriage(); err != nil {
		return err
	}
	var body struct {
		AutoPercent       *int `json:"auto_percent"`
		RetrainEveryHours *int `json:"retrain_every_hours"`
	}
	if err := s.decodeJSON(w, r, &body); err != nil {
		return err
	}
	var fe []desk.FieldError
	if body.AutoPercent == nil {
		fe = append(fe, desk.Invalid("auto_percent", desk.RuleRequired, nil, "is required"))
	}
	if body.RetrainEveryHours == nil {
		fe = append(fe, desk.Invalid("retrain_every_hours", desk.RuleRequired, nil, "is required"))
	}
	if len(fe) > 0 {
		return desk.InvalidFields(fe...)
	}
	hours := min(max(*body.RetrainEveryHours, -1), 1<<20) // out of range either way, without overflow
	set, err := s.opts.Triage.SaveSettings(r.Context(), *body.AutoPercent, time.Duration(hours)*time.Hour)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, triageSettingsJSON(set))
	return nil
}

// requestTriageTraining asks the job runner to retrain the model soon.
func (s *server) requestTriageTraining(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireTriage(); err != nil {
		return err
	}
	set, err := s.opts.Triage.RequestTraining(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, triageSettingsJSON(set))
	return nil
}

func triageDecisionsJSON(ds []desk.TriageDecision) map[string]any {
	out := make([]map[string]any, len(ds))
	for i, d := range ds {
		out[i] = map[string]any{"field": d.Field, "value": d.Value, "confidence": d.Confidence, "model_version": d.ModelVersion,
			"decided_at": rfc3339(d.DecidedAt), "confirmed_at": optTime(d.ConfirmedAt), "corrected_at": optTime(d.CorrectedAt),
			"corrected_to": d.CorrectedTo}
	}
	return map[string]any{"decisions": out}
}

// ticketTriage lists the fields the desk set by itself on a ticket.
func (s *server) ticketTriage(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.desk.TriageDecisions(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, triageDecisionsJSON(ds))
	return nil
}

// confirmTriage keeps fields the desk set by itself, so they are learnt.
func (s *server) confirmTriage(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Fields []string `json:"fields"`
	}
	if err := s.decodeJSON(w, r, &body); err != nil {
		return err
	}
	if _, err := s.desk.ConfirmTriage(r.Context(), r.PathValue("id"), body.Fields); err != nil {
		return err
	}
	return s.ticketTriage(w, r)
}

// triageReport is the accuracy of the desk's own decisions by field.
func (s *server) triageReport(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireTriage(); err != nil {
		return err
	}
	q := newQuery(r, "from", "to")
	from, to := q.day("from"), q.day("to")
	if err := q.err(); err != nil {
		return err
	}
	rep, err := s.opts.Triage.Report(r.Context(), from, to)
	if err != nil {
		return err
	}
	reuse, err := s.opts.Triage.Reuse(r.Context(), from, to)
	if err != nil {
		return err
	}
	acc, err := s.opts.Triage.Acceptance(r.Context(), from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": rfc3339(from), "to": rfc3339(to), "fields": rep, "reuse": reuse, "acceptance": acc})
	return nil
}
