package desk

import (
	"container/heap"
	"slices"
	"time"
)

// Who is on call: OnCallAt and Shifts over a Schedule (rules in oncall.go).
//
// OnCallAt costs O(overrides + layers) with a few zone conversions per
// layer: a rotation finds the shift holding an instant arithmetically, from
// the local date, never by walking from its start. Shifts costs
// O(p log p) for the p layer pieces and overrides in the range: each layer
// is cut into its shifts (intersected with its restriction windows), and
// one sweep over their ends picks the winner of each stretch.

// Shift is a stretch [Start, End) in which UserID is on call. Consecutive
// stretches of the same user are one Shift; Layer and Override name where
// it begins: the index of the layer (Override -1) or of the override
// (Layer -1).
type Shift struct {
	UserID     int64
	Start, End time.Time // UTC
	Layer      int
	Override   int
}

// layer is a validated rotation in a form ready for computation.
type layer struct {
	zone       *Calendar // only its zone: dateOf and boundary
	users      []int64
	start      civilDate
	handOff    TimeOfDay
	days       int64
	hourSecs   int64 // hour-based: seconds per shift
	first      time.Time
	restricted bool
	windows    [7][]TimeWindow // by weekday
}

func newLayer(r Rotation, def *time.Location) *layer {
	loc := r.Location
	if loc == nil {
		loc = def
	}
	l := &layer{
		zone:    &Calendar{loc: loc},
		users:   slices.Clone(r.Participants),
		start:   r.StartDate.civil(),
		handOff: r.HandOff,
		days:    int64(r.Length.Days),
	}
	l.hourSecs = int64(r.Length.Hours) * 3600
	l.first = l.zone.boundary(l.start, l.handOff)
	for _, w := range r.Restrictions {
		l.windows[w.Weekday] = append(l.windows[w.Weekday], w)
		l.restricted = true
	}
	return l
}

// handoff returns the instant of hand-off k, the start of shift k.
func (l *layer) handoff(k int64) time.Time {
	if l.hourSecs > 0 {
		return l.first.Add(time.Duration(k*l.hourSecs) * time.Second)
	}
	return l.zone.boundary(l.start+civilDate(k*l.days), l.handOff)
}

// index returns the shift that holds t, -1 before the first hand-off.
func (l *layer) index(t time.Time) int64 {
	if t.Before(l.first) {
		return -1
	}
	if l.hourSecs > 0 {
		return floorDiv(t.Unix()-l.first.Unix(), l.hourSecs)
	}
	k := floorDiv(int64(l.zone.dateOf(t)-l.start), l.days)
	for k > 0 && t.Before(l.handoff(k)) {
		k--
	}
	for !t.Before(l.handoff(k + 1)) {
		k++
	}
	return k
}

func (l *layer) user(k int64) int64 { return l.users[k%int64(len(l.users))] }

// at returns who the layer has on call at t.
func (l *layer) at(t time.Time) (int64, bool) {
	k := l.index(t)
	if k < 0 || (l.restricted && !l.inWindow(t)) {
		return 0, false
	}
	return l.user(k), true
}

// window returns the instants of window w on date d.
func (l *layer) window(d civilDate, w TimeWindow) workSpan {
	end := d
	if w.End <= w.Start {
		end++
	}
	return workSpan{l.zone.boundary(d, w.Start), l.zone.boundary(end, w.End)}
}

// inWindow reports whether t lies in a restriction window. Windows last at
// most a day, so only those of t's date and the day before can hold it.
func (l *layer) inWindow(t time.Time) bool {
	d := l.zone.dateOf(t)
	for date := d - 1; date <= d; date++ {
		for _, w := range l.windows[date.weekday()] {
			if sp := l.window(date, w); !t.Before(sp.start) && t.Before(sp.end) {
				return true
			}
		}
	}
	return false
}

