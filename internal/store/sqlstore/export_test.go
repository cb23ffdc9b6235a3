package sqlstore

import (
	"context"

	"github.com/pressly/goose/v3"
)

// MigrateDownTo rolls the schema back to version through the migrations'
// Down sections, so that a test can fill a desk with today's code and
// then see it as an older release would have left it.
func (s *Store) MigrateDownTo(ctx context.Context, version int64) error {
	return s.migrate(ctx, func(p *goose.Provider) error { _, err := p.DownTo(ctx, version); return err })
}
