package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// The requester lookup (migration 00015): every write of a user stores
// lookupTerms(u), the JSON array of desk.LookupTerms, in users.lookup_terms;
// triggers keep one user_lookup row per word, indexed on (term, user_id).
// A query word w matches the terms in [w, w+U+10FFFF): byte order on both
// databases (user_lookup.term is COLLATE "C" on PostgreSQL), so the range
// is exactly the terms beginning with w.

// lookupMax is above every valid code point's UTF-8 encoding but the last.
const lookupMax = "\U0010FFFF"

// lookupTerms is what users.lookup_terms holds: none for an inactive user,
// whom the lookup never offers.
func lookupTerms(u *desk.User) string {
	if !u.Active {
		return "[]"
	}
	b, _ := json.Marshal(desk.LookupTerms(u)) // strings always marshal
	return string(b)
}

// LookupUsers implements desk.DirectoryStore. The rarest word drives the
// scan (the index in term order, stopping at the limit); every other word
// must begin one of the same user's terms. A user matching the driving
// word by several terms comes once, at its first.
func (s *Store) LookupUsers(ctx context.Context, q desk.UserLookup) ([]*desk.User, error) {
	if len(q.Words) == 0 || q.Limit < 1 {
		return nil, nil
	}
	drive, err := s.drivingWord(ctx, q.Words)
	if err != nil {
		return nil, fmt.Errorf("look up users: %w", err)
	}
	var a args
	where := []string{"l.term >= " + a.add(q.Words[drive]), "l.term < " + a.add(q.Words[drive]+lookupMax)}
	for i, w := range q.Words {
		if i == drive {
			continue
		}
		// A scalar subquery, not EXISTS: PostgreSQL turns EXISTS into a
		// semi-join that reads every term of both words (0.2 s for "anna
		// ivanova" at 200,000), where this is probed per row of the scan
		// and the scan stops at the limit.
		where = append(where, "(SELECT o.user_id FROM user_lookup o WHERE o.user_id = l.user_id AND o.term >= "+
			a.add(w)+" AND o.term < "+a.add(w+lookupMax)+" LIMIT 1) IS NOT NULL")
	}
	// The terms are found first, on the index alone, and only the few
	// users they name are read: a join over the range lets SQLite's planner
	// build a Bloom filter of every user first. Inactive users have no
	// terms. A user has few terms beginning with one word: two rows per
	// user wanted leave room for duplicates; the rare shortfall only shows
	// fewer.
	users, err := s.queryUsers(ctx, strings.Replace(userSelect, "FROM users u",
		"FROM (SELECT l.term, l.user_id FROM user_lookup l"+whereClause(where)+
			" ORDER BY l.term, l.user_id LIMIT "+strconv.Itoa(2*q.Limit)+") m CROSS JOIN users u", 1)+
		" WHERE u.id = m.user_id ORDER BY m.term, m.user_id", a...)
	if err != nil {
		return nil, fmt.Errorf("look up users: %w", err)
	}
	seen := map[int64]bool{}
	out := make([]*desk.User, 0, q.Limit)
	for _, u := range users {
		if !seen[u.ID] && len(out) < q.Limit {
			seen[u.ID] = true
			out = append(out, u)
		}
	}
	return out, nil
}

// drivingWord is the index of the word fewest terms begin with, counted
// up to a bound (an index-only range scan per word), so that "anna zz"
// scans the few terms of "zz", not every Anna.
func (s *Store) drivingWord(ctx context.Context, words []string) (int, error) {
	if len(words) == 1 {
		return 0, nil
	}
	const bound = 200
	best, least := 0, bound+1
	for i, w := range words {
		var n int
		err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM user_lookup
			WHERE term >= $1 AND term < $2 LIMIT `+strconv.Itoa(bound)+`) c`, w, w+lookupMax).Scan(&n)
		if err != nil {
			return 0, err
		}
		if n < least {
			best, least = i, n
		}
	}
	return best, nil
}

// fillLookupTerms writes the lookup terms of users stored before migration
// 00015 (or by a path that left them out), in batches.
func (s *Store) fillLookupTerms(ctx context.Context) error {
	for {
		rows, err := s.db.QueryContext(ctx, `SELECT id, email, name, phone, organization, active FROM users
			WHERE lookup_terms IS NULL ORDER BY id LIMIT 1000`)
		if err != nil {
			return fmt.Errorf("fill lookup terms: %w", err)
		}
		var users []*desk.User
		for rows.Next() {
			var u desk.User
			if err := rows.Scan(&u.ID, &u.Email, &u.Name, &u.Phone, &u.Organization, &u.Active); err != nil {
				rows.Close()
				return fmt.Errorf("fill lookup terms: %w", err)
			}
			users = append(users, &u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("fill lookup terms: %w", err)
		}
		if len(users) == 0 {
			return nil
		}
		err = s.inTx(ctx, func(tx *sql.Tx) error {
			for _, u := range users {
				if _, err := tx.ExecContext(ctx, "UPDATE users SET lookup_terms = $1 WHERE id = $2", lookupTerms(u), u.ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("fill lookup terms: %w", err)
		}
	}
}
