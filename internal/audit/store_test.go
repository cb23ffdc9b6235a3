package audit_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

var bg = context.Background()

// writer makes ordinary writes through a store: users and tickets.
type writer struct {
	t     testing.TB
	s     *sqlstore.Store
	group int64
	req   int64
}

func newWriter(t testing.TB, s *sqlstore.Store) *writer {
	t.Helper()
	g, err := s.DefaultGroup(bg)
	if err != nil {
		t.Fatal(err)
	}
	w := &writer{t: t, s: s, group: g.ID}
	w.req = w.user("requester@example.com").ID
	return w
}

func (w *writer) user(email string) *desk.User {
	w.t.Helper()
	u := &desk.User{Email: email, Name: "Person " + email, Role: desk.RoleRequester, Active: true}
	if err := w.s.CreateUser(bg, u); err != nil {
		w.t.Fatal(err)
	}
	return u
}

func (w *writer) ticket(title string) *desk.Ticket {
	w.t.Helper()
	tk := &desk.Ticket{Type: desk.TypeIncident, Title: title, Description: "about " + title,
		State: desk.StateNew, Impact: desk.LevelMedium, Urgency: desk.LevelMedium, Priority: desk.P3,
		Group: desk.GroupRef{ID: w.group}, Requester: desk.Person{ID: w.req}, Channel: desk.ChannelPortal}
	ev := []desk.Event{{Kind: desk.EventCreated, Public: true}}
	if _, err := w.s.CreateTicket(bg, tk, ev, nil); err != nil {
		w.t.Fatal(err)
	}
	return tk
}

