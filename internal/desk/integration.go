package desk

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// IntegrationKind is the kind of monitoring system an integration accepts.
type IntegrationKind string

// Integration kinds.
const (
	KindAlertmanager IntegrationKind = "alertmanager" // Prometheus Alertmanager webhook, version 4
	KindGrafana      IntegrationKind = "grafana"      // Grafana unified-alerting webhook
	KindGeneric      IntegrationKind = "generic"      // Tierdesk's documented JSON
)

// IntegrationKinds lists every kind.
var IntegrationKinds = []IntegrationKind{KindAlertmanager, KindGrafana, KindGeneric}

// Dedup modes of Alertmanager and Grafana integrations.
const (
	DedupByGroup = "group" // one incident per notification group (groupKey)
	DedupByAlert = "alert" // one incident per alert (fingerprint)
)

// Defaults of a new integration.
const (
	DefaultAlertRateLimit  = 20_000 // alerts a minute
	DefaultFlapWindow      = 30 * time.Minute
	integrationTokenPrefix = "tdi_"
)

// IntegrationSettings are an integration's rules and limits.
type IntegrationSettings struct {
	// Rules map alerts to incident fields; the first that matches wins,
	// and Default applies when none does.
	Rules   []AlertRule `json:"rules"`
	Default AlertRule   `json:"default"`
	// RateLimit is the number of alerts accepted a minute (0: no limit);
	// beyond it notifications are refused (429) and counted as overflow.
	RateLimit int `json:"rate_limit"`
	// FlapWindow is how long after its incident resolved an alert that
	// fires again reopens it instead of opening a new one.
	FlapWindow time.Duration `json:"flap_window"`
	// DedupBy is DedupByGroup or DedupByAlert (Alertmanager, Grafana).
	DedupBy string `json:"dedup_by"`
}

// IntegrationStats are an integration's counters since it was created.
type IntegrationStats struct {
	AlertsReceived     int64
	AlertsDeduplicated int64 // repeats counted on an incident instead of opening one
	AlertsOverflow     int64 // refused by the rate limit
	IncidentsOpened    int64
	LastAlertAt        *time.Time
}

// Integration is a monitoring system allowed to post alerts with its own
// secret token (only the token's hash is stored).
type Integration struct {
	ID             int64
	Kind           IntegrationKind
	Name           string
	Settings       IntegrationSettings
	Stats          IntegrationStats
	CreatedAt      time.Time
	TokenRotatedAt time.Time

	authenticated bool // set by AuthenticateIntegration only
}

// IntegrationStore keeps integrations.
type IntegrationStore interface {
	// CreateIntegration assigns in.ID; a taken name is EINVALID on "name".
	CreateIntegration(ctx context.Context, in *Integration, tokenHash []byte) error
	GetIntegration(ctx context.Context, id int64) (*Integration, error)
	// IntegrationByTokenHash returns the integration owning the token
	// (ENOTFOUND if none).
	IntegrationByTokenHash(ctx context.Context, hash []byte) (*Integration, error)
	// ListIntegrations returns every integration by id.
	ListIntegrations(ctx context.Context) ([]*Integration, error)
	// UpdateIntegration stores Name and Settings.
	UpdateIntegration(ctx context.Context, in *Integration) error
	// SetIntegrationToken replaces the token hash; the old token stops
	// working at once.
	SetIntegrationToken(ctx context.Context, id int64, hash []byte, at time.Time) error
	// DeleteIntegration deletes the integration and its alert groups; the
	// incidents stay.
	DeleteIntegration(ctx context.Context, id int64) error
}

// IntegrationInput creates an integration; nil Settings means defaults.
type IntegrationInput struct {
	Kind     IntegrationKind
	Name     string
	Settings *IntegrationSettings
}

// IntegrationPatch changes an integration; nil leaves a field alone.
type IntegrationPatch struct {
	Name       *string
	Rules      *[]AlertRule
	Default    *AlertRule
	RateLimit  *int
	FlapWindow *time.Duration
	DedupBy    *string
}

// DefaultIntegrationSettings are a new integration's settings.
func DefaultIntegrationSettings() IntegrationSettings {
	return IntegrationSettings{Rules: []AlertRule{}, RateLimit: DefaultAlertRateLimit,
		FlapWindow: DefaultFlapWindow, DedupBy: DedupByGroup}
}

// CreateIntegration adds an integration (admins only) and returns it with
// its token, which is shown this once.
func (s *Desk) CreateIntegration(ctx context.Context, in IntegrationInput) (*Integration, string, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, "", err
	}
	ig := &Integration{Kind: in.Kind, Name: strings.TrimSpace(in.Name), Settings: DefaultIntegrationSettings()}
	if in.Settings != nil {
		ig.Settings = *in.Settings
	}
	var v validation
	v.enum("kind", string(ig.Kind), names(IntegrationKinds), true)
	v.text("name", ig.Name, MaxNameLen, true)
	if err := v.err(); err != nil {
		return nil, "", err
	}
	if err := s.checkSettings(ctx, &ig.Settings); err != nil {
		return nil, "", err
	}
	token, err := newIntegrationToken()
	if err != nil {
		return nil, "", err
	}
	now := s.clock.Now()
	ig.CreatedAt, ig.TokenRotatedAt = now, now
	if err := s.store.CreateIntegration(ctx, ig, HashToken(token)); err != nil {
		return nil, "", fmt.Errorf("create integration: %w", err)
	}
	return ig, token, nil
}

