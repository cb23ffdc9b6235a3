package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// alertTxn is the state of one group-commit transaction: every integration
// and alert group the batch touches is read once, folded in memory by each
// notification in turn (so later ones see earlier ones' effect), and
// written once at the end. A storm of repeats on a few keys then costs a
// few statements a batch instead of several a notification.
type alertTxn struct {
	s            *Store
	tx           *sql.Tx
	stmts        *alertStmts
	integrations map[int64]*alertIntegration
	groups       map[alertGroupKey]*alertGroupState
	order        []*alertGroupState // dirty groups, in first-touch order
}

type alertGroupKey struct {
	integration int64
	key         string
}

// alertIntegration is an integration's counters within the batch.
type alertIntegration struct {
	id                          int64
	windowStart                 time.Time
	windowCount                 int64
	received, repeats, overflow int64
	last                        time.Time
}

// alertGroupState is a group as the batch has left it, with the steps
// that must learn its id once it is written.
type alertGroupState struct {
	group  *desk.AlertGroup // nil: none stored yet
	dirty  bool
	repeat *desk.Event // the latest aggregated repeat entry to write
	steps  []*desk.AlertStep
}

// apply folds one notification into the batch state. Over the rate limit
// it counts the overflow and returns ELIMIT as the notification's result.
func (t *alertTxn) apply(ctx context.Context, b desk.AlertBatch) ([]desk.AlertStep, error) {
	ig, err := t.integration(b.IntegrationID)
	if err != nil {
		return nil, err
	}
	total := 0
	for _, n := range b.Notices {
		total += len(n.Alerts)
	}
	ig.received += int64(total)
	ig.last = b.At
	start, count, ok := desk.RateWindow(ig.windowStart, ig.windowCount, b.RateLimit, total, b.At)
	if !ok {
		ig.overflow += int64(total)
		return nil, desk.Errorf(desk.ELIMIT, "integration %d is over its limit of %d alerts a minute: retry later",
			b.IntegrationID, b.RateLimit)
	}
	ig.windowStart, ig.windowCount = start, count
	steps := make([]desk.AlertStep, len(b.Notices))
	for i, n := range b.Notices {
		gs := t.group(b.IntegrationID, n.DedupKey)
		st := desk.FoldAlert(gs.group, n, b.FlapWindow, b.At)
		ig.repeats += st.Repeats
		steps[i] = st
		if !st.Stored {
			continue
		}
		g := st.Group
		g.IntegrationID = b.IntegrationID
		if gs.group == nil || g.Generation != gs.group.Generation {
			gs.repeat = nil // a new incident: the old one's entry is done
		}
		if st.RepeatEvent != nil && g.TicketID != 0 {
			gs.repeat = st.RepeatEvent
		}
		gs.group = &g
		gs.steps = append(gs.steps, &steps[i])
		if !gs.dirty {
			gs.dirty = true
			t.order = append(t.order, gs)
		}
	}
	return steps, nil
}

// begin locks every integration the jobs name, in id order (so that
// batches of two instances never wait on each other crosswise), and reads
// the groups of every dedup key they name, one statement per integration.
// The lock (an UPDATE, on PostgreSQL) serialises every batch of an
// integration across instances, so its rate window and groups never race.
func (t *alertTxn) begin(ctx context.Context, jobs []*alertJob) error {
	keys := map[int64][]string{}
	seen := map[alertGroupKey]bool{}
	for _, j := range jobs {
		for _, n := range j.batch.Notices {
			k := alertGroupKey{j.batch.IntegrationID, n.DedupKey}
			if !seen[k] {
				seen[k] = true
				keys[k.integration] = append(keys[k.integration], k.key)
			}
		}
		if _, ok := keys[j.batch.IntegrationID]; !ok {
			keys[j.batch.IntegrationID] = nil
		}
	}
	ids := slices.Sorted(maps.Keys(keys))
	for _, id := range ids {
		var start, count int64
		err := t.tx.StmtContext(ctx, t.stmts.lockIntegration).QueryRowContext(ctx, id).Scan(&start, &count)
		if errors.Is(err, sql.ErrNoRows) {
			continue // deleted: its jobs get ENOTFOUND
		}
		if err != nil {
			return fmt.Errorf("lock integration %d: %w", id, err)
		}
		t.integrations[id] = &alertIntegration{id: id, windowStart: fromMicros(start), windowCount: count}
		if err := t.preload(ctx, id, keys[id]); err != nil {
			return err
		}
	}
	return nil
}