// verify seals what is pending and verifies, failing on an error.
func verify(t testing.TB, s *sqlstore.Store, a *audit.Anchor) *audit.Report {
	t.Helper()
	if _, err := s.SealAudit(bg); err != nil {
		t.Fatal(err)
	}
	r, err := s.VerifyAudit(bg, a)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func exec(t testing.TB, s *sqlstore.Store, q string, args ...any) {
	t.Helper()
	if _, err := s.DB().ExecContext(bg, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// TestStore_Tamper changes, removes and inserts audit rows by hand in the
// database, on both databases, and expects verify to name the entry.
func TestStore_Tamper(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			s := b.Open(t)
			w := newWriter(t, s)
			for i := range 5 {
				w.user(fmt.Sprintf("u%d@example.com", i))
				w.ticket(fmt.Sprintf("ticket %d", i))
			}
			r := verify(t, s, nil)
			if !r.OK() || r.Entries != 11 || r.HeadSeq != 11 || r.Pending != 0 {
				t.Fatalf("fresh chain: %+v %v", r, r.Broken)
			}
			exec(t, s, "CREATE TABLE audit_keep AS SELECT * FROM audit_log")
			restore := func() {
				exec(t, s, "DELETE FROM audit_log")
				exec(t, s, "INSERT INTO audit_log SELECT * FROM audit_keep")
				exec(t, s, "UPDATE audit_head SET seq = 11, hash = (SELECT hash FROM audit_log WHERE seq = 11)")
				exec(t, s, "DELETE FROM audit_anchors")
			}
			for _, tc := range []struct {
				name   string
				sql    []string
				broken int64
				reason string
			}{
				{"detail changed", []string{`UPDATE audit_log SET detail = '{"role":"admin"}' WHERE seq = 5`}, 5, "hash mismatch"},
				{"actor changed", []string{"UPDATE audit_log SET actor_id = 42 WHERE seq = 3"}, 3, "hash mismatch"},
				{"time changed", []string{"UPDATE audit_log SET at = at - 1000000 WHERE seq = 9"}, 9, "hash mismatch"},
				{"subject changed", []string{"UPDATE audit_log SET subject = 'ticket/999' WHERE seq = 2"}, 2, "hash mismatch"},
				{"hash replaced by the next", []string{"UPDATE audit_log SET hash = (SELECT hash FROM audit_keep WHERE seq = 8) WHERE seq = 7"}, 7, "hash mismatch"},
				{"deleted", []string{"DELETE FROM audit_log WHERE seq = 4"}, 4, "missing"},
				{"last deleted", []string{"DELETE FROM audit_log WHERE seq = 11"}, 11, "missing"},
				{"inserted at the end", []string{`INSERT INTO audit_log (seq, at, actor_id, kind, subject, detail, hash)
					SELECT 12, at, actor_id, kind, subject, detail, hash FROM audit_log WHERE seq = 11`}, 12, "hash mismatch"},
				{"inserted in the middle", []string{
					"UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 6",
					"UPDATE audit_log SET seq = seq - 999 WHERE seq > 1000",
					`INSERT INTO audit_log (seq, at, actor_id, kind, subject, detail, hash)
					SELECT 6, at, 1, 'user.update', 'user/1', '{"role":"admin"}', hash FROM audit_keep WHERE seq = 6`,
					"UPDATE audit_head SET seq = 12, hash = (SELECT hash FROM audit_log WHERE seq = 12)"}, 6, "hash mismatch"},
				{"head moved", []string{"UPDATE audit_head SET seq = 10"}, 11, "beyond the head"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					defer restore()
					for _, q := range tc.sql {
						exec(t, s, q)
					}
					r := verify(t, s, nil)
					if r.OK() {
						t.Fatalf("not detected: %+v", r)
					}
					if r.Broken.Seq != tc.broken || !strings.Contains(r.Broken.Reason, tc.reason) {
						t.Fatalf("broken at %d (%s), want %d (%s)", r.Broken.Seq, r.Broken.Reason, tc.broken, tc.reason)
					}
				})
			}
			if r := verify(t, s, nil); !r.OK() {
				t.Fatalf("restored chain: %v", r.Broken)
			}
			t.Run("truncated past an exported anchor", func(t *testing.T) {
				defer restore()
				a, err := s.AnchorAudit(bg, 0)
				if err != nil || a == nil || a.Seq != 11 {
					t.Fatalf("anchor: %+v %v", a, err)
				}
				exec(t, s, "DELETE FROM audit_log WHERE seq > 8")
				exec(t, s, "UPDATE audit_head SET seq = 8, hash = (SELECT hash FROM audit_log WHERE seq = 8)")
				if r := verify(t, s, nil); r.OK() {
					t.Fatal("truncation with the stored anchor in place not detected")
				}
				exec(t, s, "DELETE FROM audit_anchors") // the intruder removes it too
				if r := verify(t, s, nil); !r.OK() {
					t.Fatalf("a consistent truncated chain is all the database can tell: %v", r.Broken)
				}
				r := verify(t, s, a)
				if r.OK() || r.Broken.Seq != 9 || !strings.Contains(r.Broken.Reason, "truncated") {
					t.Fatalf("truncation past the exported anchor: %+v %v", r, r.Broken)
				}
			})
			t.Run("rewritten before an exported anchor", func(t *testing.T) {
				defer restore()
				a, err := s.AnchorAudit(bg, 0)
				if err != nil || a == nil {
					t.Fatal(err)
				}
				exec(t, s, "DELETE FROM audit_anchors")
				rewrite(t, s, 3)
				if r := verify(t, s, nil); !r.OK() {
					t.Fatalf("the rewrite is consistent by itself: %v", r.Broken)
				}
				r := verify(t, s, a)
				if r.OK() || r.Broken.Seq != 11 || !strings.Contains(r.Broken.Reason, "anchor") {
					t.Fatalf("rewrite before the exported anchor: %+v %v", r, r.Broken)
				}
			})
		})
	}
}

