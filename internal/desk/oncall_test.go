package desk

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func ocZone(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("load %s: %v", name, err)
	}
	return loc
}

// utc parses "2006-01-02T15:04Z".
func ocUTC(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse("2006-01-02T15:04Z", s)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// local parses "2006-01-02 15:04" in loc; only for unambiguous local times.
func ocLocal(tb testing.TB, loc *time.Location, s string) time.Time {
	tb.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func mustSchedule(tb testing.TB, spec ScheduleSpec) *Schedule {
	tb.Helper()
	if spec.Name == "" {
		spec.Name = "line 3"
	}
	s, err := NewSchedule(spec)
	if err != nil {
		tb.Fatalf("NewSchedule: %v", err)
	}
	return s
}

func oneRotation(tb testing.TB, zone string, start LocalDate, handOff TimeOfDay, length ShiftLength) *Schedule {
	tb.Helper()
	return mustSchedule(tb, ScheduleSpec{
		Location: ocZone(tb, zone),
		Layers: []Rotation{{
			Participants: []int64{1, 2, 3},
			StartDate:    start, HandOff: handOff, Length: length,
		}},
	})
}

// TestSchedule_HandOffs checks hand-off instants of single rotations, across
// the clock changes of 2026 and at midnight in zones other than UTC. The
// rotation is users 1, 2, 3; the first hand-off listed is the rotation's
// start, so shift i belongs to user i%3+1.
func TestSchedule_HandOffs(t *testing.T) {
	tests := []struct {
		name     string
		zone     string
		start    LocalDate
		handOff  TimeOfDay
		length   ShiftLength
		handOffs []string  // UTC instants
		hours    []float64 // length of each shift between them
	}{
		{"Berlin/daily/spring", "Europe/Berlin", Date(2026, 3, 27), HM(9, 0), Daily,
			[]string{"2026-03-27T08:00Z", "2026-03-28T08:00Z", "2026-03-29T07:00Z", "2026-03-30T07:00Z"}, []float64{24, 23, 24}},
		{"Berlin/daily/autumn", "Europe/Berlin", Date(2026, 10, 24), HM(9, 0), Daily,
			[]string{"2026-10-24T07:00Z", "2026-10-25T08:00Z", "2026-10-26T08:00Z"}, []float64{25, 24}},
		{"Berlin/weekly/spring", "Europe/Berlin", Date(2026, 3, 23), HM(9, 0), Weekly,
			[]string{"2026-03-23T08:00Z", "2026-03-30T07:00Z", "2026-04-06T07:00Z"}, []float64{167, 168}},
		{"Berlin/weekly/autumn", "Europe/Berlin", Date(2026, 10, 19), HM(9, 0), Weekly,
			[]string{"2026-10-19T07:00Z", "2026-10-26T08:00Z", "2026-11-02T08:00Z"}, []float64{169, 168}},
		{"Berlin/midnight/spring", "Europe/Berlin", Date(2026, 3, 28), 0, Daily,
			[]string{"2026-03-27T23:00Z", "2026-03-28T23:00Z", "2026-03-29T22:00Z"}, []float64{24, 23}},
		{"Berlin/skipped 02:30 is the jump", "Europe/Berlin", Date(2026, 3, 28), HM(2, 30), Daily,
			[]string{"2026-03-28T01:30Z", "2026-03-29T01:00Z", "2026-03-30T00:30Z"}, []float64{23.5, 23.5}},
		{"Berlin/repeated 02:30 is the first", "Europe/Berlin", Date(2026, 10, 24), HM(2, 30), Daily,
			[]string{"2026-10-24T00:30Z", "2026-10-25T00:30Z", "2026-10-26T01:30Z"}, []float64{24, 25}},
		{"Berlin/3 days", "Europe/Berlin", Date(2026, 3, 27), HM(9, 0), ShiftLength{Days: 3},
			[]string{"2026-03-27T08:00Z", "2026-03-30T07:00Z", "2026-04-02T07:00Z"}, []float64{71, 72}},
		{"Berlin/12 hours elapsed", "Europe/Berlin", Date(2026, 3, 28), HM(21, 0), ShiftLength{Hours: 12},
			[]string{"2026-03-28T20:00Z", "2026-03-29T08:00Z", "2026-03-29T20:00Z", "2026-03-30T08:00Z"}, []float64{12, 12, 12}},
		{"New York/daily/spring", "America/New_York", Date(2026, 3, 7), HM(9, 0), Daily,
			[]string{"2026-03-07T14:00Z", "2026-03-08T13:00Z", "2026-03-09T13:00Z"}, []float64{23, 24}},
		{"New York/daily/autumn", "America/New_York", Date(2026, 10, 31), HM(9, 0), Daily,
			[]string{"2026-10-31T13:00Z", "2026-11-01T14:00Z", "2026-11-02T14:00Z"}, []float64{25, 24}},
		{"New York/weekly/spring", "America/New_York", Date(2026, 3, 2), HM(9, 0), Weekly,
			[]string{"2026-03-02T14:00Z", "2026-03-09T13:00Z", "2026-03-16T13:00Z"}, []float64{167, 168}},
		{"New York/weekly/autumn", "America/New_York", Date(2026, 10, 26), HM(9, 0), Weekly,
			[]string{"2026-10-26T13:00Z", "2026-11-02T14:00Z", "2026-11-09T14:00Z"}, []float64{169, 168}},
		{"New York/repeated 01:30 is the first", "America/New_York", Date(2026, 10, 31), HM(1, 30), Daily,
			[]string{"2026-10-31T05:30Z", "2026-11-01T05:30Z", "2026-11-02T06:30Z"}, []float64{24, 25}},
		{"New York/12 hours elapsed/autumn", "America/New_York", Date(2026, 10, 31), HM(21, 0), ShiftLength{Hours: 12},
			[]string{"2026-11-01T01:00Z", "2026-11-01T13:00Z", "2026-11-02T01:00Z"}, []float64{12, 12}},
		{"Tokyo/midnight", "Asia/Tokyo", Date(2026, 3, 28), 0, Daily,
			[]string{"2026-03-27T15:00Z", "2026-03-28T15:00Z", "2026-03-29T15:00Z", "2026-03-30T15:00Z"}, []float64{24, 24, 24}},
		{"Tokyo/midnight/weekly", "Asia/Tokyo", Date(2026, 10, 19), 0, Weekly,
			[]string{"2026-10-18T15:00Z", "2026-10-25T15:00Z", "2026-11-01T15:00Z"}, []float64{168, 168}},
		{"Moscow/midnight", "Europe/Moscow", Date(2026, 10, 24), 0, Daily,
			[]string{"2026-10-23T21:00Z", "2026-10-24T21:00Z", "2026-10-25T21:00Z", "2026-10-26T21:00Z"}, []float64{24, 24, 24}},
		{"Moscow/midnight/3 days", "Europe/Moscow", Date(2026, 12, 30), 0, ShiftLength{Days: 3},
			[]string{"2026-12-29T21:00Z", "2027-01-01T21:00Z", "2027-01-04T21:00Z"}, []float64{72, 72}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := oneRotation(t, tt.zone, tt.start, tt.handOff, tt.length)
			hs := make([]time.Time, len(tt.handOffs))
			for i, h := range tt.handOffs {
				hs[i] = ocUTC(t, h)
			}
			for i := 1; i < len(hs); i++ {
				if got := hs[i].Sub(hs[i-1]).Hours(); got != tt.hours[i-1] {
					t.Fatalf("test table: shift %d lasts %vh, want %vh", i-1, got, tt.hours[i-1])
				}
			}
			if u, ok := s.OnCallAt(hs[0].Add(-time.Nanosecond)); ok {
				t.Errorf("before the start: user %d on call, want no one", u)
			}
			var want []Shift
			for i, h := range hs {
				user := int64(i%3 + 1)
				if got, ok := s.OnCallAt(h); !ok || got != user {
					t.Errorf("at hand-off %s: %d, %v; want the incoming user %d", h, got, ok, user)
				}
				if got, _ := s.OnCallAt(h.Add(time.Hour)); got != user {
					t.Errorf("an hour after hand-off %s: %d; want %d", h, got, user)
				}
				if i > 0 {
					if got, _ := s.OnCallAt(h.Add(-time.Nanosecond)); got != int64((i-1)%3+1) {
						t.Errorf("just before hand-off %s: %d; want the outgoing user %d", h, got, (i-1)%3+1)
					}
				}
				if i+1 < len(hs) {
					want = append(want, Shift{UserID: user, Start: h, End: hs[i+1], Layer: 0, Override: -1})
				}
			}
			got := s.Shifts(hs[0].Add(-48*time.Hour), hs[len(hs)-1])
			if !slices.Equal(got, want) {
				t.Errorf("Shifts:\n got %v\nwant %v", got, want)
			}
		})
	}
}

// TestSchedule_Layers stacks a business-hours layer and a nights layer on a
// 24x7 weekly layer, all in Europe/Berlin from Monday 2026-03-02 09:00.
func TestSchedule_Layers(t *testing.T) {
	berlin := ocZone(t, "Europe/Berlin")
	var business, nights []TimeWindow
	for wd := time.Monday; wd <= time.Friday; wd++ {
		business = append(business, TimeWindow{wd, HM(9, 0), HM(17, 0)})
		nights = append(nights, TimeWindow{wd, HM(18, 0), HM(9, 0)})
	}
	s := mustSchedule(t, ScheduleSpec{
		Location: berlin,
		Layers: []Rotation{
			{Name: "24x7", Participants: []int64{1, 2}, StartDate: Date(2026, 3, 2), HandOff: HM(9, 0), Length: Weekly},
			{Name: "nights", Participants: []int64{20}, StartDate: Date(2026, 3, 2), HandOff: HM(9, 0), Length: Weekly, Restrictions: nights},
			{Name: "business", Participants: []int64{10, 11, 12}, StartDate: Date(2026, 3, 2), HandOff: HM(9, 0), Length: Daily, Restrictions: business},
		},
	})
	tests := []struct {
		at   string // Berlin local
		want int64  // 0: no one
	}{
		{"2026-03-02 08:59", 0},  // before every start
		{"2026-03-02 09:00", 10}, // business beats 24x7 at once
		{"2026-03-02 16:59", 10},
		{"2026-03-02 17:00", 1}, // business ends; nights not yet begun
		{"2026-03-02 18:00", 20},
		{"2026-03-03 02:00", 20}, // Monday's night window crosses midnight
		{"2026-03-03 08:59", 20},
		{"2026-03-03 09:00", 11}, // business, second daily shift
		{"2026-03-06 23:00", 20}, // Friday night
		{"2026-03-07 08:59", 20}, // Friday night ends Saturday 09:00
		{"2026-03-07 09:00", 1},  // weekend: 24x7
		{"2026-03-08 02:00", 1},
		{"2026-03-09 08:00", 1},  // Sunday has no night window
		{"2026-03-09 09:00", 11}, // week 2: 24x7 user 2; business shift 7 → 11
		{"2026-03-09 17:30", 2},
		{"2026-03-30 12:00", 11}, // after the clocks change: shift 28 → 11
		{"2026-03-30 08:30", 2},  // Monday morning: no window on Sunday night
		{"2026-03-31 08:30", 20}, // Monday night, after the change
		{"2026-03-29 12:00", 2},  // Sunday of week 4
	}
	for _, tt := range tests {
		at := ocLocal(t, berlin, tt.at)
		got, ok := s.OnCallAt(at)
		if ok != (tt.want != 0) || got != tt.want {
			t.Errorf("OnCallAt(%s) = %d, %v; want %d", tt.at, got, ok, tt.want)
		}
	}
	checkShiftsAgainstOnCallAt(t, s, ocLocal(t, berlin, "2026-03-01 00:00"), ocLocal(t, berlin, "2026-04-05 00:00"))
}

// TestSchedule_Overrides puts overrides on a daily Berlin rotation of users
// 1 and 2 handing off at 09:00 from 2026-03-02.
func TestSchedule_Overrides(t *testing.T) {
	berlin := ocZone(t, "Europe/Berlin")
	at := func(s string) time.Time { return ocLocal(t, berlin, s) }
	s := mustSchedule(t, ScheduleSpec{
		Location: berlin,
		Layers:   []Rotation{{Participants: []int64{1, 2}, StartDate: Date(2026, 3, 2), HandOff: HM(9, 0), Length: Daily}},
		Overrides: []Override{
			{7, at("2026-03-03 12:00"), at("2026-03-03 15:00")}, // 0: in the middle of a shift
			{8, at("2026-03-04 20:00"), at("2026-03-05 12:00")}, // 1: spans a hand-off
			{9, at("2026-03-06 10:00"), at("2026-03-06 18:00")}, // 2
			{5, at("2026-03-06 14:00"), at("2026-03-06 16:00")}, // 3: inside 2, later: wins
			{6, at("2026-03-06 17:00"), at("2026-03-06 20:00")}, // 4: overlaps 2's end, later: wins
			{1, at("2026-03-07 06:00"), at("2026-03-07 10:00")}, // 5: user 1 extends their own shift
			{4, at("2026-03-01 20:00"), at("2026-03-02 10:00")}, // 6: before the rotation starts
			{3, at("2026-03-07 18:00"), at("2026-03-07 19:00")}, // 7: hidden by 8
			{4, at("2026-03-07 17:00"), at("2026-03-07 20:00")}, // 8
		},
	})
	sh := func(user int64, from, to string, layer, override int) Shift {
		return Shift{user, at(from).UTC(), at(to).UTC(), layer, override}
	}
	want := []Shift{
		sh(4, "2026-03-01 20:00", "2026-03-02 10:00", -1, 6),
		sh(1, "2026-03-02 10:00", "2026-03-03 09:00", 0, -1),
		sh(2, "2026-03-03 09:00", "2026-03-03 12:00", 0, -1),
		sh(7, "2026-03-03 12:00", "2026-03-03 15:00", -1, 0),
		sh(2, "2026-03-03 15:00", "2026-03-04 09:00", 0, -1),
		sh(1, "2026-03-04 09:00", "2026-03-04 20:00", 0, -1),
		sh(8, "2026-03-04 20:00", "2026-03-05 12:00", -1, 1),
		sh(2, "2026-03-05 12:00", "2026-03-06 09:00", 0, -1),
		sh(1, "2026-03-06 09:00", "2026-03-06 10:00", 0, -1),
		sh(9, "2026-03-06 10:00", "2026-03-06 14:00", -1, 2),
		sh(5, "2026-03-06 14:00", "2026-03-06 16:00", -1, 3),
		sh(9, "2026-03-06 16:00", "2026-03-06 17:00", -1, 2),
		sh(6, "2026-03-06 17:00", "2026-03-06 20:00", -1, 4),
		sh(1, "2026-03-06 20:00", "2026-03-07 10:00", 0, -1), // layer, then override 5: merged
		sh(2, "2026-03-07 10:00", "2026-03-07 17:00", 0, -1),
		sh(4, "2026-03-07 17:00", "2026-03-07 20:00", -1, 8),
		sh(2, "2026-03-07 20:00", "2026-03-08 09:00", 0, -1),
	}
	from, to := at("2026-03-01 00:00"), at("2026-03-08 09:00")
	if got := s.Shifts(from, to); !slices.Equal(got, want) {
		t.Errorf("Shifts:\n got %v\nwant %v", got, want)
	}
	for _, tt := range []struct {
		at   string
		want int64
	}{
		{"2026-03-01 19:59", 0}, {"2026-03-01 20:00", 4}, {"2026-03-02 09:30", 4},
		{"2026-03-03 11:59", 2}, {"2026-03-03 12:00", 7}, {"2026-03-03 15:00", 2},
		{"2026-03-05 09:00", 8}, {"2026-03-05 12:00", 2},
		{"2026-03-06 15:00", 5}, {"2026-03-06 17:30", 6}, {"2026-03-06 20:00", 1},
		{"2026-03-07 18:30", 4},
	} {
		got, ok := s.OnCallAt(at(tt.at))
		if ok != (tt.want != 0) || got != tt.want {
			t.Errorf("OnCallAt(%s) = %d, %v; want %d", tt.at, got, ok, tt.want)
		}
	}
	checkShiftsAgainstOnCallAt(t, s, from, to)
	// A range cutting shifts clips them.
	got := s.Shifts(at("2026-03-03 13:00"), at("2026-03-03 16:00"))
	want = []Shift{sh(7, "2026-03-03 13:00", "2026-03-03 15:00", -1, 0), sh(2, "2026-03-03 15:00", "2026-03-03 16:00", 0, -1)}
	if !slices.Equal(got, want) {
		t.Errorf("clipped Shifts:\n got %v\nwant %v", got, want)
	}
	if got := s.Shifts(to, from); got != nil {
		t.Errorf("Shifts over an empty range = %v, want nil", got)
	}
}

// monthSchedule is a realistic schedule: a weekly 24x7 layer, a nights
// layer and a business-hours layer in three zones, with overrides.
func monthSchedule(tb testing.TB) *Schedule {
	berlin, ny := ocZone(tb, "Europe/Berlin"), ocZone(tb, "America/New_York")
	var business, nights []TimeWindow
	for wd := time.Monday; wd <= time.Friday; wd++ {
		business = append(business, TimeWindow{wd, HM(8, 30), HM(12, 0)}, TimeWindow{wd, HM(13, 0), HM(17, 30)})
		nights = append(nights, TimeWindow{wd, HM(18, 0), HM(9, 0)})
	}
	nights = append(nights, TimeWindow{time.Saturday, HM(9, 0), HM(9, 0)}, TimeWindow{time.Sunday, HM(9, 0), HM(9, 0)})
	at := func(s string) time.Time { return ocLocal(tb, berlin, s) }
	return mustSchedule(tb, ScheduleSpec{
		Name:     "line 3",
		Location: berlin,
		Layers: []Rotation{
			{Participants: []int64{1, 2, 3, 4}, StartDate: Date(2026, 1, 5), HandOff: HM(10, 0), Length: Weekly},
			{Participants: []int64{5, 6}, Location: ny, StartDate: Date(2026, 2, 1), HandOff: 0, Length: ShiftLength{Hours: 36}, Restrictions: nights},
			{Participants: []int64{7, 8, 9}, StartDate: Date(2026, 2, 27), HandOff: HM(2, 30), Length: Daily, Restrictions: business},
		},
		Overrides: []Override{
			{10, at("2026-03-10 11:00"), at("2026-03-14 11:00")},
			{11, at("2026-03-12 00:00"), at("2026-03-12 23:59")},
			{1, at("2026-03-28 20:00"), at("2026-03-30 10:00")},
		},
	})
}

func TestSchedule_ShiftsMonthAgreeWithOnCallAt(t *testing.T) {
	s := monthSchedule(t)
	berlin := s.Location()
	for _, month := range []time.Month{time.January, time.March, time.October, time.November} {
		from := time.Date(2026, month, 1, 0, 0, 0, 0, berlin)
		checkShiftsAgainstOnCallAt(t, s, from, from.AddDate(0, 1, 0))
	}
}

// checkShiftsAgainstOnCallAt compares Shifts(from, to) and OnCallAt with
// the oracle, onCallOracle, at every minute of the range, and OnCallAt at
// each shift's ends; it checks that shifts are ordered, non-empty, in range
// and merged.
func checkShiftsAgainstOnCallAt(t *testing.T, s *Schedule, from, to time.Time) {
	t.Helper()
	shifts := s.Shifts(from, to)
	for i, sh := range shifts {
		switch {
		case !sh.Start.Before(sh.End) || sh.Start.Before(from) || sh.End.After(to):
			t.Fatalf("shift %d %v is empty or outside [%s, %s)", i, sh, from, to)
		case i > 0 && sh.Start.Before(shifts[i-1].End):
			t.Fatalf("shift %d %v overlaps %v", i, sh, shifts[i-1])
		case i > 0 && sh.Start.Equal(shifts[i-1].End) && sh.UserID == shifts[i-1].UserID:
			t.Fatalf("shift %d %v is not merged with %v", i, sh, shifts[i-1])
		case (sh.Layer < 0) == (sh.Override < 0):
			t.Fatalf("shift %d %v must name a layer or an override", i, sh)
		}
		for _, at := range []time.Time{sh.Start, sh.End.Add(-time.Nanosecond)} {
			if u, _ := s.OnCallAt(at); u != sh.UserID {
				t.Fatalf("shift %v: OnCallAt(%s) = %d", sh, at, u)
			}
		}
	}
	oracle := newOnCallOracle(s.Spec())
	j := 0
	for at := from; at.Before(to); at = at.Add(time.Minute) {
		for j < len(shifts) && !shifts[j].End.After(at) {
			j++
		}
		var got int64
		if j < len(shifts) && !at.Before(shifts[j].Start) {
			got = shifts[j].UserID
		}
		want := oracle.onCall(at)
		if got != want {
			t.Fatalf("at %s: Shifts say %d, want %d", at.UTC(), got, want)
		}
		if u, _ := s.OnCallAt(at); u != want {
			t.Fatalf("at %s: OnCallAt = %d, want %d", at.UTC(), u, want)
		}
	}
}

// TestSchedule_RandomAgreeWithOnCallAt builds random schedules (fixed seed)
// in zones with and without clock changes, including one that changes at
// midnight and one by half an hour, and compares Shifts with OnCallAt.
func TestSchedule_RandomAgreeWithOnCallAt(t *testing.T) {
	zones := []string{"UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/Moscow",
		"America/Santiago", "Australia/Lord_Howe", "America/Havana"}
	// Ranges around the clock changes of 2026 and one ordinary stretch.
	starts := []string{"2026-03-05T00:00Z", "2026-03-26T00:00Z", "2026-04-02T00:00Z",
		"2026-09-03T00:00Z", "2026-10-22T00:00Z", "2026-10-29T00:00Z", "2026-06-10T00:00Z"}
	times := []TimeOfDay{0, HM(0, 30), HM(1, 0), HM(1, 30), HM(2, 0), HM(2, 30), HM(3, 0), HM(9, 0), HM(18, 0), HM(23, 30)}
	rng := rand.New(rand.NewPCG(6, 2026))
	pickTime := func() TimeOfDay {
		if rng.IntN(3) == 0 {
			return TimeOfDay(rng.IntN(1440))
		}
		return times[rng.IntN(len(times))]
	}
	n := 150
	if testing.Short() {
		n = 20
	}
	for i := range n {
		from := ocUTC(t, starts[rng.IntN(len(starts))]).Add(time.Duration(rng.IntN(72)) * time.Hour)
		to := from.Add(time.Duration(2+rng.IntN(8)) * 24 * time.Hour)
		spec := ScheduleSpec{Name: "random", Location: ocZone(t, zones[rng.IntN(len(zones))])}
		for range 1 + rng.IntN(3) {
			r := Rotation{HandOff: pickTime()}
			for range 1 + rng.IntN(4) {
				r.Participants = append(r.Participants, int64(1+rng.IntN(6)))
			}
			if rng.IntN(2) == 0 {
				r.Location = ocZone(t, zones[rng.IntN(len(zones))])
			}
			start := from.AddDate(0, 0, rng.IntN(10)-7)
			r.StartDate = Date(start.Year(), start.Month(), start.Day())
			switch rng.IntN(4) {
			case 0:
				r.Length = ShiftLength{Hours: 1 + rng.IntN(48)}
			case 1:
				r.Length = Weekly
			default:
				r.Length = ShiftLength{Days: 1 + rng.IntN(3)}
			}
			for range rng.IntN(4) {
				r.Restrictions = append(r.Restrictions, TimeWindow{time.Weekday(rng.IntN(7)), pickTime(), pickTime()})
			}
			spec.Layers = append(spec.Layers, r)
		}
		for range rng.IntN(5) {
			a := from.Add(time.Duration(rng.IntN(int(to.Sub(from)/time.Minute))) * time.Minute)
			spec.Overrides = append(spec.Overrides, Override{int64(1 + rng.IntN(6)), a, a.Add(time.Duration(1+rng.IntN(3000)) * time.Minute)})
		}
		s := mustSchedule(t, spec)
		t.Run(fmt.Sprint(i), func(t *testing.T) { checkShiftsAgainstOnCallAt(t, s, from, to) })
	}
}

func TestNewSchedule_Validation(t *testing.T) {
	berlin := ocZone(t, "Europe/Berlin")
	valid := func() ScheduleSpec {
		return ScheduleSpec{Name: "line 3", Location: berlin, Layers: []Rotation{{
			Participants: []int64{1, 2}, StartDate: Date(2026, 3, 2), HandOff: HM(9, 0), Length: Weekly,
		}}}
	}
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, berlin)
	tests := []struct {
		name   string
		edit   func(*ScheduleSpec)
		fields []string // nil: valid
	}{
		{"valid", func(*ScheduleSpec) {}, nil},
		{"name", func(s *ScheduleSpec) { s.Name = "  " }, []string{"name"}},
		{"no zone", func(s *ScheduleSpec) { s.Location = nil }, []string{"zone"}},
		{"local zone", func(s *ScheduleSpec) { s.Location = time.Local }, []string{"zone"}},
		{"rotation in the local zone", func(s *ScheduleSpec) { s.Layers[0].Location = time.Local }, []string{"layers[0].zone"}},
		{"no layers", func(s *ScheduleSpec) { s.Layers = nil }, []string{"layers"}},
		{"no participants", func(s *ScheduleSpec) { s.Layers[0].Participants = nil }, []string{"layers[0].participants"}},
		{"bad participant", func(s *ScheduleSpec) { s.Layers[0].Participants = []int64{1, 0} }, []string{"layers[0].participants[1]"}},
		{"zero length", func(s *ScheduleSpec) { s.Layers[0].Length = ShiftLength{} }, []string{"layers[0].length"}},
		{"negative length", func(s *ScheduleSpec) { s.Layers[0].Length = ShiftLength{Days: -1} }, []string{"layers[0].length"}},
		{"days and hours", func(s *ScheduleSpec) { s.Layers[0].Length = ShiftLength{Days: 1, Hours: 2} }, []string{"layers[0].length"}},
		{"too long", func(s *ScheduleSpec) { s.Layers[0].Length = ShiftLength{Hours: MaxShiftHours + 1} }, []string{"layers[0].length"}},
		{"bad date", func(s *ScheduleSpec) { s.Layers[0].StartDate = Date(2026, 2, 29) }, []string{"layers[0].start_date"}},
		{"hand-off at 24:00", func(s *ScheduleSpec) { s.Layers[0].HandOff = EndOfDay }, []string{"layers[0].hand_off"}},
		{"bad window", func(s *ScheduleSpec) {
			s.Layers[0].Restrictions = []TimeWindow{{time.Monday, HM(9, 0), HM(17, 0)}, {7, 0, HM(1, 0)}}
		}, []string{"layers[0].restrictions[1]"}},
		{"override end", func(s *ScheduleSpec) { s.Overrides = []Override{{3, t0, t0}} }, []string{"overrides[0].end"}},
		{"override user", func(s *ScheduleSpec) { s.Overrides = []Override{{0, t0, t0.Add(time.Hour)}} }, []string{"overrides[0].user_id"}},
		{"override start", func(s *ScheduleSpec) { s.Overrides = []Override{{3, time.Time{}, t0}} }, []string{"overrides[0].start"}},
		{"several", func(s *ScheduleSpec) {
			s.Layers = append(s.Layers, Rotation{Participants: []int64{1}, StartDate: Date(2026, 1, 1)})
			s.Overrides = []Override{{3, t0, t0.Add(-time.Hour)}}
		}, []string{"layers[1].length", "overrides[0].end"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := valid()
			tt.edit(&spec)
			err := spec.Validate()
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID {
				t.Fatalf("Validate = %v, want an EINVALID *Error", err)
			}
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields = %v (%v), want %v", got, err, tt.fields)
			}
		})
	}
}

func TestSchedule_SpecIsCopied(t *testing.T) {
	spec := ScheduleSpec{Name: " line 3 ", Location: ocZone(t, "Asia/Tokyo"), Layers: []Rotation{{
		Participants: []int64{1, 2}, StartDate: Date(2026, 3, 2), Length: Daily,
	}}}
	s := mustSchedule(t, spec)
	spec.Layers[0].Participants[0] = 99
	if u, _ := s.OnCallAt(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)); u != 1 {
		t.Errorf("OnCallAt after editing the spec = %d, want 1", u)
	}
	if got := s.Spec(); got.Name != "line 3" || got.Layers[0].Participants[0] != 1 || s.Name() != "line 3" {
		t.Errorf("Spec() = %+v", got)
	}
}

func BenchmarkOnCallAt(b *testing.B) {
	s := monthSchedule(b)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		// Walk the year in steps of 7h13m to hit every kind of instant.
		s.OnCallAt(start.Add(time.Duration(i%1213) * (7*time.Hour + 13*time.Minute)))
		i++
	}
}

func BenchmarkShiftsYear(b *testing.B) {
	s := monthSchedule(b)
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(s.Shifts(from, to))
	}
	b.ReportMetric(float64(n), "shifts")
}
