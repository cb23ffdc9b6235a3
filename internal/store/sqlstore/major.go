package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
)

var _ major.Store = (*Store)(nil)

const majorColumns = `m.id, m.ticket_id, t.number, m.title, COALESCE(m.service_id, 0), m.priority, m.state, m.commander_id,
	COALESCE(m.commander_group_id, 0), COALESCE(m.comms_lead_id, 0), m.responders, m.bridge_url, m.cadence_seconds,
	m.next_update_due, m.warned_for, m.paged_for, m.declared_at, COALESCE(m.declared_by, 0), m.trigger_name,
	m.first_alert_at, m.resolved_at, m.closed_at, m.resolution, m.version`

const majorFrom = ` FROM major_incidents m JOIN tickets t ON t.id = m.ticket_id`

func scanMajor(sc scanner) (*major.Incident, error) {
	var m major.Incident
	var responders string
	var cadence, due, warned, paged, declared, first int64
	var resolved, closed sql.NullInt64
	err := sc.Scan(&m.ID, &m.TicketID, &m.Number, &m.Title, &m.ServiceID, &m.Priority, &m.State, &m.CommanderID,
		&m.CommanderGroupID, &m.CommsLeadID, &responders, &m.BridgeURL, &cadence, &due, &warned, &paged, &declared,
		&m.DeclaredBy, &m.Trigger, &first, &resolved, &closed, &m.Resolution, &m.Version)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(responders), &m.Responders); err != nil {
		return nil, fmt.Errorf("responders of major incident %d: %w", m.ID, err)
	}
	m.Cadence = time.Duration(cadence) * time.Second
	m.NextUpdateDue, m.DeclaredAt = fromMicros(due), fromMicros(declared)
	m.WarnedFor, m.PagedFor, m.FirstAlertAt = zeroMicros(warned), zeroMicros(paged), zeroMicros(first)
	m.ResolvedAt, m.ClosedAt = timePtr(resolved), timePtr(closed)
	return &m, nil
}

// zeroMicros reads a time column where 0 means none.
func zeroMicros(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return fromMicros(v)
}

func microsOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return micros(t)
}

func jsonIDs(ids []int64) string {
	if len(ids) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(ids) // []int64 cannot fail
	return string(b)
}

func parseIDs(s string) ([]int64, error) {
	var ids []int64
	if err := json.Unmarshal([]byte(s), &ids); err != nil {
		return nil, fmt.Errorf("id list %q: %w", s, err)
	}
	return ids, nil
}