// rewrite changes entry from's detail and recomputes every hash after it,
// and the head, as an intruder who knows the encoding would.
func rewrite(t *testing.T, s *sqlstore.Store, from int64) {
	t.Helper()
	exec(t, s, `UPDATE audit_log SET detail = '{"rewritten":true}' WHERE seq = $1`, from)
	rows, err := s.DB().QueryContext(bg, "SELECT seq, at, actor_id, kind, subject, detail, hash FROM audit_log ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	var es []audit.Entry
	for rows.Next() {
		var e audit.Entry
		var at int64
		if err := rows.Scan(&e.Seq, &at, &e.ActorID, &e.Kind, &e.Subject, &e.Detail, &e.Hash); err != nil {
			t.Fatal(err)
		}
		e.At = time.UnixMicro(at)
		es = append(es, e)
	}
	rows.Close()
	prev := audit.Genesis
	for i := range es {
		if es[i].Seq >= from {
			es[i].Chain(es[i].Seq-1, prev)
			exec(t, s, "UPDATE audit_log SET hash = $1 WHERE seq = $2", es[i].Hash, es[i].Seq)
		}
		prev = es[i].Hash
	}
	exec(t, s, "UPDATE audit_head SET hash = $1", prev)
}

// TestStore_ConcurrentInstances writes from two instances at once, each
// with three sealers running (without the head's row lock they chain the
// same entries twice), on PostgreSQL directly and through
// PgBouncer in transaction pooling mode: one linear chain holds every
// entry once.
func TestStore_ConcurrentInstances(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		a, another := open(t)
		b := another()
		stores := []*sqlstore.Store{a, b}
		newWriter(t, a)
		const perWriter = 15
		ctx, stop := context.WithCancel(bg)
		var sealers, writers sync.WaitGroup
		for i := range 6 {
			s := stores[i%2]
			sealers.Add(1)
			go func() {
				defer sealers.Done()
				for ctx.Err() == nil {
					if _, err := s.SealAudit(ctx); err != nil && ctx.Err() == nil {
						t.Error(err)
						return
					}
					time.Sleep(time.Millisecond)
				}
			}()
		}
		for i := range 4 {
			writers.Add(1)
			go func() {
				defer writers.Done()
				w := &writer{t: t, s: stores[i%2]}
				g, _ := w.s.DefaultGroup(bg)
				w.group = g.ID
				w.req = w.user(fmt.Sprintf("writer%d@example.com", i)).ID
				for j := range perWriter {
					w.ticket(fmt.Sprintf("w%d t%d", i, j))
				}
			}()
		}
		writers.Wait()
		stop()
		sealers.Wait()
		r := verify(t, b, nil)
		want := int64(1 + 4*(1+perWriter))
		if !r.OK() || r.Entries != want || r.Pending != 0 {
			t.Fatalf("chain after concurrent writers: %d entries (want %d), pending %d, broken %v", r.Entries, want, r.Pending, r.Broken)
		}
		var creates int
		if err := a.DB().QueryRowContext(bg, "SELECT COUNT(DISTINCT subject) FROM audit_log WHERE kind = 'ticket.create'").Scan(&creates); err != nil {
			t.Fatal(err)
		}
		if creates != 4*perWriter {
			t.Fatalf("%d tickets audited, want %d", creates, 4*perWriter)
		}
	})
}

// TestStore_CrashLeavesNothingUnchained stops an instance without sealing
// (as a crash would, its entries committed with its writes) and with a
// sealing transaction cut off half-way; the next instance chains them all.
func TestStore_CrashLeavesNothingUnchained(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		a, another := open(t)
		w := newWriter(t, a)
		for i := range 5 {
			w.ticket(fmt.Sprintf("before the crash %d", i))
		}
		// A sealer dies inside its transaction: it rolls back.
		tx, err := a.DB().BeginTx(bg, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(bg, "UPDATE audit_head SET seq = seq + 1000 WHERE id = 1"); err != nil {
			t.Fatal(err)
		}
		_ = tx.Rollback()
		a.Close()
		b := another()
		r, err := b.VerifyAudit(bg, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !r.OK() {
			t.Fatalf("chain after the crash: %v", r.Broken)
		}
		r = verify(t, b, nil)
		if !r.OK() || r.Entries != 6 || r.Pending != 0 {
			t.Fatalf("after the restart's seal: %d entries, %d pending, %v", r.Entries, r.Pending, r.Broken)
		}
	})
}
