// Command ftsfrag looks at, and reproduces, the fragmentation of a SQLite
// desk's full-text index (issue 13: a desk built by ordinary writes has an
// FTS5 index of many segments, one bulk-loaded desk has one).
//
//	ftsfrag -db DESK.db structure    # levels, segments, pages and tombstones of ticket_search
//	ftsfrag -db DESK.db replay       # rewrite ticket_search as the write path would have built it
//	ftsfrag -db DESK.db bench        # time the index reads of a search, in process
//	ftsfrag -db DESK.db merge N      # 'merge' steps of N pages until nothing is left to merge
//	ftsfrag -db DESK.db config automerge 2   # set an FTS5 option of ticket_search
//	ftsfrag -db SCRATCH.db synth N   # a new file with only ticket_search, N tickets of
//	                                 # tools/internal/deskwords written as replay writes them
//
// replay empties ticket_search and writes every ticket's document again, in
// id order, one transaction a ticket as POST /api/v1/tickets does (title,
// description, symptoms); a ticket with public comments has its document
// rewritten (delete and insert, as a comment does) in its own transaction
// a random 0–lag tickets later. The documents are sqlstore.NewSearchDoc's,
// the SQL the SQLite dialect's; only the rest of each ticket's transaction
// (the ticket row, its events, timers) is left out, which FTS5 never sees.
// It runs with synchronous OFF: durability does not change the segments.
// Stop the served desk first.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "modernc.org/sqlite"

	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/textan"
	"github.com/tierdesk/tierdesk/tools/internal/deskwords"
)

