// Package triagedesk trains the triage classifier (internal/triage) on the
// desk's own resolved and closed tickets and measures it on a part held
// back from training. It sits above desk and triage and does no I/O of its
// own: the store is passed in.
package triagedesk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/triage"
)

// Fields are the ticket fields suggested, in this order: those the desk
// may set by itself (desk.TriageFields), then the impact and urgency that
// make the priority, which it only suggests to a person.
var Fields = []string{"type", "category", "group", "service", "impact", "urgency"}

// MinSamples is how many tickets with a value of a field the training part
// must hold for the field to be learnt (with at least two different
// values); a desk with fewer for every field gets no model.
const MinSamples = 50

// MaxSamples is how many of the newest resolved or closed tickets a
// training reads. Training holds every text it reads and its features in
// memory (about 30 KB a ticket with the shipped features: 20,000 tickets
// took 612 MB allocated and 11.8 s of CPU at a serve's start), so a
// large desk's whole history would not fit; and the newest tickets say
// most about today's categories, services and groups.
const MaxSamples = 20000

// heldBack picks the tickets measured on instead of trained on: one in
// five, by id, so the same tickets are held back at every training.
func heldBack(id int64) bool { return id%5 == 0 }

// ErrTooLittleHistory is returned when no field has enough tickets to
// learn from; nothing is suggested until it has.
var ErrTooLittleHistory = errors.New("too little history to learn from")

// value is the sample's value of one of Fields.
func value(s *desk.TriageSample, field string) string {
	switch field {
	case "type":
		return string(s.Type)
	case "category":
		return s.Category
	case "group":
		return s.Group
	case "impact":
		return string(s.Impact)
	case "urgency":
		return string(s.Urgency)
	default:
		return s.Service
	}
}

// Text is what the model reads of a ticket: its title and description.
func Text(title, description string) string { return title + "\n" + description }

// Train learns a model from the newest MaxSamples resolved or closed
// tickets, measures it on the held-back ones and returns it unsaved,
// stamped with now.
func Train(ctx context.Context, st desk.TriageStore, cfg triage.Config, now time.Time) (*desk.TriageModel, error) {
	samples, err := readSamples(ctx, st, MaxSamples)
	if err != nil {
		return nil, err
	}
	var trainTexts []string
	var held []desk.TriageSample
	var trained []desk.TriageSample
	for _, s := range samples {
		text := Text(s.Title, s.Description)
		if triage.CheckText(text) != nil {
			continue // empty, huge or in a script the model does not read
		}
		if heldBack(s.TicketID) {
			held = append(held, s)
			continue
		}
		trained = append(trained, s)
		trainTexts = append(trainTexts, text)
	}
	var fields []triage.Field
	var skipped []string
	for _, name := range Fields {
		labels := make([]string, len(trained))
		n := 0
		for i := range trained {
			if labels[i] = value(&trained[i], name); labels[i] != "" {
				n++
			}
		}
		if n < MinSamples || countDistinct(labels) < 2 {
			skipped = append(skipped, fmt.Sprintf("%s (%d)", name, n))
			continue
		}
		fields = append(fields, triage.Field{Name: name, Labels: labels})
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("%w: %d resolved or closed tickets, %d of them to train on; a field needs %d with at least two different values (by field: %v)",
			ErrTooLittleHistory, len(samples), len(trained), MinSamples, skipped)
	}
	m, err := triage.Train(cfg, trainTexts, fields)
	if err != nil {
		return nil, err
	}
	blob, err := m.MarshalBinary()
	if err != nil {
		return nil, err
	}
	out := &desk.TriageModel{TrainedAt: now, Model: blob}
	for _, f := range fields {
		out.Fields = append(out.Fields, measure(m, f, held))
	}
	return out, nil
}

// samplesPage is how many samples readSamples asks the store for at once
// (a variable so that the tests can cross pages with a small desk).
var samplesPage = 5000

// readSamples reads the newest max resolved or closed tickets, oldest
// first.
func readSamples(ctx context.Context, st desk.TriageStore, max int) ([]desk.TriageSample, error) {
	var all []desk.TriageSample
	after, err := st.TriageSamplesFloor(ctx, max)
	if err != nil {
		return nil, err
	}
	for {
		page, err := st.TriageSamples(ctx, after, samplesPage)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < samplesPage {
			return all, nil
		}
		after = page[len(page)-1].TicketID
	}
}

// measure scores the model's suggestions of one field on the held-back
// tickets that have a value of it.
func measure(m *triage.Model, f triage.Field, held []desk.TriageSample) desk.TriageField {
	r := desk.TriageField{Field: f.Name, Labels: len(m.Labels(f.Name))}
	for _, l := range f.Labels {
		if l != "" {
			r.Trained++
		}
	}
	known := m.Labels(f.Name)
	for i := range held {
		want := value(&held[i], f.Name)
		if want == "" {
			continue
		}
		r.Held++
		if p, _ := m.Predict(f.Name, Text(held[i].Title, held[i].Description)); p >= 0 && known[p] == want {
			r.Correct++
		}
	}
	if r.Held > 0 {
		r.Accuracy = float64(r.Correct) / float64(r.Held)
	}
	return r
}

func countDistinct(labels []string) int {
	s := slices.Clone(labels)
	slices.Sort(s)
	s = slices.Compact(s)
	if len(s) > 0 && s[0] == "" {
		s = s[1:]
	}
	return len(s)
}
