// Command rawinsert measures the physical limit under ticket creation on
// SQLite or PostgreSQL: the rate at which the database itself stores the rows that one ticket
// created through the API writes, with the desk's own schema (every index
// and trigger), the store's settings (WAL, synchronous FULL, its page
// cache) and commits of a batch of tickets, as the store's group commit
// makes them, but none of the desk's work (no HTTP, JSON, validation,
// routing, recipients, audit hashing, stemming): prepared statements and
// the values bound.
//
//	go run ./tools/deskbench -bin /tmp/td -data /tmp/desk -clients 8 -duration 10s   # the served rate
//	cp -r /tmp/desk /tmp/desk-raw
//	go run ./tools/rawinsert -db /tmp/desk-raw/tierdesk.db -batch 8 -duration 10s   # the raw rate
//
// The newest ticket of the desk is the pattern, so it must have been
// created through the API (deskbench does that: a new requester each,
// one event, the notifications in the outbox, the SLA timers, the search
// document, the audit record). Each ticket inserted copies its rows: a
// requester (with the lookup terms its trigger writes), the ticket (the
// dashboard's counters by trigger), its events, outbox messages, timers
// and audit records, and its title and description into the search
// index; each batch takes its numbers from the counter in one UPDATE.
// It writes into the database given: run it on a copy.
//
// On PostgreSQL (-database URL) several writers can insert at once, each
// on its own connection, as the served desk's instances and group commits
// do; their batches queue on the counter's row lock as the desk's do:
//
//	go run ./tools/deskbench -bin /tmp/td -database "$PG/raw" -clients 8 -duration 10s
//	go run ./tools/rawinsert -database "$PG/raw" -writers 8 -batch 1 -duration 10s
//
// The CPU figure is then this process's and the database server's (its
// backends' CPU read from /proc, summed over the postgres processes).
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tierdesk/tierdesk/tools/internal/procstat"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

func main() {
	db := flag.String("db", "", "SQLite file of a desk (a copy: it is written to)")
	database := flag.String("database", "", "postgres:// URL of a desk instead of -db (a copy: it is written to)")
	writers := flag.Int("writers", 1, "concurrent writers, each its own connection and transactions (PostgreSQL only; SQLite has one writer)")
	batch := flag.Int("batch", 8, "tickets a transaction (the group commit's batch)")
	duration := flag.Duration("duration", 10*time.Second, "how long to insert")
	cacheKiB := flag.Int("cache-kib", 32<<10, "page cache of the connection in KiB (the store's writer: 32 MiB)")
	profile := flag.String("cpu-profile", "", "write a CPU profile of the inserts to this file (go tool pprof)")
	flag.Parse()
	if (*db == "") == (*database == "") || *batch < 1 || *writers < 1 {
		fail(errors.New("give -db FILE or -database URL, -batch ≥ 1 and -writers ≥ 1"))
	}
	if *db != "" && *writers != 1 {
		fail(errors.New("SQLite has one writer: -writers applies to -database only"))
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fail(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fail(err)
		}
		defer pprof.StopCPUProfile()
	}
	d := sqliteDialect(*db, *cacheKiB)
	if *database != "" {
		d = postgresDialect(*database)
	}
	if err := run(context.Background(), d, *batch, *writers, *duration); err != nil {
		pprof.StopCPUProfile()
		fail(err)
	}
}

// dsn opens the file as the store's writer does (internal/store/sqlite).
func dsn(path string, cacheKiB int) string {
	return "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)" +
		fmt.Sprintf("&_pragma=cache_size(-%d)", cacheKiB) + "&_pragma=journal_mode(WAL)&_txlock=immediate"
}

// dialect is what differs between the two databases.
type dialect struct {
	driver, dsn string
	postgres    bool
	check       func() error
}

func sqliteDialect(path string, cacheKiB int) dialect {
	return dialect{driver: "sqlite", dsn: dsn(path, cacheKiB), check: func() error { _, err := os.Stat(path); return err }}
}

func postgresDialect(url string) dialect {
	return dialect{driver: "pgx", dsn: url, postgres: true, check: func() error { return nil }}
}