func main() {
	path := flag.String("db", "", "the desk's SQLite file (tierdesk.db)")
	lag := flag.Int("lag", 200, "replay: a comment's rewrite comes up to this many tickets after its ticket")
	n := flag.Int("n", 20, "bench: timed reads a query")
	commentPct := flag.Int("comment-pct", 25, "synth: percent of tickets with a public comment")
	words := flag.String("words", "network,принтер,kerberos,xylophone", "bench: words")
	prof := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			fail(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if *path == "" || flag.NArg() == 0 {
		fail(errors.New("give -db and a command: structure, replay, bench or merge N"))
	}
	journal := "WAL"
	if flag.Arg(0) == "synth" {
		journal = "OFF" // a scratch file: the journal does not change the segments
	}
	db, err := sql.Open("sqlite", *path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode("+journal+")&_pragma=synchronous(OFF)")
	if err != nil {
		fail(err)
	}
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	switch flag.Arg(0) {
	case "structure":
		err = printStructure(ctx, db)
	case "replay":
		err = replay(ctx, db, *lag)
	case "bench":
		err = bench(ctx, db, strings.Split(*words, ","), *n)
	case "merge":
		pages, _ := strconv.Atoi(flag.Arg(1))
		if pages == 0 {
			pages = 500
		}
		err = merge(ctx, db, pages)
	case "synth":
		total, _ := strconv.Atoi(flag.Arg(1))
		err = synth(ctx, db, int64(total), *lag, *commentPct)
	case "config":
		// config NAME VALUE: an FTS5 configuration option (automerge,
		// crisismerge, usermerge), kept in the table's _config.
		_, err = db.ExecContext(ctx, "INSERT INTO ticket_search (ticket_search, rank) VALUES ($1, $2)", flag.Arg(1), flag.Arg(2))
	default:
		err = fmt.Errorf("unknown command %q", flag.Arg(0))
	}
	if cerr := db.Close(); err == nil {
		err = cerr // the last connection's close checkpoints the WAL into the file
	}
	if err != nil {
		pprof.StopCPUProfile()
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "ftsfrag:", err)
	os.Exit(1)
}

// Structure is ticket_search's segment structure (the record of id 10 in
// its _data table, fts5_index.c's fts5StructureDecode).
type Structure struct {
	Levels [][]Segment
}

// Segment is one b-tree of the index.
type Segment struct {
	ID, Pages, TombstonePages, Tombstones, Entries int64
}

func readStructure(ctx context.Context, db *sql.DB) (Structure, error) {
	var b []byte
	if err := db.QueryRowContext(ctx, "SELECT block FROM ticket_search_data WHERE id = 10").Scan(&b); err != nil {
		return Structure{}, fmt.Errorf("read structure: %w", err)
	}
	if len(b) < 4 {
		return Structure{}, errors.New("structure record too short")
	}
	i, v2 := 4, false
	if len(b) >= 8 && string(b[4:8]) == "\xff\x00\x00\x01" {
		i, v2 = 8, true
	}
	next := func() int64 {
		v, n := varint(b[i:])
		i += n
		return int64(v)
	}
	nLevel := next()
	next() // segments
	next() // write counter
	var s Structure
	for range nLevel {
		next() // segments being merged
		nSeg := next()
		var lvl []Segment
		for range nSeg {
			seg := Segment{ID: next()}
			first, last := next(), next()
			seg.Pages = last - first + 1
			if v2 {
				next() // origin 1
				next() // origin 2
				seg.TombstonePages, seg.Tombstones, seg.Entries = next(), next(), next()
			}
			lvl = append(lvl, seg)
		}
		s.Levels = append(s.Levels, lvl)
	}
	return s, nil
}

// varint decodes SQLite's big-endian varint (sqlite3Fts5GetVarint).
func varint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < 8 && i < len(b); i++ {
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	if len(b) < 9 {
		return v, len(b)
	}
	return v<<8 | uint64(b[8]), 9
}

func printStructure(ctx context.Context, db *sql.DB) error {
	s, err := readStructure(ctx, db)
	if err != nil {
		return err
	}
	fmt.Print(s.Summary())
	return nil
}

// Summary is one line a level and a total line.
func (s Structure) Summary() string {
	var sb strings.Builder
	var segs, pages, tomb int64
	for l, lvl := range s.Levels {
		if len(lvl) == 0 {
			continue
		}
		var p, t, tp int64
		for _, seg := range lvl {
			p += seg.Pages
			t += seg.Tombstones
			tp += seg.TombstonePages
		}
		fmt.Fprintf(&sb, "level %2d: %3d segments, %8d pages, %7d tombstones (%d pages)\n", l, len(lvl), p, t, tp)
		segs += int64(len(lvl))
		pages += p
		tomb += t
	}
	fmt.Fprintf(&sb, "total: %d segments, %d pages, %d tombstones\n", segs, pages, tomb)
	return sb.String()
}

// replay rewrites ticket_search as the write path builds it.
func replay(ctx context.Context, db *sql.DB, lag int) error {
	start := time.Now()
	if _, err := db.ExecContext(ctx, "INSERT INTO ticket_search (ticket_search) VALUES ('delete-all')"); err != nil {
		return err
	}
	var maxID int64
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM tickets").Scan(&maxID); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(1, 2))
	type later struct{ at, id int64 }
	var pending []later
	var done int64
	const chunk = 5000
	for lo := int64(1); lo <= maxID; lo += chunk {
		docs, commented, err := readDocs(ctx, db, lo, lo+chunk)
		if err != nil {
			return err
		}
		for id := lo; id < lo+chunk && id <= maxID; id++ {
			d, ok := docs[id]
			if !ok {
				continue
			}
			if err := write(ctx, db, id, d.create, false); err != nil {
				return err
			}
			if commented[id] {
				pending = append(pending, later{id + int64(r.IntN(lag+1)), id})
			}
			for len(pending) > 0 && pending[0].at <= id {
				if err := rewrite(ctx, db, pending[0].id); err != nil {
					return err
				}
				pending = pending[1:]
			}
			slices.SortFunc(pending, func(a, b later) int { return int(a.at - b.at) })
			done++
		}
		if lo/chunk%40 == 0 {
			fmt.Fprintf(os.Stderr, "%s %d tickets, %s\n", time.Now().UTC().Format("15:04:05"), done, time.Since(start).Round(time.Second))
		}
	}
	for _, p := range pending {
		if err := rewrite(ctx, db, p.id); err != nil {
			return err
		}
	}
	fmt.Printf("replayed %d tickets in %s\n", done, time.Since(start).Round(time.Second))
	return printStructure(ctx, db)
}

// synth creates ticket_search (as migration 00018) in a new file and
// writes n tickets' documents of deskwords' text as replay does: one
// transaction a ticket, a comment's rewrite up to lag tickets later.
func synth(ctx context.Context, db *sql.DB, n int64, lag, commentPct int) error {
	start := time.Now()
	_, err := db.ExecContext(ctx, `CREATE VIRTUAL TABLE ticket_search USING fts5 (
		title, body, content = '', contentless_delete = 1,
		tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*' tokenchars '-@._+'")`)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(1, 2))
	type later struct {
		at, id int64
		d      sqlstore.SearchDoc
	}
	var pending []later
	for id := int64(1); id <= n; id++ {
		t := deskwords.New(id, commentPct, 33_333)
		if err := write(ctx, db, id, sqlstore.NewSearchDoc(t.Title, t.Description, t.Symptoms), false); err != nil {
			return err
		}
		if t.Comment != "" {
			pending = append(pending, later{id + int64(r.IntN(lag+1)), id,
				sqlstore.NewSearchDoc(t.Title, t.Description, t.Symptoms, t.Comment)})
			slices.SortFunc(pending, func(a, b later) int { return int(a.at - b.at) })
		}
		for len(pending) > 0 && pending[0].at <= id {
			if err := write(ctx, db, pending[0].id, pending[0].d, true); err != nil {
				return err
			}
			pending = pending[1:]
		}
		if id%100_000 == 0 {
			fmt.Fprintf(os.Stderr, "%s %d tickets, %s, CPU %s\n", time.Now().UTC().Format("15:04:05"), id,
				time.Since(start).Round(time.Second), cpuTime().Round(time.Second))
		}
	}
	for _, p := range pending {
		if err := write(ctx, db, p.id, p.d, true); err != nil {
			return err
		}
	}
	fmt.Printf("wrote %d tickets in %s (CPU %s)\n", n, time.Since(start).Round(time.Second), cpuTime().Round(time.Millisecond))
	return printStructure(ctx, db)
}

type doc struct{ create sqlstore.SearchDoc }

// readDocs reads the created documents (no comments) of tickets [lo, hi)
// and which of them have public comments.
func readDocs(ctx context.Context, db *sql.DB, lo, hi int64) (map[int64]doc, map[int64]bool, error) {
	rows, err := db.QueryContext(ctx, "SELECT id, title, description, symptoms FROM tickets WHERE id >= $1 AND id < $2", lo, hi)
	if err != nil {
		return nil, nil, err
	}
	docs := map[int64]doc{}
	for rows.Next() {
		var id int64
		var title, desc, sym string
		if err := rows.Scan(&id, &title, &desc, &sym); err != nil {
			rows.Close()
			return nil, nil, err
		}
		docs[id] = doc{sqlstore.NewSearchDoc(title, desc, sym)}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = db.QueryContext(ctx, `SELECT DISTINCT ticket_id FROM events WHERE ticket_id >= $1 AND ticket_id < $2
		AND kind = 'comment' AND public`, lo, hi)
	if err != nil {
		return nil, nil, err
	}
	ids, err := sqlstore.ScanIDs(rows)
	commented := map[int64]bool{}
	for _, id := range ids {
		commented[id] = true
	}
	return docs, commented, err
}

// rewrite writes ticket id's whole document (with its comments) again.
func rewrite(ctx context.Context, db *sql.DB, id int64) error {
	var title, desc, sym string
	if err := db.QueryRowContext(ctx, "SELECT title, description, symptoms FROM tickets WHERE id = $1", id).Scan(&title, &desc, &sym); err != nil {
		return err
	}
	parts := []string{desc, sym}
	rows, err := db.QueryContext(ctx, "SELECT body FROM events WHERE ticket_id = $1 AND kind = 'comment' AND public ORDER BY id", id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			rows.Close()
			return err
		}
		parts = append(parts, b)
	}
	rows.Close()
	return write(ctx, db, id, sqlstore.NewSearchDoc(title, parts...), true)
}

// write stores one document in a transaction of its own, as the store's
// writeSearchDoc does (a delete first when the ticket had one).
func write(ctx context.Context, db *sql.DB, id int64, d sqlstore.SearchDoc, replace bool) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if replace {
		if _, err := tx.ExecContext(ctx, "DELETE FROM ticket_search WHERE rowid = $1", id); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO ticket_search (rowid, title, body) VALUES ($1, $2, $3)",
		id, strings.Join(d.Title, " "), strings.Join(d.Body, " "))
	if err != nil {
		return err
	}
	return tx.Commit()
}