func queryMajors(ctx context.Context, q queryer, cond string, args ...any) ([]*major.Incident, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+majorColumns+majorFrom+" "+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("query major incidents: %w", err)
	}
	defer rows.Close()
	var out []*major.Incident
	for rows.Next() {
		m, err := scanMajor(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func oneMajor(ctx context.Context, q queryer, cond string, args ...any) (*major.Incident, error) {
	list, err := queryMajors(ctx, q, cond, args...)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, notFound("major incident", args[0])
	}
	return list[0], nil
}

// GetMajor implements major.Store.
func (s *Store) GetMajor(ctx context.Context, id int64) (*major.Incident, error) {
	return oneMajor(ctx, s.rdb, "WHERE m.id = $1", id)
}

// MajorOfTicket implements major.Store.
func (s *Store) MajorOfTicket(ctx context.Context, ticketID int64) (*major.Incident, error) {
	return oneMajor(ctx, s.rdb, `WHERE m.ticket_id = $1 OR m.id IN (SELECT major_id FROM major_children WHERE ticket_id = $1)`, ticketID)
}

// ListMajors implements major.Store.
func (s *Store) ListMajors(ctx context.Context, f major.Filter) ([]*major.Incident, error) {
	var conds []string
	var args []any
	add := func(c string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(c, "?", fmt.Sprintf("$%d", len(args))))
	}
	if !f.From.IsZero() {
		add("m.declared_at >= ?", micros(f.From))
	}
	if !f.To.IsZero() {
		add("m.declared_at < ?", micros(f.To))
	}
	if len(f.States) > 0 {
		var ph []string
		for _, st := range f.States {
			args = append(args, string(st))
			ph = append(ph, fmt.Sprintf("$%d", len(args)))
		}
		conds = append(conds, "m.state IN ("+strings.Join(ph, ", ")+")")
	}
	where := ""
	if len(conds) > 0 {
		where = "WHERE " + strings.Join(conds, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = desk.DefaultPageSize
	}
	return queryMajors(ctx, s.rdb, fmt.Sprintf("%s ORDER BY m.declared_at DESC, m.id DESC LIMIT %d", where, limit), args...)
}

// DueMajors implements major.Store.
func (s *Store) DueMajors(ctx context.Context, until time.Time) ([]*major.Incident, error) {
	return queryMajors(ctx, s.rdb, "WHERE m.state = 'active' AND m.next_update_due <= $1 ORDER BY m.next_update_due", micros(until))
}

// ActiveByRule implements major.Store.
func (s *Store) ActiveByRule(ctx context.Context, ruleID, serviceID int64) (*major.Incident, error) {
	return oneMajor(ctx, s.rdb, "WHERE m.rule_id = $1 AND m.service_id = $2 AND m.state = 'active'", ruleID, serviceID)
}

// SaveMajor implements major.Store.
func (s *Store) SaveMajor(ctx context.Context, sv major.Save) error {
	m := sv.Incident
	insert := m.ID == 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if insert {
			m.ID = 0
			if err := s.insertMajor(ctx, tx, m, sv.RuleID); err != nil {
				return err
			}
		} else if err := updateMajor(ctx, tx, m); err != nil {
			return err
		}
		if err := s.saveMajorParts(ctx, tx, sv); err != nil {
			return err
		}
		return s.auditMajor(ctx, tx, sv, insert)
	})
	if err != nil {
		if insert {
			m.ID = 0
		}
		return s.uniqueError("save major incident", err, "ticket")
	}
	if insert {
		m.Version = 1
	} else {
		m.Version++
	}
	return nil
}

