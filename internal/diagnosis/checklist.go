// Package diagnosis owns line 1's diagnosis checklists (issue 12): the
// ordered questions or checks an administrator sets for a category (and
// optionally a service), the answers an agent records on a ticket (a
// structured entry of its timeline, internal, shown to the line a ticket
// is escalated to), and the rule that escalating a ticket whose category
// has a checklist nobody answered needs a reason, or only warns, as the
// administrators set.
package diagnosis

import (
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Kind is how a question is answered.
type Kind string

// Kinds of answer.
const (
	YesNo Kind = "yes_no" // "yes" or "no"
	Text  Kind = "text"   // free text
)

// Kinds lists the kinds, in the order forms offer them.
var Kinds = []Kind{YesNo, Text}

// Answers to a yes/no question.
const (
	Yes = "yes"
	No  = "no"
)

// Languages are the languages a question may be written in.
var Languages = []string{"en", "ru"}

// Limits of a checklist and its answers.
const (
	MaxItems     = 30
	MaxQuestion  = 500
	MaxTextValue = 2_000
)

// Item is one question or check of a checklist.
type Item struct {
	// Question by language ("en", "ru"); at least one is set.
	Question map[string]string `json:"question"`
	Kind     Kind              `json:"kind"`
}

// Text is the question in lang, else in another language.
func (it Item) Text(lang string) string {
	if q := it.Question[lang]; q != "" {
		return q
	}
	for _, l := range Languages {
		if q := it.Question[l]; q != "" {
			return q
		}
	}
	return ""
}

// Checklist is the diagnosis of one category, or of one category and
// service: Service nil covers the category whatever the service.
type Checklist struct {
	ID        int64
	Category  desk.Ref
	Service   *desk.Ref
	Items     []Item
	Version   int // the ETag; increases with every change
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Answer is one answered question, as it was asked.
type Answer struct {
	Question map[string]string `json:"question"`
	Kind     Kind              `json:"kind"`
	Value    string            `json:"value"` // yes, no, or the text
}

// Text is the question in lang, else in another language.
func (a Answer) Text(lang string) string { return Item{Question: a.Question}.Text(lang) }

// Diagnosis is a checklist answered on a ticket.
type Diagnosis struct {
	ID               int64
	TicketID         int64
	ChecklistID      int64
	ChecklistVersion int
	EventID          int64 // the timeline entry
	Answers          []Answer
	By               *desk.Ref
	At               time.Time
}

// Mode says what escalating a ticket with an unanswered checklist takes.
type Mode string

// Modes.
const (
	// Warn lets the escalation through, with the agent's reason when one
	// is given, and notes on the timeline that nobody answered.
	Warn Mode = "warn"
	// Require refuses the escalation unless the agent says why not.
	Require Mode = "require"
)

// Modes lists the modes.
var Modes = []Mode{Warn, Require}

// covers ranks how closely c fits a ticket of the category ids (the
// subcategory first) and service: 0 is the closest; -1 it does not fit.
func (c *Checklist) covers(categories []int64, serviceID int64) int {
	for i, id := range categories {
		if c.Category.ID != id {
			continue
		}
		switch {
		case c.Service != nil && c.Service.ID == serviceID:
			return 2 * i
		case c.Service == nil:
			return 2*i + 1
		}
	}
	return -1
}

// ticketScope is a ticket's category ids (subcategory first) and service.
func ticketScope(t *desk.Ticket) ([]int64, int64) {
	var cats []int64
	for _, r := range []*desk.Ref{t.Subcategory, t.Category} {
		if r != nil {
			cats = append(cats, r.ID)
		}
	}
	var svc int64
	if t.Service != nil {
		svc = t.Service.ID
	}
	return cats, svc
}

// best returns the checklist that fits closest, nil when none does.
func best(lists []*Checklist, categories []int64, serviceID int64) *Checklist {
	var out *Checklist
	rank := -1
	for _, c := range lists {
		if r := c.covers(categories, serviceID); r >= 0 && (rank < 0 || r < rank) {
			out, rank = c, r
		}
	}
	return out
}

// normalise trims the questions and drops empty translations.
func (c *Checklist) normalise() {
	for i := range c.Items {
		q := map[string]string{}
		for l, text := range c.Items[i].Question {
			if text = strings.TrimSpace(text); text != "" {
				q[l] = text
			}
		}
		c.Items[i].Question = q
	}
}
