package sqlstore

import (
	"strconv"
	"strings"
)

// The category filter is "(t.category_id = $n OR t.subcategory_id = $n)"
// (refConds). PostgreSQL reads such an OR through a BitmapOr of the two
// indexes, and a bitmap is built whole before the first row is counted:
// the capped count of a common subcategory read every ticket of it, 33,000
// index entries at 1M tickets and ten times that at 10M, for 1,001
// matches. Counted as two disjoint branches, the category's tickets and
// then the subcategory's that are not the category's, each is an
// index-only scan of a covering index (migration 00068) that stops at the
// cap. SQLite keeps the OR in the count (its plans are its own).
//
// SQLite's page of the category filter, newest first, read the OR as a
// multi-index OR over every ticket of the category and sorted them all for
// 51 rows: 4 s a page at 10M tickets (1.6 s of CPU). Its page is chosen
// from the same two disjoint branches, each walking its index
// (category_id or subcategory_id, then created_at: migration 00066) in
// the page's order and stopping at the page's size; the page is the first
// rows of the two. PostgreSQL keeps the OR in the page (its bitmap feeds a
// top-N sort).
const (
	categoryCondPrefix = "(t.category_id = "
	categoryCondOr     = " OR t.subcategory_id = "
)

// splitCategoryCount returns the capped count of where as the two
// branches when where holds the category filter and the database is
// PostgreSQL.
func (s *Store) splitCategoryCount(where []string, max int) (string, bool) {
	if s.dialect.Name() != "postgres" {
		return "", false
	}
	byCategory, bySub, ok := categoryBranches(where)
	if !ok {
		return "", false
	}
	return "SELECT COUNT(*) FROM (SELECT 1 FROM tickets t" + whereClause(byCategory) +
		" UNION ALL SELECT 1 FROM tickets t" + whereClause(bySub) + " LIMIT " + strconv.Itoa(max+1) + ") c", true
}

// splitCategoryPage returns the page subquery of where as the two
// branches when where holds the category filter and the database is
// SQLite: the first rows of each, in order, of which the caller keeps the
// first (limit) rows.
func (s *Store) splitCategoryPage(where, keys []string, order, limit string) (string, bool) {
	if s.dialect.Name() != "sqlite" {
		return "", false
	}
	byCategory, bySub, ok := categoryBranches(where)
	if !ok {
		return "", false
	}
	cols := strings.Join(keys, ", ")
	return "SELECT * FROM (SELECT " + cols + " FROM tickets t" + whereClause(byCategory) + " ORDER BY " + order + limit +
		") UNION ALL SELECT * FROM (SELECT " + cols + " FROM tickets t" + whereClause(bySub) + " ORDER BY " + order + limit + ")", true
}

// categoryBranches returns where's two disjoint branches when it holds the
// category filter: the category's tickets, and the subcategory's that are
// not also the category's (a ticket filed under the same category twice is
// in the first only).
func categoryBranches(where []string) (byCategory, bySub []string, ok bool) {
	for i, cond := range where {
		ph, ok := categoryPlaceholder(cond)
		if !ok {
			continue
		}
		others := append(append([]string{}, where[:i]...), where[i+1:]...)
		byCategory = append(append([]string{}, others...), "t.category_id = "+ph)
		bySub = append(append([]string{}, others...), "t.subcategory_id = "+ph, "t.category_id IS DISTINCT FROM "+ph)
		return byCategory, bySub, true
	}
	return nil, nil, false
}

// categoryPlaceholder returns the placeholder of cond when it is the
// category filter.
func categoryPlaceholder(cond string) (string, bool) {
	rest, ok := strings.CutPrefix(cond, categoryCondPrefix)
	if !ok {
		return "", false
	}
	ph, sub, ok := strings.Cut(rest, categoryCondOr)
	if !ok || sub != ph+")" {
		return "", false
	}
	return ph, true
}
