package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Pages and their deliveries. Claims are one UPDATE ... RETURNING over a
// partial index of due rows, as for SLA timers (timers.go); every write
// that follows a claim is conditional on the claim (claimed_until) still
// holding, so a runner whose lease expired cannot store a second step.

const pageColumns = `p.id, p.ticket_id, p.group_id, p.policy, p.reason, p.state, p.step, p.round, p.started_at,
	p.next_at, p.claimed_until, p.attempts, p.acked_at, p.acked_by, COALESCE(u.name, ''), p.ended_at,
	p.reason_code, p.reason_params, p.purpose`

// policyDoc is a page's snapshot of its policy.
type policyDoc struct {
	ID         int64      `json:"id"`
	GroupID    int64      `json:"group_id"`
	Name       string     `json:"name"`
	Repeat     int        `json:"repeat"`
	Priorities []string   `json:"priorities"`
	Steps      []stepJSON `json:"steps"`
}

func policySnapshot(p *desk.EscalationPolicy) (string, error) {
	prios, steps, err := marshalPolicy(p)
	if err != nil {
		return "", err
	}
	doc := fmt.Sprintf(`{"id":%d,"group_id":%d,"name":%s,"repeat":%d,"priorities":%s,"steps":%s}`,
		p.ID, p.GroupID, jsonString(p.Name), p.Repeat, prios, steps)
	return doc, nil
}

func jsonString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

func scanPage(sc scanner) (*desk.Page, error) {
	var p desk.Page
	var policy, ackName string
	var started int64
	var next, claimed, acked, ackedBy, ended sql.NullInt64
	var params sql.NullString
	err := sc.Scan(&p.ID, &p.TicketID, &p.GroupID, &policy, &p.Reason, &p.State, &p.Step, &p.Round, &started,
		&next, &claimed, &p.Attempts, &acked, &ackedBy, &ackName, &ended, &p.ReasonCode, &params, &p.Purpose)
	if err != nil {
		return nil, err
	}
	if err := decodeReasonParams(params, &p.ReasonParams); err != nil {
		return nil, fmt.Errorf("page %d: %w", p.ID, err)
	}
	var doc struct {
		policyDoc
		Priorities json.RawMessage `json:"priorities"`
		Steps      json.RawMessage `json:"steps"`
	}
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return nil, fmt.Errorf("page %d policy: %w", p.ID, err)
	}
	p.Policy = desk.EscalationPolicy{ID: doc.ID, GroupID: doc.GroupID, Name: doc.Name, Repeat: doc.Repeat, Active: true}
	if err := unmarshalPolicy(&p.Policy, string(doc.Priorities), string(doc.Steps)); err != nil {
		return nil, err
	}
	p.StartedAt, p.NextAt, p.ClaimedUntil = fromMicros(started), timePtr(next), timePtr(claimed)
	p.AckedAt, p.EndedAt = timePtr(acked), timePtr(ended)
	if ackedBy.Valid {
		p.AckedBy = &desk.Ref{ID: ackedBy.Int64, Name: ackName}
	}
	return &p, nil
}

const pagesFrom = " FROM pages p LEFT JOIN users u ON u.id = p.acked_by "

// insertPages starts pages inside tx; one that would be a second active
// page of its ticket, group and purpose is skipped (the unique partial
// index).
func insertPages(ctx context.Context, tx *sql.Tx, pages []desk.Page) error {
	_, err := startPages(ctx, tx, pages)
	return err
}