func newIntegrationToken() (string, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", fmt.Errorf("integration token: %w", err)
	}
	return integrationTokenPrefix + base64.RawURLEncoding.EncodeToString(secret), nil
}

// Integrations lists every integration (admins only).
func (s *Desk) Integrations(ctx context.Context) ([]*Integration, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.store.ListIntegrations(ctx)
}

// Integration returns one integration with its counters (admins only).
func (s *Desk) Integration(ctx context.Context, id int64) (*Integration, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.store.GetIntegration(ctx, id)
}

// UpdateIntegration changes an integration's name, rules or limits
// (admins only).
func (s *Desk) UpdateIntegration(ctx context.Context, id int64, p IntegrationPatch) (*Integration, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	ig, err := s.store.GetIntegration(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Name != nil {
		ig.Name = strings.TrimSpace(*p.Name)
		var v validation
		v.text("name", ig.Name, MaxNameLen, true)
		if err := v.err(); err != nil {
			return nil, err
		}
	}
	st := &ig.Settings
	setIf(&st.Rules, p.Rules)
	setIf(&st.Default, p.Default)
	setIf(&st.RateLimit, p.RateLimit)
	setIf(&st.FlapWindow, p.FlapWindow)
	setIf(&st.DedupBy, p.DedupBy)
	if err := s.checkSettings(ctx, st); err != nil {
		return nil, err
	}
	if err := s.store.UpdateIntegration(ctx, ig); err != nil {
		return nil, fmt.Errorf("update integration %d: %w", id, err)
	}
	return ig, nil
}

// RotateIntegrationToken issues a new token for the integration (admins
// only); the old one stops working at once.
func (s *Desk) RotateIntegrationToken(ctx context.Context, id int64) (*Integration, string, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, "", err
	}
	token, err := newIntegrationToken()
	if err != nil {
		return nil, "", err
	}
	if err := s.store.SetIntegrationToken(ctx, id, HashToken(token), s.clock.Now()); err != nil {
		return nil, "", fmt.Errorf("rotate integration %d token: %w", id, err)
	}
	ig, err := s.store.GetIntegration(ctx, id)
	return ig, token, err
}

// DeleteIntegration removes an integration (admins only): its token stops
// working, its incidents stay.
func (s *Desk) DeleteIntegration(ctx context.Context, id int64) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.store.DeleteIntegration(ctx, id)
}

// AuthenticateIntegration returns the integration owning token, which
// ReceiveAlerts then accepts alerts for.
func (s *Desk) AuthenticateIntegration(ctx context.Context, token string) (*Integration, error) {
	if !strings.HasPrefix(token, integrationTokenPrefix) {
		return nil, Errorf(EUNAUTHENTICATED, "invalid integration token")
	}
	ig, err := s.store.IntegrationByTokenHash(ctx, HashToken(token))
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(EUNAUTHENTICATED, "invalid integration token")
	}
	if err != nil {
		return nil, err
	}
	ig.authenticated = true
	return ig, nil
}

// checkSettings validates settings and the records their rules name.
func (s *Desk) checkSettings(ctx context.Context, st *IntegrationSettings) error {
	var v validation
	if st.Rules == nil {
		st.Rules = []AlertRule{}
	}
	if st.DedupBy == "" {
		st.DedupBy = DedupByGroup
	}
	v.enum("dedup_by", st.DedupBy, []string{DedupByGroup, DedupByAlert}, true)
	if st.RateLimit < 0 {
		v.add("rate_limit", RuleTooSmall, Params{"min": 0}, "must be 0 (no limit) or more")
	}
	if st.FlapWindow < 0 || st.FlapWindow > 30*24*time.Hour {
		v.add("flap_window", RuleOutOfRange, Params{"min": 0, "max": 30, "unit": "days"}, "must be between 0 and 30 days")
	}
	if len(st.Rules) > MaxAlertRules {
		v.add("rules", RuleTooMany, Params{"max": MaxAlertRules}, "at most %d rules", MaxAlertRules)
	}
	for i := range st.Rules {
		checkRule(&v, fmt.Sprintf("rules[%d]", i), &st.Rules[i], true)
	}
	checkRule(&v, "default", &st.Default, false)
	if err := v.err(); err != nil {
		return err
	}
	for i, r := range append([]AlertRule{st.Default}, st.Rules...) {
		field := "default"
		if i > 0 {
			field = fmt.Sprintf("rules[%d]", i-1)
		}
		if err := s.checkRuleRefs(ctx, field, r); err != nil {
			return err
		}
	}
	return nil
}
