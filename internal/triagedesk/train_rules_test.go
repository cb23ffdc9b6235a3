package triagedesk_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
	. "github.com/tierdesk/tierdesk/internal/triagedesk"
)

// TestTrain_MinSamplesIsEnough: a field is learnt once the training part
// holds MinSamples tickets with a value of it, not one more; with one
// fewer the desk gets no model. (The README promises suggestions "after
// 50 resolved tickets of a field"; a desk that has exactly them must not
// wait for the next.)
func TestTrain_MinSamplesIsEnough(t *testing.T) {
	for _, tc := range []struct {
		tickets, trained int
		learnt           bool
	}{
		{62, MinSamples, true},      // ids 1–62, the 12 multiples of 5 held back
		{61, MinSamples - 1, false}, // ids 1–61, 12 held back
	} {
		s := testdb.SQLite(t)
		history(t, s, tc.tickets, desk.StateResolved)
		samples, err := ReadSamples(t.Context(), s, 1000)
		if err != nil {
			t.Fatal(err)
		}
		trained := 0
		for _, x := range samples {
			if x.TicketID%5 != 0 {
				trained++
			}
		}
		if trained != tc.trained {
			t.Fatalf("%d tickets: %d to train on, want %d (the test's arithmetic is off)", tc.tickets, trained, tc.trained)
		}
		m, err := Train(t.Context(), s, smallConfig(), at)
		if !tc.learnt {
			if !errors.Is(err, ErrTooLittleHistory) {
				t.Errorf("%d tickets to train on: %v, want ErrTooLittleHistory", trained, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%d tickets to train on: %v, want a model", trained, err)
		}
		got := map[string]int{}
		for _, f := range m.Fields {
			got[f.Field] = f.Trained
		}
		// Every ticket has a type, a group, an impact and an urgency; two
		// kinds of three a category (too few), one kind a service.
		for _, name := range []string{"type", "group", "impact", "urgency"} {
			if got[name] != MinSamples {
				t.Errorf("field %s learnt from %d tickets, want %d (fields %v)", name, got[name], MinSamples, m.Fields)
			}
		}
		if _, ok := got["category"]; ok {
			t.Errorf("category learnt from %d tickets, fewer than %d", got["category"], MinSamples)
		}
	}
}

// TestTrain_ReadsAcrossPages: the tickets are read a page at a time; a
// training reads every resolved ticket under its cap whether the last page
// is full (then one more, empty, read ends it) or not, oldest first and
// none twice.
func TestTrain_ReadsAcrossPages(t *testing.T) {
	s := testdb.SQLite(t)
	history(t, s, 25, desk.StateResolved)
	all, err := ReadSamples(t.Context(), s, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, page := range []int{10, 5, 25, 7} { // 25 tickets: full pages, a full last page, a part page
		SetSamplesPage(t, page)
		got, err := ReadSamples(t.Context(), s, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(all) {
			t.Errorf("pages of %d: read %d tickets, want all %d", page, len(got), len(all))
			continue
		}
		for i := range got {
			if got[i].TicketID != all[i].TicketID {
				t.Errorf("pages of %d: ticket %d read is %d, want %d", page, i, got[i].TicketID, all[i].TicketID)
				break
			}
		}
	}
}

// TestTrain_AccuracyCountsOnlyRightSuggestions: the accuracy shown to the
// admin counts a held-back ticket as right only when the suggestion is its
// value. Here every held-back ticket's urgency differs from that of the
// tickets like it that were learnt from, so the model is wrong on each.
func TestTrain_AccuracyCountsOnlyRightSuggestions(t *testing.T) {
	s := testdb.SQLite(t)
	history(t, s, 240, desk.StateResolved)
	if _, err := s.DB().ExecContext(t.Context(), `UPDATE tickets SET urgency =
		CASE urgency WHEN 'low' THEN 'medium' WHEN 'medium' THEN 'high' ELSE 'low' END WHERE id % 5 = 0`); err != nil {
		t.Fatal(err)
	}
	m, err := Train(t.Context(), s, smallConfig(), at)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Fields {
		switch f.Field {
		case "urgency":
			if f.Held != 48 || f.Correct != 0 || f.Accuracy != 0 {
				t.Errorf("urgency: %+v, want 48 held back, none right, accuracy 0", f)
			}
		case "group":
			if f.Held != 48 || f.Correct < 44 {
				t.Errorf("group: %+v, want 48 held back, nearly all right", f)
			}
		}
	}
}

// TestTrain_NoHeldBackValue: a field learnt although no held-back ticket
// has a value of it is reported as measured on none, accuracy 0 — a
// number the admin page and the API's JSON can show (NaN is neither).
func TestTrain_NoHeldBackValue(t *testing.T) {
	s := testdb.SQLite(t)
	history(t, s, 240, desk.StateResolved)
	if _, err := s.DB().ExecContext(t.Context(), `UPDATE tickets SET category_id = NULL WHERE id % 5 = 0`); err != nil {
		t.Fatal(err)
	}
	m, err := Train(t.Context(), s, smallConfig(), at)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Fields {
		if f.Field == "category" && (f.Held != 0 || f.Correct != 0 || f.Accuracy != 0) {
			t.Errorf("category: %+v, want none held back and accuracy 0", f)
		}
	}
	if _, err := json.Marshal(m.Fields); err != nil {
		t.Errorf("the measured fields do not encode: %v", err)
	}
}