// startPages starts pages inside tx as insertPages does, and counts those
// started.
func startPages(ctx context.Context, tx *sql.Tx, pages []desk.Page) (int, error) {
	started := 0
	for _, p := range pages {
		policy, err := policySnapshot(&p.Policy)
		if err != nil {
			return started, err
		}
		params, err := reasonParamsJSON(p.ReasonParams)
		if err != nil {
			return started, err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO pages (ticket_id, group_id, policy, reason, state, started_at, next_at,
			reason_code, reason_params, purpose) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
			p.TicketID, p.GroupID, policy, p.Reason, desk.PageActive, micros(p.StartedAt), nullMicros(p.NextAt),
			string(p.ReasonCode), params, p.Purpose)
		if err != nil {
			return started, fmt.Errorf("start page on group %d: %w", p.GroupID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return started, err
		} else if n > 0 {
			started++
		}
	}
	return started, nil
}

// ClaimPages implements desk.PagingStore.
func (s *Store) ClaimPages(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*desk.Page, error) {
	q := `UPDATE pages SET claimed_until = $1, attempts = attempts + 1
		WHERE id IN (SELECT id FROM pages
			WHERE state = 'active' AND next_at <= $2 AND (claimed_until IS NULL OR claimed_until < $2)
			ORDER BY next_at LIMIT $3` + s.dialect.SkipLocked() + `)
		RETURNING id`
	ids, err := queryAll(ctx, s.db, "claim pages", scanID, q, micros(now.Add(lease)), micros(now), limit)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	var a args
	return queryAll(ctx, s.db, "claim pages", scanPage, "SELECT "+pageColumns+pagesFrom+"WHERE p.id IN ("+a.addAll(anys(ids)...)+") ORDER BY p.next_at, p.id", a...)
}

func scanID(sc scanner) (int64, error) {
	var id int64
	err := sc.Scan(&id)
	return id, err
}

func anys[T any](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// StepPage implements desk.PagingStore.
func (s *Store) StepPage(ctx context.Context, o desk.PageOutcome) error {
	p := o.Page
	if p.ClaimedUntil == nil {
		return desk.Errorf(desk.ECONFLICT, "page %d is not claimed", p.ID)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE pages SET state = $1, step = $2, round = $3, next_at = $4, acked_at = $5,
			acked_by = $6, ended_at = $7, claimed_until = NULL
			WHERE id = $8 AND state = 'active' AND claimed_until = $9`,
			p.State, p.Step, p.Round, nullMicros(p.NextAt), nullMicros(p.AckedAt), refID(p.AckedBy), nullMicros(p.EndedAt),
			p.ID, micros(*p.ClaimedUntil))
		if err != nil {
			return fmt.Errorf("store page %d: %w", p.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return desk.Errorf(desk.ECONFLICT, "page %d was ended or claimed by another runner", p.ID)
		}
		if err := s.insertEvents(ctx, tx, p.TicketID, o.Events); err != nil {
			return err
		}
		return insertDeliveries(ctx, tx, o.Deliveries)
	})
}

func insertDeliveries(ctx context.Context, tx *sql.Tx, ds []desk.PageDelivery) error {
	for _, d := range ds {
		payload, err := json.Marshal(d.Payload)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO page_deliveries (page_id, ticket_id, user_id, method_id, kind, target,
			payload, created_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			d.PageID, d.TicketID, d.UserID, nullID(d.MethodID), d.Kind, d.Target, string(payload), micros(d.CreatedAt), micros(d.DueAt))
		if err != nil {
			return fmt.Errorf("queue page delivery: %w", err)
		}
	}
	return nil
}

// EndPages implements desk.PagingStore.
func (s *Store) EndPages(ctx context.Context, e desk.PageEnd) ([]*desk.Page, error) {
	// Most ticket changes that call this have no page running: a read
	// answers them without taking SQLite's writer lock.
	var one int
	err := s.rdb.QueryRowContext(ctx, "SELECT 1 FROM pages WHERE ticket_id = $1 AND state = 'active' LIMIT 1", e.TicketID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("end pages of ticket %d: %w", e.TicketID, err)
	}
	var ended []*desk.Page
	err = s.inTx(ctx, func(tx *sql.Tx) (err error) {
		ended, err = s.endPagesTx(ctx, tx, e)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("end pages of ticket %d: %w", e.TicketID, err)
	}
	return ended, nil
}

// endPagesTx ends the pages e selects in tx: their state, their queued
// deliveries canceled, and a timeline entry each (e.Event).
func (s *Store) endPagesTx(ctx context.Context, tx *sql.Tx, e desk.PageEnd) ([]*desk.Page, error) {
	var ended []*desk.Page
	var a args
	cond := "ticket_id = " + a.add(e.TicketID) + " AND state = 'active'"
	if e.PageID != 0 {
		cond += " AND id = " + a.add(e.PageID)
	}
	if e.GroupID != 0 {
		cond += " AND group_id = " + a.add(e.GroupID)
	}
	if e.Keep != "" {
		cond += " AND reason_code <> " + a.add(string(e.Keep))
	}
	if e.OwnOnly {
		cond += " AND purpose = ''"
	}
	if e.Purpose != "" {
		cond += " AND purpose = " + a.add(e.Purpose)
	}
	if e.KeepStakeholders {
		cond += " AND purpose NOT LIKE " + a.add(desk.PurposeStakeholderPrefix+"%")
	}
	var ackedAt, ackedBy any
	if e.State == desk.PageAcknowledged {
		ackedAt, ackedBy = micros(e.At), refID(e.By)
	}
	ids, err := queryAll(ctx, tx, "end pages", scanID, "UPDATE pages SET state = "+a.add(e.State)+", next_at = NULL, claimed_until = NULL, acked_at = "+
		a.add(ackedAt)+", acked_by = "+a.add(ackedBy)+", ended_at = "+a.add(micros(e.At))+" WHERE "+cond+" RETURNING id", a...)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		p, err := scanPage(tx.QueryRowContext(ctx, "SELECT "+pageColumns+pagesFrom+"WHERE p.id = $1", id))
		if err != nil {
			return nil, fmt.Errorf("read page %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE page_deliveries SET canceled_at = $1, claimed_until = NULL
			WHERE page_id = $2 AND sent_at IS NULL AND failed_at IS NULL AND canceled_at IS NULL`, micros(e.At), id); err != nil {
			return nil, fmt.Errorf("cancel deliveries of page %d: %w", id, err)
		}
		if err := s.insertEvents(ctx, tx, p.TicketID, []desk.Event{e.Event(p)}); err != nil {
			return nil, err
		}
		ended = append(ended, p)
	}
	return ended, nil
}

// GetPage implements desk.PagingStore.
func (s *Store) GetPage(ctx context.Context, id int64) (*desk.Page, error) {
	p, err := scanPage(s.rdb.QueryRowContext(ctx, "SELECT "+pageColumns+pagesFrom+"WHERE p.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("page", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read page %d: %w", id, err)
	}
	return p, nil
}

// ActivePages implements desk.OnCallStore.
func (s *Store) ActivePages(ctx context.Context, limit int) ([]*desk.Page, error) {
	return queryAll(ctx, s.rdb, "list active pages", scanPage,
		"SELECT "+pageColumns+pagesFrom+"WHERE p.state = 'active' ORDER BY p.started_at, p.id LIMIT $1", limit)
}

// TicketPages implements desk.PagingStore.
func (s *Store) TicketPages(ctx context.Context, ticketID int64) ([]*desk.Page, error) {
	return queryAll(ctx, s.rdb, "list pages", scanPage, "SELECT "+pageColumns+pagesFrom+"WHERE p.ticket_id = $1 ORDER BY p.id", ticketID)
}

const pageDeliveryColumns = `id, page_id, ticket_id, user_id, method_id, kind, target, payload, created_at, due_at, attempts,
	claimed_until, sent_at, failed_at, canceled_at, last_error`

func scanPageDelivery(sc scanner) (*desk.PageDelivery, error) {
	var d desk.PageDelivery
	var method, claimed, sent, failed, canceled sql.NullInt64
	var payload string
	var created, due int64
	err := sc.Scan(&d.ID, &d.PageID, &d.TicketID, &d.UserID, &method, &d.Kind, &d.Target, &payload, &created, &due,
		&d.Attempts, &claimed, &sent, &failed, &canceled, &d.LastError)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(payload), &d.Payload); err != nil {
		return nil, fmt.Errorf("delivery %d payload: %w", d.ID, err)
	}
	d.MethodID, d.CreatedAt, d.DueAt = method.Int64, fromMicros(created), fromMicros(due)
	d.ClaimedUntil, d.SentAt, d.FailedAt, d.CanceledAt = timePtr(claimed), timePtr(sent), timePtr(failed), timePtr(canceled)
	return &d, nil
}

