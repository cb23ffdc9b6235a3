package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/knowledge"
)

var _ knowledge.Store = (*Store)(nil)

// articleRow is an article's columns.
type articleRow struct {
	a        knowledge.Article
	texts    [4]string // title_en, body_en, title_ru, body_ru
	key      sql.NullString
	keywords string
	review   sql.NullInt64
	created  int64
	updated  int64
	category nullRef
	owner    nullRef
}

const articleCols = `a.id, a.file_key, a.title_en, a.body_en, a.title_ru, a.body_ru, a.keywords, a.audience, a.state,
	a.review_at, a.version, a.created_at, a.updated_at, a.category_id, c.name, a.owner_id, o.name`

const articleFrom = ` FROM articles a LEFT JOIN categories c ON c.id = a.category_id LEFT JOIN users o ON o.id = a.owner_id`

func scanArticle(sc scanner) (*knowledge.Article, error) {
	var r articleRow
	err := sc.Scan(&r.a.ID, &r.key, &r.texts[0], &r.texts[1], &r.texts[2], &r.texts[3], &r.keywords, &r.a.Audience, &r.a.State,
		&r.review, &r.a.Version, &r.created, &r.updated, &r.category.id, &r.category.name, &r.owner.id, &r.owner.name)
	if err != nil {
		return nil, err
	}
	a := r.a
	a.Key = r.key.String
	for i, lang := range knowledge.Languages {
		if title := r.texts[2*i]; title != "" {
			a.Translations = append(a.Translations, knowledge.Translation{Lang: lang, Title: title, Body: r.texts[2*i+1]})
		}
	}
	if r.keywords != "" {
		a.Keywords = strings.Split(r.keywords, "\n")
	}
	a.ReviewAt = timePtr(r.review)
	a.CreatedAt, a.UpdatedAt = fromMicros(r.created), fromMicros(r.updated)
	a.Category, a.Owner = r.category.ref(), r.owner.ref()
	return &a, nil
}

// articleArgs are the content columns' values, in the order of
// articleContentCols.
func articleArgs(a *knowledge.Article) []any {
	texts := [4]string{}
	for i, lang := range knowledge.Languages {
		for _, t := range a.Translations {
			if t.Lang == lang {
				texts[2*i], texts[2*i+1] = t.Title, t.Body
			}
		}
	}
	var key any
	if a.Key != "" {
		key = a.Key
	}
	return []any{key, texts[0], texts[1], texts[2], texts[3], refID(a.Category), strings.Join(a.Keywords, "\n"),
		string(a.Audience), string(a.State), refID(a.Owner), nullMicros(a.ReviewAt), a.Version, micros(a.UpdatedAt)}
}

const articleContentCols = `file_key, title_en, body_en, title_ru, body_ru, category_id, keywords, audience, state, owner_id, review_at, version, updated_at`

// CreateArticle implements knowledge.Store.
func (s *Store) CreateArticle(ctx context.Context, a *knowledge.Article, v *knowledge.Version, terms map[string]int) error {
	err := s.inAuditedTx(ctx, entry("article.create", about("article", &a.ID), "key", a.Key, "state", string(a.State)), func(tx *sql.Tx) error {
		args := append(articleArgs(a), micros(a.CreatedAt))
		err := tx.QueryRowContext(ctx, `INSERT INTO articles (`+articleContentCols+`, created_at)
			VALUES (`+placeholders(1, len(args))+`) RETURNING id`, args...).Scan(&a.ID)
		if err != nil {
			return s.uniqueError("create article", err, "key")
		}
		v.ArticleID = a.ID
		return s.writeArticleParts(ctx, tx, a, v, terms, false)
	})
	return s.articleRefError(ctx, "create article", err, a)
}

// SaveArticle implements knowledge.Store.
func (s *Store) SaveArticle(ctx context.Context, a *knowledge.Article, v *knowledge.Version, terms map[string]int) error {
	err := s.inAuditedTx(ctx, entry("article.update", about("article", &a.ID), "version", a.Version, "state", string(a.State)), func(tx *sql.Tx) error {
		args := append(articleArgs(a), a.ID, a.Version-1)
		sets := strings.Split(articleContentCols, ", ")
		for i := range sets {
			sets[i] += fmt.Sprintf(" = $%d", i+1)
		}
		res, err := tx.ExecContext(ctx, `UPDATE articles SET `+strings.Join(sets, ", ")+
			fmt.Sprintf(" WHERE id = $%d AND version = $%d", len(args)-1, len(args)), args...)
		if err != nil {
			return s.uniqueError("save article", err, "key")
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return s.staleArticle(ctx, tx, a)
		}
		return s.writeArticleParts(ctx, tx, a, v, terms, true)
	})
	return s.articleRefError(ctx, "save article", err, a)
}

