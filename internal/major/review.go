package major

import (
	"fmt"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// ReviewState is where a post-incident review is.
type ReviewState string

// Review states: draft → in_review → published (in_review may go back to
// draft; published is final).
const (
	ReviewDraft     ReviewState = "draft"
	ReviewInReview  ReviewState = "in_review"
	ReviewPublished ReviewState = "published"
)

// ReviewStates lists the states in order.
var ReviewStates = []ReviewState{ReviewDraft, ReviewInReview, ReviewPublished}

// CanMove reports whether a review may go from s to to.
func (s ReviewState) CanMove(to ReviewState) bool {
	switch s {
	case ReviewDraft:
		return to == ReviewInReview
	case ReviewInReview:
		return to == ReviewDraft || to == ReviewPublished
	}
	return false
}

// Detection says how the outage was noticed.
const (
	DetectedByAlert  = "alert"
	DetectedByReport = "user_report"
)

// Review is the post-incident review of a resolved major incident.
type Review struct {
	ID      int64
	MajorID int64
	State   ReviewState
	Summary string
	// Customer impact, counted when the review was created.
	Components []string
	Duration   time.Duration // declared (or first alert) to resolved
	Children   int
	Requesters int
	// Detection and the time from the first alert (or report) to the
	// declaration.
	DetectedBy    string
	TimeToDeclare time.Duration
	Timeline      []ReviewLine
	Causes        string
	WentWell      string
	WentBadly     string
	Items         []ActionItem
	CreatedAt     time.Time
	PublishedAt   *time.Time
	Version       int
}

// ReviewLine is one key moment of the review's timeline. Text is as the
// review was written (in the installation's language); a line made from a
// timeline entry also keeps what the entry said (its reason code and
// params, or the ticket event), so that it reads in each reader's language
// (Words). Lines stored before carry the text only.
type ReviewLine struct {
	At      time.Time         `json:"at"`
	Text    string            `json:"text"`
	Code    desk.ReasonCode   `json:"code,omitempty"`
	Params  desk.ReasonParams `json:"params,omitempty"`
	EventID int64             `json:"event_id,omitempty"`
	Ticket  string            `json:"ticket,omitempty"`
	Event   desk.EventKind    `json:"event,omitempty"`
	From    desk.State        `json:"from,omitempty"`
	To      desk.State        `json:"to,omitempty"`
	Body    string            `json:"body,omitempty"`
}

// lineOf is the review line of a timeline entry.
func lineOf(e *Entry, text string) ReviewLine {
	return ReviewLine{At: e.At, Text: text, Code: e.Code, Params: e.Params, EventID: e.EventID, Ticket: e.Number,
		Event: e.Event, From: e.From, To: e.To, Body: e.Body}
}

// Words returns the line in lang: worded again from what the entry said
// when the line keeps it, else its text as written.
func (l ReviewLine) Words(lang string) string {
	if l.Code == "" && l.EventID == 0 {
		return l.Text
	}
	e := Entry{At: l.At, Code: l.Code, Params: l.Params, EventID: l.EventID, Number: l.Ticket, Event: l.Event,
		From: l.From, To: l.To, Body: l.Body, Text: l.Text}
	return e.Words(lang)
}

// ActionItem is a follow-up with an owner and a due date, tracked until
// done; it may become a ticket (TicketID).
type ActionItem struct {
	ID       int64
	ReviewID int64
	Text     string
	OwnerID  int64
	Owner    string
	DueOn    time.Time // a date (midnight UTC)
	DoneAt   *time.Time
	TicketID int64
}

// PastDue reports whether the item is open after its due date at now.
func (a ActionItem) PastDue(now time.Time) bool {
	return a.DoneAt == nil && !a.DueOn.IsZero() && now.After(a.DueOn.Add(24*time.Hour))
}

// ImpactFacts is what a review's prefill counts of the incident.
type ImpactFacts struct {
	Components []string
	Children   int
	Requesters int
	ByAlert    bool
}

// Prefill returns a draft review of m from its key timeline entries and
// the counted impact.
func Prefill(m *Incident, key []Entry, f ImpactFacts, now time.Time) *Review {
	r := &Review{MajorID: m.ID, State: ReviewDraft, CreatedAt: now, Components: f.Components,
		Children: f.Children, Requesters: f.Requesters, DetectedBy: DetectedByReport}
	if f.ByAlert {
		r.DetectedBy = DetectedByAlert
	}
	start := m.DeclaredAt
	if !m.FirstAlertAt.IsZero() && m.FirstAlertAt.Before(start) {
		start = m.FirstAlertAt
		r.TimeToDeclare = m.DeclaredAt.Sub(m.FirstAlertAt)
	}
	if m.ResolvedAt != nil {
		r.Duration = m.ResolvedAt.Sub(start)
	}
	r.Summary = fmt.Sprintf("%s: %s", m.Number, m.Title)
	if m.Resolution != "" {
		r.Summary += "\n\n" + m.Resolution
	}
	for i := range key {
		if key[i].Key {
			r.Timeline = append(r.Timeline, lineOf(&key[i], key[i].Text))
		}
	}
	return r
}

func mdLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func mdCell(s string) string { return strings.ReplaceAll(mdLine(s), "|", `\|`) }

// CheckItem validates an action item.
func CheckItem(a ActionItem) error {
	var fields []desk.FieldError
	if t := strings.TrimSpace(a.Text); t == "" || len(t) > 2000 {
		fields = append(fields, desk.Invalid("text", desk.RuleRequired, nil, "is required (at most 2000 characters)"))
	}
	if a.OwnerID <= 0 {
		fields = append(fields, desk.Invalid("owner_id", desk.RuleRequired, nil, "is required"))
	}
	if a.DueOn.IsZero() {
		fields = append(fields, desk.Invalid("due_on", desk.RuleRequired, nil, "is required (YYYY-MM-DD)"))
	}
	if len(fields) > 0 {
		return desk.InvalidFields(fields...)
	}
	return nil
}
