package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

const categorySelect = `SELECT c.id, c.name, c.parent_id, c.group_id, g.name, c.retired
FROM categories c LEFT JOIN support_groups g ON g.id = c.group_id`

func scanCategory(sc scanner) (*desk.Category, error) {
	var c desk.Category
	var parent sql.NullInt64
	var group nullRef
	if err := sc.Scan(&c.ID, &c.Name, &parent, &group.id, &group.name, &c.Retired); err != nil {
		return nil, err
	}
	c.ParentID, c.Group = parent.Int64, group.ref()
	return &c, nil
}

// CreateCategory implements desk.DirectoryStore; the parent must be a
// top-level category (the tree has two levels).
func (s *Store) CreateCategory(ctx context.Context, c *desk.Category) error {
	err := s.inAuditedTx(ctx, entry("category.create", about("category", &c.ID), "name", c.Name), func(tx *sql.Tx) error {
		if err := checkParent(ctx, tx, c); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO categories (name, parent_id, group_id, retired)
			VALUES ($1, $2, $3, $4) RETURNING id`, c.Name, nullID(c.ParentID), refID(c.Group), c.Retired).Scan(&c.ID)
	})
	return s.refError(ctx, "create category", err, ref{"group", "support_groups", refID(c.Group)})
}

// UpdateCategory implements desk.DirectoryStore.
func (s *Store) UpdateCategory(ctx context.Context, c *desk.Category) error {
	err := s.inAuditedTx(ctx, entry("category.update", about("category", &c.ID), "name", c.Name, "retired", c.Retired), func(tx *sql.Tx) error {
		if err := checkParent(ctx, tx, c); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE categories SET name = $1, parent_id = $2, group_id = $3, retired = $4
			WHERE id = $5`, c.Name, nullID(c.ParentID), refID(c.Group), c.Retired, c.ID)
		if err != nil {
			return err
		}
		return oneRow(res, "category", c.ID)
	})
	return s.refError(ctx, fmt.Sprintf("update category %d", c.ID), err, ref{"group", "support_groups", refID(c.Group)})
}

// checkParent keeps the tree two levels deep: a parent exists and is
// top-level, and a category with subcategories stays top-level.
func checkParent(ctx context.Context, tx *sql.Tx, c *desk.Category) error {
	if c.ParentID == 0 {
		return nil
	}
	if c.ParentID == c.ID {
		return fieldError(desk.EINVALID, "parent_id", desk.RuleCycle, nil, "a category cannot be its own parent")
	}
	var grandparent sql.NullInt64
	err := tx.QueryRowContext(ctx, "SELECT parent_id FROM categories WHERE id = $1", c.ParentID).Scan(&grandparent)
	if errors.Is(err, sql.ErrNoRows) {
		return fieldError(desk.EINVALID, "parent_id", desk.RuleUnknown, nil, "no such category")
	}
	if err != nil {
		return fmt.Errorf("read parent category: %w", err)
	}
	if grandparent.Valid {
		return fieldError(desk.EINVALID, "parent_id", desk.RuleNotAllowed, nil, "the parent must be a top-level category")
	}
	if c.ID == 0 {
		return nil
	}
	hasChildren, err := exists(ctx, tx, "SELECT 1 FROM categories WHERE parent_id = $1", c.ID)
	if err != nil {
		return err
	}
	if hasChildren {
		return fieldError(desk.EINVALID, "parent_id", desk.RuleNotAllowed, nil, "a category with subcategories cannot become a subcategory")
	}
	return nil
}

// GetCategory implements desk.DirectoryStore.
func (s *Store) GetCategory(ctx context.Context, id int64) (*desk.Category, error) {
	c, err := scanCategory(s.rdb.QueryRowContext(ctx, categorySelect+" WHERE c.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("category", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read category %d: %w", id, err)
	}
	return c, nil
}

// ListCategories implements desk.DirectoryStore, ordered by name.
func (s *Store) ListCategories(ctx context.Context) ([]*desk.Category, error) {
	rows, err := s.rdb.QueryContext(ctx, categorySelect+" ORDER BY c.name, c.id")
	if err != nil {
		return nil, fmt.Errorf("list categories: %w", err)
	}
	defer rows.Close()
	var cats []*desk.Category
	for rows.Next() {
		c, err := scanCategory(rows)
		if err != nil {
			return nil, fmt.Errorf("list categories: %w", err)
		}
		cats = append(cats, c)
	}
	return cats, rows.Err()
}

// DeleteCategory implements desk.DirectoryStore.
func (s *Store) DeleteCategory(ctx context.Context, id int64) error {
	return s.deleteUnused(ctx, "category", id, "DELETE FROM categories WHERE id = $1", []usage{
		{"SELECT 1 FROM categories WHERE parent_id = $1", "subcategories", "the category has subcategories"},
		{"SELECT 1 FROM tickets WHERE category_id = $1", "tickets", "tickets use the category"},
		{"SELECT 1 FROM tickets WHERE subcategory_id = $1", "tickets", "tickets use the category"},
	})
}
