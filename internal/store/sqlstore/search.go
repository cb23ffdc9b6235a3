package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Search documents hold a ticket's title, description, symptoms and public
// comments, normalised in Go (lower case, every run of characters other
// than letters, digits and marks turned into one space) so that both
// databases see the same plain words, Cyrillic included, whatever their
// locale, and a query is always a list of plain words.

// SearchText normalises text for indexing and querying.
func SearchText(parts ...string) string {
	return strings.Join(SearchWords(strings.Join(parts, " ")), " ")
}

// SearchWords splits text into lower-cased words.
func SearchWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

// indexTicket rewrites the search document of ticket id from its fields and
// public comments as stored in tx.
func (s *Store) indexTicket(ctx context.Context, tx *sql.Tx, id int64) error {
	doc, err := searchDocument(ctx, tx, id)
	if err != nil {
		return fmt.Errorf("build search document of ticket %d: %w", id, err)
	}
	key := s.dialect.SearchKey()
	if _, err := tx.ExecContext(ctx, "DELETE FROM ticket_search WHERE "+key+" = $1", id); err != nil {
		return fmt.Errorf("unindex ticket %d: %w", id, err)
	}
	q := "INSERT INTO ticket_search (" + key + ", doc) VALUES ($1, " + s.dialect.SearchDoc("$2") + ")"
	if _, err := tx.ExecContext(ctx, q, id, doc); err != nil {
		return fmt.Errorf("index ticket %d: %w", id, err)
	}
	return nil
}

// searchDocument reads the searchable text of ticket id.
func searchDocument(ctx context.Context, tx *sql.Tx, id int64) (string, error) {
	var parts []string
	var title, description, symptoms string
	err := tx.QueryRowContext(ctx, "SELECT title, description, symptoms FROM tickets WHERE id = $1", id).
		Scan(&title, &description, &symptoms)
	if err != nil {
		return "", err
	}
	parts = append(parts, title, description, symptoms)
	rows, err := tx.QueryContext(ctx, `SELECT body FROM events
		WHERE ticket_id = $1 AND kind = '`+string(desk.EventComment)+`' AND public ORDER BY id`, id)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return "", err
		}
		parts = append(parts, body)
	}
	return SearchText(parts...), rows.Err()
}
