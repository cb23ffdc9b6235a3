package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// usage is a query finding a row that still references the one to delete,
// what kind of row that is (the refusal's "by", which clients word), and
// the conflict message given when it finds one.
type usage struct {
	query   string
	by      string
	message string
}

// deleteUnused deletes row id unless a usage finds a reference. The
// foreign keys stay the last word: a reference added concurrently makes the
// DELETE fail, which is reported as the same conflict.
func (s *Store) deleteUnused(ctx context.Context, what string, id int64, del string, uses []usage) error {
	err := s.inAuditedTx(ctx, entry(strings.ReplaceAll(what, " ", "_")+".delete", about(strings.ReplaceAll(what, " ", "_"), &id)), func(tx *sql.Tx) error {
		for _, u := range uses {
			used, err := exists(ctx, tx, u.query, id)
			if err != nil {
				return err
			}
			if used {
				return desk.Refusef(desk.ECONFLICT, desk.RuleInUse, desk.Params{"by": u.by},
					"cannot delete %s %d: %s", what, id, u.message)
			}
		}
		res, err := tx.ExecContext(ctx, del, id)
		if err != nil {
			return err
		}
		return oneRow(res, what, id)
	})
	if err != nil && s.dialect.IsForeignKeyViolation(err) {
		return desk.Refusef(desk.ECONFLICT, desk.RuleInUse, nil, "cannot delete %s %d: it is still referenced", what, id)
	}
	if _, ok := errors.AsType[*desk.Error](err); err != nil && !ok {
		return fmt.Errorf("delete %s %d: %w", what, id, err)
	}
	return err
}

// exists reports whether query (with one argument) returns a row.
func exists(ctx context.Context, q queryer, query string, arg any) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, query+" LIMIT 1", arg).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check references: %w", err)
	}
	return true, nil
}