// bench times the reads a search makes of the index: the count of
// matches up to 2,000 and the newest 2,000 (SearchMatch), on a fresh
// statement each time as database/sql's pool does for a new query text.
func bench(ctx context.Context, db *sql.DB, words []string, n int) error {
	fmt.Println("| word | count ≤2000 p50 ms | p95 | newest 2000 p50 ms | p95 | CPU ms a search (both reads) |")
	for _, w := range words {
		q := `"` + strings.Join(textan.Terms(w), " ") + `"`
		var c, l []float64
		var cpu time.Duration
		for i := range n + 2 {
			cpu0 := cpuTime()
			t := time.Now()
			var k int
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM ticket_search WHERE ticket_search MATCH $1 LIMIT 2000)", q).Scan(&k); err != nil {
				return err
			}
			ct := time.Since(t)
			t = time.Now()
			rows, err := db.QueryContext(ctx, "SELECT rowid FROM ticket_search WHERE ticket_search MATCH $1 ORDER BY rowid DESC LIMIT 2000", q)
			if err != nil {
				return err
			}
			if _, err := sqlstore.ScanIDs(rows); err != nil {
				return err
			}
			if i >= 2 {
				c = append(c, ms(ct))
				l = append(l, ms(time.Since(t)))
				cpu += cpuTime() - cpu0
			}
		}
		fmt.Printf("| %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n", w, pct(c, 50), pct(c, 95), pct(l, 50), pct(l, 95), ms(cpu)/float64(n))
	}
	return nil
}

