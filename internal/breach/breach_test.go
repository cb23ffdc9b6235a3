package breach

import (
	"slices"
	"testing"
	"time"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no zone %s: %v", name, err)
	}
	return l
}

// TestDeadlines_WallClockAcrossDST: awareness on Saturday 24 October 2026
// at 10:00 in Berlin, the night before the clocks go back (25 October,
// 03:00 CEST → 02:00 CET). GDPR's 72 hours are 72 real hours: due on
// Tuesday at 09:00 Berlin time (not 10:00), 11:00 Moscow time (no DST
// there). 152-FZ's 24 hours end on Sunday 09:00 Berlin, 11:00 Moscow.
func TestDeadlines_WallClockAcrossDST(t *testing.T) {
	berlin, moscow := zone(t, "Europe/Berlin"), zone(t, "Europe/Moscow")
	aware := time.Date(2026, 10, 24, 10, 0, 0, 0, berlin)
	now := aware.Add(time.Hour)
	ds, err := Deadlines(aware, Both, now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[Kind][2]string{
		GDPRAuthority: {"2026-10-27 09:00 CET", "2026-10-27 11:00 MSK"},
		FZ152First:    {"2026-10-25 09:00 CET", "2026-10-25 11:00 MSK"},
		FZ152Follow:   {"2026-10-27 09:00 CET", "2026-10-27 11:00 MSK"},
	}
	if len(ds) != 3 {
		t.Fatalf("%d deadlines, want 3", len(ds))
	}
	const layout = "2006-01-02 15:04 MST"
	for _, d := range ds {
		got := [2]string{d.Due.In(berlin).Format(layout), d.Due.In(moscow).Format(layout)}
		if got != want[d.Kind] {
			t.Errorf("%s due %v, want %v", d.Kind, got, want[d.Kind])
		}
		if d.Due.Sub(d.Start) != periods[d.Kind] {
			t.Errorf("%s runs %v of real time", d.Kind, d.Due.Sub(d.Start))
		}
	}
}

func TestDeadlines_Regimes(t *testing.T) {
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	for r, want := range map[Regime][]Kind{GDPR: {GDPRAuthority}, FZ152: {FZ152First, FZ152Follow},
		Both: {GDPRAuthority, FZ152First, FZ152Follow}, None: nil} {
		ds, err := Deadlines(now.Add(-time.Hour), r, now)
		if err != nil {
			t.Fatal(err)
		}
		var got []Kind
		for _, d := range ds {
			got = append(got, d.Kind)
			// each clock belongs to the law that sets it: a GDPR clock in
			// the 152-FZ register (or the reverse) sends the notice to the
			// wrong authority
			if owner := map[Kind]Regime{GDPRAuthority: GDPR, FZ152First: FZ152, FZ152Follow: FZ152}[d.Kind]; d.Regime != owner {
				t.Errorf("%s under %s: the clock's regime is %s, want %s", d.Kind, r, d.Regime, owner)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", r, got, want)
		}
	}
}

func TestDeadlines_BadInput(t *testing.T) {
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		aware  time.Time
		regime Regime
		want   error
	}{
		{now.Add(time.Minute), GDPR, ErrAwarenessFuture},
		{time.Time{}, GDPR, ErrAwarenessZero},
		{now, "ccpa", ErrRegime},
	} {
		if _, err := Deadlines(tc.aware, tc.regime, now); err != tc.want {
			t.Errorf("%v %s: %v, want %v", tc.aware, tc.regime, err, tc.want)
		}
	}
}

// TestDeadline_Thresholds: 50 % and 80 % warn, 90 % pages, 100 % misses;
// each is crossed once, and a notice sent in time is not missed.
func TestDeadline_Thresholds(t *testing.T) {
	start := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	ds, _ := Deadlines(start, FZ152, start)
	d := ds[0] // 24 h
	for _, tc := range []struct {
		at   time.Duration
		done []int
		want []int
	}{
		{11 * time.Hour, nil, nil},
		{12 * time.Hour, nil, []int{50}},
		{20 * time.Hour, []int{50}, []int{80}},
		{22 * time.Hour, []int{50, 80}, []int{90}},
		{22 * time.Hour, []int{50, 80, 90}, nil},
		{25 * time.Hour, nil, []int{50, 80, 90, 100}},
	} {
		if got := d.Crossed(start.Add(tc.at), tc.done); !slices.Equal(got, tc.want) {
			t.Errorf("at %v with %v: %v, want %v", tc.at, tc.done, got, tc.want)
		}
	}
	if p := d.Percent(start.Add(18 * time.Hour)); p != 75 {
		t.Errorf("percent at 18 h: %d", p)
	}
	sent := start.Add(23 * time.Hour)
	if d.Missed(&sent, start.Add(30*time.Hour)) || d.Late(sent) {
		t.Error("a notice sent at 23 h counts as missed or late")
	}
	late := start.Add(25 * time.Hour)
	if !d.Missed(&late, late) || !d.Late(late) || !d.Missed(nil, late) {
		t.Error("a notice sent at 25 h is not missed and late")
	}
}

// TestDeadline_PercentBeforeStartAndEmpty: a clock read before its start
// (awareness moved later, a viewer's clock behind) has run 0 %, never a
// negative share; a zero Deadline (no clock yet) is 0 %, not a division by
// zero.
func TestDeadline_PercentBeforeStartAndEmpty(t *testing.T) {
	start := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	ds, _ := Deadlines(start, FZ152, start)
	if p := ds[0].Percent(start.Add(-2 * time.Hour)); p != 0 {
		t.Errorf("two hours before the start: %d %%", p)
	}
	if p := (Deadline{}).Percent(start); p != 0 {
		t.Errorf("an empty deadline: %d %%", p)
	}
}