// preload reads the groups of an integration's keys; a key with none
// gets an empty state.
func (t *alertTxn) preload(ctx context.Context, integrationID int64, keys []string) error {
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), 500)]
		keys = keys[len(chunk):]
		ph := t.s.dialect.BulkPlaceholder
		in := make([]string, len(chunk))
		vals := []any{integrationID}
		for i, k := range chunk {
			in[i] = ph(i + 2)
			vals = append(vals, k)
		}
		q := alertGroupSelect + " WHERE g.integration_id = " + ph(1) + " AND g.dedup_key IN (" + strings.Join(in, ", ") + ")"
		rows, err := t.tx.QueryContext(ctx, q, vals...)
		if err != nil {
			return fmt.Errorf("read alert groups: %w", err)
		}
		for rows.Next() {
			g, err := scanAlertGroup(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("read alert groups: %w", err)
			}
			t.groups[alertGroupKey{integrationID, g.DedupKey}] = &alertGroupState{group: g}
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return fmt.Errorf("read alert groups: %w", err)
		}
		for _, k := range chunk {
			if _, ok := t.groups[alertGroupKey{integrationID, k}]; !ok {
				t.groups[alertGroupKey{integrationID, k}] = &alertGroupState{}
			}
		}
	}
	return nil
}

// integration returns an integration locked by begin.
func (t *alertTxn) integration(id int64) (*alertIntegration, error) {
	if ig, ok := t.integrations[id]; ok {
		return ig, nil
	}
	return nil, notFound("integration", id)
}

// group returns a key's group state read by begin.
func (t *alertTxn) group(integrationID int64, key string) *alertGroupState {
	return t.groups[alertGroupKey{integrationID, key}]
}

// flush writes every touched group with its repeat entry, and the
// integrations' counters, in a few multi-row statements, and gives the
// steps their groups' ids.
func (t *alertTxn) flush(ctx context.Context) error {
	var fresh, known []*desk.AlertGroup
	var rewrites []*desk.Event
	for _, gs := range t.order {
		g := gs.group
		switch {
		case gs.repeat == nil:
		case g.RepeatEventID == 0: // the incident's first repeat entry
			events := []desk.Event{*gs.repeat}
			if err := t.s.insertEvents(ctx, t.tx, g.TicketID, events); err != nil {
				return err
			}
			g.RepeatEventID = events[0].ID
		default:
			ev := *gs.repeat
			ev.ID, ev.TicketID = g.RepeatEventID, g.TicketID
			rewrites = append(rewrites, &ev)
		}
		if g.ID == 0 {
			fresh = append(fresh, g)
		} else {
			known = append(known, g)
		}
	}
	if err := t.rewriteEvents(ctx, rewrites); err != nil {
		return err
	}
	if err := t.writeGroups(ctx, fresh, known); err != nil {
		return err
	}
	for _, gs := range t.order {
		for _, st := range gs.steps {
			st.Group.ID, st.Group.RepeatEventID = gs.group.ID, gs.group.RepeatEventID
		}
	}
	for _, ig := range t.integrations {
		_, err := t.tx.StmtContext(ctx, t.stmts.countIntegration).ExecContext(ctx, ig.received, ig.repeats, ig.overflow,
			micros(ig.windowStart), ig.windowCount, micros(ig.last), ig.id)
		if err != nil {
			return fmt.Errorf("count alerts of integration %d: %w", ig.id, err)
		}
	}
	return nil
}

// rewriteEvents rewrites aggregated repeat entries in place (an upsert on
// the id that always finds its row), in one statement.
func (t *alertTxn) rewriteEvents(ctx context.Context, events []*desk.Event) error {
	if len(events) == 0 {
		return nil
	}
	var vals []any
	for _, e := range events {
		v, err := eventValues(e)
		if err != nil {
			return err
		}
		vals = append(append(vals, e.ID), v...)
	}
	m := multiInsert{head: "INSERT INTO events (id, " + eventColumns + ") VALUES ",
		tail: " ON CONFLICT (id) DO UPDATE SET body = excluded.body, changes = excluded.changes", width: 9, row: plainRow(9)}
	if err := m.run(ctx, t.tx, t.s.dialect, vals); err != nil {
		return fmt.Errorf("rewrite repeat events: %w", err)
	}
	return nil
}

