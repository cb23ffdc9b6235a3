package desk

import (
	"context"
	"time"
)

// TriageModel is a trained triage classifier as the desk stores it: the
// newest version is the one every instance suggests with.
type TriageModel struct {
	Version   int64
	TrainedAt time.Time
	Model     []byte // internal/triage's binary form; nil when read without it
	Fields    []TriageField
}

// TriageField is what a model learnt for one ticket field and how well it
// did on the tickets held back from its training.
type TriageField struct {
	Field    string  `json:"field"` // type, category, group, service
	Labels   int     `json:"labels"`
	Trained  int     `json:"trained"`
	Held     int     `json:"held"`
	Correct  int     `json:"correct"`
	Accuracy float64 `json:"accuracy"`
}

// TriageSample is a resolved or closed ticket's text with the values
// people left on it, by name ("" where it has none).
type TriageSample struct {
	TicketID    int64
	Title       string
	Description string
	Type        TicketType
	Category    string
	Group       string
	Service     string
	Impact      Level
	Urgency     Level
}

// TriageStore keeps triage models and reads what they learn from.
type TriageStore interface {
	// TriageSamples returns up to limit resolved or closed tickets with id
	// greater than after, by id.
	TriageSamples(ctx context.Context, after int64, limit int) ([]TriageSample, error)
	// TriageSamplesFloor returns the id after which the newest newest
	// resolved or closed tickets lie (0 when there are no more than that),
	// so that training reads only those.
	TriageSamplesFloor(ctx context.Context, newest int) (int64, error)
	// SaveTriageModel stores m as the newest version, setting m.Version;
	// only the newest few versions are kept.
	SaveTriageModel(ctx context.Context, m *TriageModel) error
	// LatestTriageModel returns the newest model (ENOTFOUND when none was
	// trained), with its bytes when withModel is set.
	LatestTriageModel(ctx context.Context, withModel bool) (*TriageModel, error)
	// TriageDecisions returns the fields of ticket id the desk set by
	// itself (TriageDecision), by field. The store keeps them in the
	// transaction of the events that make them: an event with reason
	// ReasonTriageApplied is a decision (field and value from its
	// params), one with ReasonTriageConfirmed confirms it, and a change
	// of a decided field by a person (an event with an actor, updated or
	// reassigned) corrects it; only the first confirmation or correction
	// counts. A person's resolution (ResolvesAsPerson) confirms every
	// decided field not corrected before it: they worked the ticket
	// through with those values. TriageSamples leaves out a decided field
	// neither confirmed nor corrected, so the model never learns from its
	// own guesses.
	TriageDecisions(ctx context.Context, ticketID int64) ([]TriageDecision, error)
}