// merge runs 'merge' steps of pages pages each, one transaction a step,
// until a step merges nothing, and prints the time and the structure.
func merge(ctx context.Context, db *sql.DB, pages int) error {
	start, cpu0 := time.Now(), cpuTime()
	var steps int
	var longest, longestCPU time.Duration
	for {
		var before int
		db.QueryRowContext(ctx, "SELECT total_changes()").Scan(&before)
		t, c := time.Now(), cpuTime()
		if _, err := db.ExecContext(ctx, "INSERT INTO ticket_search (ticket_search, rank) VALUES ('merge', $1)", pages); err != nil {
			return err
		}
		longest, longestCPU = max(longest, time.Since(t)), max(longestCPU, cpuTime()-c)
		steps++
		var after int
		db.QueryRowContext(ctx, "SELECT total_changes()").Scan(&after)
		if after-before <= 1 {
			break
		}
	}
	fmt.Printf("merge %d: %d steps in %s (CPU %s), longest %s (CPU %s)\n", pages, steps, time.Since(start).Round(time.Millisecond),
		(cpuTime() - cpu0).Round(time.Millisecond), longest.Round(time.Millisecond), longestCPU.Round(time.Millisecond))
	return printStructure(ctx, db)
}

// cpuTime is the process's user and system CPU time: on a shared machine
// the wall time of a read includes waiting for a core, its CPU time not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func pct(v []float64, p int) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[min(len(s)-1, (len(s)*p+99)/100-1)]
}
