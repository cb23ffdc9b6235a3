package web_test

import (
	"cmp"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
	"github.com/tierdesk/tierdesk/internal/web"
)

// lookupTyped are what agents type, each sent prefix by prefix as the
// form's script does (every keystroke, no debounce): common and rare
// names, two words, Cyrillic, e-mail, phone digits with punctuation,
// organisation, and words that match nobody (alone, or beside a word that
// matches a twelfth of the directory).
var lookupTyped = []string{
	"anna ivanova", "Сергей Морозов", "pavel sokolov", "user01234@corp", "+7 495 123-45", "corp.example",
	"kim walker", "initech", "zzzz", "anna zzzz", "ольга нов", "e.popova",
}

// TestLookupLatency measures the requester lookup as you type among
// 200,000 requesters (devgen) and 1,000 more registered through ordinary
// ticket registrations, over HTTP (/console/requesters, what the form's
// script asks, signed in as an agent) and through the desk call, on
// SQLite and on PostgreSQL (with TIERDESK_TEST_POSTGRES). It is slow to
// set up (the directory is generated each run), so it runs only with
// TIERDESK_BENCH_LOOKUP=1; docs/benchmarks.md has the figures.
func TestLookupLatency(t *testing.T) {
	if os.Getenv("TIERDESK_BENCH_LOOKUP") == "" {
		t.Skip("set TIERDESK_BENCH_LOOKUP=1 to measure the requester lookup at 200,000 requesters")
	}
	for _, db := range strings.Fields(cmp.Or(os.Getenv("TIERDESK_BENCH_DBS"), "sqlite postgres")) {
		t.Run(db, func(t *testing.T) {
			var st *sqlstore.Store
			if db == "sqlite" {
				st = testdb.SQLite(t)
			} else {
				st = testdb.Postgres(t)
			}
			lookupLatency(t, st)
		})
	}
}

func lookupLatency(t *testing.T, st *sqlstore.Store) {
	ctx := context.Background()
	start := time.Now()
	if err := devgen.Generate(ctx, st, devgen.Options{Tickets: 100, Requesters: 200000, Seed: 11}); err != nil {
		t.Fatal(err)
	}
	if st.Dialect().Name() == "postgres" {
		// What autovacuum does to an insert-only table soon after a load:
		// the visibility map lets the lookup's scans stay on the index.
		if _, err := st.DB().ExecContext(ctx, "VACUUM (ANALYZE) user_lookup, users"); err != nil {
			t.Fatal(err)
		}
	}
	d := desk.New(st, desk.SystemClock{}, desk.DefaultConfig)
	h, err := web.New(d, nil, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := &httpEnv{t: t, d: d, st: st, srv: httptest.NewServer(h)}
	t.Cleanup(e.srv.Close)
	e.lena, _, err = d.Bootstrap(ctx, desk.UserInput{Email: "lena@example.com", Name: "Lena", Role: desk.RoleAgent}, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.SetPassword(desk.AsSystem(ctx), e.lena.ID, pw); err != nil {
		t.Fatal(err)
	}
	agent := desk.WithActor(ctx, e.lena)
	names := []string{"Kim Walker", "Ольга Новикова", "Pavel Sokolov", "Anna Ivanova", "Jean-Luc Picard"}
	for i := range 1000 {
		name := names[i%len(names)]
		if _, _, err := d.CreateTicket(agent, desk.NewTicket{Type: desk.TypeIncident, Title: "Call", Channel: desk.ChannelPhone,
			Requester: desk.PersonInput{Name: name, Email: "caller." + strconv.Itoa(i) + "@initech.example",
				Phone: "+1 555 010 " + strconv.Itoa(1000+i), Organization: "Initech"}}, ""); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("directory of 201,000 requesters ready in %s", time.Since(start).Round(time.Second))

	c := e.client()
	c.signIn("lena@example.com")
	var overHTTP, inDesk []time.Duration
	type slow struct {
		q    string
		took time.Duration
	}
	var slowest []slow
	for round := range 3 {
		for _, typed := range lookupTyped {
			for n := 1; n <= len([]rune(typed)); n++ {
				q := string([]rune(typed)[:n])
				t0 := time.Now()
				p := c.get("/console/requesters?q=" + url.QueryEscape(q))
				took := time.Since(t0)
				if p.status != http.StatusOK {
					t.Fatalf("%q: %d", q, p.status)
				}
				t0 = time.Now()
				if _, err := d.LookupRequesters(agent, desk.RequesterLookup{Query: q, Limit: 10}); err != nil {
					t.Fatal(err)
				}
				if round > 0 { // the first round warms caches and prepared plans
					overHTTP, inDesk = append(overHTTP, took), append(inDesk, time.Since(t0))
					slowest = append(slowest, slow{q, took})
				}
			}
		}
	}
	slices.SortFunc(slowest, func(a, b slow) int { return int(b.took - a.took) })
	for _, s := range slowest[:min(8, len(slowest))] {
		t.Logf("slow: %q %s", s.q, s.took.Round(10*time.Microsecond))
	}
	for _, m := range []struct {
		what string
		ds   []time.Duration
	}{{"over HTTP", overHTTP}, {"desk call", inDesk}} {
		p50, p95, p99, max := percentiles(m.ds)
		t.Logf("%s: %d lookups, p50 %s, p95 %s, p99 %s, max %s", m.what, len(m.ds), p50, p95, p99, max)
		if p95 >= 20*time.Millisecond {
			t.Errorf("%s: p95 %s, want under 20 ms", m.what, p95)
		}
	}
}

func percentiles(ds []time.Duration) (p50, p95, p99, max time.Duration) {
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(p float64) time.Duration { return s[int(p*float64(len(s)-1))].Round(10 * time.Microsecond) }
	return at(0.50), at(0.95), at(0.99), s[len(s)-1].Round(10 * time.Microsecond)
}
