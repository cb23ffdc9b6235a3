package triagedesk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/triage"
)

// Settings are what administrators set about automatic triage, and the
// state of retraining.
type Settings struct {
	// AutoPercent is the confidence (per cent) at or above which a
	// suggestion is applied by itself to a ticket from e-mail, alerts or
	// the portal; 0: never.
	AutoPercent int `json:"auto_percent"`
	// RetrainEvery is how often the job runner retrains the model.
	RetrainEvery time.Duration `json:"-"`
	// TrainRequestedAt is when someone asked for a retraining not yet done.
	TrainRequestedAt *time.Time `json:"train_requested_at"`
	LastAttemptAt    *time.Time `json:"last_attempt_at"`
	// LastError is why the last training stored no model ("" when it did).
	LastError string `json:"last_error"`
}

// Retraining bounds.
const (
	MinRetrainEvery = time.Hour
	MaxRetrainEvery = 90 * 24 * time.Hour
)

// Store is what the service needs from storage.
type Store interface {
	desk.TriageStore
	ListGroups(ctx context.Context) ([]*desk.Group, error)
	ListCategories(ctx context.Context) ([]*desk.Category, error)
	ListServices(ctx context.Context) ([]*desk.Service, error)
	TriageSettings(ctx context.Context) (*Settings, error)
	// SaveTriageSettings stores AutoPercent and RetrainEvery.
	SaveTriageSettings(ctx context.Context, s Settings) error
	// RequestTriageTraining asks the job runner to retrain soon.
	RequestTriageTraining(ctx context.Context, at time.Time, by int64) error
	// ClaimTriageTraining takes the training lease until until when no
	// instance holds it at now; false when another does.
	ClaimTriageTraining(ctx context.Context, now, until time.Time) (bool, error)
	// FinishTriageTraining gives the lease back, records the outcome ("":
	// a model was stored) and clears a request made at or before asked.
	FinishTriageTraining(ctx context.Context, at time.Time, errText string, asked *time.Time) error
	// TriageReport counts the desk's decisions made in [from, to) by field.
	TriageReport(ctx context.Context, from, to time.Time) ([]FieldReport, error)
	// ReuseReport counts the tickets resolved in [from, to) that are no
	// security case, and those of them that reused a resolution.
	ReuseReport(ctx context.Context, from, to time.Time) (ReuseReport, error)
	// TriageAcceptance counts the outcomes recorded in [from, to) by
	// field (Rate left to the caller).
	TriageAcceptance(ctx context.Context, from, to time.Time) ([]AcceptanceReport, error)
}

// Options tune the service.
type Options struct {
	Config triage.Config // zero: triage.DefaultConfig()
	// Check is how often the newest model and the settings are read
	// again, so that every instance uses what another one trained; 0:
	// at every use.
	Check time.Duration
	// Lease is how long a training may take before another instance may
	// start one; zero: 30 minutes.
	Lease time.Duration
}

// Service suggests and applies ticket fields with the desk's newest
// triage model, retrains it, and reports how its decisions fared.
type Service struct {
	store Store
	desk  *desk.Desk
	clock desk.Clock
	opts  Options

	mu       sync.Mutex
	checked  time.Time
	model    *triage.Model
	info     *desk.TriageModel // without its bytes
	settings Settings
}

// New returns the service over st. It does not apply suggestions by
// itself until d.SetAutoTriager(service) is called.
func New(st Store, d *desk.Desk, clock desk.Clock, opts Options) *Service {
	if opts.Config.Bits == 0 {
		opts.Config = triage.DefaultConfig()
	}
	if opts.Lease <= 0 {
		opts.Lease = 30 * time.Minute
	}
	return &Service{store: st, desk: d, clock: clock, opts: opts}
}

