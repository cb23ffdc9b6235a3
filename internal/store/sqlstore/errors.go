package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// fieldError returns a desk error about one input field.
func fieldError(code, field string, rule desk.Rule, params desk.Params, msg string) error {
	return &desk.Error{Code: code, Message: msg, Fields: []desk.FieldError{desk.Invalid(field, rule, params, "%s", msg)}}
}

// ref is a reference a row makes; a foreign-key failure is explained by
// finding the first ref whose target is missing.
type ref struct {
	field string // input field named in the error
	table string
	id    any // nil or 0 when absent
}

// refError turns a foreign-key failure of a write into EINVALID naming the
// missing reference. SQLite does not say which constraint failed, so the
// references are checked after the failed transaction; PostgreSQL takes the
// same path to keep one code path. Any other error is wrapped with op.
func (s *Store) refError(ctx context.Context, op string, err error, refs ...ref) error {
	if err == nil {
		return nil
	}
	if _, ok := errors.AsType[*desk.Error](err); ok {
		return err
	}
	if !s.dialect.IsForeignKeyViolation(err) {
		return fmt.Errorf("%s: %w", op, err)
	}
	for _, r := range refs {
		if r.id == nil || r.id == int64(0) {
			continue
		}
		var one int
		q := "SELECT 1 FROM " + r.table + " WHERE id = $1"
		if s.rdb.QueryRowContext(ctx, q, r.id).Scan(&one) != nil {
			return fieldError(desk.EINVALID, r.field, desk.RuleUnknown, nil, fmt.Sprintf("no such %s", r.field))
		}
	}
	return desk.Errorf(desk.EINVALID, "%s: a referenced record does not exist", op)
}

// uniqueError turns a unique-constraint failure into ECONFLICT on field.
func (s *Store) uniqueError(op string, err error, field string) error {
	if err == nil {
		return nil
	}
	if _, ok := errors.AsType[*desk.Error](err); ok {
		return err
	}
	if s.dialect.IsUniqueViolation(err) {
		return fieldError(desk.ECONFLICT, field, desk.RuleTaken, nil, fmt.Sprintf("%s is already taken", field))
	}
	return fmt.Errorf("%s: %w", op, err)
}

// notFound is the ENOTFOUND error for a missing record.
func notFound(what string, key any) error {
	return desk.Errorf(desk.ENOTFOUND, "%s %v not found", what, key)
}
