package major

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Update is one public update of a major incident: what is affected, what
// is being done, and when the next update comes. It goes to the children's
// requesters and the stakeholders; it never carries internal notes.
type Update struct {
	ID       int64
	MajorID  int64
	PostedAt time.Time
	PostedBy int64
	Affected string
	Doing    string
	NextAt   time.Time // when the next update is promised
	// DueAt is when this update was due (the incident's NextUpdateDue at
	// posting); OnTime says it came no later.
	DueAt  time.Time
	OnTime bool
	// Recipients counts the notices queued: requesters and stakeholders.
	Recipients int
}

// UpdateInput is an update as the comms lead writes it. NextIn, when zero,
// is the incident's cadence.
type UpdateInput struct {
	Affected string
	Doing    string
	NextIn   time.Duration
}

// Text limits of an update.
const MaxUpdateText = 4000

// Check validates in against m at now and returns the update to store.
func (in UpdateInput) Check(m *Incident, actor int64, now time.Time) (Update, error) {
	var fields []desk.FieldError
	if m.State != StateActive {
		return Update{}, desk.Refusef(desk.ECONFLICT, desk.RuleNotOpen, desk.Params{"state": string(m.State)},
			"the major incident is %s: updates are over", m.State)
	}
	text := func(field, s string) string {
		s = strings.TrimSpace(s)
		switch {
		case s == "":
			fields = append(fields, desk.Invalid(field, desk.RuleRequired, nil, "is required"))
		case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
			fields = append(fields, desk.Invalid(field, desk.RuleInvalidText, nil, "is not text"))
		case utf8.RuneCountInString(s) > MaxUpdateText:
			fields = append(fields, desk.Invalid(field, desk.RuleTooLong, desk.Params{"max": MaxUpdateText}, "is longer than %d characters", MaxUpdateText))
		}
		return s
	}
	u := Update{MajorID: m.ID, PostedAt: now, PostedBy: actor,
		Affected: text("affected", in.Affected), Doing: text("doing", in.Doing), DueAt: m.NextUpdateDue}
	next := in.NextIn
	if next == 0 {
		next = m.Cadence
	}
	if next < MinCadence || next > MaxCadence {
		fields = append(fields, desk.Invalid("next_in_minutes", desk.RuleOutOfRange,
			desk.Params{"min": int(MinCadence.Minutes()), "max": int(MaxCadence.Minutes())}, "must be between 5 and 1440 minutes"))
	}
	if len(fields) > 0 {
		return Update{}, desk.InvalidFields(fields...)
	}
	u.NextAt = now.Add(next)
	u.OnTime = m.NextUpdateDue.IsZero() || !now.After(m.NextUpdateDue)
	return u, nil
}
