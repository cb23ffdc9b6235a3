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
	p.Muted = mutedKinds(muted)
	return p, nil
}

// Recipients implements desk.PreferenceStore: the users and their
// preferences in one query, their groups in a second.
func (s *Store) Recipients(ctx context.Context, ids []int64) (map[int64]desk.Recipient, error) {
	out := make(map[int64]desk.Recipient, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var a args
	rows, err := s.rdb.QueryContext(ctx, strings.Replace(userSelect, " FROM users u",
		`, COALESCE(p.language, ''), COALESCE(p.time_zone, ''), COALESCE(p.muted, ''), COALESCE(p.updated_at, 0),
		COALESCE(p.grammatical_gender, '') FROM users u LEFT JOIN user_preferences p ON p.user_id = u.id`, 1)+
		" WHERE "+idsIn("u.id", ids, &a), a...)
	if err != nil {
		return nil, fmt.Errorf("recipients: %w", err)
	}
	defer rows.Close()
	var users []*desk.User
	for rows.Next() {
		var p desk.Preferences
		var updated int64
		var muted string
		u, err := scanUser(rows, &p.Language, &p.TimeZone, &muted, &updated, &p.Gender)
		if err != nil {
			return nil, fmt.Errorf("recipients: %w", err)
		}
		p.UserID = u.ID
		if updated != 0 {
			p.UpdatedAt = fromMicros(updated)
		}
		p.Muted = mutedKinds(muted)
		users = append(users, u)
		out[u.ID] = desk.Recipient{User: u, Preferences: &p}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("recipients: %w", err)
	}
	if err := s.fillGroups(ctx, users); err != nil {
		return nil, err
	}
	return out, nil
}

func mutedKinds(muted string) []desk.OutboxKind {
	var out []desk.OutboxKind
	for k := range strings.SplitSeq(muted, ",") {
		if k != "" {
			out = append(out, desk.OutboxKind(k))
		}
	}
	return out
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
