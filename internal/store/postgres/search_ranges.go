package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// Every search document carries three markers of its ticket's id range:
// the lexemes '~a<id >> 12>' (a range of 4,096 ids), '~b<id >> 16>' (16 of
// those) and '~c<id >> 20>' (16 of those). No query term can be or start
// with them (terms start with a letter or digit). The newest matches of a
// common word are then read from the GIN index as the word AND the newest
// ranges' markers: the index intersects the lists and only the matches in
// those ranges are read from the table. Before, such a word's newest
// matches were found by testing documents newest first (72,000 of them for
// a word in 2.8 % of a 1M desk: 90-600 ms), and reading every match
// through the index instead costs a table row per match (28,000).
const (
	defaultRangeShift = 12   // the smallest ranges are of 1 << 12 ids
	rangeLevels       = 3    // sizes of ranges, each 1 << levelStep times the one before
	levelStep         = 4    //
	maxRanges         = 32   // markers ORed in one read at most
	rangeSlack        = 1.25 // ranges chosen to hold this many times the matches needed
	rangeTries        = 3    // reads of widening ranges before reading every match
	// What a read from ranges costs, in documents tested by the walk
	// newest first (the other way, see matchIDs): a match read from the
	// table (scattered: about a page each) ~10, and each entry of the
	// word's own list, which the index steps through, ~0.08 (measured on a
	// 1M desk under load: 'network', in 39 % of the tickets, took 250 ms
	// in the index for 3,500 matches; 'принтер', in 2.8 %, 17 ms).
	rangeRowCost   = 10
	rangeEntryCost = 0.08
	// The GIN index's cost of k markers of ranges of s ids each is about
	// rangeMarkerCost × k² × s (measured on the 1M desk under load: 23
	// ranges of 4,096 ids 64-93 ms, 16 of them 21-26 ms, 8 of them 8-14
	// ms, a row read ~10 µs).
	rangeMarkerCost = 0.035
)

// idRanges says how documents are marked: ranges of 1 << shift ids for
// each level, smallest first. always reads ranges even where the walk
// would cost less (tests, whose small desks the walk always wins).
type idRanges struct {
	shifts [rangeLevels]uint
	always bool
}

func newIDRanges(shift uint) *idRanges {
	r := &idRanges{always: shift != defaultRangeShift}
	for i := range r.shifts {
		r.shifts[i] = shift + uint(i)*levelStep
	}
	return r
}

// levelPrefix is the marker prefix of level i.
func levelPrefix(i int) string { return "~" + string(rune('a'+i)) }

// WithSearchRanges implements the hook of sqlstore.WithSearchRanges: a
// size other than the default also reads ranges wherever they narrow the
// read, whatever the walk would cost.
func (d dialect) WithSearchRanges(shift uint) sqlstore.Dialect {
	d.ranges = newIDRanges(shift)
	return d
}

// markers renders ticket id's markers as tsvector lexemes (no positions,
// so that no phrase can span them).
func (r *idRanges) markers(id int64) string {
	parts := make([]string, len(r.shifts))
	for i, sh := range r.shifts {
		parts[i] = "'" + levelPrefix(i) + strconv.FormatInt(id>>sh, 10) + "'"
	}
	return strings.Join(parts, " ")
}

