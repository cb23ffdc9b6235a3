package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// defaultCommonMatches is where a search counts as common. Measured on a
// generated desk of 1M tickets (2 cores): listing by the sort order and
// probing FTS5 per row costs ~30 µs a row, so it suits words in many
// tickets (a word in a third of them: 4 ms) and is hopeless for rare ones
// (no match at all: 20 s); driving from the match list costs ~4 µs a match
// (a third of the tickets: 900 ms; 3%: 110 ms). They cross near 2% of 1M.
const defaultCommonMatches = 20000

// SearchMatch picks the plan by counting the matches up to d.commonMatches
// (under 3 ms at most). A rare query lists its matches and looks the
// tickets up; a common one walks the requested order (an index) and probes
// each row, stopping when the page is full. Counting all matches always
// uses the list.
func (d dialect) SearchMatch(ctx context.Context, db *sql.DB, words []string, bind func(any) string) (string, string, error) {
	q := ftsQuery(words)
	var n int
	err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM
		(SELECT 1 FROM ticket_search WHERE ticket_search MATCH $1 LIMIT $2)`, q, d.commonMatches).Scan(&n)
	if err != nil {
		return "", "", fmt.Errorf("count search matches: %w", err)
	}
	ph := bind(q)
	list := "t.id IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH " + ph + ")"
	if n < d.commonMatches {
		return list, list, nil
	}
	probe := "EXISTS (SELECT 1 FROM ticket_search WHERE ticket_search.rowid = t.id AND ticket_search MATCH " + ph + ")"
	return probe, list, nil
}

// ftsQuery quotes every word as an FTS5 string, so that nothing in the
// user's text is read as an operator, column filter or prefix; strings next
// to each other are ANDed.
func ftsQuery(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
	}
	return strings.Join(quoted, " ")
}
