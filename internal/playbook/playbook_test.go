package playbook

import (
	"strings"
	"testing"
	"time"
)

var at = time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC) // the night Europe moves its clocks

// TestBuiltin: the shipped playbook is valid in both languages, covers
// every NIST phase, and its regulators' tasks fall due before the law's
// deadlines (152-FZ's first notice within 24 h, the GDPR's and the
// investigation's within 72 h of awareness).
func TestBuiltin(t *testing.T) {
	b := Builtin()
	if len(b) != 2 || b[0].Lang != "en" || b[1].Lang != "ru" {
		t.Fatalf("builtin: %+v", b)
	}
	for _, tpl := range b {
		if fe := CheckTemplate(tpl); len(fe) != 0 {
			t.Errorf("%s: %+v", tpl.Lang, fe)
		}
		seen := map[Phase]bool{}
		for _, s := range tpl.Steps {
			seen[s.Phase] = true
		}
		if len(seen) != len(Phases) {
			t.Errorf("%s covers phases %v, want all of %v", tpl.Lang, seen, Phases)
		}
	}
	for i, s := range b[0].Steps {
		r := b[1].Steps[i]
		if r.Phase != s.Phase || r.DueAfterMinutes != s.DueAfterMinutes || r.Title == s.Title {
			t.Errorf("step %d: en %+v, ru %+v: the same task, translated", i, s, r)
		}
		switch {
		case strings.Contains(s.Title, "(24 hours)") && s.DueAfter() >= 24*time.Hour,
			strings.Contains(s.Title, "(72 hours)") && s.DueAfter() >= 72*time.Hour:
			t.Errorf("step %q is due %s after awareness, at or past its legal deadline", s.Title, s.DueAfter())
		}
	}
}

// TestApply: tasks are due at the case's start plus their offsets, in
// wall-clock time (a DST night changes nothing), in the steps' order.
func TestApply(t *testing.T) {
	tpl := &Template{ID: 7, Name: "T", Steps: []Step{{Phase: PhaseRecovery, Title: "b", DueAfterMinutes: 90},
		{Phase: PhaseDetection, Title: "a", DueAfterMinutes: 0}}}
	tasks := Apply(tpl, at.In(time.FixedZone("CET", 3600)))
	if len(tasks) != 2 || !tasks[0].DueAt.Equal(at.Add(90*time.Minute)) || !tasks[1].DueAt.Equal(at) ||
		tasks[0].Seq != 1 || tasks[1].Seq != 2 || tasks[0].TemplateID != 7 || tasks[0].DueAt.Location() != time.UTC {
		t.Fatalf("applied %+v %+v", tasks[0], tasks[1])
	}
}

// TestByPhase: phases in NIST's order whatever the due times, within one
// by due time; empty phases left out.
func TestByPhase(t *testing.T) {
	tasks := []*Task{
		{ID: 1, Phase: PhasePostIncident, DueAt: at},
		{ID: 2, Phase: PhaseContainment, DueAt: at.Add(time.Hour)},
		{ID: 3, Phase: PhaseContainment, DueAt: at},
		{ID: 4, Phase: PhaseDetection, DueAt: at.Add(48 * time.Hour)},
	}
	got := ByPhase(tasks)
	var ids []int64
	var phases []Phase
	for _, p := range got {
		phases = append(phases, p.Phase)
		for _, k := range p.Tasks {
			ids = append(ids, k.ID)
		}
	}
	if len(phases) != 3 || phases[0] != PhaseDetection || phases[1] != PhaseContainment || phases[2] != PhasePostIncident {
		t.Errorf("phases %v", phases)
	}
	if len(ids) != 4 || ids[0] != 4 || ids[1] != 3 || ids[2] != 2 || ids[3] != 1 {
		t.Errorf("order %v", ids)
	}
}

// TestOverdue: a task is overdue after its due time until it is done.
func TestOverdue(t *testing.T) {
	k := &Task{DueAt: at}
	if k.Overdue(at) || !k.Overdue(at.Add(time.Second)) {
		t.Error("overdue only after the due time")
	}
	done := at.Add(time.Hour)
	k.DoneAt = &done
	if k.Overdue(at.Add(2 * time.Hour)) {
		t.Error("a done task is not overdue")
	}
	c := Count([]*Task{k, {DueAt: at}, {DueAt: at.Add(time.Hour)}}, at.Add(time.Minute))
	if c != (Counts{Total: 3, Done: 1, Overdue: 1}) {
		t.Errorf("counts %+v", c)
	}
}

// TestCheckTemplate: each refused field is named with its rule.
func TestCheckTemplate(t *testing.T) {
	long := strings.Repeat("x", MaxTitle+1)
	for _, tc := range []struct {
		name string
		tpl  Template
		want []string // field rule
	}{
		{"valid", Template{Name: "n", Lang: "ru", Steps: []Step{{Phase: PhaseRecovery, Title: "t", DueAfterMinutes: 60}}}, nil},
		{"empty", Template{Name: " ", Lang: "de"}, []string{"name required", "lang one_of", "steps too_few"}},
		{"steps", Template{Name: "n", Lang: "en", Steps: []Step{{Phase: "lessons", Title: long, DueAfterMinutes: -1},
			{Phase: PhaseContainment, Title: "", DueAfterMinutes: int64(MaxDueAfter/time.Minute) + 1}}},
			[]string{"steps[0].phase one_of", "steps[0].title too_long", "steps[0].due_after_minutes out_of_range",
				"steps[1].title required", "steps[1].due_after_minutes out_of_range"}},
		{"bad text", Template{Name: "n\xff", Lang: "en", Steps: tooMany()}, []string{"name invalid_text", "steps too_many"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range CheckTemplate(&tc.tpl) {
				got = append(got, f.Field+" "+f.Rule)
			}
			if strings.Join(got, "; ") != strings.Join(tc.want, "; ") {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func tooMany() []Step {
	out := make([]Step, MaxSteps+1)
	for i := range out {
		out[i] = Step{Phase: PhaseRecovery, Title: "t"}
	}
	return out
}