// span returns, as a tsquery, the markers of the newest ranges holding the
// ids above maxID - need, of the size whose read costs least (at most
// maxRanges of them), given about rate matches per id, and the lowest id
// they hold; "" when they would hold every id (the markers narrow nothing)
// or need more than maxRanges markers of every size. The GIN index's cost
// grows with the square of the markers ORed: each candidate of each
// marker's list is tested against the whole query ('принтер' AND 23
// ranges of 4,096 ids: 36-107 ms on a 1M desk under load, AND 2 ranges of
// 65,536: 11-33 ms, for about as many rows), so fewer, larger ranges can
// cost less even when they hold more rows.
func (r *idRanges) span(maxID int64, need, rate float64) (string, int64) {
	lo := float64(maxID) - need + 1
	if lo < 1 {
		return "", 0
	}
	best, bestCost := -1, 0.0
	for i, sh := range r.shifts {
		first, last := int64(lo)>>sh, maxID>>sh
		if first == 0 {
			break // this size and larger ones hold every id
		}
		k := float64(last - first + 1)
		if k > maxRanges {
			continue
		}
		cost := rangeMarkerCost*k*k*float64(int64(1)<<sh) + rangeRowCost*rate*float64(maxID-first<<sh+1)
		if best < 0 || cost < bestCost {
			best, bestCost = i, cost
		}
	}
	if best < 0 {
		return "", 0
	}
	sh := r.shifts[best]
	first, last := int64(lo)>>sh, maxID>>sh
	parts := make([]string, 0, last-first+1)
	for b := last; b >= first; b-- {
		parts = append(parts, "'"+levelPrefix(best)+strconv.FormatInt(b, 10)+"'")
	}
	return "(" + strings.Join(parts, " | ") + ")", first << sh
}

// markedFrom returns the id from which every document is known to carry
// its markers: documents are marked by every write of this release and by
// the background reindex, which goes newest first and leaves
// search_reindex.below at the id under which documents still wait (a
// document under it may have been rewritten by a write meanwhile, and its
// neighbours not). It is read every time, not remembered: a restore or a
// copy into the database starts the reindex again.
func markedFrom(ctx context.Context, db *sql.DB) (int64, error) {
	var below int64
	if err := db.QueryRowContext(ctx, "SELECT below FROM search_reindex").Scan(&below); err != nil {
		return 0, fmt.Errorf("read search reindex: %w", err)
	}
	return below, nil
}

// newestByRange reads the n newest matches of q (a tsquery literal),
// newest first, from the newest id ranges, given about rate matches per
// id (an estimate; a wrong one costs reads, not answers) on a desk whose
// highest id is maxID. Ranges that return fewer than n matches are
// widened by the rate they showed. ok is false when ranges cannot answer:
// the matches are so many that the walk newest first finds n sooner, or
// too few for ranges to narrow anything, or the ranges
// needed are not all marked yet (documents from below on are, see
// markedFrom); the caller reads another way.
func (d dialect) newestByRange(ctx context.Context, db *sql.DB, q string, rate float64, maxID, below int64, n int) (ids []int64, ok bool, err error) {
	r := d.ranges
	if !d.readsRanges(rate, maxID, n) {
		return nil, false, nil
	}
	for range rangeTries {
		m, lo := r.span(maxID, rangeSlack*float64(n)/rate, rate)
		if m == "" || lo < below {
			return nil, false, nil
		}
		ids, err := matchIDs(ctx, db, "("+q+") & "+m, false, n)
		if err != nil || len(ids) >= n {
			return ids, err == nil, err
		}
		rate = float64(max(len(ids), 1)) / float64(maxID-lo+1)
	}
	return nil, false, nil
}

// readsRanges reports whether the n newest matches of a query with about
// rate matches per id are read from ranges at all: not when the desk has
// no ranges or the query no estimate, nor when the query is so common that
// the walk newest first finds them sooner.
func (d dialect) readsRanges(rate float64, maxID int64, n int) bool {
	r := d.ranges
	if r == nil || rate <= 0 || maxID < 1 {
		return false
	}
	walk := float64(n) / rate
	return r.always || walk >= rangeEntryCost*rate*float64(maxID)+rangeRowCost*float64(n)
}

// firstSpan returns the markers of the ranges newestByRange reads first
// for the n newest matches of a query with about rate matches per id, and
// the lowest id they hold; "" when it reads none.
func (d dialect) firstSpan(rate float64, maxID int64, n int) (string, int64) {
	if !d.readsRanges(rate, maxID, n) {
		return "", 0
	}
	return d.ranges.span(maxID, rangeSlack*float64(n)/rate, rate)
}
