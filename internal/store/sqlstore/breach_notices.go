package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/breach"
	"github.com/tierdesk/tierdesk/internal/desk"
)

// Notification records of security cases (desk/breach_notices.go,
// migration 00048): one row per version, the content as JSON; a row that
// is no longer a draft is never updated.

const noticeColumns = `n.id, n.ticket_id, n.kind, n.lang, n.series, n.version, n.supplements, n.content, n.state,
	n.sent_at, n.sent_by, su.name, n.via, n.reference, n.delay_reasons, n.not_notify_ground, n.not_notify_reason,
	n.created_by, cu.name, n.created_at, n.updated_at, n.rev`

const noticeFrom = ` FROM breach_notices n JOIN users cu ON cu.id = n.created_by LEFT JOIN users su ON su.id = n.sent_by`

func scanNotice(row scanner) (*breach.Notice, error) {
	n := &breach.Notice{}
	var supplements, sentAt, sentBy sql.NullInt64
	var sentByName sql.NullString
	var content string
	var created, updated int64
	err := row.Scan(&n.ID, &n.TicketID, &n.Kind, &n.Lang, &n.Series, &n.Version, &supplements, &content, &n.State,
		&sentAt, &sentBy, &sentByName, &n.Via, &n.Reference, &n.DelayReasons, &n.NotNotifyGround, &n.NotNotifyReason,
		&n.CreatedBy, &n.CreatedByName, &created, &updated, &n.Rev)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(content), &n.Content); err != nil {
		return nil, fmt.Errorf("notice %d content: %w", n.ID, err)
	}
	n.Supplements, n.SentAt, n.SentBy, n.SentByName = supplements.Int64, timePtr(sentAt), sentBy.Int64, sentByName.String
	n.CreatedAt, n.UpdatedAt = fromMicros(created), fromMicros(updated)
	return n, nil
}

// BreachNotices implements desk.BreachNoticeStore.
func (s *Store) BreachNotices(ctx context.Context, ticketID int64) ([]*breach.Notice, error) {
	rows, err := s.rdb.QueryContext(ctx, "SELECT "+noticeColumns+noticeFrom+" WHERE n.ticket_id = $1 ORDER BY n.id", ticketID)
	if err != nil {
		return nil, fmt.Errorf("notices of ticket %d: %w", ticketID, err)
	}
	defer rows.Close()
	out := []*breach.Notice{}
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, fmt.Errorf("notices of ticket %d: %w", ticketID, err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// BreachNotice implements desk.BreachNoticeStore.
func (s *Store) BreachNotice(ctx context.Context, id int64) (*breach.Notice, error) {
	n, err := scanNotice(s.rdb.QueryRowContext(ctx, "SELECT "+noticeColumns+noticeFrom+" WHERE n.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, desk.Errorf(desk.ENOTFOUND, "no notice %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("notice %d: %w", id, err)
	}
	return n, nil
}

// SaveBreachNotice implements desk.BreachNoticeStore.
func (s *Store) SaveBreachNotice(ctx context.Context, n *breach.Notice, action string, w desk.TicketWrite) error {
	content, err := json.Marshal(n.Content)
	if err != nil {
		return err
	}
	id, series := n.ID, n.Series
	var updated *desk.Ticket
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		id, series = n.ID, n.Series
		if id == 0 {
			if id, series, err = insertNotice(ctx, tx, n, string(content)); err != nil {
				return err
			}
		} else if err := updateNotice(ctx, tx, n, string(content)); err != nil {
			return err
		}
		if updated, err = s.applyTicketWrite(ctx, tx, w, true); err != nil {
			return err
		}
		return s.Audit(ctx, tx, audit.Entry{ActorID: eventsActor(w.Events), Kind: "breach.notice_" + action,
			Subject: audit.Subject("notice", id), Detail: audit.Detail("ticket", n.TicketID, "kind", string(n.Kind),
				"series", series, "version", n.Version, "state", string(n.State), "supplements", n.Supplements)})
	})
	if err != nil {
		return s.refError(ctx, fmt.Sprintf("save notice of ticket %d", n.TicketID), err)
	}
	n.ID, n.Series, n.Rev = id, series, n.Rev+1
	*w.Ticket = *updated
	return nil
}

func insertNotice(ctx context.Context, tx *sql.Tx, n *breach.Notice, content string) (int64, int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO breach_notices (ticket_id, kind, lang, series, version, supplements,
		content, state, sent_at, sent_by, via, reference, delay_reasons, not_notify_ground, not_notify_reason,
		created_by, created_at, updated_at, rev)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 1) RETURNING id`,
		n.TicketID, string(n.Kind), n.Lang, n.Series, n.Version, nullID(n.Supplements), content, string(n.State),
		nullMicros(n.SentAt), nullID(n.SentBy), n.Via, n.Reference, n.DelayReasons, n.NotNotifyGround,
		n.NotNotifyReason, n.CreatedBy, micros(n.CreatedAt), micros(n.UpdatedAt)).Scan(&id)
	if err != nil {
		return 0, 0, fmt.Errorf("insert notice: %w", err)
	}
	series := n.Series
	if series == 0 {
		series = id
		if _, err := tx.ExecContext(ctx, "UPDATE breach_notices SET series = $1 WHERE id = $1", id); err != nil {
			return 0, 0, fmt.Errorf("insert notice: %w", err)
		}
	}
	return id, series, nil
}

// updateNotice rewrites a draft at its revision.
func updateNotice(ctx context.Context, tx *sql.Tx, n *breach.Notice, content string) error {
	var state string
	var rev int
	err := tx.QueryRowContext(ctx, "SELECT state, rev FROM breach_notices WHERE id = $1", n.ID).Scan(&state, &rev)
	if errors.Is(err, sql.ErrNoRows) {
		return desk.Errorf(desk.ENOTFOUND, "no notice %d", n.ID)
	}
	if err != nil {
		return fmt.Errorf("read notice %d: %w", n.ID, err)
	}
	if state != string(breach.NoticeDraft) {
		return desk.Refusef(desk.ECONFLICT, desk.RuleNoticeSent, nil, "notice %d is kept as sent: make a new version", n.ID)
	}
	res, err := tx.ExecContext(ctx, `UPDATE breach_notices SET lang = $1, supplements = $2, content = $3, state = $4,
		sent_at = $5, sent_by = $6, via = $7, reference = $8, delay_reasons = $9, not_notify_ground = $10,
		not_notify_reason = $11, updated_at = $12, rev = rev + 1 WHERE id = $13 AND rev = $14 AND state = 'draft'`,
		n.Lang, nullID(n.Supplements), content, string(n.State), nullMicros(n.SentAt), nullID(n.SentBy), n.Via,
		n.Reference, n.DelayReasons, n.NotNotifyGround, n.NotNotifyReason, micros(n.UpdatedAt), n.ID, n.Rev)
	if err != nil {
		return fmt.Errorf("update notice %d: %w", n.ID, err)
	}
	if k, err := res.RowsAffected(); err != nil || k != 1 {
		return errors.Join(err, desk.Errorf(desk.ESTALE, "notice %d changed since revision %d", n.ID, n.Rev))
	}
	return nil
}

// BreachCaseTickets implements desk.BreachNoticeStore.
func (s *Store) BreachCaseTickets(ctx context.Context) ([]int64, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT b.ticket_id FROM breach_cases b JOIN tickets t ON t.id = b.ticket_id
		WHERE t.security ORDER BY b.ticket_id`)
	if err != nil {
		return nil, fmt.Errorf("breach cases: %w", err)
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("breach cases: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
