package sqlstore

import (
	"context"
	"fmt"
)

// The migrations create a new desk's first records with English names
// (the default group, the shipped SLA policies), since they are the same
// SQL for every installation. A desk installed in another language is
// given that language's names right after its first migration; the names
// stay editable like any other, and a desk that existed before keeps its
// own. Several instances starting a new desk together all rename, which
// changes nothing the second time (each statement matches the English
// name only).

// builtinNames are the built-in names by language: table, English name,
// name in the language.
var builtinNames = map[string][][3]string{
	"ru": {
		{"support_groups", "Service Desk", "Служба поддержки"},
		{"sla_policies", "P1 incidents", "Инциденты P1"},
		{"sla_policies", "P2 incidents", "Инциденты P2"},
		{"sla_policies", "P3 incidents", "Инциденты P3"},
		{"sla_policies", "P4 incidents", "Инциденты P4"},
		{"sla_policies", "Service requests", "Запросы на обслуживание"},
	},
}

// BuiltinNames lists the built-in names of a new desk in lang, by their
// English names (for tests and documentation); nil for English.
func BuiltinNames(lang string) map[string]string {
	out := map[string]string{}
	for _, n := range builtinNames[lang] {
		out[n[1]] = n[2]
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// nameBuiltins renames a new desk's built-in records into the store's
// language, in one transaction.
func (s *Store) nameBuiltins(ctx context.Context) error {
	names := builtinNames[s.language]
	if len(names) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	for _, n := range names {
		// The table names are constants of this file, never input.
		if _, err := tx.ExecContext(ctx, "UPDATE "+n[0]+" SET name = $1 WHERE name = $2", n[2], n[1]); err != nil {
			return fmt.Errorf("name the built-in %q in %s: %w", n[1], s.language, err)
		}
	}
	return tx.Commit()
}
