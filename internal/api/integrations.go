package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// integrationJSON is an integration as admins see it; Token is set only in
// the answers to creation and rotation.
type integrationJSON struct {
	ID                int64                `json:"id"`
	Kind              desk.IntegrationKind `json:"kind"`
	Name              string               `json:"name"`
	URL               string               `json:"url"`
	Token             string               `json:"token,omitempty"`
	Rules             []desk.AlertRule     `json:"rules"`
	DefaultRule       desk.AlertRule       `json:"default_rule"`
	RateLimit         int                  `json:"rate_limit"`
	FlapWindowSeconds int64                `json:"flap_window_seconds"`
	DedupBy           string               `json:"dedup_by"`
	CreatedAt         time.Time            `json:"created_at"`
	TokenRotatedAt    time.Time            `json:"token_rotated_at"`
	Stats             integrationStatsJSON `json:"stats"`
}

type integrationStatsJSON struct {
	AlertsReceived     int64      `json:"alerts_received"`
	AlertsDeduplicated int64      `json:"alerts_deduplicated"`
	AlertsOverflow     int64      `json:"alerts_overflow"`
	IncidentsOpened    int64      `json:"incidents_opened"`
	LastAlertAt        *time.Time `json:"last_alert_at"`
}

func (s *server) integrationView(r *http.Request, ig *desk.Integration, token string) integrationJSON {
	st := ig.Settings
	return integrationJSON{ID: ig.ID, Kind: ig.Kind, Name: ig.Name, URL: s.alertsURL(r), Token: token,
		Rules: st.Rules, DefaultRule: st.Default, RateLimit: st.RateLimit,
		FlapWindowSeconds: int64(st.FlapWindow / time.Second), DedupBy: st.DedupBy,
		CreatedAt: ig.CreatedAt, TokenRotatedAt: ig.TokenRotatedAt,
		Stats: integrationStatsJSON{AlertsReceived: ig.Stats.AlertsReceived, AlertsDeduplicated: ig.Stats.AlertsDeduplicated,
			AlertsOverflow: ig.Stats.AlertsOverflow, IncidentsOpened: ig.Stats.IncidentsOpened, LastAlertAt: ig.Stats.LastAlertAt}}
}

// alertsURL is where senders post: the configured public URL, else the
// address this request came to.
func (s *server) alertsURL(r *http.Request) string {
	base := s.opts.PublicURL
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base + "/api/v1/alerts"
}

// integrationSettingsBody is the changeable part of an integration.
type integrationSettingsBody struct {
	Rules             optional[[]desk.AlertRule] `json:"rules"`
	DefaultRule       optional[desk.AlertRule]   `json:"default_rule"`
	RateLimit         optional[int]              `json:"rate_limit"`
	FlapWindowSeconds optional[int64]            `json:"flap_window_seconds"`
	DedupBy           optional[string]           `json:"dedup_by"`
}

type integrationCreateBody struct {
	Kind desk.IntegrationKind `json:"kind"`
	Name string               `json:"name"`
	integrationSettingsBody
}

type integrationPatchBody struct {
	Name optional[string] `json:"name"`
	integrationSettingsBody
}

// patch turns the body into a desk patch; null is refused for every field.
func (b integrationSettingsBody) patch(p *desk.IntegrationPatch) error {
	var nn fieldProblems
	set(&nn, "rules", b.Rules, &p.Rules)
	set(&nn, "default_rule", b.DefaultRule, &p.Default)
	set(&nn, "rate_limit", b.RateLimit, &p.RateLimit)
	set(&nn, "dedup_by", b.DedupBy, &p.DedupBy)
	var secs *int64
	set(&nn, "flap_window_seconds", b.FlapWindowSeconds, &secs)
	if secs != nil {
		d := time.Duration(*secs) * time.Second
		p.FlapWindow = &d
	}
	return nn.err()
}

func set[T any](nn *fieldProblems, field string, o optional[T], dst **T) {
	switch {
	case !o.Set:
	case o.Null:
		nn.fail(field, desk.RuleRequired, nil, "must not be null")
	default:
		v := o.Value
		*dst = &v
	}
}

func (s *server) createIntegration(w http.ResponseWriter, r *http.Request) error {
	var b integrationCreateBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	var p desk.IntegrationPatch
	if err := b.patch(&p); err != nil {
		return err
	}
	st := desk.DefaultIntegrationSettings()
	applyPatch(&st, p)
	ig, token, err := s.desk.CreateIntegration(r.Context(), desk.IntegrationInput{Kind: b.Kind, Name: b.Name, Settings: &st})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/integrations/"+strconv.FormatInt(ig.ID, 10))
	writeJSON(w, http.StatusCreated, s.integrationView(r, ig, token))
	return nil
}

// applyPatch sets the patch's settings on st (for creation).
func applyPatch(st *desk.IntegrationSettings, p desk.IntegrationPatch) {
	if p.Rules != nil {
		st.Rules = *p.Rules
	}
	if p.Default != nil {
		st.Default = *p.Default
	}
	if p.RateLimit != nil {
		st.RateLimit = *p.RateLimit
	}
	if p.FlapWindow != nil {
		st.FlapWindow = *p.FlapWindow
	}
	if p.DedupBy != nil {
		st.DedupBy = *p.DedupBy
	}
}

func (s *server) listIntegrations(w http.ResponseWriter, r *http.Request) error {
	list, err := s.desk.Integrations(r.Context())
	if err != nil {
		return err
	}
	out := make([]integrationJSON, len(list))
	for i, ig := range list {
		out[i] = s.integrationView(r, ig, "")
	}
	writeJSON(w, http.StatusOK, map[string]any{"integrations": out})
	return nil
}

func (s *server) getIntegration(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "integration")
	if err != nil {
		return err
	}
	ig, err := s.desk.Integration(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.integrationView(r, ig, ""))
	return nil
}

func (s *server) patchIntegration(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "integration")
	if err != nil {
		return err
	}
	var b integrationPatchBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	var p desk.IntegrationPatch
	var nn fieldProblems
	set(&nn, "name", b.Name, &p.Name)
	if err := nn.err(); err != nil {
		return err
	}
	if err := b.patch(&p); err != nil {
		return err
	}
	ig, err := s.desk.UpdateIntegration(r.Context(), id, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.integrationView(r, ig, ""))
	return nil
}

func (s *server) rotateIntegrationToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "integration")
	if err != nil {
		return err
	}
	ig, token, err := s.desk.RotateIntegrationToken(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.integrationView(r, ig, token))
	return nil
}

func (s *server) deleteIntegration(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "integration")
	if err != nil {
		return err
	}
	if err := s.desk.DeleteIntegration(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