// current returns the newest model (nil when none was trained) and the
// settings, read again when Check has passed.
func (s *Service) current(ctx context.Context) (*triage.Model, *desk.TriageModel, Settings, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	if s.opts.Check > 0 && !s.checked.IsZero() && now.Sub(s.checked) < s.opts.Check {
		return s.model, s.info, s.settings, nil
	}
	set, err := s.store.TriageSettings(ctx)
	if err != nil {
		return nil, nil, Settings{}, err
	}
	s.settings = *set
	latest, err := s.store.LatestTriageModel(ctx, false)
	switch {
	case desk.ErrorCode(err) == desk.ENOTFOUND:
		s.model, s.info = nil, nil
	case err != nil:
		return nil, nil, Settings{}, err
	case s.info == nil || s.info.Version != latest.Version:
		full, err := s.store.LatestTriageModel(ctx, true)
		if err != nil {
			return nil, nil, Settings{}, err
		}
		m, err := triage.Decode(full.Model)
		if err != nil {
			return nil, nil, Settings{}, fmt.Errorf("triage model version %d: %w", full.Version, err)
		}
		full.Model = nil
		s.model, s.info = m, full
	}
	s.checked = now
	return s.model, s.info, s.settings, nil
}

// Status says what a suggestion could be made of.
type Status string

// Statuses of Suggestions.
const (
	Ready      Status = "ready"      // suggestions follow
	NoModel    Status = "no_model"   // too little history: nothing is suggested yet
	Unreadable Status = "unreadable" // no English or Russian word in the text
	NoKnown    Status = "no_known_words"
)

// FieldSuggestion is the model's choice for one field, with the words
// that weighed most for it.
type FieldSuggestion struct {
	Field      string          `json:"field"`
	ID         int64           `json:"id,omitempty"` // the category, group or service; 0 for the type
	Value      string          `json:"value"`        // the type, or the name
	Confidence float64         `json:"confidence"`
	Reasons    []triage.Reason `json:"reasons"`
	// Auto is set when the confidence reaches the administrators'
	// threshold: on a ticket from e-mail, alerts or the portal the desk
	// sets the field by itself.
	Auto bool `json:"auto"`
}

// Suggestions are the model's choices for a text.
type Suggestions struct {
	Status      Status            `json:"status"`
	Message     string            `json:"message,omitempty"`
	Model       *desk.TriageModel `json:"-"`
	AutoPercent int               `json:"auto_percent"`
	Fields      []FieldSuggestion `json:"fields"`
}

// maxSuggestText bounds the text read (runes): the first words say what a
// ticket is about, and a pasted log must not make a suggestion slow.
const maxSuggestText = 8000

// ReasonWords is how many words are given as a suggestion's reasons.
const ReasonWords = 3

// Suggest returns the model's choices of type, category, group and
// service for a ticket's title and description. Staff only.
func (s *Service) Suggest(ctx context.Context, title, description string) (*Suggestions, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	var v []desk.FieldError
	for _, f := range []struct{ name, text string }{{"title", title}, {"description", description}} {
		if !utf8.ValidString(f.text) || strings.ContainsRune(f.text, 0) {
			v = append(v, desk.Invalid(f.name, desk.RuleInvalidText, nil, "is not UTF-8 text"))
		}
	}
	if strings.TrimSpace(title+description) == "" {
		v = append(v, desk.Invalid("title", desk.RuleRequired, nil, "a title or a description is needed to suggest from"))
	}
	if len(v) > 0 {
		return nil, desk.InvalidFields(v...)
	}
	return s.suggest(ctx, title, description)
}

func (s *Service) suggest(ctx context.Context, title, description string) (*Suggestions, error) {
	m, info, set, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	out := &Suggestions{Status: Ready, Model: info, AutoPercent: set.AutoPercent, Fields: []FieldSuggestion{}}
	text := clip(Text(title, description), maxSuggestText)
	switch {
	case m == nil:
		out.Status, out.Message = NoModel, "no triage model yet: the desk has too little resolved history to learn from"
		if set.LastError != "" {
			out.Message = set.LastError
		}
		return out, nil
	case triage.CheckText(text) != nil:
		out.Status, out.Message = Unreadable, "the text has no English or Russian word to suggest from"
		return out, nil
	}
	ids, err := s.names(ctx)
	if err != nil {
		return nil, err
	}
	for _, sg := range m.Suggest(text, ReasonWords) {
		if sg.Label == "" {
			continue
		}
		f := FieldSuggestion{Field: sg.Field, Value: sg.Label, Confidence: sg.Confidence, Reasons: sg.Reasons}
		if named, ok := ids[sg.Field]; ok {
			if f.ID = named[sg.Label]; f.ID == 0 {
				continue // renamed, retired or deactivated since the training
			}
		}
		f.Auto = set.AutoPercent > 0 && sg.Confidence*100 >= float64(set.AutoPercent) && slices.Contains(desk.TriageFields, sg.Field)
		out.Fields = append(out.Fields, f)
	}
	if len(out.Fields) == 0 {
		out.Status, out.Message = NoKnown, "the model knows none of the text's words"
	}
	return out, nil
}

