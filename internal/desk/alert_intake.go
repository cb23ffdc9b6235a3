package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// AlertOutcome is what became of one dedup key of a notification.
type AlertOutcome struct {
	DedupKey     string
	Action       AlertAction
	Alerts       int
	Repeats      int64
	TicketID     int64
	TicketNumber string
}

// AlertReceipt answers a notification.
type AlertReceipt struct {
	Alerts   int
	Outcomes []AlertOutcome
}

// ReceiveAlerts takes one notification of an authenticated integration:
// it records every notice (deduplicated into its key's group, counted,
// rate-limited) and then opens, reopens or clears incidents as the steps
// say. Incidents are registered through CreateTicket like any other ticket
// (channel monitoring), so SLA timers and paging apply; the idempotency key
// of a group's generation makes that exactly once, even when two
// notifications race or an earlier attempt died before linking its
// incident. Errors: EUNAUTHENTICATED, EINVALID (nothing stored),
// ELIMIT (only the overflow counted); anything else is transient.
func (s *Desk) ReceiveAlerts(ctx context.Context, ig *Integration, notices []AlertNotice) (*AlertReceipt, error) {
	if ig == nil || !ig.authenticated {
		return nil, Errorf(EUNAUTHENTICATED, "invalid integration token")
	}
	notices, total, err := checkNotices(ig, notices)
	if err != nil {
		return nil, err
	}
	// Microseconds, as stored: a group's times read back must equal the
	// ones the first attempt used, or a retried registration would differ.
	now := s.clock.Now().Truncate(time.Microsecond)
	steps, err := s.store.RecordAlerts(ctx, AlertBatch{IntegrationID: ig.ID, Notices: notices, At: now,
		RateLimit: ig.Settings.RateLimit, FlapWindow: ig.Settings.FlapWindow})
	if err != nil {
		return nil, err
	}
	sys := WithActor(ctx, &User{ID: 0, Role: RoleAdmin, Active: true, Name: "integration " + ig.Name})
	rc := &AlertReceipt{Alerts: total}
	for i, st := range steps {
		out, err := s.followStep(sys, ig, st, now)
		if err != nil {
			return nil, fmt.Errorf("alerts for %q: %w", notices[i].DedupKey, err)
		}
		out.DedupKey, out.Alerts = notices[i].DedupKey, len(notices[i].Alerts)
		rc.Outcomes = append(rc.Outcomes, out)
	}
	return rc, nil
}

// followStep does to the incident what a recorded step asks.
func (s *Desk) followStep(sys context.Context, ig *Integration, st AlertStep, now time.Time) (AlertOutcome, error) {
	g := st.Group
	out := AlertOutcome{Action: st.Action, Repeats: st.Repeats, TicketID: g.TicketID, TicketNumber: g.TicketNumber}
	if !st.Stored || g.Generation == 0 {
		return out, nil
	}
	if g.TicketID == 0 {
		t, err := s.openIncident(sys, ig, g)
		if err != nil {
			return out, err
		}
		out.TicketID, out.TicketNumber = t.ID, t.Number
		g.TicketID = t.ID
	}
	switch st.Action {
	case AlertReopened:
		return out, s.reopenForAlert(sys, g, now)
	case AlertCleared:
		return out, s.clearIncident(sys, ig, g)
	}
	return out, nil
}

// openIncident registers (or, after a race or a crash, finds) the incident
// of the group's current generation and links it to the group.
func (s *Desk) openIncident(sys context.Context, ig *Integration, g AlertGroup) (*Ticket, error) {
	a := g.Opening
	rule := ig.Settings.MatchRule(a)
	impact, urgency := severityLevels(a.Severity)
	if rule.Impact != "" {
		impact = rule.Impact
	}
	if rule.Urgency != "" {
		urgency = rule.Urgency
	}
	reported := g.FirstAt
	nt := NewTicket{Type: TypeIncident, Title: alertTitle(a, g.DedupKey), Description: alertDescription(ig, g),
		Requester: PersonInput{Name: clipRunes(ig.Name, MaxNameLen), Email: IntegrationEmail(ig.ID)},
		Channel:   ChannelMonitoring, ReportedAt: &reported, Impact: impact, Urgency: urgency,
		CategoryID: rule.CategoryID, SubcategoryID: rule.SubcategoryID, ServiceID: rule.ServiceID, GroupID: rule.GroupID,
		Security: rule.Security}
	key := fmt.Sprintf("alert:%d:%d:%d", ig.ID, g.ID, g.Generation)
	t, _, err := s.CreateTicket(sys, nt, key)
	if err != nil {
		return nil, fmt.Errorf("open incident: %w", err)
	}
	if err := s.store.LinkAlertIncident(sys, g.ID, g.Generation, t.ID); err != nil {
		return nil, fmt.Errorf("link incident %s: %w", t.Number, err)
	}
	return t, nil
}

// IntegrationEmail is the requester address of an integration's incidents:
// under .invalid (RFC 2606), so that nothing is ever mailed to it.
func IntegrationEmail(id int64) string { return fmt.Sprintf("integration-%d@alerts.invalid", id) }

