// Package pgbouncer_test runs Tierdesk's PostgreSQL store through PgBouncer
// in transaction pooling mode (Debian's pgbouncer, started by the test on
// loopback): the store suite and concurrent migrations. It is a package of
// its own so that it runs beside the direct PostgreSQL suite.
package pgbouncer_test

import (
	"context"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/postgres"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/store/storetest"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// throughPgBouncer opens a migrated store on a database of its own reached
// through PgBouncer in transaction pooling mode.
func throughPgBouncer(t testing.TB) *sqlstore.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), testdb.PgBouncerDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestStore_ThroughPgBouncer runs the whole store suite through PgBouncer
// in transaction pooling mode, where named prepared statements, session
// advisory locks and session SETs do not survive from one transaction to
// the next.
func TestStore_ThroughPgBouncer(t *testing.T) {
	storetest.Run(t, func(t *testing.T) desk.Store { return throughPgBouncer(t) })
}

// TestMigrateConcurrently_ThroughPgBouncer starts several instances on one
// empty database through PgBouncer at once: each migration runs once and
// the lock is released (a second round of instances migrates at once).
func TestMigrateConcurrently_ThroughPgBouncer(t *testing.T) {
	url := testdb.PgBouncerDatabase(t)
	for round := range 2 {
		const n = 3
		errs := make(chan error, n)
		for range n {
			go func() {
				s, err := postgres.Open(t.Context(), url)
				if err == nil {
					err = s.Migrate(t.Context())
					s.Close()
				}
				errs <- err
			}()
		}
		for range n {
			if err := <-errs; err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
}