// names maps the names of active categories (top level), groups and
// services to their ids, by field.
func (s *Service) names(ctx context.Context) (map[string]map[string]int64, error) {
	out := map[string]map[string]int64{"category": {}, "group": {}, "service": {}}
	cats, err := s.store.ListCategories(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		if c.ParentID == 0 && !c.Retired {
			out["category"][c.Name] = c.ID
		}
	}
	groups, err := s.store.ListGroups(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		if g.Active {
			out["group"][g.Name] = g.ID
		}
	}
	svcs, err := s.store.ListServices(ctx)
	if err != nil {
		return nil, err
	}
	for _, v := range svcs {
		if !v.Retired {
			out["service"][v.Name] = v.ID
		}
	}
	return out, nil
}

// AutoTriage implements desk.AutoTriager: the suggestions at or above the
// administrators' confidence, none without a model or a threshold.
func (s *Service) AutoTriage(ctx context.Context, title, description string) ([]desk.TriageChoice, error) {
	sg, err := s.suggest(ctx, title, description)
	if err != nil || sg.Status != Ready {
		return nil, err
	}
	var out []desk.TriageChoice
	for _, f := range sg.Fields {
		if f.Auto {
			out = append(out, desk.TriageChoice{Field: f.Field, ID: f.ID, Value: f.Value, Confidence: f.Confidence,
				ModelVersion: sg.Model.Version})
		}
	}
	return out, nil
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}

func actor(ctx context.Context) (*desk.User, error) {
	u := desk.ActorFrom(ctx)
	if u == nil || !u.Active {
		return nil, desk.Errorf(desk.EUNAUTHENTICATED, "authentication required")
	}
	return u, nil
}

func requireStaff(ctx context.Context) (*desk.User, error) {
	u, err := actor(ctx)
	if err == nil && !u.Role.IsStaff() {
		err = desk.Errorf(desk.EFORBIDDEN, "only service-desk staff may do this")
	}
	return u, err
}

func requireAdmin(ctx context.Context) (*desk.User, error) {
	u, err := actor(ctx)
	if err == nil && u.Role != desk.RoleAdmin {
		err = desk.Errorf(desk.EFORBIDDEN, "only administrators may do this")
	}
	return u, err
}

// PortalFields are the fields a requester's report form is offered
// suggestions for: what it is (the type) and the service, both of which
// the form asks. Categories and groups are the desk's own filing and stay
// among staff.
var PortalFields = []string{"type", "service"}

// SuggestReport returns the model's choices of PortalFields for a report
// being written in the portal, to anyone signed in. Text that says
// nothing suggests nothing (no error): the form is being typed.
func (s *Service) SuggestReport(ctx context.Context, title, description string) (*Suggestions, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	if strings.TrimSpace(title+description) == "" || !utf8.ValidString(title+description) {
		return &Suggestions{Status: NoKnown, Fields: []FieldSuggestion{}}, nil
	}
	sg, err := s.suggest(ctx, title, description)
	if err != nil {
		return nil, err
	}
	out := *sg
	out.Model, out.Fields = nil, []FieldSuggestion{}
	for _, f := range sg.Fields {
		if slices.Contains(PortalFields, f.Field) {
			f.Auto = false
			out.Fields = append(out.Fields, f)
		}
	}
	return &out, nil
}
