package triagedesk

import (
	"context"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// What line 1 does with the suggestions of the register form (issue 13):
// each field the model suggested a value for when a call was registered
// is recorded with the value the agent registered (desk.TriageOutcome, in
// the ticket's transaction), so that the reports can say how often each
// suggestion is taken.

// AcceptanceReport counts, for one field, the tickets registered while
// the model suggested a value for it and what the agents did with it.
type AcceptanceReport struct {
	Field      string `json:"field"`
	Suggested  int    `json:"suggested"`  // registered with a suggestion shown
	Accepted   int    `json:"accepted"`   // registered with the suggested value
	Overridden int    `json:"overridden"` // registered with another value
	// Rate is Accepted / Suggested; 0 when nothing was suggested.
	Rate float64 `json:"acceptance_rate"`
}

// Key is the suggestion's value as the register form holds it: the type
// or level as written, a category, group or service by id.
func (f FieldSuggestion) Key() string {
	if f.ID == 0 {
		return f.Value
	}
	return strconv.FormatInt(f.ID, 10)
}

// Outcomes returns, for every field the model suggests for the ticket's
// title and description, the value the agent registers (chosen, by field,
// as Key writes values) and whether it is the suggested one, for the
// registration to carry (desk.NewTicket.TriageOutcomes): they are written
// in the ticket's own transaction. None without a model. Staff only.
func (s *Service) Outcomes(ctx context.Context, title, description string, chosen map[string]string) ([]desk.TriageOutcome, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	sg, err := s.suggest(ctx, title, description)
	if err != nil || sg.Status != Ready {
		return nil, err
	}
	out := make([]desk.TriageOutcome, 0, len(sg.Fields))
	for _, f := range sg.Fields {
		c := chosen[f.Field]
		out = append(out, desk.TriageOutcome{Field: f.Field, Suggested: f.Key(), Chosen: c, Accepted: c == f.Key(),
			Confidence: f.Confidence, ModelVersion: sg.Model.Version})
	}
	return out, nil
}

// Acceptance counts what agents did with the suggestions of the tickets
// registered in [from, to), by field (every suggested field, in order).
// Staff only.
func (s *Service) Acceptance(ctx context.Context, from, to time.Time) ([]AcceptanceReport, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	if err := checkSpan(from, to); err != nil {
		return nil, err
	}
	got, err := s.store.TriageAcceptance(ctx, from, to)
	if err != nil {
		return nil, err
	}
	by := map[string]AcceptanceReport{}
	for _, r := range got {
		by[r.Field] = r
	}
	out := make([]AcceptanceReport, len(Fields))
	for i, f := range Fields {
		r := by[f]
		r.Field = f
		if r.Suggested > 0 {
			r.Rate = float64(r.Accepted) / float64(r.Suggested)
		}
		out[i] = r
	}
	return out, nil
}

// checkSpan refuses a report's days that end before they begin.
func checkSpan(from, to time.Time) error {
	if !to.After(from) {
		return desk.InvalidFields(desk.Invalid("to", desk.RuleNotAfter, desk.Params{"after": "from"}, "must come after from"))
	}
	return nil
}
