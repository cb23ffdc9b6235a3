package alertin

import (
	"fmt"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// groupPayload is Alertmanager's webhook body (version 4), which Grafana's
// unified alerting reuses (version 1) with a few fields of its own.
// See https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
// and Grafana's "Configure the webhook notifier for Alerting".
type groupPayload struct {
	Version           string            `json:"version"`
	GroupKey          string            `json:"groupKey"`
	TruncatedAlerts   int               `json:"truncatedAlerts"`
	Status            string            `json:"status"`
	Receiver          string            `json:"receiver"`
	GroupLabels       map[string]string `json:"groupLabels"`
	CommonLabels      map[string]string `json:"commonLabels"`
	CommonAnnotations map[string]string `json:"commonAnnotations"`
	ExternalURL       string            `json:"externalURL"`
	Alerts            []groupAlert      `json:"alerts"`
}

type groupAlert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     time.Time         `json:"startsAt"`
	EndsAt       time.Time         `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
	// Grafana only.
	SilenceURL   string `json:"silenceURL"`
	DashboardURL string `json:"dashboardURL"`
	PanelURL     string `json:"panelURL"`
	ValueString  string `json:"valueString"`
}

func parseAlertmanager(body []byte) ([]desk.AlertNotice, error) {
	return parseGroup(body, "4", "Alertmanager")
}

func parseGrafana(body []byte) ([]desk.AlertNotice, error) {
	return parseGroup(body, "1", "Grafana")
}

// parseGroup turns one group notification into one notice keyed by the
// group key; the desk splits it per fingerprint when the integration
// deduplicates by alert.
func parseGroup(body []byte, version, sender string) ([]desk.AlertNotice, error) {
	var p groupPayload
	if err := decode(body, &p, false); err != nil {
		return nil, err
	}
	if p.Version != version {
		return nil, invalid("version", desk.RuleMismatch, nil, "must be %q for a %s webhook, not %q", version, sender, p.Version)
	}
	if strings.TrimSpace(p.GroupKey) == "" {
		return nil, invalid("groupKey", desk.RuleRequired, nil, "is required")
	}
	if len(p.Alerts) == 0 {
		return nil, invalid("alerts", desk.RuleRequired, nil, "is required: at least one alert")
	}
	n := desk.AlertNotice{DedupKey: p.GroupKey, Truncated: max(p.TruncatedAlerts, 0)}
	for i, a := range p.Alerts {
		st, err := status(fmt.Sprintf("alerts[%d].status", i), a.Status)
		if err != nil {
			return nil, err
		}
		n.Alerts = append(n.Alerts, groupAlertOf(a, st))
	}
	return []desk.AlertNotice{n}, nil
}

func groupAlertOf(a groupAlert, st desk.AlertStatus) desk.Alert {
	fp := a.Fingerprint
	if fp == "" {
		fp = labelFingerprint(a.Labels)
	}
	details := firstOf(a.Annotations, "description", "message")
	if a.ValueString != "" {
		details = strings.TrimSpace(details + "\n\nValues: " + a.ValueString)
	}
	out := desk.Alert{Fingerprint: fp, Status: st,
		Summary:  firstOf(a.Annotations, "summary", "title"),
		Details:  details,
		Severity: strings.ToLower(firstOf(a.Labels, "severity", "priority")),
		Labels:   a.Labels, StartsAt: instant(a.StartsAt), EndsAt: instant(a.EndsAt)}
	for _, l := range []desk.AlertLink{
		{URL: a.GeneratorURL, Text: "Source"},
		{URL: a.Annotations["runbook_url"], Text: "Runbook"},
		{URL: a.DashboardURL, Text: "Dashboard"},
		{URL: a.PanelURL, Text: "Panel"},
		{URL: a.SilenceURL, Text: "Silence"},
	} {
		if strings.TrimSpace(l.URL) != "" {
			out.Links = append(out.Links, l)
		}
	}
	return out
}