// alertGroupColumns are the stored columns of alert_groups after id, in
// the order of alertGroupValues followed by integration_id and dedup_key.
const alertGroupColumns = `generation, ticket_id, status, members, opening, received, repeats, first_at, last_at,
	resolved_at, repeat_event_id, integration_id, dedup_key`

// writeGroups inserts the new groups (assigning their ids) and stores the
// known ones, one multi-row statement each.
func (t *alertTxn) writeGroups(ctx context.Context, fresh, known []*desk.AlertGroup) error {
	rows := func(gs []*desk.AlertGroup, withID bool) ([]any, error) {
		var vals []any
		for _, g := range gs {
			v, err := alertGroupValues(g)
			if err != nil {
				return nil, err
			}
			if withID {
				vals = append(vals, g.ID)
			}
			vals = append(append(vals, v...), g.IntegrationID, g.DedupKey)
		}
		return vals, nil
	}
	if len(fresh) > 0 {
		byKey := map[alertGroupKey]*desk.AlertGroup{}
		for _, g := range fresh {
			byKey[alertGroupKey{g.IntegrationID, g.DedupKey}] = g
		}
		vals, err := rows(fresh, false)
		if err != nil {
			return err
		}
		m := multiInsert{head: "INSERT INTO alert_groups (" + alertGroupColumns + ") VALUES ",
			tail: " RETURNING id, integration_id, dedup_key", width: 13, row: plainRow(13),
			each: func(r *sql.Rows) error {
				var id int64
				var k alertGroupKey
				if err := r.Scan(&id, &k.integration, &k.key); err != nil {
					return err
				}
				byKey[k].ID = id
				return nil
			}}
		if err := m.run(ctx, t.tx, t.s.dialect, vals); err != nil {
			return fmt.Errorf("insert alert groups: %w", err)
		}
	}
	if len(known) == 0 {
		return nil
	}
	vals, err := rows(known, true)
	if err != nil {
		return err
	}
	m := multiInsert{head: "INSERT INTO alert_groups (id, " + alertGroupColumns + ") VALUES ",
		tail: ` ON CONFLICT (id) DO UPDATE SET generation = excluded.generation, ticket_id = excluded.ticket_id,
			status = excluded.status, members = excluded.members, opening = excluded.opening, received = excluded.received,
			repeats = excluded.repeats, first_at = excluded.first_at, last_at = excluded.last_at,
			resolved_at = excluded.resolved_at, repeat_event_id = excluded.repeat_event_id`,
		width: 14, row: plainRow(14)}
	if err := m.run(ctx, t.tx, t.s.dialect, vals); err != nil {
		return fmt.Errorf("store alert groups: %w", err)
	}
	return nil
}

// alertStmts are the fixed statements of the alert batches, prepared once
// on the writer pool (before the transaction begins): parsing them again
// for every notification was a fifth of a storm's CPU on SQLite.
type alertStmts struct {
	lockIntegration, countIntegration *sql.Stmt
}

func (s *Store) prepareAlertStmts(ctx context.Context) (*alertStmts, error) {
	var st alertStmts
	var err error
	st.lockIntegration, err = s.stmts.prepared(ctx, s.db,
		"UPDATE integrations SET window_count = window_count WHERE id = $1 RETURNING window_start, window_count")
	if err != nil {
		return nil, fmt.Errorf("alert statements: %w", err)
	}
	st.countIntegration, err = s.stmts.prepared(ctx, s.db, `UPDATE integrations SET alerts_received = alerts_received + $1,
		alerts_deduplicated = alerts_deduplicated + $2, alerts_overflow = alerts_overflow + $3,
		window_start = $4, window_count = $5, last_alert_at = $6 WHERE id = $7`)
	if err != nil {
		return nil, fmt.Errorf("alert statements: %w", err)
	}
	return &st, nil
}
