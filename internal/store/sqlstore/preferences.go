package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

var _ desk.PreferenceStore = (*Store)(nil)

// GetPreferences implements desk.PreferenceStore.
func (s *Store) GetPreferences(ctx context.Context, userID int64) (*desk.Preferences, error) {
	p := &desk.Preferences{UserID: userID}
	var muted string
	var updated int64
	err := s.rdb.QueryRowContext(ctx, "SELECT language, time_zone, muted, updated_at, grammatical_gender FROM user_preferences WHERE user_id = $1",
		userID).Scan(&p.Language, &p.TimeZone, &muted, &updated, &p.Gender)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return nil, fmt.Errorf("preferences of user %d: %w", userID, err)
	}
	p.UpdatedAt = fromMicros(updated)
	for k := range strings.SplitSeq(muted, ",") {
		if k != "" {
			p.Muted = append(p.Muted, desk.OutboxKind(k))
		}
	}
	return p, nil
}

// PutPreferences implements desk.PreferenceStore.
func (s *Store) PutPreferences(ctx context.Context, p *desk.Preferences) error {
	muted := make([]string, len(p.Muted))
	for i, k := range p.Muted {
		muted[i] = string(k)
	}
	err := s.inAuditedTx(ctx, entry("user.preferences", about("user", &p.UserID), "language", p.Language, "time_zone", p.TimeZone), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO user_preferences (user_id, language, time_zone, muted, updated_at,
			grammatical_gender) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (user_id) DO UPDATE SET language = excluded.language, time_zone = excluded.time_zone,
				muted = excluded.muted, updated_at = excluded.updated_at, grammatical_gender = excluded.grammatical_gender`,
			p.UserID, p.Language, p.TimeZone, strings.Join(muted, ","), micros(p.UpdatedAt), string(p.Gender))
		return err
	})
	return s.refError(ctx, fmt.Sprintf("store preferences of user %d", p.UserID), err,
		ref{field: "user_id", table: "users", id: p.UserID})
}
