package desk

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// MaxAlertRules bounds an integration's rule list.
const MaxAlertRules = 200

// Label matcher operators, as in Prometheus: regular expressions are
// anchored at both ends.
const (
	MatchEqual    = "="
	MatchNotEqual = "!="
	MatchRegexp   = "=~"
	MatchNotRegex = "!~"
)

// LabelMatcher tests one label of an alert; a missing label is "".
type LabelMatcher struct {
	Label string `json:"label"`
	Op    string `json:"op"`
	Value string `json:"value"`
}

// AlertRule maps the alerts it matches to the fields of their incident.
// Every matcher must hold, and the severity must be one of Severities
// when any are given. Zero fields leave the desk's defaults: routing by
// service or category, and impact and urgency from the severity.
type AlertRule struct {
	Name          string         `json:"name,omitempty"`
	Matchers      []LabelMatcher `json:"matchers,omitempty"`
	Severities    []string       `json:"severities,omitempty"`
	ServiceID     int64          `json:"service_id,omitempty"`
	CategoryID    int64          `json:"category_id,omitempty"`
	SubcategoryID int64          `json:"subcategory_id,omitempty"`
	GroupID       int64          `json:"group_id,omitempty"`
	Impact        Level          `json:"impact,omitempty"`
	Urgency       Level          `json:"urgency,omitempty"`
	// AutoResolve resolves the incident when all its alerts resolve, unless
	// a person has taken it over.
	AutoResolve bool `json:"auto_resolve,omitempty"`
	// Security opens the incident as a security case (security.go): in
	// GroupID when that is a security group, else in the security group.
	Security bool `json:"security,omitempty"`
}

// Matches reports whether the rule applies to a.
func (r AlertRule) Matches(a Alert) bool {
	if len(r.Severities) > 0 && !slices.Contains(r.Severities, strings.ToLower(a.Severity)) {
		return false
	}
	for _, m := range r.Matchers {
		if !m.matches(a.Labels[m.Label]) {
			return false
		}
	}
	return true
}

func (m LabelMatcher) matches(v string) bool {
	switch m.Op {
	case MatchEqual:
		return v == m.Value
	case MatchNotEqual:
		return v != m.Value
	}
	re, err := anchored(m.Value)
	if err != nil {
		return false // refused when the rule was saved
	}
	return re.MatchString(v) == (m.Op == MatchRegexp)
}

func anchored(expr string) (*regexp.Regexp, error) { return regexp.Compile("^(?:" + expr + ")$") }

// MatchRule returns the first rule matching a, else the default.
func (st IntegrationSettings) MatchRule(a Alert) AlertRule {
	for _, r := range st.Rules {
		if r.Matches(a) {
			return r
		}
	}
	return st.Default
}

// severityLevels is the impact and urgency of an alert whose rule names
// none: critical alerts are P1 under the default matrix.
func severityLevels(severity string) (impact, urgency Level) {
	switch strings.ToLower(severity) {
	case "critical", "fatal", "emergency", "page", "p1":
		return LevelHigh, LevelHigh
	case "error", "major", "high", "p2":
		return LevelHigh, LevelMedium
	case "info", "informational", "low", "none", "p4":
		return LevelLow, LevelLow
	}
	return LevelMedium, LevelMedium // warning, unknown
}

// checkRule validates one rule's shape.
func checkRule(v *validation, field string, r *AlertRule, matchers bool) {
	v.text(field+".name", r.Name, MaxNameLen, false)
	if !matchers && len(r.Matchers)+len(r.Severities) > 0 {
		v.add(field, RuleNotAllowed, nil, "the default rule applies when no other does: it has no matchers or severities")
	}
	for i, m := range r.Matchers {
		f := fmt.Sprintf("%s.matchers[%d]", field, i)
		v.text(f+".label", m.Label, MaxLabelLen, true)
		v.enum(f+".op", m.Op, []string{MatchEqual, MatchNotEqual, MatchRegexp, MatchNotRegex}, true)
		if m.Op == MatchRegexp || m.Op == MatchNotRegex {
			if _, err := anchored(m.Value); err != nil {
				v.add(f+".value", RuleInvalidFmt, Params{"format": "regexp"}, "is not a regular expression: %v", err)
			}
		}
	}
	for i := range r.Severities {
		r.Severities[i] = strings.ToLower(strings.TrimSpace(r.Severities[i]))
	}
	v.enum(field+".impact", string(r.Impact), names(Levels), false)
	v.enum(field+".urgency", string(r.Urgency), names(Levels), false)
}

// checkRuleRefs checks that the records a rule names exist and are usable
// (a new incident would otherwise fail to open).
func (s *Desk) checkRuleRefs(ctx context.Context, field string, r AlertRule) error {
	t := &Ticket{}
	if err := s.setClassification(ctx, t, r.CategoryID, r.SubcategoryID, r.ServiceID); err != nil {
		return prefixFields(err, field)
	}
	if r.GroupID != 0 {
		g, err := s.activeGroup(ctx, "group_id", r.GroupID)
		if err != nil {
			return prefixFields(err, field)
		}
		if r.Security && !g.Security {
			return fieldError(field+".group_id", RuleSecurityCase, nil, "group %s is not a security group", g.Name)
		}
	}
	if r.Security && r.GroupID == 0 {
		g, err := s.securityGroup(ctx)
		if err != nil {
			return err
		}
		if g == nil {
			return fieldError(field+".security", RuleSecurityCase, nil, "there is no active security group to take these incidents: create one with `tierdesk security group`")
		}
	}
	return nil
}

// prefixFields names a rule's fields in a validation error.
func prefixFields(err error, prefix string) error {
	e, ok := err.(*Error)
	if !ok {
		return err
	}
	out := *e
	out.Fields = make([]FieldError, len(e.Fields))
	for i, f := range e.Fields {
		f.Field = prefix + "." + f.Field
		out.Fields[i] = f
	}
	return &out
}