// windowsIn returns the restriction windows meeting [from, to), sorted,
// overlapping and touching ones merged.
func (l *layer) windowsIn(from, to time.Time) []workSpan {
	var out []workSpan
	last := l.zone.dateOf(to)
	for d := l.zone.dateOf(from) - 1; d <= last; d++ {
		for _, w := range l.windows[d.weekday()] {
			if sp := l.window(d, w); sp.end.After(from) && sp.start.Before(to) && sp.start.Before(sp.end) {
				out = append(out, sp)
			}
		}
	}
	slices.SortFunc(out, func(a, b workSpan) int { return a.start.Compare(b.start) })
	merged := out[:0]
	for _, sp := range out {
		if n := len(merged); n > 0 && !sp.start.After(merged[n-1].end) {
			merged[n-1].end = maxTime(merged[n-1].end, sp.end)
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}

// piece is a stretch in which one source (a layer or an override, by
// precedence) has user on call.
type piece struct {
	start, end time.Time
	user       int64
	prio       int
}

// pieces appends the layer's on-call stretches within [from, to), sorted
// and disjoint.
func (l *layer) pieces(from, to time.Time, prio int, out []piece) []piece {
	var win []workSpan
	if l.restricted {
		if win = l.windowsIn(from, to); len(win) == 0 {
			return out
		}
	}
	k := max(l.index(from), 0)
	s, j := l.handoff(k), 0
	for ; s.Before(to); k++ {
		e := l.handoff(k + 1)
		lo, hi := maxTime(s, from), minTime(e, to)
		if !l.restricted {
			out = append(out, piece{lo, hi, l.user(k), prio})
		}
		for j < len(win) && !win[j].end.After(lo) {
			j++
		}
		for i := j; l.restricted && i < len(win) && win[i].start.Before(hi); i++ {
			out = append(out, piece{maxTime(lo, win[i].start), minTime(hi, win[i].end), l.user(k), prio})
		}
		s = e
	}
	return out
}

// OnCallAt returns who is on call at t: the latest override holding t, or
// else the last layer with someone on call. ok is false when no one is.
func (s *Schedule) OnCallAt(t time.Time) (userID int64, ok bool) {
	for i := len(s.overrides) - 1; i >= 0; i-- {
		if o := s.overrides[i]; !t.Before(o.Start) && t.Before(o.End) {
			return o.UserID, true
		}
	}
	for i := len(s.layers) - 1; i >= 0; i-- {
		if u, ok := s.layers[i].at(t); ok {
			return u, true
		}
	}
	return 0, false
}

// Shifts returns who is on call from from to to, in order: the stretches
// clipped to [from, to), with consecutive stretches of one user merged.
// Times when no one is on call are gaps between shifts. It agrees with
// OnCallAt at every instant of the range.
func (s *Schedule) Shifts(from, to time.Time) []Shift {
	from, to = from.UTC(), to.UTC()
	if !to.After(from) {
		return nil
	}
	var ps []piece
	for i, l := range s.layers {
		ps = l.pieces(from, to, i, ps)
	}
	for i, o := range s.overrides {
		if o.End.After(from) && o.Start.Before(to) {
			ps = append(ps, piece{maxTime(o.Start, from), minTime(o.End, to), o.UserID, len(s.layers) + i})
		}
	}
	return s.sweep(ps)
}

// sweep picks, between consecutive ends of the pieces, the piece of the
// highest precedence. Each precedence has at most one piece at a time.
func (s *Schedule) sweep(ps []piece) []Shift {
	type event struct {
		at    time.Time
		piece int
		start bool
	}
	evs := make([]event, 0, 2*len(ps))
	for i, p := range ps {
		evs = append(evs, event{p.start, i, true}, event{p.end, i, false})
	}
	slices.SortFunc(evs, func(a, b event) int { return a.at.Compare(b.at) })
	active := map[int]int{} // precedence → piece
	var top prioHeap
	var out []Shift
	for i := 0; i < len(evs); {
		at := evs[i].at
		for ; i < len(evs) && evs[i].at.Equal(at); i++ {
			e, p := evs[i], ps[evs[i].piece]
			switch {
			case e.start:
				active[p.prio] = e.piece
				heap.Push(&top, p.prio)
			case active[p.prio] == e.piece:
				delete(active, p.prio)
			}
		}
		for top.Len() > 0 {
			if _, ok := active[top[0]]; ok {
				break
			}
			heap.Pop(&top)
		}
		if top.Len() == 0 || i == len(evs) {
			continue
		}
		out = s.emit(out, ps[active[top[0]]], at, evs[i].at)
	}
	return out
}

// emit appends [from, to) of piece p, extending the last shift when it is
// the same user's and ends at from.
func (s *Schedule) emit(out []Shift, p piece, from, to time.Time) []Shift {
	if n := len(out); n > 0 && out[n-1].UserID == p.user && out[n-1].End.Equal(from) {
		out[n-1].End = to
		return out
	}
	sh := Shift{UserID: p.user, Start: from, End: to, Layer: p.prio, Override: -1}
	if p.prio >= len(s.layers) {
		sh.Layer, sh.Override = -1, p.prio-len(s.layers)
	}
	return append(out, sh)
}

// prioHeap is a max-heap of precedences.
type prioHeap []int

func (h prioHeap) Len() int           { return len(h) }
func (h prioHeap) Less(i, j int) bool { return h[i] > h[j] }
func (h prioHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *prioHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *prioHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