func (s *Store) insertMajor(ctx context.Context, tx *sql.Tx, m *major.Incident, ruleID int64) error {
	return tx.QueryRowContext(ctx, `INSERT INTO major_incidents (ticket_id, title, service_id, priority, state, commander_id,
		commander_group_id, comms_lead_id, responders, bridge_url, cadence_seconds, next_update_due, warned_for, paged_for,
		declared_at, declared_by, trigger_name, rule_id, first_alert_at, resolution)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
		m.TicketID, m.Title, nullID(m.ServiceID), m.Priority, m.State, m.CommanderID, nullID(m.CommanderGroupID),
		nullID(m.CommsLeadID), jsonIDs(m.Responders), m.BridgeURL, int64(m.Cadence/time.Second), micros(m.NextUpdateDue),
		microsOrZero(m.WarnedFor), microsOrZero(m.PagedFor), micros(m.DeclaredAt), nullID(m.DeclaredBy), m.Trigger,
		nullID(ruleID), microsOrZero(m.FirstAlertAt), m.Resolution).Scan(&m.ID)
}

func updateMajor(ctx context.Context, tx *sql.Tx, m *major.Incident) error {
	res, err := tx.ExecContext(ctx, `UPDATE major_incidents SET state = $1, commander_id = $2, commander_group_id = $3,
		comms_lead_id = $4, responders = $5, bridge_url = $6, cadence_seconds = $7, next_update_due = $8, warned_for = $9,
		paged_for = $10, first_alert_at = $11, resolved_at = $12, closed_at = $13, resolution = $14, version = version + 1
		WHERE id = $15 AND version = $16`,
		m.State, m.CommanderID, nullID(m.CommanderGroupID), nullID(m.CommsLeadID), jsonIDs(m.Responders), m.BridgeURL,
		int64(m.Cadence/time.Second), micros(m.NextUpdateDue), microsOrZero(m.WarnedFor), microsOrZero(m.PagedFor),
		microsOrZero(m.FirstAlertAt), nullMicros(m.ResolvedAt), nullMicros(m.ClosedAt), m.Resolution, m.ID, m.Version)
	if err != nil {
		return fmt.Errorf("update major incident %d: %w", m.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return desk.Errorf(desk.ESTALE, "major incident %d changed since it was read (version %d)", m.ID, m.Version)
	}
	return nil
}

func (s *Store) saveMajorParts(ctx context.Context, tx *sql.Tx, sv major.Save) error {
	m := sv.Incident
	for _, c := range sv.Children {
		_, err := tx.ExecContext(ctx, `INSERT INTO major_children (major_id, ticket_id, attached_at, attached_by)
			SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM major_incidents WHERE ticket_id = $2)`,
			m.ID, c.TicketID, micros(c.AttachedAt), nullID(c.AttachedBy))
		if s.dialect.IsUniqueViolation(err) {
			return desk.Refusef(desk.ECONFLICT, desk.RuleTaken, nil, "%s already belongs to a major incident", c.Number)
		}
		if err != nil {
			return fmt.Errorf("attach %s: %w", c.Number, err)
		}
	}
	if err := insertMajorEntries(ctx, tx, m.ID, sv.Entries); err != nil {
		return err
	}
	if u := sv.Update; u != nil {
		err := tx.QueryRowContext(ctx, `INSERT INTO major_updates (major_id, posted_at, posted_by, affected, doing, next_at,
			due_at, on_time, recipients) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			m.ID, micros(u.PostedAt), nullID(u.PostedBy), u.Affected, u.Doing, micros(u.NextAt), microsOrZero(u.DueAt),
			u.OnTime, u.Recipients).Scan(&u.ID)
		if err != nil {
			return fmt.Errorf("store update: %w", err)
		}
		u.MajorID = m.ID
	}
	if err := s.insertOutbox(ctx, tx, sv.Outbox); err != nil {
		return err
	}
	// A page the major incident asks for is started or the whole change
	// is refused: the timeline must not say "paging" when nothing pages.
	if n, err := startPages(ctx, tx, sv.Pages); err != nil {
		return err
	} else if n < len(sv.Pages) {
		return desk.Refusef(desk.ECONFLICT, desk.RuleTaken, nil, "the group is already paging on %s", m.Number)
	}
	if sv.EndPages != nil {
		if _, err := s.endPagesTx(ctx, tx, *sv.EndPages); err != nil {
			return fmt.Errorf("end pages of %s: %w", m.Number, err)
		}
	}
	if sv.Review != nil {
		sv.Review.MajorID = m.ID
		return s.insertReview(ctx, tx, sv.Review)
	}
	return nil
}

func insertMajorEntries(ctx context.Context, tx *sql.Tx, majorID int64, entries []major.Entry) error {
	for i := range entries {
		e := &entries[i]
		params, err := reasonParamsJSON(e.Params)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO major_entries (major_id, at, actor_id, kind, body, is_key, reason_code, reason_params)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, majorID, micros(e.At), nullID(e.ActorID), e.Kind, e.Text, e.Key,
			string(e.Code), params).Scan(&e.ID)
		if err != nil {
			return fmt.Errorf("timeline entry: %w", err)
		}
		e.MajorID = majorID
	}
	return nil
}

