package storetest

import (
	"context"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// LanguageMigrator is a Migrator that also lists groups.
type LanguageMigrator interface {
	Migrator
	ListGroups(ctx context.Context) ([]*desk.Group, error)
}

// BuiltinNames checks that a new desk's built-in group and SLA policies are
// named in the installation's language (sqlstore.WithLanguage), with the
// policies otherwise as shipped (migration 14's calendars), while a desk
// that already existed keeps its names when started in another language.
// open returns a store on a new, unmigrated database with the options;
// reopen a store in another language on the same database.
func BuiltinNames(t *testing.T, open func(t *testing.T, opts ...sqlstore.Option) (LanguageMigrator, func(...sqlstore.Option) LanguageMigrator)) {
	names := func(t *testing.T, s LanguageMigrator) (string, map[string]string) {
		t.Helper()
		groups, err := s.ListGroups(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		var def string
		for _, g := range groups {
			if g.Default {
				def = g.Name
			}
		}
		ps, err := s.ListSLAPolicies(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, p := range ps {
			out[p.Name] = p.Calendar
		}
		return def, out
	}
	for _, tc := range []struct {
		lang, group string
		policies    map[string]string
	}{
		{"en", "Service Desk", map[string]string{"P1 incidents": "24x7", "P2 incidents": "24x7", "P3 incidents": "24x7",
			"P4 incidents": "24x7", "Service requests": "business"}},
		{"ru", "Служба поддержки", map[string]string{"Инциденты P1": "24x7", "Инциденты P2": "24x7", "Инциденты P3": "24x7",
			"Инциденты P4": "24x7", "Запросы на обслуживание": "business"}},
	} {
		t.Run("NewDesk/"+tc.lang, func(t *testing.T) {
			s, _ := open(t, sqlstore.WithLanguage(tc.lang))
			if err := s.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			group, policies := names(t, s)
			diff(t, "the default group", tc.group, group)
			diff(t, "the SLA policies and their calendars", tc.policies, policies)
		})
	}
	t.Run("ExistingDeskUntouched", func(t *testing.T) {
		s, reopen := open(t, sqlstore.WithLanguage("en"))
		if err := s.MigrateTo(t.Context(), 37); err != nil {
			t.Fatal(err)
		}
		ru := reopen(sqlstore.WithLanguage("ru"))
		if err := ru.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		if group, policies := names(t, ru); group != "Service Desk" || policies["P1 incidents"] == "" {
			t.Errorf("an existing desk started in Russian was renamed: %q %v", group, policies)
		}
	})
}
