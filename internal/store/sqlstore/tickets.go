package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// CreateTicket implements desk.TicketStore. Concurrent creations share a
// transaction (tickets_batch.go); each returns once its ticket is
// committed.
func (s *Store) CreateTicket(ctx context.Context, t *desk.Ticket, events []desk.Event, key *desk.IdempotencyKey, timers ...desk.Timer) (*desk.Ticket, error) {
	j := &createJob{ctx: ctx, t: t, events: events, key: key, timers: timers}
	s.creates.gc.do(j, s.creates.limit(), s.runCreates)
	if j.err == nil && j.created != nil {
		*t = *j.created
	}
	return j.replayed, s.refError(ctx, "create ticket", j.err, ticketRefs(t)...)
}

// createOne runs one creation inside tx, setting j's results anew (a
// transaction may run again, see inTx); its number comes from nums.
func (s *Store) createOne(tx *sql.Tx, nums *numberBlock, j *createJob) error {
	ctx := context.WithoutCancel(j.ctx) // keeps the actor; another's batch must not end with this caller
	j.created, j.replayed = nil, nil
	if j.key != nil {
		id, err := claimKey(ctx, tx, j.key, s.now())
		if err != nil {
			return err
		}
		if id != 0 {
			j.replayed, err = readTicket(ctx, tx, "t.id = $1", id)
			return err
		}
	}
	created, err := s.insertTicket(ctx, tx, nums, j.t, j.events)
	if err != nil {
		return err
	}
	if j.timers != nil {
		if err := insertTimers(ctx, tx, created.ID, j.timers); err != nil {
			return err
		}
	}
	if j.key != nil {
		if err := bindKey(ctx, tx, j.key, created.ID); err != nil {
			return err
		}
	}
	j.created = created
	return nil
}

// insertTicket numbers and stores t with its events and search document,
// and returns the stored ticket with names filled.
func (s *Store) insertTicket(ctx context.Context, tx *sql.Tx, nums *numberBlock, t *desk.Ticket, events []desk.Event) (*desk.Ticket, error) {
	line, err := groupLine(ctx, tx, t.Group.ID)
	if err != nil {
		return nil, err
	}
	number, err := nums.take(ctx, tx, t.Type)
	if err != nil {
		return nil, err
	}
	s.defaultTimes(t)
	q := "INSERT INTO tickets (" + ticketInsertColumns + ") VALUES (" +
		placeholders(1, len(writeColumns)+4) + ") RETURNING id"
	var id int64
	if err := tx.QueryRowContext(ctx, q, ticketInsertValues(t, line, number)...).Scan(&id); err != nil {
		return nil, err
	}
	if err := s.writeEvents(ctx, tx, id, events); err != nil {
		return nil, err
	}
	if err := writeSecurityMembers(ctx, tx, id, t); err != nil {
		return nil, err
	}
	if err := writeBreachCase(ctx, tx, id, t); err != nil {
		return nil, err
	}
	if err := s.indexTicket(ctx, tx, id); err != nil {
		return nil, err
	}
	if err := s.auditTicketCreate(ctx, tx, id, number, t, events); err != nil {
		return nil, err
	}
	return readTicket(ctx, tx, "t.id = $1", id)
}

// defaultTimes fills the times a caller left zero: the store never invents
// them otherwise, because the domain's clock decides SLA-relevant times.
func (s *Store) defaultTimes(t *desk.Ticket) {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = fromMicros(s.now())
	}
	if t.UpdatedAt.IsZero() {
		t.UpdatedAt = t.CreatedAt
	}
	if t.ReportedAt.IsZero() {
		t.ReportedAt = t.CreatedAt
	}
}

// groupLine returns the line of the ticket's group, which tickets carry
// denormalised so that line filters and queues use an index.
func groupLine(ctx context.Context, q queryer, groupID int64) (desk.Line, error) {
	var line desk.Line
	err := q.QueryRowContext(ctx, "SELECT line FROM support_groups WHERE id = $1", groupID).Scan(&line)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fieldError(desk.EINVALID, "group", desk.RuleUnknown, nil, "no such group")
	}
	if err != nil {
		return 0, fmt.Errorf("read group line: %w", err)
	}
	return line, nil
}

// takeNumbers takes n numbers from the type's counter inside tx and
// returns the first. The row lock serialises creation per type until
// commit.
func takeNumbers(ctx context.Context, tx *sql.Tx, typ desk.TicketType, n int) (int64, error) {
	var last int64
	err := tx.QueryRowContext(ctx, "UPDATE counters SET value = value + $1 WHERE name = $2 RETURNING value",
		n, typ.NumberPrefix()).Scan(&last)
	if err != nil {
		return 0, fmt.Errorf("take ticket number: %w", err)
	}
	return last - int64(n) + 1, nil
}

// formatNumber renders INC-000123; numbers grow past six digits as needed.
func formatNumber(typ desk.TicketType, n int64) string {
	return fmt.Sprintf("%s-%06d", typ.NumberPrefix(), n)
}

// GetTicket implements desk.TicketStore.
func (s *Store) GetTicket(ctx context.Context, id int64) (*desk.Ticket, error) {
	return readTicket(ctx, s.rdb, "t.id = $1", id)
}

// GetTicketByNumber implements desk.TicketStore; the number is matched
// without regard to case or surrounding space.
func (s *Store) GetTicketByNumber(ctx context.Context, number string) (*desk.Ticket, error) {
	return readTicket(ctx, s.rdb, "t.number = $1", strings.ToUpper(strings.TrimSpace(number)))
}

// readTicket reads the ticket matching cond with its one argument.
func readTicket(ctx context.Context, q queryer, cond string, arg any) (*desk.Ticket, error) {
	t, err := scanTicket(q.QueryRowContext(ctx, ticketSelect+" WHERE "+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("ticket", arg)
	}
	if err != nil {
		return nil, fmt.Errorf("read ticket %v: %w", arg, err)
	}
	if t.Security {
		if t.SecurityMembers, err = readSecurityMembers(ctx, q, t.ID); err != nil {
			return nil, err
		}
		if t.Breach, err = readBreachCase(ctx, q, t.ID); err != nil {
			return nil, err
		}
	}
	return t, nil
}