// Children implements major.Store.
func (s *Store) Children(ctx context.Context, majorID int64) ([]major.Child, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT c.ticket_id, t.number, t.title, t.state, t.requester_id, t.channel,
		t.reported_at, c.attached_at FROM major_children c JOIN tickets t ON t.id = c.ticket_id
		WHERE c.major_id = $1 ORDER BY c.attached_at, c.ticket_id`, majorID)
	if err != nil {
		return nil, fmt.Errorf("children of major incident %d: %w", majorID, err)
	}
	defer rows.Close()
	var out []major.Child
	for rows.Next() {
		c := major.Child{MajorID: majorID}
		var reported, attached int64
		if err := rows.Scan(&c.TicketID, &c.Number, &c.Title, &c.State, &c.Requester, &c.Channel, &reported, &attached); err != nil {
			return nil, err
		}
		c.ReportedAt, c.AttachedAt = fromMicros(reported), fromMicros(attached)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Updates implements major.Store.
func (s *Store) Updates(ctx context.Context, majorID int64) ([]major.Update, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, posted_at, COALESCE(posted_by, 0), affected, doing, next_at, due_at,
		on_time, recipients FROM major_updates WHERE major_id = $1 ORDER BY posted_at, id`, majorID)
	if err != nil {
		return nil, fmt.Errorf("updates of major incident %d: %w", majorID, err)
	}
	defer rows.Close()
	var out []major.Update
	for rows.Next() {
		u := major.Update{MajorID: majorID}
		var posted, next, due int64
		if err := rows.Scan(&u.ID, &posted, &u.PostedBy, &u.Affected, &u.Doing, &next, &due, &u.OnTime, &u.Recipients); err != nil {
			return nil, err
		}
		u.PostedAt, u.NextAt, u.DueAt = fromMicros(posted), fromMicros(next), zeroMicros(due)
		out = append(out, u)
	}
	return out, rows.Err()
}

// Entries implements major.Store.
func (s *Store) Entries(ctx context.Context, majorID int64) ([]major.Entry, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT e.id, e.at, COALESCE(e.actor_id, 0), COALESCE(u.name, ''), e.kind, e.body, e.is_key,
		e.reason_code, e.reason_params FROM major_entries e LEFT JOIN users u ON u.id = e.actor_id WHERE e.major_id = $1 ORDER BY e.at, e.id`, majorID)
	if err != nil {
		return nil, fmt.Errorf("timeline of major incident %d: %w", majorID, err)
	}
	defer rows.Close()
	var out []major.Entry
	for rows.Next() {
		e := major.Entry{MajorID: majorID}
		var at int64
		var code string
		var params sql.NullString
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.Actor, &e.Kind, &e.Text, &e.Key, &code, &params); err != nil {
			return nil, err
		}
		e.Code = desk.ReasonCode(code)
		if err := decodeReasonParams(params, &e.Params); err != nil {
			return nil, err
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// MarkKey implements major.Store: an event must belong to the parent or a
// child of the major incident.
func (s *Store) MarkKey(ctx context.Context, majorID, entryID, eventID int64, key bool) error {
	return s.inAuditedTx(ctx, entry("major.key", about("major", &majorID), "entry", entryID, "event", eventID, "on", key),
		func(tx *sql.Tx) error { return markKey(ctx, tx, majorID, entryID, eventID, key) })
}

func markKey(ctx context.Context, tx *sql.Tx, majorID, entryID, eventID int64, key bool) error {
	var res sql.Result
	var err error
	switch {
	case entryID != 0:
		res, err = tx.ExecContext(ctx, "UPDATE major_entries SET is_key = $1 WHERE id = $2 AND major_id = $3", key, entryID, majorID)
	case key:
		res, err = tx.ExecContext(ctx, `INSERT INTO major_key_events (major_id, event_id)
			SELECT $1, e.id FROM events e WHERE e.id = $2 AND (e.ticket_id = (SELECT ticket_id FROM major_incidents WHERE id = $1)
			OR e.ticket_id IN (SELECT ticket_id FROM major_children WHERE major_id = $1)) ON CONFLICT DO NOTHING`, majorID, eventID)
		if err == nil {
			var one int
			err = tx.QueryRowContext(ctx, "SELECT 1 FROM major_key_events WHERE major_id = $1 AND event_id = $2", majorID, eventID).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return notFound("timeline event", eventID)
			}
			return err
		}
	default:
		_, err = tx.ExecContext(ctx, "DELETE FROM major_key_events WHERE major_id = $1 AND event_id = $2", majorID, eventID)
		return err
	}
	if err != nil {
		return fmt.Errorf("mark key: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("timeline entry", entryID)
	}
	return nil
}

// KeyEvents implements major.Store.
func (s *Store) KeyEvents(ctx context.Context, majorID int64) (map[int64]bool, error) {
	rows, err := s.rdb.QueryContext(ctx, "SELECT event_id FROM major_key_events WHERE major_id = $1", majorID)
	if err != nil {
		return nil, fmt.Errorf("key events: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