// sql turns the ? placeholders of q into PostgreSQL's $n.
func (d dialect) sql(q string) string {
	if !d.postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func run(ctx context.Context, d dialect, batch, writers int, duration time.Duration) error {
	if err := d.check(); err != nil {
		return err
	}
	db, err := sql.Open(d.driver, d.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(writers)
	db.SetMaxIdleConns(writers)
	p, err := readPattern(ctx, db, d)
	if err != nil {
		return err
	}
	ins, err := prepare(ctx, db, d, p)
	if err != nil {
		return err
	}
	defer ins.close()
	fmt.Printf("pattern: ticket %d: %d event(s), %d outbox message(s), %d timer(s), %d audit record(s), a requester with %d lookup term(s)\n",
		p.ticketID, len(p.events.rows), len(p.outbox.rows), len(p.timers.rows), len(p.audit.rows), p.lookupTerms)
	server0 := procstat.BackendsCPU(procstat.Database(d.dsn))
	cpu0, start := procstat.CPU(os.Getpid()), time.Now()
	var (
		mu    sync.Mutex
		n     int
		first error
		wg    sync.WaitGroup
	)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := w * 1_000_000_000; time.Since(start) < duration; seq += batch {
				if err := ins.batch(ctx, db, p, batch, seq); err != nil {
					mu.Lock()
					first = errors.Join(first, err)
					mu.Unlock()
					return
				}
				mu.Lock()
				n += batch
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return first
	}
	took, cpu := time.Since(start), procstat.CPU(os.Getpid())-cpu0
	perTicket := func(t time.Duration) float64 { return float64(t) / float64(time.Millisecond) / float64(n) }
	server := ""
	if d.postgres {
		server = fmt.Sprintf(", database server CPU %.3f ms a ticket", perTicket(procstat.BackendsCPU(procstat.Database(d.dsn))-server0))
	}
	fmt.Printf("raw insert, %d writer(s), batches of %d: %d tickets in %s, %.0f tickets/s, CPU %.3f ms a ticket%s, load %s\n",
		writers, batch, n, took.Round(time.Millisecond), float64(n)/took.Seconds(), perTicket(cpu), server, procstat.LoadAvg())
	return nil
}

// rowSet is rows of one table read from the pattern, without their key.
type rowSet struct {
	table string
	cols  []string
	rows  [][]any
}

// pattern is the newest ticket's rows.
type pattern struct {
	ticketID, requesterID int64
	prefix                string // the number's, INC
	ticket, user          rowSet
	events, outbox        rowSet
	timers, audit         rowSet
	title, description    string
	lookupTerms           int
	search                rowSet // PostgreSQL: the ticket's row of ticket_search, its tsvector as text
}

func readPattern(ctx context.Context, db *sql.DB, d dialect) (*pattern, error) {
	p := &pattern{}
	prefix := "substr(number, 1, instr(number, '-') - 1)"
	if d.postgres {
		prefix = "split_part(number, '-', 1)"
	}
	err := db.QueryRowContext(ctx, "SELECT id, requester_id, "+prefix+", title, description FROM tickets ORDER BY id DESC LIMIT 1").
		Scan(&p.ticketID, &p.requesterID, &p.prefix, &p.title, &p.description)
	if err != nil {
		return nil, fmt.Errorf("the newest ticket: %w", err)
	}
	subjects := []any{fmt.Sprintf("ticket/%d", p.ticketID), fmt.Sprintf("user/%d", p.requesterID)}
	for _, r := range []struct {
		set   *rowSet
		table string
		key   string
		where string
		args  []any
	}{
		{&p.ticket, "tickets", "id", "id = ?", []any{p.ticketID}},
		{&p.user, "users", "id", "id = ?", []any{p.requesterID}},
		{&p.events, "events", "id", "ticket_id = ?", []any{p.ticketID}},
		{&p.outbox, "outbox", "id", "ticket_id = ?", []any{p.ticketID}},
		{&p.timers, "sla_timers", "id", "ticket_id = ?", []any{p.ticketID}},
		{&p.audit, "audit_log", "seq", "subject IN (?, ?)", subjects},
	} {
		if *r.set, err = readRows(ctx, db, d, r.table, r.key, r.where, r.args...); err != nil {
			return nil, err
		}
	}
	if len(p.events.rows) == 0 || len(p.outbox.rows) == 0 || len(p.timers.rows) == 0 {
		return nil, fmt.Errorf("ticket %d has no events, outbox messages or timers: create tickets through the API first (tools/deskbench)", p.ticketID)
	}
	if err := db.QueryRowContext(ctx, d.sql("SELECT count(*) FROM user_lookup WHERE user_id = ?"), p.requesterID).Scan(&p.lookupTerms); err != nil {
		return nil, err
	}
	if d.postgres {
		var doc string
		if err := db.QueryRowContext(ctx, "SELECT doc::text FROM ticket_search WHERE ticket_id = $1", p.ticketID).Scan(&doc); err != nil {
			return nil, fmt.Errorf("the newest ticket's search document: %w", err)
		}
		p.search = rowSet{table: "ticket_search", cols: []string{"ticket_id", "doc"}, rows: [][]any{{p.ticketID, doc}}}
		// A write on PostgreSQL appends its audit entries to audit_pending
		// (no lock); the sealer chains them into audit_log later, so the
		// pattern's entries are in either table.
		if len(p.audit.rows) == 0 {
			if p.audit, err = readRows(ctx, db, d, "audit_pending", "id", "subject IN (?, ?)", subjects...); err != nil {
				return nil, err
			}
		}
		if len(p.audit.rows) == 0 {
			return nil, fmt.Errorf("ticket %d has no audit entries: create tickets through the API first (tools/deskbench)", p.ticketID)
		}
		p.audit = p.audit.without("hash")
		p.audit.table = "audit_pending"
	}
	return p, nil
}

// readRows reads the rows of table matching where, leaving out the key.
func readRows(ctx context.Context, db *sql.DB, d dialect, table, key, where string, args ...any) (rowSet, error) {
	rs := rowSet{table: table}
	rows, err := db.QueryContext(ctx, d.sql("SELECT * FROM "+table+" WHERE "+where), args...)
	if err != nil {
		return rs, fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return rs, err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return rs, err
		}
		var row []any
		for i, c := range cols {
			if c != key {
				row = append(row, vals[i])
			}
		}
		rs.rows = append(rs.rows, row)
	}
	for _, c := range cols {
		if c != key {
			rs.cols = append(rs.cols, c)
		}
	}
	return rs, rows.Err()
}

// insertSQL is the INSERT of a row set's columns, returning the new key.
func (rs rowSet) insertSQL(key string) string {
	return "INSERT INTO " + rs.table + " (" + strings.Join(rs.cols, ", ") + ") VALUES (" +
		strings.TrimSuffix(strings.Repeat("?, ", len(rs.cols)), ", ") + ") RETURNING " + key
}

// without is the row set without the named column.
func (rs rowSet) without(name string) rowSet {
	i := rs.col(name)
	if i < 0 {
		return rs
	}
	out := rowSet{table: rs.table}
	out.cols = append(append([]string(nil), rs.cols[:i]...), rs.cols[i+1:]...)
	for _, row := range rs.rows {
		out.rows = append(out.rows, append(append([]any(nil), row[:i]...), row[i+1:]...))
	}
	return out
}

// col is the index of a column of the row set.
func (rs rowSet) col(name string) int {
	for i, c := range rs.cols {
		if c == name {
			return i
		}
	}
	return -1
}

type inserts struct {
	counter, user, ticket, event, outbox, timer, audit, search *sql.Stmt
}

func prepare(ctx context.Context, db *sql.DB, d dialect, p *pattern) (*inserts, error) {
	ins := &inserts{}
	search := "INSERT INTO ticket_search (rowid, title, body) VALUES (?, ?, ?)"
	auditKey := "seq"
	if d.postgres {
		auditKey = "id"
		search = "INSERT INTO ticket_search (ticket_id, doc) VALUES (?, ?::tsvector)"
	}
	var err error
	for _, s := range []struct {
		stmt **sql.Stmt
		q    string
	}{
		{&ins.counter, "UPDATE counters SET value = value + ? WHERE name = ? RETURNING value"},
		{&ins.user, p.user.insertSQL("id")},
		{&ins.ticket, p.ticket.insertSQL("id")},
		{&ins.event, p.events.insertSQL("id")},
		{&ins.outbox, p.outbox.insertSQL("id")},
		{&ins.timer, p.timers.insertSQL("id")},
		{&ins.audit, p.audit.insertSQL(auditKey)},
		{&ins.search, search},
	} {
		if *s.stmt, err = db.PrepareContext(ctx, d.sql(s.q)); err != nil {
			ins.close()
			return nil, fmt.Errorf("prepare %q: %w", s.q, err)
		}
	}
	return ins, nil
}

func (ins *inserts) close() {
	for _, s := range []*sql.Stmt{ins.counter, ins.user, ins.ticket, ins.event, ins.outbox, ins.timer, ins.audit, ins.search} {
		if s != nil {
			s.Close()
		}
	}
}

// batch inserts n tickets' rows in one transaction; seq makes the
// requesters' e-mail addresses unique.
func (ins *inserts) batch(ctx context.Context, db *sql.DB, p *pattern, n, seq int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var last int64
	if err := tx.StmtContext(ctx, ins.counter).QueryRowContext(ctx, n, p.prefix).Scan(&last); err != nil {
		return fmt.Errorf("take numbers: %w", err)
	}
	for i := range n {
		if err := ins.one(ctx, tx, p, fmt.Sprintf("%s-%06d", p.prefix, last-int64(n-1-i)), seq+i); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (ins *inserts) one(ctx context.Context, tx *sql.Tx, p *pattern, number string, seq int) error {
	user := with(p.user.rows[0], map[int]any{})
	for _, c := range []string{"email", "email_key", "search_key"} {
		if i := p.user.col(c); i >= 0 {
			user[i] = fmt.Sprintf("raw%d.%v", seq, user[i])
		}
	}
	var userID, ticketID, key int64
	if err := tx.StmtContext(ctx, ins.user).QueryRowContext(ctx, user...).Scan(&userID); err != nil {
		return fmt.Errorf("insert requester: %w", err)
	}
	ticket := with(p.ticket.rows[0], map[int]any{p.ticket.col("number"): number, p.ticket.col("requester_id"): userID})
	if err := tx.StmtContext(ctx, ins.ticket).QueryRowContext(ctx, ticket...).Scan(&ticketID); err != nil {
		return fmt.Errorf("insert ticket: %w", err)
	}
	for _, r := range []struct {
		stmt *sql.Stmt
		set  rowSet
	}{{ins.event, p.events}, {ins.outbox, p.outbox}, {ins.timer, p.timers}} {
		for _, row := range r.set.rows {
			if err := tx.StmtContext(ctx, r.stmt).QueryRowContext(ctx, with(row, map[int]any{r.set.col("ticket_id"): ticketID})...).Scan(&key); err != nil {
				return fmt.Errorf("insert into %s: %w", r.set.table, err)
			}
		}
	}
	for _, row := range p.audit.rows {
		subject := fmt.Sprintf("ticket/%d", ticketID)
		if row[p.audit.col("subject")] != fmt.Sprintf("ticket/%d", p.ticketID) {
			subject = fmt.Sprintf("user/%d", userID)
		}
		if err := tx.StmtContext(ctx, ins.audit).QueryRowContext(ctx, with(row, map[int]any{p.audit.col("subject"): subject})...).Scan(&key); err != nil {
			return fmt.Errorf("insert audit record: %w", err)
		}
	}
	searchArgs := []any{ticketID, p.title, p.description}
	if len(p.search.rows) > 0 {
		searchArgs = []any{ticketID, p.search.rows[0][1]}
	}
	if _, err := tx.StmtContext(ctx, ins.search).ExecContext(ctx, searchArgs...); err != nil {
		return fmt.Errorf("index ticket: %w", err)
	}
	return nil
}

// with is a copy of row with the values at the given indexes replaced.
func with(row []any, set map[int]any) []any {
	out := append([]any(nil), row...)
	for i, v := range set {
		if i >= 0 {
			out[i] = v
		}
	}
	return out
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "rawinsert:", err)
	os.Exit(2)
}
