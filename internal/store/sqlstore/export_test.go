package sqlstore

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"
)

// MigrateDownTo rolls the schema back to version through the migrations'
// Down sections, so that a test can fill a desk with today's code and
// then see it as an older release would have left it.
func (s *Store) MigrateDownTo(ctx context.Context, version int64) error {
	return s.migrate(ctx, func(p *goose.Provider) error { _, err := p.DownTo(ctx, version); return err })
}

// IndexEachAlone rewrites the search documents of tickets 1 to n, each in
// a transaction of its own, as ordinary writes (a comment, an edit) do.
func (s *Store) IndexEachAlone(ctx context.Context, n int64) error {
	for id := int64(1); id <= n; id++ {
		if err := s.inTx(ctx, func(tx *sql.Tx) error { return s.indexTicket(ctx, tx, id) }); err != nil {
			return err
		}
	}
	return nil
}
