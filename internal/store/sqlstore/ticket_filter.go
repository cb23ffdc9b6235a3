package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/textan"
)

// ticketWhere renders the conditions of f (without its cursor) against
// tickets t. Enum values are validated and rendered as literals in their
// canonical order: SQLite uses a partial index only when the query repeats
// the index's WHERE terms literally, and the open-queue indexes are partial
// on the open states.
//
// A query that is not empty but has nothing to look for (only punctuation,
// stop words or exclusions) matches no ticket; one matching the search
// window's number of tickets or more looks at the newest of them only and
// sets *win.
func (s *Store) ticketWhere(ctx context.Context, f *desk.TicketFilter, a *args, win *bool) (page, count []string, err error) {
	var w []string
	for _, lit := range []func() (string, error){
		func() (string, error) { return statesIn(f.States) },
		func() (string, error) { return enumIn("t.type", "types", f.Types, desk.TicketTypes) },
		func() (string, error) { return enumIn("t.priority", "priorities", f.Priorities, desk.Priorities) },
		func() (string, error) { return linesIn(f.Lines) },
		func() (string, error) { return enumIn("t.channel", "channels", f.Channels, desk.Channels) },
	} {
		cond, err := lit()
		if err != nil {
			return nil, nil, err
		}
		w = appendNonEmpty(w, cond)
	}
	w = appendNonEmpty(w, idsIn("t.group_id", f.GroupIDs, a))
	w = append(w, refConds(f, a)...)
	w = append(w, timeConds(f, a)...)
	w = append(w, slaDueConds(f, a)...)
	w = append(w, visibilityConds(f.Visibility, a)...)
	if strings.TrimSpace(f.Query) == "" { // no query does not filter
		return w, w[:len(w):len(w)], nil
	}
	q := textan.ParseQuery(f.Query)
	if q.MatchesNothing() { // punctuation, stop words or exclusions alone
		w = append(w, "1 = 0")
		return w, w[:len(w):len(w)], nil
	}
	cond, windowed, err := s.dialect.SearchMatch(ctx, s.rdb, q, s.searchWindow, a.add)
	if err != nil {
		return nil, nil, err
	}
	*win = windowed
	w = append(w, cond)
	return w, w[:len(w):len(w)], nil
}

func appendNonEmpty(w []string, cond string) []string {
	if cond == "" {
		return w
	}
	return append(w, cond)
}

// statesIn renders the states condition. Some of the open states, not all,
// also repeat the open states' own term, so that the open-queue indexes
// (partial on exactly that term) serve them: at 10M tickets the on-hold
// queue otherwise read the whole table (15 s).
func statesIn(states []desk.State) (string, error) {
	cond, err := enumIn("t.state", "states", states, desk.States)
	if err != nil || cond == "" {
		return cond, err
	}
	for _, st := range states {
		if !st.IsOpen() {
			return cond, nil
		}
	}
	open, err := enumIn("t.state", "states", desk.OpenStates, desk.States)
	if err != nil || open == cond {
		return cond, err
	}
	return cond + " AND " + open, nil
}

// enumIn renders "col IN ('a', 'b')" for the distinct values of vs in the
// order of all, or "col = 'a'" for one (SQLite matches a partial index's
// "col = 'a'" term only so); a value outside all is EINVALID.
func enumIn[T ~string](col, field string, vs, all []T) (string, error) {
	if len(vs) == 0 {
		return "", nil
	}
	var lits []string
	for _, v := range all {
		if slices.Contains(vs, v) {
			lits = append(lits, "'"+string(v)+"'")
		}
	}
	for _, v := range vs {
		if !slices.Contains(all, v) {
			return "", fieldError(desk.EINVALID, field, desk.RuleUnknown, nil, fmt.Sprintf("unknown value %q", v))
		}
	}
	if len(lits) == 1 {
		return col + " = " + lits[0], nil
	}
	return col + " IN (" + strings.Join(lits, ", ") + ")", nil
}

func linesIn(lines []desk.Line) (string, error) {
	if len(lines) == 0 {
		return "", nil
	}
	var lits []string
	for _, l := range []desk.Line{desk.Line1, desk.Line2, desk.Line3} {
		if slices.Contains(lines, l) {
			lits = append(lits, strconv.Itoa(int(l)))
		}
	}
	for _, l := range lines {
		if !l.Valid() {
			return "", fieldError(desk.EINVALID, "lines", desk.RuleOneOf, desk.Params{"allowed": []string{"1", "2", "3"}}, fmt.Sprintf("unknown line %d", l))
		}
	}
	return "t.line IN (" + strings.Join(lits, ", ") + ")", nil
}

// idsIn renders "col = $n" or "col IN ($n, …)".
func idsIn(col string, ids []int64, a *args) string {
	switch len(ids) {
	case 0:
		return ""
	case 1:
		return col + " = " + a.add(ids[0])
	}
	vs := make([]any, len(ids))
	for i, id := range ids {
		vs[i] = id
	}
	return col + " IN (" + a.addAll(vs...) + ")"
}

// refConds renders the single-reference filters.
func refConds(f *desk.TicketFilter, a *args) []string {
	var w []string
	if f.AssigneeID != nil {
		if *f.AssigneeID == 0 {
			w = append(w, "t.assignee_id IS NULL")
		} else {
			w = append(w, "t.assignee_id = "+a.add(*f.AssigneeID))
		}
	}
	if f.RequesterID != nil {
		w = append(w, "t.requester_id = "+a.add(*f.RequesterID))
	}
	if f.CategoryID != nil {
		ph := a.add(*f.CategoryID)
		w = append(w, "(t.category_id = "+ph+" OR t.subcategory_id = "+ph+")")
	}
	if f.ServiceID != nil {
		w = append(w, "t.service_id = "+a.add(*f.ServiceID))
	}
	return w
}

// timeConds renders the created and updated ranges: from inclusive, to
// exclusive.
func timeConds(f *desk.TicketFilter, a *args) []string {
	var w []string
	for _, r := range []struct {
		col  string
		op   string
		when *time.Time
	}{
		{"t.created_at", ">=", f.CreatedFrom}, {"t.created_at", "<", f.CreatedTo},
		{"t.updated_at", ">=", f.UpdatedFrom}, {"t.updated_at", "<", f.UpdatedTo},
	} {
		if r.when != nil {
			w = append(w, r.col+" "+r.op+" "+a.add(micros(*r.when)))
		}
	}
	return w
}

// visibilityConds limits the query to what the actor may see.
func visibilityConds(v desk.Visibility, a *args) []string {
	var w []string
	if v.RequesterID > 0 {
		w = append(w, "t.requester_id = "+a.add(v.RequesterID))
	}
	w = appendNonEmpty(w, securityCond(v, a))
	// Security cases are restricted too, and securityCond alone decides them.
	return appendNonEmpty(w, restrictedCond(v, a, " OR t.security"))
}

// restrictedCond is the restricted-ticket rule; orElse adds a way out.
func restrictedCond(v desk.Visibility, a *args, orElse string) string {
	switch {
	case v.AllRestricted:
		return ""
	case len(v.RestrictedGroups) == 0:
		return "(NOT t.restricted" + orElse + ")"
	}
	return "(NOT t.restricted" + orElse + " OR " + idsIn("t.group_id", v.RestrictedGroups, a) + ")"
}
