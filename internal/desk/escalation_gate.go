package desk

import (
	"context"
	"encoding/json"
)

// EscalationGate is asked before a functional escalation by a person is
// stored (internal/diagnosis: line 1's diagnosis checklist of the
// ticket's category). It refuses the escalation with an error, or returns
// notes to store with it in the same change (why the checklist was not
// answered) and line 1's answers for the receiving line's mail. t is the
// ticket as it will be after the escalation.
type EscalationGate interface {
	CheckEscalation(ctx context.Context, t *Ticket, in EscalationInput) (EscalationCheck, error)
}

// EscalationCheck is what the gate adds to an escalation.
type EscalationCheck struct {
	Notes []SystemNote
	// Diagnosis is line 1's last answered checklist of the ticket, which
	// the escalation's notice to the receiving line carries so that they
	// need not ask again; empty when nobody answered one.
	Diagnosis []DiagnosisAnswer
}

// DiagnosisAnswer is one answer of a diagnosis checklist as a notice
// carries it (payload key "diagnosis", a JSON list): the question by
// language, how it is answered (yes_no or text) and the answer.
type DiagnosisAnswer struct {
	Question map[string]string `json:"question"`
	Kind     string            `json:"kind"`
	Value    string            `json:"value"`
}

// DiagnosisPayload encodes answers for a notice's payload ("" for none).
func DiagnosisPayload(answers []DiagnosisAnswer) string {
	if len(answers) == 0 {
		return ""
	}
	b, err := json.Marshal(answers)
	if err != nil {
		return ""
	}
	return string(b)
}

// ParseDiagnosisPayload decodes DiagnosisPayload's text; nil when there
// is none or it is unreadable.
func ParseDiagnosisPayload(s string) []DiagnosisAnswer {
	var out []DiagnosisAnswer
	if s == "" || json.Unmarshal([]byte(s), &out) != nil {
		return nil
	}
	return out
}

// SetEscalationGate makes the desk ask g before each functional
// escalation (nil: none).
func (s *Desk) SetEscalationGate(g EscalationGate) {
	if g == nil {
		s.gate.Store(nil)
		return
	}
	s.gate.Store(&g)
}

// gateEscalation returns the events the gate adds to an escalation of t,
// and line 1's answers for its notice.
func (s *Desk) gateEscalation(ctx context.Context, t *Ticket, in EscalationInput) ([]Event, string, error) {
	g := s.gate.Load()
	if g == nil {
		return nil, "", nil
	}
	check, err := (*g).CheckEscalation(ctx, t, in)
	if err != nil {
		return nil, "", err
	}
	events := make([]Event, 0, len(check.Notes))
	for _, n := range check.Notes {
		if err := checkNote(n); err != nil {
			return nil, "", err
		}
		kind := n.Kind
		if kind == "" {
			kind = EventWorkNote
		}
		events = append(events, Event{Kind: kind, Body: n.Body}.because(n.Code, n.Params...))
	}
	return events, DiagnosisPayload(check.Diagnosis), nil
}
