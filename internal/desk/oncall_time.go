package desk

import (
	"container/heap"
	"slices"
	"time"
)

// Who is on call: OnCallAt and Shifts over a Schedule (rules in oncall.go).
//
// NewSchedule resolves the overrides once into disjoint stretches, so
// OnCallAt costs O(log overrides + layers) with a few zone conversions per
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

// piece is a stretch in which a source has user on call. prio is its
// precedence in a sweep; src is the layer's index, or the number of layers
// plus the override's index.
type piece struct {
	start, end time.Time
	user       int64
	prio, src  int
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
			out = append(out, piece{lo, hi, l.user(k), prio, prio})
		}
		for j < len(win) && !win[j].end.After(lo) {
			j++
		}
		for i := j; l.restricted && i < len(win) && win[i].start.Before(hi); i++ {
			out = append(out, piece{maxTime(lo, win[i].start), minTime(hi, win[i].end), l.user(k), prio, prio})
		}
		s = e
	}
	return out
}

// OnCallAt returns who is on call at t: the latest override holding t, or
// else the last layer with someone on call. ok is false when no one is.
func (s *Schedule) OnCallAt(t time.Time) (userID int64, ok bool) {
	i, _ := slices.BinarySearchFunc(s.overlay, t, func(p piece, t time.Time) int {
		if p.end.After(t) {
			return 1
		}
		return -1
	})
	if i < len(s.overlay) && !t.Before(s.overlay[i].start) {
		return s.overlay[i].user, true
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
	n := len(s.layers)
	i, _ := slices.BinarySearchFunc(s.overlay, from, func(p piece, t time.Time) int {
		if p.end.After(t) {
			return 1
		}
		return -1
	})
	for ; i < len(s.overlay) && s.overlay[i].start.Before(to); i++ {
		o := s.overlay[i]
		ps = append(ps, piece{maxTime(o.start, from), minTime(o.end, to), o.user, n, n + o.src})
	}
	var out []Shift
	for _, p := range sweep(ps, n+1) {
		if k := len(out); k > 0 && out[k-1].UserID == p.user && out[k-1].End.Equal(p.start) {
			out[k-1].End = p.end
			continue
		}
		sh := Shift{UserID: p.user, Start: p.start, End: p.end, Layer: p.src, Override: -1}
		if p.src >= n {
			sh.Layer, sh.Override = -1, p.src-n
		}
		out = append(out, sh)
	}
	return out
}

// sweep returns, between consecutive ends of the pieces, the piece of the
// highest precedence (below prios), with touching stretches of one piece
// joined. At any instant each precedence may have at most one piece.
func sweep(ps []piece, prios int) []piece {
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
	active := make([]int, prios) // precedence → piece + 1; 0 none
	var top prioHeap
	var out []piece
	last := -1 // the piece out ends with
	for i := 0; i < len(evs); {
		at := evs[i].at
		for ; i < len(evs) && evs[i].at.Equal(at); i++ {
			e, p := evs[i], ps[evs[i].piece]
			switch {
			case e.start:
				active[p.prio] = e.piece + 1
				heap.Push(&top, p.prio)
			case active[p.prio] == e.piece+1:
				active[p.prio] = 0
			}
		}
		for top.Len() > 0 && active[top[0]] == 0 {
			heap.Pop(&top)
		}
		if top.Len() == 0 || i == len(evs) {
			continue
		}
		w := active[top[0]] - 1
		if k := len(out); k > 0 && last == w && out[k-1].end.Equal(at) {
			out[k-1].end = evs[i].at
			continue
		}
		p := ps[w]
		p.start, p.end, last = at, evs[i].at, w
		out = append(out, p)
	}
	return out
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
