package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/textan"
)

// A ticket's search document is the terms (package textan: stems, ticket
// references and e-mail addresses whole) of its title, and separately of
// its description, symptoms and public comments. Both databases index
// exactly these terms and never parse or stem text themselves: SQLite's
// FTS5 with a unicode61 tokenizer that keeps each term whole, PostgreSQL a
// tsvector built from the terms (title weighted A) with the 'simple'
// configuration's exact matching. Queries are built from textan.Query the
// same way, so both find the same tickets.

// MaxBodyTerms bounds the terms indexed from a ticket's body: PostgreSQL
// keeps positions only up to 16,383, and phrases must match on both
// databases alike, so terms past this many are not indexed on either.
const MaxBodyTerms = 16000

// SearchDoc is a ticket's analysed search document.
type SearchDoc struct {
	Title []string
	Body  []string
}

// NewSearchDoc analyses a ticket's title and the parts of its body.
func NewSearchDoc(title string, body ...string) SearchDoc {
	d := SearchDoc{Title: textan.Terms(title)}
	for _, part := range body {
		d.Body = append(d.Body, textan.Terms(part)...)
		if len(d.Body) >= MaxBodyTerms {
			d.Body = d.Body[:MaxBodyTerms]
			break
		}
	}
	if len(d.Title) > MaxBodyTerms {
		d.Title = d.Title[:MaxBodyTerms]
	}
	return d
}

// SearchTable is how a dialect writes search documents.
type SearchTable struct {
	// Head is "INSERT INTO ticket_search (columns) VALUES ".
	Head string
	// Width is the number of values of one row.
	Width int
	// Row renders one row's values from placeholder first on.
	Row func(first int, ph func(int) string) string
	// Values returns one row's values.
	Values func(id int64, d SearchDoc) []any
	// Delete removes ticket $1's document.
	Delete string
}

// indexTicket rewrites the search document of ticket id from its fields and
// public comments as stored in tx.
func (s *Store) indexTicket(ctx context.Context, tx *sql.Tx, id int64) error {
	if ok, err := s.searchSchema(ctx, tx); !ok {
		return err
	}
	doc, err := searchDocument(ctx, tx, id)
	if err != nil {
		return fmt.Errorf("build search document of ticket %d: %w", id, err)
	}
	return s.writeSearchDoc(ctx, tx, id, doc)
}

// searchMigration is the migration that made search documents terms.
const searchMigration = 18

// searchSchema reports whether the database has the search table of
// migration 00018. Before it (a test filling a database as an older release
// left it) documents are not written: the reindex after the migration
// writes every one. The answer is remembered once it is yes.
func (s *Store) searchSchema(ctx context.Context, tx *sql.Tx) (bool, error) {
	if s.terms.Load() {
		return true, nil
	}
	var n int
	err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+goose.DefaultTablename+
		" WHERE version_id = $1 AND is_applied", searchMigration).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	s.terms.Store(n > 0)
	return n > 0, nil
}

// writeSearchDoc replaces ticket id's search document with doc.
func (s *Store) writeSearchDoc(ctx context.Context, tx *sql.Tx, id int64, doc SearchDoc) error {
	st := s.dialect.SearchTable()
	if _, err := tx.ExecContext(ctx, st.Delete, id); err != nil {
		return fmt.Errorf("unindex ticket %d: %w", id, err)
	}
	q := st.Head + st.Row(1, func(n int) string { return fmt.Sprintf("$%d", n) })
	if _, err := tx.ExecContext(ctx, q, st.Values(id, doc)...); err != nil {
		return fmt.Errorf("index ticket %d: %w", id, err)
	}
	return nil
}

// searchDocument reads the searchable text of ticket id.
func searchDocument(ctx context.Context, tx *sql.Tx, id int64) (SearchDoc, error) {
	var title, description, symptoms string
	err := tx.QueryRowContext(ctx, "SELECT title, description, symptoms FROM tickets WHERE id = $1", id).
		Scan(&title, &description, &symptoms)
	if err != nil {
		return SearchDoc{}, err
	}
	parts := []string{description, symptoms}
	rows, err := tx.QueryContext(ctx, `SELECT body FROM events
		WHERE ticket_id = $1 AND kind = '`+string(desk.EventComment)+`' AND public ORDER BY id`, id)
	if err != nil {
		return SearchDoc{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return SearchDoc{}, err
		}
		parts = append(parts, body)
	}
	return NewSearchDoc(title, parts...), rows.Err()
}
