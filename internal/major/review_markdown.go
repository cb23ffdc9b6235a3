package major

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/reasons"
)

// Markdown renders the review for export in lang (en, ru; English for any
// other): headings and labels from the catalogue (internal/reasons,
// "review.*"), timeline lines worded again from what their entries said;
// what people wrote (summary, causes, items) stays as written.
func (r *Review) Markdown(m *Incident, loc *time.Location, lang string) string {
	w := func(key string, kv ...string) string {
		p := desk.ReasonParams{}
		for i := 0; i+1 < len(kv); i += 2 {
			p[kv[i]] = kv[i+1]
		}
		text, _ := reasons.Text(lang, desk.ReasonCode(key), p)
		return text
	}
	none := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return w("review.none")
		}
		return s
	}
	mins := func(d time.Duration) string { return d.Round(time.Minute).String() }
	var b strings.Builder
	ts := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04 MST") }
	fmt.Fprintf(&b, "# %s\n\n", w("review.title", "major", m.Number, "title", mdLine(m.Title)))
	fmt.Fprintf(&b, "%s\n\n## %s\n\n%s\n\n", w("review.state", "review_state", string(r.State)), w("review.summary"), r.Summary)
	fmt.Fprintf(&b, "## %s\n\n- %s\n- %s\n- %s\n- %s\n\n", w("review.impact"),
		w("review.components", "list", none(strings.Join(r.Components, ", "))), w("review.duration", "window", mins(r.Duration)),
		w("review.children", "count", strconv.Itoa(r.Children)), w("review.requesters", "count", strconv.Itoa(r.Requesters)))
	fmt.Fprintf(&b, "## %s\n\n- %s\n- %s\n\n", w("review.detection"), w("review.detected_by", "detected", r.DetectedBy),
		w("review.time_to_declare", "window", mins(r.TimeToDeclare)))
	fmt.Fprintf(&b, "## %s\n\n", w("review.timeline"))
	for _, l := range r.Timeline {
		fmt.Fprintf(&b, "- %s — %s\n", ts(l.At), mdLine(l.Words(lang)))
	}
	fmt.Fprintf(&b, "\n## %s\n\n%s\n\n## %s\n\n%s\n\n## %s\n\n%s\n\n## %s\n\n", w("review.causes"), none(r.Causes),
		w("review.went_well"), none(r.WentWell), w("review.went_badly"), none(r.WentBadly), w("review.items"))
	b.WriteString(w("review.items_head") + "\n|---|---|---|---|\n")
	for _, a := range r.Items {
		done := w("review.not_done")
		if a.DoneAt != nil {
			done = a.DoneAt.In(loc).Format("2006-01-02")
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdCell(a.Text), mdCell(a.Owner), a.DueOn.Format("2006-01-02"), done)
	}
	return b.String()
}
