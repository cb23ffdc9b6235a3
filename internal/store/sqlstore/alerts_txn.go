package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
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
	group   *desk.AlertGroup // nil: none stored yet
	dirty   bool
	repeat  *desk.Event // the latest aggregated repeat entry to write
	summary *desk.Event // the latest table of firing alerts to write
	steps   []*desk.AlertStep
}

// apply folds one notification into the batch state. Over the rate limit
// it counts the overflow and returns ELIMIT as the notification's result.
func (t *alertTxn) apply(ctx context.Context, b desk.AlertBatch) ([]desk.AlertStep, error) {
	ig, err := t.integration(ctx, b.IntegrationID)
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
		gs, err := t.group(ctx, b.IntegrationID, n.DedupKey)
		if err != nil {
			return nil, err
		}
		st := desk.FoldAlert(gs.group, n, b.FlapWindow, b.At)
		ig.repeats += st.Repeats
		steps[i] = st
		if !st.Stored {
			continue
		}
		g := st.Group
		g.IntegrationID = b.IntegrationID
		if gs.group == nil || g.Generation != gs.group.Generation {
			gs.repeat, gs.summary = nil, nil // a new incident: the old one's entries are done
		}
		if st.RepeatEvent != nil && g.TicketID != 0 {
			gs.repeat = st.RepeatEvent
		}
		if st.SummaryEvent != nil && g.TicketID != 0 {
			gs.summary = st.SummaryEvent
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

// integration reads and locks an integration's row the first time the
// batch touches it. The lock (an UPDATE on PostgreSQL) serialises every
// batch of an integration across instances, so its rate window and groups
// never race.
func (t *alertTxn) integration(ctx context.Context, id int64) (*alertIntegration, error) {
	if ig, ok := t.integrations[id]; ok {
		return ig, nil
	}
	var start, count int64
	err := t.tx.StmtContext(ctx, t.stmts.lockIntegration).QueryRowContext(ctx, id).Scan(&start, &count)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("integration", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read integration %d: %w", id, err)
	}
	ig := &alertIntegration{id: id, windowStart: fromMicros(start), windowCount: count}
	t.integrations[id] = ig
	return ig, nil
}

// lockAll locks the integrations of every job up front, in id order, so
// that the batches of two instances never wait on each other crosswise.
// A missing integration is left for its jobs to report.
func (t *alertTxn) lockAll(ctx context.Context, jobs []*alertJob) error {
	ids := make([]int64, 0, len(jobs))
	for _, j := range jobs {
		ids = append(ids, j.batch.IntegrationID)
	}
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		if _, err := t.integration(ctx, id); err != nil && desk.ErrorCode(err) != desk.ENOTFOUND {
			return err
		}
	}
	return nil
}

// group reads a dedup key's group the first time the batch touches it.
func (t *alertTxn) group(ctx context.Context, integrationID int64, key string) (*alertGroupState, error) {
	k := alertGroupKey{integrationID, key}
	if gs, ok := t.groups[k]; ok {
		return gs, nil
	}
	g, err := scanAlertGroup(t.tx.StmtContext(ctx, t.stmts.readGroup).QueryRowContext(ctx, integrationID, key))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read alert group: %w", err)
	}
	gs := &alertGroupState{group: g}
	t.groups[k] = gs
	return gs, nil
}

// flush writes every touched group (with its repeat entry) and the
// integrations' counters, and gives the steps their groups' ids.
func (t *alertTxn) flush(ctx context.Context) error {
	for _, gs := range t.order {
		g := gs.group
		if gs.repeat != nil {
			if err := t.s.writeGroupEvent(ctx, t.tx, g, &g.RepeatEventID, gs.repeat); err != nil {
				return err
			}
		}
		if gs.summary != nil {
			if err := t.s.writeGroupEvent(ctx, t.tx, g, &g.SummaryEventID, gs.summary); err != nil {
				return err
			}
		}
		if err := t.writeGroup(ctx, g); err != nil {
			return err
		}
		for _, st := range gs.steps {
			st.Group.ID, st.Group.RepeatEventID, st.Group.SummaryEventID = g.ID, g.RepeatEventID, g.SummaryEventID
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

// writeGroup inserts a new group (assigning g.ID) or stores g.
func (t *alertTxn) writeGroup(ctx context.Context, g *desk.AlertGroup) error {
	vals, err := alertGroupValues(g)
	if err != nil {
		return err
	}
	if g.ID == 0 {
		err = t.tx.StmtContext(ctx, t.stmts.insertGroup).QueryRowContext(ctx, append(vals, g.IntegrationID, g.DedupKey)...).Scan(&g.ID)
	} else {
		_, err = t.tx.StmtContext(ctx, t.stmts.updateGroup).ExecContext(ctx, append(vals, g.ID)...)
	}
	if err != nil {
		return fmt.Errorf("store alert group: %w", err)
	}
	return nil
}

// alertStmts are the statements of the alert batches, prepared once on
// the writer pool (before the transaction begins): parsing them again for
// every notification was a fifth of a storm's CPU on SQLite.
type alertStmts struct {
	lockIntegration, countIntegration, readGroup, insertGroup, updateGroup *sql.Stmt
}

func (s *Store) prepareAlertStmts(ctx context.Context) (*alertStmts, error) {
	var st alertStmts
	for _, p := range []struct {
		dst **sql.Stmt
		q   string
	}{
		{&st.lockIntegration, "UPDATE integrations SET window_count = window_count WHERE id = $1 RETURNING window_start, window_count"},
		{&st.countIntegration, `UPDATE integrations SET alerts_received = alerts_received + $1,
			alerts_deduplicated = alerts_deduplicated + $2, alerts_overflow = alerts_overflow + $3,
			window_start = $4, window_count = $5, last_alert_at = $6 WHERE id = $7`},
		{&st.readGroup, alertGroupSelect + " WHERE g.integration_id = $1 AND g.dedup_key = $2"},
		{&st.insertGroup, `INSERT INTO alert_groups (generation, ticket_id, status, members, opening,
			received, repeats, first_at, last_at, resolved_at, repeat_event_id,
			labels, unstored, unstored_firing, summary_event_id, integration_id, dedup_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`},
		{&st.updateGroup, `UPDATE alert_groups SET generation = $1, ticket_id = $2, status = $3,
			members = $4, opening = $5, received = $6, repeats = $7, first_at = $8, last_at = $9,
			resolved_at = $10, repeat_event_id = $11, labels = $12, unstored = $13, unstored_firing = $14,
			summary_event_id = $15 WHERE id = $16`},
	} {
		var err error
		if *p.dst, err = s.stmts.prepared(ctx, s.db, p.q); err != nil {
			return nil, fmt.Errorf("alert statements: %w", err)
		}
	}
	return &st, nil
}
