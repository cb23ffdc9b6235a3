package triagedesk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Model returns the newest model's version, when it was trained and what
// it measured on held-back tickets (nil when none was trained), with the
// settings. Administrators only.
func (s *Service) Model(ctx context.Context) (*desk.TriageModel, *Settings, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, nil, err
	}
	set, err := s.store.TriageSettings(ctx)
	if err != nil {
		return nil, nil, err
	}
	m, err := s.store.LatestTriageModel(ctx, false)
	if desk.ErrorCode(err) == desk.ENOTFOUND {
		return nil, set, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return m, set, nil
}

// SaveSettings sets the confidence (per cent, 0: never) at which
// suggestions are applied by themselves and how often the model is
// retrained. Administrators only.
func (s *Service) SaveSettings(ctx context.Context, autoPercent int, retrainEvery time.Duration) (*Settings, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var fe []desk.FieldError
	if autoPercent < 0 || autoPercent > 100 {
		fe = append(fe, desk.Invalid("auto_percent", desk.RuleOutOfRange, desk.Params{"min": 0, "max": 100, "unit": "%"}, "must be from 0 to 100"))
	}
	if retrainEvery < MinRetrainEvery || retrainEvery > MaxRetrainEvery {
		fe = append(fe, desk.Invalid("retrain_every_hours", desk.RuleOutOfRange,
			desk.Params{"min": int(MinRetrainEvery / time.Hour), "max": int(MaxRetrainEvery / time.Hour), "unit": "h"},
			"must be from %v to %v", MinRetrainEvery, MaxRetrainEvery))
	}
	if len(fe) > 0 {
		return nil, desk.InvalidFields(fe...)
	}
	if err := s.store.SaveTriageSettings(ctx, Settings{AutoPercent: autoPercent, RetrainEvery: retrainEvery}); err != nil {
		return nil, err
	}
	s.forget()
	return s.store.TriageSettings(ctx)
}

// RequestTraining asks the job runner to retrain the model at its next
// sweep (on any instance). Administrators only.
func (s *Service) RequestTraining(ctx context.Context) (*Settings, error) {
	u, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.store.RequestTriageTraining(ctx, s.clock.Now(), u.ID); err != nil {
		return nil, err
	}
	return s.store.TriageSettings(ctx)
}

// forget makes the next use read the model and the settings again.
func (s *Service) forget() {
	s.mu.Lock()
	s.checked = time.Time{}
	s.mu.Unlock()
}

// Due reports whether the model should be retrained at now: asked for,
// never trained (and not tried within the retraining period), or older
// than the retraining period.
func Due(set *Settings, latest *desk.TriageModel, now time.Time) bool {
	if set.TrainRequestedAt != nil {
		return true
	}
	last := time.Time{}
	if latest != nil {
		last = latest.TrainedAt
	}
	if set.LastAttemptAt != nil && set.LastAttemptAt.After(last) {
		last = *set.LastAttemptAt
	}
	return now.Sub(last) >= set.RetrainEvery
}

// Sweep retrains the model when it is due and no other instance is
// training, storing it as the newest version; trained is false when
// nothing was due or the desk has too little history (recorded as the
// settings' LastError, not returned).
func (s *Service) Sweep(ctx context.Context) (trained bool, err error) {
	set, err := s.store.TriageSettings(ctx)
	if err != nil {
		return false, err
	}
	latest, err := s.store.LatestTriageModel(ctx, false)
	if err != nil && desk.ErrorCode(err) != desk.ENOTFOUND {
		return false, err
	}
	now := s.clock.Now()
	if !Due(set, latest, now) {
		return false, nil
	}
	ok, err := s.store.ClaimTriageTraining(ctx, now, now.Add(s.opts.Lease))
	if err != nil || !ok {
		return false, err
	}
	m, err := Train(ctx, s.store, s.opts.Config, now)
	if err == nil {
		err = s.store.SaveTriageModel(ctx, m)
	}
	outcome := ""
	if err != nil {
		outcome = err.Error()
	}
	if ferr := s.store.FinishTriageTraining(ctx, s.clock.Now(), outcome, set.TrainRequestedAt); ferr != nil {
		return false, errors.Join(err, ferr)
	}
	s.forget()
	if errors.Is(err, ErrTooLittleHistory) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("retrain triage model: %w", err)
	}
	return true, nil
}

// FieldReport is how the desk's own decisions of one field fared with the
// people who worked the tickets after.
type FieldReport struct {
	Field     string `json:"field"`
	Decided   int    `json:"decided"`   // set by the desk itself
	Confirmed int    `json:"confirmed"` // a person confirmed the value
	Corrected int    `json:"corrected"` // a person changed it
	// Kept are the decisions nobody corrected that a person confirmed or
	// that stayed until the ticket was resolved, closed or canceled.
	Kept int `json:"kept"`
	// Accuracy is the share of the measured decisions (confirmed,
	// corrected, or kept to the end) that nobody corrected; 0 when none
	// is measured yet.
	Accuracy float64 `json:"accuracy"`
}

// Report counts the desk's decisions made in [from, to) by field, with
// their accuracy as measured by later human corrections. Staff only.
func (s *Service) Report(ctx context.Context, from, to time.Time) ([]FieldReport, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	if !to.After(from) {
		return nil, desk.InvalidFields(desk.Invalid("to", desk.RuleNotAfter, desk.Params{"after": "from"}, "must come after from"))
	}
	got, err := s.store.TriageReport(ctx, from, to)
	if err != nil {
		return nil, err
	}
	by := map[string]FieldReport{}
	for _, r := range got {
		by[r.Field] = r
	}
	out := make([]FieldReport, len(desk.TriageFields))
	for i, f := range desk.TriageFields {
		r := by[f]
		r.Field = f
		if measured := r.Kept + r.Corrected; measured > 0 {
			r.Accuracy = float64(r.Kept) / float64(measured)
		}
		out[i] = r
	}
	return out, nil
}

// ReuseReport is how often resolutions were copied from earlier tickets
// ("Use this resolution") among the tickets resolved in some days.
type ReuseReport struct {
	Resolved  int     `json:"resolved"`   // tickets resolved, security cases left out
	Reused    int     `json:"reused"`     // of them, those whose resolution copied an earlier one
	ReuseRate float64 `json:"reuse_rate"` // Reused / Resolved; 0 with none resolved
}

// Reuse counts the tickets resolved in [from, to) and those of them whose
// resolution was copied from an earlier ticket. Staff only.
func (s *Service) Reuse(ctx context.Context, from, to time.Time) (ReuseReport, error) {
	if _, err := requireStaff(ctx); err != nil {
		return ReuseReport{}, err
	}
	if !to.After(from) {
		return ReuseReport{}, desk.InvalidFields(desk.Invalid("to", desk.RuleNotAfter, desk.Params{"after": "from"}, "must come after from"))
	}
	r, err := s.store.ReuseReport(ctx, from, to)
	if err == nil && r.Resolved > 0 {
		r.ReuseRate = float64(r.Reused) / float64(r.Resolved)
	}
	return r, err
}
