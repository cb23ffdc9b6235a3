package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// numberBlock hands out the ticket numbers of one transaction's
// creations. The first creation of a type takes a block of numbers for
// every creation of that type in the batch from the type's counter, one
// UPDATE … RETURNING instead of one a ticket (on PostgreSQL a round trip
// and a new row version of the counter each); the next ones of the type
// take from the block, in batch order, so numbers come out as they would
// one by one. A creation that replays an idempotency key takes none, and
// giveBack returns what is left, so that numbers stay without gaps. The
// counter's row stays locked by the transaction from the first take to
// its end, as it did before, so nobody else's number falls in between.
type numberBlock struct {
	want      map[desk.TicketType]int // creations of the type the batch holds
	next, end map[desk.TicketType]int64
}

func newNumberBlock(jobs []*createJob) *numberBlock {
	b := &numberBlock{want: map[desk.TicketType]int{}, next: map[desk.TicketType]int64{}, end: map[desk.TicketType]int64{}}
	for _, j := range jobs {
		b.want[j.t.Type]++
	}
	return b
}

// take returns the next number of typ.
func (b *numberBlock) take(ctx context.Context, tx *sql.Tx, typ desk.TicketType) (string, error) {
	if b.next[typ] == b.end[typ] {
		n := max(b.want[typ], 1)
		first, err := takeNumbers(ctx, tx, typ, n)
		if err != nil {
			return "", err
		}
		b.next[typ], b.end[typ] = first, first+int64(n)
		b.want[typ] = 0 // a type asked for again (it cannot be) takes one at a time
	}
	n := b.next[typ]
	b.next[typ]++
	return formatNumber(typ, n), nil
}

// giveBack returns the numbers taken and not handed out to their
// counters; call it last in the transaction.
func (b *numberBlock) giveBack(ctx context.Context, tx *sql.Tx) error {
	for typ, end := range b.end {
		left := end - b.next[typ]
		if left == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, "UPDATE counters SET value = value - $1 WHERE name = $2",
			left, typ.NumberPrefix()); err != nil {
			return fmt.Errorf("give back ticket numbers: %w", err)
		}
	}
	return nil
}
