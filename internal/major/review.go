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

// ReviewLine is one key moment of the review's timeline.
type ReviewLine struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
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
	for _, e := range key {
		if e.Key {
			r.Timeline = append(r.Timeline, ReviewLine{At: e.At, Text: e.Text})
		}
	}
	return r
}

// Markdown renders the review for export, in English.
func (r *Review) Markdown(m *Incident, loc *time.Location) string {
	var b strings.Builder
	ts := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04 MST") }
	fmt.Fprintf(&b, "# Post-incident review: %s %s\n\n", m.Number, mdLine(m.Title))
	fmt.Fprintf(&b, "State: %s\n\n## Summary\n\n%s\n\n", r.State, r.Summary)
	fmt.Fprintf(&b, "## Customer impact\n\n- Affected components: %s\n- Duration: %s\n- Child incidents: %d\n- Requesters: %d\n\n",
		orNone(strings.Join(r.Components, ", ")), r.Duration.Round(time.Minute), r.Children, r.Requesters)
	fmt.Fprintf(&b, "## Detection\n\n- Detected by: %s\n- Time from first alert to declaration: %s\n\n",
		strings.ReplaceAll(r.DetectedBy, "_", " "), r.TimeToDeclare.Round(time.Minute))
	b.WriteString("## Timeline\n\n")
	for _, l := range r.Timeline {
		fmt.Fprintf(&b, "- %s — %s\n", ts(l.At), mdLine(l.Text))
	}
	fmt.Fprintf(&b, "\n## Contributing causes\n\n%s\n\n## What went well\n\n%s\n\n## What went badly\n\n%s\n\n## Action items\n\n",
		orNone(r.Causes), orNone(r.WentWell), orNone(r.WentBadly))
	b.WriteString("| Item | Owner | Due | Done |\n|---|---|---|---|\n")
	for _, a := range r.Items {
		done := "no"
		if a.DoneAt != nil {
			done = a.DoneAt.In(loc).Format("2006-01-02")
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdCell(a.Text), mdCell(a.Owner), a.DueOn.Format("2006-01-02"), done)
	}
	return b.String()
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(none)"
	}
	return s
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
