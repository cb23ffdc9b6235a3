package alertin

import (
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// GenericAlert is Tierdesk's own alert format, for anything that can post
// JSON (documented in README.md and openapi.json, schema GenericAlert).
// Unknown fields are refused, so that a misspelt field is not lost.
type GenericAlert struct {
	// Summary becomes the incident's title; required when firing.
	Summary string `json:"summary"`
	// Details becomes its description.
	Details string `json:"details"`
	// Severity: critical, error, warning or info (others are kept as
	// labels for rules and treated as warning).
	Severity string `json:"severity"`
	// DedupKey groups alerts into one incident; default: the summary.
	DedupKey string `json:"dedup_key"`
	// Status is firing (default) or resolved.
	Status string            `json:"status"`
	Labels map[string]string `json:"labels"`
	Links  []desk.AlertLink  `json:"links"`
}

func parseGeneric(body []byte) ([]desk.AlertNotice, error) {
	var g GenericAlert
	if err := decode(body, &g, true); err != nil {
		return nil, err
	}
	if g.Status == "" {
		g.Status = string(desk.AlertFiring)
	}
	st, err := status("status", g.Status)
	if err != nil {
		return nil, err
	}
	key := strings.TrimSpace(g.DedupKey)
	if key == "" {
		key = strings.TrimSpace(g.Summary)
	}
	if key == "" {
		return nil, invalid("dedup_key", desk.RuleRequired, nil, "is required when there is no summary")
	}
	if st == desk.AlertFiring && strings.TrimSpace(g.Summary) == "" {
		return nil, invalid("summary", desk.RuleRequired, nil, "is required for a firing alert")
	}
	a := desk.Alert{Fingerprint: key, Status: st, Summary: strings.TrimSpace(g.Summary), Details: g.Details,
		Severity: strings.ToLower(strings.TrimSpace(g.Severity)), Labels: g.Labels, Links: g.Links}
	return []desk.AlertNotice{{DedupKey: key, Alerts: []desk.Alert{a}}}, nil
}