func alertTitle(a Alert, key string) string {
	title := strings.TrimSpace(a.Summary)
	if title == "" {
		title = strings.TrimSpace(strings.Join(nonEmpty(a.Labels["alertname"], a.Labels["instance"]), " on "))
	}
	if title == "" {
		title = "Alert " + key
	}
	return clipRunes(title, MaxTitleLen)
}

func nonEmpty(ss ...string) []string {
	return slices.DeleteFunc(ss, func(s string) bool { return s == "" })
}

// alertDescription is the opening alert in text: details, severity,
// labels (sorted) and links, and where it came from.
func alertDescription(ig *Integration, g AlertGroup) string {
	a := g.Opening
	var b strings.Builder
	if d := strings.TrimSpace(a.Details); d != "" {
		b.WriteString(d + "\n\n")
	}
	fmt.Fprintf(&b, "Alert from %s (%s), dedup key %s.\n", ig.Name, ig.Kind, g.DedupKey)
	if a.Severity != "" {
		fmt.Fprintf(&b, "Severity: %s\n", a.Severity)
	}
	if a.StartsAt != nil {
		fmt.Fprintf(&b, "Started: %s\n", a.StartsAt.UTC().Format(time.RFC3339))
	}
	if len(a.Labels) > 0 {
		b.WriteString("Labels:\n")
		keys := make([]string, 0, len(a.Labels))
		for k := range a.Labels {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "  %s=%s\n", k, a.Labels[k])
		}
	}
	for _, l := range a.Links {
		text := l.Text
		if text == "" {
			text = "link"
		}
		fmt.Fprintf(&b, "%s: %s\n", text, l.URL)
	}
	if g.grouped() {
		b.WriteString("\n" + AlertTable(&g))
	}
	return clipRunes(strings.TrimSpace(b.String()), MaxTextLen)
}

// checkNotices validates a notification and splits it per alert when the
// integration deduplicates by alert. Long summaries and details are cut,
// anything malformed is refused with nothing stored.
func checkNotices(ig *Integration, notices []AlertNotice) ([]AlertNotice, int, error) {
	var v validation
	total := 0
	for i := range notices {
		n := &notices[i]
		f := fmt.Sprintf("notices[%d]", i)
		v.text(f+".dedup_key", n.DedupKey, MaxDedupKeyLen, true)
		if len(n.Alerts) == 0 {
			v.add(f+".alerts", RuleRequired, nil, "is required: at least one alert")
		}
		for j := range n.Alerts {
			checkAlert(&v, fmt.Sprintf("%s.alerts[%d]", f, j), &n.Alerts[j])
		}
		total += len(n.Alerts)
	}
	if len(notices) == 0 {
		v.add("alerts", RuleRequired, nil, "is required: at least one alert")
	}
	if err := v.err(); err != nil {
		return nil, 0, err
	}
	if ig.Kind == KindGeneric || ig.Settings.DedupBy != DedupByAlert {
		return notices, total, nil
	}
	var split []AlertNotice
	for _, n := range notices {
		for _, a := range n.Alerts {
			key := a.Fingerprint
			if key == "" {
				key = n.DedupKey
			}
			split = append(split, AlertNotice{DedupKey: key, Alerts: []Alert{a}})
		}

	}
	return split, total, nil
}

func checkAlert(v *validation, f string, a *Alert) {
	v.enum(f+".status", string(a.Status), []string{string(AlertFiring), string(AlertResolved)}, true)
	v.text(f+".fingerprint", a.Fingerprint, MaxDedupKeyLen, false)
	a.Summary = clipRunes(a.Summary, MaxTitleLen)
	a.Details = clipRunes(a.Details, MaxTextLen)
	v.text(f+".summary", a.Summary, MaxTitleLen, false)
	v.text(f+".details", a.Details, MaxTextLen, false)
	v.text(f+".severity", a.Severity, 50, false)
	a.Severity = strings.ToLower(strings.TrimSpace(a.Severity))
	if len(a.Labels) > MaxAlertLabels {
		v.add(f+".labels", RuleTooMany, Params{"max": MaxAlertLabels}, "at most %d labels", MaxAlertLabels)
	}
	for k, val := range a.Labels {
		if !utf8.ValidString(k) || k == "" || len(k) > MaxLabelLen || strings.ContainsRune(k, 0) {
			v.add(f+".labels", RuleInvalidText, Params{"max": MaxLabelLen, "unit": "bytes"}, "label names must be valid, non-empty text of at most %d bytes", MaxLabelLen)
			break
		}
		v.text(f+".labels."+k, val, MaxLabelLen, false)
	}
	if len(a.Links) > MaxAlertLinks {
		v.add(f+".links", RuleTooMany, Params{"max": MaxAlertLinks}, "at most %d links", MaxAlertLinks)
	}
	for i, l := range a.Links {
		v.text(fmt.Sprintf("%s.links[%d].url", f, i), l.URL, 2_000, true)
		v.text(fmt.Sprintf("%s.links[%d].text", f, i), l.Text, MaxNameLen, false)
	}
}
