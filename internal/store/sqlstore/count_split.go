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
// cap. SQLite keeps the OR (its plans are its own).
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
	for i, cond := range where {
		ph, ok := categoryPlaceholder(cond)
		if !ok {
			continue
		}
		others := append(append([]string{}, where[:i]...), where[i+1:]...)
		byCategory := append(append([]string{}, others...), "t.category_id = "+ph)
		bySub := append(append([]string{}, others...), "t.subcategory_id = "+ph, "t.category_id IS DISTINCT FROM "+ph)
		return "SELECT COUNT(*) FROM (SELECT 1 FROM tickets t" + whereClause(byCategory) +
			" UNION ALL SELECT 1 FROM tickets t" + whereClause(bySub) + " LIMIT " + strconv.Itoa(max+1) + ") c", true
	}
	return "", false
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
