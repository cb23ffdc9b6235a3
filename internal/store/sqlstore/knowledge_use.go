package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/knowledge"
)

// LinkArticle implements knowledge.Store.
func (s *Store) LinkArticle(ctx context.Context, l knowledge.Link) error {
	err := s.inAuditedTx(ctx, entry("article.link", about("article", &l.ArticleID), "ticket", l.TicketID, "kind", string(l.Kind)), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO article_ticket_links (ticket_id, article_id, kind, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (ticket_id, article_id) DO UPDATE SET kind = excluded.kind, created_at = excluded.created_at, created_by = excluded.created_by`,
			l.TicketID, l.ArticleID, string(l.Kind), micros(l.At), nullID(l.By))
		return err
	})
	return s.refError(ctx, "link article", err, ref{"ticket", "tickets", l.TicketID}, ref{"article_id", "articles", l.ArticleID})
}

// UnlinkArticle implements knowledge.Store.
func (s *Store) UnlinkArticle(ctx context.Context, articleID, ticketID int64) error {
	return s.inAuditedTx(ctx, entry("article.unlink", about("article", &articleID), "ticket", ticketID), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM article_ticket_links WHERE ticket_id = $1 AND article_id = $2", ticketID, articleID)
		if err != nil {
			return fmt.Errorf("unlink article: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return desk.Errorf(desk.ENOTFOUND, "article %d is not linked to ticket %d", articleID, ticketID)
		}
		return nil
	})
}

// TicketArticleLinks implements knowledge.Store.
func (s *Store) TicketArticleLinks(ctx context.Context, ticketID int64) ([]knowledge.Link, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT article_id, ticket_id, kind, created_at, created_by FROM article_ticket_links
		WHERE ticket_id = $1 ORDER BY created_at, article_id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("ticket articles: %w", err)
	}
	defer rows.Close()
	var out []knowledge.Link
	for rows.Next() {
		var l knowledge.Link
		var at int64
		var by sql.NullInt64
		if err := rows.Scan(&l.ArticleID, &l.TicketID, &l.Kind, &at, &by); err != nil {
			return nil, fmt.Errorf("ticket articles: %w", err)
		}
		l.At, l.By = fromMicros(at), by.Int64
		out = append(out, l)
	}
	return out, rows.Err()
}

// RecordDeflection implements knowledge.Store.
func (s *Store) RecordDeflection(ctx context.Context, d knowledge.Deflection) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO article_deflections (article_id, requester_id, created_at, query) VALUES ($1, $2, $3, $4)`,
		d.ArticleID, nullID(d.RequesterID), micros(d.At), d.Query)
	return s.refError(ctx, "record deflection", err, ref{"article_id", "articles", d.ArticleID})
}

// KnowledgeReport implements knowledge.Store.
func (s *Store) KnowledgeReport(ctx context.Context, from, to time.Time) (*knowledge.Report, error) {
	r := &knowledge.Report{}
	f, t := micros(from), micros(to)
	rows, err := s.rdb.QueryContext(ctx, `SELECT kind, COUNT(*) FROM article_ticket_links WHERE created_at >= $1 AND created_at < $2 GROUP BY kind`, f, t)
	if err != nil {
		return nil, fmt.Errorf("knowledge report: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind knowledge.LinkKind
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return nil, fmt.Errorf("knowledge report: %w", err)
		}
		switch kind {
		case knowledge.SolvedBy:
			r.SolvedBy = n
		case knowledge.Relevant:
			r.Relevant = n
		case knowledge.Shown:
			r.Shown = n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("knowledge report: %w", err)
	}
	for _, c := range []struct {
		dst *int
		q   string
	}{
		{&r.Deflections, "SELECT COUNT(*) FROM article_deflections WHERE created_at >= $1 AND created_at < $2"},
		{&r.TicketsCreated, "SELECT COUNT(*) FROM tickets WHERE created_at >= $1 AND created_at < $2"},
	} {
		if err := s.rdb.QueryRowContext(ctx, c.q, f, t).Scan(c.dst); err != nil {
			return nil, fmt.Errorf("knowledge report: %w", err)
		}
	}
	if err := s.rdb.QueryRowContext(ctx, "SELECT COUNT(*) FROM articles WHERE state = 'published'").Scan(&r.Published); err != nil {
		return nil, fmt.Errorf("knowledge report: %w", err)
	}
	if r.Articles, err = s.articleUse(ctx, f, t); err != nil {
		return nil, err
	}
	r.Uncovered, err = s.uncoveredCategories(ctx)
	return r, err
}

// articleUse counts each article's links and deflections in the period.
func (s *Store) articleUse(ctx context.Context, from, to int64) ([]knowledge.ArticleUse, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT a.id, a.title_en, a.title_ru, SUM(u.solved), SUM(u.relevant), SUM(u.shown), SUM(u.deflected)
		FROM (SELECT article_id,
				CASE WHEN kind = 'solved_by' THEN 1 ELSE 0 END AS solved,
				CASE WHEN kind = 'relevant' THEN 1 ELSE 0 END AS relevant,
				CASE WHEN kind = 'shown' THEN 1 ELSE 0 END AS shown, 0 AS deflected
			FROM article_ticket_links WHERE created_at >= $1 AND created_at < $2
			UNION ALL
			SELECT article_id, 0, 0, 0, 1 FROM article_deflections WHERE created_at >= $1 AND created_at < $2) u
		JOIN articles a ON a.id = u.article_id
		GROUP BY a.id, a.title_en, a.title_ru
		ORDER BY SUM(u.solved) + SUM(u.deflected) DESC, COUNT(*) DESC, a.id
		LIMIT 20`, from, to)
	if err != nil {
		return nil, fmt.Errorf("knowledge report: %w", err)
	}
	defer rows.Close()
	var out []knowledge.ArticleUse
	for rows.Next() {
		var u knowledge.ArticleUse
		var en, ru string
		if err := rows.Scan(&u.ID, &en, &ru, &u.SolvedBy, &u.Relevant, &u.Shown, &u.Deflections); err != nil {
			return nil, fmt.Errorf("knowledge report: %w", err)
		}
		u.Titles = map[string]string{"en": en, "ru": ru}
		out = append(out, u)
	}
	return out, rows.Err()
}

// uncoveredCategories are the categories in use with no published article.
func (s *Store) uncoveredCategories(ctx context.Context) ([]desk.Ref, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT c.id, c.name FROM categories c WHERE NOT c.retired
		AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.category_id = c.id AND a.state = 'published')
		ORDER BY c.name, c.id`)
	if err != nil {
		return nil, fmt.Errorf("knowledge report: %w", err)
	}
	defer rows.Close()
	var out []desk.Ref
	for rows.Next() {
		var r desk.Ref
		if err := rows.Scan(&r.ID, &r.Name); err != nil {
			return nil, fmt.Errorf("knowledge report: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// HasPermission implements knowledge.Store.
func (s *Store) HasPermission(ctx context.Context, userID int64, perm string) (bool, error) {
	return existsRow(ctx, s.rdb, "SELECT 1 FROM user_permissions WHERE user_id = $1 AND permission = $2", userID, perm)
}

// SetPermission implements knowledge.Store.
func (s *Store) SetPermission(ctx context.Context, userID int64, perm string, on bool) error {
	q := "DELETE FROM user_permissions WHERE user_id = $1 AND permission = $2"
	if on {
		q = "INSERT INTO user_permissions (user_id, permission) VALUES ($1, $2) ON CONFLICT (user_id, permission) DO NOTHING"
	}
	err := s.inAuditedTx(ctx, entry("permission.set", about("user", &userID), "permission", perm, "on", on), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, q, userID, perm)
		return err
	})
	return s.refError(ctx, "set permission", err, ref{"user_id", "users", userID})
}

// PermissionHolders implements knowledge.Store.
func (s *Store) PermissionHolders(ctx context.Context, perm string) ([]int64, error) {
	rows, err := s.rdb.QueryContext(ctx, "SELECT user_id FROM user_permissions WHERE permission = $1 ORDER BY user_id", perm)
	if err != nil {
		return nil, fmt.Errorf("permission holders: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("permission holders: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