// staleArticle explains why an update touched no row.
func (s *Store) staleArticle(ctx context.Context, tx *sql.Tx, a *knowledge.Article) error {
	var cur int
	if err := tx.QueryRowContext(ctx, "SELECT version FROM articles WHERE id = $1", a.ID).Scan(&cur); err != nil {
		return notFound("article", a.ID)
	}
	return desk.Errorf(desk.ESTALE, "article %d is at version %d, not %d: reload it and edit again", a.ID, cur, a.Version-1)
}

func (s *Store) articleRefError(ctx context.Context, op string, err error, a *knowledge.Article) error {
	refs := []ref{{"category_id", "categories", refID(a.Category)}, {"owner_id", "users", refID(a.Owner)}}
	for _, svc := range a.Services {
		refs = append(refs, ref{"service_ids", "services", svc.ID})
	}
	return s.refError(ctx, op, err, refs...)
}

// writeArticleParts writes the services, the version and the terms of an
// article written in tx (replacing the old ones when replace).
func (s *Store) writeArticleParts(ctx context.Context, tx *sql.Tx, a *knowledge.Article, v *knowledge.Version, terms map[string]int, replace bool) error {
	if replace {
		for _, q := range []string{"DELETE FROM article_services WHERE article_id = $1", "DELETE FROM article_terms WHERE article_id = $1"} {
			if _, err := tx.ExecContext(ctx, q, a.ID); err != nil {
				return fmt.Errorf("article %d: %w", a.ID, err)
			}
		}
	}
	for _, svc := range a.Services {
		if _, err := tx.ExecContext(ctx, "INSERT INTO article_services (article_id, service_id) VALUES ($1, $2)", a.ID, svc.ID); err != nil {
			return fmt.Errorf("article services: %w", err)
		}
	}
	content, err := json.Marshal(v.Content)
	if err != nil {
		return fmt.Errorf("article version: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO article_versions (article_id, version, author_id, author_name, created_at, note, content)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ID, v.Number, nullID(v.Author.ID), v.Author.Name, micros(v.At), v.Note, string(content))
	if err != nil {
		return fmt.Errorf("article version: %w", err)
	}
	return insertArticleTerms(ctx, tx, a.ID, terms)
}

// insertArticleTerms writes the terms in multi-row INSERTs of 200.
func insertArticleTerms(ctx context.Context, tx *sql.Tx, id int64, terms map[string]int) error {
	const batch = 200
	rows := make([]any, 0, 3*batch)
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		var vals []string
		for i := 0; i < len(rows); i += 3 {
			vals = append(vals, fmt.Sprintf("($%d, $%d, $%d)", i+1, i+2, i+3))
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO article_terms (term, article_id, weight) VALUES "+strings.Join(vals, ", "), rows...)
		rows = rows[:0]
		return err
	}
	for term, w := range terms {
		rows = append(rows, term, id, w)
		if len(rows) == 3*batch {
			if err := flush(); err != nil {
				return fmt.Errorf("article terms: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("article terms: %w", err)
	}
	return nil
}

// Article implements knowledge.Store.
func (s *Store) Article(ctx context.Context, id int64) (*knowledge.Article, error) {
	return s.oneArticle(ctx, "a.id = $1", id)
}

// ArticleByKey implements knowledge.Store.
func (s *Store) ArticleByKey(ctx context.Context, key string) (*knowledge.Article, error) {
	return s.oneArticle(ctx, "a.file_key = $1", key)
}

func (s *Store) oneArticle(ctx context.Context, cond string, key any) (*knowledge.Article, error) {
	a, err := scanArticle(s.rdb.QueryRowContext(ctx, "SELECT "+articleCols+articleFrom+" WHERE "+cond, key))
	if err == sql.ErrNoRows {
		return nil, notFound("article", key)
	}
	if err != nil {
		return nil, fmt.Errorf("article %v: %w", key, err)
	}
	return a, s.articleServices(ctx, []*knowledge.Article{a})
}

// articleServices fills the services of the articles.
func (s *Store) articleServices(ctx context.Context, as []*knowledge.Article) error {
	if len(as) == 0 {
		return nil
	}
	byID := map[int64]*knowledge.Article{}
	var a args
	var phs []string
	for _, art := range as {
		byID[art.ID] = art
		phs = append(phs, a.add(art.ID))
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT x.article_id, v.id, v.name FROM article_services x JOIN services v ON v.id = x.service_id
		WHERE x.article_id IN (`+strings.Join(phs, ", ")+`) ORDER BY v.name, v.id`, a...)
	if err != nil {
		return fmt.Errorf("article services: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r desk.Ref
		if err := rows.Scan(&id, &r.ID, &r.Name); err != nil {
			return fmt.Errorf("article services: %w", err)
		}
		byID[id].Services = append(byID[id].Services, r)
	}
	return rows.Err()
}