// PageDeliveries implements desk.PagingStore.
func (s *Store) PageDeliveries(ctx context.Context, pageID int64) ([]*desk.PageDelivery, error) {
	return queryAll(ctx, s.rdb, "list page deliveries", scanPageDelivery,
		"SELECT "+pageDeliveryColumns+" FROM page_deliveries WHERE page_id = $1 ORDER BY id", pageID)
}

// ClaimPageDeliveries implements desk.PagingStore.
func (s *Store) ClaimPageDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*desk.PageDelivery, error) {
	q := `UPDATE page_deliveries SET claimed_until = $1, attempts = attempts + 1
		WHERE id IN (SELECT id FROM page_deliveries
			WHERE sent_at IS NULL AND failed_at IS NULL AND canceled_at IS NULL AND due_at <= $2
				AND (claimed_until IS NULL OR claimed_until < $2)
			ORDER BY due_at LIMIT $3` + s.dialect.SkipLocked() + `)
		RETURNING ` + pageDeliveryColumns
	return queryAll(ctx, s.db, "claim page deliveries", scanPageDelivery, q, micros(now.Add(lease)), micros(now), limit)
}

// claimHeld is the condition that a delivery's claim still holds.
const claimHeld = " WHERE id = $%d AND claimed_until = $%d AND sent_at IS NULL AND failed_at IS NULL AND canceled_at IS NULL"

