package desk

import "regexp"

// Reasons of the automatic triage (issue 13): a field the desk set itself
// from the triage model's suggestion, and a person confirming it.
const (
	ReasonTriageApplied   ReasonCode = "triage_applied"   // field, value, confidence (per cent), version
	ReasonTriageConfirmed ReasonCode = "triage_confirmed" // field, value
)

func init() {
	reasonTexts = append(reasonTexts, []struct {
		code   ReasonCode
		text   string
		params []string
		re     *regexp.Regexp
	}{
		{ReasonTriageApplied, "the triage model set the %s to %s (%s %% sure, model version %s)",
			[]string{"field", "value", "confidence", "version"},
			regexp.MustCompile(`^the triage model set the (type|category|group|service) to (.+) \((\d+) % sure, model version (\d+)\)$`)},
		{ReasonTriageConfirmed, "confirmed the %s %s the triage model set", []string{"field", "value"},
			regexp.MustCompile(`^confirmed the (type|category|group|service) (.+) the triage model set$`)},
	}...)
}