func markDelivery(ctx context.Context, tx *sql.Tx, d *desk.PageDelivery, set string, args ...any) error {
	if d.ClaimedUntil == nil {
		return desk.Errorf(desk.ECONFLICT, "delivery %d is not claimed", d.ID)
	}
	n := len(args)
	q := "UPDATE page_deliveries SET " + set + fmt.Sprintf(claimHeld, n+1, n+2)
	res, err := tx.ExecContext(ctx, q, append(args, d.ID, micros(*d.ClaimedUntil))...)
	if err != nil {
		return fmt.Errorf("mark delivery %d: %w", d.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return desk.Errorf(desk.ECONFLICT, "delivery %d was canceled or claimed by another worker", d.ID)
	}
	return nil
}

// PageDelivered implements desk.PagingStore.
func (s *Store) PageDelivered(ctx context.Context, d *desk.PageDelivery, at time.Time, mail *desk.OutboxMessage) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := markDelivery(ctx, tx, d, "sent_at = $1, claimed_until = NULL, last_error = ''", micros(at)); err != nil {
			return err
		}
		if mail == nil {
			return nil
		}
		return s.insertOutbox(ctx, tx, []desk.OutboxMessage{*mail})
	})
}

// PageDeliveryRetry implements desk.PagingStore.
func (s *Store) PageDeliveryRetry(ctx context.Context, d *desk.PageDelivery, lastErr string, next *time.Time, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if next == nil {
			return markDelivery(ctx, tx, d, "failed_at = $1, last_error = $2, claimed_until = NULL", micros(at), lastErr)
		}
		return markDelivery(ctx, tx, d, "due_at = $1, last_error = $2, claimed_until = NULL", micros(*next), lastErr)
	})
}

// FailedPageDeliveries implements desk.PagingStore.
func (s *Store) FailedPageDeliveries(ctx context.Context, before int64, limit int) ([]*desk.PageDelivery, error) {
	var a args
	q := "SELECT " + pageDeliveryColumns + " FROM page_deliveries WHERE failed_at IS NOT NULL"
	if before > 0 {
		q += " AND id < " + a.add(before)
	}
	return queryAll(ctx, s.rdb, "list failed page deliveries", scanPageDelivery, q+" ORDER BY id DESC LIMIT "+a.add(limit), a...)
}

// PagingSecret implements desk.PagingStore.
func (s *Store) PagingSecret(ctx context.Context, candidate []byte) ([]byte, error) {
	var secret string
	err := s.rdb.QueryRowContext(ctx, "SELECT secret FROM paging_secret WHERE id = 1").Scan(&secret)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := s.db.ExecContext(ctx, "INSERT INTO paging_secret (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
			hex.EncodeToString(candidate)); err != nil {
			return nil, fmt.Errorf("store paging secret: %w", err)
		}
		err = s.db.QueryRowContext(ctx, "SELECT secret FROM paging_secret WHERE id = 1").Scan(&secret)
	}
	if err != nil {
		return nil, fmt.Errorf("read paging secret: %w", err)
	}
	return hex.DecodeString(strings.TrimSpace(secret))
}
